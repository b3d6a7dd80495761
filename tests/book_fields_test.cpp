// Book-level fields decided by the pages' readings together. A row per case.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "schema/book_fields.hpp"
#include "schema/lexicon.hpp"

using namespace hotich::schema;

namespace {

const char* name(BookFieldOutcome o) {
  switch (o) {
    case BookFieldOutcome::keep: return "keep";
    case BookFieldOutcome::accept: return "accept";
    case BookFieldOutcome::disagree: return "disagree";
  }
  return "?";
}

// Readings: page, text, conf, certainty (1 = the text checks out).
using R = BookFieldReading;

}  // namespace

TEST(DecideBookField, Table) {
  const std::string V = "UBND xã Pa Tần, huyện Nậm Pồ, tỉnh Điện Biên";
  const std::string VU = "UBND XÃ PA TẦN, HUYỆN NẬM PỒ, TỈNH ĐIỆN BIÊN";
  const std::string V1 = "UBND xã Pa Tần, huyện Nậm Pô, tỉnh Điện Biên";    // one diacritic off
  const std::string V2 = "UBND XÃ PA TẦN, HUYỆN NẬM ĐỒ, TỈNH ĐIỆN BIÊN";    // one letter off
  const std::string W = "UBND xã Tân Lập, huyện Lạc Sơn, tỉnh Hoà Bình";   // another valid place
  struct Row {
    const char* what;
    std::vector<R> in;
    bool fuzzy;
    BookFieldOutcome want;
    std::string value;     // accept: the value; disagree: a part of the flag
    int support = 0;       // accept: supporting pages (0 = not checked)
  };
  using O = BookFieldOutcome;
  const Row rows[] = {
      {"all agree, none sure alone", {{1, "03/2018", .61f, 1}, {2, "03/2018", .62f, 1}, {3, "03/2018", .6f, 1}},
       false, O::accept, "03/2018", 3},
      {"one outlier among five", {{1, "93/2018", .61f, 1}, {2, "03/2018", .62f, 1}, {3, "03/2018", .61f, 1},
                                  {4, "03/2018", .65f, 1}, {5, "03/2018", .6f, 1}},
       false, O::accept, "03/2018", 4},
      {"two of three, outlier unsure", {{1, "02/2015", .9f, 1}, {2, "02/2016", .5f, 1}, {3, "02/2015", .6f, 1}},
       false, O::accept, "02/2015", 2},
      {"outlier is confident: contradiction",
       {{1, "02/2015", .6f, 1}, {2, "02/2016", .95f, 1}, {3, "02/2015", .6f, 1}}, false, O::disagree,
       "'02/2015' (p1, p3), '02/2016' (p2)"},
      {"tie two against two", {{1, "01/2019", .6f, 1}, {2, "07/2019", .6f, 1}, {3, "01/2019", .6f, 1},
                               {4, "07/2019", .6f, 1}},
       false, O::disagree, "'01/2019' (p1, p3), '07/2019' (p2, p4)"},
      {"three against two is not clear", {{1, "01/2019", .6f, 1}, {2, "07/2019", .6f, 1}, {3, "01/2019", .6f, 1},
                                          {4, "07/2019", .6f, 1}, {5, "01/2019", .6f, 1}},
       false, O::disagree, "pages disagree"},
      {"all different", {{1, "01/2019", .6f, 1}, {2, "07/2019", .6f, 1}, {3, "04/2019", .6f, 1}}, false,
       O::disagree, "'01/2019' (p1), '07/2019' (p2), '04/2019' (p3)"},
      {"one page, unsure", {{1, "03/2018", .6f, 1}}, false, O::keep, ""},
      {"one page, sure: its own acceptance stands", {{1, "03/2018", .97f, 1}}, false, O::keep, ""},
      {"one sure page, the others unread", {{1, "03/2018", .97f, 1}, {2, "", 0, 0}, {3, " ", 0, 0}}, false,
       O::keep, ""},
      {"empty readings", {{1, "", 0, 0}, {2, "", 0, 0}}, false, O::keep, ""},
      {"no readings", {}, false, O::keep, ""},
      {"agreement on an invalid text is not acceptance",
       {{1, "UBND XÃ VĨNH THÁI, THÀNH PHỐ NHA", .3f, .4f}, {2, "UBND xã Vĩnh Thái, thành phố Nha", .3f, .4f},
        {3, "UBND XÃ VĨNH THÁI, THÀNH PHÔ NHA", .1f, .2f}},
       true, O::keep, ""},
      {"case and spacing do not matter; mixed case is kept",
       {{1, VU, .6f, 1}, {2, V, .6f, 1}, {4, VU, .6f, 1}, {3, "UBND  xã Pa Tần,  huyện Nậm Pồ, tỉnh Điện Biên", .6f, 1}}, true,
       O::accept, V, 4},
      {"near readings support a valid one (fuzzy)",
       {{1, V, .77f, 1}, {2, V1, .56f, .9f}, {3, V2, .43f, .5f}, {4, V, .7f, 1}, {5, V2, .5f, .5f}}, true,
       O::accept, V, 5},
      {"near readings do not count without fuzzy",
       {{1, V, .6f, 1}, {2, V1, .56f, .9f}, {3, V2, .43f, .5f}, {4, V, .6f, 1}, {5, V2, .5f, .5f}}, false,
       O::keep, ""},
      {"one valid unsure reading is not enough, however near the others",
       {{1, V, .6f, 1}, {2, V1, .56f, .9f}, {3, V1, .5f, .9f}}, true, O::keep, ""},
      {"one valid sure reading with near ones", {{1, V, .9f, 1}, {2, V1, .56f, .9f}, {3, V2, .5f, .5f}}, true,
       O::accept, V, 3},
      {"two valid places: the confident rival contradicts",
       {{1, V, .6f, 1}, {2, V, .6f, 1}, {3, W, .9f, 1}}, true, O::disagree, "'UBND xã Tân Lập"},
      {"two valid places, the rival unsure: an outlier",
       {{1, V, .6f, 1}, {2, V, .6f, 1}, {3, W, .5f, 1}}, true, O::accept, V, 2},
      {"far readings are not support; one claim alone decides nothing",
       {{1, V, .6f, 1}, {2, V, .6f, 1}, {3, V + " -13- bốn s", .3f, .2f}, {4, V + " ái ạ -14-", .3f, .2f}},
       true, O::keep, ""},
      {"agreement on a truncated line does not contradict a sure valid reading",
       {{1, VU, .9f, 1}, {2, "UBND xã Pa Tần, huyện Nậm Pồ, tỉnh Điện", .35f, .5f},
        {3, "UBND xã Pa Tần, huyện Nậm Pồ, tỉnh Điện", .35f, .5f}},
       true, O::keep, ""},
      {"two sure valid readings of one page each", {{1, "02/2015", .9f, 1}, {2, "02/2016", .95f, 1}}, false,
       O::disagree, "'02/2015' (p1), '02/2016' (p2)"},
      {"ties go to the earlier page whatever the order",
       {{3, "07/2019", .6f, 1}, {1, "01/2019", .6f, 1}}, false, O::disagree, "'01/2019' (p1), '07/2019' (p3)"},
  };
  for (auto& r : rows) {
    BookFieldOptions o;
    o.fuzzy = r.fuzzy;
    auto d = decide_book_field(r.in, o);
    EXPECT_STREQ(name(d.outcome), name(r.want)) << r.what << " (" << d.note << ")";
    if (r.want == O::accept) {
      EXPECT_EQ(d.value, r.value) << r.what;
      if (r.support) {
        EXPECT_EQ(d.support, r.support) << r.what;
      }
      EXPECT_TRUE(d.flag.empty()) << r.what;
    } else if (r.want == O::disagree) {
      EXPECT_TRUE(d.flag.starts_with("ambiguous_repair: pages disagree: ")) << r.what << ": " << d.flag;
      EXPECT_NE(d.flag.find(r.value), std::string::npos) << r.what << ": " << d.flag;
    } else {
      EXPECT_TRUE(d.flag.empty()) << r.what;
    }
  }
}

