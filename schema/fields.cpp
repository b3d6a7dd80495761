#include "schema/fields.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <regex>
#include <set>
#include <vector>

#include "schema/text.hpp"

namespace hotich::schema {
namespace {

constexpr float kPerSubstitution = 0.9f;

Parsed fail(std::string_view raw, std::string error) {
  Parsed p;
  p.value = clean_text(raw);
  p.error = std::move(error);
  return p;
}

Parsed ambiguous(std::string_view raw, std::string error) {
  Parsed p = fail(raw, std::move(error));
  p.ambiguous = true;
  return p;
}

Parsed good(std::string value, float certainty, std::string note = {}) {
  Parsed p;
  p.ok = true;
  p.value = std::move(value);
  p.certainty = certainty;
  p.note = std::move(note);
  return p;
}

void add_note(Parsed& p, const std::string& n) {
  if (n.empty()) return;
  p.note += (p.note.empty() ? "" : "; ") + n;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The digit an OCR engine may have read as this ASCII letter, or 0.
char confusable_digit(char c) {
  switch (c) {
    case 'O': case 'o': case 'Q': case 'D': return '0';
    case 'l': case 'I': case 'i': case '|': case '!': return '1';
    case 'Z': case 'z': return '2';
    case 'S': case 's': return '5';
    case 'G': case 'b': return '6';
    case 'B': return '8';
    case 'g': return '9';
    default: return 0;
  }
}

// Replaces confusable letters by digits inside tokens (runs of non-space,
// non-separator bytes) that hold at least one real digit and nothing but
// digits and confusables. Returns the number of substitutions.
int repair_digits(std::string& s, std::string_view separators) {
  int subs = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && separators.find(s[j]) == std::string_view::npos) ++j;
    bool has_digit = false, only = j > i;
    for (size_t k = i; k < j; ++k) {
      if (is_digit(s[k])) has_digit = true;
      else if (!confusable_digit(s[k])) only = false;
    }
    if (has_digit && only)
      for (size_t k = i; k < j; ++k)
        if (!is_digit(s[k])) {
          s[k] = confusable_digit(s[k]);
          ++subs;
        }
    i = j + 1;
  }
  return subs;
}

float pow_sub(int subs) {
  float c = 1;
  for (int i = 0; i < subs; ++i) c *= kPerSubstitution;
  return c;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

std::string iso(int y, int m, int d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int now_year(const ParseOptions& o) { return o.current_year > 0 ? o.current_year : current_year(); }

bool valid_ymd(int y, int m, int d, const ParseOptions& o) {
  return y >= o.min_year && y <= now_year(o) && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

// Expands a year written with 2 or 4 digits; 0 when not allowed.
int expand_year(const std::string& y, const ParseOptions& o, bool* two_digit) {
  *two_digit = false;
  if (y.size() == 4) return std::stoi(y);
  if (y.size() == 2 && o.reference_year > 0) {
    *two_digit = true;
    int yy = std::stoi(y);
    int r = o.reference_year - ((o.reference_year % 100) - yy + 100) % 100;
    return r;
  }
  return 0;
}

// Vietnamese number words (ascii-folded tokens) -> value, or -1.
int number_from_words(const std::vector<std::string>& toks) {
  if (toks.empty()) return -1;
  if (toks.size() == 1 && std::all_of(toks[0].begin(), toks[0].end(), is_digit) && toks[0].size() <= 4)
    return std::stoi(toks[0]);
  static const std::pair<const char*, int> kDigits[] = {
      {"khong", 0}, {"mot", 1}, {"hai", 2}, {"ba", 3}, {"bon", 4}, {"tu", 4}, {"nam", 5}, {"lam", 5},
      {"nham", 5}, {"sau", 6}, {"bay", 7}, {"bav", 7}, {"tam", 8}, {"chin", 9}};
  int total = 0, section = 0, last = -1;
  bool any = false;
  for (auto& t : toks) {
    int d = -1;
    for (auto& [w, v] : kDigits)
      if (t == w) d = v;
    if (d >= 0) {
      if (last >= 0) return -1;  // two digit words in a row
      last = d;
    } else if (t == "muoi") {
      section += last < 0 ? 10 : last * 10;  // "mười" alone is 10, "x mươi" is x tens
      last = -1;
    } else if (t == "tram") {
      if (last < 0) return -1;
      section += last * 100;
      last = -1;
    } else if (t == "nghin" || t == "ngan") {
      section += last < 0 ? 0 : last;
      if (section == 0) return -1;
      total += section * 1000;
      section = 0;
      last = -1;
    } else if (t == "linh" || t == "le") {
      continue;
    } else {
      return -1;
    }
    any = true;
  }
  if (!any) return -1;
  if (last >= 0) section += last;
  return total + section;
}

std::vector<std::string> ascii_tokens(std::string_view s) {
  std::string a = ascii_fold(s);
  for (auto& c : a)
    if (c == ',' || c == ':' || c == '.' || c == ';') c = ' ';
  // A label glued to its number ("ngày30 tháng4"): the engine drops a
  // narrow space before digits.
  std::vector<std::string> out;
  for (auto& w : words(a)) {
    out.push_back(w);
    for (std::string_view label : {"ngay", "thang", "nam"})
      if (w.size() > label.size() && w.starts_with(label) && is_digit(w[label.size()])) {
        out.back() = label;
        out.push_back(w.substr(label.size()));
        break;
      }
  }
  return out;
}

Parsed parse_date_words(std::string_view text, const ParseOptions& o) {
  auto toks = ascii_tokens(text);
  // Digit tokens may carry OCR letter confusions.
  int subs = 0;
  for (auto& t : toks) subs += repair_digits(t, "");
  size_t i = 0;
  // "ngày" opens the date; a short word a slip or two away from it before
  // the day's number ("gầy 21 tháng 11") is that label misread, not part
  // of the value.
  bool label_misread = false;
  if (i < toks.size() && toks[i] == "ngay") {
    ++i;
  } else if (toks.size() > 2 && toks[0].size() <= 5 && std::none_of(toks[0].begin(), toks[0].end(), is_digit) &&
             edit_distance(toks[0], "ngay") <= 2 && std::all_of(toks[1].begin(), toks[1].end(), is_digit)) {
    ++i;
    label_misread = true;
  }
  if (i < toks.size() && (toks[i] == "mong" || toks[i] == "mung")) ++i;
  auto th = std::find(toks.begin() + static_cast<long>(i), toks.end(), "thang");
  if (th == toks.end()) return fail(text, "no 'tháng' in a date in words");
  // The day's or the month's number alone between its labels, read as
  // letters only ("tháng Š năm", "ngày II tháng"): the labels say a number
  // stands there, and no day or month name is one or two such letters.
  auto slot_digits = [&](size_t at) {
    if (at >= toks.size() || toks[at].empty() || toks[at].size() > 2) return;
    std::string& t = toks[at];
    if (std::all_of(t.begin(), t.end(), [](char c) { return confusable_digit(c) != 0; })) {
      for (char& c : t) c = confusable_digit(c);
      subs += int(t.size());
    }
  };
  const size_t th_at = static_cast<size_t>(th - toks.begin());
  if (th_at == i + 1) slot_digits(i);
  if (th_at + 2 < toks.size() && toks[th_at + 2] == "nam") slot_digits(th_at + 1);
  std::vector<std::string> day(toks.begin() + static_cast<long>(i), th);
  int d = number_from_words(day);
  if (d < 1) return fail(text, "unreadable day");
  size_t t = th_at + 1;
  std::set<std::string> found;
  for (size_t k = t + 1; k < toks.size(); ++k) {
    if (toks[k] != "nam") continue;  // "năm" both marks the year and means five
    std::vector<std::string> mt(toks.begin() + static_cast<long>(t), toks.begin() + static_cast<long>(k));
    std::vector<std::string> yt(toks.begin() + static_cast<long>(k) + 1, toks.end());
    int m = mt.size() == 1 && mt[0] == "gieng" ? 1 : mt.size() == 1 && mt[0] == "chap" ? 12 : number_from_words(mt);
    int y = number_from_words(yt);
    if (valid_ymd(y, m, d, o)) found.insert(iso(y, m, d));
  }
  if (found.empty()) return fail(text, "not a calendar date");
  if (found.size() > 1) return ambiguous(text, "several readings of the date in words");
  Parsed p = good(*found.begin(), pow_sub(subs) * (label_misread ? 0.9f : 1.0f));
  if (subs) add_note(p, "letters read as digits");
  if (label_misread) {
    add_note(p, "'ngày' misread");
    p.replaced_words = {words(text)[0]};  // a label word: its doubt is not the value's
  }
  p.repaired = subs > 0;
  return p;
}

Parsed parse_date_numeric(std::string_view text, const ParseOptions& o) {
  std::string s = clean_text(text);
  int subs = repair_digits(s, "/.-");
  // Digit groups between separators; spaces inside a group are dropped only
  // beside separators ("05 / 03 / 2009"), else they separate groups too.
  std::vector<std::string> groups;
  std::string cur;
  for (char c : s) {
    if (is_digit(c)) {
      cur.push_back(c);
    } else if (c == '/' || c == '.' || c == '-' || c == ' ') {
      if (!cur.empty()) groups.push_back(std::move(cur));
      cur.clear();
    } else {
      return fail(text, "unexpected character in a date");
    }
  }
  if (!cur.empty()) groups.push_back(std::move(cur));
  if (groups.empty() || groups.size() > 3) return fail(text, "not a date");
  // Split points fixed by separators; missing ones are searched.
  std::string all;
  std::vector<size_t> bounds;
  for (auto& g : groups) {
    all += g;
    bounds.push_back(all.size());
  }
  bounds.pop_back();
  std::set<std::string> found;
  bool two_digit_any = false;
  for (size_t a = 1; a <= 2 && a < all.size(); ++a)
    for (size_t b = a + 1; b <= a + 2 && b < all.size(); ++b) {
      // every written separator must be one of the split points a, b
      bool ok = std::all_of(bounds.begin(), bounds.end(), [&](size_t x) { return x == a || x == b; });
      if (!ok) continue;
      std::string ys = all.substr(b);
      bool two = false;
      int y = expand_year(ys, o, &two);
      int d = std::stoi(all.substr(0, a)), m = std::stoi(all.substr(a, b - a));
      if (y && valid_ymd(y, m, d, o)) {
        found.insert(iso(y, m, d));
        two_digit_any |= two;
      }
    }
  if (found.empty()) {
    if (groups.size() == 3 && groups[2].size() == 2 && o.reference_year == 0)
      return fail(text, "two-digit year");
    return fail(text, "not a calendar date");
  }
  if (found.size() > 1) return ambiguous(text, "missing separator: several dates fit");
  Parsed p = good(*found.begin(), pow_sub(subs));
  p.repaired = subs > 0;
  if (subs) add_note(p, "letters read as digits");
  if (groups.size() < 3) {
    p.certainty *= 0.85f;
    add_note(p, "missing separator");
  }
  if (two_digit_any) {
    p.certainty *= 0.7f;
    add_note(p, "two-digit year expanded");
  }
  return p;
}

// Strips an OCR'd label ("Số:", "CMND/CCCD:") from the front of a value.
std::string strip_label(const std::string& s, std::initializer_list<const char*> labels) {
  std::string a = ascii_fold(s);
  if (length(a) != length(s)) return s;
  for (const char* l : labels) {
    std::string_view lv(l);
    if (a.size() >= lv.size() && a.compare(0, lv.size(), lv) == 0) {
      // cut the same number of code points from s
      size_t cps = lv.size(), pos = 0;
      while (cps > 0 && pos < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[pos]);
        pos += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        --cps;
      }
      std::string rest = s.substr(pos);
      size_t b = rest.find_first_not_of(" :.");
      return b == std::string::npos ? std::string() : rest.substr(b);
    }
  }
  return s;
}

// A closed-list value as the lists spell it: a full stop or comma after
// it ("Vợ.", "Kinh,") is the writer's punctuation, not part of the word.
std::string list_word(std::string_view raw) {
  std::string text = clean_text(raw);
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  return text;
}

Parsed from_match(std::string_view raw, const Match& m, const char* what) {
  std::string text = list_word(raw);
  bool upper = to_upper(text) == text && to_lower(text) != text;
  switch (m.kind) {
    // An alias is the list's name written another way ("Ba na", "Khmer"):
    // the record takes the name, as the Ministry's lists do.
    case MatchKind::exact:
      if (tone_key(m.name) == tone_key(m.spelling)) return good(text, 1.0f);
      return good(upper ? to_upper(m.name) : m.name, 1.0f, "'" + text + "' is written '" + m.name + "' in the list");
    case MatchKind::diacritics:
    case MatchKind::edit: {
      Parsed p = good(upper ? to_upper(m.name) : m.name, m.certainty(),
                      m.kind == MatchKind::edit ? "repaired by spelling" : "repaired diacritics");
      p.repaired = true;
      // A one-word value's low score is the slipped stroke's, which the
      // repair has explained: it is not held against the list's spelling.
      if (m.stroke_slip && words(text).size() == 1) p.replaced_words = {text};
      return p;
    }
    case MatchKind::ambiguous: {
      std::string c;
      for (auto& x : m.candidates) c += (c.empty() ? "" : " | ") + x;
      return ambiguous(raw, "several " + std::string(what) + " fit: " + c);
    }
    case MatchKind::none: break;
  }
  return fail(raw, std::string("not a known ") + what);
}

// No letter or digit in s: punctuation, symbols and modifier marks only.
bool only_marks(std::string_view s) {
  auto p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    const auto cat = utf8proc_category(cp);
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO && cat != UTF8PROC_CATEGORY_LM) ||
        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO))
      return false;
    p += n, left -= n;
  }
  return true;
}

