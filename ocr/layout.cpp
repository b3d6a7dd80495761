#include "ocr/layout.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>

#include <opencv2/imgproc.hpp>

#include "ocr/circle.hpp"

namespace hotich::ocr {

namespace {

struct Comp {
  cv::Rect box;
  int area = 0;
  bool faint = false;  // grey throughout (LayoutOptions::faint_ink)
  bool in_ring = false;  // centre inside a dark stamp ring (dark_rings)
  int cx() const { return box.x + box.width / 2; }
  int cy() const { return box.y + box.height / 2; }
};

Box to_box(const cv::Rect& r) { return {r.x, r.y, r.width, r.height}; }

// Straight ink runs of at least `len` px along one axis. The ink is first
// thickened across the axis (3 px) so that a thin rule left slightly tilted
// by deskewing still has long runs. A faint thin rule (a phone photo of a
// hairline) binarises as dashes a few px apart: a run goes on over gaps of
// up to `fine` px when at least 60% of it is ink and it is thin: ink
// `side` px off the axis (either side) along at most a quarter of it (a
// solid run of len needs no such test, as before). A row through digits or
// bold letters, or along their tops or feet, is as dense, but through
// strokes that go on above or below it. Gaps shorter than `gap` px
// between kept runs are then bridged, and so is a shorter thin piece (a
// quarter of len) at either end of a rule, unless the rule ends there at
// a rule across it: a vertical rule that stops at a horizontal one (the
// rule under a group title) does not go on past it, and a letter's stem
// standing above it ("i" of "Người" over a column rule) is no part of it.
// Computed from run lengths in one pass: O(pixels) whatever len is.
class RuleRuns {
 public:
  RuleRuns(int len, int gap, int fine) : len_(len), gap_(gap), fine_(fine) {}
  // Feeds one ink pixel at position p along the line; positions must come
  // in increasing order. fill(a, b) marks [a, b) as rule; thick(a, b) is
  // the fraction of [a, b) with ink off the axis on either side;
  // crossed(p) whether a rule across this one passes at p.
  template <class Fill, class Thick, class Crossed>
  void ink(int p, Fill&& fill, Thick&& thick, Crossed&& crossed) {
    if (start_ >= 0 && p - end_ > fine_) close(fill, thick, crossed);
    if (start_ < 0) start_ = p, count_ = 0;
    end_ = p + 1, ++count_;
  }
  template <class Fill, class Thick, class Crossed>
  void close(Fill&& fill, Thick&& thick, Crossed&& crossed) {
    if (start_ < 0) return;
    const int s = start_, n = end_ - start_;
    start_ = -1;
    const bool solid = count_ == n;
    if (!solid && count_ < kMinDensity * n) return;
    if (n >= len_) {
      if (!solid && thick(s, end_) > kMaxThick) return;
      int from = s;
      if (last_end_ >= 0 && s - last_end_ < gap_) from = last_end_;
      else if (short_end_ >= 0 && s - short_end_ < gap_ && !crossed(s)) from = short_start_;
      fill(from, end_);
      last_end_ = end_;
    } else if (4 * n >= len_ && thick(s, end_) <= kMaxThick) {
      if (last_end_ >= 0 && s - last_end_ < gap_ && !crossed(last_end_ - 1)) {
        fill(last_end_, end_);
        last_end_ = end_;
      } else {
        short_start_ = s, short_end_ = end_;
      }
    }
  }

