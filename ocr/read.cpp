#include "ocr/read.hpp"

#include <algorithm>
#include <string>

namespace hotich::ocr {

namespace {

void read_one(const cv::Mat& gray, Line& line, const cv::Rect& limit, OcrEngine& engine,
              const ReadOptions& o, ReadReport& rep, const std::string& where) {
  if (line.box.w < o.min_line_width || line.box.h < o.min_line_height) {
    ++rep.lines_skipped;
    return;
  }
  cv::Rect r(line.box.x - o.pad, line.box.y - o.pad, line.box.w + 2 * o.pad,
             line.box.h + 2 * o.pad);
  r &= limit;
  if (r.empty()) {
    ++rep.lines_skipped;
    return;
  }
  LineRead res = engine.read_line(gray(r));
  if (!res.ok()) {
    ++rep.lines_failed;
    rep.errors.push_back(where + ": " + res.error);
    line.text.clear(), line.words.clear(), line.conf = 0;
    return;
  }
  ++rep.lines_read;
  line.text = std::move(res.line.text);
  line.conf = res.line.conf;
  line.words = std::move(res.line.words);
  for (auto& w : line.words) w.box.x += r.x, w.box.y += r.y;
}

// The cell's interior without the soft edge of its column rules: a rule's
// ink is several px wide (thick print, a photo's blur) and an inset from
// its centre line leaves a grey sliver along the crop's side, which the
// engine reads as a quote or a bar before the first word ("'Việt Nam") or
// doubts that word. A side column is the rule's while nearly all of it is
// darker than paper; at most a quarter of the cell's width goes. The top
// and bottom stay: the marks over a capital in the first line come up to
// the row's rule, and its grey edge hides them ("NGUYỄN" read "NGUYEN").
cv::Rect off_the_rules(const cv::Mat& gray, cv::Rect r) {
  auto ruled = [&](int x) {
    return cv::countNonZero(gray(cv::Rect(x, r.y, 1, r.height)) < 230) >= 0.9 * r.height;
  };
  for (int k = 0; k < r.width / 4 && r.width > 2 && ruled(r.x); ++k) ++r.x, --r.width;
  for (int k = 0; k < r.width / 4 && r.width > 2 && ruled(r.br().x - 1); ++k) --r.width;
  return r;
}

}  // namespace

ReadReport read_text(const cv::Mat& gray, Page& page, OcrEngine& engine, const ReadOptions& o) {
  ReadReport rep;
  if (gray.empty()) return rep;
  const cv::Rect whole(0, 0, gray.cols, gray.rows);
  for (size_t i = 0; i < page.lines.size(); ++i)
    read_one(gray, page.lines[i], whole, engine, o, rep, "line " + std::to_string(i + 1));
  for (size_t t = 0; t < page.tables.size(); ++t) {
    for (auto& cell : page.tables[t].cells) {
      if (cell.row < page.tables[t].preread_rows) continue;
      if (cell.blank) {
        ++rep.blank_cells;
        continue;
      }
      // Stay 2 px inside the rules around the cell.
      cv::Rect inner = cv::Rect(cell.box.x + 2, cell.box.y + 2, std::max(0, cell.box.w - 4),
                                std::max(0, cell.box.h - 4)) & whole;
      if (!inner.empty()) inner = off_the_rules(gray, inner);
      for (size_t l = 0; l < cell.lines.size(); ++l)
        read_one(gray, cell.lines[l], inner, engine, o, rep,
                 "table " + std::to_string(t + 1) + " cell r" + std::to_string(cell.row) + "c" +
                     std::to_string(cell.col) + " line " + std::to_string(l + 1));
    }
  }
  return rep;
}

}  // namespace hotich::ocr
