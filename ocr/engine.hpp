// The OCR engine seam: a crop of the cleaned page in, recognised text with
// word geometry and confidence out. TesseractEngine is the real one;
// ScriptedEngine (ocr/scripted_engine.hpp) is the test double.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/text.hpp"

namespace hotich::ocr {

// Setup fault (model file missing, bad data path, unusable options). Thrown
// only by constructors; the pipeline maps it to an exit code at start-up.
class EngineError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Outcome of one recognition call. A per-crop failure is a value: error is
// non-empty, lines/line hold whatever was read (usually nothing).
struct LineRead {
  Line line;          // boxes relative to the crop's top-left corner
  std::string error;  // empty on success
  bool ok() const { return error.empty(); }
};
struct BlockRead {
  std::vector<Line> lines;  // top to bottom; boxes relative to the crop
  std::string error;
  bool ok() const { return error.empty(); }
};

// REQUIRES for every call: crop is CV_8UC1 (gray, dark ink on light paper),
// non-empty. It may be a view into a larger image (any row step).
// An empty crop or another type yields an error value, never an exception.
// A crop without contrast (blank paper) reads as no words, successfully.
// Implementations are NOT required to be thread-safe: use one instance per
// thread.
class OcrEngine {
 public:
  virtual ~OcrEngine() = default;
  // The crop holds one text line. line.text = words joined by single spaces;
  // line.conf = mean word confidence (0..100); line.box = the crop extent.
  virtual LineRead read_line(const cv::Mat& crop) = 0;
  // The crop holds a block of several lines (uniform text).
  virtual BlockRead read_block(const cv::Mat& crop) = 0;
};

struct TesseractOptions {
  // Model name(s) as Tesseract spells them: "vie" (language model, default),
  // "Vietnamese" (script model, also covers Latin text), or "vie+eng".
  std::string language = "vie";
  // Folder holding <language>.traineddata. Empty = $TESSDATA_PREFIX when set,
  // else Tesseract's compiled-in default (Debian: /usr/share/tesseract-ocr/5/tessdata).
  std::string datapath;
  // Resolution reported to Tesseract for every crop. Cleaned pages are
  // scaled to an x-height of ~24 px, which is what 300 dpi body text gives.
  int dpi = 300;
  // Forbid letters that do not occur in Vietnamese orthography (f j w z),
  // a frequent confusion source (f/t, j/i, w/v). Turn off for registers with
  // many ethnic-minority names that use them.
  bool blacklist_foreign_letters = true;
  std::string blacklist = "fjwzFJWZ§¢£¥©®¤µ¶ß";
  // Word::conf = min(engine word confidence, 100 - rival_weight x
  // rival_conf): how much a rival reading of one symbol lowers the word.
  // 0.5 measured best on the 50-page benchmark (schema/validate.hpp,
  // calibration): 1.0 flagged many right words whose rival was a
  // punctuation or look-alike glyph, 0 missed "Ung" read "Ủng".
  float rival_weight = 0.5f;
  // Extra beam-search passes that find the rival readings: each pass
  // re-decodes the whole line with the readings found so far excluded.
  // Only the strongest rival feeds rival_conf, and the first pass finds it:
  // Tesseract's default of 5 passes cost 13% of the OCR time and, against
  // 1, changed one accepted field on 13 corpora (BENCHMARKS.md).
  int choice_iterations = 1;
  // read_line: when the line mode finds no text in a crop, the raw line
  // mode's reading is taken if its words' mean confidence reaches this.
  float raw_line_min_conf = 70.0f;
};

// Tesseract LSTM (OEM_LSTM_ONLY) behind OcrEngine. Owns one TessBaseAPI,
// initialised once in the constructor and reused for every call; create one
// per worker thread (an instance is not thread-safe; separate instances are).
// Debian's libtesseract uses OpenMP inside each call: with several engines
// on busy cores its threads spin against each other (a 101-line ledger page
// read in 6.6 s instead of 0.7 s on 2 loaded cores). Run the process with
// OMP_THREAD_LIMIT=1; libgomp reads it at load time, so it must be in the
// environment before the program starts (setenv in main is too late).
// read_line uses PSM 7 (single line), read_block PSM 6 (uniform block).
// Word confidences and boxes come from the result iterator at RIL_WORD,
// lines from RIL_TEXTLINE. With lstm_choice_mode = 2 the symbols of each
// word are walked too (RIL_SYMBOL confidences, ChoiceIterator alternatives)
// for Word::min_symbol_conf and Word::rival_conf, and Word::conf is lowered
// by the strongest rival (see TesseractOptions::rival_weight).
class TesseractEngine : public OcrEngine {
 public:
  // THROWS EngineError when the model cannot be loaded, naming the missing
  // <language>.traineddata, the folder searched and TESSDATA_PREFIX.
  explicit TesseractEngine(const TesseractOptions& options = {});
  ~TesseractEngine() override;
  TesseractEngine(const TesseractEngine&) = delete;
  TesseractEngine& operator=(const TesseractEngine&) = delete;

  LineRead read_line(const cv::Mat& crop) override;
  BlockRead read_block(const cv::Mat& crop) override;

  const TesseractOptions& options() const { return options_; }

 private:
  std::string recognize(const cv::Mat& crop, int psm, std::vector<Line>* lines);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  TesseractOptions options_;
};

}  // namespace hotich::ocr