bool is_name_char(utf8proc_int32_t cp) {
  auto cat = utf8proc_category(cp);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME);
}

}  // namespace

int current_year() {
  auto now = std::chrono::system_clock::now();
  std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(now)};
  return static_cast<int>(ymd.year());
}

Parsed parse_date(std::string_view raw, const ParseOptions& opts) {
  std::string text = clean_text(raw);
  // The engine writes some slashes as the fraction or division slash.
  for (const std::string_view slash : {std::string_view("\u2044"), std::string_view("\u2215")}) {
    std::string out;
    size_t from = 0;
    for (size_t at = text.find(slash); at != std::string::npos; from = at + slash.size(), at = text.find(slash, from)) {
      out.append(text, from, at - from);
      out += '/';
    }
    out.append(text, from);
    text = std::move(out);
  }
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  if (text.empty()) return fail(raw, "empty");
  auto toks = ascii_tokens(text);
  if (std::find(toks.begin(), toks.end(), "thang") != toks.end()) return parse_date_words(text, opts);
  // "Ngày 05/03/2009": a leading "ngày" before a numeric date.
  std::string rest = strip_label(text, {"ngay "});
  return parse_date_numeric(rest, opts);
}

Parsed parse_year_or_date(std::string_view raw, const ParseOptions& opts) {
  std::string text = clean_text(raw);
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  if (text.empty()) return fail(raw, "empty");
  std::string y = strip_label(text, {"nam sinh", "nam"});
  std::string digits = y;
  int subs = repair_digits(digits, "");
  if (digits.size() == 4 && std::all_of(digits.begin(), digits.end(), is_digit)) {
    int v = std::stoi(digits);
    if (v < opts.min_year || v > now_year(opts)) return fail(raw, "year out of range");
    Parsed p = good(digits, pow_sub(subs), subs ? "letters read as digits" : "");
    p.repaired = subs > 0;
    return p;
  }
  return parse_date(text, opts);
}

