// Layout analysis on drawn pages: a ruled table with broken rules, spanning
// header cells, a blank cell and a two-line cell; text lines of a two-column
// form in reading order.
#include "ocr/layout.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

using namespace hotich::ocr;

namespace {

void text(cv::Mat& m, const std::string& s, int x, int baseline, double scale = 0.9) {
  cv::putText(m, s, {x, baseline}, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(0), 2, cv::LINE_AA);
}

void hline(cv::Mat& m, int y, int x0, int x1) { cv::line(m, {x0, y}, {x1, y}, cv::Scalar(0), 2); }
void vline(cv::Mat& m, int x, int y0, int y1) { cv::line(m, {x, y0}, {x, y1}, cv::Scalar(0), 2); }

// Columns 0..4 at these x; rows 0..4 at these y. Row 0-1 is a two-row
// header: columns 0 and 1 span both header rows; "Nguoi me" spans columns
// 2-4 in header row 0, with three sub-column titles in header row 1.
const std::vector<int> kCols = {100, 260, 700, 900, 1100, 1400};
const std::vector<int> kRows = {300, 380, 440, 560, 680, 800};

cv::Mat ledger_page() {
  cv::Mat p(1100, 1600, CV_8UC1, cv::Scalar(255));
  text(p, "SO DANG KY KHAI SINH", 560, 120, 1.2);
  text(p, "Quyen so: 01/2015", 620, 200);
  // Horizontal rules: the one between the header rows exists only under the
  // spanning title. Some rules are broken (faded print).
  hline(p, kRows[0], kCols[0], kCols[5]);
  hline(p, kRows[1], kCols[2], kCols[5]);
  for (int r = 2; r <= 5; ++r) hline(p, kRows[size_t(r)], kCols[0], kCols[5]);
  cv::line(p, {400, kRows[3]}, {412, kRows[3]}, cv::Scalar(255), 4);   // gap 12 px
  cv::line(p, {1000, kRows[4]}, {1010, kRows[4]}, cv::Scalar(255), 4);  // gap 10 px
  // Vertical rules: the sub-column rules start below the spanning title.
  for (int c : {0, 1, 2, 5}) vline(p, kCols[size_t(c)], kRows[0], kRows[5]);
  for (int c : {3, 4}) vline(p, kCols[size_t(c)], kRows[1], kRows[5]);
  cv::line(p, {kCols[1], 600}, {kCols[1], 609}, cv::Scalar(255), 4);  // gap 9 px
  text(p, "So", 140, 380);
  text(p, "Ho ten", 300, 380);
  text(p, "Nguoi me", 820, 350);
  text(p, "Ho ten", 720, 425);
  text(p, "Nam sinh", 910, 425);
  text(p, "Dan toc", 1120, 425);
  // Body: row 2 has a two-line name cell; row 3 leaves "Nam sinh" blank.
  text(p, "1", 150, 515);
  text(p, "Nguyen Van", 280, 490);
  text(p, "An Binh", 280, 540);
  text(p, "Tran Thi Mai", 710, 515);
  text(p, "1990", 940, 515);
  text(p, "Kinh", 1150, 515);
  text(p, "2", 150, 635);
  text(p, "Le Van Cuong", 280, 635);
  text(p, "Pham Thi Lan", 710, 635);
  text(p, "Tay", 1150, 635);
  text(p, "3", 150, 755);
  text(p, "Do Minh Duc", 280, 755);
  text(p, "Vu Thi Hoa", 710, 755);
  text(p, "1988", 940, 755);
  text(p, "Kinh", 1150, 755);
  return p;
}

// The cell of a page's only table that covers grid position (row, col), or
// nullptr.
const Cell* cell_covering(const Page& p, int row, int col) {
  if (p.tables.size() != 1) return nullptr;
  for (const Cell& c : p.tables[0].cells)
    if (c.row <= row && row < c.row + std::max(1, c.row_span) && c.col <= col && col < c.col + std::max(1, c.col_span))
      return &c;
  return nullptr;
}

// A line box holds the text drawn on `baseline`: it reaches from the top of
// the letters (at least a small x-height above) to the baseline or a
// descender below it, and not into the next line.
bool spans_baseline(const Box& b, int baseline) {
  return b.y <= baseline - 12 && b.y >= baseline - 40 && b.y + b.h >= baseline - 2 &&
         b.y + b.h <= baseline + 12;
}

// The grid of ledger_page(): one table, its rules at kRows and kCols.
// nullptr (after reporting why) when it is not.
const Table* ledger_grid(const Page& p) {
  EXPECT_EQ(p.tables.size(), 1u);
  if (p.tables.size() != 1) return nullptr;
  const Table& t = p.tables[0];
  EXPECT_EQ(t.rows(), 5);
  EXPECT_EQ(t.cols(), 5);
  if (t.rows() != 5 || t.cols() != 5) return nullptr;
  for (size_t i = 0; i < kRows.size(); ++i) EXPECT_NEAR(t.row_edges[i], kRows[i], 3) << "row " << i;
  for (size_t i = 0; i < kCols.size(); ++i) EXPECT_NEAR(t.col_edges[i], kCols[i], 3) << "col " << i;
  return &t;
}

// A page with a ruled table of a header row and one body row, its two
// columns split at x_mid and headed h0 and h1.
cv::Mat header_and_row(int width, int x_mid, int x_end, const char* h0, const char* h1) {
  cv::Mat p(500, width, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 200, 300}) hline(p, y, 100, x_end);
  for (int x : {100, x_mid, x_end}) vline(p, x, 100, 300);
  text(p, h0, 150, 160);
  text(p, h1, x_mid + 50, 160);
  return p;
}

// The page's one table, of rows x cols grid cells; nullptr (after
// reporting why) when it is not.
const Table* one_table(const Page& p, int rows, int cols) {
  EXPECT_EQ(p.tables.size(), 1u);
  if (p.tables.size() != 1) return nullptr;
  const Table& t = p.tables[0];
  EXPECT_EQ(t.rows(), rows);
  EXPECT_EQ(t.cols(), cols);
  return t.rows() == rows && t.cols() == cols ? &t : nullptr;
}

// The two lines above ledger_page()'s table, in order: title, book number.
void expect_ledger_header_lines(const Page& p) {
  ASSERT_EQ(p.lines.size(), 2u);
  EXPECT_TRUE(spans_baseline(p.lines[0].box, 120));
  EXPECT_TRUE(spans_baseline(p.lines[1].box, 200));
}

struct CellCase {
  int row, col, row_span, col_span;
  bool blank;
  int lines;
};

}  // namespace

