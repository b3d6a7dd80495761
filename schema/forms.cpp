#include "schema/forms.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "schema/text.hpp"

namespace hotich::schema {

std::string match_key(std::string_view s) {
  std::string f = ascii_fold(s), out;
  out.reserve(f.size());
  bool space = false;
  for (unsigned char c : f) {
    // ascii_fold leaves every Vietnamese letter ASCII; what stays non-ASCII
    // is OCR debris ("ˆ", "¬") and separates words like punctuation.
    bool word = c < 0x80 && std::isalnum(c);
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(char(c));
  }
  // "rn" never occurs in Vietnamese spelling but is OCR's classic misread
  // of "m" ("rnẹ" for "mẹ"); likewise "cl" for "d".
  for (auto [from, to] : {std::pair{"rn", "m"}, std::pair{"cl", "d"}})
    for (size_t at; (at = out.find(from)) != std::string::npos;) out.replace(at, 2, to);
  return out;
}

namespace {

enum class Kind { role, mention, filler };

struct Candidate {
  std::string text;  // match_key form
  int tokens = 1;
  Kind kind = Kind::role;
  std::string id;  // role name or person id
  std::vector<std::string> words;  // text split at spaces
};

struct TypeDef {
  std::vector<std::string> titles;  // match_key form
  std::string default_person, entry_start_person;
  std::vector<FieldSpec> specs;                                   // own fields
  std::map<std::pair<std::string, std::string>, std::string> keys;  // (person, role) -> key
  std::vector<Candidate> candidates;  // roles + this type's mentions + fillers
  std::vector<std::string> persons;   // in definition order (= page order)
};

int count_tokens(const std::string& s) { return s.empty() ? 0 : int(std::count(s.begin(), s.end(), ' ')) + 1; }

// Edits a candidate of n bytes may differ by: short words must be exact
// ("me" vs "ve", "so" vs "to"), longer ones allow about one error in five.
int allowed_edits(size_t n) {
  if (n <= 3) return 0;
  if (n <= 8) return 1;
  return int(n / 5);
}

// Byte Levenshtein (inputs are match_key strings, ASCII in practice), with
// an early exit once every cell of a row exceeds limit.
int bounded_distance(const std::string& a, const std::string& b, int limit) {
  if (std::abs(int(a.size()) - int(b.size())) > limit) return limit + 1;
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = int(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = int(i);
    int row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Per-word tolerance: words of up to two letters exact, up to five one edit.
bool words_close(const std::vector<std::string>& toks, size_t from, const std::vector<std::string>& words) {
  // A two-letter word must match, except one in a wording of four words
  // or more, where the other words carry it ("Giấy từ tùy thân" is "Giấy
  // tờ tùy thân": the vowel is the letter OCR gets wrong).
  bool short_slack = words.size() >= 4;
  for (size_t i = 0; i < words.size(); ++i) {
    size_t n = words[i].size();
    int allow = n <= 2 ? 0 : n <= 5 ? 1 : 2;
    int d = bounded_distance(toks[from + i], words[i], allow + 1);
    if (d > allow && n == 2 && d == 1 && toks[from + i].size() == 2 && short_slack) {
      short_slack = false;
      continue;
    }
    if (d > allow) return false;
  }
  return true;
}

bool is_number_token(const std::string& t) {
  // Column numbers "(1)", section numbers "II", "1." and lone letters (OCR
  // debris of a rule or a speck) read as junk to skip.
  if (t.size() == 1) return true;
  if (std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); })) return true;
  // Short vowel-less letter runs ("mm", "nn") are specks and rule ends read
  // as letters; abbreviations such as "STT" or "CMND" are wordings, and a
  // wording match costs less than skipping junk, so they are still read.
  if (t.size() <= 3 && std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isalpha(c); }) &&
      t.find_first_of("aeiouy") == std::string::npos)
    return true;
  static const std::array<const char*, 10> roman{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"};
  return std::find(roman.begin(), roman.end(), t) != roman.end();
}

std::string where(const std::string& file, const std::string& what) { return file + ": " + what; }

const nlohmann::ordered_json& need(const nlohmann::ordered_json& j, const char* name, const std::string& file) {
  if (!j.is_object() || !j.contains(name)) throw std::runtime_error(where(file, std::string("missing \"") + name + "\""));
  return j.at(name);
}