 private:
  static constexpr double kMinDensity = 0.6, kMaxThick = 0.25;
  int len_, gap_, fine_;
  int start_ = -1, end_ = -1, count_ = 0, last_end_ = -1;
  int short_start_ = -1, short_end_ = -1;  // the last short thin piece
};

// Eight mask bytes from p[x] as one word: a test for paper eight pixels at a time.
uint64_t word_at(const uchar* p, int x) {
  uint64_t v;
  std::memcpy(&v, p + x, sizeof v);
  return v;
}

// across: the rules of the other direction found already (may be empty),
// where a rule's end is tested for a rule across it (see RuleRuns).
cv::Mat extract_rules(const cv::Mat& ink, bool horizontal, int len, int gap, int fine, int side,
                      const cv::Mat& across = cv::Mat()) {
  const int W = ink.cols, H = ink.rows;
  cv::Mat out = cv::Mat::zeros(ink.size(), CV_8U);
  int x = 0;  // the vertical pass's column
  auto crossed = [&](int p) {
    if (across.empty() || horizontal) return false;
    for (int y = std::max(0, p - 2); y <= std::min(H - 1, p + 2); ++y)
      if (across.ptr<uchar>(y)[x]) return true;
    return false;
  };
  if (horizontal) {
    for (int y = 0; y < H; ++y) {
      const uchar* a = ink.ptr<uchar>(std::max(0, y - 1));
      const uchar* b = ink.ptr<uchar>(y);
      const uchar* c = ink.ptr<uchar>(std::min(H - 1, y + 1));
      const uchar* above = ink.ptr<uchar>(std::max(0, y - side));
      const uchar* below = ink.ptr<uchar>(std::min(H - 1, y + side));
      uchar* o = out.ptr<uchar>(y);
      auto fill = [o](int from, int to) { std::fill(o + from, o + to, uchar(255)); };
      auto thick = [&](int from, int to) {
        int n = 0;
        for (int x = from; x < to; ++x) n += above[x] || below[x];
        return double(n) / double(to - from);
      };
      RuleRuns runs(len, gap, fine);
      for (int x = 0; x < W;) {
        if (x + 8 <= W && !(word_at(a, x) | word_at(b, x) | word_at(c, x))) {
          x += 8;  // paper, eight at a time
          continue;
        }
        if (a[x] | b[x] | c[x]) runs.ink(x, fill, thick, crossed);
        ++x;
      }
      runs.close(fill, thick, crossed);
    }
    return out;
  }
  // Vertical: one pass down the rows with a run state per column.
  std::vector<RuleRuns> runs(size_t(W), RuleRuns(len, gap, fine));
  auto fill = [&](int from, int to) {
    for (int y = from; y < to; ++y) out.ptr<uchar>(y)[x] = 255;
  };
  auto thick = [&](int from, int to) {
    const int l = std::max(0, x - side), r = std::min(W - 1, x + side);
    int n = 0;
    for (int y = from; y < to; ++y) n += ink.ptr<uchar>(y)[l] || ink.ptr<uchar>(y)[r];
    return double(n) / double(to - from);
  };
  for (int y = 0; y < H; ++y) {
    const uchar* p = ink.ptr<uchar>(y);
    for (x = 0; x < W;) {
      // Columns x..x+7 see ink at x-1..x+8: none there, all eight are paper.
      if (x > 0 && x + 9 <= W && !(p[x - 1] | word_at(p, x) | p[x + 8])) {
        x += 8;
        continue;
      }
      if (p[x] | (x > 0 ? p[x - 1] : 0) | (x + 1 < W ? p[x + 1] : 0)) runs[size_t(x)].ink(y, fill, thick, crossed);
      ++x;
    }
  }
  for (x = 0; x < W; ++x) runs[size_t(x)].close(fill, thick, crossed);
  return out;
}

// Rule positions across one axis inside `area`: segments (connected
// components of the rule mask) are clustered by their centre; a cluster is a
// rule when its segments add up to min_total px.
std::vector<int> rule_positions(const cv::Mat& rules, const cv::Rect& area, bool horizontal,
                                int tol, int min_total) {
  cv::Mat stats;
  const int n = ink_component_stats(rules(area), stats);
  struct Seg {
    double pos;
    int len;
  };
  std::vector<Seg> segs;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (horizontal) segs.push_back({area.y + y + h / 2.0, w});
    else segs.push_back({area.x + x + w / 2.0, h});
  }
  std::sort(segs.begin(), segs.end(), [](auto& a, auto& b) { return a.pos < b.pos; });
  std::vector<int> out;
  size_t i = 0;
  while (i < segs.size()) {
    double wsum = 0, psum = 0, last = segs[i].pos;
    size_t j = i;
    while (j < segs.size() && segs[j].pos - last <= tol) {
      wsum += segs[j].len;
      psum += segs[j].pos * segs[j].len;
      last = segs[j].pos;
      ++j;
    }
    if (wsum >= min_total) out.push_back(int(std::lround(psum / wsum)));
    i = j;
  }
  return out;
}

// Fraction of [a, b) along a rule at `pos` (± tol) where the rule mask has ink.
double coverage(const cv::Mat& rules, bool horizontal, int pos, int a, int b, int tol) {
  if (b <= a) return 1;
  cv::Rect band = horizontal ? cv::Rect(a, pos - tol, b - a, 2 * tol + 1)
                             : cv::Rect(pos - tol, a, 2 * tol + 1, b - a);
  band &= cv::Rect(0, 0, rules.cols, rules.rows);
  if (band.empty()) return 0;
  cv::Mat prof;
  cv::reduce(rules(band), prof, horizontal ? 0 : 1, cv::REDUCE_MAX);
  return double(cv::countNonZero(prof)) / double(b - a);
}

// Rows at a table's top or bottom, and columns at its sides, that no
// inner rule of the other direction crosses are not the table's: a page
// edge left in by rectification, or a line above the page header, closed
// them, and the page header would be read as a row of cells. A crossing
// rule covers a quarter of the row's height at least (photographed rules
// break); at least two rows and two columns stay.
void trim_unruled_ends(Table& t, const cv::Mat& h_own, const cv::Mat& v_own, cv::Point origin, int tol) {
  auto crossed = [&](bool row, size_t i) {
    const std::vector<int>& along = row ? t.row_edges : t.col_edges;
    const std::vector<int>& across = row ? t.col_edges : t.row_edges;
    const int o_along = row ? origin.y : origin.x, o_across = row ? origin.x : origin.y;
    const int a = along[i] - o_along + tol, b = along[i + 1] - o_along - tol;
    for (size_t k = 1; k + 1 < across.size(); ++k)
      if (coverage(row ? v_own : h_own, !row, across[k] - o_across, a, b, tol) >= 0.25) return true;
    return false;
  };
  // Only a table with inner rules both ways can tell: a one-row table has
  // no row rule to cross its columns.
  if (t.rows() < 3 || t.cols() < 3) return;
  while (t.rows() > 2 && !crossed(true, 0)) t.row_edges.erase(t.row_edges.begin());
  while (t.rows() > 2 && !crossed(true, size_t(t.rows() - 1))) t.row_edges.pop_back();
  while (t.cols() > 2 && !crossed(false, 0)) t.col_edges.erase(t.col_edges.begin());
  while (t.cols() > 2 && !crossed(false, size_t(t.cols() - 1))) t.col_edges.pop_back();
}

struct UnionFind {
  std::vector<int> p;
  explicit UnionFind(int n) : p(size_t(n)) { std::iota(p.begin(), p.end(), 0); }
  int find(int x) { return p[size_t(x)] == x ? x : p[size_t(x)] = find(p[size_t(x)]); }
  void unite(int a, int b) { p[size_t(find(a))] = find(b); }
};

// Groups components into text lines. Only the vertical middle third of
// each letter-sized component is projected, so ascenders, descenders and
// stacked Vietnamese diacritics of neighbouring lines do not bridge them;
// every component (marks included) then joins the nearest band. A piece
// taller than four x-heights is no letter (a stamp's ring, a signature's
// flourish): its middle third would join the lines it stands beside.
std::vector<std::vector<int>> group_lines(const std::vector<Comp>& comps,
                                          const std::vector<int>& ids, double xh) {
  std::vector<std::vector<int>> lines;
  if (ids.empty()) return lines;
  int y0 = INT32_MAX, y1 = 0;
  for (int i : ids) {
    y0 = std::min(y0, comps[size_t(i)].box.y);
    y1 = std::max(y1, comps[size_t(i)].box.br().y);
  }
  std::vector<int> body;
  for (int i : ids)
    if (comps[size_t(i)].box.height >= 0.5 * xh && comps[size_t(i)].box.height <= 4 * xh) body.push_back(i);
  if (body.empty()) body = ids;  // a line of dots or dashes only
  std::vector<int> prof(size_t(y1 - y0 + 2), 0);
  for (int i : body) {
    const auto& b = comps[size_t(i)].box;
    const int c = b.y + b.height / 2 - y0, r = std::max(1, b.height / 6);
    ++prof[size_t(std::max(0, c - r))];
    --prof[size_t(std::min(int(prof.size()) - 1, c + r + 1))];
  }
  std::vector<std::pair<int, int>> bands;
  int acc = 0, start = -1;
  for (int y = 0; y < int(prof.size()); ++y) {
    acc += prof[size_t(y)];
    if (acc > 0 && start < 0) start = y;
    if (acc <= 0 && start >= 0) {
      bands.push_back({start + y0, y - 1 + y0});
      start = -1;
    }
  }
  if (start >= 0) bands.push_back({start + y0, y1});
  // Cores of one line can be split by a hair (capitals vs. lower case).
  std::vector<std::pair<int, int>> merged;
  for (auto& b : bands) {
    if (!merged.empty() && b.first - merged.back().second <= std::max(2.0, 0.25 * xh))
      merged.back().second = b.second;
    else
      merged.push_back(b);
  }
  lines.resize(merged.size());
  auto band_distance = [&](size_t k, int cy) {
    return cy < merged[k].first ? merged[k].first - cy
           : cy > merged[k].second ? cy - merged[k].second : 0;
  };
  auto nearest = [&](int cy) {
    size_t best = 0;
    for (size_t k = 1; k < merged.size(); ++k)
      if (band_distance(k, cy) < band_distance(best, cy)) best = k;
    return best;
  };
  // Letter-sized components first: they define each band's horizontal
  // extent. Marks and dots then join the nearest band that has a letter
  // above or below them, so a mark between two lines of side-by-side
  // columns goes to its own column's line. Before that, a mark on a band's
  // row of letters (between their median top and foot) that a chain of
  // marks a word space apart links to a letter of that row is that line's:
  // the middle dots of a dot leader ("Năm sinh: ........ 1988") have no
  // letter above or below them, and the next line's letters under them
  // would take them, stretching that line's crop over this one's feet.
  std::vector<char> is_body(comps.size(), 0);
  for (int i : body) is_body[size_t(i)] = 1;
  for (int i : body) lines[nearest(comps[size_t(i)].cy())].push_back(i);
  const int reach = int(std::lround(1.5 * xh));
  std::vector<int> on_row(comps.size(), -1);  // band whose row a mark continues
  {
    const int space = int(std::lround(xh));
    std::vector<int> marks;
    for (int i : ids)
      if (!is_body[size_t(i)]) marks.push_back(i);
    for (size_t k = 0; k < lines.size(); ++k) {
      if (lines[k].empty()) continue;
      std::vector<int> tops, feet;
      for (int j : lines[k]) tops.push_back(comps[size_t(j)].box.y), feet.push_back(comps[size_t(j)].box.br().y);
      std::nth_element(tops.begin(), tops.begin() + long(tops.size() / 2), tops.end());
      std::nth_element(feet.begin(), feet.begin() + long(feet.size() / 2), feet.end());
      const int top = tops[tops.size() / 2], foot = feet[feet.size() / 2];
      // The row's letters and the marks within it, left to right; a mark is
      // linked when within a word space of a linked piece on either side.
      std::vector<std::pair<int, bool>> row;  // (component, is a letter)
      for (int j : lines[k]) row.push_back({j, true});
      for (int i : marks)
        if (top <= comps[size_t(i)].cy() && comps[size_t(i)].cy() <= foot) row.push_back({i, false});
      std::sort(row.begin(), row.end(), [&](auto& p, auto& q) { return comps[size_t(p.first)].box.x < comps[size_t(q.first)].box.x; });
      std::vector<char> linked(row.size(), 0);
      int edge = INT32_MIN / 2;
      for (size_t r = 0; r < row.size(); ++r) {
        const cv::Rect& bx = comps[size_t(row[r].first)].box;
        if (row[r].second || bx.x - edge <= space) linked[r] = 1, edge = std::max(edge, bx.br().x);
      }
      edge = INT32_MAX / 2;
      for (size_t r = row.size(); r-- > 0;) {
        const cv::Rect& bx = comps[size_t(row[r].first)].box;
        if (linked[r] || edge - bx.br().x <= space) linked[r] = 1, edge = std::min(edge, bx.x);
      }
      for (size_t r = 0; r < row.size(); ++r) {
        const int i = row[r].first;
        if (row[r].second || !linked[r]) continue;
        const int cy = comps[size_t(i)].cy();
        if (on_row[size_t(i)] < 0 || band_distance(k, cy) < band_distance(size_t(on_row[size_t(i)]), cy))
          on_row[size_t(i)] = int(k);
      }
    }
  }
  for (int i : ids) {
    if (is_body[size_t(i)]) continue;
    if (on_row[size_t(i)] >= 0) {
      lines[size_t(on_row[size_t(i)])].push_back(i);
      continue;
    }
    const Comp& c = comps[size_t(i)];
    const int cy = c.cy();
    size_t best = nearest(cy);
    int best_d = INT32_MAX;
    for (size_t k = 0; k < merged.size(); ++k) {
      const int d = band_distance(k, cy);
      if (d > reach || d >= best_d) continue;
      for (int j : lines[k]) {
        const cv::Rect& b = comps[size_t(j)].box;
        if (is_body[size_t(j)] && b.x - reach / 3 < c.box.br().x && c.box.x < b.br().x + reach / 3) {
          best = k, best_d = d;
          break;
        }
      }
    }
    lines[best].push_back(i);
  }
  // A piece far taller than the letters of its line (a stamp's arc, a
  // flourish of a signature) is no text of it; kept, it would stretch the
  // line's crop over the lines above and below, and the engine reads
  // nothing in a crop of several lines.
  for (auto& l : lines) {
    std::vector<int> heights;
    for (int i : l)
      if (is_body[size_t(i)]) heights.push_back(comps[size_t(i)].box.height);
    if (heights.size() < 3) continue;
    std::nth_element(heights.begin(), heights.begin() + long(heights.size() / 2), heights.end());
    const double limit = std::max(2.0 * xh, 2.5 * heights[heights.size() / 2]);
    std::erase_if(l, [&](int i) { return comps[size_t(i)].box.height > limit; });
  }
  std::erase_if(lines, [](auto& l) { return l.empty(); });
  return lines;
}

Line make_line(const std::vector<Comp>& comps, const std::vector<int>& ids) {
  cv::Rect r = comps[size_t(ids.front())].box;
  for (int i : ids) r |= comps[size_t(i)].box;
  Line l;
  l.box = to_box(r);
  return l;
}

// Whether letters of comps cross the grid boundary at pos (a row edge when
// horizontal, else a column edge) between a and b along it, reaching k px
// beyond it on both sides: printed text is never cut by a drawn rule, so a
// line of text across a boundary says it has none. Three letters at least:
// in a photo one blob may cross alone, a letter joined to a stretch of the
// faint rule beside it.
bool text_crosses(const std::vector<Comp>& comps, bool horizontal, int pos, int a, int b, double xh) {
  const int k = std::max(2, int(std::lround(0.2 * xh)));
  int n = 0;
  for (const Comp& c : comps) {
    if (c.faint || c.box.height > 2.5 * xh) continue;
    const int along = horizontal ? c.cx() : c.cy();
    const int lo = horizontal ? c.box.y : c.box.x;
    const int hi = lo + (horizontal ? c.box.height : c.box.width);
    if (along > a && along < b && lo <= pos - k && hi >= pos + k && ++n >= 2) return true;
  }
  return false;
}

// Whether the grid cells left and right of the column edge x (rows y0..y1,
// the cells spanning xl..x and x..xr) each hold their own text, clear of
// the edge, apart by 3/4 of an x-height (twice a cell's padding; more than
// a word space) or each centred in its cell:
// two titles ("Họ, chữ đệm, tên" | "Ngày, tháng, năm sinh") or two values
// ("Nguyễn Đức" | "01.09.1993") whose faint rule the photo lost, not one
// text spanning both cells, whose words hug the edge from both sides
// ("Bên" | "vợ" of a group title cut at the space).
// The thickest line of ink that is no letter's stroke: a quarter of an
// x-height (3 px at least).
int hair_px(double xh) { return std::max(3, int(std::lround(0.25 * xh))); }

// A thin upright piece (a flat one when horizontal): what is left of a
// rule lost in print or in a photo, not a letter. hair = hair_px().
// A piece as long as 7 hairs (1.75 x-heights, beyond any letter) may be
// up to two hairs thick: a rule blurred in a photo. Such a piece on a cell
// edge is that edge's rule, too short to be found as one (a low title row).
bool rule_piece(const cv::Rect& b, int hair, bool horizontal = false) {
  const int thick = horizontal ? b.height : b.width, len = horizontal ? b.width : b.height;
  return thick <= 2 * hair && len >= 7 * hair;
}
bool rule_remnant(const cv::Rect& b, int hair, bool horizontal = false) {
  const int thick = horizontal ? b.height : b.width, len = horizontal ? b.width : b.height;
  return (thick <= hair && len >= 3 * thick) || rule_piece(b, hair, horizontal);
}

bool separate_texts(const std::vector<Comp>& comps, int x, int xl, int xr, int y0, int y1, double xh) {
  cv::Rect left, right;
  // A cell's text starts a third of an x-height past its rule.
  const int clear = std::max(2, int(std::lround(0.15 * xh)));
  const int hair = hair_px(xh);
  for (const Comp& c : comps) {
    if (c.faint || c.box.height > 2.5 * xh || c.cy() <= y0 || c.cy() >= y1 || c.cx() <= xl || c.cx() >= xr) continue;
    if (c.box.x < x + clear && c.box.br().x > x - clear) {
      if (rule_remnant(c.box, hair)) continue;
      return false;                       // a letter at or across the edge
    }
    (c.cx() < x ? left : right) |= c.box;
  }
  if (left.empty() || right.empty()) return false;
  auto centred = [&](const cv::Rect& b, int a0, int a1) {
    return std::abs((b.x + b.br().x) - (a0 + a1)) <= 0.2 * (a1 - a0);
  };
  return right.x - left.br().x >= 0.75 * xh || (centred(left, xl, x) && centred(right, x, xr));
}

// Whether the grid cells above and below the row edge y (column x0..x1,
// whose blobs column lists; the cells spanning ya..y and y..yb) each hold
// their own text, clear of
// the edge, with a gap of 0.8 x-height between them (more than the
// gap between the lines of one cell): two entries' values ("Việt Nam" |
// "Việt Nam") or a header and the value under it, whose faint rule the
// photo lost, not one text that spans both rows ("Ngày, tháng," | "năm
// sinh" of a header over two header rows).
bool separate_rows(const std::vector<Comp>& comps, const std::vector<int>& column, int y, int ya, int yb, int x0, int x1,
                   double xh) {
  const int clear = std::max(2, int(std::lround(0.25 * xh)));
  const int hair = hair_px(xh);
  cv::Rect above, below;
  for (int i : column) {
    const Comp& c = comps[size_t(i)];
    // Letters of the cells beside that run over the column edge are not
    // this column's; dashes of the broken rule itself are no text.
    if (c.faint || c.box.height > 2.5 * xh || c.box.x < x0 + clear || c.box.br().x > x1 - clear || c.cy() <= ya ||
        c.cy() >= yb || rule_remnant(c.box, hair, true))
      continue;
    // A letter across the edge ("Số" of "Số / đăng / ký", its accent above
    // and the next line below) says no rule was ever there.
    if (c.box.y < y - clear && c.box.br().y > y + clear) return false;
    (c.cy() < y ? above : below) |= c.box;
  }
  return !above.empty() && !below.empty() && above.br().y <= y - clear && below.y >= y + clear &&
         below.y - above.br().y >= 0.8 * xh;
}

// Cells of one table from its grid: neighbouring grid cells whose common
// rule is (mostly) missing are one spanning cell. A merged group that is not
// a rectangle is a broken-rule artefact (faint rules of a photo lose whole
// stretches): its grid cells stay separate, and merge again only across
// boundaries that a line of text crosses (a spanning header cell whose
// neighbour has a stub of rule beside it), where the result is a rectangle.
std::vector<Cell> make_cells(const Table& t, const cv::Mat& hr, const cv::Mat& vr, int tol,
                             double min_cov, const std::vector<Comp>& comps, double xh) {
  const int R = t.rows(), C = t.cols();
  struct Group {
    int r0 = INT32_MAX, r1 = -1, c0 = INT32_MAX, c1 = -1, n = 0;
    bool rect() const { return n == (r1 - r0 + 1) * (c1 - c0 + 1); }
  };
  // Grid cells united into groups whose extents are kept at their roots.
  struct Groups {
    UnionFind uf;
    std::vector<Group> g;
    Groups(int R, int C) : uf(R * C), g(size_t(R * C)) {
      for (int i = 0; i < R * C; ++i) g[size_t(i)] = {i / C, i / C, i % C, i % C, 1};
    }
    void join(int i, int j, bool keep_rect) {
      const int a = uf.find(i), b = uf.find(j);
      if (a == b) return;
      const Group &x = g[size_t(a)], &y = g[size_t(b)];
      const Group u{std::min(x.r0, y.r0), std::max(x.r1, y.r1), std::min(x.c0, y.c0),
                    std::max(x.c1, y.c1), x.n + y.n};
      if (keep_rect && !u.rect()) return;
      uf.p[size_t(a)] = b;
      g[size_t(b)] = u;
    }
  };
  struct Join {
    int a, b;
    bool horizontal;  // a row edge between a and the cell below
    int pos, lo, hi;  // the boundary's position and extent along it
  };
  // The blobs of each column (by their centre), for the row edges' tests.
  std::vector<std::vector<int>> in_column(static_cast<size_t>(C));
  for (size_t i = 0; i < comps.size(); ++i) {
    const int cx = comps[i].cx();
    const auto it = std::upper_bound(t.col_edges.begin(), t.col_edges.end(), cx);
    const long c = long(it - t.col_edges.begin()) - 1;
    if (c >= 0 && c < C) in_column[size_t(c)].push_back(int(i));
  }
  std::vector<Join> open;  // boundaries without (most of) their rule
  std::vector<char> open_right(size_t(R * C), 0), open_down(size_t(R * C), 0);
  // A rule piece (dark or faint) on the edge between columns c and c + 1
  // within rows y0..y1.
  const int hair = hair_px(xh), clear = std::max(2, int(std::lround(0.15 * xh)));
  auto piece_on = [&](int c, int x, int y0, int y1) {
    for (int k : {c, c + 1})
      for (int i : in_column[size_t(k)]) {
        const Comp& p = comps[size_t(i)];
        if (p.cy() > y0 && p.cy() < y1 && p.box.x < x + clear && p.box.br().x > x - clear && rule_piece(p.box, hair))
          return true;
      }
    return false;
  };
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      const int y0 = t.row_edges[size_t(r)], y1 = t.row_edges[size_t(r) + 1];
      const int x0 = t.col_edges[size_t(c)], x1 = t.col_edges[size_t(c) + 1];
      if (c + 1 < C && coverage(vr, false, x1, y0 + tol, y1 - tol, tol) < min_cov && !piece_on(c, x1, y0, y1) &&
          !separate_texts(comps, x1, x0, t.col_edges[size_t(c) + 2], y0, y1, xh)) {
        open.push_back({r * C + c, r * C + c + 1, false, x1, y0, y1});
        open_right[size_t(r * C + c)] = 1;
      }
      if (r + 1 < R && coverage(hr, true, y1, x0 + tol, x1 - tol, tol) < min_cov &&
          !separate_rows(comps, in_column[size_t(c)], y1, y0, t.row_edges[size_t(r) + 2], x0, x1, xh)) {
        open.push_back({r * C + c, (r + 1) * C + c, true, y1, x0, x1});
        open_down[size_t(r * C + c)] = 1;
      }
    }
  Groups all(R, C), cells_of(R, C);
  for (const Join& j : open) all.join(j.a, j.b, false);
  // A group is a spanning cell when it is a rectangle with no drawn rule
  // inside it: two cells merged across a lost rule above and below a drawn
  // one are no span.
  std::vector<char> sound(size_t(R * C), 1);
  for (int i = 0; i < R * C; ++i) {
    const int root = all.uf.find(i);
    if (!all.g[size_t(root)].rect()) sound[size_t(root)] = 0;
    if (i % C + 1 < C && !open_right[size_t(i)] && all.uf.find(i + 1) == root) sound[size_t(root)] = 0;
    if (i / C + 1 < R && !open_down[size_t(i)] && all.uf.find(i + C) == root) sound[size_t(root)] = 0;
  }
  // Within a group that is no rectangle, cells side by side in one row,
  // neither of them open to a cell above or below, are one span: a title
  // row whose rules were lost ("Họ tên mẹ" over its sub-columns) next to a
  // header cell over both header rows, also without its rule between them.
  auto row_only = [&](int i) { return !open_down[size_t(i)] && !(i >= C && open_down[size_t(i - C)]); };
  for (const Join& j : open) {
    if (sound[size_t(all.uf.find(j.a))]) cells_of.join(j.a, j.b, false);
    else if (!j.horizontal && row_only(j.a) && row_only(j.b)) cells_of.join(j.a, j.b, true);
    else if (text_crosses(comps, j.horizontal, j.pos, j.lo, j.hi, xh)) cells_of.join(j.a, j.b, true);
  }
  std::vector<Cell> cells;
  auto add = [&](int r0, int c0, int r1, int c1) {
    Cell cell;
    cell.row = r0, cell.col = c0, cell.row_span = r1 - r0 + 1, cell.col_span = c1 - c0 + 1;
    const int x = t.col_edges[size_t(c0)], y = t.row_edges[size_t(r0)];
    cell.box = {x, y, t.col_edges[size_t(c1) + 1] - x, t.row_edges[size_t(r1) + 1] - y};
    cells.push_back(cell);
  };
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) {
      const Group& x = cells_of.g[size_t(cells_of.uf.find(r * C + c))];
      if (!x.rect()) add(r, c, r, c);
      else if (x.r0 == r && x.c0 == c) add(x.r0, x.c0, x.r1, x.c1);
    }
  // Two group titles side by side whose dividing rule is missing in their
  // row ("Họ tên mẹ" ... "Người cha" over their sub-columns) merge the row
  // into one span holding two texts many x-heights apart, which no one
  // title has between its words. The span is cut at the grid edge in the
  // gap that centres each text best over its part.
  std::vector<Cell> out;
  for (const Cell& cell : cells) {
    out.push_back(cell);
    if (cell.row_span != 1 || cell.col_span < 2) continue;
    std::vector<cv::Rect> boxes;
    for (const Comp& k : comps)
      if (!k.faint && k.box.height <= 2.5 * xh && k.cx() > cell.box.x && k.cx() < cell.box.x + cell.box.w &&
          k.cy() > cell.box.y && k.cy() < cell.box.y + cell.box.h &&
          !rule_remnant(k.box, hair))
        boxes.push_back(k.box);
    std::sort(boxes.begin(), boxes.end(), [](auto& a, auto& b) { return a.x < b.x; });
    std::vector<cv::Rect> runs;  // texts: boxes closer than 3 x-heights
    for (const cv::Rect& b : boxes)
      if (!runs.empty() && b.x - runs.back().br().x < 3 * xh) runs.back() |= b;
      else runs.push_back(b);
    if (runs.size() != 2 || runs[0].width < 2 * xh || runs[1].width < 2 * xh) continue;
    const int x0 = cell.box.x, x1 = cell.box.x + cell.box.w;
    int best = -1;
    long best_cost = 0;
    for (int k = cell.col + 1; k < cell.col + cell.col_span; ++k) {
      const int e = t.col_edges[size_t(k)];
      if (e < runs[0].br().x + clear || e > runs[1].x - clear) continue;
      const long cost = std::labs(long(runs[0].x + runs[0].br().x) - (x0 + e)) +
                        std::labs(long(runs[1].x + runs[1].br().x) - (e + x1));
      if (best < 0 || cost < best_cost) best = k, best_cost = cost;
    }
    if (best < 0) continue;
    Cell& left = out.back();
    Cell right = left;
    left.col_span = best - cell.col;
    left.box.w = t.col_edges[size_t(best)] - x0;
    right.col = best;
    right.col_span = cell.col + cell.col_span - best;
    right.box.x = t.col_edges[size_t(best)];
    right.box.w = x1 - right.box.x;
    out.push_back(right);
  }
  return out;
}

