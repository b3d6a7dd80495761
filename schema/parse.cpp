#include "schema/parse.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "schema/text.hpp"

namespace hotich::schema {
namespace detail {
namespace {

bool is_leader_char(std::string_view s, size_t i, size_t* len) {
  if (s[i] == '.' || s[i] == '_') {
    *len = 1;
    return true;
  }
  if (s.compare(i, 3, "\xE2\x80\xA6") == 0) {  // … (ellipsis)
    *len = 3;
    return true;
  }
  return false;
}

// Removes dot leaders ("......", "…", "____") at the ends of a word. A
// single trailing '.' is kept ("Huế."), a run of two or more goes.
std::string strip_leaders(std::string_view w) {
  size_t b = 0, len = 0, run = 0;
  while (b < w.size() && is_leader_char(w, b, &len)) {
    b += len;
    run += (len == 3 ? 2 : 1);
  }
  if (run < 2 && b < w.size()) b = 0;  // ".5" is not a leader
  size_t e = w.size();
  run = 0;
  while (e > b) {
    size_t k = e - 1;
    if (w[k] == '.' || w[k] == '_') {
      --e;
      ++run;
      continue;
    }
    if (e >= b + 3 && w.compare(e - 3, 3, "\xE2\x80\xA6") == 0) {
      e -= 3;
      run += 2;
      continue;
    }
    break;
  }
  if (run < 2 && e > b) e = w.size();
  return std::string(w.substr(b, e - b));
}

// A table rule read as a glyph ("|", "¦") at a word's edge: never part of a
// register value.
std::string_view strip_rules(std::string_view w) {
  auto rule = [](std::string_view s, bool front) {
    if (s.empty()) return size_t(0);
    if ((front ? s.front() : s.back()) == '|') return size_t(1);
    std::string_view b = "\xC2\xA6";  // ¦
    if (s.size() >= 2 && (front ? s.substr(0, 2) : s.substr(s.size() - 2)) == b) return size_t(2);
    return size_t(0);
  };
  while (size_t n = rule(w, true)) w.remove_prefix(n);
  while (size_t n = rule(w, false)) w.remove_suffix(n);
  return w;
}

// "———", "-_-", "~~": the stroke that closes an unused row or cell, read
// as dashes. Never a value on its own.
bool is_strike(std::string_view w) {
  for (size_t i = 0; i < w.size();) {
    if (w[i] == '-' || w[i] == '_' || w[i] == '~' || w[i] == '=' || w[i] == '.') {
      ++i;
    } else if (w.compare(i, 3, "\xE2\x80\x94") == 0 || w.compare(i, 3, "\xE2\x80\x93") == 0) {  // — –
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

bool digit_at(std::string_view s, size_t i) { return i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); }

}  // namespace

ocr::Box unite(const ocr::Box& a, const ocr::Box& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

std::vector<Piece> pieces_of(const ocr::Line& line, int line_index) {
  std::vector<ocr::Word> words = line.words;
  if (words.empty())
    for (auto& w : schema::words(line.text)) words.push_back({w, line.conf, line.box});
  // The height of the line's words that have a letter or a digit (median).
  std::vector<int> heights;
  for (auto& w : words)
    if (std::any_of(w.text.begin(), w.text.end(), [](unsigned char c) { return std::isalnum(c) || c >= 0x80; }))
      heights.push_back(w.box.h);
  std::sort(heights.begin(), heights.end());
  const int letter_h = heights.empty() ? 0 : heights[heights.size() / 2];
  std::vector<Piece> out;
  for (auto& w : words) {
    std::string t = nfc(w.text);
    // A mark or two ("." "_"), with no confidence, but as tall as the
    // line's letters and as wide as one: a word the engine could not read
    // (the "Lê" of "Lê Kim Hằng" run into a rule's remnant read as "."),
    // not a leader's run of dots or a strike. It stays, so its score counts.
    if (const std::string kept = strip_leaders(strip_rules(t));
        (kept.empty() || is_strike(kept)) && !t.empty() && length(t) <= 2 && letter_h > 0 && w.conf < 50 &&
        w.box.h >= letter_h && 2 * w.box.w >= letter_h) {
      out.push_back({t, w.conf, w.box, false, line_index});
      continue;
    }
    // Split at colons that end a label; "10:30" keeps its colon.
    size_t start = 0;
    for (size_t i = 0; i <= t.size(); ++i) {
      bool cut = i == t.size() || (t[i] == ':' && !(digit_at(t, i + 1) && i > 0 && digit_at(t, i - 1)));
      if (!cut) continue;
      std::string part = strip_leaders(strip_rules(std::string_view(t).substr(start, i - start)));
      if (!part.empty() && !is_strike(part)) out.push_back({part, w.conf, w.box, false, line_index});
      if (i < t.size() && !out.empty() && out.back().line == line_index) out.back().colon_after = true;
      start = i + 1;
    }
  }
  return out;
}

Field make_field(const std::string& key, const std::vector<Piece>& pieces) {
  Field f;
  f.key = key;
  std::string text;
  // A field is as doubtful as its most doubtful word: one misread syllable
  // makes the whole value wrong, and a mean over words would hide it
  // behind the clear ones.
  float conf = 100;
  for (auto& p : pieces) {
    if (!text.empty()) text += ' ';
    text += p.text;
    conf = std::min(conf, p.conf);
    f.box = unite(f.box, p.box);
  }
  f.raw = clean_text(text);
  // Separators left over from "A, B" splits and label punctuation.
  while (!f.raw.empty() && (f.raw.back() == ',' || f.raw.back() == ';' || f.raw.back() == ':')) f.raw.pop_back();
  while (!f.raw.empty() && (f.raw.front() == ',' || f.raw.front() == ';' || f.raw.front() == ':' || f.raw.front() == '-'))
    f.raw.erase(0, 1);
  f.raw = clean_text(f.raw);
  f.conf = pieces.empty() ? 1.0f : std::clamp(conf / 100.0f, 0.0f, 1.0f);
  // Per word only while the words of raw are the pieces one for one (a
  // separator piece trimmed off above breaks the pairing).
  if (words(f.raw).size() == pieces.size())
    for (auto& p : pieces) f.word_conf.push_back(std::clamp(p.conf / 100.0f, 0.0f, 1.0f));
  return f;
}

namespace {

struct TextStats {
  int digits = 0, letters = 0, words = 0;
  bool year = false;  // a run of 4 digits, or a d/m/y date
};

TextStats stats(const std::vector<Piece>& ps, size_t b, size_t e) {
  TextStats s;
  for (size_t i = b; i < e; ++i) {
    ++s.words;
    int run = 0;
    for (unsigned char c : ps[i].text) {
      if (std::isdigit(c)) {
        ++s.digits;
        if (++run == 4) s.year = true;
      } else {
        run = 0;
        if (std::isalpha(c) || c >= 0xC0) ++s.letters;  // a UTF-8 lead byte = one letter
      }
    }
  }
  return s;
}

// How well pieces [b, e) spanning `lines` lines fit a field of type t: 0..1.
float fit(FieldType t, const std::vector<Piece>& ps, size_t b, size_t e) {
  if (b == e) return 0.3f;  // the page may leave a field empty
  TextStats s = stats(ps, b, e);
  int lines = 1;
  for (size_t i = b + 1; i < e; ++i) lines += ps[i].line != ps[i - 1].line;
  float wrap = 0.4f * float(lines - 1);
  switch (t) {
    case FieldType::date:
    case FieldType::year_or_date: {
      if (!s.year || s.letters > 14) return 0.0f;
      // Words other than "ngày ... tháng ... năm" are another field's (a
      // wrapped name ending before the date).
      int alien = 0;
      for (size_t i = b; i < e; ++i) {
        std::string k = match_key(ps[i].text);
        bool digits = !k.empty() && std::all_of(k.begin(), k.end(), [](unsigned char c) { return std::isdigit(c) || c == ' '; });
        if (!k.empty() && !digits && k != "ngay" && k != "thang" && k != "nam") ++alien;
      }
      return 1.0f - wrap - 0.5f * float(alien);
    }
    case FieldType::id_number:
      return s.digits >= 8 && s.letters <= 6 ? 1.0f - wrap : 0.0f;
    case FieldType::name:
      if (s.digits > 0) return 0.0f;
      return (s.words >= 2 && s.words <= 6 ? 0.9f : 0.4f) - wrap;
    case FieldType::ethnic:
    case FieldType::nationality:
    case FieldType::relation:
    case FieldType::gender:
      if (s.digits > 0) return 0.0f;
      return (s.words <= 3 ? 0.8f : 0.2f) - wrap;
    case FieldType::place: {
      if (s.letters == 0) return 0.0f;
      // An address opens with a word ("Thôn 9", "Số 12"), never with a
      // year: that is the line of the date before it ("1996" over "Kinh").
      TextStats first = stats(ps, b, b + 1);
      return first.year && first.letters == 0 ? 0.2f : 0.6f;  // addresses wrap freely
    }
    case FieldType::entry_number:
    case FieldType::book_number:
      return s.digits > 0 && s.words <= 2 ? 0.9f : 0.0f;
    case FieldType::text:
      return 0.5f;
  }
  return 0.5f;
}

// Bonus for ending a group before piece i: a line break or a comma is where
// a writer separates fields; mid-line without punctuation is unlikely.
float cut_bonus(const std::vector<Piece>& ps, size_t i) {
  if (i == 0 || i >= ps.size()) return 0;
  if (ps[i].line != ps[i - 1].line) return 0.3f;
  char last = ps[i - 1].text.empty() ? ' ' : ps[i - 1].text.back();
  if (last == ',' || last == ';' || ps[i - 1].colon_after) return 0.2f;
  // Such a cut costs more than filling an empty field gains (fit 0.3
  // empty, 0.6 for one word of a place): a cell whose last line faded
  // away must not fill it with a word cut off the line above ("Việt Nam"
  // read as the nationality "Việt" and the residence "Nam", and the
  // cell's other values doubted for it).
  return -0.5f;
}

}  // namespace

bool flag_cut_off(Field& f, const std::vector<Piece>& pieces) {
  if (pieces.empty() || !pieces.back().text.ends_with(",")) return false;
  f.conf = 0;
  f.word_conf.clear();  // no word's confidence may lift it back
  f.flag = std::string(flag::low_confidence) + ": the value ends with a comma; its next line was not found";
  return true;
}

std::vector<Field> split_combined(const std::vector<std::string>& keys, const std::vector<Piece>& ps,
                                  const std::vector<FieldSpec>& specs) {
  std::vector<FieldType> types;
  for (auto& k : keys) {
    FieldType t = FieldType::text;
    for (auto& s : specs)
      if (s.key == k) t = s.type;
    types.push_back(t);
  }
  const size_t K = keys.size(), U = ps.size();
  int lines = U ? 1 : 0;
  for (size_t i = 1; i < U; ++i) lines += ps[i].line != ps[i - 1].line;

  // score[k][u] = best total for keys [0, k) over pieces [0, u).
  const float none = -1e9f;
  std::vector<std::vector<float>> score(K + 1, std::vector<float>(U + 1, none));
  std::vector<std::vector<size_t>> from(K + 1, std::vector<size_t>(U + 1, 0));
  score[0][0] = 0;
  for (size_t k = 0; k < K; ++k)
    for (size_t u = 0; u <= U; ++u) {
      if (score[k][u] == none) continue;
      for (size_t v = u; v <= U; ++v) {
        // The last group takes the rest; earlier groups end at a cut.
        if (k + 1 == K && v != U) continue;
        float s = score[k][u] + fit(types[k], ps, u, v) + (v > u && v < U ? cut_bonus(ps, v) : 0.0f);
        if (s > score[k + 1][v]) {
          score[k + 1][v] = s;
          from[k + 1][v] = u;
        }
      }
    }
  std::vector<std::pair<size_t, size_t>> spans(K);
  for (size_t k = K, v = U; k > 0; --k) {
    size_t u = from[k][v];
    spans[k - 1] = {u, v};
    v = u;
  }
  std::vector<Field> out;
  bool weak = false;
  for (size_t k = 0; k < K; ++k) {
    auto [u, v] = spans[k];
    if (v > u && fit(types[k], ps, u, v) < 0.3f) weak = true;
  }
  // One line per key is the written convention; anything else is a repair,
  // a cut inside a line too, where the count of lines matches by chance (a
  // faded line, an address wrapped: "Thôn Trung," cut off its line as
  // the ethnic group).
  bool mid_line = false;
  for (auto [u, v] : spans) mid_line |= v > u && v < U && ps[v].line == ps[v - 1].line;
  bool uncertain = weak || mid_line || (lines != int(K) && lines > 0);
  bool lineless = false;  // a key got no line: validate_entry doubts its siblings' repairs
  for (auto [u, v] : spans) lineless |= v == u && U > 0;
  for (size_t k = 0; k < K; ++k) {
    auto [u, v] = spans[k];
    Field f = make_field(keys[k], std::vector<Piece>(ps.begin() + long(u), ps.begin() + long(v)));
    if (v == u && U > 0) {
      // The cell names this field and holds text, but no part of it reads
      // as this field: a lost or unreadable line, never a value to accept
      // as empty.
      f.conf = 0;
      f.flag = std::string(flag::unreadable) + ": no line of the combined cell reads as this field";
      out.push_back(std::move(f));
      continue;
    }
    // The cell's keys in the note tell validation which fields were split
    // from one cell (validate_entry doubts them together).
    if (uncertain && (weak || v > u))
      f.flag = std::string(flag::ambiguous_repair) + ": " + std::to_string(lines) + " lines for " +
               std::to_string(K) + " fields (" + keys.front() + ".." + keys.back() + ")" +
               (lineless ? std::string(kLinelessPart) : "");
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace detail

namespace {

int count_fields(const std::vector<Entry>& es) {
  int n = 0;
  for (auto& e : es)
    for (auto& f : e.fields) n += !f.raw.empty();
  return n;
}

void add_book_fields(std::vector<Entry>& entries, const PageHeader& header, const BookContext& book,
                     const std::vector<ocr::Line>& lines) {
  auto fill = [&](Entry& e, const char* key, const std::string& from_book, const std::string& from_page) {
    if (const Field* f = e.find(key); f && !f->raw.empty()) return;
    Field f;
    f.key = key;
    if (!from_book.empty()) {
      f.raw = from_book;
      f.conf = 1;
    } else if (!from_page.empty()) {
      f.raw = from_page;
      f.conf = 0.9f;
      // The header words that said it, for the box and a real confidence:
      // the value is judged by its own words (as make_field does), not by
      // the line's mean, which a clear title or label would lift.
      f.conf = 0;  // not found on the page: nothing vouches for it
      for (size_t li = 0; li < lines.size(); ++li) {
        if (clean_text(lines[li].text).find(from_page) == std::string::npos &&
            (li + 1 >= lines.size() ||
             clean_text(lines[li].text + " " + lines[li + 1].text).find(from_page) == std::string::npos))
          continue;
        // The value may wrap onto the next line (a long authority).
        std::vector<detail::Piece> ps = detail::pieces_of(lines[li], int(li));
        if (li + 1 < lines.size()) {
          auto next = detail::pieces_of(lines[li + 1], int(li + 1));
          ps.insert(ps.end(), next.begin(), next.end());
        }
        // Unplaced: as doubtful as the line's most doubtful word.
        f.conf = detail::make_field(key, ps).conf;
        f.box = lines[li].box;
        // The value's words, in order, as a run of pieces ("01 / 2015" is
        // read as "01/2015").
        auto squeeze = [](std::string t) {
          std::erase(t, ' ');
          return t;
        };
        const std::string target = squeeze(from_page);
        bool found = false;
        for (size_t s = 0; s < ps.size() && !found; ++s) {
          std::string run;
          for (size_t e = s; e < ps.size() && run.size() < target.size(); ++e) {
            run += squeeze(ps[e].text);
            if (run != target) continue;
            Field g = detail::make_field(key, std::vector<detail::Piece>(ps.begin() + long(s), ps.begin() + long(e + 1)));
            f.box = g.box;
            f.conf = g.conf;
            found = true;
            break;
          }
        }
        break;
      }
    } else {
      return;
    }
    if (Field* old = e.find(key))
      *old = f;
    else
      e.fields.push_back(f);
  };
  for (auto& e : entries) {
    fill(e, "quyenSo", book.quyenSo, header.quyenSo);
    fill(e, "noiDangKy", book.noiDangKy, header.noiDangKy);
  }
}

struct Attempt {
  std::string layout;
  std::vector<Entry> entries;
  std::vector<std::string> notes;
  std::vector<ColumnPlan> plans;
  int score = -1;
};

Attempt read_as(const ocr::Page& page, const FormSet& forms, BookType type, const std::vector<ColumnPlan>& known) {
  Attempt a;
  // Tables top to bottom; a ledger page may be split over two tables.
  std::vector<const ocr::Table*> tables;
  for (auto& t : page.tables) tables.push_back(&t);
  std::sort(tables.begin(), tables.end(), [](auto* x, auto* y) { return x->box.y < y->box.y; });
  int mapped = 0;
  for (auto* t : tables) {
    LedgerParse lp = parse_ledger(*t, forms, type, known);
    if (lp.mapped_columns() < 2 || t->rows() < 2) {
      a.notes.push_back("table at y=" + std::to_string(t->box.y) + " not a ledger (" +
                        std::to_string(lp.mapped_columns()) + " columns mapped)");
      continue;
    }
    mapped += lp.mapped_columns();
    a.plans.push_back(std::move(lp.plan));
    for (auto& e : lp.entries) {
      e.index = int(a.entries.size()) + 1;
      a.entries.push_back(std::move(e));
    }
    a.notes.insert(a.notes.end(), lp.notes.begin(), lp.notes.end());
  }
  if (mapped > 0) {
    a.layout = "ledger";
    a.score = mapped * 10 + count_fields(a.entries);
    return a;
  }
  FormParse fp = parse_form(page.lines, forms, type);
  a.plans.clear();
  a.layout = "form";
  a.entries = std::move(fp.entries);
  a.notes.insert(a.notes.end(), fp.notes.begin(), fp.notes.end());
  a.score = fp.labels * 10 + count_fields(a.entries);
  return a;
}

}  // namespace

int LedgerParse::mapped_columns() const {
  int n = 0;
  for (auto& c : columns) n += !c.keys.empty();
  return n;
}

ParsedPage parse_page(const ocr::Page& page, const FormSet& forms, const BookContext& book,
                      std::vector<std::string>* notes, const std::vector<ColumnPlan>& known_plans) {
  ParsedPage out;
  out.header = parse_page_header(page.lines, forms);
  BookType type = book.type != BookType::unknown ? book.type : out.header.book_type;
  Attempt best;
  if (type != BookType::unknown) {
    best = read_as(page, forms, type, known_plans);
  } else {
    // No book.json and no readable title: the definitions that explain the
    // page best decide.
    for (BookType t : {BookType::khai_sinh, BookType::ket_hon, BookType::khai_tu}) {
      Attempt a = read_as(page, forms, t, known_plans);
      if (a.score > best.score) {
        best = std::move(a);
        type = t;
      }
    }
    best.notes.push_back(std::string("book type guessed from the page: ") + to_string(type));
  }
  if (out.header.book_type == BookType::unknown) out.header.book_type = type;
  out.layout = best.layout;
  out.entries = std::move(best.entries);
  out.plans = std::move(best.plans);
  add_book_fields(out.entries, out.header, book, page.lines);
  if (notes) notes->insert(notes->end(), best.notes.begin(), best.notes.end());
  return out;
}

}  // namespace hotich::schema
