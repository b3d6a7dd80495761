#include "schema/validate.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>

#include <utf8proc.h>

#include "schema/text.hpp"

namespace hotich::schema {
namespace {

bool starts_with(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

void set_flag(Field& f, const char* flag, const std::string& detail) {
  f.flag = flag;
  if (!detail.empty()) f.flag += ": " + detail;
}

// A date value as validated: "YYYY-MM-DD" or "YYYY".
struct Day {
  int y = 0, m = 0, d = 0;  // m == 0: year only
  bool year_only() const { return m == 0; }
  // Earliest and latest day the written value can mean, as yyyymmdd.
  int lo() const { return y * 10000 + (year_only() ? 101 : m * 100 + d); }
  int hi() const { return y * 10000 + (year_only() ? 1231 : m * 100 + d); }
};

std::optional<Day> day_of_value(const std::string& v) {
  Day d;
  if (v.size() == 4) {
    d.y = std::atoi(v.c_str());
  } else if (v.size() == 10 && v[4] == '-' && v[7] == '-') {
    d.y = std::atoi(v.substr(0, 4).c_str());
    d.m = std::atoi(v.substr(5, 2).c_str());
    d.d = std::atoi(v.substr(8, 2).c_str());
  } else {
    return std::nullopt;
  }
  return d.y > 0 ? std::optional<Day>(d) : std::nullopt;
}

std::optional<Day> day_of(const Field* f) {
  if (!f || f->value.empty()) return std::nullopt;
  if (!f->flag.empty() && !starts_with(f->flag, flag::low_confidence)) return std::nullopt;
  return day_of_value(f->value);
}

// Completed years between a birth and a later day, as a range over the
// days both values can mean.
std::pair<int, int> age_range(const Day& birth, const Day& at) {
  auto age = [](int b, int a) {  // yyyymmdd values
    int years = a / 10000 - b / 10000;
    if (a % 10000 < b % 10000) --years;
    return years;
  };
  return {age(birth.hi(), at.lo()), age(birth.lo(), at.hi())};
}

// Flags the least confident of the involved fields (all within the margin).
void fail_rule(const std::vector<Field*>& involved, const std::string& rule, float margin) {
  float least = 2;
  for (auto* f : involved) least = std::min(least, f->conf);
  for (auto* f : involved)
    if (f->flag.empty() && f->conf <= least + margin) set_flag(*f, flag::failed_rule, rule);
}

Sex sex_of(const Field* f) {
  if (!f || f->value.empty()) return Sex::unknown;
  if (f->value == "Nam") return Sex::male;
  if (f->value == "Nữ") return Sex::female;
  return Sex::unknown;
}

// The sex a relationship word implies for the person who registered.
Sex sex_of_relation(const Field* f) {
  if (!f || f->value.empty()) return Sex::unknown;
  std::string a = ascii_fold(f->value);
  auto first = a.substr(0, a.find(' '));
  static const char* kMale[] = {"cha", "bo", "ong", "anh", "chu", "bac", "cau", "duong", "chong"};
  static const char* kFemale[] = {"me", "ma", "chi", "co", "di", "mo", "thim", "vo"};
  std::string tk = tone_key(f->value);
  // "Ba" (father) and "Bà" (grandmother) differ only by tone: use the exact word.
  if (tk == tone_key("Bà") || starts_with(tk, tone_key("Bà") + " ")) return Sex::female;
  if (tk == "ba") return Sex::male;
  for (auto m : kMale)
    if (first == m) return Sex::male;
  for (auto w : kFemale)
    if (first == w) return Sex::female;
  return Sex::unknown;
}

// Person prefixes of the field keys and what their keys are called.
struct Person {
  const char* prefix;
  Sex fixed;           // sex implied by the role, unknown when it has a gender field
  const char* gender;  // gender field key, or nullptr
};
constexpr Person kPersons[] = {
    {"nks", Sex::unknown, "nksGioiTinh"}, {"nkt", Sex::unknown, "nktGioiTinh"},
    {"me", Sex::female, nullptr},         {"cha", Sex::male, nullptr},
    {"vo", Sex::female, nullptr},         {"chong", Sex::male, nullptr},
    {"nyc", Sex::unknown, nullptr},
};

const Person* person_of(const std::string& key) {
  for (auto& p : kPersons) {
    std::string_view pre(p.prefix);
    if (key.size() > pre.size() && key.compare(0, pre.size(), pre) == 0 && key[pre.size()] >= 'A' &&
        key[pre.size()] <= 'Z')
      return &p;
  }
  return nullptr;
}

// An empty name, date, place, ethnic group or nationality of a person of
// whom anything else is written is more likely faint or unusual ink the
// layout missed than a blank the registrar left: it goes to review. (A
// father's block with his residence and ID but no name is a line the
// layout lost, not an absent father: that leaves the whole block blank.)
// Free text and ID numbers are often left blank, and stay accepted when
// empty.
bool expected_filled(const Entry& e, const FieldSpec& spec) {
  switch (spec.type) {
    case FieldType::name: case FieldType::date: case FieldType::year_or_date: case FieldType::place:
    case FieldType::ethnic: case FieldType::nationality: case FieldType::gender: case FieldType::relation: break;
    default: return false;
  }
  auto* p = person_of(spec.key);
  if (!p) return false;
  return std::any_of(e.fields.begin(), e.fields.end(), [&](const Field& f) {
    return f.key != spec.key && person_of(f.key) == p && !clean_text(f.raw).empty();
  });
}

bool foreign_person(const Entry& e, const std::string& key, const Lexicons& lex) {
  auto* p = person_of(key);
  if (!p) return false;
  auto* q = e.find(std::string(p->prefix) + "QuocTich");
  if (!q || clean_text(q->raw).empty()) return false;
  // Foreign only when the nationality reads as another country: OCR specks
  // around "Việt Nam" ("/Việt Nam"), or a nationality read as garbage
  // ("“hỏa"), must not switch the Vietnamese name checks off.
  std::string text;  // letters and spaces: specks and punctuation left out
  for (char c : q->raw)
    if (static_cast<unsigned char>(c) >= 0x80 || std::isalpha(static_cast<unsigned char>(c)) || c == ' ') text.push_back(c);
  const Match m = lex.match_nationality(clean_text(text));
  return m.found() && ascii_fold(m.spelling) != "viet nam";
}

void apply_rules(Entry& e, const BookContext& book, const ValidateOptions& o) {
  auto* reg = e.find("ngayDangKy");
  auto dreg = day_of(reg);
  const float mg = o.rule_margin;

  if (dreg && book.year > 0 && dreg->y != book.year && reg->flag.empty())
    set_flag(*reg, flag::failed_rule, "registration outside the book's year");

  // Every person's birth precedes the registration.
  for (auto& p : kPersons) {
    auto* b = e.find(std::string(p.prefix) + "NgaySinh");
    auto db = day_of(b);
    if (db && dreg && db->lo() > dreg->hi()) fail_rule({b, reg}, "birth after registration", mg);
  }

  if (book.type == BookType::khai_sinh) {
    auto* child = e.find("nksNgaySinh");
    auto dc = day_of(child);
    for (const char* key : {"meNgaySinh", "chaNgaySinh"}) {
      auto* par = e.find(key);
      auto dp = day_of(par);
      if (!dc || !dp) continue;
      auto [lo, hi] = age_range(*dp, *dc);
      if (hi < o.min_parent_age) fail_rule({par, child}, "parent younger than " + std::to_string(o.min_parent_age) + " at the birth", mg);
      else if (lo > o.max_parent_age) fail_rule({par, child}, "parent older than " + std::to_string(o.max_parent_age) + " at the birth", mg);
    }
  }
  if (book.type == BookType::khai_tu) {
    auto* b = e.find("nktNgaySinh");
    auto* d = e.find("nktNgayChet");
    auto db = day_of(b), dd = day_of(d);
    if (db && dd && db->lo() > dd->hi()) fail_rule({b, d}, "death before birth", mg);
    if (dd && dreg && dd->lo() > dreg->hi()) fail_rule({d, reg}, "death after registration", mg);
  }
  if (book.type == BookType::ket_hon && dreg) {
    for (const char* key : {"chongNgaySinh", "voNgaySinh"}) {
      auto* b = e.find(key);
      auto db = day_of(b);
      if (!db) continue;
      if (age_range(*db, *dreg).second < o.min_spouse_age)
        fail_rule({b, reg}, "spouse younger than " + std::to_string(o.min_spouse_age), mg);
    }
  }

  // CCCD against the person's sex and year of birth.
  for (auto& p : kPersons) {
    std::string pre = p.prefix;
    auto* id = e.find(pre + "SoGiayToTuyThan");
    if (!id || id->value.size() != 12 || !id->flag.empty()) continue;
    Field* sexf = p.gender ? e.find(p.gender) : nullptr;
    Sex sex = p.fixed;
    if (p.gender) sex = sexf && sexf->flag.empty() ? sex_of(sexf) : Sex::unknown;
    Field* rel = nullptr;
    if (pre == "nyc") {
      rel = e.find("nycQuanHe");
      sex = rel && rel->flag.empty() ? sex_of_relation(rel) : Sex::unknown;
    }
    auto* b = e.find(pre + "NgaySinh");
    auto db = day_of(b);
    switch (cross_check_id(id->value, sex, db ? db->y : 0)) {
      case IdCheck::wrong_sex: {
        std::vector<Field*> inv{id};
        if (sexf) inv.push_back(sexf);
        if (rel) inv.push_back(rel);
        fail_rule(inv, "ID sex digit disagrees with the person's sex", mg);
        break;
      }
      case IdCheck::wrong_year: fail_rule({id, b}, "ID birth year disagrees with the date of birth", mg); break;
      default: break;
    }
  }
}

// The registering authority ("UBND xã Tân Hòa, huyện Phú Vang, tỉnh Thừa
// Thiên Huế") is free text by type, but after its authority words it is a
// place: the gazetteer check catches a misread unit name, a truncated line
// or a page number glued to the header line. A repair the gazetteer makes
// sure of (a mark: "huyện Cấm Mỹ" under Đồng Nai is Cẩm Mỹ) is applied, as
// in every place field; the authority words stay as written.
void authority_check(const std::string& raw, const Lexicons& lex, Parsed& p) {
  if (!lex.has_gazetteer()) return;
  std::string a = ascii_fold(raw);
  // The wording as matched without marks, and its spellings with them.
  struct Prefix {
    const char* ascii;
    std::vector<std::string> spelled;
  };
  static const Prefix kPrefixes[] = {{"uy ban nhan dan", {"ủy ban nhân dân", "uỷ ban nhân dân"}},
                                     {"ub nhan dan", {"ub nhân dân"}},
                                     {"uy ban nd", {"ủy ban nd", "uỷ ban nd"}},
                                     {"ubnd.", {"ubnd."}},
                                     {"ubnd", {"ubnd"}}};
  const Prefix* pre = nullptr;
  for (auto& x : kPrefixes)
    if (starts_with(a, x.ascii)) {
      pre = &x;
      break;
    }
  if (!pre) return;
  // ascii_fold keeps one byte per letter only for ASCII; count words instead.
  const std::string_view wording(pre->ascii);
  const size_t n = 1 + static_cast<size_t>(std::count(wording.begin(), wording.end(), ' '));
  const auto ws = hotich::schema::words(clean_text(raw));
  std::string head, rest;
  for (size_t w = 0; w < ws.size(); ++w) {
    std::string& part = w < n ? head : rest;
    part += (part.empty() ? "" : " ") + ws[w];
  }
  // The stock wording with a mark misread ("ỦY BẠN NHÂN DÂN"): the value,
  // kept as read, is not what the page says. On a book's pages the other
  // readings then decide it (decide_book_field).
  const std::string lower = to_lower(head);
  if (std::none_of(pre->spelled.begin(), pre->spelled.end(), [&](auto& s) { return lower == s; })) {
    p.certainty *= 0.6f;
    p.note = "authority: '" + head + "' is '" + pre->spelled.front() + "' misread";
  }
  if (rest.empty()) return;
  PlaceMatch m = lex.match_place(rest);
  p.certainty *= m.ambiguous ? 0.5f : m.certainty;
  if (m.repaired && !m.ambiguous) p.value = head + " " + m.value;
  if (m.certainty < 1 && !m.note.empty()) p.note = "authority: " + m.note;
}

// Free text has no lexicon, pattern or rule to confirm it. noiDangKy is
// text by type but a book-level value, confirmed by the book context and
// the gazetteer.
bool free_text(const FieldSpec& spec) {
  return spec.type == FieldType::text && spec.key != "noiDangKy";
}

// A place the gazetteer confirmed whole (every administrative part found
// at its level under the part to its right down to the commune, no repair,
// detail words all Vietnamese syllables: certainty 1) has its unit names checked letter by
// letter against the list, so a low OCR score on its long line is far less
// telling than on a name or free text.
// The commune must be among the confirmed parts: a chain that stops at the
// district leaves a detail part nothing has checked.
bool confirmed_place(const FieldSpec& spec, const std::string& raw, const Parsed& p, const Lexicons& lex) {
  if (spec.type != FieldType::place || !p.ok || p.certainty < 1.0f || p.repaired || !lex.has_gazetteer()) return false;
  return lex.match_place(raw).deepest_level == 3;
}

// A value of a digit kind (date, year, ID or entry number) whose text is
// mostly digits, at least four of them: a misread of such a value, not a
// line of some other field.
bool digit_shaped(FieldType t, const std::string& raw) {
  if (t != FieldType::date && t != FieldType::year_or_date && t != FieldType::id_number &&
      t != FieldType::entry_number && t != FieldType::book_number)
    return false;
  int digits = 0, other = 0;
  for (char c : raw) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != ' ') ++other;
  }
  return digits >= 4 && digits >= 2 * other;
}

// Kinds whose whole value a closed list checks (see
// ValidateOptions::lexicon_threshold; names are not among them).
bool lexicon_checked(FieldType t) {
  switch (t) {
    case FieldType::place:
    case FieldType::ethnic:
    case FieldType::nationality:
    case FieldType::gender:
    case FieldType::relation: return true;
    default: return false;
  }
}

float threshold_for(const FieldSpec& spec, const std::string& raw, const Parsed& p, bool known_phrase,
                    const Lexicons& lex, const ValidateOptions& o) {
  if (free_text(spec)) return known_phrase ? std::min(o.free_text_threshold, o.known_phrase_threshold) : o.free_text_threshold;
  if (confirmed_place(spec, raw, p, lex)) return std::min(o.threshold, o.confirmed_place_threshold);
  if (lexicon_checked(spec.type)) return std::min(o.threshold, o.lexicon_threshold);
  return o.threshold;
}

// The field's OCR confidence with the words a lexicon replaced set aside:
// the lowest of its other words (each replaced word set aside once). Only
// while conf is still its words' minimum; a conf the parser set on purpose
// (a column whose person was assumed) is kept.
float conf_without(const Field& f, std::vector<std::string> replaced) {
  auto ws = words(f.raw);
  if (f.word_conf.empty() || f.word_conf.size() != ws.size()) return f.conf;
  if (std::abs(*std::min_element(f.word_conf.begin(), f.word_conf.end()) - f.conf) > 1e-6f) return f.conf;
  float rest = 1;
  bool skipped = false;
  // A word keeps the comma or dot it was read with ("Lấp,"); the lexicon
  // names it without.
  auto bare = [](std::string w) {
    while (!w.empty() && std::strchr(",;:.", w.back())) w.pop_back();
    return w;
  };
  for (size_t i = 0; i < ws.size(); ++i) {
    auto r = std::find(replaced.begin(), replaced.end(), bare(ws[i]));
    if (r != replaced.end()) {
      replaced.erase(r);
      skipped = true;
    } else {
      rest = std::min(rest, f.word_conf[i]);
    }
  }
  return skipped ? rest : f.conf;
}

}  // namespace