Parsed parse_gender(std::string_view raw) {
  std::string text = clean_text(raw);
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  if (text.empty()) return fail(raw, "empty");
  std::string f = fold(text);
  if (f == "nam") return good("Nam", 1.0f);
  if (f == "nữ") return good("Nữ", 1.0f);
  std::string a = ascii_fold(text);
  a.erase(std::remove(a.begin(), a.end(), ' '), a.end());
  auto repaired = [](const char* v, float c, const char* note) {
    Parsed p = good(v, c, note);
    p.repaired = true;
    return p;
  };
  if (a == "nam") return repaired("Nam", 0.9f, "repaired diacritics");
  if (a == "nu") return repaired("Nữ", 0.9f, "repaired diacritics");
  if (length(a) >= 3) {
    int dn = edit_distance(a, "nam"), du = edit_distance(a, "nu");
    if (dn == 1 && du >= 2) return repaired("Nam", 0.75f, "repaired by spelling");
    if (du == 1 && dn >= 2) return repaired("Nữ", 0.75f, "repaired by spelling");
  }
  return fail(raw, "not Nam or Nữ");
}

std::optional<IdInfo> decode_cccd(std::string_view id) {
  if (id.size() != 12 || !std::all_of(id.begin(), id.end(), is_digit)) return std::nullopt;
  IdInfo info;
  info.province = std::stoi(std::string(id.substr(0, 3)));
  int c = id[3] - '0';
  info.female = c % 2 == 1;
  static const int kCentury[] = {1900, 2000, 2100, 2200, 1800};
  info.birth_year = kCentury[c / 2] + std::stoi(std::string(id.substr(4, 2)));
  return info;
}