TEST(Layout, RuledTableGridSpansBlankCellsAndCellLines) {
  const cv::Mat page = ledger_page();
  const Page p = find_layout(page);
  EXPECT_EQ(p.width, page.cols);
  const Table* grid = ledger_grid(p);
  ASSERT_NE(grid, nullptr);
  const Table& t = *grid;

  const std::vector<CellCase> want = {
      {0, 0, 2, 1, false, 1}, {0, 1, 2, 1, false, 1}, {0, 2, 1, 3, false, 1},
      {1, 2, 1, 1, false, 1}, {1, 3, 1, 1, false, 1}, {1, 4, 1, 1, false, 1},
      {2, 0, 1, 1, false, 1}, {2, 1, 1, 1, false, 2}, {2, 2, 1, 1, false, 1},
      {2, 3, 1, 1, false, 1}, {2, 4, 1, 1, false, 1},
      {3, 0, 1, 1, false, 1}, {3, 1, 1, 1, false, 1}, {3, 2, 1, 1, false, 1},
      {3, 3, 1, 1, true, 0},  {3, 4, 1, 1, false, 1},
      {4, 0, 1, 1, false, 1}, {4, 1, 1, 1, false, 1}, {4, 2, 1, 1, false, 1},
      {4, 3, 1, 1, false, 1}, {4, 4, 1, 1, false, 1},
  };
  ASSERT_EQ(t.cells.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const Cell& c = t.cells[i];
    const CellCase& w = want[i];
    SCOPED_TRACE("cell " + std::to_string(w.row) + "," + std::to_string(w.col));
    EXPECT_EQ(c.row, w.row);
    EXPECT_EQ(c.col, w.col);
    EXPECT_EQ(c.row_span, w.row_span);
    EXPECT_EQ(c.col_span, w.col_span);
    EXPECT_EQ(c.blank, w.blank);
    EXPECT_EQ(int(c.lines.size()), w.lines);
    for (const Line& l : c.lines) {
      EXPECT_TRUE(l.text.empty());
      EXPECT_GE(l.box.x, c.box.x);
      EXPECT_LE(l.box.x + l.box.w, c.box.x + c.box.w);
    }
  }
  // The two lines of the name cell, top to bottom, where they were drawn.
  const Cell& two = t.cells[7];
  ASSERT_EQ(two.lines.size(), 2u);
  EXPECT_TRUE(spans_baseline(two.lines[0].box, 490));
  EXPECT_TRUE(spans_baseline(two.lines[1].box, 540));

  // Above the table: the two header lines, in order; nothing from inside.
  expect_ledger_header_lines(p);
}

// A photo rectified a little outside the paper keeps the page's edge as
// lines along the image border; where one touches a table's rule, the
// table's box reached the border, and the page header above it was read as
// a row of cells. Rows and columns that no inner rule crosses are cut off.
TEST(Layout, PageEdgeTouchingATableIsNoPartOfIt) {
  cv::Mat page = ledger_page();
  hline(page, 6, 0, page.cols - 1);                          // top edge of the paper
  vline(page, page.cols - 5, 0, page.rows - 1);              // right edge
  hline(page, kRows[0], kCols[5], page.cols - 5);            // the top rule runs into it
  const Page p = find_layout(page);
  ASSERT_NE(ledger_grid(p), nullptr);
  // The title and the book number are page lines again, not cells.
  expect_ledger_header_lines(p);
}

// Row offset of the right column against the left one (0 = aligned rows, as
// side-by-side "mother | father" sections print) and the gutter in px
// between the longest left line and the right column (letters ~22 px tall).
struct ColumnCase {
  int offset;
  int gutter;
};
class TwoColumns : public ::testing::TestWithParam<ColumnCase> {};

TEST_P(TwoColumns, FormReadsLeftColumnThenRight) {
  const int off = GetParam().offset;
  cv::Mat page(1300, 1800, CV_8UC1, cv::Scalar(255));
  const std::vector<std::string> left = {"Ho ten: Nguyen Van An", "Ngay sinh: 12/03/1985",
                                         "Gioi tinh: Nam", "Dan toc: Kinh",
                                         "Noi sinh: Tan Phu"};
  const std::vector<std::string> right = {"Ho ten me: Tran Thi Mai", "Nam sinh: 1960",
                                          "Dan toc: Kinh", "Quoc tich: Viet Nam"};
  int left_w = 0, base = 0;
  for (const auto& l : left)
    left_w = std::max(left_w, cv::getTextSize(l, cv::FONT_HERSHEY_SIMPLEX, 0.9, 2, &base).width);
  const int rx = 100 + left_w + GetParam().gutter;
  for (size_t i = 0; i < left.size(); ++i) text(page, left[i], 100, 260 + int(i) * 80);
  for (size_t i = 0; i < right.size(); ++i) text(page, right[i], rx, 260 + off + int(i) * 80);
  // Title and footer centred over both columns.
  int right_w = 0;
  for (const auto& r : right)
    right_w = std::max(right_w, cv::getTextSize(r, cv::FONT_HERSHEY_SIMPLEX, 0.9, 2, &base).width);
  const int centre = (100 + rx + right_w) / 2;
  const std::string title = "TO KHAI DANG KY KHAI SINH", footer = "Nguoi di khai ky va ghi ro ho ten";
  const int title_x = centre - cv::getTextSize(title, cv::FONT_HERSHEY_SIMPLEX, 1.3, 2, &base).width / 2;
  const int footer_x = centre - cv::getTextSize(footer, cv::FONT_HERSHEY_SIMPLEX, 0.9, 2, &base).width / 2;
  text(page, title, title_x, 120, 1.3);
  text(page, footer, footer_x, 800);
  const Page p = find_layout(page);
  EXPECT_TRUE(p.tables.empty());
  ASSERT_EQ(p.lines.size(), 1 + left.size() + right.size() + 1);
  // Expected order: title, left column top-down, right column top-down, footer.
  std::vector<std::pair<int, int>> want;  // (x, baseline)
  want.push_back({title_x, 120});
  for (size_t i = 0; i < left.size(); ++i) want.push_back({100, 260 + int(i) * 80});
  for (size_t i = 0; i < right.size(); ++i) want.push_back({rx, 260 + off + int(i) * 80});
  want.push_back({footer_x, 800});
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("line " + std::to_string(i));
    EXPECT_NEAR(p.lines[i].box.x, want[i].first, 6);
    EXPECT_TRUE(spans_baseline(p.lines[i].box, want[i].second));
  }
}