TEST(DecideBookField, LongRivalsAreShortenedAndCounted) {
  std::vector<R> in;
  for (int p = 1; p <= 6; ++p)
    in.push_back({p, "UBND xã Một Hai Ba Bốn Năm Sáu Bảy Tám Chín Mười, huyện Xa Xôi Lắm, tỉnh " + std::to_string(p),
                  .5f, .3f});
  auto d = decide_book_field(in);
  EXPECT_EQ(d.outcome, BookFieldOutcome::disagree);
  EXPECT_NE(d.flag.find("...' (p1)"), std::string::npos) << d.flag;
  EXPECT_NE(d.flag.find("and 2 more"), std::string::npos) << d.flag;
}

// The value a decision stores is the book number in its plain form, so
// that readings with other slashes or spaces agree and none is stored as read.
TEST(BookFieldText, BookNumbersInTheirPlainForm) {
  struct Row { const char* key; const char* raw; const char* want; };
  const Row rows[] = {
      {"quyenSo", "01/2009", "01/2009"},         {"quyenSo", "01\u2044" "2009", "01/2009"},
      {"quyenSo", " 01 / 2009 ", "01/2009"},     {"quyenSo", "01\u22152009", "01/2009"},
      {"quyenSo", "O1/2009", "O1/2009"},          // no book number: left as read, for review
      {"noiDangKy", "UBND  xã Tân Hòa", "UBND xã Tân Hòa"},
  };
  for (auto& r : rows) EXPECT_EQ(book_field_text(r.key, r.raw), r.want) << r.raw;
}

