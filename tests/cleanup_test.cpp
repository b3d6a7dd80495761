// Cleanup stages on crafted pages: deskew, page rectification of photos,
// red-stamp removal, light normalisation, rescaling, specks in counters,
// binarisation.
#include "ocr/cleanup.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <ostream>
#include <string>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

using namespace hotich::ocr;

namespace {

// A page of text lines (Hershey font; the shapes matter here, not the script).
cv::Mat text_page(cv::Size size, double font_scale = 1.0, bool ruled = false) {
  cv::Mat p(size, CV_8UC1, cv::Scalar(255));
  const int pitch = int(45 * font_scale) + 10;
  int n = 0;
  for (int y = 120; y < size.height - 120; y += pitch, ++n) {
    const std::string s = "Nguyen Van An " + std::to_string(1000 + n) + " xa Tan Phu huyen Dong";
    cv::putText(p, s, {100, y}, cv::FONT_HERSHEY_SIMPLEX, font_scale, cv::Scalar(0), 2,
                cv::LINE_AA);
    if (ruled) cv::line(p, {80, y + 12}, {size.width - 80, y + 12}, cv::Scalar(0), 2);
  }
  return p;
}

cv::Mat rotate(const cv::Mat& m, double deg, int ground = 255) {
  const cv::Point2f c(float(m.cols) / 2, float(m.rows) / 2);
  cv::Mat out;
  cv::warpAffine(m, out, cv::getRotationMatrix2D(c, deg, 1.0), m.size(), cv::INTER_LINEAR,
                 cv::BORDER_CONSTANT, cv::Scalar::all(ground));
  return out;
}

cv::Mat to_bgr(const cv::Mat& g) {
  cv::Mat c;
  cv::cvtColor(g, c, cv::COLOR_GRAY2BGR);
  return c;
}

}  // namespace

struct SkewCase {
  double deg;
  bool ruled;
  // Turned on a dark ground, as a flatbed's lid shows around a skewed
  // page: dark wedges along the frame, leaning at a fraction of the skew.
  bool dark_frame = false;
};

class Deskew : public ::testing::TestWithParam<SkewCase> {};

TEST_P(Deskew, RotatedPageIsStraightenedWithin0_3Degrees) {
  const auto c = GetParam();
  const cv::Mat page = rotate(text_page({1800, 1300}, 1.0, c.ruled), c.deg, c.dark_frame ? 90 : 255);
  CleanOptions o;
  o.rescale = false;
  CleanReport rep;
  const cv::Mat out = clean_page(to_bgr(page), o, &rep);
  ASSERT_FALSE(out.empty());
  EXPECT_NEAR(rep.skew_deg, c.deg, 0.3);
  EXPECT_EQ(rep.ruled, c.ruled);
  EXPECT_FALSE(rep.photo);
  // The result itself measures straight.
  EXPECT_NEAR(measure_skew(out, 5.0), 0.0, 0.3);
}

// positive = lines rise to the right
INSTANTIATE_TEST_SUITE_P(Table, Deskew,
                         ::testing::Values(SkewCase{2.5, false}, SkewCase{-1.7, false},
                                           SkewCase{0.4, false}, SkewCase{0.0, false},
                                           SkewCase{-3.0, true}, SkewCase{1.2, true},
                                           SkewCase{4.5, false}, SkewCase{-0.8, false, true},
                                           SkewCase{2.0, true, true}));