IdCheck cross_check_id(std::string_view id, Sex sex, int birth_year) {
  auto info = decode_cccd(id);
  if (!info || (sex == Sex::unknown && birth_year == 0)) return IdCheck::not_applicable;
  if (sex != Sex::unknown && info->female != (sex == Sex::female)) return IdCheck::wrong_sex;
  if (birth_year != 0 && info->birth_year != birth_year) return IdCheck::wrong_year;
  return IdCheck::consistent;
}

Parsed parse_id_number(std::string_view raw, const Lexicons& lex, const ParseOptions& opts) {
  std::string text = clean_text(raw);
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  if (text.empty()) return fail(raw, "empty");
  text = strip_label(text, {"so cmnd/cccd", "cmnd/cccd", "so cccd", "so cmnd", "cccd", "cmnd", "so dinh danh", "so "});
  // Groups may be split by spaces, dots or dashes; confusions are repaired
  // per group, so "O12" is fixed but a word such as "Số" is not a number.
  int subs = repair_digits(text, ".-");
  std::string digits;
  for (char c : text) {
    if (is_digit(c)) digits.push_back(c);
    else if (c != ' ' && c != '.' && c != '-') return fail(raw, "not an ID number");
  }
  if (digits.size() != 9 && digits.size() != 12)
    return fail(raw, "an ID has 9 (CMND) or 12 (CCCD) digits, not " + std::to_string(digits.size()));
  Parsed p = good(digits, pow_sub(subs), subs ? "letters read as digits" : "");
  p.repaired = subs > 0;
  if (digits.size() == 12) {
    auto info = decode_cccd(digits);
    if (!lex.is_province_code(info->province)) return fail(raw, "CCCD does not start with a province code");
    if (info->birth_year > now_year(opts) || info->birth_year < opts.min_year)
      return fail(raw, "CCCD encodes an impossible year of birth");
  }
  return p;
}

