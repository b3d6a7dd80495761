// OCR engines and read_text. The Tesseract tests read images rendered with
// Pillow (tests/data/ocr/, made by:
//   f = ImageFont.truetype("DejaVuSans.ttf", 40); draw "Nguyễn Thị Hồng Nhung"
//   -> line_vi.png; LiberationSerif 44 px, three "Label: value" lines ->
//   form_vi.png) and skip visibly when the vie model is not installed.
#include "ocr/engine.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ocr/cleanup.hpp"
#include "ocr/layout.hpp"
#include "ocr/read.hpp"
#include "ocr/scripted_engine.hpp"
#include "schema/text.hpp"

using namespace hotich::ocr;

namespace {

const std::string kData = std::string(HOTICH_SOURCE_DIR) + "/tests/data/ocr/";

bool has_model(const std::string& lang) {
  std::vector<std::string> dirs;
  if (const char* p = std::getenv("TESSDATA_PREFIX")) dirs.push_back(p);
  dirs.push_back("/usr/share/tesseract-ocr/5/tessdata");
  dirs.push_back("/usr/share/tesseract-ocr/4.00/tessdata");
  dirs.push_back("/usr/local/share/tessdata");
  for (const auto& d : dirs)
    if (std::filesystem::exists(d + "/" + lang + ".traineddata")) return true;
  return false;
}

#define REQUIRE_MODEL(lang)                                                              \
  if (!has_model(lang))                                                                  \
  GTEST_SKIP() << "SKIPPED: Tesseract model " lang ".traineddata not installed "         \
                  "(apt install tesseract-ocr-vie / tesseract-ocr-script-viet)"

cv::Mat load_gray(const std::string& name) {
  cv::Mat m = cv::imread(kData + name, cv::IMREAD_GRAYSCALE);
  EXPECT_FALSE(m.empty()) << kData + name;
  return m;
}

}  // namespace

// ---- TesseractEngine -------------------------------------------------------

struct LineCase {
  std::string language;
  std::string expected;
  int max_edits;
};
class TesseractLine : public ::testing::TestWithParam<LineCase> {};

TEST_P(TesseractLine, ReadsARenderedVietnameseName) {
  const auto c = GetParam();
  if (!has_model(c.language))
    GTEST_SKIP() << "SKIPPED: Tesseract model " << c.language << ".traineddata not installed";
  TesseractOptions o;
  o.language = c.language;
  TesseractEngine engine(o);
  const cv::Mat img = load_gray("line_vi.png");
  const LineRead r = engine.read_line(img);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_LE(hotich::schema::edit_distance(hotich::schema::nfc(r.line.text), c.expected),
            c.max_edits)
      << r.line.text;
  ASSERT_EQ(r.line.words.size(), 4u) << r.line.text;
  EXPECT_GT(r.line.conf, 60);
  // Word boxes lie inside the crop, left to right.
  for (size_t i = 0; i < r.line.words.size(); ++i) {
    const Box& b = r.line.words[i].box;
    EXPECT_GE(b.x, 0);
    EXPECT_LE(b.x + b.w, img.cols);
    if (i) {
      EXPECT_GT(b.x, r.line.words[i - 1].box.x);
    }
  }
}
INSTANTIATE_TEST_SUITE_P(Table, TesseractLine,
                         ::testing::Values(LineCase{"vie", "Nguyễn Thị Hồng Nhung", 1},
                                           LineCase{"Vietnamese", "Nguyễn Thị Hồng Nhung", 1}));

