// The lines above a ledger table or at the top of a form page: title,
// book number, registering authority, page number.
#include <algorithm>
#include <cctype>

#include "schema/lexicon.hpp"
#include "schema/parse.hpp"
#include "schema/text.hpp"

namespace hotich::schema {
namespace {

using detail::Piece;

// A header word matches when equal, or, from six letters on, one edit
// away: short words differ by one letter too often ("tháng"/"trang",
// "huyện"/"quyển").
bool word_close(const std::string& a, const std::string& b) {
  if (a == b) return true;
  return b.size() >= 6 && a[0] == b[0] && edit_distance(a, b) <= 1;
}

// Where one of the wordings occurs in the pieces: {start, end} or {-1, -1}.
// Only windows starting at or before max_start are tried; the earliest
// start wins, then the longest wording.
std::pair<int, int> find_wording(const std::vector<Piece>& ps, const std::vector<std::string>& wordings,
                                 int max_start) {
  std::vector<std::string> keys;
  for (auto& p : ps) keys.push_back(match_key(p.text));
  for (int s = 0; s < int(ps.size()) && s <= max_start; ++s) {
    std::pair<int, int> best{-1, -1};
    size_t best_len = 0;
    for (auto& w : wordings) {
      // Words of the wording against the next pieces' words (a piece may
      // hold several words: "CMND/CCCD").
      std::vector<std::string> ww;
      for (size_t i = 0, j; i < w.size(); i = j + 1) {
        j = w.find(' ', i);
        if (j == std::string::npos) j = w.size();
        ww.push_back(w.substr(i, j - i));
      }
      std::vector<std::string> got;
      int e = s;
      while (got.size() < ww.size() && e < int(ps.size())) {
        if (keys[size_t(e)].empty()) break;
        for (size_t i = 0, j; i < keys[size_t(e)].size(); i = j + 1) {
          j = keys[size_t(e)].find(' ', i);
          if (j == std::string::npos) j = keys[size_t(e)].size();
          got.push_back(keys[size_t(e)].substr(i, j - i));
        }
        ++e;
      }
      if (got.size() != ww.size()) continue;
      bool ok = true;
      for (size_t i = 0; i < ww.size() && ok; ++i) ok = word_close(got[i], ww[i]);
      if (ok && w.size() > best_len) {
        best = {s, e};
        best_len = w.size();
      }
    }
    if (best.first >= 0) return best;
  }
  return {-1, -1};
}

bool numberish(const std::string& t) {
  bool digit = false;
  for (unsigned char c : t) {
    if (std::isdigit(c)) digit = true;
    else if (c != '/' && c != '-' && c != '.' && c != ':' && c != ',') return false;
  }
  return digit;
}

std::string join(const std::vector<Piece>& ps, size_t b, size_t e) {
  std::string s;
  for (size_t i = b; i < e; ++i) s += (s.empty() ? "" : " ") + ps[i].text;
  return clean_text(s);
}

// "- 12 -", "— 12 —", "-12-": a page number alone on its line.
std::string dashed_number(const std::string& text) {
  std::string t = clean_text(text), digits;
  bool dash = false;
  for (size_t i = 0; i < t.size();) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    if (std::isdigit(c)) {
      if (!digits.empty() && i > 0 && !std::isdigit(static_cast<unsigned char>(t[i - 1]))) return "";
      digits += char(c);
      ++i;
    } else if (c == '-' || c == ' ') {
      dash |= c == '-';
      ++i;
    } else if (t.compare(i, 3, "\xE2\x80\x93") == 0 || t.compare(i, 3, "\xE2\x80\x94") == 0) {  // – —
      dash = true;
      i += 3;
    } else {
      return "";
    }
  }
  return dash && !digits.empty() && digits.size() <= 4 ? digits : "";
}

// "Trang 12" / "Trang số: 12" at the start of the pieces. The wording
// alone is not enough: "Nha Trang" is a city.
bool page_number_at(const std::vector<Piece>& ps, const std::vector<std::string>& trang) {
  auto [b, e] = find_wording(ps, trang, 0);
  return b == 0 && size_t(e) < ps.size() && numberish(ps[size_t(e)].text);
}

// Words of one phrase sit less than a letter height apart; a gap of more
// than three line heights separates items that only share a text line.
bool wide_gap(const Piece& a, const Piece& b) {
  if (a.box.empty() || b.box.empty() || a.line != b.line) return false;
  int height = std::max(a.box.h, b.box.h);
  return b.box.x - (a.box.x + a.box.w) > 3 * height;
}

// Whether s starts with a lower-case word, as a wrapped authority's second
// line does ("huyện Phú Vang, ..."). The word must be a Vietnamese
// syllable: specks and a flourish under the authority read as "x __ ..."
// and are no continuation of it.
bool starts_lower(const std::string& s) {
  std::string t = clean_text(s);
  if (t.empty()) return false;
  const std::string first = t.substr(0, t.find(' '));
  return to_lower(first) == first && to_upper(first) != first && is_vietnamese_syllable(first);
}

// Whether b is a's wrapped second line: flush with a's left edge, right
// under it, shorter, and words only ("... TỈNH" / "TIỀN GIANG", "... thành
// phố Hồ Chí" / "Minh"). A label ("Số: 45"), a second authority ("UBND XÃ
// ..." under "UBND HUYỆN ...") or specks are none.
bool wraps_under(const ocr::Line& a, const ocr::Line& b, const std::vector<Piece>& next,
                 const std::vector<std::string>& authority) {
  if (a.box.empty() || b.box.empty() || next.empty()) return false;
  const int h = a.box.h;
  if (std::abs(b.box.x - a.box.x) > h || b.box.y < a.box.y + h / 2 || b.box.y - (a.box.y + a.box.h) > h ||
      b.box.w >= a.box.w)
    return false;
  if (find_wording(next, authority, 0).first >= 0) return false;
  for (auto& p : next) {
    std::string w = p.text;
    while (!w.empty() && (w.back() == ',' || w.back() == '.')) w.pop_back();
    const bool number = !w.empty() && std::all_of(w.begin(), w.end(), [](unsigned char c) { return std::isdigit(c); });
    if (p.colon_after || (!number && !is_vietnamese_syllable(w))) return false;
  }
  return true;
}

}  // namespace

