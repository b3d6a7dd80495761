// Telling the same print on two pages: the header rows of a register's
// table are printed once on the blank form, so every page of a book holds
// them alike, and what OCR read on one page serves the others
// (pipeline/shared_rows.hpp reads them once per book). Geometry and ink
// only: no text is read here.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/text.hpp"

namespace hotich::ocr {

// One top row of a table as laid out: its cells (those starting in the
// row) with their lines, and a copy of each line's pixels.
struct RowPrint {
  struct LinePrint {
    Box box;         // relative to the cell's top-left corner
    cv::Mat pixels;  // CV_8U: a copy of the page's grey in the line box
  };
  struct CellPrint {
    int col = 0, col_span = 1, row_span = 1;
    Box box;  // on the page
    bool blank = false, faint_marks = false;
    std::vector<LinePrint> lines;
  };
  int table_width = 0;  // boxes are compared at the ratio of the tables' widths
  std::vector<CellPrint> cells;  // left to right
};

struct PrintOptions {
  // Lines are alike when every window of theirs correlates at least this
  // well (see likeness). The same print on two pages of a book gave 0.85
  // and more (82 header rows of bench-50 and four other corpora, despite
  // blur, stroke width and a photo's noise); one digit changed in a date
  // 0.68 to 0.85, other words less. A row of entries always differs in
  // more than a digit (its number, its names), and in its lines' boxes.
  double min_likeness = 0.8;
  // Boxes agree within this many px plus a share, once scaled by the ratio
  // of the tables' widths (cleanup scales each page to its own measure of
  // the x-height, a few percent apart on one book): cells within
  // cell_share of their size (a photo's perspective stretches rows), line
  // sizes within box_share of theirs, line positions within box_share of
  // their cell's size.
  int box_px = 6;
  double cell_share = 0.1;
  double box_share = 0.04;
};

// The prints of table's rows 0 .. max_rows-1 (fewer when the table has
// fewer). REQUIRES: gray is the CV_8UC1 page the table was laid out on.
std::vector<RowPrint> row_prints(const cv::Mat& gray, const Table& table, int max_rows);

// Whether two rows are the same print: the same cells (columns, spans,
// blank or not), cell and line boxes alike at the tables' scale, and every
// line's pixels alike. Two rows without any line are not "printed".
bool same_print(const RowPrint& a, const RowPrint& b, const PrintOptions& o = {});

// How alike two lines' pixels are: b is scaled to a's size (the boxes are
// tight around the ink), both are softened by a pixel, b is shifted by up
// to 2 px to fit a best, and then the lowest correlation of any window a
// line height wide is returned (1 = the same; windows of paper in both
// are left out, paper against ink is 0). Exposed for tests and
// calibration; same_print compares it with min_likeness.
double likeness(const cv::Mat& a, const cv::Mat& b);

// Copies the text of the cells starting in row `row` of `from` to the
// matching cells of `to` (same column), line by line. Each word's box is
// mapped from its line's box in `from` to the line's box in `to`, which
// `to` keeps as laid out. REQUIRES: same_print held for the two rows'
// prints (same cells and lines).
void copy_row_text(const Table& from, Table& to, int row);

}  // namespace hotich::ocr