std::vector<std::string> string_list(const nlohmann::ordered_json& j, const std::string& file, const std::string& what) {
  if (!j.is_array()) throw std::runtime_error(where(file, what + " must be a list of strings"));
  std::vector<std::string> out;
  for (auto& v : j) {
    if (!v.is_string()) throw std::runtime_error(where(file, what + " must be a list of strings"));
    out.push_back(v.get<std::string>());
  }
  return out;
}

FieldSpec parse_field(const nlohmann::ordered_json& f, const std::string& file) {
  FieldSpec spec;
  spec.key = need(f, "key", file).get<std::string>();
  std::string type = need(f, "type", file).get<std::string>();
  if (!field_type_from_string(type, &spec.type))
    throw std::runtime_error(where(file, "field " + spec.key + ": unknown type \"" + type + "\""));
  spec.required = f.value("required", false);
  return spec;
}

}  // namespace

struct FormSet::Impl {
  std::map<std::string, std::vector<std::string>> role_wordings;  // role -> raw wordings
  std::vector<Candidate> shared;  // roles + fillers
  std::vector<FieldSpec> entry_specs;
  std::map<std::string, std::string> entry_keys;  // role -> key
  std::map<std::string, std::vector<std::string>> page_header;  // which -> match_key wordings
  std::map<BookType, TypeDef> types;

  const TypeDef* type(BookType t) const {
    auto it = types.find(t);
    return it == types.end() ? nullptr : &it->second;
  }
};

FormSet FormSet::from_texts(const std::map<std::string, std::string>& files) {
  auto impl = std::make_shared<Impl>();
  auto parse = [](const std::string& name, const std::string& text) {
    try {
      return nlohmann::ordered_json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(where(name, std::string("bad JSON: ") + e.what()));
    }
  };
  auto common_it = std::find_if(files.begin(), files.end(), [](auto& kv) {
    return std::filesystem::path(kv.first).filename() == "common.json";
  });
  if (common_it == files.end()) throw std::runtime_error("form definitions: common.json missing");
  const std::string& cname = common_it->first;
  try {
    auto common = parse(cname, common_it->second);
    for (auto& [role, list] : need(common, "roles", cname).items()) {
      impl->role_wordings[role] = string_list(list, cname, "roles." + role);
      for (auto& w : impl->role_wordings[role]) {
        std::string k = match_key(w);
        if (!k.empty()) impl->shared.push_back({k, count_tokens(k), Kind::role, role, words(k)});
      }
    }
    for (auto& w : string_list(need(common, "fillers", cname), cname, "fillers")) {
      std::string k = match_key(w);
      if (!k.empty()) impl->shared.push_back({k, count_tokens(k), Kind::filler, "", words(k)});
    }
    for (auto& f : need(common, "entry_fields", cname)) {
      FieldSpec spec = parse_field(f, cname);
      std::string role = need(f, "role", cname).get<std::string>();
      if (!impl->role_wordings.count(role))
        throw std::runtime_error(where(cname, "field " + spec.key + ": unknown role \"" + role + "\""));
      impl->entry_keys[role] = spec.key;
      impl->entry_specs.push_back(spec);
    }
    for (auto& [which, list] : need(common, "page_header", cname).items())
      for (auto& w : string_list(list, cname, "page_header." + which)) impl->page_header[which].push_back(match_key(w));

    for (auto& [name, text] : files) {
      if (name == cname) continue;
      auto j = parse(name, text);
      std::string tname = need(j, "type", name).get<std::string>();
      BookType bt = book_type_from_string(tname);
      if (bt == BookType::unknown) throw std::runtime_error(where(name, "unknown book type \"" + tname + "\""));
      if (impl->types.count(bt)) throw std::runtime_error(where(name, "book type " + tname + " defined twice"));
      TypeDef& td = impl->types[bt];
      for (auto& t : string_list(need(j, "titles", name), name, "titles")) td.titles.push_back(match_key(t));
      td.default_person = j.value("default_person", "");
      td.entry_start_person = j.value("entry_start_person", td.default_person);
      td.candidates = impl->shared;
      for (auto& [person, list] : need(j, "persons", name).items()) {
        td.persons.push_back(person);
        for (auto& w : string_list(list, name, "persons." + person)) {
          std::string k = match_key(w);
          if (!k.empty()) td.candidates.push_back({k, count_tokens(k), Kind::mention, person, words(k)});
        }
      }
      auto persons = need(j, "persons", name);
      for (auto& f : need(j, "fields", name)) {
        FieldSpec spec = parse_field(f, name);
        std::string person = need(f, "person", name).get<std::string>();
        std::string role = need(f, "role", name).get<std::string>();
        if (!persons.contains(person))
          throw std::runtime_error(where(name, "field " + spec.key + ": unknown person \"" + person + "\""));
        if (!impl->role_wordings.count(role))
          throw std::runtime_error(where(name, "field " + spec.key + ": unknown role \"" + role + "\""));
        td.keys[{person, role}] = spec.key;
        td.specs.push_back(spec);
      }
      for (auto* p : {&td.default_person, &td.entry_start_person})
        if (!p->empty() && !persons.contains(*p))
          throw std::runtime_error(where(name, "unknown person \"" + *p + "\""));
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("form definitions: " + std::string(e.what()));
  }
  return FormSet(std::move(impl));
}

FormSet FormSet::builtin() {
  // Built once: parsing the JSON and building candidate lists is start-up work.
  static const FormSet set = [] {
    std::map<std::string, std::string> files;
    for (auto& [path, text] : embedded_files())
      if (path.rfind("schema/forms/", 0) == 0 && path.size() > 5 && path.substr(path.size() - 5) == ".json")
        files[path] = std::string(text);
    return from_texts(files);
  }();
  return set;
}

FormSet FormSet::load_dir(const std::string& dir) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw std::runtime_error("form definitions: cannot read folder " + dir + ": " + ec.message());
  for (auto& e : it) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path(), std::ios::binary);
    if (!in) throw std::runtime_error("form definitions: cannot read " + e.path().string());
    std::ostringstream ss;
    ss << in.rdbuf();
    files[e.path().string()] = ss.str();
  }
  return from_texts(files);
}

