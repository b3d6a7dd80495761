// Ledger pages: a ruled table whose top rows name the columns.
#include <algorithm>
#include <set>
#include <tuple>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstdint>

#include "schema/lexicon.hpp"
#include "schema/parse.hpp"
#include "schema/text.hpp"

namespace hotich::schema {
namespace {

// Which cell covers each grid position (-1 = none).
struct Grid {
  int rows = 0, cols = 0;
  std::vector<int> at;
  const ocr::Table* table = nullptr;
  explicit Grid(const ocr::Table& t) : rows(t.rows()), cols(t.cols()), at(size_t(rows * cols), -1), table(&t) {
    for (size_t i = 0; i < t.cells.size(); ++i) {
      auto& c = t.cells[i];
      for (int r = c.row; r < std::min(rows, c.row + std::max(1, c.row_span)); ++r)
        for (int k = c.col; k < std::min(cols, c.col + std::max(1, c.col_span)); ++k)
          if (r >= 0 && k >= 0) at[size_t(r * cols + k)] = int(i);
    }
  }
  const ocr::Cell* cell(int r, int c) const {
    if (r < 0 || c < 0 || r >= rows || c >= cols) return nullptr;
    int i = at[size_t(r * cols + c)];
    return i < 0 ? nullptr : &table->cells[size_t(i)];
  }
};

std::string cell_text(const ocr::Cell* c) {
  if (!c || c->blank) return "";
  std::string s;
  for (auto& l : c->lines) s += l.text + " ";
  return clean_text(s);
}

bool has_ink(const ocr::Cell* c) { return c && !c->blank; }

// The pieces of a cell that lie in grid column col. A cell spanning several
// columns where the layout finder missed a vertical rule holds the text of
// each; word centres say which is which. Line indices are renumbered so
// that each column's own lines count from 0.
std::vector<detail::Piece> column_pieces(const ocr::Cell& cell, int col, const ocr::Table& t) {
  std::vector<detail::Piece> out;
  bool split = cell.col_span > 1 && col + 1 < int(t.col_edges.size());
  int x0 = split ? t.col_edges[size_t(col)] : 0, x1 = split ? t.col_edges[size_t(col + 1)] : 0;
  int line = -1, last = -1;
  for (size_t i = 0; i < cell.lines.size(); ++i) {
    for (auto& p : detail::pieces_of(cell.lines[i], int(i))) {
      int cx = p.box.x + p.box.w / 2;
      if (split && (cx < x0 || cx >= x1)) continue;
      if (p.line != last) {
        last = p.line;
        ++line;
      }
      p.line = line;
      out.push_back(p);
    }
  }
  return out;
}

// The pieces of a body cell that belong to grid row r. A cell spanning
// several rows is a missed horizontal rule in that column (the layout saw
// the rule elsewhere, so the row edges are known): each word goes to the
// row its vertical centre lies in.
std::vector<detail::Piece> row_pieces(const ocr::Cell& cell, int col, int r, const ocr::Table& t) {
  auto ps = column_pieces(cell, col, t);
  if (std::max(1, cell.row_span) < 2 || r + 1 >= int(t.row_edges.size())) return ps;
  int y0 = t.row_edges[size_t(r)], y1 = t.row_edges[size_t(r + 1)];
  bool first = r == cell.row, last = r == cell.row + cell.row_span - 1;
  std::erase_if(ps, [&](const detail::Piece& p) {
    int cy = p.box.y + p.box.h / 2;
    return (cy < y0 && !first) || (cy >= y1 && !last);
  });
  return ps;
}

std::string join_pieces(const std::vector<detail::Piece>& ps) {
  std::string s;
  for (auto& p : ps) s += (s.empty() ? "" : " ") + p.text;
  return s;
}

// "39", "40/2015", "15." : an entry number stacked in the number column.
bool looks_like_entry_number(const std::string& t) {
  int digits = 0;
  for (unsigned char c : t) {
    if (std::isdigit(c)) ++digits;
    else if (c != '/' && c != '.' && c != '-') return false;
  }
  return digits >= 1 && digits <= 8;
}

// The number an entry-number cell starts with: "15", "15/2015", "15.",
// "15," (OCR punctuation); -1 when it does not start with one ("(1)" is a
// column number, "Số" a header).
int entry_number(const std::string& t) {
  size_t i = 0;
  while (i < t.size() && (t[i] == '\'' || t[i] == '"' || t[i] == '`')) ++i;
  size_t j = i;
  while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
  if (j == i || j - i > 6) return -1;
  // "12a3", "1Š", "9Ị": a letter after the digits is OCR junk of a digit,
  // and the digits before it a number cut short, not a number.
  if (letter_count(std::string_view(t).substr(j)) > 0) return -1;
  const int n = std::atoi(t.substr(i, j - i).c_str());
  return n > 0 ? n : -1;  // entries count from 1: "0" is a number that lost a digit
}

// "(1)", "2", and what OCR makes of them ("(q1)", "q)", "@®)"): a short
// token with a bracket or one or two digits.
bool column_number(const std::string& text) {
  std::string t = clean_text(text);
  if (t.empty() || t.size() > 6) return false;
  int digits = 0;
  bool bracket = false;
  for (unsigned char c : t) {
    digits += std::isdigit(c) != 0;
    bracket |= c == '(' || c == ')';
  }
  return bracket || (digits >= 1 && digits <= 2 && t.size() <= 3);
}

// A column-number row under the header: most inked cells hold a column
// number. A cell that also spans the first body row (a missed rule) is
// judged by its first line only.
bool numbering_row(const Grid& g, int r) {
  int n = 0, inked = 0;
  const ocr::Cell* last = nullptr;
  for (int c = 0; c < g.cols; ++c) {
    const ocr::Cell* cell = g.cell(r, c);
    if (cell == last || !has_ink(cell) || cell->row + std::max(1, cell->row_span) <= r) continue;
    last = cell;
    // A taller cell (a header cell whose rule above this row was missed:
    // "Số đăng ký (1)") is judged by its lines inside this row.
    const ocr::Line* first = nullptr;
    for (auto& l : cell->lines) {
      int cy = l.box.y + l.box.h / 2;
      bool inside = cell->row == r || l.box.empty() || r + 1 >= int(g.table->row_edges.size()) ||
                    (cy >= g.table->row_edges[size_t(r)] && cy < g.table->row_edges[size_t(r + 1)]);
      if (inside && !clean_text(l.text).empty()) {
        first = &l;
        break;
      }
    }
    if (cell->row != r && !first) continue;
    ++inked;
    n += first && column_number(first->text);
  }
  return n >= 3 && n * 3 >= inked * 2;
}

// A column-number row whose rule under the numbers was lost (a photo):
// the row also holds the first entry, under the numbers. Returns the y
// below which its text is the entry's, or -1 when the row holds only the
// numbers (at least three cells, and half of those with numbers, must
// have text under them).
int entry_under_numbers(const Grid& g, int r) {
  if (r + 1 >= int(g.table->row_edges.size())) return -1;
  const int y0 = g.table->row_edges[size_t(r)], y1 = g.table->row_edges[size_t(r + 1)];
  int numbered = 0, under = 0, cut = -1;
  const ocr::Cell* last = nullptr;
  for (int c = 0; c < g.cols; ++c) {
    const ocr::Cell* cell = g.cell(r, c);
    if (cell == last || !has_ink(cell)) continue;
    last = cell;
    std::vector<const ocr::Line*> in_row;
    for (auto& l : cell->lines) {
      const int cy = l.box.y + l.box.h / 2;
      if (!clean_text(l.text).empty() && !l.box.empty() && cy >= y0 && cy < y1) in_row.push_back(&l);
    }
    if (in_row.empty() || !column_number(in_row[0]->text)) continue;
    ++numbered;
    if (in_row.size() < 2) continue;
    ++under;
    cut = std::max(cut, in_row[0]->box.y + in_row[0]->box.h);
  }
  return under >= 3 && under * 2 >= numbered ? cut : -1;
}

// A row holding only one cell across (nearly) the whole table: a title
// inside the ruling, not a header.
bool title_row(const Grid& g, int r) {
  int distinct = 0, inked = 0, widest = 0;
  const ocr::Cell* last = nullptr;
  for (int c = 0; c < g.cols; ++c) {
    const ocr::Cell* cell = g.cell(r, c);
    if (cell == last) continue;
    last = cell;
    ++distinct;
    if (has_ink(cell)) {
      ++inked;
      widest = std::max(widest, cell->col_span);
    }
  }
  return inked == 1 && widest >= g.cols - 1 && g.cols > 2 && distinct <= 2;
}

// A column that holds no register field: a signature column ("Chữ ký",
// "Ký tên") or one titled only by its number.
bool not_a_field(const std::string& header) {
  std::string k = " " + match_key(header) + " ";
  if (k.find(" ky ") != std::string::npos && k.find(" dang ky ") == std::string::npos) return true;
  return column_number(header);
}

// A header cell -> keys. A long combined header ("Họ tên, năm sinh, dân
// tộc, quốc tịch, nơi cư trú của người đã chết") gets more damaged words
// forgiven: with several roles read in order, what it names is not in
// doubt (a damaged person mention falls back to the register's default
// person, who is the one such a column describes).
PhraseMatch map_header(const FormSet& forms, BookType type, const std::string& text, const std::string& person) {
  PhraseMatch m = forms.map_header_cell(type, text, person);
  if (m.matched() || words(match_key(text)).size() < 8) return m;
  if (PhraseMatch loose = forms.match(type, text, person, 2); loose.keys.size() >= 3) return loose;
  if (PhraseMatch loose = forms.match(type, text, person, 4); loose.keys.size() >= 5) return loose;
  return m;
}

// The box of a title cell's one line of words, without a remnant of a
// lost rule read beside them ("| Họ tên cha"); empty when the cell holds
// something else: several lines, or two texts apart, a remnant or a wide
// gap between them ("Cha | Người yêu cầu", two titles whose dividing rule
// was lost).
ocr::Box one_title_box(const ocr::Cell& cell) {
  if (cell.lines.size() != 1) return {};
  ocr::Box b;
  bool gap = false;  // a letterless word since the last lettered one
  for (const ocr::Word& w : cell.lines[0].words) {
    if (letter_count(w.text) == 0) {
      gap = !b.empty();
      continue;
    }
    if (!b.empty() && (gap || w.box.x - (b.x + b.w) > 2 * cell.lines[0].box.h)) return {};
    b = detail::unite(b, w.box);
  }
  return b;
}

// A group title is centred over its group's columns. off_centre: how far
// the middle of columns i..j (edges: the column rules) lies from x.
// centred_span: among the spans i..j with a <= i <= lo and hi <= j <= z,
// the first (by i, then j) whose middle is nearest x. narrowest: the
// narrowest column of i..j.
int off_centre(const std::vector<int>& edges, int i, int j, int x) {
  return std::abs((edges[size_t(i)] + edges[size_t(j) + 1]) / 2 - x);
}
std::pair<int, int> centred_span(const std::vector<int>& edges, int a, int lo, int hi, int z, int x) {
  std::pair<int, int> best{lo, hi};
  int err = INT32_MAX;
  for (int i = a; i <= lo; ++i)
    for (int j = hi; j <= z; ++j)
      if (off_centre(edges, i, j, x) < err) err = off_centre(edges, i, j, x), best = {i, j};
  return best;
}
int narrowest(const std::vector<int>& edges, int i, int j) {
  int n = INT32_MAX;
  for (int k = i; k <= j; ++k) n = std::min(n, edges[size_t(k) + 1] - edges[size_t(k)]);
  return n;
}

// Whether two header cells side by side hold one title cut at a word space
// by the column rule drawn up between them ("Người" | "được khai tử",
// "Bên" | "chồng"): their first lines stand level and hug that rule from
// both sides, within two line heights of it.
bool cut_title(const ocr::Cell& left, const ocr::Cell& right, const ocr::Table& t) {
  const int edge_col = left.col + left.col_span;
  if (right.col != edge_col || edge_col >= int(t.col_edges.size()) || left.lines.empty() || right.lines.empty() ||
      left.lines[0].text.empty() || right.lines[0].text.empty())
    return false;
  const ocr::Box& a = left.lines[0].box;
  const ocr::Box& b = right.lines[0].box;
  const int edge = t.col_edges[size_t(edge_col)], h = std::max(a.h, b.h);
  return std::abs(a.y - b.y) <= h / 2 && edge - (a.x + a.w) <= 2 * h && b.x - edge <= 2 * h;
}

// A text line of the cell, among or right next to the value's lines, in
// which the engine read nothing: a word of the value is lost (a wrapped
// last name, a faded line), so what was read is not the whole value.
bool silent_line(const ocr::Cell& cell, int col, const ocr::Table& t, const std::vector<detail::Piece>& ps) {
  if (ps.empty()) return false;
  int top = INT32_MAX, bottom = INT32_MIN, h = 0;
  for (auto& p : ps) {
    top = std::min(top, p.box.y);
    bottom = std::max(bottom, p.box.y + p.box.h);
    h = std::max(h, p.box.h);
  }
  bool split = cell.col_span > 1 && col + 1 < int(t.col_edges.size());
  int x0 = split ? t.col_edges[size_t(col)] : INT32_MIN, x1 = split ? t.col_edges[size_t(col + 1)] : INT32_MAX;
  for (auto& l : cell.lines) {
    if (l.box.empty() || !detail::pieces_of(l).empty()) continue;
    if (l.box.h * 2 < h || l.box.w < h) continue;  // a speck or a rule remnant, not a line of text
    int cx = l.box.x + l.box.w / 2;
    if (cx < x0 || cx >= x1) continue;
    // By its extent, not its middle: the word's line may have taken in a
    // tall stroke below it ("trai" of "Con / trai" with a faint rule piece,
    // 176 px tall, read as ":").
    if (l.box.y < bottom + 2 * h && l.box.y + l.box.h > top - 2 * h) return true;
  }
  return false;
}

// Whether a body cell's text is a header's: part of the header read for
// its column ("Số", "đăng ký" under "Ngày đăng ký"), or a header wording
// of a field ("Họ và tên", "Nơi cư trú"). A person mention alone does not
// count: "Nam", "Nữ", "Vợ" are values too.
bool header_text(const std::string& text, const LedgerColumn& col, const FormSet& forms, BookType type,
                 const std::string& person) {
  std::string t = match_key(text);
  if (t.empty() || column_number(text)) return false;
  if ((" " + match_key(col.header) + " ").find(" " + t + " ") != std::string::npos) return true;
  PhraseMatch m = forms.map_header_cell(type, text, person);
  return !m.keys.empty() || !m.roles.empty();
}

bool key_taken(const LedgerParse& lp, const std::string& key) {
  for (auto& c : lp.columns)
    if (std::find(c.keys.begin(), c.keys.end(), key) != c.keys.end()) return true;
  return false;
}

// Runs of adjacent columns whose sub-headers read as roles but whose group
// title was lost or damaged by OCR. A person already holding one of the
// run's roles in another column is not the run's person; when exactly one
// person of the register is left, the run is theirs (a marriage page with
// the husband's group found: the other name/date/ethnic group is the
// wife's). Otherwise the run stays unmapped (and its text sends the
// entries to review).
void assign_orphans(LedgerParse& lp, const std::vector<std::vector<std::string>>& roles, const FormSet& forms,
                    BookType type) {
  const int n = int(roles.size());
  for (int b = 0; b < n;) {
    if (roles[size_t(b)].empty()) {
      ++b;
      continue;
    }
    int e = b;
    while (e < n && !roles[size_t(e)].empty()) ++e;
    std::vector<std::string> candidates;
    for (auto& person : forms.persons(type)) {
      bool fits = true, any = false;
      for (int c = b; c < e && fits; ++c)
        for (auto& role : roles[size_t(c)]) {
          std::string k = forms.key_for(type, person, role);
          if (k.empty()) continue;
          any = true;
          fits = !key_taken(lp, k);
        }
      if (fits && any) candidates.push_back(person);
    }
    if (candidates.size() == 1) {
      for (int c = b; c < e; ++c) {
        auto& col = lp.columns[size_t(c)];
        for (auto& role : roles[size_t(c)])
          if (std::string k = forms.key_for(type, candidates[0], role); !k.empty() && !key_taken(lp, k))
            col.keys.push_back(k);
        if (!col.keys.empty())
          lp.notes.push_back("column " + std::to_string(c + 1) + " \"" + col.header + "\" read as " +
                             candidates[0] + "'s: the other persons' columns are found");
      }
    }
    b = e;
  }
}

// Header cells OCR damaged past reading ("Ms: sšs¿Â. / nhân chết"): each
// is weighed against the fields no column holds yet (FormSet::
// match_damaged). A column taking a field can make another's reading
// unique, so this repeats until nothing changes; columns are taken left to
// right within a round, which keeps the result independent of anything
// but the page. A person's field read this way, of a role several persons
// have and of another person than the one in force, also names the
// person of the columns after it that assumed one (the running or default
// person; assumed[c] holds their roles) or are still unread, up to a
// column that names its own: "Ng / Họ, chữ đệm, tên" read as the
// registrant's makes the "Số CMND" and "cầu Quan hệ" next to it the
// registrant's too.
void read_damaged(LedgerParse& lp, const std::vector<std::string>& text, std::vector<std::string> person,
                  const std::vector<std::vector<std::string>>& assumed, const std::vector<bool>& named,
                  const FormSet& forms, BookType type) {
  auto taken = [&] {
    std::vector<std::string> keys;
    for (auto& other : lp.columns) keys.insert(keys.end(), other.keys.begin(), other.keys.end());
    return keys;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& col : lp.columns) {
      size_t c = size_t(col.col);
      if (!col.keys.empty() || c >= text.size() || clean_text(text[c]).empty() || not_a_field(col.header)) continue;
      PhraseMatch m = forms.match_damaged(type, text[c], person[c], taken());
      if (m.keys.empty()) continue;
      col.keys = m.keys;
      lp.notes.push_back("column " + std::to_string(col.col + 1) + " \"" + col.header + "\" read as " + m.keys[0] +
                         " from its readable words");
      changed = true;
      if (m.roles.empty()) continue;
      std::string owner;
      int holders = 0;  // persons with this role
      for (auto& p : forms.persons(type))
        if (std::string key = forms.key_for(type, p, m.roles[0]); !key.empty()) {
          ++holders;
          if (key == m.keys[0]) owner = p;
        }
      // Only a reading that chose between persons names one: an entry
      // field (ghiChu ...) names no one, a field of one person only (the
      // cause of death) says nothing of the columns after it, and the
      // person in force staying is no news.
      if (owner.empty() || holders < 2 || owner == person[c]) continue;
      for (size_t k = c + 1; k < lp.columns.size() && k < assumed.size() && !named[k]; ++k) {
        auto& next = lp.columns[k];
        if (next.keys.empty()) person[k] = owner;  // for its own second look (next round)
        if (assumed[k].empty()) continue;
        std::vector<std::string> keys;
        for (auto& role : assumed[k])
          if (std::string key = forms.key_for(type, owner, role); !key.empty()) keys.push_back(key);
        if (keys.empty() || keys == next.keys) continue;
        auto held = taken();
        bool free = std::none_of(keys.begin(), keys.end(), [&](const std::string& key) {
          return std::find(held.begin(), held.end(), key) != held.end();
        });
        if (!free) continue;
        lp.notes.push_back("column " + std::to_string(k + 1) + " \"" + next.header + "\" read as " + owner +
                           "'s, like column " + std::to_string(c + 1));
        next.keys = std::move(keys);
      }
    }
  }
}

// The keys of each column whose person was not read from the page: the
// column's roles (assumed[c]) came with a person assumed (the running or
// the register's default one, or one carried from a damaged neighbour),
// and the role is one several persons have (an ID number, a name, a residence). Such a
// value is read right but may be another person's: a "Số CMND/CCCD" under
// a broken "Người yêu cầu" title takes the father running from the left.
// A role only one person has ("Quan hệ", the cause of death) and an entry
// field (so, ngayDangKy ...) are certain whoever is in force.
std::vector<std::vector<std::string>> unsure_person_keys(const LedgerParse& lp,
                                                         const std::vector<std::vector<std::string>>& assumed,
                                                         const FormSet& forms, BookType type) {
  std::vector<std::vector<std::string>> out(lp.columns.size());
  const auto persons = forms.persons(type);
  for (size_t c = 0; c < lp.columns.size(); ++c) {
    if (c >= assumed.size()) break;
    const auto& roles = assumed[c];
    for (auto& key : lp.columns[c].keys)
      for (auto& role : roles) {
        if (!forms.key_for(type, "", role).empty()) continue;  // the entry's own ("so"): no person to assume
        int holders = 0;
        bool mine = false;
        for (auto& p : persons)
          if (std::string k = forms.key_for(type, p, role); !k.empty()) {
            ++holders;
            mine |= k == key;
          }
        if (mine && holders >= 2) {
          out[c].push_back(key);
          break;
        }
      }
  }
  return out;
}

}  // namespace

