#include "ocr/same_print.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <opencv2/imgproc.hpp>

namespace hotich::ocr {

namespace {

cv::Mat line_pixels(const cv::Mat& gray, const Box& b) {
  const cv::Rect r = cv::Rect(b.x, b.y, b.w, b.h) & cv::Rect(0, 0, gray.cols, gray.rows);
  if (r.empty()) return {};
  return gray(r).clone();
}

// a, scaled by s, is b within tolerance.
bool near(double a, double b, double s, double tolerance) { return std::abs(a * s - b) <= tolerance; }

}  // namespace

std::vector<RowPrint> row_prints(const cv::Mat& gray, const Table& table, int max_rows) {
  std::vector<RowPrint> out;
  for (int r = 0; r < std::min(max_rows, table.rows()); ++r) {
    RowPrint row;
    row.table_width = table.box.w;
    for (const auto& cell : table.cells) {
      if (cell.row != r) continue;
      RowPrint::CellPrint c;
      c.col = cell.col, c.col_span = cell.col_span, c.row_span = cell.row_span;
      c.box = cell.box, c.blank = cell.blank, c.faint_marks = cell.faint_marks;
      if (!cell.blank)
        for (const auto& l : cell.lines)
          c.lines.push_back({{l.box.x - cell.box.x, l.box.y - cell.box.y, l.box.w, l.box.h},
                             line_pixels(gray, l.box)});
      row.cells.push_back(std::move(c));
    }
    std::sort(row.cells.begin(), row.cells.end(), [](auto& a, auto& b) { return a.col < b.col; });
    out.push_back(std::move(row));
  }
  return out;
}

double likeness(const cv::Mat& a8, const cv::Mat& b8) {
  if (a8.empty() || b8.empty()) return 0;
  cv::Mat a, b, scaled;
  if (b8.size() != a8.size()) cv::resize(b8, scaled, a8.size(), 0, 0, cv::INTER_LINEAR);
  else scaled = b8;
  a8.convertTo(a, CV_32F);
  scaled.convertTo(b, CV_32F);
  // Stroke edges differ by a pixel between two photos of one print.
  cv::GaussianBlur(a, a, cv::Size(0, 0), 1.0);
  cv::GaussianBlur(b, b, cv::Size(0, 0), 1.0);
  // The boxes are tight around the ink, so the prints line up within a
  // pixel or two: the best shift by the whole line's correlation.
  const int m = 2;
  cv::Mat padded, fit;
  cv::copyMakeBorder(b, padded, m, m, m, m, cv::BORDER_REPLICATE);
  cv::matchTemplate(padded, a, fit, cv::TM_CCOEFF_NORMED);
  cv::Point at;
  cv::minMaxLoc(fit, nullptr, nullptr, nullptr, &at);
  b = padded(cv::Rect(at.x, at.y, a.cols, a.rows));
  // Then window by window, each about a letter or two wide: one digit
  // changed in a date leaves the whole line's correlation high, but not
  // its own window's.
  const int w = std::max(8, a.rows), step = std::max(4, w / 2);
  double worst = 1;
  for (int x = 0; x < a.cols; x += step) {
    const cv::Rect r(x, 0, std::min(w, a.cols - x), a.rows);
    if (x > 0 && r.width < w / 2) break;
    cv::Scalar ma, sa, mb, sb;
    cv::meanStdDev(a(r), ma, sa);
    cv::meanStdDev(b(r), mb, sb);
    constexpr double kFlat = 8;  // grey levels: paper, not ink
    if (sa[0] < kFlat && sb[0] < kFlat) continue;
    if (sa[0] < kFlat || sb[0] < kFlat) return 0;
    const double cov = cv::mean((a(r) - ma[0]).mul(b(r) - mb[0]))[0];
    worst = std::min(worst, cov / (sa[0] * sb[0]));
  }
  return worst;
}

bool same_print(const RowPrint& a, const RowPrint& b, const PrintOptions& o) {
  if (a.cells.size() != b.cells.size() || a.table_width <= 0 || b.table_width <= 0) return false;
  const double s = double(b.table_width) / a.table_width;
  size_t lines = 0;
  for (size_t i = 0; i < a.cells.size(); ++i) {
    const auto &ca = a.cells[i], &cb = b.cells[i];
    if (ca.col != cb.col || ca.col_span != cb.col_span || ca.row_span != cb.row_span || ca.blank != cb.blank ||
        ca.faint_marks != cb.faint_marks || ca.lines.size() != cb.lines.size() ||
        !near(ca.box.w, cb.box.w, s, o.box_px + o.cell_share * cb.box.w) ||
        !near(ca.box.h, cb.box.h, s, o.box_px + o.cell_share * cb.box.h))
      return false;
    // Lines are placed within their cell, at the cell's own scale: a
    // photo's perspective leaves rows a little taller or shorter.
    const double sx = double(cb.box.w) / std::max(1, ca.box.w), sy = double(cb.box.h) / std::max(1, ca.box.h);
    for (size_t j = 0; j < ca.lines.size(); ++j) {
      const auto &la = ca.lines[j], &lb = cb.lines[j];
      const Box &p = la.box, &q = lb.box;
      if (!near(p.x, q.x, sx, o.box_px + o.box_share * cb.box.w) ||
          !near(p.y, q.y, sy, o.box_px + o.box_share * cb.box.h) ||
          !near(p.w, q.w, s, o.box_px + o.box_share * q.w) || !near(p.h, q.h, s, o.box_px + o.box_share * q.h) ||
          la.pixels.empty() || likeness(la.pixels, lb.pixels) < o.min_likeness)
        return false;
    }
    lines += ca.lines.size();
  }
  return lines > 0;
}

void copy_row_text(const Table& from, Table& to, int row) {
  for (auto& dst : to.cells) {
    if (dst.row != row) continue;
    auto src = std::find_if(from.cells.begin(), from.cells.end(),
                            [&](const Cell& c) { return c.row == row && c.col == dst.col; });
    if (src == from.cells.end()) continue;
    for (size_t j = 0; j < dst.lines.size() && j < src->lines.size(); ++j) {
      Line& l = dst.lines[j];
      const Line& s = src->lines[j];
      l.text = s.text;
      l.conf = s.conf;
      l.words = s.words;
      // Each word keeps its place along the line: from the source line's
      // box to this one's (the pages' scales differ by a few percent, which
      // across a title over six columns moves its words by a column).
      const double sx = double(l.box.w) / std::max(1, s.box.w), sy = double(l.box.h) / std::max(1, s.box.h);
      for (auto& w : l.words) {
        const int x0 = l.box.x + int(std::lround((w.box.x - s.box.x) * sx));
        const int x1 = l.box.x + int(std::lround((w.box.x + w.box.w - s.box.x) * sx));
        const int y0 = l.box.y + int(std::lround((w.box.y - s.box.y) * sy));
        const int y1 = l.box.y + int(std::lround((w.box.y + w.box.h - s.box.y) * sy));
        w.box = {x0, y0, x1 - x0, y1 - y0};
      }
    }
  }
}

}  // namespace hotich::ocr