// Reading order of the lines outside tables. Lines (bands) are cut into
// segments at horizontal gaps wider than a column gap; a vertical white
// river through those segments in the middle of the text is a column split. Runs of lines that do not cross it are emitted
// left column first, then right column; lines crossing it (centred titles)
// are emitted in place and end the run. A stamp's ring (rings: centre x,
// y, radius) is ink on every line it crosses, whatever of it the lines
// left out: no gutter runs through a stamp. A rule across the gutter
// (separators: horizontal rules outside tables) ends a run too: two
// entries of a form page, each in two columns, are read one after the
// other, not the left columns of both first.
std::vector<Line> order_lines(const std::vector<Comp>& comps,
                              const std::vector<std::vector<int>>& bands, int width,
                              const LayoutOptions& o, double xh, const std::vector<cv::Vec3f>& rings,
                              const std::vector<cv::Rect>& separators) {
  const int colgap = int(std::lround(o.column_gap_xh * xh));
  std::vector<int> mid_y(bands.size());
  for (size_t b = 0; b < bands.size(); ++b) {
    int y0 = INT32_MAX, y1 = INT32_MIN;
    for (int i : bands[b]) y0 = std::min(y0, comps[size_t(i)].box.y), y1 = std::max(y1, comps[size_t(i)].box.br().y);
    mid_y[b] = bands[b].empty() ? 0 : (y0 + y1) / 2;
  }
  // Whether a separator at x lies between bands p and p + 1.
  auto parted = [&](size_t p, int x) {
    return std::any_of(separators.begin(), separators.end(), [&](const cv::Rect& r) {
      return r.y > mid_y[p] && r.y < mid_y[p + 1] && r.x <= x && x < r.br().x;
    });
  };
  std::vector<std::vector<std::pair<int, int>>> segs(bands.size());
  int tx0 = width, tx1 = 0;
  for (size_t b = 0; b < bands.size(); ++b) {
    std::vector<int> ids = bands[b];
    std::vector<std::pair<int, int>> spans;
    int y0 = INT32_MAX, y1 = INT32_MIN;
    for (int i : ids) {
      const auto& r = comps[size_t(i)].box;
      tx0 = std::min(tx0, r.x), tx1 = std::max(tx1, r.br().x);
      y0 = std::min(y0, r.y), y1 = std::max(y1, r.br().y);
      spans.push_back({r.x, r.br().x});
    }
    for (const cv::Vec3f& ring : rings) {
      const double dy = std::abs((y0 + y1) / 2.0 - ring[1]);
      if (ids.empty() || dy >= ring[2]) continue;
      const double half = std::sqrt(double(ring[2]) * ring[2] - dy * dy);
      spans.push_back({int(ring[0] - half), int(ring[0] + half)});
    }
    std::sort(spans.begin(), spans.end());
    for (const auto& [x0, x1] : spans) {
      if (!segs[b].empty() && x0 - segs[b].back().second <= colgap)
        segs[b].back().second = std::max(segs[b].back().second, x1);
      else
        segs[b].push_back({x0, x1});
    }
  }
  // The gutter. A line "admits" x when none of its segments covers x. A
  // column block is a run of consecutive lines admitting x of which at
  // least min_column_lines have text left of x and as many right of it
  // (the two columns need not be aligned line by line). x is chosen in the
  // middle half of the text where blocks score highest (the smaller side's
  // line count), in the middle of the first best-scoring stretch of x.
  // cut[b] > 0: band b is two columns' lines run together, parted at x = cut[b] (see below).
  std::vector<int> cut(bands.size(), 0);
  auto admits = [&](size_t b, int x) {
    if (cut[b] > 0) return true;
    for (const auto& g : segs[b])
      if (g.first <= x && x < g.second) return false;
    return true;
  };
  auto sides = [&](size_t b, int x, int* nl, int* nr) {
    bool l = false, r = false;
    for (const auto& g : segs[b]) l |= g.second <= x, r |= g.first > x;
    *nl += l, *nr += r;
  };
  // Marks the lines in column blocks at x; returns the block score.
  auto blocks_at = [&](int x, std::vector<char>* in_block) {
    int total = 0;
    size_t b = 0;
    while (b < bands.size()) {
      if (!admits(b, x)) {
        ++b;
        continue;
      }
      size_t e = b;
      int nl = 0, nr = 0;
      while (e < bands.size() && admits(e, x) && (e == b || !parted(e - 1, x))) sides(e, x, &nl, &nr), ++e;
      if (std::min(nl, nr) >= o.min_column_lines) {
        total += std::min(nl, nr);
        if (in_block)
          for (size_t k = b; k < e; ++k) (*in_block)[k] = 1;
      }
      b = e;
    }
    return total;
  };
  int split = -1;
  if (tx1 > tx0) {
    const int a = tx0 + (tx1 - tx0) / 4, z = tx0 + (tx1 - tx0) * 3 / 4;
    int best = 0, run0 = -1, run1 = -1;
    for (int x = a; x <= z; ++x) {
      const int s = blocks_at(x, nullptr);
      if (s > best) best = s, run0 = run1 = x;
      else if (s == best && best > 0 && run1 == x - 1) run1 = x;
    }
    if (run0 >= 0) split = (run0 + run1) / 2;
  }
  // A line of each column run together over a narrow gutter (a long date
  // reaching the other column in a fixed-pitch face) between two lines
  // that each hold text on both sides of the split: it is cut where the
  // right column's lines start around it.
  auto two_sided = [&](size_t k) {
    int nl = 0, nr = 0;
    sides(k, split, &nl, &nr);
    return admits(k, split) && nl && nr;
  };
  const int tol = std::max(3, int(std::lround(0.15 * xh)));
  if (split >= 0)
    for (size_t b = 1; b + 1 < bands.size(); ++b) {
      if (admits(b, split) || !two_sided(b - 1) || !two_sided(b + 1)) continue;
      // Where the right column's lines start on the three lines above and
      // below: left-aligned, at the x most of them share (a heading stands
      // out, a wrapped value's second line in). A blob of the band
      // starting there after a gap begins the right column's line; a
      // full-width line's letter seldom does.
      std::vector<int> starts;
      for (size_t k = b > 3 ? b - 3 : 0; k <= b + 3 && k < bands.size(); ++k)
        if (k != b && two_sided(k))
          for (const auto& g : segs[k])
            if (g.first > split) {
              starts.push_back(g.first);
              break;
            }
      int start = -1, most = 0;
      for (int x : starts) {
        const int n = int(std::count_if(starts.begin(), starts.end(), [&](int y) { return std::abs(y - x) <= tol; }));
        if (n > most) most = n, start = x;
      }
      if (most < 3) continue;
      std::vector<cv::Rect> boxes;
      for (int i : bands[b]) boxes.push_back(comps[size_t(i)].box);
      std::sort(boxes.begin(), boxes.end(), [](auto& p, auto& q) { return p.x < q.x; });
      int reach = boxes.empty() ? 0 : boxes[0].br().x;
      for (size_t i = 1; i < boxes.size(); ++i) {
        if (boxes[i].x > reach && std::abs(boxes[i].x - start) <= tol) {
          cut[b] = boxes[i].x;
          break;
        }
        reach = std::max(reach, boxes[i].br().x);
      }
    }
  std::vector<char> in_block(bands.size(), 0);
  if (split >= 0) blocks_at(split, &in_block);
  // The right column's lines start at one x. A line of the block whose part
  // right of the split starts well left of it (two x-heights) is one line
  // with a gap in it, a label's dot leader and then its value ("Nơi
  // thường trú: ........ Tổ dân phố ..."): kept whole, in place.
  if (split >= 0) {
    auto right_start = [&](size_t k) {
      for (const auto& g : segs[k])
        if (g.first > split) return g.first;
      return -1;
    };
    std::vector<int> starts;
    for (size_t k = 0; k < bands.size(); ++k)
      if (in_block[k] && cut[k] == 0 && two_sided(k)) starts.push_back(right_start(k));
    int start = -1, most = 0;
    for (int x : starts) {
      const int n = int(std::count_if(starts.begin(), starts.end(), [&](int y) { return std::abs(y - x) <= tol; }));
      if (n > most || (n == most && x > start)) most = n, start = x;
    }
    if (most >= 2)
      for (size_t k = 0; k < bands.size(); ++k)
        if (in_block[k] && cut[k] == 0 && two_sided(k) && right_start(k) < start - 2 * xh) in_block[k] = 0;
  }

  std::vector<Line> out;
  std::vector<Line> left, right;
  auto flush = [&] {
    for (auto& l : left) out.push_back(std::move(l));
    for (auto& l : right) out.push_back(std::move(l));
    left.clear(), right.clear();
  };
  for (size_t b = 0; b < bands.size(); ++b) {
    if (b > 0 && split >= 0 && parted(b - 1, split)) flush();
    if (!in_block[b]) {
      flush();
      out.push_back(make_line(comps, bands[b]));
      continue;
    }
    std::vector<int> l, r;
    const int at = cut[b] > 0 ? cut[b] : split;
    for (int i : bands[b]) (comps[size_t(i)].cx() < at ? l : r).push_back(i);
    if (!l.empty()) left.push_back(make_line(comps, l));
    if (!r.empty()) right.push_back(make_line(comps, r));
  }
  flush();
  return out;
}

