// Plain data that ocr/ produces: text with geometry and confidence.
// No OpenCV types here, so schema/ can consume a page without linking images.
#pragma once
#include <string>
#include <vector>

namespace hotich::ocr {

// Pixel rectangle on the cleaned page image (x, y = top-left corner).
struct Box {
  int x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
};

// One recognised word, confidences on Tesseract's 0..100 scale.
// conf is what consumers should use: the engine's word confidence, lowered
// when a symbol of the word had a strong rival reading (TesseractEngine:
// min(engine_conf, 100 - TesseractOptions::rival_weight x rival_conf)).
// The LSTM is often confidently wrong on one diacritic ("Tuấn" read
// "Tuân", "phổi" read "phối") with a word confidence above 90; the rival's
// score is the evidence of that doubt. engine_conf and rival_conf are kept
// for calibration and reports; engines that cannot tell (test doubles) leave
// them at their defaults (engine_conf = conf, rival_conf = 0).
struct Word {
  std::string text;  // UTF-8, NFC as the engine returned it
  float conf = 0;
  Box box;
  float engine_conf = -1;   // the engine's own word confidence; -1 = same as conf
  float min_symbol_conf = -1;  // lowest symbol confidence in the word; -1 = unknown
  // Highest score (0..100) the recognizer gave to a different reading of
  // any one symbol of the word (a rival differing only in letter case is
  // not counted: case does not change a civil-status value). 0 = none.
  float rival_conf = 0;
};

// One text line, words in reading order. conf is the mean word confidence
// (0 for a line with no words).
struct Line {
  std::string text;  // words joined by single spaces
  float conf = 0;
  Box box;
  std::vector<Word> words;
};

// One cell of a ruled table. Spans count grid columns/rows covered: a group
// title such as "Người mẹ" over three sub-columns has col_span = 3.
// blank = no ink found, so the engine was not run on it. faint_marks = a
// blank cell that still holds a few marks in a row, too faint to count as
// ink, or grey strokes a word wide that binarizing dropped: writing faded
// past reading as often as dirt, so not "empty".
struct Cell {
  int row = 0, col = 0;
  int row_span = 1, col_span = 1;
  Box box;
  bool blank = false;
  bool faint_marks = false;
  std::vector<Line> lines;  // top to bottom
};

// A ruled table: grid line positions and the cells between them, row-major.
struct Table {
  Box box;
  std::vector<int> row_edges;  // y of each horizontal rule, top to bottom (rows+1 values)
  std::vector<int> col_edges;  // x of each vertical rule, left to right (cols+1 values)
  std::vector<Cell> cells;
  // The cells starting in rows [0, preread_rows) already hold their text,
  // read once for the pages of a book that print those rows alike
  // (ocr/same_print.hpp): read_text leaves them alone.
  int preread_rows = 0;
  // The table's outer rule lies at the image's left (right) border: the
  // page ran off the scan or photo there, and the columns on that side
  // may be cut off, their headers unreadable.
  bool runs_off_left = false, runs_off_right = false;
  int rows() const { return row_edges.empty() ? 0 : int(row_edges.size()) - 1; }
  int cols() const { return col_edges.empty() ? 0 : int(col_edges.size()) - 1; }
};

// Everything read on one page. lines holds the text outside tables in
// reading order (top to bottom; left column before right column).
struct Page {
  int width = 0, height = 0;
  std::vector<Line> lines;
  std::vector<Table> tables;
};

}  // namespace hotich::ocr