Parsed parse_entry_number(std::string_view raw) {
  std::string text = clean_text(raw);
  // A speck after the number reads as a word of marks ("55 `", "120/2021 ˆ").
  for (size_t sp; (sp = text.rfind(' ')) != std::string::npos && only_marks(std::string_view(text).substr(sp + 1));)
    text.erase(sp);
  while (!text.empty() && (text.back() == '.' || text.back() == ',')) text.pop_back();
  if (text.empty()) return fail(raw, "empty");
  text = strip_label(text, {"so:", "so ", "so.", "no.", "no "});
  int subs = repair_digits(text, "/");
  std::string out;
  for (char c : text)
    if (is_digit(c) || c == '/') out.push_back(c);
    else if (c != ' ') return fail(raw, "not an entry number");
  auto slash = out.find('/');
  std::string num = out.substr(0, slash);
  if (num.empty() || num.size() > 6) return fail(raw, "not an entry number");
  // Entries count from 1: "0" (or "0/2018") is a number that lost a digit.
  if (num.find_first_not_of('0') == std::string::npos) return fail(raw, "no entry is numbered 0");
  if (slash != std::string::npos) {
    std::string tail = out.substr(slash + 1);
    if (tail.empty() || tail.find('/') != std::string::npos || tail.size() > 4)
      return fail(raw, "not an entry number");
  }
  Parsed p = good(out, pow_sub(subs), subs ? "letters read as digits" : "");
  p.repaired = subs > 0;
  return p;
}

Parsed parse_book_number(std::string_view raw) {
  std::string text = strip_label(clean_text(raw), {"quyen so:", "quyen so", "quyen:", "quyen"});
  std::string out;
  auto p8 = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  for (utf8proc_ssize_t left = utf8proc_ssize_t(text.size()), n; left > 0; p8 += n, left -= n) {
    utf8proc_int32_t cp;
    if ((n = utf8proc_iterate(p8, left, &cp)) <= 0) return fail(raw, "not a book number (NN/YYYY)");
    if (cp == 0x2044 || cp == 0x2215 || cp == 0xFF0F) cp = '/';  // fraction, division, full-width slash
    if (cp == ' ') continue;
    if (cp > 0x7F) return fail(raw, "not a book number (NN/YYYY)");
    out.push_back(char(cp));
  }
  static const std::regex shape(R"(^\d{1,3}/(18|19|20)\d\d$)");
  if (!std::regex_match(out, shape)) return fail(raw, "not a book number (NN/YYYY)");
  return good(out, 1);
}

