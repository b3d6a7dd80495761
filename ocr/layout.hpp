// Layout analysis: a cleaned gray page in, the page's geometry out (ruled
// tables with their grid, spanning and blank cells and the text lines inside
// each cell; text lines outside tables in reading order). No text is read
// here: every Line comes back with empty text and conf 0.
#pragma once
#include <opencv2/core.hpp>

#include "ocr/cleanup.hpp"
#include "ocr/text.hpp"

namespace hotich::ocr {

struct LayoutOptions {
  // Text x-height in px; 0 = estimate from the page. Most lengths below are
  // multiples of it, so the defaults hold at any resolution.
  double xheight = 0;
  BinarizeOptions binarize;
  // Rules: a horizontal (vertical) rule is a straight ink run at least this
  // many x-heights long. Shorter ones are letters, dashes, underlines.
  double min_rule_xh = 4.0;
  // Gaps up to this many x-heights in a rule are bridged (broken or faint
  // printing). Must stay below the narrowest spanned cell or a missing rule
  // inside a span would be invented.
  double rule_gap_xh = 1.0;
  // A faint hairline rule (photographed) binarises as dashes: gaps up to
  // this many x-heights inside a run count as rule when most of the run
  // (60%) is ink. Must stay below the space between letters of bold text
  // over a rule's length; at 24 px x-height 0.2 is 5 px.
  double rule_dash_gap_xh = 0.2;
  // Rules are also looked for in the pixels darker than this grey (the
  // cleaned page's paper is 255): a hairline photographed faint (grey 200
  // to 230) binarises as scattered dots or not at all, yet is that dark
  // along its whole length. There a rule must run grey_rule_xh x-heights
  // at least: a grey stamp's ring or a letter's halo never does straight.
  // 255 = binarized ink only.
  int rule_grey = 240;
  double grey_rule_xh = 12.0;
  // A cell boundary counts as drawn when its rule covers this fraction of it.
  // A true span leaves no ink on the boundary at all, while a broken or
  // hand-drawn rule (a stub from the top of a header cell, a dashed rule
  // that lost half its dashes) still covers part of it: low, so such header
  // cells are not merged into false spans. A column edge with a thin piece
  // of rule on it 1.75 x-heights long (beyond any letter) counts as drawn
  // whatever its coverage: a low title row's rule is too short to be found.
  double boundary_coverage = 0.2;
  // A table needs at least this many rows and columns.
  int min_table_rows = 1, min_table_cols = 2;
  // A grid of one or two rows smaller than this fraction of the page is no
  // ruled table: a register's ruling is printed over the whole page, while
  // a stamp's ring between two separator rules, or boxes around the
  // signatures, make such small grids on form pages.
  double min_small_table_area = 0.10;
  // Blank cell: fewer ink pixels (rules removed) than this fraction of the
  // cell interior, and no ink blob bigger than a speck.
  double blank_ink_ratio = 0.002;
  // Ink blobs smaller than this many px (area) are noise (dust, JPEG).
  int speck_area = 0;  // 0 = x-height^2 / 40
  // A blob whose darkest pixel is lighter than this (the cleaned page's
  // 0..255; its ink cores are stretched to black) is faint: a stamp on a
  // grey scan, text showing through from the back, or writing in faded
  // ink. Faint blobs count as ink (a cell holding only them is not blank)
  // but make no line of print longer or taller: in a cell they are left
  // out unless they are much of its ink (its writing, then); outside
  // tables they join a line of print they continue (a value after its
  // label) and are otherwise left out. 110 and 130 also took strokes of
  // darker handwriting for faint (BENCHMARKS.md, faint ink).
  int faint_ink = 150;
  // Two columns: a vertical white gap at least this many x-heights wide
  // (wider than any word space; side-by-side forms leave about one em),
  // through a run of consecutive lines of which at least min_column_lines
  // have text on both sides. Caveat: values tab-aligned at the same x over
  // several lines in the middle half of the page look the same. A line
  // that crosses the gap between two lines with text on both sides of it
  // (a long left value run into the right column) is cut where the right
  // column's lines start around it, when a blob starts there.
  double column_gap_xh = 1.6;
  int min_column_lines = 3;
};

// REQUIRES: clean_gray is CV_8UC1, dark ink on light paper, as clean_page
// returns (deskewed: rules are found as horizontal / vertical runs).
// Returns a Page with width/height of the image, tables (row-major cells,
// rows() x cols() grid with spans merged, blank flags, cell lines top to
// bottom) and lines outside tables in reading order: top to bottom, and in a
// two-column region left column before right column (a horizontal rule
// across the gutter, outside tables, ends such a region). Inside a stamp's ring
// as dark as the print, only what continues a line outside it is read.
// A table whose outer rule lies at the image border says so
// (Table::runs_off_left/right). Never throws for image
// content; an empty image gives an empty Page. Pure, thread-safe.
Page find_layout(const cv::Mat& clean_gray, const LayoutOptions& options = {});

}  // namespace hotich::ocr