// One left line of the columns runs to within a few px of the right
// column (a long date in a fixed-pitch face): the band is cut where the
// right column starts on the rows around it, into a line for each column.
TEST(Layout, LeftLineReachingTheRightColumnIsCutThere) {
  cv::Mat page(900, 1800, CV_8UC1, cv::Scalar(255));
  const std::vector<std::string> left = {"Ho ten: Nguyen Van An", "Ngay sinh", "Dan toc: Kinh", "Quoc tich: Viet Nam",
                                         "Noi o: Tan Phu", "Giay to: 0123"};
  const std::vector<std::string> right = {"Ho ten: Tran Thi Mai", "Nam sinh: 1960", "Dan toc: Kinh", "Quoc tich: Lao",
                                          "Noi o: Tan Binh", "Giay to: 0456"};
  int left_w = 0, base = 0;
  for (const auto& l : left)
    left_w = std::max(left_w, cv::getTextSize(l, cv::FONT_HERSHEY_SIMPLEX, 0.9, 2, &base).width);
  const int rx = 100 + left_w + 80;
  // The second left line: its label and a run of digits up to 5 px short of rx.
  std::string longest = "Ngay sinh: 1";
  while (100 + cv::getTextSize(longest + "1", cv::FONT_HERSHEY_SIMPLEX, 0.9, 2, &base).width < rx - 5) longest += "1";
  for (size_t i = 0; i < left.size(); ++i) text(page, i == 1 ? longest : left[i], 100, 260 + int(i) * 80);
  for (size_t i = 0; i < right.size(); ++i) text(page, right[i], rx, 260 + int(i) * 80);
  const Page p = find_layout(page);
  ASSERT_EQ(p.lines.size(), left.size() + right.size());
  for (size_t i = 0; i < p.lines.size(); ++i) {
    SCOPED_TRACE("line " + std::to_string(i));
    const bool is_left = i < left.size();
    EXPECT_NEAR(p.lines[i].box.x, is_left ? 100 : rx, 6);
    if (is_left) {
      EXPECT_LT(p.lines[i].box.x + p.lines[i].box.w, rx);
    }
    EXPECT_TRUE(spans_baseline(p.lines[i].box, 260 + int(i % left.size()) * 80));
  }
}

// A label's value set after a long gap (its dot leader ended early) in a
// block of side-by-side fields: the line's part after the gap starts far
// left of the right column's lines, so it is one line with a gap in it,
// not a line of each column.
TEST(Layout, ValueAfterAGapLeftOfTheRightColumnKeepsItsLineWhole) {
  cv::Mat page(900, 1800, CV_8UC1, cv::Scalar(255));
  const int rx = 900;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"Gioi tinh: Nam", "Nam sinh: 1943"}, {"Dan toc: Kinh", "Quoc tich: Viet Nam"}, {"Ho ten: An", "Noi sinh: Hue"}};
  for (size_t i = 0; i < rows.size(); ++i) {
    text(page, rows[i].first, 100, 260 + int(i) * 60);
    text(page, rows[i].second, rx, 260 + int(i) * 60);
  }
  int base = 0;
  const int label_end = 100 + cv::getTextSize("Noi thuong tru:", cv::FONT_HERSHEY_SIMPLEX, 0.9, 2, &base).width;
  text(page, "Noi thuong tru:", 100, 440);
  text(page, "To dan pho Thuong, Nong Thuong, Thanh", label_end + 60, 440);
  text(page, "Pho Bac Kan, Bac Kan", 130, 500);
  const Page p = find_layout(page);
  const auto whole = std::find_if(p.lines.begin(), p.lines.end(), [](const Line& l) { return spans_baseline(l.box, 440); });
  ASSERT_NE(whole, p.lines.end());
  EXPECT_NEAR(whole->box.x, 100, 6);
  EXPECT_GT(whole->box.x + whole->box.w, rx);
  EXPECT_EQ(std::count_if(p.lines.begin(), p.lines.end(), [](const Line& l) { return spans_baseline(l.box, 440); }), 1);
}

INSTANTIATE_TEST_SUITE_P(Table, TwoColumns,
                         ::testing::Values(ColumnCase{40, 500}, ColumnCase{0, 500},
                                           ColumnCase{0, 50}, ColumnCase{20, 70}));

TEST(Layout, SingleColumnLinesTopToBottomWithTabbedValuesKeptWhole) {
  cv::Mat page(900, 1400, CV_8UC1, cv::Scalar(255));
  for (int i = 0; i < 6; ++i) {
    text(page, "Muc " + std::to_string(i + 1) + ":", 100, 150 + i * 70);
    text(page, "gia tri so " + std::to_string(i * 7) + " thuoc xa Tan Phu, huyen Dong Xoai", 330,
         150 + i * 70);
  }
  const Page p = find_layout(page);
  ASSERT_EQ(p.lines.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_NEAR(p.lines[size_t(i)].box.x, 100, 6);
    EXPECT_GT(p.lines[size_t(i)].box.x + p.lines[size_t(i)].box.w, 500);
    EXPECT_TRUE(spans_baseline(p.lines[size_t(i)].box, 150 + i * 70));
  }
}

// A stamp's or signature's stroke crossing a line is no letter of it: the line keeps its own
// height, so its crop does not take in the lines above and below.
TEST(Layout, TallStrokeThroughALineIsLeftOutOfIt) {
  cv::Mat page(900, 1400, CV_8UC1, cv::Scalar(255));
  for (int i = 0; i < 5; ++i) text(page, "Giay to tuy than so " + std::to_string(178041434 + i), 100, 150 + i * 70);
  cv::ellipse(page, {300, 282}, {14, 38}, 20, 0, 360, cv::Scalar(0), 4);  // a stroke of a stamp or signature
  const Page p = find_layout(page);
  ASSERT_EQ(p.lines.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_LT(p.lines[size_t(i)].box.h, 60) << "line " << i;
    EXPECT_TRUE(spans_baseline(p.lines[size_t(i)].box, 150 + i * 70)) << "line " << i;
  }
}

// Lines set close together touch where a stroke of the upper line meets a
// letter of the lower one (a descender on the marks of "Bắc"): one blob two
// lines tall, which used to be dropped as a stamp's stroke, and the lower
// line lost its first letter (or, a word joined whole, the whole line).
TEST(Layout, LinesTouchingAtOneStrokeAreBothKept) {
  cv::Mat page(400, 900, CV_8UC1, cv::Scalar(255));
  text(page, "Nguyen Minh", 100, 150, 1.0);
  text(page, "Bac Ninh", 100, 184, 1.0);
  cv::line(page, {104, 148}, {104, 166}, cv::Scalar(0), 2);  // N's foot to B's head
  const Page p = find_layout(page);
  ASSERT_EQ(p.lines.size(), 2u);
  EXPECT_TRUE(spans_baseline(p.lines[0].box, 150));
  EXPECT_TRUE(spans_baseline(p.lines[1].box, 184));
  EXPECT_LE(p.lines[1].box.x, 104);  // the B is in its line
}

// A grey stamp's star touching a dark title is one blob with it, but not a
// second line: the two pieces are of different inks, and the blob stays
// whole, as before.
TEST(Layout, GreyStampTouchingATitleIsNoLine) {
  cv::Mat page(400, 900, CV_8UC1, cv::Scalar(255));
  text(page, "SO DANG KY KET HON", 100, 150, 1.2);
  const std::vector<cv::Point> star = {{140, 148}, {146, 164}, {163, 166}, {150, 176}, {155, 192},
                                       {140, 182}, {125, 192}, {130, 176}, {117, 166}, {134, 164}};
  cv::fillPoly(page, std::vector<std::vector<cv::Point>>{star}, cv::Scalar(140), cv::LINE_AA);
  const Page p = find_layout(page);
  EXPECT_EQ(p.lines.size(), 1u);
}