std::vector<FieldSpec> FormSet::specs(BookType t) const {
  const TypeDef* td = impl_->type(t);
  if (!td) return {};
  std::vector<FieldSpec> out = impl_->entry_specs;
  out.insert(out.end(), td->specs.begin(), td->specs.end());
  return out;
}

BookType FormSet::detect_book_type(const std::vector<std::string>& header_lines) const {
  BookType best = BookType::unknown;
  float best_score = 0.3f;  // accept up to ~30 % of the title's letters wrong
  for (auto& raw : header_lines) {
    std::string line = match_key(raw);
    if (line.empty()) continue;
    auto toks = words(line);
    for (auto& [bt, td] : impl_->types)
      for (auto& title : td.titles) {
        int n = count_tokens(title);
        float score = float(edit_distance(line, title)) / float(std::max(line.size(), title.size()));
        // The title inside a longer line ("UBND ... SỔ ĐĂNG KÝ KHAI SINH
        // năm 2015") counts, a little less; not for two-word titles, which
        // occur in ordinary sentences ("người đi khai sinh").
        if (n >= 3 && int(toks.size()) > n) {
          for (size_t s = 0; s + n <= toks.size(); ++s) {
            std::string win = toks[s];
            for (int k = 1; k < n; ++k) win += " " + toks[s + k];
            score = std::min(score, 0.1f + float(edit_distance(win, title)) / float(title.size()));
          }
        }
        if (score < best_score) {
          best_score = score;
          best = bt;
        }
      }
  }
  return best;
}

PhraseMatch FormSet::match(BookType t, std::string_view text, std::string_view context_person,
                           int max_unknown_words) const {
  PhraseMatch m = match_words(t, text, context_person, max_unknown_words);
  if (m.matched() || text.find('(') == std::string_view::npos) return m;
  // A parenthesised aside ("Nơi chết (địa điểm)", "(ghi rõ)") explains the
  // header; read it without.
  std::string bare;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    else if (c == ')') depth = std::max(0, depth - 1);
    else if (depth == 0) bare += c;
  }
  PhraseMatch b = match_words(t, bare, context_person, max_unknown_words);
  return b.matched() ? b : m;
}

