// Page cleanup: a decoded capture (flatbed scan or phone photo) in, a gray
// page ready for layout analysis and OCR out. Steps, in order:
//   1. page detection + perspective correction (photos only, detected
//      automatically from a darker background around the paper),
//   2. red-stamp suppression by colour,
//   3. illumination / background normalisation (shadows, yellowed paper),
//   4. deskew (long horizontal rules when the page is ruled, else
//      projection-profile maximisation over the text),
//   5. rescale to a target text x-height,
//   6. specks inside a letter's counter cleared (the dot of a dotted zero),
//   7. a light unsharp mask on photos (their optics and resampling blur
//      the strokes more than a flatbed does).
// binarize_page() gives the ink mask that layout analysis works on.
#pragma once
#include <array>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

namespace hotich::ocr {

struct CleanOptions {
  bool detect_page = true;       // find + rectify the paper in photos
  bool remove_stamps = true;     // suppress red ink (stamps, red pen)
  // Suppress grey stamps: a stamp scanned in grey levels (or in black and
  // white) is a ring of mid-grey strokes; inside its ring only ink darker
  // than the stamp's strokes is kept.
  bool remove_grey_stamps = true;
  bool normalize_light = true;   // flatten the background
  bool deskew = true;
  double max_skew_deg = 5.0;     // skew search range, both ways
  bool rescale = true;
  double target_xheight = 24.0;  // px; Tesseract LSTM reads best at ~20-30
  double min_scale = 0.5, max_scale = 3.0;
  double rescale_tolerance = 0.15;  // |scale-1| below this: no resampling
  // Clear the dot inside a dotted zero (clear_counter_specks): the LSTM
  // reads such a zero (Liberation Mono, many monospace and typewriter-like
  // faces) as 9, 6 or 8, so dates and numbers in those fonts failed their
  // checks. On the seed-111 corpus, whose two photographed books use such a
  // font, automation rose from 82.5% to 89.3%.
  bool clear_counters = true;
  // Unsharp-mask amount for photo pages (0 = off); scans are left alone.
  // Off: 0.4 gained a little on bench-50 photos (77.5% -> 78.4%, residual
  // 0.1% -> 0.2%) and on seed-13 photos (76.3% -> 79.2%) but lost 15 points
  // on the photos of seed 99 (83.4% -> 68.3%), where whole pages flipped;
  // 0.6 and 1.0 lost on bench-50 (noise and halos read as marks).
  double photo_sharpen = 0.0;
  double sharpen_sigma = 1.0;  // px at the output scale
};

struct CleanReport {
  bool photo = false;                    // a page quad was found and rectified
  std::array<cv::Point2f, 4> page_quad;  // in input pixels: TL, TR, BR, BL
                                         // (the whole frame for scans)
  double skew_deg = 0;    // slope of the text in the (rectified) input, degrees,
                          // positive = lines rise to the right; corrected by
                          // rotating -skew_deg
  bool ruled = false;     // skew measured on long horizontal rules
  double xheight = 0;     // estimated text x-height before rescaling, px (0 = no text)
  double scale = 1;       // rescale factor applied (output / deskewed input)
  long stamp_pixels = 0;  // pixels recognised as red ink and suppressed
  int grey_stamps = 0;    // grey stamp rings found and suppressed
  int counter_specks = 0;  // specks cleared inside letters' counters
  std::vector<std::pair<std::string, double>> timings_ms;  // per step, in order
};

// REQUIRES: bgr is CV_8UC3 (as cv::imread gives) or CV_8UC1 (then step 2 is
// skipped), non-empty.
// Returns a CV_8UC1 page: dark ink on a white (255) background, rectified,
// deskewed and rescaled. Returns an empty Mat for an empty / wrongly typed
// input (report, if given, then describes nothing). Never throws for image
// content. Pure: thread-safe, no global state. report may be null.
cv::Mat clean_page(const cv::Mat& bgr, const CleanOptions& options = {},
                   CleanReport* report = nullptr);

struct BinarizeOptions {
  int window = 0;     // Sauvola window, px (odd); 0 = about 1.5 x-heights at 24 px
  double k = 0.1;     // Sauvola sensitivity; lower keeps fainter ink
  double R = 128;     // dynamic range of the standard deviation
  int min_contrast = 12;  // a pixel must be this much darker than the page white
};

// Sauvola binarisation, suited to faded ink on uneven paper.
// REQUIRES: gray is CV_8UC1. Returns CV_8UC1 with ink = 255, paper = 0
// (the polarity morphology wants). Thread-safe.
cv::Mat binarize_page(const cv::Mat& gray, const BinarizeOptions& options = {});

// Median height of character-sized connected components of an ink mask
// (ink = 255), i.e. roughly the x-height; 0 when there are too few.
// Thread-safe.
double estimate_xheight(const cv::Mat& ink);

// 8-connected components of an ink mask (CV_8UC1, non-zero = ink): fills
// labels (CV_32S, 0 = background) and stats (one row per label, the columns
// of cv::ConnectedComponentsTypes: left, top, width, height, area; row 0,
// the background, is all zero). Labels and stats are those that
// cv::connectedComponentsWithStats gives, label for label; the work is done
// on runs of ink, several times faster on a page. Returns the number of
// labels, background included. Thread-safe.
int ink_components(const cv::Mat& ink, cv::Mat& labels, cv::Mat& stats);

// ink_components without the labels image, for callers that need only the
// components' boxes and areas (no full-size CV_32S image is written).
int ink_component_stats(const cv::Mat& ink, cv::Mat& stats);

// The components of ink_components kept as runs (row segments of ink), for
// callers that erase, paint or measure components: a labels image is four
// bytes a pixel, written and read whole, where a page's ink is a few
// hundred thousand runs. Labels and stats are ink_components'. Immutable
// once built; thread-safe to read.
class InkComponents {
 public:
  struct Run {
    int y, x0, x1;  // pixels [x0, x1) of row y
    int label;      // 1-based
  };
  // REQUIRES: ink is CV_8UC1 (non-zero = ink).
  explicit InkComponents(const cv::Mat& ink);
  int count() const { return count_; }          // labels, background included
  const cv::Mat& stats() const { return stats_; }  // as ink_components fills it
  cv::Rect box(int label) const;
  const std::vector<Run>& runs() const { return runs_; }  // in raster order
  std::span<const Run> runs_in_rows(int y0, int y1) const;  // rows [y0, y1), clamped
  cv::Mat labels() const;  // the CV_32S labels image, as ink_components fills it
  // The darkest pixel of gray (CV_8UC1, the mask's size) under each label,
  // as darkest_per_label gives it.
  std::vector<uchar> darkest(const cv::Mat& gray) const;
  // Sets to value the pixels of every label l with pick[l] != 0 (pick has
  // count() entries) in mask (CV_8UC1), whose pixel (0, 0) is the
  // component image's origin; what falls outside mask is left out.
  void paint(cv::Mat& mask, const std::vector<uchar>& pick, uchar value, cv::Point origin = {}) const;