bool is_page_number_line(const ocr::Line& line, const FormSet& forms) {
  if (!dashed_number(line.text).empty()) return true;
  const auto ps = detail::pieces_of(line, 0);
  const auto [b, e] = find_wording(ps, forms.header_wordings("trangSo"), 0);
  return b == 0 && size_t(e) + 1 == ps.size() && numberish(ps[size_t(e)].text);
}

PageHeader parse_page_header(const std::vector<ocr::Line>& lines, const FormSet& forms) {
  PageHeader h;
  std::vector<std::string> texts;
  for (auto& l : lines) texts.push_back(l.text);
  h.book_type = forms.detect_book_type(texts);

  const auto& quyen = forms.header_wordings("quyenSo");
  const auto& trang = forms.header_wordings("trangSo");
  const auto& authority = forms.header_wordings("authority");
  for (size_t li = 0; li < lines.size(); ++li) {
    auto ps = detail::pieces_of(lines[li], int(li));
    if (ps.empty()) continue;

    if (h.quyenSo.empty()) {
      auto [b, e] = find_wording(ps, quyen, int(ps.size()));
      if (b >= 0) {
        // "01/2015" or "01 / 2015" (OCR splits at the slash).
        std::string v;
        for (size_t i = size_t(e); i < ps.size(); ++i) {
          bool sep = (ps[i].text == "/" || ps[i].text == "-") && !v.empty() && i + 1 < ps.size() &&
                     numberish(ps[i + 1].text);
          if (!sep && !numberish(ps[i].text)) break;
          v += ps[i].text;
        }
        while (!v.empty() && (v.back() == '.' || v.back() == ',' || v.back() == ':')) v.pop_back();
        if (!v.empty()) h.quyenSo = v;
      }
    }
    if (h.trangSo.empty()) {
      if (std::string d = dashed_number(lines[li].text); !d.empty()) {
        h.trangSo = d;
      } else {
        // "Trang 12" / "Trang số: 12" / "Tờ số 5", at the start of a line or
        // after other header text on the same line ("Quyển số: 01  Trang 3").
        for (int s = 0; s < int(ps.size()); ++s) {
          std::vector<Piece> rest(ps.begin() + s, ps.end());
          auto [b, e] = find_wording(rest, trang, 0);
          if (b < 0 || size_t(e) >= rest.size()) continue;
          std::string v;
          for (unsigned char c : rest[size_t(e)].text)
            if (std::isdigit(c)) v += char(c);
          if (!v.empty() && v.size() <= 4 && numberish(rest[size_t(e)].text)) {
            h.trangSo = v;
            break;
          }
        }
      }
    }
    if (h.noiDangKy.empty()) {
      auto [b, e] = find_wording(ps, authority, 0);
      if (b >= 0) {
        // "Nơi đăng ký: UBND ..." keeps what follows the label; "UBND xã
        // ..." is kept whole, as written.
        size_t from = size_t(b);
        for (size_t i = size_t(b); i < size_t(e); ++i)
          if (ps[i].colon_after) from = i + 1;
        size_t to = ps.size();
        // Cut where another header item starts on the same line: the book
        // or page number, or anything after a wide gap (on a photo the
        // page number "- 12 -" at the far right, or specks, share the
        // authority's text line once the page is deskewed).
        for (size_t s = from + 1; s < ps.size(); ++s) {
          std::vector<Piece> rest(ps.begin() + long(s), ps.end());
          if (find_wording(rest, quyen, 0).first == 0 || page_number_at(rest, trang) || wide_gap(ps[s - 1], ps[s])) {
            to = s;
            break;
          }
        }
        std::string v = join(ps, from, to);
        // The authority wraps: "UBND xã Tân Hòa," / "huyện Phú Vang, ...".
        // Or it wraps where the line was full, at any word ("... TỈNH" /
        // "TIỀN GIANG"): its second line starts under its first.
        auto next = li + 1 < lines.size() ? detail::pieces_of(lines[li + 1], int(li + 1)) : std::vector<Piece>{};
        if (li + 1 < lines.size() && to == ps.size() &&
            (v.ends_with(",") || starts_lower(lines[li + 1].text) ||
             wraps_under(lines[li], lines[li + 1], next, authority)) &&
            forms.detect_book_type({lines[li + 1].text}) == BookType::unknown) {
          bool other = find_wording(next, quyen, 0).first == 0 || find_wording(next, trang, 0).first == 0;
          if (!other) v = clean_text(v + " " + join(next, 0, next.size()));
        }
        if (v.size() > 3) h.noiDangKy = v;
      }
    }
  }
  return h;
}

}  // namespace hotich::schema