Parsed parse_name(std::string_view raw, const Lexicons& lex, const ParseOptions& opts) {
  std::string text = clean_text(raw);
  // Dot leaders and stray punctuation around the value are not the name.
  size_t b = text.find_first_not_of(" .:;,_-…");
  if (b == std::string::npos) return fail(raw, "empty");
  text = text.substr(b);
  while (!text.empty() && std::string_view(" .,;:_").find(text.back()) != std::string_view::npos) text.pop_back();
  // "…" is 3 bytes; a trailing one is stripped here.
  while (text.size() >= 3 && text.compare(text.size() - 3, 3, "…") == 0) text.resize(text.size() - 3);
  text = clean_text(text);
  if (text.empty()) return fail(raw, "empty");
  // Character check, code point by code point.
  auto p8 = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(p8, left, &cp);
    if (n <= 0) return fail(raw, "invalid UTF-8");
    if (cp >= '0' && cp <= '9') return fail(raw, "digits in a name");
    if (!is_name_char(cp) && cp != ' ' && cp != '-' && cp != '\'' && cp != 0x2019)
      return fail(raw, "unexpected character in a name");
    p8 += n;
    left -= n;
  }
  Parsed p = good(text, 1.0f);
  auto ws = words(text);
  if (opts.vietnamese_name) {
    for (auto& w : ws) {
      // Split hyphenated and apostrophe forms ("Ksor H'Bia", "Khơ-me").
      std::string part;
      std::vector<std::string> syl;
      for (size_t i = 0; i <= w.size(); ++i) {
        bool cut = i == w.size() || w[i] == '-' || w[i] == '\'';
        if (!cut && i + 2 < w.size() && w.compare(i, 3, "\u2019") == 0) {
          syl.push_back(part);
          part.clear();
          i += 2;
          continue;
        }
        if (cut) {
          syl.push_back(part);
          part.clear();
        } else {
          part.push_back(w[i]);
        }
      }
      bool apostrophe = syl.size() > 1;
      for (size_t k = 0; k < syl.size(); ++k) {
        auto& s = syl[k];
        if (s.empty()) continue;
        // "H'", "Y'", "K'" prefixes of minority names are single letters.
        if (apostrophe && k == 0 && length(s) == 1) continue;
        if (!is_vietnamese_syllable(s) && !lex.is_minority_syllable(s)) {
          p.certainty *= 0.5f;
          add_note(p, "'" + s + "' is not a Vietnamese syllable");
          break;
        }
      }
    }
  }
  if (ws.size() == 1) {
    p.certainty *= 0.6f;
    add_note(p, "single word");
  }
  // "Văn" and "Thị" are the middle names of most men and women and almost
  // never a given name: a name ending with one ("HOÀNG VĂN") has lost its
  // given name, most often on a wrapped line not read with it.
  if (opts.vietnamese_name && ws.size() >= 2) {
    const std::string last = to_lower(ws.back());
    if (last == "văn" || last == "thị") {
      p.certainty *= 0.5f;
      add_note(p, "ends with the middle name '" + ws.back() + "': the given name may be lost");
    }
  }
  int used = 0;
  auto sm = lex.match_surname(text, &used);
  // A capital whose tone mark is stacked over ^ or ˘ is where the engine
  // slips ("NGUYỄN" read "NGUYÊN", "HỒ" read "HỖ"). When the read surname is
  // no listed one and exactly one listed surname differs from it only in
  // that tone, the repair is unambiguous: the surname list is closed.
  std::vector<std::string> tone_fix;
  if (sm.kind != MatchKind::exact && opts.vietnamese_name && ws.size() >= 2 && ws[0] == to_upper(ws[0]) &&
      ws[0] != to_lower(ws[0]))
    tone_fix = lex.surname_tone_variants(ws[0]);
  if (tone_fix.size() == 1 && (has_stacked_tone(tone_fix[0]) || has_stacked_tone(ws[0]))) {
    p.value = to_upper(tone_fix[0]) + text.substr(ws[0].size());
    p.repaired = true;
    p.replaced_words = {ws[0]};
    p.certainty *= 0.9f;
    add_note(p, "surname '" + ws[0] + "' read as '" + tone_fix[0] + "' (a stacked tone mark misread)");
    used = 1;
  } else if (sm.kind == MatchKind::diacritics) {
    p.certainty *= 0.5f;
    add_note(p, "surname written without its diacritics ('" + sm.spelling + "')");
  } else if (sm.kind != MatchKind::exact && opts.vietnamese_name) {
    // Surnames are a short closed list (~150 cover nearly everyone), so
    // one outside it is more often a misread than a rare family name.
    p.certainty *= 0.65f;  // below the review threshold on its own
    add_note(p, "unknown surname");
  }
  // With a user-provided list of given names, a syllable no listed name
  // uses is more likely a misread mark ("Chỉ" for "Chi", "Cấm" for "Cẩm")
  // than a rare name: doubt it, never repair it.
  if (lex.has_given_names() && opts.vietnamese_name && used > 0 && size_t(used) < ws.size()) {
    std::string rest, unknown;
    for (size_t i = size_t(used); i < ws.size(); ++i) rest += (rest.empty() ? "" : " ") + ws[i];
    if (!lex.known_given_syllables(rest, &unknown)) {
      p.certainty *= 0.7f;
      add_note(p, "'" + unknown + "' is in no known given name");
    }
  }
  // On capitals the engine slips the tone of a stacked mark ("THỂ" for
  // "THẾ", "HIÊN" for "HIỀN"), or loses a dot below ("LÊ" for "LỆ"), into
  // another name just as plausible alone. Where the loaded names use the
  // syllable with the other tone four times as often or more, the rarer
  // reading is doubted, never repaired. (On 25 corpora: 16 such names
  // accepted before, 6 of them misread.) A common middle name read before
  // the given name ("THỊ", which given names spell "Thi") is no slip.
  if (lex.has_given_names() && opts.vietnamese_name && used > 0 && text == to_upper(text))
    for (size_t i = size_t(used); i < ws.size(); ++i) {
      if (i + 1 < ws.size() && lex.is_middle_name(ws[i])) continue;
      const std::string sib = lex.commoner_tone_sibling(ws[i], 4);
      if (!sib.empty() &&
          (has_stacked_tone(ws[i]) || has_stacked_tone(sib) || has_dot_below(ws[i]) != has_dot_below(sib))) {
        p.certainty *= 0.7f;
        add_note(p, "'" + ws[i] + "': '" + sib + "' is the far commoner name");
        break;
      }
    }
  // The engine's commonest slip is a tone mark, in any case ("Hiếu Lam" for
  // "Hiểu Lam", "Thành Vịnh" for "Thành Vinh"). A read middle and given
  // name that no listed name ends with, one tone mark or more from a pair
  // that one does, is doubted, never repaired: the list is not every name.
  // A common middle name read as itself is no slip into a listed given
  // name ("Thị Yến", "Quang Thông"; the lists spell "Thi Yến", "Quảng
  // Thông"). Measured in BENCHMARKS.md (fifteenth session): on 63
  // corpora, 9 of the 12 names accepted with a misread tone are doubted
  // now, and 56 names read right (0.07% of fields) go to review.
  if (lex.has_given_names() && opts.vietnamese_name && used > 0 && ws.size() >= size_t(used) + 2) {
    const std::string& middle = ws[ws.size() - 2];
    const std::string sib = lex.listed_tone_sibling_pair(middle, ws.back(), lex.is_middle_name(middle));
    if (!sib.empty()) {
      p.certainty *= 0.65f;  // below the review threshold on its own
      add_note(p, "'" + ws[ws.size() - 2] + " " + ws.back() + "' is no listed name; '" + sib + "' is");
    }
  }
  return p;
}

