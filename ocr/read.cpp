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

}  // namespace

ReadReport read_text(const cv::Mat& gray, Page& page, OcrEngine& engine, const ReadOptions& o) {
  ReadReport rep;
  if (gray.empty()) return rep;
  const cv::Rect whole(0, 0, gray.cols, gray.rows);
  for (size_t i = 0; i < page.lines.size(); ++i)
    read_one(gray, page.lines[i], whole, engine, o, rep, "line " + std::to_string(i + 1));
  for (size_t t = 0; t < page.tables.size(); ++t) {
    for (auto& cell : page.tables[t].cells) {
      if (cell.blank) {
        ++rep.blank_cells;
        continue;
      }
      // Stay 2 px inside the rules around the cell.
      const cv::Rect inner = cv::Rect(cell.box.x + 2, cell.box.y + 2, std::max(0, cell.box.w - 4),
                                      std::max(0, cell.box.h - 4)) & whole;
      for (size_t l = 0; l < cell.lines.size(); ++l)
        read_one(gray, cell.lines[l], inner, engine, o, rep,
                 "table " + std::to_string(t + 1) + " cell r" + std::to_string(cell.row) + "c" +
                     std::to_string(cell.col) + " line " + std::to_string(l + 1));
    }
  }
  return rep;
}

}  // namespace hotich::ocr
