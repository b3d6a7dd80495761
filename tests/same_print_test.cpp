// The same print on two pages: what is read once per book (ocr/same_print.hpp).
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "ocr/read.hpp"
#include "ocr/same_print.hpp"
#include "ocr/scripted_engine.hpp"
#include "tests/drawn_table.hpp"

namespace hotich::ocr {
namespace {

using testing::draw_table;
using testing::rescaled;

const std::vector<std::string> kHeader = {"So dang ky", "Ho va ten\nnguoi khai", "Ngay sinh", "Noi sinh"};
const std::vector<std::string> kNumbers = {"(1)", "(2)", "(3)", "(4)"};

std::vector<std::vector<std::string>> page_rows(std::vector<std::string> first_entry) {
  return {kHeader, kNumbers, std::move(first_entry), {"13/2018", "Le Van Tam", "02/03/2017", "Ha Noi"}};
}

struct PrintCase {
  const char* name;
  std::vector<std::string> row;  // row 0 of the second page (the first page's is kHeader)
  double scale, blur;
  bool same;
};

// Row 0 of a page against row 0 of the first page, kHeader.
TEST(SamePrint, HeaderRowTable) {
  const PrintCase cases[] = {
      {"the same page", kHeader, 1.0, 0, true},
      {"photographed 3% larger and softer", kHeader, 1.03, 0.8, true},
      {"photographed 4% smaller", kHeader, 0.96, 0, true},
      {"another wording in one cell", {"So dang ky", "Ho va ten\nnguoi khai", "Ngay dang ky", "Noi sinh"}, 1.0, 0, false},
      {"one word changed, same length", {"So dang ky", "Ho va ten\nnguoi khai", "Ngay sinh", "Noi chet"}, 1.0, 0, false},
      {"a cell left blank", {"So dang ky", "Ho va ten\nnguoi khai", "", "Noi sinh"}, 1.0, 0, false},
      {"a cell on one line instead of two", {"So dang ky", "Ho va ten", "Ngay sinh", "Noi sinh"}, 1.0, 0, false},
      {"a body row where the header was", {"12/2018", "Nguyen Van An\nbo", "01/02/2017", "Hue"}, 1.0, 0, false},
  };
  const auto first = draw_table(page_rows({"12/2018", "Nguyen Van An", "01/02/2017", "Hue"}));
  const auto a = row_prints(first.gray, first.table, 3);
  ASSERT_EQ(a.size(), 3u);
  for (const auto& c : cases) {
    auto rows = page_rows({"14/2018", "Tran Thi Binh", "05/06/2017", "Vinh"});
    rows[0] = c.row;
    const auto second = rescaled(draw_table(rows), c.scale, c.blur);
    const auto b = row_prints(second.gray, second.table, 3);
    ASSERT_EQ(b.size(), 3u) << c.name;
    EXPECT_EQ(same_print(a[0], b[0]), c.same) << c.name;
  }
}

// Only the rows printed on the form match; entries never do, even where
// they share most of their words.
TEST(SamePrint, RowsBelowTheHeader) {
  const auto p1 = draw_table(page_rows({"12/2018", "Nguyen Van An", "01/02/2017", "Ha Noi"}));
  const auto p2 = rescaled(draw_table(page_rows({"18/2018", "Nguyen Van Anh", "01/02/2017", "Ha Noi"})), 1.02, 0.6);
  const auto a = row_prints(p1.gray, p1.table, 4), b = row_prints(p2.gray, p2.table, 4);
  ASSERT_EQ(a.size(), 4u);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_TRUE(same_print(a[0], b[0]));
  EXPECT_TRUE(same_print(a[1], b[1]));   // the column numbers
  EXPECT_FALSE(same_print(a[2], b[2]));  // another entry
  EXPECT_TRUE(same_print(a[3], b[3]));   // the very same entry (a page photographed twice)
}

TEST(SamePrint, RowsWithoutLinesAreNoPrint) {
  const auto p = draw_table({{"", "", "", ""}, {"a", "b", "c", "d"}});
  const auto a = row_prints(p.gray, p.table, 2);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_FALSE(same_print(a[0], a[0]));
  EXPECT_TRUE(same_print(a[1], a[1]));
}

TEST(SamePrint, TablesOfOtherRulingDiffer) {
  auto p1 = draw_table({kHeader});
  auto p2 = draw_table({{"So dang ky", "Ho va ten\nnguoi khai", "Ngay sinh"}});
  EXPECT_FALSE(same_print(row_prints(p1.gray, p1.table, 1)[0], row_prints(p2.gray, p2.table, 1)[0]));
}

TEST(Likeness, SamePrintHighOtherDigitsAndWordsLow) {
  // Tight around the ink, as layout's line boxes are.
  auto line = [](const std::string& s, double blur = 0) {
    cv::Mat m(70, 300, CV_8U, cv::Scalar(255));
    cv::putText(m, s, {10, 50}, cv::FONT_HERSHEY_SIMPLEX, 1.4, cv::Scalar(0), 3, cv::LINE_AA);
    if (blur > 0) cv::GaussianBlur(m, m, cv::Size(0, 0), blur);
    std::vector<cv::Point> ink;
    cv::findNonZero(m < 128, ink);
    return cv::Mat(m(cv::boundingRect(ink)).clone());
  };
  EXPECT_NEAR(likeness(line("1980"), line("1980")), 1, 1e-6);
  EXPECT_GT(likeness(line("1980"), line("1980", 0.8)), 0.9);
  EXPECT_LT(likeness(line("1980"), line("1986")), 0.8);
  EXPECT_LT(likeness(line("(4)"), line("(7)")), 0.8);
  EXPECT_LT(likeness(line("Ngay sinh"), line("Noi sinh")), 0.5);
  EXPECT_EQ(likeness(line("1980"), cv::Mat()), 0);
}

// The words keep their place along the line on a page photographed
// larger: a title's words over six columns must stay over them.
TEST(CopyRowText, MapsWordsFromLineToLine) {
  auto from = draw_table(page_rows({"12/2018", "A", "B", "C"}));
  auto to = rescaled(from, 1.1);
  for (auto& c : to.table.cells) {
    c.box.x += 5, c.box.y += 7;
    for (auto& l : c.lines) l.box.x += 5, l.box.y += 7;
  }
  Line& src = from.table.cells[0].lines[0];
  const Line read = scripted_line("So dang ky", 91, src.box.w, src.box.h);
  src.text = read.text;
  src.conf = read.conf;
  src.words = read.words;
  for (auto& w : src.words) w.box.x += src.box.x, w.box.y += src.box.y;
  from.table.cells[4].lines[0].text = "(1)";  // row 1: not copied
  copy_row_text(from.table, to.table, 0);
  const Line& got = to.table.cells[0].lines[0];
  const Box own = to.table.cells[0].lines[0].box;
  EXPECT_EQ(got.text, "So dang ky");
  EXPECT_EQ(got.conf, 91);
  ASSERT_EQ(got.words.size(), 3u);
  EXPECT_EQ(got.words[0].box.x, own.x);
  EXPECT_NEAR(got.words[1].box.x, own.x + (src.words[1].box.x - src.box.x) * 1.1, 1.5);
  EXPECT_NEAR(got.words[2].box.x + got.words[2].box.w,
              own.x + (src.words[2].box.x + src.words[2].box.w - src.box.x) * 1.1, 1.5);
  EXPECT_EQ(got.words[0].box.y, own.y);
  EXPECT_EQ(to.table.cells[4].lines[0].text, "");
}

TEST(ReadText, LeavesPrereadRowsAlone) {
  auto d = draw_table(page_rows({"12/2018", "A", "B", "C"}));
  Page page;
  page.tables.push_back(d.table);
  ScriptedEngine all;
  read_text(d.gray, page, all);
  page.tables[0].preread_rows = 2;
  page.tables[0].cells[0].lines[0].text = "kept";
  ScriptedEngine some;
  read_text(d.gray, page, some);
  // Row 0 has five lines (one cell holds two), row 1 four.
  EXPECT_EQ(all.calls() - some.calls(), 9);
  EXPECT_EQ(page.tables[0].cells[0].lines[0].text, "kept");
}

}  // namespace
}  // namespace hotich::ocr