TEST(Cleanup, PhotoPageIsFoundAndRectified) {
  // A page photographed at an angle on a dark desk, with uneven light.
  const cv::Mat page = to_bgr(text_page({1200, 1600}, 1.0, true));
  const std::array<cv::Point2f, 4> src = {cv::Point2f(0, 0), cv::Point2f(1199, 0),
                                          cv::Point2f(1199, 1599), cv::Point2f(0, 1599)};
  const std::array<cv::Point2f, 4> dst = {cv::Point2f(230, 180), cv::Point2f(1390, 260),
                                          cv::Point2f(1460, 1850), cv::Point2f(150, 1790)};
  cv::Mat photo(2100, 1700, CV_8UC3, cv::Scalar(45, 50, 60));
  cv::warpPerspective(page, photo, cv::getPerspectiveTransform(src.data(), dst.data()),
                      photo.size(), cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);
  cv::Mat light(photo.size(), CV_8UC3);
  for (int y = 0; y < light.rows; ++y)
    light.row(y).setTo(cv::Scalar::all(170 + 85.0 * y / light.rows));
  cv::multiply(photo, light, photo, 1.0 / 255);

  std::array<cv::Point2f, 4> q;
  ASSERT_TRUE(find_page_quad(photo, &q));
  for (int i = 0; i < 4; ++i) EXPECT_LT(cv::norm(q[size_t(i)] - dst[size_t(i)]), 3.0) << "corner " << i;

  CleanOptions o;
  o.rescale = false;
  CleanReport rep;
  const cv::Mat out = clean_page(photo, o, &rep);
  EXPECT_TRUE(rep.photo);
  EXPECT_NEAR(rep.skew_deg, 0.0, 0.3);
  // Rectified to about the page's aspect ratio, with the dark desk gone.
  EXPECT_NEAR(double(out.rows) / out.cols, 1600.0 / 1200.0, 0.06);
  const cv::Mat border = out(cv::Rect(0, 0, out.cols, 20));
  EXPECT_GT(cv::mean(border)[0], 230);
}

TEST(Cleanup, ScanFillingTheFrameIsNotTreatedAsPhoto) {
  std::array<cv::Point2f, 4> q;
  EXPECT_FALSE(find_page_quad(to_bgr(text_page({1200, 1600})), &q));
}

namespace {

// The page cleaned (no rescale, no deskew) with one stamp removal on and
// off. On: the stamp's strokes (ring_only) become paper, the text stays
// black, and the report says so (counted). Off: the stamp still shows.
void expect_stamp_removal(const cv::Mat& page, bool CleanOptions::*removal, const cv::Mat& ring_only,
                          const cv::Mat& text, const std::function<void(const CleanReport&)>& counted) {
  CleanOptions o;
  o.rescale = false;
  o.deskew = false;
  for (bool remove : {true, false}) {
    o.*removal = remove;
    CleanReport rep;
    const cv::Mat out = clean_page(page, o, &rep);
    ASSERT_EQ(out.size(), page.size());
    if (remove) {
      counted(rep);
      EXPECT_GT(cv::mean(out, ring_only)[0], 235) << "stamp left on the page";
      EXPECT_LT(cv::mean(out, text)[0], 60) << "text lost with the stamp";
    } else {
      EXPECT_LT(cv::mean(out, ring_only)[0], 200) << "stamp must show without removal";
    }
  }
}

}  // namespace

TEST(Cleanup, RedStampIsRemovedAndBlackTextUnderItStays) {
  cv::Mat text(600, 900, CV_8UC1, cv::Scalar(0));
  cv::putText(text, "HO TEN 1985", {80, 330}, cv::FONT_HERSHEY_SIMPLEX, 2.5, cv::Scalar(255), 6);
  cv::Mat ring(text.size(), CV_8UC1, cv::Scalar(0));
  cv::circle(ring, {450, 300}, 200, cv::Scalar(255), 14, cv::LINE_AA);
  cv::circle(ring, {450, 300}, 150, cv::Scalar(255), 4, cv::LINE_AA);
  cv::Mat page(text.size(), CV_8UC3, cv::Scalar(200, 225, 235));  // yellowed paper
  page.setTo(cv::Scalar(40, 35, 200), ring);                      // red ink
  page.setTo(cv::Scalar(25, 25, 25), text);                       // black ink on top

  cv::Mat ring_only = ring & ~text;
  cv::erode(ring_only, ring_only, cv::Mat());
  expect_stamp_removal(page, &CleanOptions::remove_stamps, ring_only, text,
                       [](const CleanReport& rep) { EXPECT_GT(rep.stamp_pixels, 10000); });
}

// A stamp scanned in grey levels: a ring of mid-grey strokes with grey words
// inside, black print across it. The ring and its words go; the print stays,
// soft edges and all. Grey ink that is no ring (text showing through the
// paper) is left alone. The stamp is small with its words inside its rings,
// or wide (18% of the page across) with its words between its outer ring
// and an inner one, which is the circle the transform finds.
struct GreyStampCase {
  const char* name;
  int outer, inner;    // ring radii, px
  bool words_between;  // letters all round between the two rings
};
class GreyStamp : public ::testing::TestWithParam<GreyStampCase> {};