// Symbol evidence: conf never exceeds the engine's word confidence nor
// 100 - rival_weight x rival_conf. line_vi.png is clean (no strong rival anywhere);
// line_rival.png ("Lê Thị Ung phổi" in FreeSans 34 px, shrunk 3x and
// blown back up with a 1.5 px blur) has diacritics the LSTM hesitates on
// (Ung/Ủng, phổi/phối), which must show as a strong rival on some word.
TEST(TesseractEngine, SymbolEvidenceLowersDoubtfulWords) {
  REQUIRE_MODEL("vie");
  TesseractEngine engine;
  struct Row {
    const char* image;
    bool expect_rival;  // some word has rival_conf >= 30
  };
  const Row rows[] = {{"line_vi.png", false}, {"line_rival.png", true}};
  for (auto& r : rows) {
    const LineRead res = engine.read_line(load_gray(r.image));
    ASSERT_TRUE(res.ok()) << res.error;
    ASSERT_FALSE(res.line.words.empty()) << r.image;
    float strongest = 0;
    for (const auto& w : res.line.words) {
      EXPECT_GE(w.engine_conf, w.conf) << w.text;
      EXPECT_LE(w.conf, 100.0f - TesseractOptions{}.rival_weight * w.rival_conf + 1e-3f) << w.text;
      EXPECT_GE(w.min_symbol_conf, 0.0f) << w.text;
      strongest = std::max(strongest, w.rival_conf);
    }
    EXPECT_EQ(strongest >= 30, r.expect_rival) << r.image << ": " << res.line.text << " rival " << strongest;
  }
}

// line_leader.png: "Số: ....... 96" cut from a cleaned page of
// `scripts/make-corpus --seed 383` (book04, page 3). Tesseract's line mode
// finds no text line in it at all; the raw line mode reads it.
TEST(TesseractEngine, LineModeFindingNothingFallsBackToRawLine) {
  REQUIRE_MODEL("vie");
  TesseractOptions line_mode_only;
  line_mode_only.raw_line_min_conf = 101;  // never taken
  const LineRead before = TesseractEngine(line_mode_only).read_line(load_gray("line_leader.png"));
  ASSERT_TRUE(before.ok()) << before.error;
  EXPECT_TRUE(before.line.words.empty()) << before.line.text;
  const LineRead r = TesseractEngine().read_line(load_gray("line_leader.png"));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_GE(r.line.words.size(), 2u) << r.line.text;
  EXPECT_EQ(r.line.words.front().text.rfind("Số", 0), 0u) << r.line.text;
  EXPECT_NE(r.line.text.find("96"), std::string::npos) << r.line.text;
}

TEST(TesseractEngine, MissingLanguageThrowsEngineErrorNamingTheFile) {
  TesseractOptions o;
  o.language = "xx_nolang";
  try {
    TesseractEngine e(o);
    FAIL() << "no EngineError";
  } catch (const EngineError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("xx_nolang.traineddata"), std::string::npos) << m;
    EXPECT_NE(m.find("TESSDATA_PREFIX"), std::string::npos) << m;
  }
  o.language = "vie";
  o.datapath = "/nonexistent/tessdata";
  EXPECT_THROW(TesseractEngine{o}, EngineError);
}

TEST(TesseractEngine, BadCropIsAnErrorValue) {
  REQUIRE_MODEL("vie");
  TesseractEngine engine;
  EXPECT_FALSE(engine.read_line(cv::Mat()).ok());
  EXPECT_FALSE(engine.read_line(cv::Mat(30, 100, CV_8UC3, cv::Scalar::all(255))).ok());
  // A blank crop reads as no text, successfully.
  const LineRead blank = engine.read_line(cv::Mat(40, 200, CV_8UC1, cv::Scalar(255)));
  EXPECT_TRUE(blank.ok());
  EXPECT_TRUE(blank.line.words.empty()) << blank.line.text;
}

TEST(TesseractEngine, BlockReadGivesOneLinePerTextLine) {
  REQUIRE_MODEL("vie");
  TesseractEngine engine;
  const BlockRead r = engine.read_block(load_gray("form_vi.png"));
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_LE(hotich::schema::edit_distance(r.lines[1].text, "Ngày sinh: 12/03/1985"), 1)
      << r.lines[1].text;
  EXPECT_LT(r.lines[0].box.y, r.lines[1].box.y);
}