PhraseMatch FormSet::match_words(BookType t, std::string_view text, std::string_view context_person,
                                 int max_unknown_words) const {
  PhraseMatch out;
  const TypeDef* td = impl_->type(t);
  const std::vector<Candidate>& cands = td ? td->candidates : impl_->shared;
  auto toks = words(match_key(text));
  const int n = int(toks.size());
  if (n == 0 || n > 24) return out;

  // Segment the tokens: best[i] = cheapest reading of toks[0..i).
  struct Step { float cost = 1e9f; int from = -1; int cand = -1; int unknown = 0; };
  std::vector<Step> best(n + 1);
  best[0].cost = 0;
  for (int i = 1; i <= n; ++i) {
    for (int j = std::max(0, i - 9); j < i; ++j) {
      if (best[j].from < 0 && j != 0) continue;
      std::string seg = toks[j];
      for (int k = j + 1; k < i; ++k) seg += " " + toks[k];
      int len = i - j;
      for (int c = 0; c < int(cands.size()); ++c) {
        const Candidate& cd = cands[c];
        if (std::abs(cd.tokens - len) > 1) continue;
        int allow = allowed_edits(cd.text.size());
        int d = bounded_distance(seg, cd.text, allow);
        if (d > allow) continue;
        // Same word count: each word must be close on its own, so a long
        // phrase cannot absorb a different word ("gọi" is not "người").
        if (cd.tokens == len && len > 1 && !words_close(toks, size_t(j), cd.words)) continue;
        float cost = best[j].cost + float(d) / float(cd.text.size()) + (cd.kind == Kind::filler ? 0.15f : 0.05f);
        if (cost < best[i].cost) best[i] = {cost, j, c, best[j].unknown};
      }
      if (len == 1) {  // a word that matches nothing
        bool num = is_number_token(toks[j]);
        float cost = best[j].cost + (num ? 0.1f : 1.0f);
        if (cost < best[i].cost) best[i] = {cost, j, -1, best[j].unknown + (num ? 0 : 1)};
      }
    }
  }
  if (best[n].unknown > max_unknown_words) return out;
  if (best[n].unknown * 4 > n) return out;

  std::vector<int> picks;
  for (int i = n; i > 0; i = best[i].from) picks.push_back(best[i].cand);
  std::reverse(picks.begin(), picks.end());
  std::vector<std::string> roles;
  for (int c : picks) {
    if (c < 0) continue;
    const Candidate& cd = cands[c];
    if (cd.kind == Kind::role) roles.push_back(cd.id);
    if (cd.kind == Kind::mention && out.person.empty()) out.person = cd.id;
  }
  out.cost = std::min(1.0f, best[n].cost / float(n));
  if (roles.empty()) {
    out.person_only = !out.person.empty();
    return out;
  }
  std::string person = out.person;
  if (person.empty()) person = std::string(context_person);
  if (person.empty() && td) person = td->default_person;
  for (auto& role : roles) {
    std::string key;
    auto e = impl_->entry_keys.find(role);
    if (e != impl_->entry_keys.end())
      key = e->second;
    else if (td) {
      auto it = td->keys.find({person, role});
      if (it != td->keys.end()) {
        key = it->second;
      } else if (out.person.empty()) {
        // No person named and the one in force lacks the role: a role only
        // one person has is theirs ("Quan hệ" is the registrant's).
        std::string owner;
        int owners = 0;
        for (auto& [pr, k] : td->keys)
          if (pr.second == role) {
            owner = k;
            ++owners;
          }
        if (owners == 1) key = owner;
      }
    }
    out.roles.push_back(role);
    if (!key.empty() && std::find(out.keys.begin(), out.keys.end(), key) == out.keys.end()) out.keys.push_back(key);
  }
  return out;
}

