#include "pipeline/discover.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <opencv2/imgcodecs.hpp>

#include "pipeline/errors.hpp"

namespace fs = std::filesystem;
using hotich::pipeline::discover_books;
using hotich::pipeline::natural_less;
using hotich::pipeline::parse_book_json;
using hotich::schema::BookType;

TEST(NaturalLess, Cases) {
  struct Case {
    const char *a, *b;
    bool less;
  };
  const Case cases[] = {
      {"page2.png", "page10.png", true},  {"page10.png", "page2.png", false}, {"a.png", "b.png", true},
      {"p002.jpg", "p10.jpg", true},      {"p1.jpg", "p1.jpg", false},       {"p1.jpg", "p1a.jpg", true},
      {"book9", "book10", true},          {"10", "9", false},
  };
  for (auto& c : cases) EXPECT_EQ(natural_less(c.a, c.b), c.less) << c.a << " < " << c.b;
}

TEST(ParseBookJson, Cases) {
  struct Case {
    const char* json;
    bool ok;
    BookType type;
    const char* quyen;
    int year;
  };
  const Case cases[] = {
      {R"({"loaiSo":"khai_sinh","quyenSo":"01/2015","nam":2015,"noiDangKy":"UBND xã A"})", true,
       BookType::khai_sinh, "01/2015", 2015},
      {R"({"loaiSo":"ket_hon"})", true, BookType::ket_hon, "", 0},
      {R"({"nam":"2009"})", true, BookType::unknown, "", 2009},
      {R"({})", true, BookType::unknown, "", 0},
      {R"({"loaiSo":"birth"})", false, BookType::unknown, "", 0},
      {R"({"nam":"abc"})", false, BookType::unknown, "", 0},
      {R"({"nam":99999})", false, BookType::unknown, "", 0},
      {R"([1,2])", false, BookType::unknown, "", 0},
      {R"({"loaiSo":)", false, BookType::unknown, "", 0},
  };
  for (auto& c : cases) {
    hotich::schema::BookContext ctx;
    auto err = parse_book_json(c.json, &ctx);
    EXPECT_EQ(err.empty(), c.ok) << c.json << " -> " << err;
    if (!c.ok) continue;
    EXPECT_EQ(ctx.type, c.type) << c.json;
    EXPECT_EQ(ctx.quyenSo, c.quyen) << c.json;
    EXPECT_EQ(ctx.year, c.year) << c.json;
  }
}

class DiscoverTest : public ::testing::Test {
 protected:
  fs::path root = fs::temp_directory_path() / ("hotich_discover_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(root); }
  void TearDown() override { fs::remove_all(root); }
  void touch(const fs::path& p, const std::string& content = "x") {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
  }
};

TEST_F(DiscoverTest, BatchFolderOfBooks) {
  touch(root / "book10" / "p1.png");
  touch(root / "book2" / "page10.JPG");
  touch(root / "book2" / "page2.jpg");
  touch(root / "book2" / "notes.txt");
  touch(root / "book2" / ".hidden.png");
  touch(root / "book2" / "book.json", R"({"loaiSo":"khai_tu"})");
  touch(root / "bad" / "p.png");
  touch(root / "bad" / "book.json", "{oops");
  touch(root / "empty" / "readme.txt");
  auto books = discover_books(root.string());
  ASSERT_EQ(books.size(), 3u);
  EXPECT_EQ(books[0].id, "bad");
  EXPECT_FALSE(books[0].error.empty());
  EXPECT_EQ(books[1].id, "book2");
  EXPECT_EQ(books[1].context.type, BookType::khai_tu);
  ASSERT_EQ(books[1].pages.size(), 2u);
  EXPECT_EQ(fs::path(books[1].pages[0].path).filename(), "page2.jpg");
  EXPECT_EQ(books[1].pages[1].page_no, 2);
  EXPECT_EQ(books[2].id, "book10");
}

TEST_F(DiscoverTest, OneBookFolder) {
  touch(root / "b" / "1.png");
  auto books = discover_books((root / "b").string());
  ASSERT_EQ(books.size(), 1u);
  EXPECT_EQ(books[0].id, "b");
  EXPECT_EQ(books[0].pages.size(), 1u);
}

TEST_F(DiscoverTest, MissingFolderIsFatal) {
  EXPECT_THROW(discover_books((root / "nope").string()), hotich::pipeline::Fatal);
}

TEST_F(DiscoverTest, MultiPageTiffIsSeveralPages) {
  fs::create_directories(root / "b");
  std::vector<cv::Mat> frames(3, cv::Mat(300, 200, CV_8UC1, cv::Scalar(255)));
  ASSERT_TRUE(cv::imwritemulti((root / "b" / "p1.tif").string(), frames));
  touch(root / "b" / "p2.png");
  auto books = discover_books((root / "b").string());
  ASSERT_EQ(books.size(), 1u);
  ASSERT_EQ(books[0].pages.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(books[0].pages[i].frame, i);
    EXPECT_EQ(books[0].pages[i].page_no, i + 1);
  }
  EXPECT_EQ(fs::path(books[0].pages[3].path).filename(), "p2.png");
  EXPECT_EQ(books[0].pages[3].page_no, 4);
}