// Dark strips along the image edge (the page edge or desk left in by
// rectification, a scanner's shaded border turned by deskewing) would read
// as rules of a page-sized table or as text lines. A blob near a side (within
// 1% of the page) and thin across it is such a strip; so is any blob lying
// entirely in that margin, and a page-sized frame with nothing inside.
void remove_border_strips(cv::Mat& ink) {
  const InkComponents comps(ink);
  const int n = comps.count();
  const int W = ink.cols, H = ink.rows;
  const int mx = std::max(3, W / 100), my = std::max(3, H / 100);
  std::vector<uchar> drop(size_t(n), 0);
  bool any = false;
  for (int i = 1; i < n; ++i) {
    const cv::Rect b = comps.box(i);
    const int x = b.x, y = b.y, w = b.width, h = b.height;
    const bool near_lr = x <= mx || x + w >= W - mx, near_tb = y <= my || y + h >= H - my;
    const bool side = near_lr && w < W / 40 && h > H / 8;
    const bool top = near_tb && h < H / 40 && w > W / 8;
    const bool in_margin = x + w <= mx || x >= W - mx || y + h <= my || y >= H - my;
    // The whole page edge as one blob (a frame): big, near the border, and
    // next to nothing of it inside (a table drawn to the edge has rules there).
    bool frame = false;
    if ((near_lr || near_tb) && w > W / 2 && h > H / 2) {
      const cv::Rect inner(x + w / 20, y + h / 20, w - w / 10, h - h / 10);
      long inside = 0;
      for (const auto& r : comps.runs_in_rows(inner.y, inner.br().y))
        if (r.label == i) inside += std::max(0, std::min(r.x1, inner.br().x) - std::max(r.x0, inner.x));
      frame = inside < comps.stats().at<int>(i, cv::CC_STAT_AREA) / 20;
    }
    if (side || top || in_margin || frame) drop[size_t(i)] = 1, any = true;
  }
  if (any) comps.paint(ink, drop, 0);
}