namespace {

// A readable word of a damaged header against a wording word. Stricter
// than words_close: with the rest of the header lost, one letter off in a
// short syllable is another word ("tinh" / "tich", "chet" / "chep").
// A word cut short by the damage ("thườ" of "thường" under a stamp) is
// close too when at most a third of it is lost and four letters are left:
// no shorter start of a wording word is another's.
bool word_close(const std::string& tok, const std::string& word) {
  size_t n = word.size();
  if (tok.size() >= 4 && tok.size() < n && tok.size() * 3 >= n * 2 && word.compare(0, tok.size(), tok) == 0) return true;
  int allow = n <= 4 || tok.size() <= 2 ? 0 : n <= 7 ? 1 : 2;
  return bounded_distance(tok, word, allow) <= allow;
}

// Best in-order match of toks against one wording.
struct Alignment {
  float weight = 0;    // summed weight of the tokens matched
  int matched = 0;     // how many they are
  uint32_t used = 0;   // which (bit i = toks[i]); toks.size() <= 24
  bool operator<(const Alignment& o) const {
    return weight != o.weight ? weight < o.weight : matched < o.matched;
  }
};
Alignment align(const std::vector<std::string>& toks, const std::vector<float>& weight,
                const std::vector<std::string>& wording) {
  const size_t n = toks.size(), m = wording.size();
  std::vector<Alignment> dp((n + 1) * (m + 1));
  auto at = [&](size_t i, size_t j) -> Alignment& { return dp[i * (m + 1) + j]; };
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j) {
      Alignment best = std::max(at(i - 1, j), at(i, j - 1));
      if (weight[i - 1] > 0 && word_close(toks[i - 1], wording[j - 1])) {
        Alignment d = at(i - 1, j - 1);
        d.weight += weight[i - 1];
        d.matched += 1;
        d.used |= uint32_t(1) << (i - 1);
        best = std::max(best, d);
      }
      at(i, j) = best;
    }
  return at(n, m);
}

}  // namespace

PhraseMatch FormSet::match_damaged(BookType t, std::string_view text, std::string_view context_person,
                                   const std::vector<std::string>& taken_keys) const {
  PhraseMatch out;
  const TypeDef* td = impl_->type(t);
  if (!td) return out;
  // Column numbers, specks and lone letters are no evidence either way.
  std::vector<std::string> toks;
  for (auto& w : words(match_key(text)))
    if (!is_number_token(w)) toks.push_back(w);
  if (toks.empty() || toks.size() > 24) return out;

  auto taken = [&](const std::string& k) {
    return std::find(taken_keys.begin(), taken_keys.end(), k) != taken_keys.end();
  };
  // A person mention read as a phrase (two words or more in order:
  // "Người yêu [cầu]") names the person, over the one in force (a running
  // person from the columns to the left); its words are explained by it.
  // Without one and without a person in force, a word of one person's
  // mentions alone ("vợ", "đã" of "người đã chết") names that person;
  // else every person's fields compete, the default person's too: a
  // damaged header may have lost the mention of another ("Họ tên ng:rèi
  // đi kh..."). A lone shared word ("chết" of "người chết") is no phrase
  // and stays a word some field must explain.
  std::string person(context_person);
  uint32_t mention_used = 0;
  {
    const std::vector<float> all(toks.size(), 1.0f);
    int most = 1;
    std::set<std::string> phrase_of;
    for (auto& c : td->candidates) {
      if (c.kind != Kind::mention) continue;
      Alignment a = align(toks, all, c.words);
      if (a.matched > most) {
        most = a.matched;
        phrase_of = {c.id};
        mention_used = a.used;
      } else if (a.matched == most && most >= 2) {
        phrase_of.insert(c.id);
      }
    }
    if (phrase_of.size() == 1) {
      person = *phrase_of.begin();
    } else {
      mention_used = 0;
      if (person.empty()) {
        std::set<std::string> named;
        for (auto& tok : toks) {
          std::set<std::string> owners;
          for (auto& c : td->candidates)
            if (c.kind == Kind::mention)
              for (auto& u : c.words)
                if (word_close(tok, u)) owners.insert(c.id);
          if (owners.size() == 1) named.insert(*owners.begin());
        }
        if (named.size() == 1) person = *named.begin();
      }
    }
  }
  // The fields still open on the page, each with the wordings (as word
  // lists) that would name it.
  struct Target {
    std::string key, role;
    std::vector<std::vector<std::string>> wordings;
  };
  auto role_words = [&](const std::string& role) {
    std::vector<std::vector<std::string>> out;
    auto it = impl_->role_wordings.find(role);
    if (it == impl_->role_wordings.end()) return out;
    for (auto& w : it->second)
      if (auto ws = words(match_key(w)); !ws.empty()) out.push_back(std::move(ws));
    return out;
  };
  std::vector<Target> targets;
  for (auto& [role, key] : impl_->entry_keys)
    if (!taken(key)) targets.push_back({key, role, role_words(role)});
  for (auto& [pr, key] : td->keys)
    if ((person.empty() || pr.first == person) && !taken(key)) targets.push_back({key, pr.second, role_words(pr.second)});
  if (targets.empty()) return out;

  // A word weighs 1 / the number of open fields that use it: a word only
  // one field uses is strong evidence, one every field uses is none.
  std::vector<float> weight(toks.size(), 0.0f);
  for (size_t i = 0; i < toks.size(); ++i) {
    int df = 0;
    for (auto& tg : targets) {
      bool uses = false;
      for (auto& w : tg.wordings) {
        for (auto& u : w)
          if ((uses = word_close(toks[i], u))) break;
        if (uses) break;
      }
      df += uses;
    }
    if (df > 0) weight[i] = 1.0f / float(df);
  }

  float first = 0, second = 0;
  int first_at = -1;
  Alignment won;
  for (size_t k = 0; k < targets.size(); ++k) {
    Alignment best;
    for (auto& w : targets[k].wordings) best = std::max(best, align(toks, weight, w));
    if (best.weight > first) {
      second = first;
      first = best.weight;
      first_at = int(k);
      won = best;
    } else {
      second = std::max(second, best.weight);
    }
  }
  won.used &= ~mention_used;  // a word read as both counts once
  const int matched = won.matched == 0 ? 0 : std::popcount(won.used) + std::popcount(mention_used);
  won.used |= mention_used;
  // A word another open field uses that the winner leaves unread speaks
  // against it: "nhân chết" with the cause of death taken is not the
  // identity number, though "nhân" is a word of its wordings alone.
  for (size_t i = 0; i < toks.size() && first_at >= 0; ++i)
    if (weight[i] > 0 && !(won.used & (uint32_t(1) << i))) return out;
  // Clearly one field: strong enough evidence (a word of its own, or two
  // shared with one other field each), half again the runner-up's, and
  // most of the readable words explained (not a foreign header that
  // happens to share one word).
  constexpr float kMinScore = 0.5f, kMargin = 1.5f;
  if (first_at < 0 || first < kMinScore || first < kMargin * second || matched * 2 < int(toks.size())) return out;
  const Target& tg = targets[size_t(first_at)];
  out.keys = {tg.key};
  out.roles = {tg.role};
  out.cost = 1.0f - float(matched) / float(toks.size());
  return out;
}