// Whole chain on a page: cleanup, layout, read; word boxes in page
// coordinates; the crop is a view into the page.
TEST(TesseractEngine, CleanLayoutReadChainOnAFormImage) {
  REQUIRE_MODEL("vie");
  cv::Mat bgr = cv::imread(kData + "form_vi.png", cv::IMREAD_COLOR);
  ASSERT_FALSE(bgr.empty());
  CleanReport rep;
  const cv::Mat gray = clean_page(bgr, {}, &rep);
  Page page = find_layout(gray);
  ASSERT_EQ(page.lines.size(), 3u);
  TesseractEngine engine;
  const ReadReport rr = read_text(gray, page, engine);
  EXPECT_EQ(rr.lines_read, 3);
  const std::vector<std::string> want = {"Họ và tên: Trần Văn Đức", "Ngày sinh: 12/03/1985",
                                         "Nơi sinh: xã Tân Phú, huyện Đồng Xoài"};
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_LE(hotich::schema::edit_distance(hotich::schema::nfc(page.lines[i].text), want[i]), 2)
        << page.lines[i].text;
    for (const Word& w : page.lines[i].words) {
      EXPECT_GE(w.box.y, page.lines[i].box.y - 8);
      EXPECT_LE(w.box.y + w.box.h, page.lines[i].box.y + page.lines[i].box.h + 8);
    }
  }
}

// ---- ScriptedEngine and read_text -----------------------------------------

TEST(ScriptedEngine, AnswersInOrderThenHandlerThenEmpty) {
  ScriptedEngine e({{"Nguyễn Văn An", 91}, ScriptedAnswer::failure("boom")});
  const cv::Mat crop(30, 300, CV_8UC1, cv::Scalar(255));
  const LineRead a = e.read_line(crop);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.line.text, "Nguyễn Văn An");
  ASSERT_EQ(a.line.words.size(), 3u);
  EXPECT_FLOAT_EQ(a.line.conf, 91);
  EXPECT_LE(a.line.words.back().box.x + a.line.words.back().box.w, 300);
  const LineRead b = e.read_line(crop);
  EXPECT_FALSE(b.ok());
  EXPECT_EQ(b.error, "boom");
  EXPECT_TRUE(e.read_line(crop).line.text.empty());
  e.set_handler([](const cv::Mat& m, int call) {
    return ScriptedAnswer{std::to_string(m.cols) + "x" + std::to_string(call), 50};
  });
  EXPECT_EQ(e.read_line(crop).line.text, "300x3");
  const BlockRead blk = e.read_block(crop);
  EXPECT_EQ(blk.lines.size(), 1u);
  e.fail_all("engine crashed");
  EXPECT_EQ(e.read_block(crop).error, "engine crashed");
  EXPECT_EQ(e.calls(), 6);
}

namespace {

// One text line above a 1x3 table whose middle cell is blank.
Page small_page(cv::Mat* img) {
  *img = cv::Mat(400, 900, CV_8UC1, cv::Scalar(255));
  cv::putText(*img, "Quyen so 01", {100, 80}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(0), 2);
  cv::rectangle(*img, cv::Rect(100, 150, 700, 100), cv::Scalar(0), 2);
  cv::line(*img, {330, 150}, {330, 250}, cv::Scalar(0), 2);
  cv::line(*img, {560, 150}, {560, 250}, cv::Scalar(0), 2);
  cv::putText(*img, "Nguyen An", {120, 210}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(0), 2);
  cv::putText(*img, "Kinh", {600, 210}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(0), 2);
  return find_layout(*img);
}

}  // namespace