// Two lines set close together touch where a descender of the upper one
// meets the marks or capitals of the lower ("Nguyễn" over "Bắc"): one blob
// two lines tall, which group_lines drops as far taller than its line, and
// the lower line is lost. A blob taller than any one line's letters with
// their stacked marks and descenders is cut at its thinnest row (a stroke
// or two wide), when both pieces are line-sized: a cut between a letter
// and its own marks leaves a piece shorter than an x-height. Pieces are
// cut again while they are still that tall. Both pieces must be of one ink:
// a grey stamp's star touching a dark title is no second line (the pieces'
// darkest pixels are then further apart than the lighter one is from
// faint_ink).
// Appends the pieces of blob c (label id) to comps.
void add_cut_at_touching_lines(std::vector<Comp>& comps, const InkComponents& ink, const cv::Mat& gray, int faint_ink,
                               int id, const Comp& c, double xh) {
  if (c.box.height <= 2.4 * xh) {  // one line's letters at most: nearly every blob
    comps.push_back(c);
    return;
  }
  // The blob's own pixels in its box (others may cross the box).
  cv::Mat own = cv::Mat::zeros(c.box.size(), CV_8U);
  for (const auto& r : ink.runs_in_rows(c.box.y, c.box.br().y))
    if (r.label == id) own.row(r.y - c.box.y).colRange(r.x0 - c.box.x, r.x1 - c.box.x).setTo(255);
  std::vector<Comp> pending{c};  // pieces still to be tried
  const int min_part = int(std::ceil(xh)), thin = std::max(2, int(std::lround(0.3 * xh)));
  while (!pending.empty()) {
    Comp part = pending.back();
    pending.pop_back();
    const cv::Rect& b = part.box;
    if (b.height <= 2.4 * xh || b.height < 2 * min_part + 1) {
      comps.push_back(part);
      continue;
    }
    std::vector<int> row(size_t(b.height), 0);
    for (int y = 0; y < b.height; ++y) {
      const uchar* m = own.ptr<uchar>(b.y - c.box.y + y) + (b.x - c.box.x);
      for (int x = 0; x < b.width; ++x) row[size_t(y)] += m[x] != 0;
    }
    int cut = -1;
    for (int y = min_part; y <= b.height - min_part; ++y)
      if (cut < 0 || row[size_t(y)] < row[size_t(cut)] ||
          (row[size_t(y)] == row[size_t(cut)] && std::abs(2 * y - b.height) < std::abs(2 * cut - b.height)))
        cut = y;
    if (cut < 0 || row[size_t(cut)] > thin) {
      comps.push_back(part);
      continue;
    }
    // The two pieces' own extents: the part above the cut row and the rest.
    Comp pieces[2];
    int x0[2] = {INT32_MAX, INT32_MAX}, x1[2] = {-1, -1}, y0[2] = {INT32_MAX, INT32_MAX}, y1[2] = {-1, -1};
    uchar darkest[2] = {255, 255};
    for (int y = 0; y < b.height; ++y) {
      const uchar* m = own.ptr<uchar>(b.y - c.box.y + y) + (b.x - c.box.x);
      const uchar* g = gray.ptr<uchar>(b.y + y) + b.x;
      const int k = y < cut ? 0 : 1;
      for (int x = 0; x < b.width; ++x)
        if (m[x]) {
          x0[k] = std::min(x0[k], x), x1[k] = std::max(x1[k], x);
          y0[k] = std::min(y0[k], y), y1[k] = std::max(y1[k], y);
          darkest[k] = std::min(darkest[k], g[x]);
          ++pieces[k].area;
        }
    }
    bool line_sized = true;
    for (int k = 0; k < 2; ++k) {
      pieces[k].box = {b.x + x0[k], b.y + y0[k], x1[k] - x0[k] + 1, y1[k] - y0[k] + 1};
      pieces[k].faint = part.faint;
      line_sized = line_sized && pieces[k].area > 0 && pieces[k].box.height >= min_part &&
                   pieces[k].box.width >= min_part;
    }
    const int lighter = std::max(darkest[0], darkest[1]), darker = std::min(darkest[0], darkest[1]);
    if (!line_sized || 2 * lighter > darker + faint_ink) {
      comps.push_back(part);
      continue;
    }
    pending.push_back(pieces[0]);
    pending.push_back(pieces[1]);
  }
}