bool same_ruling(const std::vector<int>& a, const std::vector<int>& b, double tolerance) {
  if (a.size() != b.size() || a.size() < 2) return false;
  double wa = a.back() - a.front(), wb = b.back() - b.front();
  if (wa <= 0 || wb <= 0) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::abs((a[i] - a.front()) / wa - (b[i] - b.front()) / wb) > tolerance) return false;
  return true;
}

LedgerParse parse_ledger(const ocr::Table& table, const FormSet& forms, BookType type,
                         const std::vector<ColumnPlan>& known_plans) {
  LedgerParse out;
  Grid g(table);
  if (g.rows < 1 || g.cols < 1) return out;
  const auto specs = forms.specs(type);

  int top = 0;
  while (top < g.rows - 1 && title_row(g, top)) ++top;

  // Group titles over sub-columns: a spanning cell, or (when the layout
  // finder missed the merge) a person mention whose right neighbours in the
  // same row are empty.
  std::vector<std::string> group(size_t(g.cols));
  // merged_title[c]: the group title is the first line of a header cell
  // that also holds the sub-headers (the rule under the title was missed).
  std::vector<bool> merged_title(size_t(g.cols), false);
  bool groups = false;
  // Column k's top cell is a blank title cell of its own over a
  // sub-header, and no group has the column yet.
  // Column k's top cell, when it is a title cell one row tall over a
  // sub-header, and no group has the column yet; else nullptr.
  auto title_over_sub = [&](int k) -> const ocr::Cell* {
    const ocr::Cell* head = g.cell(top, k);
    const ocr::Cell* sub = top + 1 < g.rows ? g.cell(top + 1, k) : nullptr;
    const bool ok = head && head->row == top && head->row_span == 1 && sub && sub != head && !cell_text(sub).empty() &&
                    group[size_t(k)].empty();
    return ok ? head : nullptr;
  };
  auto blank_title = [&](int k) {
    const ocr::Cell* head = title_over_sub(k);
    return head && head->col_span == 1 && cell_text(head).empty();
  };
  // A title cell of one line in the top row.
  auto title_piece = [&](const ocr::Cell* cell) {
    return cell && cell->row == top && cell->row_span == 1 && cell->lines.size() == 1 && !cell->lines[0].text.empty();
  };
  // The title piece right of `last` that hugs the column rule between
  // them (cut_title), its column held by no group; nullptr when none.
  auto piece_after = [&](const ocr::Cell* last) -> const ocr::Cell* {
    const int k = last->col + last->col_span;
    const ocr::Cell* next = k < g.cols ? g.cell(top, k) : nullptr;
    return title_piece(next) && group[size_t(k)].empty() && cut_title(*last, *next, table) ? next : nullptr;
  };
  for (int c = 0; c < g.cols; ++c) {
    const ocr::Cell* cell = g.cell(top, c);
    if (!cell || cell->col_span < 2) continue;
    std::string person = forms.person_of(type, cell_text(cell));
    bool merged = false;
    if (person.empty() && cell->lines.size() >= 2 && cell->row_span + cell->row > top + 1) {
      person = forms.person_of(type, cell->lines[0].text);
      merged = !person.empty();
    }
    if (!person.empty()) {
      groups = true;
      int lo = c, hi = std::min(g.cols, cell->col + cell->col_span) - 1;
      // A title is centred over its group. When the rule under the title
      // was found only part of the way ("Người cha" over three of its four
      // columns, the fourth's "Số CMND" under a blank top cell), the free
      // columns beside the span that bring its middle nearer the title's
      // are the group's too; otherwise their person would be guessed.
      // A title piece over several columns that names no one alone ("sinh"
      // of "Người được khai | sinh", the rules of a whole title row lost)
      // is free too: the title it belongs to may not reach its columns, and
      // the centring decides.
      if (!merged && int(table.col_edges.size()) == g.cols + 1) {
        auto free = [&](int k) {
          const ocr::Cell* head = title_over_sub(k);
          return head && (head->col_span == 1 ? cell_text(head).empty() : forms.person_of(type, cell_text(head)).empty());
        };
        ocr::Box b;
        for (auto& l : cell->lines) b = detail::unite(b, l.box);
        const ocr::Box words_box = one_title_box(*cell);
        if (!words_box.empty()) b = words_box;
        // Pieces of the title cut off on its right by a column rule drawn up
        // through it ("Người đi kha" | "sinh"): their words and columns are
        // the title's too.
        for (const ocr::Cell* next = piece_after(cell); next && forms.person_of(type, cell_text(next)).empty();
             next = piece_after(next)) {
          b = detail::unite(b, next->lines[0].box);
          hi = std::min(g.cols, next->col + next->col_span) - 1;
        }
        const int cx = b.x + b.w / 2;
        const auto& edges = table.col_edges;
        int a = lo, z = hi;
        while (a > 0 && free(a - 1)) --a;
        while (z + 1 < g.cols && free(z + 1)) ++z;
        // The span may also shrink to the columns the title's words stand
        // over: a cell that ran on over a lost rule into a neighbour
        // group's column ("Họ tên cha" over the child's "Dân tộc") is no
        // wider title.
        int tlo = lo, thi = hi;
        if (!words_box.empty()) {
          while (tlo < hi && edges[size_t(tlo) + 1] <= b.x) ++tlo;
          while (thi > tlo && edges[size_t(thi)] >= b.x + b.w) --thi;
        }
        const auto [bi, bj] = centred_span(edges, a, tlo, thi, z, cx);
        if (!b.empty() &&
            off_centre(edges, bi, bj, cx) + std::max(8, narrowest(edges, lo, hi) / 4) < off_centre(edges, lo, hi, cx))
          lo = bi, hi = bj;
      }
      for (int k = lo; k <= hi; ++k) {
        group[size_t(k)] = person;
        merged_title[size_t(k)] = merged && k >= cell->col && k < cell->col + cell->col_span;
      }
    }
  }
  // A group title cut at a word space by a column rule drawn up through it
  // ("Người" | "được khai tử" over seven sub-columns): title cells side by
  // side in the top row, each one line, their words hugging the rule
  // between them from both sides and standing level, that name a person
  // only together. The longest such run from a cell names the group.
  for (int c = 0; c < g.cols; ++c) {
    const ocr::Cell* first = g.cell(top, c);
    if (!group[size_t(c)].empty() || !title_piece(first) || first->col != c) continue;
    std::vector<const ocr::Cell*> run = {first};
    while (const ocr::Cell* right = piece_after(run.back())) run.push_back(right);
    if (run.size() < 2 || !forms.person_of(type, first->lines[0].text).empty()) continue;
    for (size_t stop = run.size(); stop >= 2; --stop) {
      std::string words = run[0]->lines[0].text;
      for (size_t k = 1; k < stop; ++k) words += " " + run[k]->lines[0].text;
      const std::string person = forms.person_of(type, words);
      if (person.empty() || !forms.person_of(type, run[stop - 1]->lines[0].text).empty()) continue;
      groups = true;
      const int end = std::min(g.cols, run[stop - 1]->col + run[stop - 1]->col_span);
      // The group is where the title is centred: from the columns its
      // words stand over, out to the blank title cells on its left and to
      // the end of its last piece's cell, less the columns another title
      // already holds ("sinh" of "Người được khai | sinh" spanning the
      // father's first columns, whose title "Họ tên cha" is centred over
      // them).
      int lo = c, hi = end - 1, a = c, z = c;
      while (z + 1 < end && group[size_t(z + 1)].empty()) ++z;
      const auto& edges = table.col_edges;
      if (int(edges.size()) == g.cols + 1) {
        const ocr::Box& last = run[stop - 1]->lines[0].box;
        const int x0 = run[0]->lines[0].box.x, x1 = last.x + last.w;
        hi = c;
        while (hi < z && edges[size_t(hi) + 1] < x1) ++hi;
        while (a > 0 && blank_title(a - 1)) --a;
        std::tie(lo, hi) = centred_span(edges, a, lo, hi, z, (x0 + x1) / 2);
      } else {
        hi = z;
      }
      for (int k = lo; k <= hi; ++k) group[size_t(k)] = person;
      c = end - 1;
      break;
    }
  }
  // A group title whose rule underneath was missed, over columns whose own
  // rules were found: its words stand at the top of the header cells of
  // its columns ("Người yê" | "cầu"), apart from the sub-headers below
  // them ("Họ và tên" | "Quan hệ"). Runs of such cells whose first lines
  // stand level and read together as a person are that person's group.
  {
    auto title_line = [&](const ocr::Cell* cell) {
      if (!cell || cell->col_span != 1 || cell->lines.size() < 2) return false;
      const ocr::Box& a = cell->lines[0].box;
      return cell->lines[1].box.y - (a.y + a.h) >= a.h;
    };
    for (int c = 0; c < g.cols; ++c) {
      const ocr::Cell* first = g.cell(top, c);
      if (!group[size_t(c)].empty() || !title_line(first) || first->col != c) continue;
      int end = c + 1;
      const ocr::Box& a = first->lines[0].box;
      for (; end < g.cols; ++end) {
        const ocr::Cell* next = g.cell(top, end);
        if (!group[size_t(end)].empty() || !title_line(next) || next->col != end) break;
        const ocr::Box& b = next->lines[0].box;
        if (std::abs(b.y - a.y) > a.h / 2) break;
      }
      // The longest run from c that names a person.
      for (int stop = end; stop > c; --stop) {
        std::string words = first->lines[0].text;
        for (int k = c + 1; k < stop; ++k) words += " " + g.cell(top, k)->lines[0].text;
        const std::string person = forms.person_of(type, words);
        if (person.empty()) continue;
        groups = true;
        for (int k = c; k < stop; ++k) group[size_t(k)] = person, merged_title[size_t(k)] = true;
        c = stop - 1;
        break;
      }
    }
  }
  // A second header row: under group titles, or most of its cells read as
  // headers.
  bool two_rows = false;
  if (top + 1 < g.rows) {
    int inked = 0, headers = 0;
    const ocr::Cell* last = nullptr;
    for (int c = 0; c < g.cols; ++c) {
      const ocr::Cell* cell = g.cell(top + 1, c);
      // A cell spanning columns (a missed rule: "Dân | Quốc / tộc tịch")
      // is one reading, however many columns it covers.
      if (!cell || cell == last || cell->row != top + 1 || cell->blank) continue;
      last = cell;
      ++inked;
      // Reads as a header even when no key fits without its group title
      // ("Ngày sinh" of a marriage).
      auto m = forms.map_header_cell(type, cell_text(cell), group[size_t(c)]);
      headers += m.matched() || !m.roles.empty();
    }
    two_rows = inked > 0 && headers * 2 >= inked && (groups || headers * 3 >= inked * 2);
    if (two_rows && !groups) {
      // Unmerged group titles: person mentions in cells of the top row with
      // sub-headers below. A title is centred over its group: the group is
      // the run of columns around the title's cell, each with a sub-header
      // and nothing above it, cut to the part whose middle is the title's
      // (widest among those within a quarter of the narrowest column of the
      // best). A column left out keeps the person running from its left: a
      // header spanning both rows whose rule was found ("Giấy tờ tùy thân"
      // of the husband next to "Bên vợ") is no part of the group. A title
      // cut at a word space by a column rule ("Bêi" | "chồn:", see
      // cut_title) is one mention across its pieces: the person its words
      // name together, or the one its pieces alone name, centred on them all.
      auto free_under = [&](int c) {
        const ocr::Cell* cell = g.cell(top, c);
        const ocr::Cell* sub = g.cell(top + 1, c);
        return sub && sub != cell && (!cell || cell->blank);
      };
      if (int(table.col_edges.size()) == g.cols + 1)
        for (int c = 0; c < g.cols; ++c) {
          const ocr::Cell* cell = g.cell(top, c);
          if (!cell || cell->col != c || cell->blank) continue;
          const ocr::Cell* sub = g.cell(top + 1, c);
          if (!sub || sub == cell) continue;
          std::vector<const ocr::Cell*> run = {cell};
          for (;;) {
            const int next_col = run.back()->col + std::max(1, run.back()->col_span);
            const ocr::Cell* next = next_col < g.cols ? g.cell(top, next_col) : nullptr;
            const ocr::Cell* next_sub = next_col < g.cols ? g.cell(top + 1, next_col) : nullptr;
            if (!next || next->blank || !next_sub || next_sub == next || !cut_title(*run.back(), *next, table)) break;
            run.push_back(next);
          }
          std::string joined, person;
          std::set<std::string> alone;
          for (const ocr::Cell* piece : run) {
            joined += (joined.empty() ? "" : " ") + cell_text(piece);
            if (std::string p = forms.person_of(type, cell_text(piece)); !p.empty()) alone.insert(p);
          }
          person = forms.person_of(type, joined);
          if (person.empty() && alone.size() == 1) person = *alone.begin();
          if (person.empty()) continue;
          ocr::Box b;
          for (const ocr::Cell* piece : run)
            for (auto& l : piece->lines) b = detail::unite(b, l.box);
          if (b.empty()) b = cell->box;
          int cx = b.x + b.w / 2;
          int lo = c, hi = run.back()->col + std::max(1, run.back()->col_span) - 1;
          int a = lo, z = hi;
          while (a > 0 && free_under(a - 1) && group[size_t(a - 1)].empty()) --a;
          while (z + 1 < g.cols && free_under(z + 1) && group[size_t(z + 1)].empty()) ++z;
          const auto& edges = table.col_edges;
          const auto [i0, j0] = centred_span(edges, a, lo, hi, z, cx);
          const int best = off_centre(edges, i0, j0, cx);
          int tol = std::max(8, narrowest(edges, i0, j0) / 4), bi = lo, bj = hi;
          for (int i = a; i <= lo; ++i)
            for (int j = hi; j <= z; ++j)
              if (off_centre(edges, i, j, cx) <= best + tol && j - i > bj - bi) {
                bi = i;
                bj = j;
              }
          for (int k = bi; k <= bj; ++k) group[size_t(k)] = person;
        }
    }
  }
  int body = top + (two_rows ? 2 : 1);
  while (body < g.rows && numbering_row(g, body)) ++body;
  // The first entry under the column numbers, in the numbering row: the
  // body starts there, without the numbers.
  const int numbers_end = body > 0 ? entry_under_numbers(g, body - 1) : -1;
  if (numbers_end >= 0) {
    --body;
    out.notes.push_back("row " + std::to_string(body + 1) + " holds the column numbers and the first entry under them");
  }
  out.header_rows = body;

  // Without group titles a person is named once, on the name column
  // ("Họ và tên người mẹ" | "Năm sinh" | "Nơi cư trú"); the columns after it
  // are that person's until another person is named.
  std::string running;
  // Roles read in a column that names no person and got no key (a marriage
  // register's "Họ và tên" under a damaged or lost group title).
  std::vector<std::vector<std::string>> orphan_roles(size_t(g.cols));
  // Per column, the text its keys were read from and the person then in
  // force, for a second look at headers that read as no wording.
  std::vector<std::string> read_text(size_t(g.cols)), read_person(size_t(g.cols));
  // Roles of columns whose person was assumed (running or default, not
  // named by the column or a group title), and columns that name one.
  std::vector<std::vector<std::string>> assumed(size_t(g.cols));
  std::vector<bool> named(size_t(g.cols), false);
  // Persons' keys a later column's header also read as: a register holds
  // each field once, so one of the two headers was misread (the wife's
  // residence taken for the husband's column), and which column holds the
  // field is not known, unless the second look at damaged headers reads
  // the later column otherwise. The entry's own fields (its number, its
  // date) are no person's to swap: a damaged "Ghi chú" read as "Số" does
  // not unsettle the first column.
  struct Contest {
    int earlier, later;
    std::string key;
  };
  std::vector<Contest> contests;
  for (int c = 0; c < g.cols; ++c) {
    LedgerColumn col;
    col.col = c;
    const ocr::Cell* head = g.cell(top, c);
    const ocr::Cell* sub = two_rows ? g.cell(top + 1, c) : nullptr;
    // A header cell spanning columns that is no group title is a missed
    // rule: each column reads its own words.
    auto text_of = [&](const ocr::Cell* cell) {
      if (!cell || cell->blank) return std::string();
      if (merged_title[size_t(c)] && cell == head) {
        ocr::Cell rest = *cell;  // the sub-headers below the title line
        rest.lines.erase(rest.lines.begin());
        return clean_text(join_pieces(column_pieces(rest, c, table)));
      }
      // (A group title spans on purpose; a sub-header never does.)
      if (cell->col_span > 1 && (cell != head || group[size_t(c)].empty()))
        return clean_text(join_pieces(column_pieces(*cell, c, table)));
      return cell_text(cell);
    };
    PhraseMatch m;
    if (merged_title[size_t(c)]) {
      col.header = clean_text(cell_text(head));
      read_text[size_t(c)] = text_of(head);
      read_person[size_t(c)] = group[size_t(c)];
      m = map_header(forms, type, read_text[size_t(c)], group[size_t(c)]);
    } else if (sub && sub != head) {
      std::string ht = text_of(head), st = text_of(sub);
      col.header = clean_text(ht + " / " + st);
      if (!group[size_t(c)].empty()) {
        read_text[size_t(c)] = st;
        read_person[size_t(c)] = group[size_t(c)];
        m = map_header(forms, type, st, group[size_t(c)]);
      } else {
        // A title over sub-columns that is not a person ("Ngày, tháng,
        // năm" over "đăng ký") reads together with the sub-header.
        read_text[size_t(c)] = ht + " " + st;
        read_person[size_t(c)] = running;
        m = forms.map_header_cell(type, ht + " " + st, running);
        if (!m.matched()) m = map_header(forms, type, st, running);
        if (!m.person.empty()) running = m.person;
      }
    } else {
      col.header = text_of(head);
      read_text[size_t(c)] = col.header;
      read_person[size_t(c)] = running;
      m = map_header(forms, type, col.header, running);
      if (!m.person.empty()) running = m.person;
    }
    if (m.person_only) {
      // A single column titled "Người đi khai" holds that person's name.
      std::string k = forms.key_for(type, m.person, "hoTen");
      if (!k.empty()) m.keys = {k};
    }
    for (auto& k : m.keys) {
      auto prev = std::find_if(out.columns.begin(), out.columns.end(), [&](const LedgerColumn& p) {
        return std::find(p.keys.begin(), p.keys.end(), k) != p.keys.end();
      });
      if (prev != out.columns.end()) {
        out.notes.push_back("column " + std::to_string(c + 1) + " \"" + col.header + "\": " + k +
                            " already mapped to an earlier column");
        if (forms.key_for(type, "", forms.role_of(type, k)).empty()) contests.push_back({prev->col, c, k});
      } else {
        col.keys.push_back(k);
      }
    }
    if (col.keys.empty() && m.keys.empty() && m.person.empty()) orphan_roles[size_t(c)] = m.roles;
    // The second look is for headers read as nothing, and for roles read
    // without a person whose fields for the person assumed (the running or
    // default one) are taken: the damaged part may have named another
    // ("Ng Họ, chữ đệm, tên" under a lost "Người yêu cầu"). A header that
    // read as a person, or as a field taken by an earlier column, stays.
    bool retry = !m.matched() && m.roles.empty() && m.person.empty();
    if (col.keys.empty() && !m.roles.empty() && m.person.empty() && group[size_t(c)].empty()) {
      retry = true;
      read_person[size_t(c)].clear();
    }
    if (!retry) read_text[size_t(c)].clear();
    named[size_t(c)] = !m.person.empty() || !group[size_t(c)].empty();
    if (!named[size_t(c)] && !col.keys.empty()) assumed[size_t(c)] = m.roles;
    out.columns.push_back(std::move(col));
  }
  std::vector<std::vector<std::string>> first_keys;
  for (auto& col : out.columns) first_keys.push_back(col.keys);
  assign_orphans(out, orphan_roles, forms, type);
  read_damaged(out, read_text, read_person, assumed, named, forms, type);
  std::vector<std::vector<std::string>> contested(size_t(g.cols));
  for (auto& x : contests)
    if (out.columns[size_t(x.later)].keys == first_keys[size_t(x.later)]) contested[size_t(x.earlier)].push_back(x.key);
  // A person running from the left (or the register's default one) is the
  // page's own convention under a one-row header ("Họ tên người mẹ" |
  // "Năm sinh"), but under a two-row header a column's person is its group
  // title's; text over the column that read as no title is a title lost
  // (a broken rule split "Người yêu cầu" into "N", "gười", "âu cầu"), and
  // what the column holds may be that person's, not the running one's.
  std::vector<std::vector<std::string>> lost(size_t(g.cols));
  for (int c = 0; c < g.cols && two_rows; ++c) {
    const ocr::Cell* head = g.cell(top, c);
    if (group[size_t(c)].empty() && head && head != g.cell(top + 1, c) && !cell_text(head).empty())
      lost[size_t(c)] = assumed[size_t(c)];
  }
  std::vector<std::vector<std::string>> unsure = unsure_person_keys(out, lost, forms, type);
  for (size_t c = 0; c < unsure.size(); ++c)
    if (!unsure[c].empty())
      out.notes.push_back("column " + std::to_string(c + 1) + " \"" + out.columns[c].header +
                          "\": whose values it holds was assumed, not read (" + unsure[c][0] + "...): flagged");

  // A column left unread: no key, and a header or text saying a field is
  // there.
  auto unread = [&](const LedgerColumn& col) {
    if (!col.keys.empty() || not_a_field(col.header)) return false;
    if (!match_key(col.header).empty()) return true;
    for (int r = body; r < g.rows; ++r)
      if (const ocr::Cell* cell = g.cell(r, col.col); has_ink(cell) && !column_pieces(*cell, col.col, table).empty())
        return true;
    return false;
  };
  bool complete = std::none_of(out.columns.begin(), out.columns.end(), unread);
  out.plan.type = type;
  out.plan.col_edges = table.col_edges;
  out.plan.header_rows = body;
  if (!complete) {
    // The book's ruling: an earlier page ruled alike whose headers all read
    // says what these columns hold, as long as it agrees with every column
    // this page read itself.
    auto fits = [&](const ColumnPlan& p) {
      if (!p.complete || p.type != type || int(p.keys.size()) != g.cols || p.header_rows != body ||
          !same_ruling(p.col_edges, table.col_edges))
        return false;
      for (auto& col : out.columns)
        if (!col.keys.empty() && col.keys != p.keys[size_t(col.col)]) return false;
      return true;
    };
    auto known = std::find_if(known_plans.begin(), known_plans.end(), fits);
    if (known != known_plans.end()) {
      for (auto& col : out.columns)
        if (col.keys.empty() && !known->keys[size_t(col.col)].empty()) {
          col.keys = known->keys[size_t(col.col)];
          out.notes.push_back("column " + std::to_string(col.col + 1) + " \"" + col.header +
                              "\" read by the plan of an earlier page of the book");
        }
      complete = true;
      out.plan.inherited = true;
      // The earlier page read these headers whole: which column holds a
      // field two of this page's headers read as is no longer in doubt.
      for (auto& keys : contested) keys.clear();
    }
  }
  out.plan.complete = complete;
  for (auto& col : out.columns) out.plan.keys.push_back(col.keys);
  for (auto& col : out.columns)
    if (col.keys.empty() && !col.header.empty())
      out.notes.push_back("column " + std::to_string(col.col + 1) + " \"" + col.header + "\" unmapped");
  if (out.mapped_columns() == 0) return out;

  // The entry-number column anchors rows: when the layout finder missed a
  // horizontal rule, one grid row holds several entries, and the numbers
  // ("39", "40") stacked in that column say where each begins.
  int so_col = -1;
  for (auto& col : out.columns)
    if (col.keys == std::vector<std::string>{"so"}) so_col = col.col;

  // Body rows, each cut into units (one per entry): per column, the
  // pieces of the unit and the inked cell they come from.
  struct Unit {
    int row = 0;
    std::vector<std::vector<detail::Piece>> pieces;
    std::vector<const ocr::Cell*> cells;
    int number = -1;   // leading number of the entry-number cell; -1 = none read
    bool split = false;  // one of several entries stacked in one grid row
    int parts = 1;
    std::string review;
  };
  const size_t C = out.columns.size();
  int mapped = out.mapped_columns();
  std::vector<Unit> units;
  for (int r = body; r < g.rows; ++r) {
    std::vector<std::vector<detail::Piece>> pieces(C);
    std::vector<const ocr::Cell*> cells(C, nullptr);
    bool any_text = false;
    int inked = 0;
    for (size_t i = 0; i < C; ++i) {
      const auto& col = out.columns[i];
      const ocr::Cell* cell = g.cell(r, col.col);
      if (cell && cell->blank && cell->faint_marks && !col.keys.empty() && cell->row == r) {
        // Marks too faint to read: the field is unreadable, not empty. They
        // alone do not make the row an entry.
        cells[i] = cell;
        continue;
      }
      if (!has_ink(cell)) continue;
      auto ps = row_pieces(*cell, col.col, r, table);
      if (r == body && numbers_end >= 0) {
        std::erase_if(ps, [&](const detail::Piece& p) { return p.box.y + p.box.h / 2 < numbers_end; });
        if (ps.empty()) continue;  // its column number alone: the entry left it empty
      }
      if (ps.empty() && std::max(1, cell->row_span) > 1 &&
          (r != std::max(cell->row, body) || !column_pieces(*cell, col.col, table).empty()))
        continue;  // a taller cell: its text lies in other rows; ink alone counts once
      cells[i] = cell;
      pieces[i] = std::move(ps);
      if (col.keys.empty()) continue;
      ++inked;
      any_text |= !pieces[i].empty();
    }
    if (inked == 0) continue;
    if (!any_text && inked * 3 < mapped) {
      // Specks or a stamp edge in an empty row, not an entry.
      out.notes.push_back("row " + std::to_string(r + 1) + ": ink without text in " + std::to_string(inked) +
                          " cells, skipped");
      continue;
    }
    // The header written again (a page continued under a repeated header)
    // or a header row the header reading left in the body: its texts are
    // the columns' headers, and it has no entry number. An entry's values
    // are not header wordings, save the odd one ("Tại nơi cư trú"), so
    // two thirds of the texts and at least two decide.
    {
      int texts = 0, headers = 0;
      bool numbered = false;
      for (size_t i = 0; i < C; ++i) {
        if (pieces[i].empty()) continue;
        const auto& col = out.columns[i];
        if (col.col == so_col && entry_number(pieces[i][0].text) >= 0) numbered = true;
        if (not_a_field(col.header)) continue;
        ++texts;
        headers += header_text(join_pieces(pieces[i]), col, forms, type, group[size_t(col.col)]);
      }
      if (!numbered && headers >= 2 && headers * 3 >= texts * 2) {
        out.notes.push_back("row " + std::to_string(r + 1) + " repeats the header (" + std::to_string(headers) + " of " +
                            std::to_string(texts) + " texts are headers'), not an entry: dropped");
        continue;
      }
    }

    // Sub-rows: the y where each entry starts (one entry when no anchors).
    // A number stacked under another starts an entry only below it and
    // with a higher number: a rule's remnant beside "114" reads as "1".
    std::vector<int> starts;
    if (so_col >= 0) {
      for (size_t i = 0; i < C; ++i)
        if (out.columns[i].col == so_col && cells[i]) {
          int last_line = -1, below = INT32_MIN, last_number = -1;
          for (auto& p : pieces[i]) {
            if (p.line == last_line || !looks_like_entry_number(p.text)) continue;
            const int number = entry_number(p.text);
            if (p.box.y < below || (number >= 0 && last_number >= 0 && number <= last_number)) continue;
            starts.push_back(p.box.y);
            last_line = p.line;
            below = p.box.y + p.box.h * 4 / 5;
            if (number >= 0) last_number = number;
          }
        }
    }
    if (starts.size() < 2) starts = {INT32_MIN};
    for (size_t sub = 0; sub < starts.size(); ++sub) {
      int lo = sub == 0 ? INT32_MIN : starts[sub] - 4;
      int hi = sub + 1 < starts.size() ? starts[sub + 1] - 4 : INT32_MAX;
      Unit u;
      u.row = r;
      u.pieces.resize(C);
      u.cells.resize(C, nullptr);
      u.split = starts.size() > 1;
      u.parts = int(starts.size());
      for (size_t i = 0; i < C; ++i) {
        if (!cells[i]) continue;
        for (auto& p : pieces[i])
          if (p.box.y >= lo && p.box.y < hi) u.pieces[i].push_back(p);
        // In a split row, a column with text elsewhere in the row and none
        // here is empty for this entry; a column without any text is ink.
        if (u.split && u.pieces[i].empty() && !pieces[i].empty()) continue;
        u.cells[i] = cells[i];
      }
      for (size_t i = 0; i < C; ++i)
        if (out.columns[i].col == so_col && !u.pieces[i].empty()) u.number = entry_number(u.pieces[i][0].text);
      units.push_back(std::move(u));
    }
  }

  // "'1" or "\"1" under 10: a faint serif "1" whose stem broke off reads as
  // a quote mark. When the marks stand where the missing leading digits of
  // the next number would be, the row is that next entry; its number
  // field itself stays as read (and fails its parser), so only it goes to
  // review, not the entries around it.
  for (size_t k = 1; k < units.size() && so_col >= 0; ++k) {
    Unit& u = units[k];
    const int prev = units[k - 1].number;
    if (u.number < 0 || prev < 0 || u.number == prev + 1) continue;
    for (size_t i = 0; i < C; ++i) {
      if (out.columns[i].col != so_col || u.pieces[i].empty()) continue;
      const std::string& t = u.pieces[i][0].text;
      size_t marks = 0;
      while (marks < t.size() && (t[marks] == '\'' || t[marks] == '"' || t[marks] == '`')) ++marks;
      const std::string want = std::to_string(prev + 1), got = std::to_string(u.number);
      if (marks > 0 && want.size() > got.size() && want.ends_with(got)) {
        out.notes.push_back("entry number '" + t + "' in row " + std::to_string(u.row + 1) + " taken as " + want +
                            " (the next in sequence) for the numbering check");
        u.number = prev + 1;
      }
    }
  }

  auto has_text = [&](const Unit& u, bool mapped_only) {
    int n = 0;
    for (size_t i = 0; i < C; ++i) n += !u.pieces[i].empty() && (!mapped_only || !out.columns[i].keys.empty());
    return n;
  };
  auto so_text = [&](const Unit& u) {
    for (size_t i = 0; i < C; ++i)
      if (out.columns[i].col == so_col) return !u.pieces[i].empty();
    return false;
  };
  // The number cell holds something: text, or ink the engine read as
  // nothing (a number lost in a photo's blur).
  auto so_ink = [&](const Unit& u) {
    for (size_t i = 0; i < C; ++i)
      if (out.columns[i].col == so_col) return !u.pieces[i].empty() || u.cells[i] != nullptr;
    return false;
  };

  auto only_strokes = [&](const Unit& u) {
    bool any = false;
    for (size_t i = 0; i < C; ++i)
      for (auto& p : u.pieces[i]) {
        any = true;
        if (p.text.find_first_not_of("|!l'`:;.,/\\_-") != std::string::npos) return false;
      }
    return any;
  };
  // Whether the unit holds no piece that reads as writing: no Vietnamese
  // syllable and no number, only marks ("TS", "/." off a stamp's rim).
  auto no_words = [&](const Unit& u) {
    for (size_t i = 0; i < C; ++i)
      for (auto& p : u.pieces[i]) {
        std::string w;
        int digits = 0;
        for (char c : p.text) {
          if (std::isdigit(static_cast<unsigned char>(c))) ++digits;
          if (std::string_view(".,;:'`\"!?()[]|/\\_-").find(c) == std::string_view::npos) w += c;
        }
        if (digits >= 2 || (letter_count(w) >= 2 && is_vietnamese_syllable(w))) return false;
      }
    return true;
  };

  // A unit without an entry number under a numbered one is most often the
  // wrapped lines of that entry, cut off by a faint or missing rule. The
  // numbering decides: the next number following on says nothing is
  // missing; a gap of one says this is an entry whose number was lost.
  if (so_col >= 0) {
    std::vector<Unit> merged;
    for (size_t k = 0; k < units.size(); ++k) {
      Unit& u = units[k];
      if (merged.empty() || u.number >= 0 || so_text(u) || merged.back().number < 0) {
        merged.push_back(std::move(u));
        continue;
      }
      int next = -1;
      for (size_t n = k + 1; n < units.size() && next < 0; ++n) next = units[n].number;
      Unit& prev = merged.back();
      bool entry_like = has_text(u, true) * 2 >= mapped;
      bool follows = next >= 0 && next == prev.number + 1;
      bool gap = next >= 0 && next == prev.number + 2;
      // Wrapped lines sit a line's height under the text above; a mark
      // far below it is something else.
      int prev_bottom = INT32_MIN, top = INT32_MAX, line_h = 0;
      for (size_t i = 0; i < C; ++i) {
        for (auto& p : prev.pieces[i]) {
          prev_bottom = std::max(prev_bottom, p.box.y + p.box.h);
          line_h = std::max(line_h, p.box.h);
        }
        for (auto& p : u.pieces[i]) top = std::min(top, p.box.y);
      }
      bool close = prev_bottom != INT32_MIN && top != INT32_MAX && top - prev_bottom <= 2 * line_h;
      // Under the last entry, a row that reads only as strokes and dots
      // ("l", "|", "!") holds pieces of a broken column rule of the empty
      // rows (a photo's curved rules leave the rule mask there), no
      // wrapped text: left to the empty-row test below. So does one that
      // reads as no word at all in a few columns ("TS", "/."): a stamp's
      // rim across the rule under the last entry.
      if (next < 0 && (only_strokes(u) || (!entry_like && no_words(u)))) {
        merged.push_back(std::move(u));
        continue;
      }
      if (gap || (next < 0 && entry_like) || (!close && !follows)) {
        // A full row with ink in its number cell, where one number is
        // missing: an entry whose number alone went unread; the sequence
        // check below doubts that number only, as for one read as signs.
        if (!(gap && entry_like && so_ink(u))) u.review = "row " + std::to_string(u.row + 1) + " has no entry number";
        merged.push_back(std::move(u));
        continue;
      }
      if (!follows)
        prev.review = "row " + std::to_string(u.row + 1) + " without an entry number read as the continuation of row " +
                      std::to_string(prev.row + 1);
      out.notes.push_back("row " + std::to_string(u.row + 1) + " continues the entry above");
      for (size_t i = 0; i < C; ++i) {
        if (u.pieces[i].empty() && !u.cells[i]) continue;
        int base = 0;
        for (auto& p : prev.pieces[i]) base = std::max(base, p.line + 1);
        for (auto p : u.pieces[i]) {
          p.line += base;
          prev.pieces[i].push_back(p);
        }
        if (!prev.cells[i]) prev.cells[i] = u.cells[i];
      }
    }
    units = std::move(merged);
  }

  // A ruled page is often filled only part way, and a stamp, a signature
  // or specks land in the empty rows under its last entry (after red-ink
  // removal a stamp leaves a faint rim that reads as a few inked cells;
  // in a skewed photo the rules themselves cross the empty cells). A row
  // there without an entry number is an entry only when most of its
  // columns are inked and some text was read: a real entry whose number
  // cell was unreadable still fills nearly every column (the name, dates
  // and places are required), while such marks touch a few, and rule
  // remnants read as no text at all. Rows between numbered entries stay
  // whatever their ink (an entry that lost its number, or wrapped lines),
  // and so does a page read without numbers, where nothing marks the end.
  if (so_col >= 0) {
    size_t after = units.size();
    while (after > 0 && units[after - 1].number < 0) --after;
    if (after > 0) {
      std::vector<Unit> kept(std::make_move_iterator(units.begin()),
                             std::make_move_iterator(units.begin() + std::ptrdiff_t(after)));
      for (size_t k = after; k < units.size(); ++k) {
        Unit& u = units[k];
        int inked = 0, texts = 0;
        for (size_t i = 0; i < C; ++i)
          if (!out.columns[i].keys.empty()) {
            inked += u.cells[i] != nullptr;
            texts += !u.pieces[i].empty();
          }
        if (u.split || (inked * 2 >= mapped && texts > 0)) {
          kept.push_back(std::move(u));
          continue;
        }
        out.notes.push_back("row " + std::to_string(u.row + 1) + " under the last numbered entry: no entry number, ink in " +
                            std::to_string(inked) + " of " + std::to_string(mapped) + " columns, text in " +
                            std::to_string(texts) + "; a mark in an empty row, not an entry, dropped");
      }
      units = std::move(kept);
    }
  }

  // Every column of the ruling was read and none holds this kind of field
  // (role) for anyone: the book's form does not record it (old books have
  // no ID columns), so it is empty as written, not "not found on the page".
  // When some column holds the role for another person, that column's
  // person may be misread, so nothing is added. Required fields still fail
  // as empty; a person's field still goes to review when the rest of that
  // person is written (validate_entry).
  std::vector<std::string> unruled;
  if (out.plan.complete) {
    std::set<std::string> ruled_roles;
    for (auto& col : out.columns)
      for (auto& key : col.keys) ruled_roles.insert(forms.role_of(type, key));
    for (auto& spec : specs)
      if (!ruled_roles.count(forms.role_of(type, spec.key)) && spec.key != "quyenSo" && spec.key != "noiDangKy")
        unruled.push_back(spec.key);
  }
  // A full row whose number breaks a sequence its neighbours keep (90,
  // "9", 92: a digit lost) holds the missing number misread: its "so"
  // field alone is doubted, and the neighbours count it as read. So does
  // one that holds the number due with digits more ("4159" after 158: a
  // speck read as a digit; "592918" for "59/2018": the slash lost), with
  // digits lost ("3" for 53) or with one digit misread ("159" for 150), the
  // last on the page included, and the first, whose number is due before
  // the sequence that follows it.
  // The digits more must not be the number next to the due one: "5960" is
  // two entries' rows run together.
  std::vector<bool> misread(units.size(), false);
  std::vector<int> counted(units.size(), -1);  // the number the sequence checks count
  // Numbers in a row (each one more than the last) ending at, and starting
  // at, each unit.
  std::vector<int> run_to(units.size(), 1), run_from(units.size(), 1);
  auto follows = [&](size_t j) { return units[j - 1].number >= 0 && units[j].number == units[j - 1].number + 1; };
  for (size_t j = 1; j < units.size(); ++j)
    if (follows(j)) run_to[j] = run_to[j - 1] + 1;
  for (size_t j = units.size(); j-- > 1;)
    if (follows(j)) run_from[j - 1] = run_from[j] + 1;
  for (size_t i = 0; i < units.size(); ++i) {
    counted[i] = units[i].number;
    if (units[i].number < 0 || has_text(units[i], true) * 2 < mapped) continue;
    const int a = i > 0 ? units[i - 1].number : -1, b = i + 1 < units.size() ? units[i + 1].number : -1;
    // Rows above whose numbers were all unread ("s9") leave the number
    // due to be read from below, as on the first row: the first number
    // read below, less the rows to it (unread ones between count too),
    // where the number after it follows it.
    const bool none_read_above = std::all_of(units.begin(), units.begin() + long(i), [](const Unit& x) { return x.number < 0; });
    int due = -1;
    if (a >= 0) {
      due = a + 1;
    } else if (none_read_above) {
      size_t j = i + 1;
      while (j < units.size() && units[j].number < 0) ++j;
      if (j < units.size() && (j + 1 >= units.size() || units[j + 1].number == units[j].number + 1) &&
          units[j].number - int(j - i) >= 1)
        due = units[j].number - int(j - i);
    }
    if (due < 0 || units[i].number == due) continue;
    const std::string read = std::to_string(units[i].number), d = std::to_string(due);
    bool holds_due = false;
    if (read.size() > d.size()) {
      const bool front = read.starts_with(d), back = read.ends_with(d);
      const std::string more = front ? read.substr(d.size()) : back ? read.substr(0, read.size() - d.size()) : "";
      holds_due = (front || back) && more != std::to_string(due + 1) && more != std::to_string(due - 1);
    }
    // Or, on the rows above the first number read, the number due with
    // digits lost ("3" for 53, the 5 faded; below a number, "9" between 90
    // and 92 is the room test's, and "1" after 10 at the page's end may be
    // rows gone wrong: both rows go to review).
    const bool lost_digits = a < 0 && read.size() < d.size() && (d.starts_with(read) || d.ends_with(read));
    // One digit misread ("159" for 150, as "9" for "0" often is), where
    // three numbers in a row on the near side set the sequence: two
    // entries alone ("15", "18") are a jump, left to review.
    bool one_digit = read.size() == d.size();
    for (size_t c = 0, diff = 0; one_digit && c < d.size(); ++c) one_digit = (diff += read[c] != d[c]) <= 1;
    const bool set = a >= 0 ? run_to[i - 1] >= 3 : run_from[i + 1] >= 3;
    // Numbers never go down a register: one read at or above the next
    // one, or at or below the last, is misread, not a jump ("68" between
    // an unread "59" and "61").
    const bool backwards = (b >= 0 && units[i].number >= b) || (a >= 0 && units[i].number <= a);
    const bool off = holds_due || lost_digits || (one_digit && (set || backwards));
    misread[i] = a >= 0 ? (b == a + 2 && i + 1 < units.size()) || (off && (b < 0 || b == a + 2)) : off;
    if (misread[i]) counted[i] = due;
  }
  const bool numbered_page = std::any_of(units.begin(), units.end(), [](const Unit& x) { return x.number >= 0; });
  // Unmapped columns at a side where the table runs off the image were cut
  // off with the page (their headers unreadable): their text is lost, not
  // a sign that the other columns were mapped wrong, so it sends no entry
  // to review; the fields they held are missing and flagged as such.
  std::vector<char> cut_off(C, 0);
  for (size_t i = C; i-- > 0 && table.runs_off_right && out.columns[i].keys.empty();) cut_off[i] = 1;
  for (size_t i = 0; i < C && table.runs_off_left && out.columns[i].keys.empty(); ++i) cut_off[i] = 1;
  for (size_t i = 0; i < C; ++i)
    if (cut_off[i])
      out.notes.push_back("column " + std::to_string(out.columns[i].col + 1) +
                          " at the image's edge unmapped: cut off with the page, its text not read");
  for (size_t k = 0; k < units.size(); ++k) {
    Unit& u = units[k];
    Entry e;
    int sub_inked = 0;
    std::vector<std::string> unmapped;
    for (size_t i = 0; i < C; ++i) {
      const auto& col = out.columns[i];
      const auto& ps = u.pieces[i];
      if (col.keys.empty()) {
        if (!ps.empty() && !not_a_field(col.header) && !cut_off[i])
          unmapped.push_back("column " + std::to_string(col.col + 1) + " '" + col.header + "'");
        continue;
      }
      const ocr::Cell* cell = u.cells[i];
      if (!cell) {
        for (auto& key : col.keys) e.fields.push_back(detail::make_field(key, {}));
        continue;
      }
      ++sub_inked;
      if (ps.empty()) {
        for (auto& key : col.keys) {
          Field f = detail::make_field(key, {});
          f.conf = 0;
          f.box = cell->box;
          f.flag = flag::unreadable;
          e.fields.push_back(std::move(f));
        }
        continue;
      }
      bool lost = silent_line(*cell, col.col, table, ps);
      size_t first = e.fields.size();
      if (col.keys.size() == 1) {
        e.fields.push_back(detail::make_field(col.keys[0], ps));  // wrapped lines joined by a space
        if (lost) {
          // Part of the value is missing: never accept the rest as the whole.
          e.fields.back().flag = std::string(flag::unreadable) + ": a line of the cell read no text";
        }
      } else {
        auto fs = detail::split_combined(col.keys, ps, specs);
        // A line lost shifts which line is which field: none of the cell's
        // values is accepted, while the other cells of the entry stand.
        if (lost)
          for (auto& f : fs)
            if (!f.flagged()) f.flag = std::string(flag::unreadable) + ": a line of the combined cell read no text";
        e.fields.insert(e.fields.end(), fs.begin(), fs.end());
      }
      // The cell's last value cut off at a comma ("Thường Tín,": its next
      // line sat on the row's rule). This replaces a split's note: the
      // field is doubted either way.
      if (Field& last = e.fields.back(); !last.flagged() || last.flag.rfind(flag::ambiguous_repair, 0) == 0)
        detail::flag_cut_off(last, ps);
      // A value of a person the header did not name may be another's: no
      // confidence, so validation sends it to review (and only it).
      auto doubt = [&](const std::vector<std::string>& keys, const char* why) {
        for (size_t n = first; n < e.fields.size(); ++n)
          if (std::find(keys.begin(), keys.end(), e.fields[n].key) != keys.end()) {
            e.fields[n].conf = 0;
            e.fields[n].word_conf.clear();  // no word's confidence may lift it back
            if (!e.fields[n].flagged()) e.fields[n].flag = std::string(flag::low_confidence) + ": " + why;
          }
      };
      doubt(unsure[size_t(col.col)], "the column's person was assumed, not read");
      doubt(contested[size_t(col.col)], "another column's header reads as this field too");
    }
    for (auto& key : unruled)
      if (!e.find(key)) e.fields.push_back(detail::make_field(key, {}));
    std::vector<std::string> reasons;
    if (!u.review.empty()) reasons.push_back(u.review);
    if (u.split)
      reasons.push_back("row " + std::to_string(u.row + 1) + " holds " + std::to_string(u.parts) +
                        " entries (a missing rule); split at the entry numbers");
    else if (sub_inked * 3 < mapped)
      reasons.push_back("row mostly empty: " + std::to_string(sub_inked) + " of " + std::to_string(mapped) +
                        " columns have ink");
    if (!unmapped.empty()) {
      std::string r = "text in unmapped ";
      for (size_t n = 0; n < unmapped.size(); ++n) r += (n ? ", " : "") + unmapped[n];
      reasons.push_back(r);
    }
    // Entry numbers go up by one down the page; a jump or a repeat means a
    // row was merged, split or lost, and the neighbours may hold each
    // other's values.
    if (so_col >= 0) {
      int before = k > 0 ? counted[k - 1] : -1, after = k + 1 < units.size() ? counted[k + 1] : -1;
      // A number cell with text that reads as no number ("&S" for a serif
      // "85") in a full row is an entry whose number alone is unread, when
      // the numbers read around it leave room for it: then only its "so"
      // field, which fails its parser, goes to review.
      auto fits_sequence = [&] {
        if (!so_ink(u) || has_text(u, true) * 2 < mapped) return false;
        // (A misread number counts as the one due, as the checks above do.)
        long i = long(k) - 1, j = long(k) + 1;
        while (i >= 0 && counted[size_t(i)] < 0) --i;
        while (j < long(units.size()) && counted[size_t(j)] < 0) ++j;
        const int a = i >= 0 ? counted[size_t(i)] : -1;
        const int b = j < long(units.size()) ? counted[size_t(j)] : -1;
        if (a >= 0 && b >= 0) return b - a == j - i;
        if (b >= 0) return b - (j - long(k)) >= 1;
        return a >= 0;
      };
      if (u.number < 0 && numbered_page && u.review.empty() && !fits_sequence())
        reasons.push_back("no entry number read");
      if (misread[k]) {
        for (auto& f : e.fields)
          if (f.key == "so")
            f.flag = std::string(flag::failed_rule) + ": entry number read as " + std::to_string(u.number) +
                     (before >= 0 && after >= 0 ? " between " + std::to_string(before) + " and " + std::to_string(after)
                      : after >= 0              ? " before " + std::to_string(after)
                                                : " after " + std::to_string(before));
      } else {
        if (u.number >= 0 && before >= 0 && u.number != before + 1)
          reasons.push_back("entry number " + std::to_string(u.number) + " after " + std::to_string(before));
        if (u.number >= 0 && after >= 0 && after != u.number + 1)
          reasons.push_back("entry number " + std::to_string(after) + " follows " + std::to_string(u.number));
      }
    }
    if (!reasons.empty()) {
      e.needs_review = true;
      for (auto& r : reasons) e.review_reason += (e.review_reason.empty() ? "" : "; ") + r;
    }
    e.index = int(out.entries.size()) + 1;
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace hotich::schema
