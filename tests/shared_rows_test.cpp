// A book's printed header rows read once (pipeline/shared_rows.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "ocr/read.hpp"
#include "ocr/scripted_engine.hpp"
#include "pipeline/shared_rows.hpp"
#include "tests/drawn_table.hpp"

namespace hotich::pipeline {
namespace {

using testing::draw_table;
using testing::DrawnTable;
using testing::rescaled;

const std::vector<std::string> kHeader = {"So dang ky", "Ho va ten\nnguoi khai", "Ngay sinh", "Noi sinh"};
const std::vector<std::string> kOtherHeader = {"So", "Ho va ten\nnguoi chet", "Ngay chet", "Noi chet"};
const std::vector<std::string> kNumbers = {"(1)", "(2)", "(3)", "(4)"};

DrawnTable page(const std::vector<std::string>& header, const std::string& entry_no, double scale = 1.0) {
  return rescaled(draw_table({header, kNumbers, {entry_no, "Le Van Tam", "02/03/2017", "Ha Noi"}}), scale);
}

ocr::Page as_page(const DrawnTable& d) {
  ocr::Page p;
  p.width = d.gray.cols, p.height = d.gray.rows;
  p.tables.push_back(d.table);
  return p;
}

// Answers each crop with its size: the same crop, the same answer.
ocr::ScriptedEngine size_engine() {
  ocr::ScriptedEngine e;
  e.set_handler([](const cv::Mat& crop, int) {
    return ocr::ScriptedAnswer(std::to_string(crop.cols) + "x" + std::to_string(crop.rows));
  });
  return e;
}

TEST(RowSharing, PagesOfABookTakeTheRowsOfTheFirstPageThatPrintedThem) {
  RowSharing sharing;
  const auto p1 = page(kHeader, "12/2018"), p2 = page(kHeader, "13/2018", 1.03), p3 = page(kOtherHeader, "14/2018"),
             p4 = page(kHeader, "15/2018", 0.98);
  const RowShare s1 = sharing.assign("b1", p1.gray, as_page(p1));
  ASSERT_TRUE(s1.rows);
  EXPECT_TRUE(s1.first);
  EXPECT_EQ(s1.count, 3);  // read whole, its entry row too
  const RowShare s2 = sharing.assign("b1", p2.gray, as_page(p2));
  EXPECT_EQ(s2.rows, s1.rows);
  EXPECT_FALSE(s2.first);
  EXPECT_EQ(s2.count, 2);  // the header and the column numbers; its own entry is read
  const RowShare s3 = sharing.assign("b1", p3.gray, as_page(p3));
  EXPECT_TRUE(s3.first);
  EXPECT_NE(s3.rows, s1.rows);
  const RowShare s4 = sharing.assign("b1", p4.gray, as_page(p4));
  EXPECT_EQ(s4.rows, s1.rows);  // an earlier print is remembered
  EXPECT_EQ(s4.count, 2);
  const RowShare other_book = sharing.assign("b2", p2.gray, as_page(p2));
  EXPECT_TRUE(other_book.first);
  EXPECT_NE(other_book.rows, s1.rows);
  EXPECT_FALSE(sharing.assign("b2", p2.gray, ocr::Page{}).rows);  // no table, nothing to share
}

TEST(PrintedRows, ReadsWhatReadingThePageReads) {
  const auto d = page(kHeader, "12/2018");
  ocr::Page whole = as_page(d);
  auto e1 = size_engine();
  ocr::read_text(d.gray, whole, e1);
  PrintedRows rows(d.gray, d.table, 2);
  auto e2 = size_engine();
  const ocr::Table& t = rows.read(e2);
  int lines = 0;
  for (const auto& c : t.cells) {
    ASSERT_LT(c.row, 2);
    const auto& own = *std::find_if(whole.tables[0].cells.begin(), whole.tables[0].cells.end(),
                                    [&](const ocr::Cell& o) { return o.row == c.row && o.col == c.col; });
    ASSERT_EQ(c.lines.size(), own.lines.size());
    for (size_t j = 0; j < c.lines.size(); ++j, ++lines) {
      EXPECT_EQ(c.lines[j].text, own.lines[j].text);
      ASSERT_EQ(c.lines[j].words.size(), own.lines[j].words.size());
      EXPECT_EQ(c.lines[j].words[0].box.y, own.lines[j].words[0].box.y);  // page coordinates
      EXPECT_EQ(c.lines[j].box.y, own.lines[j].box.y);
    }
  }
  EXPECT_EQ(lines, 9);
  EXPECT_EQ(e2.calls(), 9);
}

TEST(PrintedRows, ReadOnceWhateverThreadsAsk) {
  const auto d = page(kHeader, "12/2018");
  PrintedRows rows(d.gray, d.table, 2);
  std::atomic<int> calls = 0;
  auto slow = [&] {
    auto e = std::make_unique<ocr::ScriptedEngine>();
    e->set_handler([&](const cv::Mat&, int) {
      ++calls;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return ocr::ScriptedAnswer("x");
    });
    return e;
  };
  auto e1 = slow(), e2 = slow();
  const ocr::Table *t1 = nullptr, *t2 = nullptr;
  std::thread a([&] { t1 = &rows.read(*e1); }), b([&] { t2 = &rows.read(*e2); });
  a.join();
  b.join();
  EXPECT_EQ(calls.load(), 9);
  EXPECT_EQ(t1, t2);
  EXPECT_EQ(t1->cells[0].lines[0].text, "x");
}

// A page that shares the header rows sends only its own rows to the
// engine, and ends with the print's text in the shared ones.
TEST(SharedRows, APageReadsOnlyTheRowsItDoesNotShare) {
  RowSharing sharing;
  const auto p1 = page(kHeader, "12/2018"), p2 = page(kHeader, "13/2018", 1.03);
  ocr::Page first = as_page(p1), second = as_page(p2);
  const RowShare s1 = sharing.assign("b", p1.gray, first), s2 = sharing.assign("b", p2.gray, second);
  auto e1 = size_engine();
  mark_shared(s1, first);
  take_shared(s1, first, e1);
  ocr::read_text(p1.gray, first, e1);
  EXPECT_EQ(e1.calls(), 13);  // every line, once
  auto e2 = size_engine();
  mark_shared(s2, second);
  ocr::read_text(p2.gray, second, e2);
  EXPECT_EQ(e2.calls(), 4);  // its entry row
  take_shared(s2, second, e2);
  EXPECT_EQ(e2.calls(), 4);
  for (size_t i = 0; i < second.tables[0].cells.size(); ++i) {
    const auto &a = first.tables[0].cells[i], &b = second.tables[0].cells[i];
    ASSERT_EQ(a.lines.size(), b.lines.size());
    for (size_t j = 0; j < a.lines.size(); ++j)
      if (a.row < 2) EXPECT_EQ(b.lines[j].text, a.lines[j].text);
      else EXPECT_NE(b.lines[j].text, "");
  }
}

}  // namespace
}  // namespace hotich::pipeline
