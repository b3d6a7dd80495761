// Text reading: fills the lines that find_layout located with the engine's
// text, one single-line crop per line.
#pragma once
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/engine.hpp"
#include "ocr/text.hpp"

namespace hotich::ocr {

struct ReadOptions {
  // White margin added around each line box (clipped to the page, and for a
  // cell line to the cell's interior so its rules stay out of the crop).
  // LSTM recognition degrades when glyphs touch the crop edge.
  int pad = 6;
  // Lines thinner/shorter than this (px) are noise and not sent to the engine.
  int min_line_height = 6, min_line_width = 6;
};

struct ReadReport {
  int lines_read = 0;     // engine calls that succeeded
  int lines_failed = 0;   // engine calls that returned an error
  int lines_skipped = 0;  // too small to be text
  int blank_cells = 0;    // cells skipped as blank
  std::vector<std::string> errors;  // one per failed line: "<where>: <message>"
};

// REQUIRES: clean_gray is the CV_8UC1 image page was laid out on.
// For every line of page.lines and of every non-blank cell: crops the line
// box (+pad; a view, no copy) and calls engine.read_line; sets line.text,
// line.conf and line.words (word boxes in page coordinates). line.box is
// kept as laid out. A line whose read fails keeps empty text and conf 0 and
// is counted in the report; the other lines are still read. Blank cells are
// never sent to the engine, nor the cells of a table's preread_rows.
// Thread-safety: that of engine (one per thread).
ReadReport read_text(const cv::Mat& clean_gray, Page& page, OcrEngine& engine,
                     const ReadOptions& options = {});

}  // namespace hotich::ocr
