// Form pages: "Label: value" lines in sections, one or two entries a page.
#include <algorithm>
#include <cmath>

#include "schema/parse.hpp"
#include "schema/text.hpp"

namespace hotich::schema {
namespace {

using detail::Piece;

std::string join(const std::vector<Piece>& ps, size_t b, size_t e) {
  std::string s;
  for (size_t i = b; i < e; ++i) s += (s.empty() ? "" : " ") + ps[i].text;
  return s;
}

// Splits a line where the gap between two words is far wider than a space
// (several text heights): "Họ và tên: A      Họ và tên: B" printed in two
// columns but returned as one line becomes two lines side by side.
// Sets a line's text, box and mean confidence from its words.
void finish_line(ocr::Line& o) {
  float conf = 0;
  for (auto& w : o.words) {
    o.text += (o.text.empty() ? "" : " ") + w.text;
    o.box = detail::unite(o.box, w.box);
    conf += w.conf;
  }
  o.conf = conf / float(o.words.size());
}

std::vector<ocr::Line> split_wide_gaps(const ocr::Line& l) {
  if (l.words.size() < 2) return {l};
  std::vector<ocr::Line> out(1);
  for (size_t i = 0; i < l.words.size(); ++i) {
    const auto& w = l.words[i];
    if (i > 0) {
      const auto& p = l.words[i - 1];
      int gap = w.box.x - (p.box.x + p.box.w);
      int h = std::max({p.box.h, w.box.h, 1});
      if (gap > 4 * h) out.emplace_back();
    }
    out.back().words.push_back(w);
  }
  if (out.size() == 1) return {l};
  for (auto& o : out) finish_line(o);
  return out;
}

bool overlaps_vertically(const ocr::Box& a, const ocr::Box& b) {
  int top = std::max(a.y, b.y), bottom = std::min(a.y + a.h, b.y + b.h);
  return bottom - top > std::min(a.h, b.h) / 2;
}

// Letters in pieces [a, b) (a letter with marks counts once).
int letters(const std::vector<Piece>& ps, size_t a, size_t b) {
  int n = 0;
  for (size_t i = a; i < b && i < ps.size(); ++i) n += letter_count(ps[i].text);
  return n;
}

// Lines in reading order: top to bottom; where a row holds two section
// headings side by side ("Người mẹ" | "Người cha"), the two columns below
// are read left first, until a line crosses the split or a new entry starts.
std::vector<ocr::Line> reading_order(const std::vector<ocr::Line>& in, const FormSet& forms, BookType type) {
  std::vector<ocr::Line> lines;
  for (auto& l : in)
    for (auto& s : split_wide_gaps(l)) lines.push_back(std::move(s));
  bool geometry = std::any_of(lines.begin(), lines.end(), [](auto& l) { return !l.box.empty(); });
  if (!geometry) return lines;  // nothing to sort by: trust the given order
  std::stable_sort(lines.begin(), lines.end(), [](auto& a, auto& b) { return a.box.y + a.box.h / 2 < b.box.y + b.box.h / 2; });
  std::vector<std::vector<ocr::Line>> rows;
  for (auto& l : lines) {
    if (!rows.empty() && overlaps_vertically(rows.back().front().box, l.box))
      rows.back().push_back(l);
    else
      rows.push_back({l});
  }
  for (auto& r : rows) std::stable_sort(r.begin(), r.end(), [](auto& a, auto& b) { return a.box.x < b.box.x; });

  auto starts_entry = [&](const ocr::Line& l) {
    auto ps = detail::pieces_of(l);
    for (size_t i = 0; i < ps.size() && i < 3; ++i)
      if (ps[i].colon_after) {
        auto m = forms.map_label(type, join(ps, 0, i + 1), "");
        return std::find(m.keys.begin(), m.keys.end(), "so") != m.keys.end();
      }
    return false;
  };

  // The roles of the label that begins a line ("Họ và tên:" -> hoTen), read
  // with no section in force; empty when the line begins with no label.
  auto leading_roles = [&](const ocr::Line& l) -> std::vector<std::string> {
    auto ps = detail::pieces_of(l);
    for (size_t i = 0; i < ps.size() && i < 6; ++i)
      if (ps[i].colon_after) {
        PhraseMatch best;
        for (size_t s = 0; s <= i; ++s)
          if (auto m = forms.map_label(type, join(ps, s, i + 1), ""); !m.roles.empty() && m.cost < best.cost)
            best = m;
        return best.cost <= 0.35f ? best.roles : std::vector<std::string>{};
      }
    return {};
  };
  // Where the right column starts, when this row holds two section headings
  // side by side, as two lines or as one ("Người mẹ   Người cha"), or, the
  // headings lost (a stamp), the same label twice side by side ("Họ và
  // tên: A      Họ và tên: B"); else -1.
  auto heading_split = [&](const std::vector<ocr::Line>& all) -> int {
    // A speck read as a mark beside the headings ("`") is no line of them.
    std::vector<ocr::Line> row;
    for (auto& l : all)
      if (letters(detail::pieces_of(l), 0, SIZE_MAX) >= 2) row.push_back(l);
    for (size_t a = 0; a + 1 < row.size(); ++a) {
      auto ra = leading_roles(row[a]);
      if (ra.empty()) continue;
      int end = row[a].box.x + row[a].box.w;
      for (size_t b = a + 1; b < row.size(); ++b)
        if (row[b].box.x > end && leading_roles(row[b]) == ra) {
          int x = row[b].box.x;
          for (auto& l : row)
            if (l.box.x > end) x = std::min(x, l.box.x);
          return x - 1;
        }
    }
    if (row.size() >= 2 && !forms.person_of(type, row[0].text).empty() && !forms.person_of(type, row[1].text).empty())
      return row[1].box.x - 1;
    if (row.size() == 1 && row[0].words.size() >= 2 && row[0].words.size() <= 12) {
      const auto& ws = row[0].words;
      for (size_t k = 1; k < ws.size(); ++k) {
        std::string a, b;
        for (size_t i = 0; i < ws.size(); ++i) (i < k ? a : b) += ws[i].text + " ";
        if (!forms.person_of(type, a).empty() && !forms.person_of(type, b).empty()) return ws[k].box.x - 1;
      }
    }
    return -1;
  };
  // A line's words left and right of x; false when a word straddles x.
  auto split_at = [](const ocr::Line& l, int x, std::vector<ocr::Line>& left, std::vector<ocr::Line>& right) {
    if (l.box.x + l.box.w <= x + 10) {
      left.push_back(l);
      return true;
    }
    if (l.box.x >= x - 10) {
      right.push_back(l);
      return true;
    }
    if (l.words.empty()) return false;
    ocr::Line parts[2];
    for (auto& w : l.words) {
      if (w.box.x < x && w.box.x + w.box.w > x + 10) return false;
      parts[w.box.x + w.box.w / 2 < x ? 0 : 1].words.push_back(w);
    }
    for (int i = 0; i < 2; ++i) {
      auto& o = parts[i];
      if (o.words.empty()) continue;
      finish_line(o);
      (i == 0 ? left : right).push_back(std::move(o));
    }
    return true;
  };

  // The roles of the label a line opens with, from its first word.
  auto opening_roles = [&](const ocr::Line& l) -> std::vector<std::string> {
    auto ps = detail::pieces_of(l);
    for (size_t i = 0; i < ps.size() && i < 6; ++i)
      if (ps[i].colon_after) {
        auto m = forms.map_label(type, join(ps, 0, i + 1), "");
        return m.cost <= 0.35f ? m.roles : std::vector<std::string>{};
      }
    return {};
  };
  // A line across the split whose right part opens with the label the
  // line's own begins with is the two columns' lines run together, a word
  // reaching over the split ("... 079194926140" | "Số CMND/CCCD: ...",
  // "... 16/04/1@63y, tháng," | "năm sinh: ..."): cut at the word boundary
  // right of the split and nearest it where that holds.
  auto split_at_label = [&](const ocr::Line& l, int x, std::vector<ocr::Line>& left, std::vector<ocr::Line>& right) {
    const auto roles = leading_roles(l);
    if (roles.empty()) return false;
    size_t best = 0;
    for (size_t i = 1; i < l.words.size() && best == 0; ++i) {
      if (l.words[i].box.x < x - l.box.h) continue;
      ocr::Line tail;
      tail.words.assign(l.words.begin() + long(i), l.words.end());
      finish_line(tail);
      if (opening_roles(tail) == roles) best = i;
    }
    if (best == 0) return false;
    ocr::Line head, tail;
    head.words.assign(l.words.begin(), l.words.begin() + long(best));
    tail.words.assign(l.words.begin() + long(best), l.words.end());
    finish_line(head);
    finish_line(tail);
    left.push_back(std::move(head));
    right.push_back(std::move(tail));
    return true;
  };

  std::vector<ocr::Line> out;
  for (size_t r = 0; r < rows.size();) {
    int split = heading_split(rows[r]);
    if (split < 0) {
      out.insert(out.end(), rows[r].begin(), rows[r].end());
      ++r;
      continue;
    }
    // Read both columns down to a line that crosses the split (a full-width
    // line such as "Ghi chú") or the next entry.
    // A line that crosses the split with the rows after it still in two
    // columns is a left value run into the right label ("09-03-1992"
    // touching "Ngày, tháng, năm sinh"): it goes left whole, and the
    // columns go on (a full-width line, "Ghi chú: ....", has one column
    // after it).
    // Row k's lines left and right of the split; false when one crosses it.
    auto split_row = [&](size_t k, std::vector<ocr::Line>& l2, std::vector<ocr::Line>& r2) {
      bool ok = true;
      for (auto& l : rows[k]) ok = ok && (split_at(l, split, l2, r2) || split_at_label(l, split, l2, r2));
      return ok;
    };
    auto splits = [&](size_t k) {
      if (k >= rows.size() || starts_entry(rows[k].front())) return false;
      std::vector<ocr::Line> l2, r2;
      return split_row(k, l2, r2) && !l2.empty() && !r2.empty();
    };
    // A section heading alone on the left ("Người yêu cầu"), with no line
    // right of the split from there to the entry's end, starts a full-width
    // section: the columns are over, and its lines are not split.
    auto full_width_section = [&](size_t k) {
      for (auto& l : rows[k])
        if (l.box.x + l.box.w > split + 10) return false;
      if (forms.person_of(type, rows[k].front().text).empty()) return false;
      for (size_t j = k + 1; j < rows.size() && !starts_entry(rows[j].front()); ++j)
        for (auto& l : rows[j])
          if (l.box.x >= split - 10) return false;
      return true;
    };
    std::vector<ocr::Line> left, right;
    size_t k = r;
    for (; k < rows.size(); ++k) {
      if (k > r && (starts_entry(rows[k].front()) || full_width_section(k))) break;
      std::vector<ocr::Line> l2, r2;
      const bool ok = split_row(k, l2, r2);
      if (!ok && k > r && !splits(k + 1)) break;
      if (!ok) {
        // The line that crosses goes left whole; a line of the row wholly
        // right of the split is still the right column's. What of the
        // crossing line lies right of the split may be the right column's
        // too (a wrapped name printed over the left date: "16/1/1990" and
        // "NGỌC" read as one word "16/1/19@ỌC"): the right column gets it
        // as ink without text, which marks the value above it as possibly
        // going on. Not when a label reads there ("1992Năm sinh: 1979"):
        // that is the right column's next line, run in; nor when the row
        // has a line of the right column's own ("Vy" beside "... ngày"):
        // the left line's end is then only reaching over.
        l2.clear(), r2.clear();
        for (auto& l : rows[k]) (l.box.x >= split - 10 ? r2 : l2).push_back(l);
        for (auto& l : rows[k]) {
          if (!r2.empty()) break;
          const bool label_right = std::any_of(l.words.begin(), l.words.end(), [&](const ocr::Word& w) {
            return w.box.x + w.box.w > split + 10 && w.text.find(':') != std::string::npos;
          });
          if (l.box.x < split - 10 && l.box.x + l.box.w > split + 10 && !label_right) {
            ocr::Line ink;
            ink.box = {split + 1, l.box.y, l.box.x + l.box.w - split - 1, l.box.h};
            r2.push_back(std::move(ink));
          }
        }
      }
      left.insert(left.end(), l2.begin(), l2.end());
      right.insert(right.end(), r2.begin(), r2.end());
    }
    out.insert(out.end(), left.begin(), left.end());
    out.insert(out.end(), right.begin(), right.end());
    r = k;
  }
  return out;
}

struct Hit {
  size_t begin = 0, end = 0;  // label pieces [begin, end); a colon follows end-1 unless no_colon
  PhraseMatch m;
};


// Labels on one line. Each colon ends a label; the label is the span before
// it that reads best (lowest cost per word, then longest), so "Kinh Quốc
// tịch:" yields the label "Quốc tịch" and leaves "Kinh" to the value before.
std::vector<Hit> find_labels(const std::vector<Piece>& ps, const FormSet& forms, BookType type,
                             std::string context) {
  std::vector<Hit> hits;
  size_t region = 0;
  for (size_t k = 0; k < ps.size(); ++k) {
    if (!ps[k].colon_after) continue;
    // A wording of a field that no person in force has ("Họ và tên:" before
    // any section heading of a marriage entry) still ends the value before
    // it; parse_form decides whose it is. Only when no span reads as a field.
    Hit best, role_only, longer;
    float best_cost = 2, role_cost = 2;
    for (size_t s = region; s <= k; ++s) {
      if (k - s + 1 > 9) continue;
      auto m = forms.map_label(type, join(ps, s, k + 1), context);
      if (m.matched() && longer.end == 0 && s < k && m.cost <= 0.15f) longer = {s, k + 1, m};
      if (!m.matched()) {
        if (!m.roles.empty() && m.person.empty() && m.cost < role_cost - 1e-4f) {
          role_cost = m.cost;
          role_only = {s, k + 1, m};
        }
        continue;
      }
      if (m.cost < best_cost - 1e-4f) {
        best_cost = m.cost;
        best = {s, k + 1, m};
      }
    }
    if (best_cost > 1 && role_cost <= 0.35f) {
      best = role_only;
      best_cost = role_cost;
    }
    // "Số" alone is the entry number, but also the last word of other
    // wordings: a longer span that reads as one of them, even misread
    // ("Quyểu sò:" for "Quyển số:"), is that label, and starts no entry.
    if (best.end - best.begin == 1 && best.m.keys == std::vector<std::string>{"so"} && longer.end != 0 &&
        longer.m.keys != best.m.keys)
      best = longer;
    // "Số" after words that open the line and no label took ("Q nến số:",
    // "Quyển" misread past recognition) is the last word of some other
    // wording, not the entry number: it starts no entry. (A speck read as
    // a mark before "Số: 132" has no letters.)
    if (hits.empty() && best.end - best.begin == 1 && best.m.keys == std::vector<std::string>{"so"} &&
        letters(ps, region, best.begin) >= 2)
      continue;
    if (best_cost > 1) continue;  // "10:30" or a colon inside a value
    if (!best.m.person.empty()) context = best.m.person;
    hits.push_back(best);
    region = k + 1;
  }
  if (!hits.empty()) return hits;
  // No colon: an exact label at the start followed by its value ("Dân tộc
  // Kinh"). Only near-exact wordings, since a wrapped value must not read
  // as a label.
  // The whole line as a label without a colon is a heading or a title
  // ("SỔ ĐĂNG KÝ KHAI SINH" reads as "Số đăng ký ..."), not a field.
  if (forms.detect_book_type({join(ps, 0, ps.size())}) != BookType::unknown) return hits;
  // A colon ends the label: words before it that read as no field here (a
  // misread "Số CMND:") are an unread label, and a wording that is only
  // their first word ("Số", the entry number) is not the label.
  for (size_t i = 0; i < ps.size() && i < 9; ++i)
    if (ps[i].colon_after) return hits;
  for (size_t p = std::min<size_t>(ps.size() - 1, 8); p >= 1; --p) {
    auto m = forms.map_label(type, join(ps, 0, p), context);
    if (m.cost > 0.05f) continue;
    // "Số" without a colon is the entry number only before one ("Số 132"),
    // not before "CMND/CCCD;" (a longer label whose colon was misread).
    if (m.keys == std::vector<std::string>{"so"}) {
      const std::string rest = join(ps, p, ps.size());
      if (std::none_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    }
    if (!m.keys.empty() && !m.person_only && m.person.empty()) {
      hits.push_back({0, p, m});
      break;
    }
    // The longest wording is the label even where no person in force has
    // its field ("Số định danh cá nhân 0123" before any section heading of
    // a marriage entry), never "Số", its first word.
    if (!m.roles.empty()) {
      if (m.person.empty() && !m.person_only) hits.push_back({0, p, m});
      break;
    }
  }
  return hits;
}

struct Slot {
  std::vector<std::string> keys;
  std::vector<Piece> pieces;
  bool unreadable = false;
  bool guessed = false;  // the person came from a label repeated without its heading
  bool continues_unread = false;  // ink under the value, in its column, read as no text
  ocr::Box label_box;
};

struct Draft {
  std::vector<Slot> slots;
  bool has(const std::string& key) const {
    for (auto& s : slots)
      if (std::find(s.keys.begin(), s.keys.end(), key) != s.keys.end()) return true;
    return false;
  }
};

}  // namespace

FormParse parse_form(const std::vector<ocr::Line>& input, const FormSet& forms, BookType type) {
  FormParse out;
  const auto specs = forms.specs(type);
  const std::string start_key = forms.key_for(type, forms.entry_start_person(type), "hoTen");
  const std::vector<ocr::Line> lines = reading_order(input, forms, type);

  std::vector<Draft> drafts;
  std::string context = forms.default_person(type);
  // The person in force was guessed (a label repeated in one section read
  // as the next person's): until a heading or a label names one again.
  bool guessed = false;
  // The heading in force shares its row with another line: two headings
  // side by side, the columns read row by row because one of them was
  // misread ("Người m‹:" beside "Người cha"). Its person may then be the
  // other column's.
  bool heading_beside = false;
  // The slot a label-less line continues, as indices (slots move on growth).
  int cur_d = -1, cur_s = -1;
  auto cur = [&]() -> Slot* { return cur_d < 0 ? nullptr : &drafts[size_t(cur_d)].slots[size_t(cur_s)]; };
  const ocr::Line* prev = nullptr;

  auto close_to_prev = [&](const ocr::Line& l) {
    if (!prev || prev->box.empty() || l.box.empty()) return true;
    if (l.box.y < prev->box.y) return false;  // the top of the next column
    int gap = l.box.y - (prev->box.y + prev->box.h);
    return gap < std::max(prev->box.h, l.box.h) * 3 / 2;
  };

  // A line indented under the value in force, as a wrapped value is,
  // continues it even when it also reads as a section heading: "Phong", the
  // end of the husband's name, is one letter from the heading "Chồng", and
  // "Nam" of "Hà Nam" is the heading "Nam". Headings stand at or left of
  // the labels, or centred far from them.
  auto wraps_value = [&](const ocr::Line& l) {
    const Slot* c = cur();
    if (!c || c->pieces.empty() || c->label_box.empty() || l.box.empty() || !close_to_prev(l)) return false;
    const int indent = l.box.x - c->label_box.x;
    return indent > l.box.h / 2 && indent <= 3 * l.box.h;
  };

  // Right of the name label the entry already has, on its row.
  auto beside_name = [&](const Draft& d, const ocr::Line& l) {
    for (auto& s : d.slots)
      if (std::find(s.keys.begin(), s.keys.end(), start_key) != s.keys.end())
        return !s.label_box.empty() && !l.box.empty() && overlaps_vertically(s.label_box, l.box) &&
               l.box.x > s.label_box.x + s.label_box.w;
    return false;
  };

  // Two headings run together: the person the line's opening words name
  // as a heading when its closing words name another ("Người mẹ ... Người
  // cha"), two words each at least; "" otherwise.
  auto heading_opening = [&](const std::vector<Piece>& ps) {
    auto words = [&](size_t from, size_t to) {
      std::string text;
      for (size_t k = from; k < to; ++k) text += (k > from ? " " : "") + ps[k].text;
      return text;
    };
    for (size_t n = 2; n + 2 <= ps.size() && n <= 8; ++n) {
      const std::string first = forms.person_of(type, words(0, n));
      if (first.empty()) continue;
      for (size_t m = n; m + 2 <= ps.size(); ++m)
        if (std::string second = forms.person_of(type, words(m, ps.size())); !second.empty() && second != first)
          return first;
    }
    return std::string();
  };

  for (size_t li = 0; li < lines.size(); ++li) {
    const ocr::Line& line = lines[li];
    auto ps = detail::pieces_of(line, int(li));
    if (ps.empty()) {
      // Ink where a value belongs, but no text: the value is unreadable.
      // Word-sized ink right under a value read, in its column, is a next
      // line of it not read (a faint or handwritten word, or one printed
      // over another column's): the value may be cut short.
      if (Slot* c = cur(); c && !line.box.empty()) {
        if (c->pieces.empty())
          c->unreadable = true;
        else if (close_to_prev(line) && !c->label_box.empty() && line.box.x >= c->label_box.x - line.box.h &&
                 prev && line.box.h * 2 >= prev->box.h && line.box.w >= line.box.h)
          c->continues_unread = true;
      }
      prev = &line;
      continue;
    }
    auto hits = find_labels(ps, forms, type, context);
    if (hits.empty()) {
      if (is_page_number_line(line, forms)) {
        out.notes.push_back("page number: " + clean_text(line.text));
        cur_d = -1;
      } else if (wraps_value(line)) {
        cur()->pieces.insert(cur()->pieces.end(), ps.begin(), ps.end());
      } else if (std::string p = forms.person_of(type, line.text); !p.empty()) {
        context = p;  // a section heading
        guessed = false;
        heading_beside = (li > 0 && overlaps_vertically(lines[li - 1].box, line.box)) ||
                         (li + 1 < lines.size() && overlaps_vertically(lines[li + 1].box, line.box));
        cur_d = -1;
      } else if (std::string q = heading_opening(ps); !q.empty()) {
        // Two headings side by side read as one line ("PHẦN KHAI VỀ NGƯỜI
        // MẸ ... KHAI VỀ NGƯỜI CHA", a stamp over the gutter between them):
        // the first names the person; the other column's is beside it.
        out.notes.push_back("heading with more beside it: " + clean_text(line.text));
        context = q;
        guessed = false;
        heading_beside = true;
        cur_d = -1;
      } else if (std::any_of(ps.begin(), ps.begin() + long(std::min<size_t>(ps.size(), 3)),
                             [](auto& p) { return p.colon_after; })) {
        // A label that reads as none ("Số CHHĐICCCE:"): its value is no
        // more of the value above.
        out.notes.push_back("unread label: " + clean_text(line.text));
        cur_d = -1;
      } else if (cur() && close_to_prev(line)) {
        cur()->pieces.insert(cur()->pieces.end(), ps.begin(), ps.end());
      } else if (!drafts.empty()) {
        out.notes.push_back("form line ignored: " + clean_text(line.text));
      }
      prev = &line;
      continue;
    }
    // Words before the first label continue the previous value.
    if (hits[0].begin > 0 && cur() && close_to_prev(line))
      cur()->pieces.insert(cur()->pieces.end(), ps.begin(), ps.begin() + long(hits[0].begin));
    for (size_t h = 0; h < hits.size(); ++h) {
      const Hit& hit = hits[h];
      ++out.labels;
      size_t vend = h + 1 < hits.size() ? hits[h + 1].begin : ps.size();
      std::vector<Piece> value(ps.begin() + long(hit.end), ps.begin() + long(vend));
      PhraseMatch m = hit.m;
      if (!m.person.empty()) context = m.person, guessed = false, heading_beside = false;
      std::vector<std::string> keys = m.keys;
      if (m.person_only) {
        if (value.empty() && h + 1 == hits.size()) {  // "Người mẹ:" = a heading
          cur_d = -1;
          continue;
        }
        std::string k = forms.key_for(type, m.person, "hoTen");
        if (!k.empty()) keys = {k};
      }
      if (keys.empty() && context.empty() && !m.roles.empty()) {
        // No section in force (its heading lost under a stamp): the field
        // is the first person's, in page order, who has it and still lacks
        // it here, as when a section's heading is lost after another.
        const Draft* d = drafts.empty() ? nullptr : &drafts.back();
        for (auto& person : forms.persons(type)) {
          std::vector<std::string> alt;
          for (auto& role : m.roles)
            if (std::string k = forms.key_for(type, person, role); !k.empty() && !(d && d->has(k))) alt.push_back(k);
          if (alt.size() == m.roles.size()) {
            out.notes.push_back("label outside any section read as " + person + "'s (missing heading?)");
            context = person;
            keys = alt;
            break;
          }
        }
      }
      if (keys.empty()) {
        out.notes.push_back("label without a field here: " + join(ps, hit.begin, hit.end));
        cur_d = -1;
        continue;
      }
      bool header_only = std::all_of(keys.begin(), keys.end(), [](auto& k) { return k == "quyenSo" || k == "noiDangKy"; });
      bool is_so = std::find(keys.begin(), keys.end(), "so") != keys.end();
      // A line holds one entry's number: a second "Số" on the line of the
      // first is the other column's text run into it (a stamp bridging the
      // gutter: "Số: 45 ... Quyến SỐ: 02/2013"), not a new entry.
      if (is_so && !drafts.empty()) {
        bool same_line = false;
        for (auto& s : drafts.back().slots) {
          const int cy = s.label_box.y + s.label_box.h / 2;
          if (std::find(s.keys.begin(), s.keys.end(), "so") != s.keys.end() && !s.label_box.empty() &&
              cy >= line.box.y && cy < line.box.y + line.box.h)
            same_line = true;
        }
        if (same_line) {
          out.notes.push_back("a second entry number label on one line, left unread: " + join(ps, hit.begin, ps.size()));
          cur_d = -1;
          continue;
        }
      }
      // A repeated name label starts the next entry only below the last:
      // beside it, it is a second column whose heading was lost.
      bool restart = is_so || (!start_key.empty() && !drafts.empty() &&
                               std::find(keys.begin(), keys.end(), start_key) != keys.end() &&
                               drafts.back().has(start_key) && !beside_name(drafts.back(), line));
      if (is_so) context = forms.default_person(type), guessed = false, heading_beside = false;
      if (drafts.empty() && header_only) {
        cur_d = -1;  // page header, read by parse_page_header
        continue;
      }
      if (drafts.empty() || (restart && !(is_so && !drafts.back().has("so") && !drafts.back().has(start_key) &&
                                          drafts.back().slots.size() <= 2)))
        drafts.emplace_back();
      Draft& d = drafts.back();
      bool dup = std::any_of(keys.begin(), keys.end(), [&](auto& k) { return d.has(k); });
      if (dup && m.person.empty() && !m.roles.empty()) {
        // The section heading was lost (a stamp, a fold): a label repeated
        // in the same section belongs to the next person who has it.
        auto order = forms.persons(type);
        auto at = std::find(order.begin(), order.end(), context);
        for (auto it = at == order.end() ? order.end() : at + 1; it != order.end(); ++it) {
          std::vector<std::string> alt;
          for (auto& role : m.roles)
            if (std::string k = forms.key_for(type, *it, role); !k.empty() && !d.has(k)) alt.push_back(k);
          if (alt.size() == m.roles.size()) {
            out.notes.push_back("label repeated under " + context + ", read as " + *it + "'s (missing heading?)");
            // Under a heading that had another line beside it, the first
            // run of labels may be the other column's: guessed too.
            if (heading_beside)
              for (auto& s : d.slots)
                for (auto& k : s.keys) {
                  const std::string role = forms.role_of(type, k);
                  if (k == forms.key_for(type, context, role) && k != forms.key_for(type, *it, role)) s.guessed = true;
                }
            context = *it;
            guessed = true;
            keys = alt;
            dup = false;
            break;
          }
        }
      }
      if (dup) {
        out.notes.push_back("repeated label kept once: " + join(ps, hit.begin, hit.end));
        cur_d = -1;
        continue;
      }
      Slot slot;
      slot.keys = keys;
      slot.guessed = guessed;
      // Nothing read after the line's last label, yet its ink goes on
      // further than a line's height: a value the engine did not read
      // (handwriting), not an empty one.
      const ocr::Box& colon = ps[hit.end - 1].box;
      if (value.empty() && h + 1 == hits.size() && !colon.empty() &&
          line.box.x + line.box.w > colon.x + colon.w + line.box.h)
        slot.unreadable = true;
      slot.pieces = std::move(value);
      slot.label_box = ps[hit.begin].box;
      d.slots.push_back(std::move(slot));
      cur_d = int(drafts.size()) - 1;
      cur_s = int(d.slots.size()) - 1;
    }
    prev = &line;
  }

  // Values that go on to a next line: names, places, free text. A number,
  // a date in figures or a single word is whole on its line, and ink under
  // it (a signature, a stamp) is no more of it.
  auto wraps = [&](const std::string& key) {
    for (auto& sp : specs)
      if (sp.key == key)
        return sp.type == FieldType::name || sp.type == FieldType::place || sp.type == FieldType::text;
    return false;
  };
  for (auto& d : drafts) {
    Entry e;
    e.index = int(out.entries.size()) + 1;
    for (auto& s : d.slots) {
      if (s.keys.size() == 1) {
        Field f = detail::make_field(s.keys[0], s.pieces);
        if (s.guessed && !s.pieces.empty()) {
          // A repeated label is as often a heading lost as two columns read
          // out of order (the other person's lines): whose value this is
          // was guessed, so a person decides.
          f.conf = 0;
          f.word_conf.clear();
          f.flag = std::string(flag::low_confidence) + ": the person was guessed from a repeated label";
        } else if (s.unreadable && s.pieces.empty()) {
          f.conf = 0;
          f.flag = flag::unreadable;
        } else if (s.continues_unread && wraps(s.keys[0])) {
          f.conf = 0;
          f.word_conf.clear();
          f.flag = std::string(flag::low_confidence) + ": ink under the value was not read; it may go on";
        } else {
          detail::flag_cut_off(f, s.pieces);
        }
        e.fields.push_back(std::move(f));
      } else {
        auto fs = detail::split_combined(s.keys, s.pieces, specs);
        e.fields.insert(e.fields.end(), fs.begin(), fs.end());
      }
    }
    out.entries.push_back(std::move(e));
  }
  // Each entry starts at its number; on a page where others have one, an
  // entry without it began at a repeated name label, which a lost heading
  // or a two-column layout read out of order also produces: its fields may
  // be another entry's.
  auto has_so = [](const Entry& e) {
    const Field* f = e.find("so");
    return f && !f->raw.empty();
  };
  if (std::any_of(out.entries.begin(), out.entries.end(), has_so))
    for (auto& e : out.entries)
      if (!has_so(e)) {
        e.needs_review = true;
        e.review_reason = "no entry number (\"Số\") read for this entry";
      }
  return out;
}

}  // namespace hotich::schema