// A stamp's ring as dark as the print (a grey scan of a faded page), its
// words between two rings and its star between the lines beside it: the
// lines beside it stay apart, and its words make no line.
TEST(Layout, DarkStampRingBesideLinesIsNoText) {
  cv::Mat page(1000, 1400, CV_8UC1, cv::Scalar(255));
  for (int i = 0; i < 6; ++i) text(page, "Ngay dang ky: 06/05/20" + std::to_string(10 + i), 100, 200 + i * 45);
  text(page, "Ngay sinh: 29/06/1941", 100, 200 + 6 * 45);
  const cv::Point c(980, 330);
  cv::circle(page, c, 150, cv::Scalar(0), 5, cv::LINE_AA);
  cv::circle(page, c, 105, cv::Scalar(0), 2, cv::LINE_AA);
  for (int k = 0; k < 12; ++k) {  // the stamp's words, letter by letter round the ring
    const double a = k * CV_PI / 6;
    text(page, std::string(1, char('A' + k)), c.x + int(127 * std::cos(a)) - 8, c.y + int(127 * std::sin(a)) + 8, 0.7);
  }
  text(page, "TX. DUC PHO", c.x - 75, c.y + 45, 0.7);
  const std::vector<cv::Point> star = {{980, 280}, {990, 310}, {1020, 312}, {996, 330}, {1005, 360},
                                       {980, 342}, {955, 360}, {964, 330}, {940, 312}, {970, 310}};
  cv::fillPoly(page, std::vector<std::vector<cv::Point>>{star}, cv::Scalar(0), cv::LINE_AA);
  const Page p = find_layout(page);
  ASSERT_EQ(p.lines.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_TRUE(spans_baseline(p.lines[size_t(i)].box, 200 + i * 45)) << "line " << i;
    EXPECT_LT(p.lines[size_t(i)].box.h, 40) << "line " << i;
    EXPECT_LT(p.lines[size_t(i)].box.x + p.lines[size_t(i)].box.w, 700) << "line " << i;
  }
}

// The middle dots of a dot leader have no letter of their own line above or
// below them, only the next line's letters under them: they stay on their
// line, so the next line's crop does not take in this one's feet. Letters
// are blocks (x-height 24, capitals 34) so that the dots, 7 px, are marks,
// and the lines are 2.2 x-heights apart, as in a form printed close.
TEST(Layout, DotLeaderStaysOnItsLine) {
  cv::Mat page(800, 1200, CV_8UC1, cv::Scalar(255));
  auto word = [&](int x0, int x1, int baseline) {
    for (int x = x0, i = 0; x + 14 <= x1; x += 20, ++i) {
      const int h = i % 3 == 0 ? 34 : 24;
      cv::rectangle(page, cv::Rect(x, baseline - h, 14, h), cv::Scalar(0), cv::FILLED);
    }
  };
  const int pitch = 53;
  for (int i = 0; i < 4; ++i) {
    const int baseline = 120 + 2 * i * pitch;
    word(100, 300, baseline);  // "Năm sinh:"
    for (int x = 320; x < 560; x += 14) cv::rectangle(page, cv::Rect(x, baseline - 7, 7, 7), cv::Scalar(0), cv::FILLED);
    word(580, 700, baseline);                // "1988"
    word(100, 1000, baseline + pitch);       // "Nơi cư trú: Thôn ..." under the dots
  }
  const Page p = find_layout(page);
  ASSERT_EQ(p.lines.size(), 8u);
  for (size_t i = 0; i < p.lines.size(); ++i) {
    const Box& b = p.lines[i].box;
    const int baseline = 120 + int(i) * pitch;
    EXPECT_EQ(b.y, baseline - 34) << "line " << i;
    EXPECT_EQ(b.h, 34) << "line " << i;
  }
}

// A table whose outer rule lies at the image's border ran off the scan:
// it says so, on that side only.
TEST(Layout, TableAtTheImageEdgeRunsOffIt) {
  const Page inside = find_layout(ledger_page());
  ASSERT_EQ(inside.tables.size(), 1u);
  EXPECT_FALSE(inside.tables[0].runs_off_left);
  EXPECT_FALSE(inside.tables[0].runs_off_right);
  const cv::Mat cut = ledger_page()(cv::Rect(0, 0, 1100 + 4, 1100)).clone();  // cut just past the rule at x = 1100
  const Page off = find_layout(cut);
  ASSERT_EQ(off.tables.size(), 1u);
  EXPECT_FALSE(off.tables[0].runs_off_left);
  EXPECT_TRUE(off.tables[0].runs_off_right);
}

// Dashes left of a column rule in an empty row (a photo lost the rest, so
// the row's two cells are one) are no text: the cell stays blank.
TEST(Layout, DashesOfALostColumnRuleInABlankCellAreNoText) {
  cv::Mat page(500, 600, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 180, 300}) hline(page, y, 100, 400);
  for (int x : {100, 200, 400}) vline(page, x, 100, 300);
  vline(page, 300, 100, 180);
  cv::line(page, {300, 210}, {300, 220}, cv::Scalar(0), 3);  // what is left of the rule below
  cv::line(page, {300, 260}, {300, 270}, cv::Scalar(0), 3);
  text(page, "So", 130, 150);
  text(page, "Ten", 225, 150);
  text(page, "Toc", 325, 150);
  const Page p = find_layout(page);
  const Cell* cell = cell_covering(p, 1, 1);
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(cell->col_span, 2);  // the dashes are too little of a rule
  EXPECT_TRUE(cell->blank);
  EXPECT_TRUE(cell->lines.empty());
}

// The rule under an entry's number lost in a photo but for one long dash:
// the number's cell spans the empty row below, and the dash, on the row
// edge, is no part of the number's line (its crop would take in the
// empty row).
TEST(Layout, DashOfALostRowRuleIsNoPartOfTheLineAbove) {
  cv::Mat page(600, 800, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 180, 420}) hline(page, y, 100, 600);
  hline(page, 300, 350, 600);
  hline(page, 300, 200, 245);  // all that is left of the rule under "133"
  for (int x : {100, 350, 600}) vline(page, x, 100, 420);
  text(page, "So", 130, 150);
  text(page, "Ten", 400, 150);
  text(page, "133", 120, 230);
  text(page, "Le Lan", 370, 230);
  text(page, "Vu An", 370, 350);
  const Page p = find_layout(page);
  const Cell* cell = cell_covering(p, 1, 0);
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(cell->row_span, 2);
  ASSERT_EQ(cell->lines.size(), 1u);
  EXPECT_LT(cell->lines[0].box.y + cell->lines[0].box.h, 250);
}

// A photo lost the rule between two entries in one column: each cell holds
// its own value, well apart, so the rule was lost and the cells stay two.
// The header cells over both header rows ("So", "Ho ten": no rule drawn
// under them) and the blank cell under a value are spans as before.
TEST(Layout, LostRuleBetweenTwoValuesInAColumnIsNoSpan) {
  cv::Mat page = ledger_page();
  cv::line(page, {kCols[4] + 6, kRows[3]}, {kCols[5] - 6, kRows[3]}, cv::Scalar(255), 5);  // "Kinh" | "Tay"
  cv::line(page, {kCols[3] + 6, kRows[3]}, {kCols[4] - 6, kRows[3]}, cv::Scalar(255), 5);  // "1990" | blank
  const Page p = find_layout(page);
  ASSERT_EQ(p.tables.size(), 1u);
  auto cell_at = [&](int row, int col) { return cell_covering(p, row, col); };
  ASSERT_TRUE(cell_at(2, 4) && cell_at(3, 4));
  EXPECT_EQ(cell_at(2, 4)->row_span, 1);
  EXPECT_NE(cell_at(2, 4), cell_at(3, 4));
  EXPECT_EQ(cell_at(2, 3), cell_at(3, 3));  // "1990" over a blank cell: one cell
  EXPECT_EQ(cell_at(0, 0)->row_span, 2);    // "So" over both header rows
  EXPECT_EQ(cell_at(0, 1)->row_span, 2);
}