TEST(BookFieldOptions, FuzzyOnlyForTheAuthority) {
  EXPECT_TRUE(book_field_options("noiDangKy").fuzzy);
  EXPECT_FALSE(book_field_options("quyenSo").fuzzy);
}

TEST(BookFieldCertainty, QuyenSoShape) {
  Lexicons lex;
  struct Row { const char* text; float want; };
  const Row rows[] = {
      {"03/2018", 1}, {"3/2018", 1}, {"103/1999", 1}, {" 05 / 2019 ", 1}, {"93/2018", 1},
      {"", 0},        {"03", 0},     {"03/218", 0},   {"03/2218", 0},    {"1234/2018", 0}, {"O3/2018", 0},
  };
  for (auto& r : rows) EXPECT_EQ(book_field_certainty("quyenSo", r.text, lex), r.want) << r.text;
  EXPECT_EQ(book_field_certainty("so", "03/2018", lex), 0);
}

TEST(BookFieldCertainty, AuthorityAgainstTheGazetteer) {
  std::filesystem::path csv = std::filesystem::path(HOTICH_SHARED_DATA) / "gazetteer" / "units-2025-03.csv";
  if (!std::filesystem::exists(csv)) GTEST_SKIP() << "SKIPPED: no gazetteer at " << csv;
  Lexicons lex;
  std::ifstream in(csv);
  ASSERT_TRUE(lex.load_gazetteer_csv(in).ok());
  struct Row { const char* text; bool valid; };
  const Row rows[] = {
      {"UBND xã Pa Tần, huyện Nậm Pồ, tỉnh Điện Biên", true},
      {"UBND XÃ PA TẦN, HUYỆN NẬM PỒ, TỈNH ĐIỆN BIÊN", true},
      {"Ủy ban nhân dân phường Thắng Lợi, thành phố Sông Công, tỉnh Thái Nguyên", true},
      {"UBND xã Vĩnh Thái, thành phố Nha", false},                                // truncated line
      {"UBND xã Trà Giác, huyện Bắc Trà My, tỉnh Quảng Nam -13-", false},        // page number glued on
      {"UBND XÃ PA TẦN, HUYỆN NẬM ĐỒ, TỈNH ĐIỆN BIÊN", false},                   // misread district
      {"", false},
  };
  const float valid = BookFieldOptions{}.valid;
  for (auto& r : rows) EXPECT_EQ(book_field_certainty("noiDangKy", r.text, lex) >= valid, r.valid) << r.text;
}