std::string FormSet::person_of(BookType t, std::string_view text) const {
  // A heading may be numbered ("1. Bên chồng", "Người mẹ (3)"), but a
  // year or a second number makes the line a value: "9 năm 1996", a
  // date's second line, holds "năm", which reads as the heading "Nam".
  int numbers = 0;
  for (const auto& tok : words(match_key(text))) {
    const auto digits = std::count_if(tok.begin(), tok.end(), [](unsigned char c) { return std::isdigit(c); });
    if (digits >= 3 || (digits > 0 && ++numbers > 1)) return "";
  }
  PhraseMatch m = match(t, text, "", 0);
  return m.person_only ? m.person : std::string();
}

std::string FormSet::key_for(BookType t, std::string_view person, std::string_view role) const {
  auto e = impl_->entry_keys.find(std::string(role));
  if (e != impl_->entry_keys.end()) return e->second;
  const TypeDef* td = impl_->type(t);
  if (!td) return "";
  auto it = td->keys.find({std::string(person), std::string(role)});
  return it == td->keys.end() ? "" : it->second;
}

std::string FormSet::role_of(BookType t, std::string_view key) const {
  for (auto& [role, k] : impl_->entry_keys)
    if (k == key) return role;
  if (const TypeDef* td = impl_->type(t))
    for (auto& [pr, k] : td->keys)
      if (k == key) return pr.second;
  return "";
}

std::vector<std::string> FormSet::persons(BookType t) const {
  const TypeDef* td = impl_->type(t);
  return td ? td->persons : std::vector<std::string>{};
}

std::string FormSet::default_person(BookType t) const {
  const TypeDef* td = impl_->type(t);
  return td ? td->default_person : "";
}

std::string FormSet::entry_start_person(BookType t) const {
  const TypeDef* td = impl_->type(t);
  return td ? td->entry_start_person : "";
}

const std::vector<std::string>& FormSet::header_wordings(std::string_view which) const {
  static const std::vector<std::string> none;
  auto it = impl_->page_header.find(std::string(which));
  return it == impl_->page_header.end() ? none : it->second;
}

}  // namespace hotich::schema