 private:
  cv::Size size_;
  std::vector<Run> runs_;
  std::vector<int> row_begin_;  // index of each row's first run, and the end
  int count_ = 1;
  cv::Mat stats_;
};

// The darkest pixel of gray (CV_8UC1) under each of n labels (CV_32S, same
// size, 0 = background, as ink_components fills them); 255 for a label
// with no pixel. Printed and written ink has a dark core; a grey stamp or
// text showing through the paper is grey throughout. Thread-safe.
std::vector<uchar> darkest_per_label(const cv::Mat& labels, const cv::Mat& gray, int n);

// Unsharp mask: gray + amount x (gray - GaussianBlur(gray, sigma)),
// saturated to 0..255. amount <= 0 or sigma <= 0 returns an unchanged copy.
// REQUIRES: gray is CV_8UC1. Thread-safe.
cv::Mat unsharp_mask(const cv::Mat& gray, double amount, double sigma);

// Clears small specks of ink that sit alone in the middle of a glyph-sized
// hole of other ink, such as the dot of a dotted zero; returns how many.
// Vietnamese puts its marks above and below letters, never inside a
// counter, so such a speck is a zero's dot or dirt. Kept: anything in a
// hole taller than 2 x-heights or wider than 1.5 (table cells, boxes,
// stamps); a speck over a third of its hole's box, off its middle, or
// nearer one side than the other (the bar of a faint "Đ" broken off its
// stem). REQUIRES: gray is CV_8UC1, dark ink on white, xheight in its
// pixels (<= 0: nothing is done). Thread-safe.
int clear_counter_specks(cv::Mat& gray, double xheight);

// Building blocks of clean_page, exposed for tests and tools.
// Finds the paper quadrilateral in a photo. Returns false (quad untouched)
// when the page fills the frame (a scan) or no convincing quad exists.
// image: BGR or its grey (CV_8UC1); the search works on the grey.
bool find_page_quad(const cv::Mat& image, std::array<cv::Point2f, 4>* quad);
// Skew of the text in degrees (same sign convention as CleanReport) of a
// gray page; *ruled tells whether long rules decided it. Range ±max_deg.
double measure_skew(const cv::Mat& gray, double max_deg, bool* ruled = nullptr);

}  // namespace hotich::ocr