TEST(ReadText, FillsLinesSkipsBlankCellsAndMapsWordBoxesToPage) {
  cv::Mat img;
  Page page = small_page(&img);
  ASSERT_EQ(page.lines.size(), 1u);
  ASSERT_EQ(page.tables.size(), 1u);
  ASSERT_EQ(page.tables[0].cells.size(), 3u);
  ASSERT_TRUE(page.tables[0].cells[1].blank);
  ScriptedEngine e({{"Quyển số 01", 88}, {"Nguyễn An", 77}, {"Kinh", 95}});
  const ReadReport r = read_text(img, page, e);
  EXPECT_EQ(r.lines_read, 3);
  EXPECT_EQ(r.blank_cells, 1);
  EXPECT_EQ(e.calls(), 3);
  EXPECT_EQ(page.lines[0].text, "Quyển số 01");
  EXPECT_EQ(page.tables[0].cells[0].lines[0].text, "Nguyễn An");
  EXPECT_FLOAT_EQ(page.tables[0].cells[0].lines[0].conf, 77);
  EXPECT_EQ(page.tables[0].cells[2].lines[0].text, "Kinh");
  // Word boxes are on the page, inside the padded line box.
  const Line& l = page.tables[0].cells[0].lines[0];
  ASSERT_EQ(l.words.size(), 2u);
  EXPECT_GE(l.words[0].box.x, l.box.x - 6);
  EXPECT_GE(l.words[0].box.y, l.box.y - 6);
  EXPECT_GT(l.words[0].box.x, 100);
  // Crops are the padded line boxes, clipped inside the cell's rules.
  const auto& sizes = e.crop_sizes();
  EXPECT_EQ(sizes[0].height, page.lines[0].box.h + 12);
  EXPECT_LE(sizes[1].width, 330 - 100 - 4);
}

// Thick, blurred rules (a photo): the crop of a cell line stays off their
// grey edge, which the engine would read as a bar or a quote.
TEST(ReadText, CellCropsKeepOffTheSoftEdgeOfThickRules) {
  cv::Mat img(400, 900, CV_8UC1, cv::Scalar(255));
  cv::rectangle(img, cv::Rect(100, 150, 700, 100), cv::Scalar(0), 7);
  cv::line(img, {330, 150}, {330, 250}, cv::Scalar(0), 7);
  cv::line(img, {560, 150}, {560, 250}, cv::Scalar(0), 7);
  cv::putText(img, "Viet Nam", {342, 210}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(0), 2);
  cv::GaussianBlur(img, img, cv::Size(5, 5), 1.5);
  Page page = find_layout(img);
  ASSERT_EQ(page.tables.size(), 1u);
  ASSERT_EQ(page.tables[0].cells.size(), 3u);
  ASSERT_EQ(page.tables[0].cells[1].lines.size(), 1u);
  double left_edge = 0, right_edge = 0;
  ScriptedEngine e(std::vector<ScriptedAnswer>{});
  e.set_handler([&](const cv::Mat& m, int) {
    cv::minMaxLoc(m.col(0), &left_edge);
    cv::minMaxLoc(m.col(m.cols - 1), &right_edge);
    return ScriptedAnswer{"Việt Nam", 90};
  });
  read_text(img, page, e);
  EXPECT_EQ(e.calls(), 1);
  EXPECT_GE(left_edge, 230);  // the darkest pixel of the crop's first column
  EXPECT_GE(right_edge, 230);
}

TEST(ReadText, AFailedLineIsCountedAndTheOthersAreStillRead) {
  cv::Mat img;
  Page page = small_page(&img);
  ScriptedEngine e({{"Quyển số 01", 88}, ScriptedAnswer::failure("tesseract fault"), {"Kinh", 95}});
  const ReadReport r = read_text(img, page, e);
  EXPECT_EQ(r.lines_read, 2);
  EXPECT_EQ(r.lines_failed, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("tesseract fault"), std::string::npos);
  EXPECT_TRUE(page.tables[0].cells[0].lines[0].text.empty());
  EXPECT_EQ(page.tables[0].cells[2].lines[0].text, "Kinh");
}