// A grid of two rows is a table when it is ruled over the page, as a
// register's ruling is; small, between lines of a form (a stamp's ring
// across two separator rules), it is not.
TEST(Layout, SmallTwoRowGridIsNoTableTable) {
  struct Row {
    int x0, x1, y0, y1;
    size_t tables;
  };
  const Row rows[] = {{100, 1300, 400, 560, 0}, {60, 1340, 100, 1500, 1}};
  for (auto& r : rows) {
    cv::Mat page(1600, 1400, CV_8UC1, cv::Scalar(255));
    for (int i = 0; i < 4; ++i) text(page, "Giay to tuy than so " + std::to_string(178041434 + i), 100, 200 + i * 300);
    const int mid = (r.y0 + r.y1) / 2;
    for (int y : {r.y0, mid, r.y1}) hline(page, y, r.x0, r.x1);
    for (int x : {r.x0, (r.x0 + r.x1) / 2, r.x1}) vline(page, x, r.y0, r.y1);
    EXPECT_EQ(find_layout(page).tables.size(), r.tables) << r.y1 - r.y0 << " px tall";
  }
}

TEST(Layout, EmptyInputGivesEmptyPage) {
  const Page p = find_layout(cv::Mat());
  EXPECT_EQ(p.width, 0);
  EXPECT_TRUE(p.lines.empty());
  const Page blank = find_layout(cv::Mat(400, 600, CV_8UC1, cv::Scalar(255)));
  EXPECT_TRUE(blank.lines.empty());
  EXPECT_TRUE(blank.tables.empty());
}

// A header boundary whose vertical rule is only partly drawn (a stub from
// the top, as hand-ruled books and faded print leave) is a broken rule, not
// a span: the two header cells stay apart. A boundary with no ink at all is
// a span when one title lies over it, and a lost rule when each cell holds
// its own title, clear of it. Columns at x = 100, 400, 700; a tall header
// row 100..400 (three lines of wording), body 400..520.
struct HeaderRuleCase {
  const char* name;
  double drawn;     // fraction of the header boundary drawn, as one stub from the top
  bool one_title;   // one title centred over the boundary, else one per cell
  bool merged;      // expected: the two header cells are one spanning cell
};
class HeaderRule : public ::testing::TestWithParam<HeaderRuleCase> {};

TEST_P(HeaderRule, PartlyDrawnRuleIsNoSpan) {
  const HeaderRuleCase& c = GetParam();
  cv::Mat p(650, 900, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 400, 520}) hline(p, y, 100, 700);
  vline(p, 100, 100, 520);
  vline(p, 700, 100, 520);
  vline(p, 400, 400, 520);  // the body part of the middle rule is whole
  if (c.drawn > 0) vline(p, 400, 100, 100 + int(300 * c.drawn));
  if (c.one_title) {
    text(p, "Thong tin nguoi me", 270, 260);
  } else {
    text(p, "Gioi tinh", 150, 260);
    text(p, "Ngay sinh", 450, 260);
  }
  text(p, "Nam", 150, 470);
  text(p, "1990", 450, 470);
  const Page pg = find_layout(p);
  ASSERT_EQ(pg.tables.size(), 1u) << c.name;
  const Table& t = pg.tables[0];
  ASSERT_EQ(t.cols(), 2) << c.name;
  ASSERT_EQ(t.rows(), 2) << c.name;
  ASSERT_FALSE(t.cells.empty());
  EXPECT_EQ(t.cells[0].col_span, c.merged ? 2 : 1) << c.name;
  EXPECT_EQ(t.cells.size(), c.merged ? 3u : 4u) << c.name;
}

INSTANTIATE_TEST_SUITE_P(
    Layout, HeaderRule,
    ::testing::Values(HeaderRuleCase{"no_rule_under_one_title_is_a_span", 0.0, true, true},
                      HeaderRuleCase{"no_rule_between_two_titles_is_a_lost_rule", 0.0, false, false},
                      HeaderRuleCase{"whole_rule", 1.0, false, false},
                      HeaderRuleCase{"stub_of_45_percent", 0.45, false, false},
                      HeaderRuleCase{"stub_of_30_percent", 0.3, false, false}),
    [](const auto& i) { return std::string(i.param.name); });

// A grey stamp over two lines of print (a stamp on a grey scan, or text
// showing through from the back of the leaf) is no text: the two lines
// stay two lines, neither stretched over the stamp's words between them.
TEST(Layout, FaintInkIsNoText) {
  cv::Mat p(400, 1000, CV_8UC1, cv::Scalar(255));
  text(p, "Ho ten: Nguyen Van An", 100, 150);
  text(p, "Noi sinh: Ha Noi", 100, 230);
  cv::putText(p, "UBND XA TAN HOA", {180, 195}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(170), 2, cv::LINE_AA);
  cv::circle(p, {330, 190}, 70, cv::Scalar(170), 2, cv::LINE_AA);
  const Page pg = find_layout(p);
  ASSERT_EQ(pg.lines.size(), 2u);
  EXPECT_TRUE(spans_baseline(pg.lines[0].box, 150));
  EXPECT_TRUE(spans_baseline(pg.lines[1].box, 230));
  // The same stamp in black is ink: it makes lines of its own.
  cv::Mat q(400, 1000, CV_8UC1, cv::Scalar(255));
  text(q, "Ho ten: Nguyen Van An", 100, 150);
  text(q, "Noi sinh: Ha Noi", 100, 230);
  cv::putText(q, "UBND XA TAN HOA", {180, 195}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(0), 2, cv::LINE_AA);
  EXPECT_GT(find_layout(q).lines.size(), 2u);
  // A value written in faint ink after its printed label reads with it.
  cv::Mat v(300, 1000, CV_8UC1, cv::Scalar(255));
  text(v, "So CMND:", 100, 150);
  cv::putText(v, "221549133", {255, 150}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(200), 2, cv::LINE_AA);
  const Page pv = find_layout(v);
  ASSERT_EQ(pv.lines.size(), 1u);
  EXPECT_GT(pv.lines[0].box.x + pv.lines[0].box.w, 400);
}