TEST_P(GreyStamp, IsRemovedAndBlackTextAcrossItStays) {
  const GreyStampCase& g = GetParam();
  const cv::Size size(2400, 1800);
  cv::Mat text(size, CV_8UC1, cv::Scalar(0));
  for (int y = 300; y < 1600; y += 110)
    cv::putText(text, "Nguyen Van An 1985 xa Tan Phu", {150, y}, cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(255), 5);
  cv::Mat stamp(size, CV_8UC1, cv::Scalar(0));
  const cv::Point centre(1100, 800);
  cv::circle(stamp, centre, g.outer, cv::Scalar(255), 6, cv::LINE_AA);
  cv::circle(stamp, centre, g.inner, cv::Scalar(255), 3, cv::LINE_AA);
  cv::putText(stamp, "UBND XA", {1010, 790}, cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(255), 3);
  if (g.words_between)
    for (int a = 0; a < 360; a += 20) {
      const double r = (g.outer + g.inner) / 2.0, t = a * CV_PI / 180;
      const cv::Point at(centre.x + int(r * std::cos(t)) - 15, centre.y + int(r * std::sin(t)) + 15);
      cv::putText(stamp, "A", at, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(255), 4);
    }
  cv::Mat page(size, CV_8UC1, cv::Scalar(235));
  page.setTo(cv::Scalar(130), stamp);
  page.setTo(cv::Scalar(20), text);

  cv::Mat ring_only = stamp & ~text;
  cv::erode(ring_only, ring_only, cv::Mat());
  expect_stamp_removal(page, &CleanOptions::remove_grey_stamps, ring_only, text,
                       [](const CleanReport& rep) { EXPECT_EQ(rep.grey_stamps, 1); });
  CleanOptions o;
  o.rescale = false;
  o.deskew = false;
  // Text showing through: grey lines, no ring.
  cv::Mat through(size, CV_8UC1, cv::Scalar(235));
  through.setTo(cv::Scalar(150), text);
  cv::putText(through, "1985", {150, 1700}, cv::FONT_HERSHEY_SIMPLEX, 2.0, cv::Scalar(20), 5);  // some print
  o.remove_grey_stamps = true;
  CleanReport rep;
  clean_page(through, o, &rep);
  EXPECT_EQ(rep.grey_stamps, 0);
}

INSTANTIATE_TEST_SUITE_P(Cleanup, GreyStamp,
                         ::testing::Values(GreyStampCase{"small", 150, 120, false},
                                           GreyStampCase{"wide_words_between_rings", 215, 150, true}),
                         [](const auto& info) { return std::string(info.param.name); });

// Photos under warm light tint paper and grey ink alike towards red; red-ink
// removal must judge colour against the paper and leave such text whole
// (an absolute hue test ate the soft edges of every letter).
struct TintCase {
  const char* name;
  cv::Scalar paper, ink;  // BGR
};
class TintedPhoto : public ::testing::TestWithParam<TintCase> {};

TEST_P(TintedPhoto, GreyTextUnderWarmLightIsNotTakenForRedInk) {
  const TintCase& c = GetParam();
  const cv::Mat ink = text_page({1200, 900}, 0.8);  // anti-aliased: soft edges
  cv::Mat page(ink.size(), CV_8UC3);
  // Blend paper and ink by the text's grey level, as a camera blurs edges.
  for (int y = 0; y < page.rows; ++y)
    for (int x = 0; x < page.cols; ++x) {
      const double a = ink.at<uchar>(y, x) / 255.0;
      for (int k = 0; k < 3; ++k)
        page.at<cv::Vec3b>(y, x)[k] = cv::saturate_cast<uchar>(a * c.paper[k] + (1 - a) * c.ink[k]);
    }
  CleanOptions o;
  o.rescale = false;
  o.deskew = false;
  o.remove_stamps = false;
  const cv::Mat kept = clean_page(page, o);
  o.remove_stamps = true;
  CleanReport rep;
  const cv::Mat cleaned = clean_page(page, o, &rep);
  const cv::Mat letters = ink < 200;
  EXPECT_LT(rep.stamp_pixels, cv::countNonZero(letters) / 100) << c.name;
  EXPECT_LT(cv::mean(cleaned, letters)[0], cv::mean(kept, letters)[0] + 3) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Cleanup, TintedPhoto,
                         ::testing::Values(TintCase{"warm lamp", {165, 190, 222}, {90, 98, 120}},
                                           TintCase{"dim pink", {150, 160, 190}, {95, 95, 118}},
                                           TintCase{"sepia ink", {200, 215, 230}, {70, 90, 125}},
                                           TintCase{"neutral", {215, 215, 215}, {80, 80, 80}}),
                         [](const auto& i) {
                           std::string n = i.param.name;
                           for (auto& ch : n)
                             if (ch == ' ') ch = '_';
                           return n;
                         });