// Whether a blank cell's interior r holds writing in ink so faded that
// binarizing kept none of it: grey strokes (darker than the cleaned paper,
// 255, by 16 levels or more) over a word's width and at least 0.4 of an
// x-height, as a faded handwritten number leaves ("051148539563" at grey
// 192..223) or a note written small and faint ("Con ngoài giá thú", grey
// 208..240, 10 px high at an x-height of 25). Dust is smaller; a rule's
// anti-aliased edge is thinner than a letter. (Grey 224 and half an
// x-height missed that note, and its empty ghiChu was accepted; 240 and
// 0.4 flagged nothing else on 16 generated corpora.)
bool faded_writing(const cv::Mat& gray, cv::Rect r, double xh) {
  r &= cv::Rect(0, 0, gray.cols, gray.rows);
  if (r.empty()) return false;
  int n = 0, x0 = INT_MAX, x1 = -1, y0 = INT_MAX, y1 = -1;
  for (int y = r.y; y < r.br().y; ++y) {
    const uchar* row = gray.ptr<uchar>(y);
    for (int x = r.x; x < r.br().x; ++x)
      if (row[x] < 240) {
        ++n;
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      }
  }
  const int w = x1 - x0 + 1, h = y1 - y0 + 1;
  return n >= std::max(30.0, xh * xh / 16) && w >= 1.5 * xh && h >= 0.4 * xh && h <= 2.5 * xh;
}