// In a table, a cell written only in faint ink (faded pen) is not blank:
// its writing makes its line. A faint mark over a cell of print (a stamp's
// edge) is left out of the cell's lines.
TEST(Layout, FaintWritingInACellIsRead) {
  cv::Mat p = header_and_row(1100, 550, 1000, "Ho ten", "So CMND");
  text(p, "Tran Van Binh", 150, 260);
  cv::putText(p, "221549133", {600, 260}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(200), 2, cv::LINE_AA);
  cv::putText(p, "~", {420, 225}, cv::FONT_HERSHEY_SIMPLEX, 0.9, cv::Scalar(200), 2, cv::LINE_AA);
  const Page pg = find_layout(p);
  ASSERT_EQ(pg.tables.size(), 1u);
  const auto& cells = pg.tables[0].cells;
  ASSERT_EQ(cells.size(), 4u);
  EXPECT_FALSE(cells[3].blank);
  ASSERT_EQ(cells[3].lines.size(), 1u);
  EXPECT_TRUE(spans_baseline(cells[3].lines[0].box, 260));
  ASSERT_EQ(cells[2].lines.size(), 1u);
  EXPECT_TRUE(spans_baseline(cells[2].lines[0].box, 260));
  EXPECT_LT(cells[2].lines[0].box.x + cells[2].lines[0].box.w, 420);  // the faint mark is no part of it
}

// A header cell spanning two header rows, whose first line of wording lies
// across the row edge that the next column's rules draw, beside a stub of
// its right-hand rule: the stub alone would leave the grid cells apart
// (the merged group is no rectangle), and the line would be cut in two.
// Letters across the edge say it has no rule there. Columns at x = 100,
// 400, 700, 1000; rows at y = 100, 180, 300 (header) and 420 (body).
// The header line across the row edge is long ("Ho ten nam sinh") or a
// short word of two letters ("So" of "So / dang ky"): either makes the span.
// Two group titles side by side, the rule between them not printed (or
// lost) in their row: the row is no one span but two, cut at the edge that
// centres each title over its sub-columns.
namespace {

// "Nguoi me" and "Nguoi cha" over three sub-columns each, without the rule
// between them in their row, "So" over both header rows. dashed: the rule
// under the mother's title is left only as dashes under its middle column;
// me_base: the baseline of her title.
cv::Mat two_group_titles(bool dashed, int me_base) {
  cv::Mat p(600, 1300, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 300, 420}) hline(p, y, 100, 1150);
  if (dashed) {
    hline(p, 180, 100, 400);
    hline(p, 180, 550, 1150);
    for (int x = 404; x + 10 < 550; x += 24) cv::line(p, {x, 180}, {x + 10, 180}, cv::Scalar(0), 2);
  } else {
    hline(p, 180, 100, 1150);
  }
  for (int x : {100, 250, 1150}) vline(p, x, 100, 420);
  for (int x : {400, 550, 700, 850, 1000}) vline(p, x, 180, 420);
  text(p, "So", 150, 250);
  text(p, "Nguoi me", 420, me_base);
  text(p, "Nguoi cha", 865, 150);
  const char* sub[] = {"Ho ten", "Nam", "Noi o", "Ho ten", "Nam", "Noi o"};
  for (int i = 0; i < 6; ++i) text(p, sub[i], 260 + 150 * i, 250, 0.7);
  return p;
}

}  // namespace

TEST(Layout, TwoGroupTitlesWithoutTheirDividingRuleAreTwoSpans) {
  const Page pg = find_layout(two_group_titles(false, 150));
  const Table* t = one_table(pg, 3, 7);
  ASSERT_NE(t, nullptr);
  ASSERT_GE(t->cells.size(), 3u);
  // The number's column spans both header rows; then the two titles, as
  // (first column, columns).
  const std::pair<int, int> titles[] = {{1, 3}, {4, 3}};
  for (size_t i = 0; i < 2; ++i) {
    const Cell& c = t->cells[i + 1];
    EXPECT_TRUE(c.row == 0 && c.col == titles[i].first && c.col_span == titles[i].second)
        << "title " << i << ": row " << c.row << " col " << c.col << " span " << c.col_span;
  }
}

// A group title whose row has no rules, with a letter's stem ("i" of
// "Nguoi") standing right over a sub-column rule a little below it: the
// stem is no end of that rule, which stops at the rule under the title.
TEST(Layout, LetterStemOverAColumnRuleIsNoRule) {
  cv::Mat p(600, 1300, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 180, 300, 420}) hline(p, y, 100, 1150);
  for (int x : {100, 250, 1150}) vline(p, x, 100, 420);
  for (int x : {400, 550, 700, 850, 1000}) vline(p, x, 180, 420);
  text(p, "So", 150, 250);
  int base = 0;
  const cv::Size left = cv::getTextSize("Nguo", cv::FONT_HERSHEY_SIMPLEX, 0.9, 2, &base);
  text(p, "Nguo", 392 - left.width, 160);
  cv::line(p, {400, 141}, {400, 160}, cv::Scalar(0), 3);  // the stem, its foot on the baseline
  cv::circle(p, {400, 134}, 2, cv::Scalar(0), -1);          // and its dot
  text(p, "duoc khai sinh", 412, 160);
  const char* sub[] = {"Ho ten", "Nam", "Noi o", "Ho ten", "Nam", "Noi o"};
  for (int i = 0; i < 6; ++i) text(p, sub[i], 260 + 150 * i, 250, 0.7);
  const Page pg = find_layout(p);
  const Table* t = one_table(pg, 3, 7);
  ASSERT_NE(t, nullptr);
  const auto title = std::find_if(t->cells.begin(), t->cells.end(), [](const Cell& c) { return c.row == 0 && c.col == 1; });
  ASSERT_NE(title, t->cells.end());
  EXPECT_GE(title->col_span, 3) << "the title's row is cut at the stem";
}

namespace {

// A title row that lost its rules: "Ho ten me" over columns 2-3 and the
// father's over 4-5, beside "Quoc tich" (column 1) over both header rows
// with its rule to the title row lost as well. father_rule: the rule
// between the father's two columns is drawn through the title row.
cv::Mat ruleless_title_row(bool father_rule) {
  cv::Mat p(600, 1500, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 300, 400}) hline(p, y, 100, 1300);
  hline(p, 160, 100, 250);
  hline(p, 160, 400, 1300);
  for (int x : {100, 250, 1300}) vline(p, x, 100, 400);
  for (int x : {400, 600, 800}) vline(p, x, 160, 400);
  vline(p, 1050, father_rule ? 100 : 160, 400);
  text(p, "So", 150, 240);
  text(p, "Quoc", 290, 220, 0.7);
  text(p, "tich", 300, 250, 0.7);
  text(p, "Ho ten me", 520, 140);
  const char* sub[] = {"Ho ten", "Nam", "Ho ten", "Nam"};
  const int at[] = {430, 630, 830, 1080};
  for (int i = 0; i < 4; ++i) text(p, sub[i], at[i], 240, 0.7);
  text(p, "1", 150, 360);
  return p;
}

// The title row's top cell at column col; nullptr (after reporting why)
// when there is none.
const Cell* title_at(const Page& pg, int col) {
  const Table* t = one_table(pg, 3, 6);
  if (!t) return nullptr;
  const auto c = std::find_if(t->cells.begin(), t->cells.end(),
                              [&](const Cell& x) { return x.row == 0 && x.col == col; });
  EXPECT_NE(c, t->cells.end()) << "col " << col;
  return c == t->cells.end() ? nullptr : &*c;
}

}  // namespace