Parsed parse_place(std::string_view raw, const Lexicons& lex) {
  auto pm = lex.match_place(raw);
  if (pm.value.empty()) return fail(raw, "empty");
  // A place has a name: a number or marks alone ("4": a stamp's letter
  // read in an empty cell) name nothing.
  if (letter_count(pm.value) == 0) return fail(raw, "no name in the place");
  if (pm.ambiguous) {
    Parsed p = ambiguous(raw, pm.note);
    p.value = clean_text(raw);
    return p;
  }
  Parsed p = good(pm.value, pm.certainty, pm.note);
  p.repaired = pm.repaired;
  p.replaced_words = pm.replaced_words;
  // A place opens with a letter or a number. A mark before it ("'Thôn 6")
  // is a speck read as a quote, or what is left of a misread letter.
  utf8proc_int32_t first = 0;
  utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(p.value.data()), utf8proc_ssize_t(p.value.size()), &first);
  if (!is_name_char(first) && utf8proc_category(first) != UTF8PROC_CATEGORY_ND) {
    p.certainty *= 0.8f;
    add_note(p, "a mark before the place");
  }
  return p;
}

Parsed parse_ethnic(std::string_view raw, const Lexicons& lex) {
  if (clean_text(raw).empty()) return fail(raw, "empty");
  return from_match(raw, lex.match_ethnic(list_word(raw)), "ethnic group");
}
Parsed parse_nationality(std::string_view raw, const Lexicons& lex) {
  if (clean_text(raw).empty()) return fail(raw, "empty");
  return from_match(raw, lex.match_nationality(list_word(raw)), "nationality");
}
Parsed parse_relation(std::string_view raw, const Lexicons& lex) {
  if (clean_text(raw).empty()) return fail(raw, "empty");
  return from_match(raw, lex.match_relation(list_word(raw)), "relationship");
}