// Stamps' rings as dark as the print (a grey scan of a faded page: no grey
// level tells them from ink, as cleanup's grey-stamp test does). big holds
// the blobs too tall for text; a ring is a circle 4 to 12 x-heights in
// radius (Hough transform, at 800 px) along which they lie for 75% of its
// length (crossing print and the stamp's own letters break it), widened
// to the outermost such circle around the same centre: the transform
// often gives an inner ring, with the stamp's words outside it. Returns
// {centre x, centre y, radius} in page pixels.
std::vector<cv::Vec3f> dark_rings(const cv::Mat& big, const cv::Mat& ink, double xh) {
  std::vector<cv::Vec3f> out;
  const double f = std::min(1.0, 800.0 / std::max(big.cols, big.rows));
  const int min_r = int(4 * xh * f), max_r = int(12 * xh * f);
  if (min_r < 6 || cv::countNonZero(big) < int(2 * CV_PI * 4 * xh)) return out;
  cv::Mat small, along, ink_small, ink_along;
  cv::resize(big, small, cv::Size(), f, f, cv::INTER_AREA);
  small = small > 0;
  cv::dilate(small, along, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
  cv::resize(ink, ink_small, cv::Size(), f, f, cv::INTER_AREA);
  cv::dilate(ink_small > 0, ink_along, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
  cv::Mat blurred;
  cv::GaussianBlur(small, blurred, cv::Size(3, 3), 1.0);
  std::vector<cv::Vec3f> circles;
  cv::HoughCircles(blurred, circles, cv::HOUGH_GRADIENT, 1, min_r, 100, 20, min_r, max_r);
  for (cv::Vec3f c : circles) {
    bool found = false;
    for (int dx = -2; dx <= 2 && !found; ++dx)
      for (int dy = -2; dy <= 2 && !found; ++dy)
        for (int r = int(c[2]) + 2; r >= int(c[2]) - 2 && !found; --r)
          if (circle_cover(along, c[0] + float(dx), c[1] + float(dy), r) >= 0.75) c = {c[0] + float(dx), c[1] + float(dy), float(r)}, found = true;
    if (!found) continue;
    // The outer ring, broken by the stamp's letters into pieces of text
    // size, is the widest circle through ink all round near that centre.
    cv::Vec3f outer = c;
    for (int dx = -2; dx <= 2; ++dx)
      for (int dy = -2; dy <= 2; ++dy)
        for (int r = max_r; r > int(outer[2]) + 2; --r)
          if (circle_cover(ink_along, c[0] + float(dx), c[1] + float(dy), r) >= 0.9) {
            outer = {c[0] + float(dx), c[1] + float(dy), float(r)};
            break;
          }
    c = outer;
    const cv::Vec3f ring(float(c[0] / f), float(c[1] / f), float((c[2] + 1) / f));
    if (std::none_of(out.begin(), out.end(), [&](const cv::Vec3f& d) { return std::hypot(ring[0] - d[0], ring[1] - d[1]) < d[2] / 2; }))
      out.push_back(ring);
  }
  return out;
}

// The blobs of a cell its lines are made of: faint ones (a stamp or text
// showing through, over the cell's print) are left out, unless they are
// much of the cell's ink: then they are its writing, in faint ink, and a
// cell read without them would read empty or as its one dark stroke.
std::vector<int> without_faint(const std::vector<Comp>& comps, const std::vector<int>& ids) {
  long dark = 0, faint = 0;
  for (int i : ids) (comps[size_t(i)].faint ? faint : dark) += comps[size_t(i)].area;
  if (dark == 0 || 2 * faint > dark) return ids;
  std::vector<int> out;
  for (int i : ids)
    if (!comps[size_t(i)].faint) out.push_back(i);
  return out;
}

}  // namespace

Page find_layout(const cv::Mat& gray, const LayoutOptions& o) {
  Page page;
  if (gray.empty() || gray.type() != CV_8UC1) return page;
  page.width = gray.cols, page.height = gray.rows;
  cv::Mat ink = binarize_page(gray, o.binarize);
  remove_border_strips(ink);
  double xh = o.xheight > 0 ? o.xheight : estimate_xheight(ink);
  if (xh <= 0) xh = 20;
  const int tol = std::max(4, int(std::lround(0.4 * xh)));
  const int rule_len = std::max(15, int(std::lround(o.min_rule_xh * xh)));
  const int gap = std::max(3, int(std::lround(o.rule_gap_xh * xh)));
  const int speck = o.speck_area > 0 ? o.speck_area : std::max(4, int(xh * xh / 40));

  // (a) Rules and tables.
  const int fine = std::max(1, int(std::lround(o.rule_dash_gap_xh * xh)));
  const int side = std::max(3, int(std::lround(0.3 * xh)));
  const cv::Mat ink_hr = extract_rules(ink, true, rule_len, gap, fine, side);
  const cv::Mat ink_vr = extract_rules(ink, false, rule_len, gap, fine, side, ink_hr);
  cv::Mat hr, vr;  // all rules: new buffers, so that ink_hr and ink_vr stay the ink's alone
  if (o.rule_grey < 255) {
    // Only long runs: the side of a grey stamp's ring is straight enough
    // over a few x-heights to pass for a column rule, never over twelve.
    const int grey_len = std::max(rule_len, int(std::lround(o.grey_rule_xh * xh)));
    // Not in the margin (1% of the page, as remove_border_strips): a
    // photo's shaded page edge is grey too, and it would frame the page.
    cv::Mat grey = gray < o.rule_grey;
    const int mx = std::min(gray.cols, std::max(1, gray.cols / 100));
    const int my = std::min(gray.rows, std::max(1, gray.rows / 100));
    grey.colRange(0, mx).setTo(0), grey.colRange(gray.cols - mx, gray.cols).setTo(0);
    grey.rowRange(0, my).setTo(0), grey.rowRange(gray.rows - my, gray.rows).setTo(0);
    const cv::Mat rule_ink = ink | grey;
    cv::bitwise_or(ink_hr, extract_rules(rule_ink, true, grey_len, gap, fine, side), hr);
    cv::bitwise_or(ink_vr, extract_rules(rule_ink, false, grey_len, gap, fine, side, hr), vr);
  } else {
    hr = ink_hr, vr = ink_vr;
  }
  // Text ink: rules removed, specks dropped; every blob goes to the cell or
  // the outside region holding its centre. Only the rules found in the ink
  // are taken out of it: a rule found in the grey is wider than its ink
  // and cut into the text crossing it (a value run over a row's rule, a
  // title over a lost divider), and its dots are specks or remnants the
  // cell edges' dash test drops.
  cv::Mat rules_wide;
  cv::dilate(ink_hr | ink_vr, rules_wide, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
  const cv::Mat text_ink = ink & ~rules_wide;
  std::vector<Comp> comps;
  std::vector<cv::Vec3f> rings;
  {
    const InkComponents blobs(text_ink);
    const cv::Mat& stats = blobs.stats();
    const int n = blobs.count();
    std::vector<uchar> is_big(size_t(n), 0);
    const std::vector<uchar> darkest = blobs.darkest(gray);
    comps.reserve(size_t(n));
    for (int i = 1; i < n; ++i) {
      Comp c;
      c.box = {stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
               stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT)};
      c.area = stats.at<int>(i, cv::CC_STAT_AREA);
      if (c.area < speck) continue;
      c.faint = darkest[size_t(i)] > o.faint_ink;
      // Blobs far taller than text (stains, page edges, photos) are not lines.
      if (c.box.height > 6 * xh) {
        is_big[size_t(i)] = 1;
        continue;
      }
      add_cut_at_touching_lines(comps, blobs, gray, o.faint_ink, i, c, xh);
    }
    if (std::find(is_big.begin(), is_big.end(), 1) != is_big.end()) {
      cv::Mat big = cv::Mat::zeros(text_ink.size(), CV_8U);
      blobs.paint(big, is_big, 255);
      rings = dark_rings(big, text_ink, xh);
    }
  }
  // What stands inside a stamp's ring is its lettering and star, or print
  // the stamp fell on: it reads only where it continues a line of print
  // outside the ring, as faint blobs do (b), and makes no line of its own.
  for (Comp& c : comps)
    for (const cv::Vec3f& r : rings)
      c.in_ring |= std::hypot(c.cx() - r[0], c.cy() - r[1]) < r[2] + 0.5 * xh;  // the stroke's outer half
  cv::Mat grid = hr | vr;
  cv::dilate(grid, grid, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
  {
    const InkComponents pieces(grid);
    const cv::Mat& stats = pieces.stats();
    const int n = pieces.count();
    // Pieces of one table fall apart where its rules are broken: grid
    // components whose boxes overlap (or nearly touch) are one table.
    struct Group {
      cv::Rect box;
      std::vector<int> members;
    };
    std::vector<Group> groups;
    for (int i = 1; i < n; ++i) {
      const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
      groups.push_back({r, {i}});
    }
    for (bool merged = true; merged;) {
      merged = false;
      for (size_t a = 0; a < groups.size() && !merged; ++a)
        for (size_t b = a + 1; b < groups.size() && !merged; ++b) {
          const cv::Rect grown(groups[a].box.x - tol, groups[a].box.y - tol,
                               groups[a].box.width + 2 * tol, groups[a].box.height + 2 * tol);
          if ((grown & groups[b].box).empty()) continue;
          // Only pieces that are table-like together: a short rule near a
          // table (an underline above it) stays separate unless it overlaps.
          groups[a].box |= groups[b].box;
          groups[a].members.insert(groups[a].members.end(), groups[b].members.begin(),
                                   groups[b].members.end());
          groups.erase(groups.begin() + long(b));
          merged = true;
        }
    }
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      const cv::Rect area = groups[gi].box;
      if (area.width < 8 * xh || area.height < 2 * xh) continue;
      // Only this table's own rules: another table or a separator line may
      // lie inside its bounding box.
      std::vector<uchar> member(size_t(n), 0);
      for (int m : groups[gi].members) member[size_t(m)] = 1;
      cv::Mat mine = cv::Mat::zeros(area.size(), CV_8U);
      pieces.paint(mine, member, 255, area.tl());
      const cv::Mat h_own = hr(area) & mine, v_own = vr(area) & mine;
      const cv::Rect local(0, 0, area.width, area.height);
      Table t;
      t.row_edges = rule_positions(h_own, local, true, tol, std::max(rule_len, area.width / 10));
      t.col_edges = rule_positions(v_own, local, false, tol, std::max(rule_len, area.height / 10));
      for (int& e : t.row_edges) e += area.y;
      for (int& e : t.col_edges) e += area.x;
      // A table drawn without an outer border still ends where its rules end.
      if (t.row_edges.empty() || t.row_edges.front() - area.y > 2 * tol)
        t.row_edges.insert(t.row_edges.begin(), area.y + 2);
      if (area.br().y - t.row_edges.back() > 2 * tol) t.row_edges.push_back(area.br().y - 3);
      if (t.col_edges.empty() || t.col_edges.front() - area.x > 2 * tol)
        t.col_edges.insert(t.col_edges.begin(), area.x + 2);
      if (area.br().x - t.col_edges.back() > 2 * tol) t.col_edges.push_back(area.br().x - 3);
      trim_unruled_ends(t, h_own, v_own, area.tl(), tol);
      if (t.rows() < o.min_table_rows || t.cols() < o.min_table_cols) continue;
      t.box = {t.col_edges.front(), t.row_edges.front(), t.col_edges.back() - t.col_edges.front(),
               t.row_edges.back() - t.row_edges.front()};
      if (t.rows() <= 2 && double(t.box.w) * t.box.h < o.min_small_table_area * double(gray.cols) * gray.rows) continue;
      // Span evidence comes from the text of this table only.
      std::vector<Comp> near;
      const cv::Rect tb(t.box.x - tol, t.box.y - tol, t.box.w + 2 * tol, t.box.h + 2 * tol);
      for (const Comp& c : comps)
        if ((c.box & tb).area() > 0) near.push_back(c);
      t.cells = make_cells(t, hr, vr, tol, o.boundary_coverage, near, xh);
      const int border = std::max(3, gray.cols / 100);
      t.runs_off_left = t.box.x <= border;
      t.runs_off_right = t.box.x + t.box.w >= gray.cols - border;
      page.tables.push_back(std::move(t));
    }
    std::sort(page.tables.begin(), page.tables.end(),
              [](const Table& a, const Table& b) { return a.box.y < b.box.y; });
  }

  std::vector<int> outside;
  std::vector<std::vector<std::vector<int>>> in_cell(page.tables.size());
  for (size_t t = 0; t < page.tables.size(); ++t) in_cell[t].resize(page.tables[t].cells.size());
  const int margin = std::max(2, int(std::lround(0.15 * xh)));
  for (int i = 0; i < int(comps.size()); ++i) {
    const int cx = comps[size_t(i)].cx(), cy = comps[size_t(i)].cy();
    bool placed = false;
    for (size_t t = 0; t < page.tables.size() && !placed; ++t) {
      const Box& tb = page.tables[t].box;
      if (cx < tb.x - tol || cx > tb.x + tb.w + tol || cy < tb.y - tol || cy > tb.y + tb.h + tol)
        continue;
      placed = true;  // inside the table: never outside text, even on a rule
      auto& cells = page.tables[t].cells;
      for (size_t c = 0; c < cells.size(); ++c) {
        const Box& b = cells[c].box;
        if (cx >= b.x + margin && cx < b.x + b.w - margin && cy >= b.y + margin &&
            cy < b.y + b.h - margin) {
          in_cell[t][c].push_back(i);
          break;
        }
      }
    }
    if (!placed) outside.push_back(i);
  }

  // Cells: blank test, then lines. Thin upright pieces on a column edge
  // are dashes of that edge's broken rule (a cell spanning it, or a stretch
  // the rule search lost), no text: read, they are bars or an "I", they
  // make a blank cell look written, and they stretch a line's crop over
  // the empty part of a cell (the number of an entry whose cell spans the
  // empty row below it). One long piece (rule_piece), or two dashes one
  // above the other: a letter on the edge ("l" of a title that spans it)
  // stands alone. On a row edge only long flat pieces: hyphens of a date
  // are short.
  const int hair = hair_px(xh), clear = std::max(2, int(std::lround(0.15 * xh)));
  for (size_t t = 0; t < page.tables.size(); ++t) {
    auto& cells = page.tables[t].cells;
    for (size_t c = 0; c < cells.size(); ++c) {
      auto& ids = in_cell[t][c];
      for (int x : page.tables[t].col_edges) {
        auto on_edge = [&](int i) {
          const cv::Rect& p = comps[size_t(i)].box;
          return rule_remnant(p, hair) && p.x < x + clear + hair && p.br().x > x - clear - hair;
        };
        const long dashes = std::count_if(ids.begin(), ids.end(), on_edge);
        std::erase_if(ids, [&](int i) { return on_edge(i) && (dashes >= 2 || rule_piece(comps[size_t(i)].box, hair)); });
      }
      for (int y : page.tables[t].row_edges)
        std::erase_if(ids, [&](int i) {
          const cv::Rect& p = comps[size_t(i)].box;
          return rule_piece(p, hair, true) && p.y < y + clear + hair && p.br().y > y - clear - hair;
        });
      const Box& b = cells[c].box;
      long inked = 0;
      for (int i : ids) inked += comps[size_t(i)].area;
      const double interior = double(std::max(1, b.w - 2 * margin)) * std::max(1, b.h - 2 * margin);
      cells[c].blank = ids.empty() || double(inked) < o.blank_ink_ratio * interior;
      if (cells[c].blank) {
        // Three marks or more along one line, as wide as a short word: a
        // word written in ink that faded to almost nothing ("Suy tim").
        if (ids.size() >= 3) {
          cv::Rect span = comps[size_t(ids[0])].box;
          for (int i : ids) span |= comps[size_t(i)].box;
          cells[c].faint_marks = span.width >= 1.5 * xh && span.height <= 2.5 * xh;
        }
        const int inset = std::max(margin, int(std::lround(0.3 * xh)));
        if (!cells[c].faint_marks)
          cells[c].faint_marks = faded_writing(gray, cv::Rect(b.x + inset, b.y + inset, b.w - 2 * inset, b.h - 2 * inset), xh);
        continue;
      }
      for (const auto& l : group_lines(comps, without_faint(comps, ids), xh))
        cells[c].lines.push_back(make_line(comps, l));
    }
  }

  // (b) Text outside tables, in reading order. Faint blobs that continue a
  // line of print (a value written in faint ink after its printed label)
  // read with it; the others (a stamp's ring and words between the lines,
  // text showing through) are left out: they would join two lines into
  // one, or cross a form's gutter and break its two columns.
  std::vector<int> dark, faint;
  for (int i : outside) (comps[size_t(i)].faint || comps[size_t(i)].in_ring ? faint : dark).push_back(i);
  std::vector<std::vector<int>> lines = group_lines(comps, dark, xh);
  std::sort(faint.begin(), faint.end(), [&](int a, int b) { return comps[size_t(a)].box.x < comps[size_t(b)].box.x; });
  const int reach = int(std::lround(1.5 * xh));
  for (auto& l : lines) {
    int top = INT32_MAX, bottom = INT32_MIN, tallest = 0;
    for (int j : l) {
      const cv::Rect& b = comps[size_t(j)].box;
      top = std::min(top, b.y), bottom = std::max(bottom, b.br().y);
      tallest = std::max(tallest, b.height);
    }
    // Left to right, each faint blob of the line's height within a word
    // space or two of a blob of the line (a value after its label, word
    // after word) joins it; one alone in a form's gutter does not. Print
    // under a stamp may open the line (a right column's label under a
    // stamp on the gutter), and its letters may be joined to the stamp's
    // strokes (taller): they chain leftwards too, pass after pass, up to
    // two x-heights tall.
    for (int pass = 0, grew = 1; grew && pass < 8; ++pass) {
      grew = 0;
      for (int& i : faint) {
        if (i < 0 || (pass > 0 && !comps[size_t(i)].in_ring)) continue;
        const Comp& f = comps[size_t(i)];
        const int limit = std::max(tallest, int((f.in_ring ? 2.0 : 1.5) * xh));
        if (f.cy() < top || f.cy() > bottom || f.box.height > limit) continue;
        const bool near = std::any_of(l.begin(), l.end(), [&](int j) {
          const cv::Rect& b = comps[size_t(j)].box;
          return f.box.x <= b.br().x + reach && f.box.br().x >= b.x - reach;
        });
        if (!near) continue;
        l.push_back(i);
        i = -1;
        grew = 1;
      }
    }
  }

  // Separators: long horizontal rules outside the tables.
  std::vector<cv::Rect> separators;
  {
    cv::Mat stats;
    const int n = ink_component_stats(hr, stats);
    for (int i = 1; i < n; ++i) {
      const cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
      if (r.width < 2 * rule_len) continue;
      const bool in_table = std::any_of(page.tables.begin(), page.tables.end(), [&](const Table& t) {
        return r.y + r.height / 2 >= t.box.y - tol && r.y + r.height / 2 <= t.box.y + t.box.h + tol &&
               r.x + r.width / 2 >= t.box.x && r.x + r.width / 2 <= t.box.x + t.box.w;
      });
      if (!in_table) separators.push_back(r);
    }
  }
  page.lines = order_lines(comps, lines, gray.cols, o, xh, rings, separators);
  return page;
}

}  // namespace hotich::ocr
