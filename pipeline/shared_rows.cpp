#include "pipeline/shared_rows.hpp"

#include <algorithm>

#include "ocr/read.hpp"

namespace hotich::pipeline {

namespace {

void shift(ocr::Box& b, int dy) { b.y += dy; }

void shift(ocr::Table& t, int dy) {
  shift(t.box, dy);
  for (auto& y : t.row_edges) y += dy;
  for (auto& c : t.cells) {
    shift(c.box, dy);
    for (auto& l : c.lines) {
      shift(l.box, dy);
      for (auto& w : l.words) shift(w.box, dy);
    }
  }
}

}  // namespace

PrintedRows::PrintedRows(const cv::Mat& gray, const ocr::Table& table, int rows) {
  table_ = table;
  table_.preread_rows = 0;
  std::erase_if(table_.cells, [&](const ocr::Cell& c) { return c.row >= rows; });
  int y0 = gray.rows, y1 = 0;
  for (const auto& c : table_.cells) y0 = std::min(y0, c.box.y), y1 = std::max(y1, c.box.y + c.box.h);
  y0 = std::clamp(y0, 0, gray.rows), y1 = std::clamp(y1, y0, gray.rows);
  // Every crop read_text takes of these cells lies inside their band, so
  // reading the band reads the same pixels as reading the page.
  y0_ = y0;
  band_ = gray(cv::Rect(0, y0, gray.cols, y1 - y0)).clone();
  shift(table_, -y0);
}

const ocr::Table& PrintedRows::read(ocr::OcrEngine& engine) {
  std::call_once(once_, [&] {
    ocr::Page band;
    band.width = band_.cols, band.height = band_.rows;
    band.tables.push_back(std::move(table_));
    ocr::read_text(band_, band, engine);
    table_ = std::move(band.tables.front());
    shift(table_, y0_);
    band_.release();
  });
  return table_;
}

RowSharing::RowSharing(int max_rows, int prints_per_book, ocr::PrintOptions options)
    : max_rows_(max_rows), per_book_(prints_per_book), options_(options) {}

RowShare RowSharing::assign(const std::string& book_id, const cv::Mat& gray, const ocr::Page& page) {
  if (book_id != book_) {
    book_ = book_id;
    prints_.clear();
  }
  if (page.tables.empty() || page.tables.front().rows() == 0) return {};
  const ocr::Table& table = page.tables.front();
  auto prints = ocr::row_prints(gray, table, max_rows_);
  for (auto it = prints_.begin(); it != prints_.end(); ++it) {
    const size_t limit = std::min(prints.size(), it->prints.size());
    size_t n = 0;
    while (n < limit && ocr::same_print(it->prints[n], prints[n], options_)) ++n;
    if (n == 0) continue;
    RowShare share{it->rows, int(n), false};
    std::rotate(prints_.begin(), it, it + 1);
    return share;
  }
  const int rows = int(prints.size());
  auto printed = std::make_shared<PrintedRows>(gray, table, rows);
  prints_.insert(prints_.begin(), Print{printed, std::move(prints)});
  if (int(prints_.size()) > per_book_) prints_.pop_back();
  return {printed, rows, true};
}

void mark_shared(const RowShare& share, ocr::Page& page) {
  if (share.rows && !page.tables.empty()) page.tables.front().preread_rows = share.count;
}

void take_shared(const RowShare& share, ocr::Page& page, ocr::OcrEngine& engine) {
  if (!share.rows || page.tables.empty()) return;
  const ocr::Table& read = share.rows->read(engine);
  for (int r = 0; r < share.count; ++r) ocr::copy_row_text(read, page.tables.front(), r);
}

}  // namespace hotich::pipeline