// The rule between the two groups left in the title row as a blurred
// piece, thicker than a hairline and too short for a rule (v239, photos).
// Each title is a span of its own: the piece is no letter, and the header
// cell beside them does not keep them apart.
TEST(Layout, TitlesOfARulelessTitleRowBesideATwoRowHeaderAreTwoSpans) {
  cv::Mat p = ruleless_title_row(false);
  cv::rectangle(p, {796, 112}, {803, 147}, cv::Scalar(0), cv::FILLED);  // what is left of the rule at 800
  text(p, "Nguoi cha", 880, 140);
  const Page pg = find_layout(p);
  for (int col : {2, 4}) {
    const Cell* title = title_at(pg, col);
    ASSERT_NE(title, nullptr);
    EXPECT_EQ(title->col_span, 2) << "col " << col;
    EXPECT_EQ(title->row_span, 1) << "col " << col;
  }
}

// The same with the rule between the groups left as a faint hairline, and
// the father's title off to the side of a drawn rule: the mother's title
// does not run on over the hairline into his columns.
TEST(Layout, FaintDividerInARulelessTitleRowKeepsTheGroupsApart) {
  cv::Mat p = ruleless_title_row(true);
  cv::line(p, {800, 110}, {800, 152}, cv::Scalar(150), 1);  // what is left of the divider, faint
  text(p, "Cha", 1120, 140);
  const Page pg = find_layout(p);
  const Cell* title = title_at(pg, 2);
  ASSERT_NE(title, nullptr);
  EXPECT_EQ(title->col_span, 2) << "the mother's title runs on past the divider";
}

// The rule under a group title broken into dashes under the title's
// words: the dashes are no text, so the title and the sub-header below
// stand apart, and the title still spans its sub-columns.
TEST(Layout, DashesOfABrokenRuleUnderATitleAreNoText) {
  const Page pg = find_layout(two_group_titles(true, 165));
  const Table* t = one_table(pg, 3, 7);
  ASSERT_NE(t, nullptr);
  const auto title = std::find_if(t->cells.begin(), t->cells.end(), [](const Cell& c) { return c.row == 0 && c.col == 1; });
  ASSERT_NE(title, t->cells.end());
  EXPECT_EQ(title->row_span, 1);
  EXPECT_EQ(title->col_span, 3);
}

namespace {

// The body row of a header_and_row page: both cells blank, only cell
// marked_col with faint marks.
void expect_blank_row_marked_in(const Page& pg, int marked_col) {
  ASSERT_EQ(pg.tables.size(), 1u);
  int checked = 0;
  for (const Cell& c : pg.tables[0].cells)
    if (c.row == 1) {
      EXPECT_TRUE(c.blank) << "col " << c.col;
      EXPECT_EQ(c.faint_marks, c.col == marked_col) << "col " << c.col;
      ++checked;
    }
  EXPECT_EQ(checked, 2);
}

}  // namespace

// A word written in ink that faded to almost nothing leaves a few marks in
// a row: the cell is blank (nothing to read) but not empty. One speck is
// dirt.
TEST(Layout, FaintMarksInABlankCell) {
  cv::Mat p = header_and_row(900, 400, 800, "Ghi chu", "Noi chet");
  for (int x : {130, 150, 170, 190}) cv::rectangle(p, {x, 245}, {x + 2, 248}, cv::Scalar(0), cv::FILLED);
  cv::rectangle(p, {600, 245}, {602, 248}, cv::Scalar(0), cv::FILLED);
  expect_blank_row_marked_in(find_layout(p), 0);
}

// Writing faded so far that only grey dust of its strokes is left, each
// grain below a speck's size, still leaves grey a word wide and a line
// high: blank, but not empty. An empty cell beside it is only blank.
TEST(Layout, FadedWritingLeftAsGreyDustMarksTheCell) {
  cv::Mat p = header_and_row(900, 400, 800, "Ghi chu", "So CMND");
  for (int x = 520; x < 740; x += 5)
    for (int y = 244; y < 260; y += 5) cv::rectangle(p, {x, y}, {x + 1, y + 1}, cv::Scalar(200), cv::FILLED);
  expect_blank_row_marked_in(find_layout(p), 1);
}

// A note written small in ink faded to grey 232, lighter than the faded
// writing above, is writing too. Grey dust scattered over the cell beside
// it (grains far apart, no word's width in a line) is not.
TEST(Layout, SmallFaintNoteMarksTheCellScatteredDustDoesNot) {
  cv::Mat p = header_and_row(900, 400, 800, "Ghi chu", "Noi chet");
  cv::putText(p, "Con ngoai gia thu", {120, 222}, cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar(232), 1, cv::LINE_AA);
  for (auto [x, y] : {std::pair{450, 215}, {560, 240}, {680, 265}, {740, 225}})
    cv::rectangle(p, {x, y}, {x + 2, y + 2}, cv::Scalar(232), cv::FILLED);
  expect_blank_row_marked_in(find_layout(p), 0);
}

class HeaderLineAcross : public ::testing::TestWithParam<const char*> {};

TEST_P(HeaderLineAcross, RowEdgeMakesARowSpan) {
  cv::Mat p(600, 1100, CV_8UC1, cv::Scalar(255));
  for (int y : {100, 300, 420}) hline(p, y, 100, 1000);
  hline(p, 180, 400, 1000);
  for (int x : {100, 700, 1000}) vline(p, x, 100, 420);
  vline(p, 400, 165, 420);  // a stub of 15 px above the row edge
  text(p, GetParam(), 130, 192);
  text(p, "cua nguoi me", 130, 240);
  text(p, "Nguoi me", 480, 150);
  text(p, "Nguoi cha", 780, 150);
  text(p, "Ho ten", 480, 250);
  text(p, "Ho ten", 780, 250);
  text(p, "Tran Thi Mai 1990", 110, 370);
  text(p, "Pham Van", 410, 370);
  text(p, "Le Cuong", 710, 370);
  const Page pg = find_layout(p);
  const Table* tp = one_table(pg, 3, 3);
  ASSERT_NE(tp, nullptr);
  const Table& t = *tp;
  ASSERT_EQ(t.cells.size(), 8u);
  EXPECT_EQ(t.cells[0].row_span, 2);
  EXPECT_EQ(t.cells[0].col_span, 1);
  EXPECT_EQ(t.cells[0].lines.size(), 2u);
  for (size_t i = 1; i < t.cells.size(); ++i)
    EXPECT_TRUE(t.cells[i].row_span == 1 && t.cells[i].col_span == 1) << "cell " << i;
}

INSTANTIATE_TEST_SUITE_P(Layout, HeaderLineAcross, ::testing::Values("Ho ten nam sinh", "So"));