TEST(Cleanup, ShadowAndYellowPaperBecomeWhite) {
  cv::Mat ink = text_page({1400, 1000}) < 128;
  cv::Mat page(ink.size(), CV_8UC3);
  for (int x = 0; x < page.cols; ++x)  // deep shadow on the left
    page.col(x).setTo(cv::Scalar(110 + 0.08 * x, 130 + 0.08 * x, 140 + 0.08 * x));
  page.setTo(cv::Scalar(50, 50, 50), ink);
  CleanOptions o;
  o.rescale = false;
  o.deskew = false;
  const cv::Mat out = clean_page(page, o);
  cv::Mat paper;
  cv::erode(~ink, paper, cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
  EXPECT_GT(cv::mean(out(cv::Rect(0, 0, 300, 1000)), paper(cv::Rect(0, 0, 300, 1000)))[0], 235);
  EXPECT_GT(cv::mean(out, paper)[0], 240);
  EXPECT_LT(cv::mean(out, ink)[0], 110);
}

struct ScaleCase {
  double font_scale;
};
class Rescale : public ::testing::TestWithParam<ScaleCase> {};

TEST_P(Rescale, TextEndsUpAtTheTargetXHeight) {
  const cv::Mat page = text_page({2000, 1400}, GetParam().font_scale);
  CleanReport rep;
  const cv::Mat out = clean_page(to_bgr(page), {}, &rep);
  ASSERT_GT(rep.xheight, 0);
  const double after = estimate_xheight(out < 170);
  EXPECT_NEAR(after, 24.0, 24.0 * 0.2) << "scale " << rep.scale;
}
INSTANTIATE_TEST_SUITE_P(Table, Rescale,
                         ::testing::Values(ScaleCase{0.6}, ScaleCase{1.0}, ScaleCase{1.4}));

TEST(Cleanup, XHeightEstimateFollowsFontSize) {
  const double a = estimate_xheight(text_page({2000, 1400}, 0.8) < 128);
  const double b = estimate_xheight(text_page({2000, 1400}, 1.6) < 128);
  ASSERT_GT(a, 0);
  EXPECT_NEAR(b / a, 2.0, 0.3);
}

// Glyphs drawn at x-height 24 (digits about 34 px tall), each with a speck
// at `speck`; whether clear_counter_specks clears it. (40, 50) is on the
// glyph in every case and must stay.
struct CounterCase {
  const char* name;
  std::function<void(cv::Mat&)> draw;
  cv::Point speck;
  bool cleared;
};

void PrintTo(const CounterCase& c, std::ostream* os) { *os << c.name; }

class CounterSpecks : public ::testing::TestWithParam<CounterCase> {};

TEST_P(CounterSpecks, OnlyTheDotOfAZeroIsCleared) {
  const auto& c = GetParam();
  cv::Mat g(100, 100, CV_8UC1, cv::Scalar(255));
  c.draw(g);
  ASSERT_LT(g.at<uchar>(c.speck), 100) << c.name;
  const uchar glyph = g.at<uchar>(50, 40);
  ASSERT_LT(glyph, 100) << c.name;
  clear_counter_specks(g, 24);
  EXPECT_EQ(g.at<uchar>(c.speck) == 255, c.cleared) << c.name;
  EXPECT_EQ(g.at<uchar>(50, 40), glyph) << c.name << ": the glyph itself is kept";
}

void zero(cv::Mat& g) { cv::ellipse(g, {50, 50}, {9, 16}, 0, 0, 360, cv::Scalar(0), 3, cv::LINE_AA); }
void dot(cv::Mat& g, cv::Point at = {50, 50}, cv::Size axes = {2, 3}) {
  cv::ellipse(g, at, axes, 0, 0, 360, cv::Scalar(0), cv::FILLED);
}

INSTANTIATE_TEST_SUITE_P(
    Glyphs, CounterSpecks,
    ::testing::Values(
        CounterCase{"dotted zero", [](cv::Mat& g) { zero(g), dot(g); }, {50, 50}, true},
        CounterCase{"dot joined to the ring by grey",
                    [](cv::Mat& g) {
                      zero(g), dot(g);
                      cv::line(g, {50, 46}, {50, 34}, cv::Scalar(150), 1);
                    },
                    {50, 50}, true},
        CounterCase{"dot blurred into the ring on both sides (a photo)",
                    [](cv::Mat& g) {
                      zero(g);
                      cv::line(g, {42, 50}, {58, 50}, cv::Scalar(105), 2);
                      dot(g);
                    },
                    {50, 50}, true},
        CounterCase{"bar of a faint D-stroke broken off the stem",
                    [](cv::Mat& g) {
                      // Stem at x 39..41, a wide bowl to its right, the bar
                      // through the stem at y 49..51, broken at x 42.
                      cv::rectangle(g, {39, 34}, {41, 66}, cv::Scalar(0), cv::FILLED);
                      cv::ellipse(g, {40, 50}, {24, 16}, 0, -90, 90, cv::Scalar(0), 3, cv::LINE_AA);
                      cv::rectangle(g, {35, 49}, {41, 51}, cv::Scalar(0), cv::FILLED);
                      cv::rectangle(g, {43, 49}, {54, 51}, cv::Scalar(0), cv::FILLED);
                    },
                    {50, 50}, false},
        CounterCase{"speck in a table cell",
                    [](cv::Mat& g) {
                      cv::rectangle(g, {20, 30}, {80, 70}, cv::Scalar(0), 2);
                      cv::line(g, {40, 45}, {40, 55}, cv::Scalar(0), 2);
                      cv::line(g, {60, 45}, {60, 55}, cv::Scalar(0), 2);
                      dot(g);
                    },
                    {50, 50}, false},
        CounterCase{"dirt in a zero, off its middle", [](cv::Mat& g) { zero(g), dot(g, {50, 41}, {1, 1}); },
                    {50, 41}, false}),
    [](const auto& info) {
      std::string n = info.param.name;
      std::replace_if(n.begin(), n.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
      return n;
    });

TEST(Cleanup, SauvolaKeepsFadedInk) {
  cv::Mat g(200, 600, CV_8UC1, cv::Scalar(250));
  cv::rectangle(g, cv::Rect(0, 0, 300, 200), cv::Scalar(215), cv::FILLED);  // darker paper
  cv::putText(g, "faded", {20, 120}, cv::FONT_HERSHEY_SIMPLEX, 2, cv::Scalar(175), 5);
  cv::putText(g, "dark", {330, 120}, cv::FONT_HERSHEY_SIMPLEX, 2, cv::Scalar(20), 5);
  cv::Mat ink = binarize_page(g);
  cv::Mat truth = g < 200;
  EXPECT_GT(cv::countNonZero(ink & truth), 0.8 * cv::countNonZero(truth));
  EXPECT_LT(cv::countNonZero(ink & ~truth), 0.02 * ink.total());
}

TEST(Cleanup, EmptyOrWrongInputGivesEmptyResult) {
  CleanReport rep;
  EXPECT_TRUE(clean_page(cv::Mat(), {}, &rep).empty());
  EXPECT_TRUE(clean_page(cv::Mat(10, 10, CV_32F), {}, &rep).empty());
}

// ink_components must give what cv::connectedComponentsWithStats gives,
// label for label (OpenCV numbers components by their first 2x2 block, not
// their first pixel), on masks that exercise 8-connectivity, runs touching
// the borders, components that begin on the odd row of a block pair left of
// one that begins on the even row, random specks of several densities and
// an empty mask; ink_component_stats the same stats.
struct CompCase {
  const char* name;
  cv::Mat (*draw)();
};
class InkComponentCases : public ::testing::TestWithParam<CompCase> {};

TEST_P(InkComponentCases, MatchOpenCvLabelsAndStats) {
  const cv::Mat ink = GetParam().draw();
  cv::Mat l1, s1, c1, l2, s2;
  const int n1 = cv::connectedComponentsWithStats(ink, l1, s1, c1, 8, CV_32S);
  const int n2 = ink_components(ink, l2, s2);
  ASSERT_EQ(n1, n2) << GetParam().name;
  EXPECT_EQ(cv::countNonZero(l1 != l2), 0) << GetParam().name;
  for (int i = 1; i < n1; ++i)
    for (int k = 0; k < cv::CC_STAT_MAX; ++k)
      EXPECT_EQ(s1.at<int>(i, k), s2.at<int>(i, k)) << GetParam().name << " label " << i;
  cv::Mat s3;
  ASSERT_EQ(ink_component_stats(ink, s3), n1) << GetParam().name;
  EXPECT_EQ(cv::countNonZero(s3 != s2), 0) << GetParam().name;
}

// The run form answers what the labels image answers: the darkest grey per
// label, painting the odd labels (into the whole mask and into a window of
// it), and the runs of a band of rows.
TEST_P(InkComponentCases, RunsAnswerAsTheLabelsImage) {
  const cv::Mat ink = GetParam().draw();
  const InkComponents c(ink);
  const cv::Mat labels = c.labels();
  cv::Mat gray(ink.size(), CV_8U);
  cv::randu(gray, 0, 256);
  EXPECT_EQ(c.darkest(gray), darkest_per_label(labels, gray, c.count())) << GetParam().name;
  std::vector<uchar> odd(size_t(c.count()), 0);
  for (int l = 1; l < c.count(); l += 2) odd[size_t(l)] = 1;
  cv::Mat want(ink.size(), CV_8U, cv::Scalar(7));
  for (int y = 0; y < ink.rows; ++y)
    for (int x = 0; x < ink.cols; ++x)
      if (odd[size_t(labels.at<int>(y, x))]) want.at<uchar>(y, x) = 200;
  cv::Mat got(ink.size(), CV_8U, cv::Scalar(7));
  c.paint(got, odd, 200);
  EXPECT_EQ(cv::countNonZero(got != want), 0) << GetParam().name;
  const cv::Rect window(ink.cols / 3, ink.rows / 4, ink.cols / 2, ink.rows / 2);
  cv::Mat part(window.size(), CV_8U, cv::Scalar(7));
  c.paint(part, odd, 200, window.tl());
  EXPECT_EQ(cv::countNonZero(part != want(window)), 0) << GetParam().name;
  long band = 0;
  for (const auto& r : c.runs_in_rows(window.y, window.br().y)) {
    EXPECT_TRUE(r.y >= window.y && r.y < window.br().y);
    band += r.x1 - r.x0;
  }
  EXPECT_EQ(band, cv::countNonZero(ink.rowRange(window.y, window.br().y))) << GetParam().name;
}

namespace {
cv::Mat specks(double density, unsigned seed) {
  cv::Mat noise(301, 403, CV_32F);  // odd sizes: a last block half outside
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::Mat m = noise < density;
  return m;
}
}  // namespace

INSTANTIATE_TEST_SUITE_P(
    Cleanup, InkComponentCases,
    ::testing::Values(
        CompCase{"empty", [] { return cv::Mat(cv::Mat::zeros(50, 80, CV_8U)); }},
        CompCase{"text", [] { return cv::Mat(text_page({900, 500}, 0.9) < 128); }},
        CompCase{"diagonal_and_borders",
                 [] {
                   cv::Mat m = cv::Mat::zeros(60, 90, CV_8U);
                   for (int i = 0; i < 40; ++i) m.at<uchar>(i, i) = 255;  // 8-connected only
                   m.row(59).setTo(255);
                   m.col(89).setTo(255);
                   cv::rectangle(m, {50, 5, 20, 20}, cv::Scalar(255), 1);  // ring with a hole
                   m.at<uchar>(15, 60) = 255;                               // dot inside it
                   return m;
                 }},
        CompCase{"odd_row_first",
                 [] {
                   // Row 1 at x 40 begins before row 0 at x 10 in raster
                   // order's terms only: OpenCV's block pair 0 holds both,
                   // and the left block comes first.
                   cv::Mat m = cv::Mat::zeros(20, 60, CV_8U);
                   m(cv::Rect(40, 0, 3, 3)).setTo(255);
                   m(cv::Rect(10, 1, 3, 3)).setTo(255);
                   m(cv::Rect(25, 3, 2, 5)).setTo(255);
                   return m;
                 }},
        CompCase{"specks_sparse", [] { return specks(0.05, 1); }},
        CompCase{"specks_dense", [] { return specks(0.45, 2); }},
        CompCase{"specks_percolating", [] { return specks(0.7, 3); }}),
    [](const auto& i) { return std::string(i.param.name); });

// Unsharp mask on a blurred step edge (dark 60 | light 230): the edge gets
// steeper the larger the amount, flat paper and ink stay as they were.
struct SharpenCase {
  double amount, sigma;
  bool changes;  // whether the edge must get steeper than the input's
};

class UnsharpMask : public ::testing::TestWithParam<SharpenCase> {};

namespace {
cv::Mat blurred_edge() {
  cv::Mat m(40, 80, CV_8UC1, cv::Scalar(230));
  m(cv::Rect(0, 0, 40, 40)).setTo(60);
  cv::GaussianBlur(m, m, cv::Size(0, 0), 2.0);
  return m;
}
int steepest_step(const cv::Mat& m) {
  int best = 0;
  const uchar* p = m.ptr<uchar>(m.rows / 2);
  for (int x = 1; x < m.cols; ++x) best = std::max(best, std::abs(int(p[x]) - int(p[x - 1])));
  return best;
}
}  // namespace

TEST_P(UnsharpMask, SteepensEdgesAndKeepsFlatAreas) {
  const auto c = GetParam();
  const cv::Mat in = blurred_edge();
  const cv::Mat out = unsharp_mask(in, c.amount, c.sigma);
  ASSERT_EQ(out.type(), CV_8UC1);
  ASSERT_EQ(out.size(), in.size());
  if (c.changes) EXPECT_GT(steepest_step(out), steepest_step(in));
  else EXPECT_EQ(cv::norm(out, in, cv::NORM_INF), 0.0);
  // Far from the edge (more than 4 sigma of both blurs) nothing moves.
  for (const cv::Rect flat : {cv::Rect(0, 0, 12, 40), cv::Rect(68, 0, 12, 40)})
    EXPECT_LE(cv::norm(out(flat), in(flat), cv::NORM_INF), 1.0);
}

INSTANTIATE_TEST_SUITE_P(Table, UnsharpMask,
                         ::testing::Values(SharpenCase{0.0, 1.0, false},
                                           SharpenCase{0.4, 0.0, false},
                                           SharpenCase{-0.5, 1.0, false},
                                           SharpenCase{0.4, 1.0, true},
                                           SharpenCase{1.0, 1.0, true},
                                           SharpenCase{0.4, 2.0, true}));

TEST(UnsharpMask, LargerAmountGivesSteeperEdge) {
  const cv::Mat in = blurred_edge();
  EXPECT_LT(steepest_step(unsharp_mask(in, 0.4, 1.0)), steepest_step(unsharp_mask(in, 1.0, 1.0)));
}

TEST(Cleanup, OnlyPhotosAreSharpened) {
  CleanOptions on, off;
  on.photo_sharpen = 0.4;
  off.photo_sharpen = 0;
  // A scan: the option changes nothing.
  const cv::Mat scan = to_bgr(text_page({1200, 1600}));
  CleanReport rs;
  const cv::Mat a = clean_page(scan, on, &rs), b = clean_page(scan, off);
  ASSERT_FALSE(rs.photo);
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);
  // A photo of the same page on a dark desk: sharpened, and timed.
  cv::Mat photo(2000, 1600, CV_8UC3, cv::Scalar(45, 50, 60));
  scan.copyTo(photo(cv::Rect(200, 200, scan.cols, scan.rows)));
  CleanReport rp;
  const cv::Mat c = clean_page(photo, on, &rp), d = clean_page(photo, off);
  ASSERT_TRUE(rp.photo);
  ASSERT_EQ(c.size(), d.size());
  EXPECT_GT(cv::norm(c, d, cv::NORM_INF), 10.0);
  EXPECT_TRUE(std::any_of(rp.timings_ms.begin(), rp.timings_ms.end(),
                          [](const auto& t) { return t.first == "sharpen"; }));
}
