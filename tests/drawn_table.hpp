// A ruled table drawn on a white page, with the ocr::Table that layout
// would give for it (cells, and each line's box tight around its ink), for
// the tests of what is read once per book (same_print, shared_rows).
#pragma once
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "ocr/text.hpp"

namespace hotich::testing {

struct DrawnTable {
  cv::Mat gray;
  ocr::Table table;
};

// rows[r][c]: the text of the cell in row r, column c ("" = blank; '\n'
// between lines). Columns 300 px wide, rows 50 px a line of their tallest
// cell plus 20; the table starts at (40, top). Hershey letters, ASCII only.
inline DrawnTable draw_table(const std::vector<std::vector<std::string>>& rows, int top = 60) {
  const int col_w = 300, left = 40;
  const int cols = rows.empty() ? 0 : int(rows[0].size());
  std::vector<int> heights;
  for (auto& row : rows) {
    int lines = 1;
    for (auto& t : row) lines = std::max(lines, 1 + int(std::count(t.begin(), t.end(), '\n')));
    heights.push_back(50 * lines + 20);
  }
  int bottom = top;
  for (int h : heights) bottom += h;
  DrawnTable d;
  d.gray = cv::Mat(bottom + 60, left + cols * col_w + 60, CV_8U, cv::Scalar(255));
  ocr::Table& t = d.table;
  for (int c = 0; c <= cols; ++c) t.col_edges.push_back(left + c * col_w);
  t.row_edges.push_back(top);
  for (int h : heights) t.row_edges.push_back(t.row_edges.back() + h);
  t.box = {left, top, cols * col_w, bottom - top};
  for (int r = 0; r < int(rows.size()); ++r)
    for (int c = 0; c < cols; ++c) {
      ocr::Cell cell;
      cell.row = r, cell.col = c;
      cell.box = {t.col_edges[size_t(c)], t.row_edges[size_t(r)], col_w, heights[size_t(r)]};
      std::string text = rows[size_t(r)][size_t(c)];
      int y = cell.box.y + 50;
      for (size_t from = 0; !text.empty();) {
        const size_t nl = text.find('\n', from);
        const std::string line = text.substr(from, nl == std::string::npos ? std::string::npos : nl - from);
        cv::Mat one(d.gray.size(), CV_8U, cv::Scalar(255));
        cv::putText(one, line, {cell.box.x + 12, y}, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(0), 3, cv::LINE_AA);
        std::vector<cv::Point> ink;
        cv::findNonZero(one < 128, ink);
        const cv::Rect b = cv::boundingRect(ink);
        ocr::Line l;
        l.box = {b.x, b.y, b.width, b.height};
        cell.lines.push_back(l);
        cv::min(d.gray, one, d.gray);
        y += 50;
        if (nl == std::string::npos) break;
        from = nl + 1;
      }
      cell.blank = cell.lines.empty();
      t.cells.push_back(cell);
    }
  for (int x : t.col_edges) cv::line(d.gray, {x, top}, {x, bottom}, cv::Scalar(0), 2);
  for (int y : t.row_edges) cv::line(d.gray, {left, y}, {left + cols * col_w, y}, cv::Scalar(0), 2);
  return d;
}

// The same page photographed a little larger (scale) and softer (blur
// sigma, 0 = none): every box scaled alike.
inline DrawnTable rescaled(const DrawnTable& d, double scale, double blur = 0) {
  DrawnTable out = d;
  cv::resize(d.gray, out.gray, cv::Size(), scale, scale, cv::INTER_LINEAR);
  if (blur > 0) cv::GaussianBlur(out.gray, out.gray, cv::Size(0, 0), blur);
  auto s = [&](ocr::Box& b) {
    b = {int(std::lround(b.x * scale)), int(std::lround(b.y * scale)), int(std::lround(b.w * scale)),
         int(std::lround(b.h * scale))};
  };
  s(out.table.box);
  for (auto& e : out.table.col_edges) e = int(std::lround(e * scale));
  for (auto& e : out.table.row_edges) e = int(std::lround(e * scale));
  for (auto& c : out.table.cells) {
    s(c.box);
    for (auto& l : c.lines) s(l.box);
  }
  return out;
}

}  // namespace hotich::testing