Parsed parse_text(std::string_view raw, const Lexicons* lex) {
  std::string text = clean_text(raw);
  Parsed p = good(text, 1.0f);
  if (text.empty()) return p;
  static const std::string_view kPunct = ".,;:-/()'\"!?%+&";
  int odd = 0;
  auto p8 = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(p8, left, &cp);
    if (n <= 0) { ++odd; n = 1; }
    else {
      auto cat = utf8proc_category(cp);
      bool fine = is_name_char(cp) || (cat == UTF8PROC_CATEGORY_ND) || cp == ' ' ||
                  (cp < 0x80 && kPunct.find(static_cast<char>(cp)) != std::string_view::npos);
      if (!fine) ++odd;
    }
    p8 += n;
    left -= n;
  }
  for (int i = 0; i < odd && p.certainty > 0.5f; ++i) p.certainty *= 0.85f;
  if (odd) {
    p.certainty = std::max(p.certainty, 0.5f);
    add_note(p, "unusual characters");
  }
  int bad = 0, n = 0;
  for (auto& w : words(text)) {
    std::string bare;
    for (char c : w)
      if (std::string_view(".,;:()\"!?").find(c) == std::string_view::npos) bare.push_back(c);
    if (bare.empty()) continue;
    ++n;
    bool num = std::any_of(bare.begin(), bare.end(), is_digit);
    bool known = lex && (lex->is_minority_syllable(bare) || lex->is_place_word(bare));
    if (!num && !known && !is_vietnamese_syllable(bare)) {
      bool all_parts = true;  // hyphenated words: each part a syllable
      size_t s = 0;
      while (s <= bare.size()) {
        size_t e = bare.find_first_of("-/", s);
        if (e == std::string::npos) e = bare.size();
        if (e > s && !is_vietnamese_syllable(bare.substr(s, e - s))) all_parts = false;
        s = e + 1;
      }
      if (!all_parts || bare.find_first_of("-/") == std::string::npos) ++bad;
    }
  }
  if (n > 0 && bad * 3 > n) {
    p.certainty *= 0.7f;
    add_note(p, "many words are not Vietnamese syllables");
  }
  return p;
}

Parsed parse_field(FieldType type, std::string_view raw, const Lexicons& lex, const ParseOptions& opts) {
  if (clean_text(raw).empty()) return good("", 1.0f);
  switch (type) {
    case FieldType::text: return parse_text(raw, &lex);
    case FieldType::entry_number: return parse_entry_number(raw);
    case FieldType::book_number: return parse_book_number(raw);
    case FieldType::name: return parse_name(raw, lex, opts);
    case FieldType::gender: return parse_gender(raw);
    case FieldType::date: return parse_date(raw, opts);
    case FieldType::year_or_date: return parse_year_or_date(raw, opts);
    case FieldType::place: return parse_place(raw, lex);
    case FieldType::ethnic: return parse_ethnic(raw, lex);
    case FieldType::nationality: return parse_nationality(raw, lex);
    case FieldType::relation: return parse_relation(raw, lex);
    case FieldType::id_number: return parse_id_number(raw, lex, opts);
  }
  return parse_text(raw, &lex);
}

}  // namespace hotich::schema