// A phone photo of a hairline rule binarises as dashes: ink runs of a few px
// broken by gaps of 1-3 px, now and then a longer one. No single run is as
// long as a rule, yet the table's grid is all there. Bold text in the cells
// (letters a px or two apart) must not become rules. Rows at kRows, columns
// at kCols (see ledger_page); rules are 1 px, light grey.
struct DashCase {
  const char* name;
  int max_gap;    // gaps between dashes: 1..max_gap px
  int long_gap;   // every ~150 px a gap this long (a lost stretch of the rule)
};
class DashedRules : public ::testing::TestWithParam<DashCase> {};

TEST_P(DashedRules, HairlineGridIsFound) {
  const DashCase& c = GetParam();
  cv::Mat p(1000, 1600, CV_8UC1, cv::Scalar(255));
  std::mt19937 rng(7);
  auto dashes = [&](bool horizontal, int at, int a, int b) {
    int next_long = a + 150;
    for (int s = a; s < b;) {
      const int run = std::uniform_int_distribution<int>(2, 12)(rng);
      const int e = std::min(b, s + run);
      if (horizontal) cv::line(p, {s, at}, {e - 1, at}, cv::Scalar(190), 1);
      else cv::line(p, {at, s}, {at, e - 1}, cv::Scalar(190), 1);
      int g = c.max_gap > 0 ? std::uniform_int_distribution<int>(1, c.max_gap)(rng) : 0;
      if (c.long_gap > 0 && e >= next_long) g = c.long_gap, next_long += 150;
      s = e + g;
    }
  };
  for (int y : kRows) dashes(true, y, kCols.front(), kCols.back());
  for (int x : kCols) dashes(false, x, kRows.front(), kRows.back());
  text(p, "So", 140, 350);
  text(p, "HO VA TEN", 300, 350, 1.0);
  for (size_t r = 1; r + 1 < kRows.size(); ++r) {
    const int base = (kRows[r] + kRows[r + 1]) / 2 + 11;
    text(p, std::to_string(r), 150, base);
    cv::putText(p, "NGUYEN THI MINH", {280, base}, cv::FONT_HERSHEY_DUPLEX, 1.0, cv::Scalar(0), 3,
                cv::LINE_AA);
    text(p, "Kinh", 1150, base);
  }
  const Page pg = find_layout(p);
  ASSERT_EQ(pg.tables.size(), 1u) << c.name;
  const Table& t = pg.tables[0];
  ASSERT_EQ(t.rows(), int(kRows.size()) - 1) << c.name;
  ASSERT_EQ(t.cols(), int(kCols.size()) - 1) << c.name;
  for (size_t i = 0; i < kRows.size(); ++i) EXPECT_NEAR(t.row_edges[i], kRows[i], 3) << c.name;
  for (size_t i = 0; i < kCols.size(); ++i) EXPECT_NEAR(t.col_edges[i], kCols[i], 3) << c.name;
  // No spans: every boundary is drawn (dashed).
  EXPECT_EQ(t.cells.size(), size_t(t.rows() * t.cols())) << c.name;
  for (const Cell& cell : t.cells)
    EXPECT_TRUE(cell.row_span == 1 && cell.col_span == 1)
        << c.name << ": cell " << cell.row << "," << cell.col << " spans " << cell.row_span << "x"
        << cell.col_span;
}

INSTANTIATE_TEST_SUITE_P(Layout, DashedRules,
                         ::testing::Values(DashCase{"solid", 0, 0}, DashCase{"gaps_of_2px", 2, 2},
                                           DashCase{"gaps_of_3px_and_10px", 3, 10}),
                         [](const auto& i) { return std::string(i.param.name); });

// A hairline photographed so faint (grey 230, blurred) that binarizing
// keeps none of it: the rules are found in the grey, and the grid is whole.
TEST(Layout, GreyHairlineGridWithoutInkIsFound) {
  cv::Mat p(1000, 1600, CV_8UC1, cv::Scalar(255));
  for (int y : kRows) cv::line(p, {kCols.front(), y}, {kCols.back(), y}, cv::Scalar(230), 2);
  for (int x : kCols) cv::line(p, {x, kRows.front()}, {x, kRows.back()}, cv::Scalar(230), 2);
  cv::GaussianBlur(p, p, cv::Size(3, 3), 0);
  text(p, "So", 140, 350);
  for (size_t r = 1; r + 1 < kRows.size(); ++r) {
    const int base = (kRows[r] + kRows[r + 1]) / 2 + 11;
    text(p, std::to_string(r), 150, base);
    text(p, "NGUYEN THI MINH", 300, base);
    text(p, "Kinh", 1150, base);
  }
  auto whole_grid = [&](const Page& pg) {
    return pg.tables.size() == 1 && pg.tables[0].rows() == int(kRows.size()) - 1 &&
           pg.tables[0].cols() == int(kCols.size()) - 1 &&
           pg.tables[0].cells.size() == size_t(pg.tables[0].rows() * pg.tables[0].cols());
  };
  LayoutOptions ink_only;
  ink_only.rule_grey = 255;
  EXPECT_FALSE(whole_grid(find_layout(p, ink_only)));  // the binarized ink has no grid
  const Page pg = find_layout(p);
  ASSERT_TRUE(whole_grid(pg));
  for (size_t i = 0; i < kRows.size(); ++i) EXPECT_NEAR(pg.tables[0].row_edges[i], kRows[i], 3);
  for (size_t i = 0; i < kCols.size(); ++i) EXPECT_NEAR(pg.tables[0].col_edges[i], kCols[i], 3);
}

// Two entries on a form page, each in two columns, parted by a rule across
// the page: each entry's left column, then its right column, then the next
// entry; not both left columns first.
TEST(Layout, RuleAcrossTheGutterEndsAColumnRun) {
  cv::Mat page(1400, 1800, CV_8UC1, cv::Scalar(255));
  const std::vector<std::string> left = {"Ho ten: Nguyen Van An", "Ngay sinh: 12/03/1985", "Dan toc: Kinh"};
  const std::vector<std::string> right = {"Ho ten vo: Tran Thi Mai", "Ngay sinh: 1990", "Dan toc: Kinh"};
  std::vector<std::pair<int, int>> want;  // (x, baseline) in reading order
  for (int entry = 0; entry < 2; ++entry) {
    const int top = 200 + entry * 600;
    for (size_t i = 0; i < left.size(); ++i) {
      text(page, left[i], 100, top + int(i) * 80);
      want.push_back({100, top + int(i) * 80});
    }
    for (size_t i = 0; i < right.size(); ++i) {
      text(page, right[i], 1000, top + int(i) * 80);
      want.push_back({1000, top + int(i) * 80});
    }
  }
  hline(page, 620, 80, 1700);
  const Page p = find_layout(page);
  EXPECT_TRUE(p.tables.empty());
  ASSERT_EQ(p.lines.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("line " + std::to_string(i) + ": " + std::to_string(p.lines[i].box.x) + "," +
                 std::to_string(p.lines[i].box.y));
    EXPECT_NEAR(p.lines[i].box.x, want[i].first, 6);
    EXPECT_TRUE(spans_baseline(p.lines[i].box, want[i].second));
  }
}