float combine_confidence(float ocr_conf, float certainty) {
  float o = ocr_conf > 1.0f ? ocr_conf / 100.0f : ocr_conf;
  o = std::clamp(o, 0.0f, 1.0f);
  return o * std::clamp(certainty, 0.0f, 1.0f);
}

void validate_entry(Entry& entry, const std::vector<FieldSpec>& specs, const Lexicons& lex, const BookContext& book,
                    const ValidateOptions& opts) {
  ParseOptions po;
  po.current_year = opts.current_year;
  po.reference_year = book.year;
  // Fields split by guesswork from one combined cell, by the parser's note.
  std::map<std::string, std::vector<std::string>> split_cells;
  for (auto& spec : specs) {
    Field* f = entry.find(spec.key);
    if (!f) {
      if (!spec.required && !opts.flag_missing) continue;
      Field nf;
      nf.key = spec.key;
      entry.fields.push_back(nf);
      f = &entry.fields.back();
      if (!spec.required) {
        // Not located on the page is not "seen empty": nobody read it.
        f->conf = 0;
        set_flag(*f, flag::low_confidence, "not found on the page");
        continue;
      }
    }
    if (starts_with(f->flag, flag::unreadable)) {
      f->value.clear();
      continue;
    }
    // The parser's doubt about how it split a combined cell (more lines than
    // fields) survives validation as lower confidence: the split by type fit
    // is right far more often than not (measured: 287 right, 2 wrong on the
    // benchmark corpus), so it alone does not send the field to review.
    bool parser_doubt = starts_with(f->flag, flag::ambiguous_repair);
    if (parser_doubt) split_cells[f->flag].push_back(spec.key);
    // A rule the parser saw broken (an entry number out of its page's
    // sequence: "3" above 54, 55, 56) is about the page, which this field's
    // checks do not see: it stands.
    const std::string parser_rule = starts_with(f->flag, flag::failed_rule) ? f->flag : "";
    // Why the parser gave the field no confidence, for the reviewer.
    std::string parser_low;
    if (starts_with(f->flag, flag::low_confidence) && f->flag.size() > std::string_view(flag::low_confidence).size() + 2)
      parser_low = f->flag.substr(std::string_view(flag::low_confidence).size() + 2);
    f->flag.clear();
    if (clean_text(f->raw).empty()) {
      f->value.clear();
      if (spec.required) set_flag(*f, flag::empty_required, "");
      else if (expected_filled(entry, spec)) set_flag(*f, flag::low_confidence, "empty while the person is written");
      continue;
    }
    ParseOptions fo = po;
    fo.vietnamese_name = !foreign_person(entry, spec.key, lex);
    Parsed p = parse_field(spec.type, f->raw, lex, fo);
    if (p.ok && spec.key == "noiDangKy") authority_check(f->raw, lex, p);
    bool known_phrase = false;
    if (p.ok && free_text(spec)) {
      Match m = lex.match_phrase(spec.key, f->raw);
      known_phrase = m.kind == MatchKind::exact;
      if (m.kind == MatchKind::diacritics && words(m.spelling).size() >= 2) {
        // A stock wording of two words or more with only its marks misread
        // ("Đột quy", "Ủng thư gan"): no other wording reads so, and the
        // marks are what OCR loses. It becomes the wording, as sure as the
        // letters were read (on 15 corpora, 72 of 72 such were right).
        p.note += (p.note.empty() ? "" : "; ") + std::string("read '") + clean_text(f->raw) + "', marks restored";
        p.value = m.spelling;
        known_phrase = true;
      } else if (m.kind == MatchKind::diacritics || m.kind == MatchKind::edit) {
        // A register's stock wording with one mark or letter off is a
        // misread of it far more often than another wording.
        p.certainty *= opts.phrase_misread_factor;
        p.note += (p.note.empty() ? "" : "; ") + std::string("looks like '") + m.spelling + "' misread";
      }
    }
    f->value = p.value;
    float ocr_conf = p.ok && !p.replaced_words.empty() ? conf_without(*f, p.replaced_words) : f->conf;
    f->conf = combine_confidence(ocr_conf, p.ok ? p.certainty : 0.0f) * (parser_doubt ? opts.split_doubt : 1.0f);
    if (!p.ok && p.ambiguous) set_flag(*f, flag::ambiguous_repair, p.error);
    else if (!p.ok) set_flag(*f, flag::invalid, p.error);
    else if (f->conf < threshold_for(spec, f->raw, p, known_phrase, lex, opts))
      set_flag(*f, flag::low_confidence,
               parser_low.empty() ? p.note : p.note.empty() ? parser_low : parser_low + "; " + p.note);
    if (!parser_rule.empty() && (f->flag.empty() || starts_with(f->flag, flag::low_confidence))) f->flag = parser_rule;
  }
  // A cell with more lines than fields was split by how well each run of
  // lines fits each field. When one part then fails its parser, the lines
  // were most likely dealt to the wrong fields ("Hoàng Khương / Duy / Nam"
  // gave the name "Hoàng Khương" and the sex "Duy"): its neighbours' values
  // are as suspect as the failed one, however plausible they look alone.
  // A failed part that still has its field's shape (a date or number with
  // a misread digit: "29.94.1994") was dealt the right line and only read
  // badly: the split stands. So does one that holds no letter at all
  // ("}./", a stain or a scribble read as symbols): that line was
  // unreadable, not another field's, and lines are not dealt to a field
  // for how they fail to read. Two failed parts doubt the whole cell.
  auto spec_type = [&](const Field& f) {
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const FieldSpec& s) { return s.key == f.key; });
    return spec == specs.end() ? FieldType::text : spec->type;
  };
  auto listed = [&](const Field& f) {  // an ethnic group or a nationality: a closed list
    return spec_type(f) == FieldType::ethnic || spec_type(f) == FieldType::nationality;
  };
  auto misplaced = [&](const Field& f) {
    if (!starts_with(f.flag, flag::invalid) && !starts_with(f.flag, flag::ambiguous_repair)) return false;
    return !digit_shaped(spec_type(f), f.raw);
  };
  auto letterless = [](const Field& f) {
    const std::string a = ascii_fold(f.raw);
    return std::none_of(a.begin(), a.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  for (auto& [note, keys] : split_cells) {
    // A part that got no line at all (the parser's note says so) says the
    // lines may be dealt one off as well; an ethnic group or a nationality
    // that only a repair made a listed one may then be another field's
    // line ("CÔNG" of a wrapped name taken for the ethnic group "Cống").
    // On 41 corpora: no such value was right.
    const bool lineless = note.find(kLinelessPart) != std::string::npos;
    for (auto& key : keys)
      if (Field* f = entry.find(key); lineless && f && !f->flagged() && listed(*f) && f->value != clean_text(f->raw))
        set_flag(*f, flag::failed_rule, "repaired into the list while a part of the same combined cell got no line");
    std::string failed;
    int failures = 0;
    for (auto& key : keys)
      if (const Field* f = entry.find(key); f && misplaced(*f)) failed = key, ++failures;
    // A letterless failure beside a part that got no line is one more sign
    // of lines dealt one off, not an unreadable line alone.
    if (failed.empty() || (failures == 1 && letterless(*entry.find(failed)) && !lineless)) continue;
    // With one part failed, an ethnic group or a nationality read exactly
    // as a listed one ("Kinh", "Việt Nam") holds its own line: lines dealt
    // one off would have put a name's, a date's or a place's line there,
    // which no such list holds, and made a second part fail. Not the sex:
    // "Nam" is also a given name. (On 32 generated corpora, 63 such values
    // were doubted by this rule, all right.)
    auto pinned = [&](const Field& f) { return failures == 1 && listed(f) && f.value == clean_text(f.raw); };
    for (auto& key : keys)
      if (Field* f = entry.find(key); f && !f->flagged() && !pinned(*f))
        set_flag(*f, flag::failed_rule,
                 failed + " from the same combined cell did not read as its field: lines may be misassigned");
  }
  apply_rules(entry, book, opts);
}

// Entry-level doubt: a row that holds almost nothing (specks in a blank
// ruled row, a smudge) or whose required fields are mostly empty is not an
// entry to accept field by field; a person looks at it.
void review_hollow_entry(Entry& e, const std::vector<FieldSpec>& specs) {
  if (e.needs_review) return;
  int filled = 0, required = 0, required_empty = 0;
  for (auto& f : e.fields) {
    if (f.key == "quyenSo" || f.key == "noiDangKy") continue;
    if (!clean_text(f.raw).empty()) ++filled;
  }
  for (auto& spec : specs) {
    if (!spec.required) continue;
    ++required;
    auto* f = e.find(spec.key);
    if (!f || clean_text(f->raw).empty()) ++required_empty;
  }
  if (filled <= 1) {
    e.needs_review = true;
    e.review_reason = "almost nothing read: a blank row or an unreadable entry";
  } else if (required > 1 && 2 * required_empty >= required) {
    e.needs_review = true;
    e.review_reason = std::to_string(required_empty) + " of " + std::to_string(required) + " required fields empty";
  }
}

namespace {

// "15" or "15/2015" -> (15, "/2015"); nullopt when the head is not a
// number of at most 6 digits (parse_entry_number's bound).
std::optional<std::pair<long, std::string>> entry_number(const std::string& v) {
  const size_t slash = v.find('/');
  const std::string head = v.substr(0, slash);
  if (head.empty() || head.size() > 6 || !std::all_of(head.begin(), head.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::pair{std::atol(head.c_str()), slash == std::string::npos ? std::string() : v.substr(slash)};
}

// Days since 1970 of a full date value ("yyyy-mm-dd"); nullopt for a
// year alone or anything else.
std::optional<long> iso_days(const std::string& v) {
  const auto day = day_of_value(v);
  if (!day || day->year_only()) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{day->y}, std::chrono::month{unsigned(day->m)},
                                        std::chrono::day{unsigned(day->d)}};
  if (!ymd.ok()) return std::nullopt;
  return long(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

void accept_by_neighbours(std::vector<Entry>& entries, const ValidateOptions& opts) {
  auto run_of = [&](const char* key) {
    std::vector<SequenceValue> run;
    for (auto& e : entries) {
      const Field* f = e.find(key);
      run.push_back(f ? SequenceValue{f->value, f->flag, f->raw} : SequenceValue{"", "missing", ""});
    }
    return run;
  };
  for (const char* key : {"so", "ngayDangKy"})
    for (size_t i : vouched_by_neighbours(key, run_of(key), opts.neighbour_days)) entries[i].find(key)->flag.clear();
  if (opts.neighbour_days <= 0) return;
  for (auto& [i, number] : filled_by_neighbours(run_of("so"))) {
    Field* f = entries[i].find("so");
    f->value = number;
    f->flag.clear();
  }
}

}  // namespace

void validate_page(ParsedPage& page, const std::vector<FieldSpec>& specs, const Lexicons& lex,
                   const BookContext& book, const ValidateOptions& opts) {
  for (auto& e : page.entries) {
    validate_entry(e, specs, lex, book, opts);
    review_hollow_entry(e, specs);
  }
  accept_by_neighbours(page.entries, opts);
}

std::vector<size_t> vouched_by_neighbours(std::string_view key, const std::vector<SequenceValue>& run, int max_days) {
  std::vector<size_t> out;
  if (max_days <= 0 || (key != "so" && key != "ngayDangKy")) return out;
  auto readable = [](const SequenceValue& v) { return v.flag.empty() || v.flag == flag::low_confidence; };
  for (size_t i = 1; i + 1 < run.size(); ++i) {
    const auto &above = run[i - 1], &x = run[i], &below = run[i + 1];
    if (x.flag != flag::low_confidence || !readable(above) || !readable(below)) continue;
    bool fits = false;
    if (key == "so") {
      auto a = entry_number(above.value), n = entry_number(x.value), b = entry_number(below.value);
      fits = a && n && b && n->first == a->first + 1 && b->first == n->first + 1 && a->second == n->second &&
             b->second == n->second;
    } else {
      auto a = iso_days(above.value), d = iso_days(x.value), b = iso_days(below.value);
      fits = a && d && b && *a <= *d && *d <= *b && *b - *a <= max_days;
    }
    if (fits) out.push_back(i);
  }
  return out;
}

std::vector<std::pair<size_t, std::string>> filled_by_neighbours(const std::vector<SequenceValue>& run) {
  std::vector<std::pair<size_t, std::string>> out;
  // Registers number their entries one by one: the reading only has to not
  // contradict the one number its neighbours leave (a serif face's digits
  // taken for signs and letters: "&S", "%2").
  auto number = [](const SequenceValue& v) -> std::optional<long> {
    const bool readable = v.flag.empty() || v.flag == flag::low_confidence;
    const auto n = readable ? entry_number(v.value) : std::nullopt;
    return n && n->second.empty() ? std::optional<long>(n->first) : std::nullopt;
  };
  for (size_t i = 1; i + 1 < run.size(); ++i) {
    const auto a = number(run[i - 1]), b = number(run[i + 1]);
    if (!starts_with(run[i].flag, flag::invalid) || !a || !b || *b != *a + 2) continue;
    const std::string n = std::to_string(*a + 1);
    std::vector<utf8proc_int32_t> read;
    auto p8 = reinterpret_cast<const utf8proc_uint8_t*>(run[i].raw.data());
    for (utf8proc_ssize_t left = utf8proc_ssize_t(run[i].raw.size()), k; left > 0; p8 += k, left -= k) {
      utf8proc_int32_t cp;
      if ((k = utf8proc_iterate(p8, left, &cp)) <= 0) break;
      if (cp != ' ' && cp != '.' && cp != ',' && cp != ':' && cp != '\'' && cp != '`') read.push_back(cp);
    }
    auto digit = [](utf8proc_int32_t c) { return c >= '0' && c <= '9'; };
    // As many signs, no digit that disagrees ("&S" for 85); or the number
    // itself with a tail of letters from a neighbouring cell ("84 s", "77T").
    bool fits = read.size() == n.size();
    for (size_t k = 0; fits && k < n.size(); ++k) fits = !digit(read[k]) || read[k] == n[k];
    bool tailed = read.size() > n.size() && !digit(read[n.size()]);
    for (size_t k = 0; tailed && k < n.size(); ++k) tailed = read[k] == n[k];
    if (fits || tailed) out.emplace_back(i, n);
  }
  return out;
}

std::vector<BookFlag> check_entry_numbers(const std::vector<EntryNumber>& in, const BookContext& book) {
  struct Num { size_t at; long n; };
  std::vector<Num> nums;
  std::vector<BookFlag> out;
  auto add = [&](size_t i, const std::string& detail) {
    for (auto& f : out)
      if (f.page == in[i].page && f.entry == in[i].entry) return;
    out.push_back({in[i].page, in[i].entry, "so", std::string(flag::failed_rule) + ": " + detail});
  };
  for (size_t i = 0; i < in.size(); ++i) {
    const auto number = entry_number(in[i].so);
    if (!number) continue;
    nums.push_back({i, number->first});
    if (!number->second.empty() && book.year > 0) {
      const std::string tail = number->second.substr(1);
      int y = std::atoi(tail.c_str());
      if (tail.size() == 2) y += book.year / 100 * 100;
      if (y != book.year) add(i, "entry number year differs from the book's year");
    }
  }
  std::map<long, std::vector<size_t>> seen;
  for (auto& x : nums) seen[x.n].push_back(x.at);
  for (auto& [n, at] : seen)
    if (at.size() > 1)
      for (auto i : at) add(i, "duplicate entry number " + std::to_string(n));
  for (size_t k = 1; k < nums.size(); ++k) {
    long prev = nums[k - 1].n, cur = nums[k].n;
    if (cur == prev + 1 || cur == prev) continue;  // in order, or a duplicate (flagged above)
    // Entries between them whose number did not read (their own field is
    // flagged) fill the gap exactly: 54, "55 `", 56 is in order.
    if (cur == prev + 1 + long(nums[k].at - nums[k - 1].at - 1)) continue;
    bool has_next = k + 1 < nums.size();
    if (has_next && nums[k + 1].n == prev + 2) {
      add(nums[k].at, "entry number out of sequence (expected " + std::to_string(prev + 1) + ")");
      ++k;  // the next one fits the sequence
    } else {
      add(nums[k].at, "entry numbers jump from " + std::to_string(prev) + " to " + std::to_string(cur));
    }
  }
  return out;
}

std::vector<BookFlag> validate_book(const std::vector<ParsedPage*>& pages, const BookContext& book) {
  std::vector<EntryNumber> nums;
  for (size_t p = 0; p < pages.size(); ++p) {
    if (!pages[p]) continue;
    for (auto& e : pages[p]->entries) {
      auto* f = e.find("so");
      nums.push_back({static_cast<int>(p + 1), e.index, f && f->flag.empty() ? f->value : std::string()});
    }
  }
  auto flags = check_entry_numbers(nums, book);
  for (auto& bf : flags) {
    auto* page = pages[static_cast<size_t>(bf.page - 1)];
    for (auto& e : page->entries)
      if (e.index == bf.entry)
        if (auto* f = e.find(bf.key); f && f->flag.empty()) f->flag = bf.flag;
  }
  return flags;
}

}  // namespace hotich::schema
