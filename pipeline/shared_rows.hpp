// Reading a book's printed header rows once. A register's column headers
// (and the row of column numbers under them) are printed on the blank
// form, alike on every page of a book; reading them was about 15% of a
// ledger page's OCR (bench-50). RowSharing, in page order, finds the pages
// whose top table rows are the same print as an earlier page's
// (ocr::same_print); those rows are read once, from the first such page,
// and their text is copied to the others. Which page's reading a page takes depends only on
// the pages before it in the run, never on thread timing, so a run gives
// the same fields at any --jobs. A run that resumes a book mid-way reads
// the rows again on the first page it processes.
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/engine.hpp"
#include "ocr/same_print.hpp"
#include "ocr/text.hpp"

namespace hotich::pipeline {

// The top rows of one page's table, kept (a copy of their band of the
// page) until read. Thread-safe: any worker may call read(); the first
// call reads, with that worker's engine, and the others wait for it and
// get the same table.
class PrintedRows {
 public:
  // REQUIRES: gray is the page table was laid out on; 0 < rows <= table.rows().
  PrintedRows(const cv::Mat& gray, const ocr::Table& table, int rows);
  // The cells starting in the first `rows` rows with their text, in the
  // coordinates of the page they were cut from. Engine errors leave a
  // line without text, as ocr::read_text does.
  const ocr::Table& read(ocr::OcrEngine& engine);

 private:
  int y0_ = 0;
  cv::Mat band_;       // the rows' band of the page; released once read
  ocr::Table table_;   // its cells, in band coordinates until read
  std::once_flag once_;
};

// What one page takes from a book's printed rows: its table's rows
// [0, count) are the print of `rows`. first = this page is the one the
// print was cut from (it reads them before its other lines, so the pages
// after it rarely wait).
struct RowShare {
  std::shared_ptr<PrintedRows> rows;  // null: the page reads all its rows
  int count = 0;
  bool first = false;
};

// Decides each page's share, in page order. Not thread-safe: one serial
// pipeline stage calls it.
class RowSharing {
 public:
  // max_rows: rows of a table looked at from the top (two header rows and
  // the column numbers). prints_per_book: prints remembered per book, most
  // recent first (facing pages of a spread may be ruled apart).
  explicit RowSharing(int max_rows = 3, int prints_per_book = 4, ocr::PrintOptions options = {});

  // The share of the page's first table. A page whose top row is the print
  // of none of its book's remembered prints starts a new print from its
  // own rows. Pages of another book forget the previous book's prints.
  RowShare assign(const std::string& book_id, const cv::Mat& gray, const ocr::Page& page);

 private:
  struct Print {
    std::shared_ptr<PrintedRows> rows;
    std::vector<ocr::RowPrint> prints;
  };
  int max_rows_, per_book_;
  ocr::PrintOptions options_;
  std::string book_;
  std::vector<Print> prints_;  // most recent first
};

// Before read_text: marks the page table's shared rows as read. After
// read_text (or before it, for the first page): copies their text in.
void mark_shared(const RowShare& share, ocr::Page& page);
void take_shared(const RowShare& share, ocr::Page& page, ocr::OcrEngine& engine);

}  // namespace hotich::pipeline
