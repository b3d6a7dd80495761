// Form pages: labels, sections, entry boundaries, two columns.
#include <gtest/gtest.h>

#include <initializer_list>
#include <map>

#include "schema/parse.hpp"
#include "schema/validate.hpp"
#include "tests/text_lines.hpp"

namespace hotich::schema {
namespace {

using testing::make_line;

using Values = std::map<std::string, std::string>;

// One column of lines, 30 px apart, from y = 100.
std::vector<ocr::Line> column(const std::vector<std::string>& texts, int x = 100, int y = 100) {
  std::vector<ocr::Line> out;
  for (auto& t : texts) {
    out.push_back(make_line(t, x, y));
    y += 30;
  }
  return out;
}

// Two columns side by side from y = 200, rows 30 px apart: the left one at
// x = 100, the right one at right_x; the longer column's extra rows alone.
void side_by_side(std::vector<ocr::Line>& lines, const std::vector<std::string>& left,
                  const std::vector<std::string>& right, int right_x) {
  for (size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
    const int y = 200 + int(i) * 30;
    if (i < left.size()) lines.push_back(make_line(left[i], 100, y));
    if (i < right.size()) lines.push_back(make_line(right[i], right_x, y));
  }
}

Values values(const Entry& e) {
  Values v;
  for (auto& f : e.fields)
    if (!f.raw.empty()) v[f.key] = f.raw;
  return v;
}

// Each key is in e and accepted (not flagged).
void expect_accepted(const Entry& e, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    ASSERT_NE(e.find(key), nullptr) << key;
    EXPECT_FALSE(e.find(key)->flagged()) << key;
  }
}

const FormSet& forms() {
  static const FormSet f = FormSet::builtin();
  return f;
}

// The one entry parse_form finds in lines; a failure (and an empty entry)
// when it finds another number of entries.
Entry one_entry(const std::vector<ocr::Line>& lines, BookType type = BookType::khai_sinh) {
  FormParse fp = parse_form(lines, forms(), type);
  EXPECT_EQ(fp.entries.size(), 1u);
  return fp.entries.size() == 1 ? fp.entries[0] : Entry{};
}

TEST(ParseForm, BirthFormSectionsLabelsAndWraps) {
  auto lines = column({
      "UBND xã Tân Hòa, huyện Phú Vang",
      "SỔ ĐĂNG KÝ KHAI SINH",
      "Số: 15      Quyển số: 01/2015",
      "Ngày đăng ký: 05/03/2009",
      "I. NGƯỜI ĐƯỢC KHAI SINH",
      "Họ và tên: NGUYỄN VĂN AN",
      "Giới tính: Nam",
      "Ngày, tháng, năm sinh: 01/03/2009",
      "Nơi sinh: Trạm y tế xã Tân Hòa, huyện",
      "Phú Vang, tỉnh Thừa Thiên Huế",
      "Dân tộc: Kinh     Quốc tịch: Việt Nam",
      "Quê quán Xã Tân Hòa",
      "II. PHẦN KHAI VỀ NGƯỜI MẸ",
      "Họ và tên: .......... TRẦN THỊ BÌNH",
      "Năm sinh:....1985",
      "Dân tộc: Kinh     Quốc tịch: Việt Nam",
      "Nơi cư trú:",
      "Xã Tân Hòa, huyện Phú Vang",
      "Người cha",
      "Họ và tên: NGUYỄN VĂN CƯỜNG",
      "Dân tộc: Tày",
      "Người đi khai sinh: NGUYỄN VĂN CƯỜNG",
      "Quan hệ với người được khai sinh: Cha",
      "Số CMND/CCCD: 046 085 000 123",
      "Ghi chú:",
  });
  FormParse fp = parse_form(lines, forms(), BookType::khai_sinh);
  ASSERT_EQ(fp.entries.size(), 1u);
  EXPECT_EQ(values(fp.entries[0]),
            (Values{{"so", "15"},
                    {"quyenSo", "01/2015"},
                    {"ngayDangKy", "05/03/2009"},
                    {"nksHoTen", "NGUYỄN VĂN AN"},
                    {"nksGioiTinh", "Nam"},
                    {"nksNgaySinh", "01/03/2009"},
                    {"nksNoiSinh", "Trạm y tế xã Tân Hòa, huyện Phú Vang, tỉnh Thừa Thiên Huế"},
                    {"nksDanToc", "Kinh"},
                    {"nksQuocTich", "Việt Nam"},
                    {"nksQueQuan", "Xã Tân Hòa"},
                    {"meHoTen", "TRẦN THỊ BÌNH"},
                    {"meNgaySinh", "1985"},
                    {"meDanToc", "Kinh"},
                    {"meQuocTich", "Việt Nam"},
                    {"meNoiCuTru", "Xã Tân Hòa, huyện Phú Vang"},
                    {"chaHoTen", "NGUYỄN VĂN CƯỜNG"},
                    {"chaDanToc", "Tày"},
                    {"nycHoTen", "NGUYỄN VĂN CƯỜNG"},
                    {"nycQuanHe", "Cha"},
                    {"nycSoGiayToTuyThan", "046 085 000 123"}}));
  const Field* note = fp.entries[0].find("ghiChu");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->raw, "");
  // The wrapped value's box covers both lines.
  const Field* place = fp.entries[0].find("nksNoiSinh");
  EXPECT_EQ(place->box.y, 100 + 8 * 30);
  EXPECT_EQ(place->box.y + place->box.h, 100 + 9 * 30 + 20);
}

// A row per label line: section in force, line, expected key and value.
struct LabelCase {
  const char* section;  // a heading line put before the label line, "" for none
  const char* line;
  Values expected;
};

TEST(ParseForm, LabelLines) {
  const LabelCase cases[] = {
      {"", "Họ và tên: NGUYỄN VĂN AN", {{"nksHoTen", "NGUYỄN VĂN AN"}}},
      {"", "Họ và tên:NGUYỄN VĂN AN", {{"nksHoTen", "NGUYỄN VĂN AN"}}},
      {"", "Họ và tên : NGUYỄN VĂN AN", {{"nksHoTen", "NGUYỄN VĂN AN"}}},
      {"", "Họ và tên: …………… NGUYỄN VĂN AN ……", {{"nksHoTen", "NGUYỄN VĂN AN"}}},
      {"", "Họ và tên:________NGUYỄN VĂN AN", {{"nksHoTen", "NGUYỄN VĂN AN"}}},
      {"", "Ho va ten: NGUYEN VAN AN", {{"nksHoTen", "NGUYEN VAN AN"}}},
      {"", "Dân tộc: Kinh Quốc tịch: Việt Nam", {{"nksDanToc", "Kinh"}, {"nksQuocTich", "Việt Nam"}}},
      {"", "Giới tính: Nữ   Dân tộc: Mường   Quốc tịch: Việt Nam",
       {{"nksGioiTinh", "Nữ"}, {"nksDanToc", "Mường"}, {"nksQuocTich", "Việt Nam"}}},
      {"Người mẹ", "Dân tộc: Kinh", {{"meDanToc", "Kinh"}}},
      {"NGƯỜI CHA", "Dân tộc: Kinh", {{"chaDanToc", "Kinh"}}},
      {"Người cha", "Năm sinh: 1980     Số CMND: 123456789", {{"chaNgaySinh", "1980"}, {"chaSoGiayToTuyThan", "123456789"}}},
      {"Người mẹ", "Họ tên, năm sinh: LÊ THỊ HOA, 1987", {{"meHoTen", "LÊ THỊ HOA"}, {"meNgaySinh", "1987"}}},
      {"", "Nơi sinh: Nhà riêng, thôn 3", {{"nksNoiSinh", "Nhà riêng, thôn 3"}}},
      {"", "Ngày đăng ký: ngày 05 tháng 3 năm 2009", {{"ngayDangKy", "ngày 05 tháng 3 năm 2009"}}},
      // No colon: an exact label followed by its value.
      {"", "Dân tộc Kinh", {{"nksDanToc", "Kinh"}}},
      // Not labels: nothing is read.
      {"", "NGUYỄN VĂN AN", {}},
      {"", "Xã Tân Hòa, huyện Phú Vang", {}},
  };
  for (auto& c : cases) {
    std::vector<std::string> texts{"Số: 1"};
    if (*c.section) texts.push_back(c.section);
    texts.push_back(c.line);
    FormParse fp = parse_form(column(texts), forms(), BookType::khai_sinh);
    ASSERT_EQ(fp.entries.size(), 1u) << c.line;
    Values got = values(fp.entries[0]);
    got.erase("so");
    EXPECT_EQ(got, c.expected) << c.section << " / " << c.line;
  }
}

TEST(ParseForm, DeathFormTimeInValueAndUnreadableValue) {
  auto lines = column({"Số: 3/2012", "Ngày đăng ký: 11/10/2012", "Người đã chết", "Họ và tên: PHẠM VĂN LỢI",
                       "Ngày chết: 10:30 ngày 10/10/2012", "Nơi chết: Nhà riêng", "Nguyên nhân chết:"});
  // Ink under "Nguyên nhân chết:" that the engine could not read.
  ocr::Line ink;
  ink.box = {100, 100 + 7 * 30, 300, 20};
  lines.push_back(ink);
  const Entry e = one_entry(lines, BookType::khai_tu);
  Values v = values(e);
  EXPECT_EQ(v["so"], "3/2012");
  EXPECT_EQ(v["nktHoTen"], "PHẠM VĂN LỢI");
  EXPECT_EQ(v["nktNgayChet"], "10:30 ngày 10/10/2012");
  EXPECT_EQ(v["nktNoiChet"], "Nhà riêng");
  const Field* cause = e.find("nktNguyenNhanChet");
  ASSERT_NE(cause, nullptr);
  EXPECT_EQ(cause->raw, "");
  EXPECT_EQ(cause->flag, flag::unreadable);
}

// A value that ends with a comma wraps onto its next line; when that line
// is not found after it (read out of order, or lost), what was read is not
// the whole value and is flagged. With its next line, it is whole.
TEST(ParseForm, ValueEndingWithACommaWithoutItsNextLineIsFlagged) {
  for (bool wrapped : {true, false}) {
    std::vector<std::string> texts = {"Số: 96", "Người cha", "Họ và tên: HỒ PHÚC HÒA", "Nơi cư trú: Xã Kim Đính,"};
    if (wrapped) texts.push_back("Huyện Kim Thành, Tỉnh Hải Dương");
    texts.push_back("Số định danh cá nhân: 030201621393");
    FormParse fp = parse_form(column(texts), forms(), BookType::khai_sinh);
    ASSERT_EQ(fp.entries.size(), 1u);
    const Field* home = fp.entries[0].find("chaNoiCuTru");
    ASSERT_NE(home, nullptr);
    EXPECT_EQ(home->raw, wrapped ? "Xã Kim Đính, Huyện Kim Thành, Tỉnh Hải Dương" : "Xã Kim Đính");
    EXPECT_EQ(home->flagged(), !wrapped) << home->flag;
    // Validation keeps the doubt: the field goes to review.
    Entry e = fp.entries[0];
    validate_entry(e, forms().specs(BookType::khai_sinh), Lexicons{}, BookContext{});
    EXPECT_EQ(e.find("chaNoiCuTru")->flagged(), !wrapped) << e.find("chaNoiCuTru")->flag;
  }
}

// Entry boundaries: a row per page, expected names top to bottom.
struct BoundaryCase {
  BookType type;
  std::vector<std::string> lines;
  std::vector<std::string> names;  // the entry-start person's name per entry
  const char* key;
};

TEST(ParseForm, EntryBoundaries) {
  const BoundaryCase cases[] = {
      {BookType::khai_sinh,
       {"Số: 15", "Họ và tên: AN", "Người mẹ", "Họ và tên: MẸ AN", "Số: 16", "Họ và tên: BÌNH", "Người mẹ",
        "Họ và tên: MẸ BÌNH"},
       {"AN", "BÌNH"}, "nksHoTen"},
      // "Số: 16/2015" with "Quyển số" on the same line.
      {BookType::khai_sinh,
       {"Số: 15/2015   Quyển số: 01/2015", "Họ và tên: AN", "Số: 16/2015   Quyển số: 01/2015", "Họ và tên: BÌNH"},
       {"AN", "BÌNH"}, "nksHoTen"},
      // No "Số": the husband's name label comes round again.
      {BookType::ket_hon,
       {"Bên chồng", "Họ và tên: CHỒNG MỘT", "Bên vợ", "Họ và tên: VỢ MỘT", "Bên chồng", "Họ và tên: CHỒNG HAI",
        "Bên vợ", "Họ và tên: VỢ HAI"},
       {"CHỒNG MỘT", "CHỒNG HAI"}, "chongHoTen"},
      {BookType::khai_tu,
       {"Họ và tên người chết: A", "Ngày chết: 01/01/2001", "Họ và tên người chết: B", "Ngày chết: 02/02/2002"},
       {"A", "B"}, "nktHoTen"},
      // The page header before the first entry starts no entry.
      {BookType::khai_sinh, {"Quyển số: 01/2015", "Số: 1", "Họ và tên: AN"}, {"AN"}, "nksHoTen"},
      // ... nor when it is misread: "sò" alone is "Số", but "Quyểu sò" is
      // "Quyển số".
      {BookType::ket_hon, {"Quyểu sò: 03/2017", "Số: 108", "Bên chồng", "Họ và tên: ĐỒNG"}, {"ĐỒNG"}, "chongHoTen"},
      // ... or misread past recognition: words before "số" that no label
      // took make it the end of another wording ...
      {BookType::ket_hon, {"Q nến số: 01/2010", "Số: 132", "Bên chồng", "Họ và tên: ĐỒNG"}, {"ĐỒNG"}, "chongHoTen"},
      // ... while a speck read as a mark before it leaves it the number.
      {BookType::ket_hon, {"' Số: 132", "Bên chồng", "Họ và tên: ĐỒNG"}, {"ĐỒNG"}, "chongHoTen"},
      // "Số" opens an entry only as the whole label: not as the first word
      // of "Số định danh cá nhân", even where no section heading is in force
      // to give that label a field ...
      {BookType::ket_hon,
       {"Số: 115/2019", "Bên chồng", "Họ và tên: CHỒNG MỘT", "Số định danh cá nhân: 351476574", "Bên vợ",
        "Họ và tên: VỢ MỘT", "Số định danh cá nhân: 093189514439", "Số: 116/2019", "Họ và tên: CHỒNG HAI",
        "Số định danh cá nhân: 389386011", "Số định danh cá nhân 010179162532"},
       {"CHỒNG MỘT", "CHỒNG HAI"}, "chongHoTen"},
      // ... nor of a longer label misread ("Số CMND/CCCD:") ...
      {BookType::khai_sinh,
       {"Số: 112", "Họ và tên: AN", "Người cha", "Họ và tên: CHA", "Số CHHĐICCCE: 200 tt uốn", "Người đi khai sinh",
        "Họ và tên: MẸ", "Số CMNDICCCD: 162790137"},
       {"AN"}, "nksHoTen"},
      {BookType::khai_sinh, {"Số: 7", "Họ và tên: AN", "Số giấy tờ: 0123", "Số CMND: 0456"}, {"AN"}, "nksHoTen"},
      // ... nor one whose colon was misread, with no number after "Số" ...
      {BookType::khai_sinh, {"Số: 7", "Họ và tên: AN", "Người mẹ", "Số CMND/CCCD;", "Họ và tên: MẸ AN"}, {"AN"},
       "nksHoTen"},
      // ... nor a second "Số" on the line of the first: the other column's
      // "Quyển số" run into it by a stamp across the gutter, misread.
      {BookType::khai_sinh, {"Số: 45 6 *, “4Quyến SỐ: 052013", "Họ và tên: AN", "Người mẹ", "Họ và tên: MẸ AN"},
       {"AN"}, "nksHoTen"},
      // ... while two real entries on one page still split, each at its "Số".
      {BookType::khai_sinh,
       {"Số: 15", "Họ và tên: AN", "Người mẹ", "Số định danh cá nhân: 0123", "Số: 16", "Họ và tên: BÌNH",
        "Người mẹ", "Số CMND: 0456"},
       {"AN", "BÌNH"}, "nksHoTen"},
  };
  for (auto& c : cases) {
    FormParse fp = parse_form(column(c.lines), forms(), c.type);
    std::vector<std::string> names;
    for (auto& e : fp.entries) names.push_back(values(e)[c.key]);
    EXPECT_EQ(names, c.names) << c.lines[0];
    for (size_t i = 0; i < fp.entries.size(); ++i) EXPECT_EQ(fp.entries[i].index, int(i) + 1);
  }
}

TEST(ParseForm, AnEntryWithoutItsNumberGoesToReview) {
  struct Case {
    std::vector<std::string> lines;
    std::vector<bool> review;
  };
  const Case cases[] = {
      {{"Số: 15", "Họ và tên: AN", "Số: 16", "Họ và tên: BÌNH"}, {false, false}},
      // "Số: 16" was lost: the second entry starts at the repeated name.
      {{"Số: 15", "Họ và tên: AN", "Họ và tên: BÌNH"}, {false, true}},
      // No entry on the page states its number: nothing to compare with.
      {{"Họ và tên: AN", "Họ và tên: BÌNH"}, {false, false}},
  };
  for (auto& c : cases) {
    FormParse fp = parse_form(column(c.lines), forms(), BookType::khai_sinh);
    ASSERT_EQ(fp.entries.size(), c.review.size()) << c.lines[2];
    for (size_t i = 0; i < c.review.size(); ++i)
      EXPECT_EQ(fp.entries[i].needs_review, c.review[i]) << c.lines[2] << ", entry " << i + 1;
  }
}

TEST(ParseForm, LostSectionHeadingMovesToTheNextPerson) {
  // "Người cha" is covered by a stamp: the mother's labels come round again.
  auto lines = column({"Số: 5", "Họ và tên: CON", "Người mẹ", "Họ và tên: MẸ", "Năm sinh: 1990",
                       "Họ và tên: CHA", "Năm sinh: 1985", "Người đi khai sinh", "Họ và tên: CHA"});
  FormParse fp = parse_form(lines, forms(), BookType::khai_sinh);
  ASSERT_EQ(fp.entries.size(), 1u);
  EXPECT_EQ(values(fp.entries[0]), (Values{{"so", "5"}, {"nksHoTen", "CON"}, {"meHoTen", "MẸ"}, {"meNgaySinh", "1990"},
                                           {"chaHoTen", "CHA"}, {"chaNgaySinh", "1985"}, {"nycHoTen", "CHA"}}));
  // Whose values those are was guessed (two columns read out of order look
  // the same): they go to review until the next heading; the values read
  // under a heading do not.
  for (const char* key : {"chaHoTen", "chaNgaySinh"})
    EXPECT_TRUE(fp.entries[0].find(key)->flagged()) << key;
  for (const char* key : {"meHoTen", "meNgaySinh", "nycHoTen"})
    EXPECT_FALSE(fp.entries[0].find(key)->flagged()) << key;
}

// A value wrapped onto an indented line that also reads as a section
// heading ("Phong" is one letter from "Chồng", "Nam" is the heading "Nam")
// continues the value; a heading at the labels' margin is still one.
TEST(ParseForm, IndentedWrapThatReadsAsAHeadingContinuesTheValue) {
  std::vector<ocr::Line> lines = column({"Số: 33", "Bên chồng", "Họ và tên: Ngô Công"});
  lines.push_back(make_line("Phong", 130, 190));
  lines.push_back(make_line("Nơi thường trú: Xã Liêm Chung, Tỉnh Hà", 100, 220));
  lines.push_back(make_line("Nam", 130, 250));
  lines.push_back(make_line("Nữ", 100, 280));  // the wife's heading in one word
  lines.push_back(make_line("Họ và tên: Đoàn Mai Vy", 100, 310));
  EXPECT_EQ(values(one_entry(lines, BookType::ket_hon)),
            (Values{{"so", "33"}, {"chongHoTen", "Ngô Công Phong"},
                    {"chongNoiCuTru", "Xã Liêm Chung, Tỉnh Hà Nam"}, {"voHoTen", "Đoàn Mai Vy"}}));
}

// Two headings side by side, the left one misread: the columns are only
// found at the labels below, the heading row is read across, and the
// right heading ("Người cha") names the left column's labels. Its labels
// then come round again. Which run is the father's is a guess: both go to
// review.
TEST(ParseForm, MisreadHeadingBesideAnotherGuessesBothRuns) {
  std::vector<ocr::Line> lines = column({"Số: 22", "Họ và tên: CON"});
  side_by_side(lines, {"Người m‹:", "Họ và tên: MẸ", "Năm sinh: 1990"}, {"Người cha", "Họ và tên: CHA", "Năm sinh: 1985"},
               700);
  const Entry e = one_entry(lines);
  for (const char* key : {"chaHoTen", "chaNgaySinh"}) {
    ASSERT_NE(e.find(key), nullptr) << key;
    EXPECT_TRUE(e.find(key)->flagged()) << key;
  }
  EXPECT_FALSE(e.find("nksHoTen")->flagged());
}

TEST(ParseForm, TwoColumnsSideBySide) {
  // Mother left, father right, returned by the layout finder row by row.
  std::vector<ocr::Line> lines = column({"Số: 20", "Họ và tên: CON"});
  side_by_side(lines, {"Người mẹ", "Họ và tên: LÊ THỊ MẸ", "Năm sinh: 1990", "Nơi cư trú: Thôn 1,", "xã Hòa Phú"},
               {"Người cha", "Họ và tên: ĐỖ VĂN CHA", "Năm sinh: 1988", "Dân tộc: Kinh"}, 1300);
  lines.push_back(make_line("Ghi chú: không", 100, 400));
  EXPECT_EQ(values(one_entry(lines)),
            (Values{{"so", "20"}, {"nksHoTen", "CON"}, {"meHoTen", "LÊ THỊ MẸ"}, {"meNgaySinh", "1990"},
                    {"meNoiCuTru", "Thôn 1, xã Hòa Phú"}, {"chaHoTen", "ĐỖ VĂN CHA"}, {"chaNgaySinh", "1988"},
                    {"chaDanToc", "Kinh"}, {"ghiChu", "không"}}));
}

// A speck read as a mark on the headings' row, between them ("`"): the
// headings still mark two columns; the husband's values are not the wife's.
TEST(ParseForm, TwoColumnsWithASpeckBetweenTheHeadings) {
  std::vector<ocr::Line> lines = column({"Số: 142", "Ngày đăng ký: 21/1/2012"});
  side_by_side(lines, {"Người chồng", "Họ, chữ đệm, tên: LÊ ANH DŨNG", "Ngày sinh: 8/1/1969"},
               {"Người vợ", "Họ, chữ đệm, tên: ĐỖ DIỆP ANH", "Ngày sinh: 29/4/1991"}, 800);
  lines.push_back(make_line("`", 265, 197));
  const Values v = values(one_entry(lines, BookType::ket_hon));
  EXPECT_EQ(v.at("chongHoTen"), "LÊ ANH DŨNG");
  EXPECT_EQ(v.at("voHoTen"), "ĐỖ DIỆP ANH");
  EXPECT_EQ(v.at("voNgaySinh"), "29/4/1991");
}

// The child's entry with the mother's and the father's headings and
// names side by side (the split at x = 699); rows from y = 260 are free.
std::vector<ocr::Line> mother_and_father_named() {
  std::vector<ocr::Line> lines = column({"Số: 21", "Họ và tên: CON"});
  lines.push_back(make_line("Người mẹ", 100, 200));
  lines.push_back(make_line("Người cha", 700, 200));
  lines.push_back(make_line("Họ và tên: LÊ XUÂN XANH", 100, 230));
  lines.push_back(make_line("Họ và tên: BÙI QUANG BÌNH", 700, 230));
  return lines;
}

// Two columns whose headings a stamp covered: the same label twice on a
// row marks the columns, the left is read first, and the right one's
// repeated name label is the next person's, not a new entry.
// The mother's date runs into the father's label on its row: one line
// across the split. The rows after it are still two columns, so they stay
// each person's: the mother's ethnic group is not read as the father's.
TEST(ParseForm, TwoColumnsGoOnAfterALineRunAcrossTheSplit) {
  std::vector<ocr::Line> lines = mother_and_father_named();
  // One line across: "1992Năm" straddles the split at x = 699.
  lines.push_back(make_line("Năm sinh: " + std::string(43, '.') + " 1992Năm sinh: 1979", 100, 260));
  lines.push_back(make_line("Dân tộc: Kinh", 100, 290));
  lines.push_back(make_line("Dân tộc: Tày", 700, 290));
  lines.push_back(make_line("Quốc tịch: Việt Nam", 100, 320));
  lines.push_back(make_line("Quốc tịch: Nhật Bản", 700, 320));
  Values v = values(one_entry(lines));
  EXPECT_EQ(v["meDanToc"], "Kinh");
  EXPECT_EQ(v["meQuocTich"], "Việt Nam");
  EXPECT_EQ(v["chaDanToc"], "Tày");
  EXPECT_EQ(v["chaQuocTich"], "Nhật Bản");
}

// Both dates on one line across the split, each after its own label (the
// wife's label run into the husband's date): the second label is the
// wife's, and the rows after it are still the husband's on the left.
TEST(ParseForm, TwoColumnsWithBothLabelsOnALineAcrossTheSplit) {
  std::vector<ocr::Line> lines = column({"Số: 65"});
  lines.push_back(make_line("BÊN CHỒNG", 100, 200));
  lines.push_back(make_line("BÊN VỢ", 700, 200));
  lines.push_back(make_line("Họ và tên: PHAN QUANG NHẬT", 100, 230));
  lines.push_back(make_line("Họ và tên: QUANG NGỌC ĐIỆP", 700, 230));
  // "16/04/1963Ngày," straddles the split at x = 699.
  lines.push_back(make_line("Ngày, tháng, năm sinh: " + std::string(20, '.') +
                                " 16/04/1963Ngày, tháng, năm sinh: 07/03/1970", 100, 260));
  lines.push_back(make_line("Dân tộc: Kinh", 100, 290));
  lines.push_back(make_line("Dân tộc: Tày", 700, 290));
  lines.push_back(make_line("Quốc tịch: Việt Nam", 100, 320));
  lines.push_back(make_line("Quốc tịch: Nhật Bản", 700, 320));
  const Entry e = one_entry(lines, BookType::ket_hon);
  Values v = values(e);
  EXPECT_EQ(v["voNgaySinh"], "07/03/1970");
  EXPECT_EQ(v["chongDanToc"], "Kinh");
  EXPECT_EQ(v["chongQuocTich"], "Việt Nam");
  EXPECT_EQ(v["voDanToc"], "Tày");
  EXPECT_EQ(v["voQuocTich"], "Nhật Bản");
  expect_accepted(e, {"chongDanToc", "chongQuocTich", "voNgaySinh", "voDanToc"});
}

// The last row of the two columns read as one line, its left value reaching
// over the split, and a full-width section after it: the line's two halves
// are still the mother's and the father's, not the father's and the
// requester's.
TEST(ParseForm, TwoColumnsEndingWithBothLabelsOnALineAcrossTheSplit) {
  std::vector<ocr::Line> lines = mother_and_father_named();
  // "079194926140" straddles the split at x = 699.
  lines.push_back(make_line("Số CMND/CCCD: " + std::string(40, '.') + " 079194926140 Số CMND/CCCD: 079083937864", 100, 260));
  lines.push_back(make_line("Người đi khai sinh", 100, 290));
  lines.push_back(make_line("Họ và tên: HÀ ĐỨC LUẬN", 100, 320));
  lines.push_back(make_line("Số CMND/CCCD: 079067498626", 100, 350));
  const Entry e = one_entry(lines);
  Values v = values(e);
  EXPECT_EQ(v["meSoGiayToTuyThan"], "079194926140");
  EXPECT_EQ(v["chaSoGiayToTuyThan"], "079083937864");
  EXPECT_EQ(v["nycSoGiayToTuyThan"], "079067498626");
  expect_accepted(e, {"meSoGiayToTuyThan", "chaSoGiayToTuyThan", "nycSoGiayToTuyThan", "nycHoTen"});
}

// The mother's date reaches past the split, read as a line of its own,
// with the father's date beside it: his line is still the right column's.
TEST(ParseForm, TwoColumnsKeepTheRightLineOfARowWhoseLeftLineCrossesTheSplit) {
  std::vector<ocr::Line> lines = mother_and_father_named();
  // "..." straddles the split at x = 699; the father's line starts clear of it.
  lines.push_back(make_line("Năm sinh: " + std::string(58, '.') + " 1992", 100, 260));
  lines.push_back(make_line("Năm sinh: 1979", 900, 260));
  lines.push_back(make_line("Dân tộc: Kinh", 100, 290));
  lines.push_back(make_line("Dân tộc: Tày", 700, 290));
  Values v = values(one_entry(lines));
  EXPECT_EQ(v["meNgaySinh"], "1992");
  EXPECT_EQ(v["chaNgaySinh"], "1979");
  EXPECT_EQ(v["meDanToc"], "Kinh");
  EXPECT_EQ(v["chaDanToc"], "Tày");
}

// The wife's name wraps, and its last word is printed over the husband's
// date beside it: the two read as one word across the split
// ("16/1/19@ỌC"). The wife's name read is only the part above it, so it
// goes to review; a right part that holds a label is the right column's
// next line run in, and the value above it stays accepted. Word-sized ink
// under a value that reads as no text does the same.
TEST(ParseForm, ANameWhoseNextLineRanIntoTheOtherColumnIsDoubted) {
  auto marriage = [](const std::string& left_date) {
    std::vector<ocr::Line> lines = column({"Số: 114"});
    lines.push_back(make_line("BÊN CHỒNG", 100, 200));
    lines.push_back(make_line("BÊN VỢ", 700, 200));
    lines.push_back(make_line("Họ và tên: HỒ KHẮC VŨ", 100, 230));
    lines.push_back(make_line("Họ và tên: TRẦN MINH", 700, 230));
    // The date's last word straddles the split at x = 699.
    lines.push_back(make_line("Ngày, tháng, năm sinh: " + std::string(25, '.') + " " + left_date, 100, 260));
    lines.push_back(make_line("Dân tộc: Kinh", 100, 290));
    lines.push_back(make_line("Ngày, tháng, năm sinh: 04/01/1980", 700, 290));
    lines.push_back(make_line("Quốc tịch: Việt Nam", 100, 320));
    lines.push_back(make_line("Dân tộc: Kinh", 700, 320));
    return one_entry(lines, BookType::ket_hon);
  };
  Entry e = marriage("16/1/19@ỌC");
  const Field* vo = e.find("voHoTen");
  ASSERT_NE(vo, nullptr);
  EXPECT_EQ(vo->raw, "TRẦN MINH");
  EXPECT_EQ(vo->conf, 0);
  EXPECT_TRUE(vo->flag.starts_with(flag::low_confidence)) << vo->flag;
  EXPECT_EQ(values(e)["voNgaySinh"], "04/01/1980");
  expect_accepted(e, {"chongHoTen", "chongDanToc", "voDanToc"});

  e = marriage("16/1/1990Quốc tịch: Việt Nam");
  expect_accepted(e, {"voHoTen", "chongHoTen"});

  // The husband's date reaches over the split beside the wife's wrapped
  // name, read on its own: the name takes it and stays accepted.
  {
    std::vector<ocr::Line> lines = column({"Số: 50"});
    lines.push_back(make_line("BÊN CHỒNG", 100, 200));
    lines.push_back(make_line("BÊN VỢ", 700, 200));
    lines.push_back(make_line("Họ và tên: HỒ KHẮC VŨ", 100, 230));
    lines.push_back(make_line("Họ và tên: LƯƠNG HẢI", 700, 230));
    lines.push_back(make_line("Ngày, tháng, năm sinh: " + std::string(25, '.') + " ngàyngày", 100, 260));
    lines.push_back(make_line("VY", 760, 258));
    lines.push_back(make_line("Dân tộc: Kinh", 100, 290));
    lines.push_back(make_line("Ngày, tháng, năm sinh: 04/01/1980", 700, 290));
    e = one_entry(lines, BookType::ket_hon);
    EXPECT_EQ(values(e)["voHoTen"], "LƯƠNG HẢI VY");
    expect_accepted(e, {"voHoTen"});
  }

  // A handwritten last name under the value, read as nothing.
  std::vector<ocr::Line> lines = column({"Số: 5", "Họ và tên: NGUYỄN VĂN", "Ngày sinh: 01/02/2003"});
  ocr::Line ink;
  ink.box = {160, lines[1].box.y + 30, 60, 20};
  for (size_t i = 2; i < lines.size(); ++i) lines[i].box.y += 30;
  lines.insert(lines.begin() + 2, ink);
  e = one_entry(lines);
  const Field* name = e.find("nksHoTen");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->conf, 0) << name->flag;
  // A speck there is no word.
  lines[2].box = {160, lines[1].box.y + 30, 6, 6};
  e = one_entry(lines);
  expect_accepted(e, {"nksHoTen"});
  // A signature under the requester's last value, a number: whole on its line.
  lines = column({"Số: 5", "Họ và tên: NGUYỄN VĂN AN", "Người đi khai sinh", "Họ và tên: NGUYỄN VĂN BA",
                  "Số định danh cá nhân: 001090012345"});
  ink.box = {160, lines.back().box.y + 30, 200, 30};
  lines.push_back(ink);
  e = one_entry(lines);
  expect_accepted(e, {"nycHoTen", "nycSoGiayToTuyThan"});
}

// Below the two columns, the requester's heading alone on the left starts a
// full-width section: the columns end there, and a name running across the
// split keeps its last word (it was "NGUYỄN DUY", with "NHƯỢNG" sent right).
TEST(ParseForm, SectionHeadingAloneOnTheLeftEndsTheColumns) {
  std::vector<ocr::Line> lines = column({"Số: 26", "Họ và tên: CON"});
  side_by_side(lines, {"Mẹ", "Họ và tên: LÊ NGỌC BÌNH", "Năm sinh: 1978"},
               {"Cha", "Họ và tên: NGUYỄN KIM THÔNG", "Năm sinh: 1990"}, 490);
  lines.push_back(make_line("Người yêu cầu", 100, 300));
  // "DUY" ends at x = 480, "NHƯỢNG" starts at 490: right of the split at 489.
  lines.push_back(make_line("Họ, chữ đệm, tên: NGUYỄN DUY NHƯỢNG", 100, 330));
  lines.push_back(make_line("Số CMND/CCCD: 146 552 507", 100, 360));
  const Entry e = one_entry(lines);
  Values v = values(e);
  EXPECT_EQ(v["chaHoTen"], "NGUYỄN KIM THÔNG");
  EXPECT_EQ(v["nycHoTen"], "NGUYỄN DUY NHƯỢNG");
  EXPECT_EQ(v["nycSoGiayToTuyThan"], "146 552 507");
  for (auto& f : e.fields) {
    if (f.key.starts_with("nyc")) {
      EXPECT_GT(f.conf, 0) << f.key << " was read under a guessed person";
    }
  }
}

// A label whose line goes on past it with nothing read there holds a value
// the engine could not read (a handwritten number): unreadable, not empty.
// A label whose ink ends at its colon is an empty field.
TEST(ParseForm, InkAfterTheLastLabelWithoutTextIsUnreadable) {
  auto lines = column({"Số: 68", "Họ và tên: AN", "Người cha", "Họ và tên: CHA", "Số định danh cá nhân:",
                       "Người yêu cầu", "Họ và tên: CHA", "Số định danh cá nhân:"});
  lines[4].box.w += 300;  // the father's number, written by hand
  FormParse fp = parse_form(lines, forms(), BookType::khai_sinh);
  ASSERT_EQ(fp.entries.size(), 1u);
  const Field* cha = fp.entries[0].find("chaSoGiayToTuyThan");
  ASSERT_NE(cha, nullptr);
  EXPECT_TRUE(cha->flag.starts_with(flag::unreadable)) << cha->flag;
  const Field* nyc = fp.entries[0].find("nycSoGiayToTuyThan");
  ASSERT_NE(nyc, nullptr);
  EXPECT_EQ(nyc->flag, "");
  EXPECT_EQ(nyc->raw, "");
}

// Two headings side by side read as one line (a stamp over the gutter
// between them joined them): the first names the person, and the line is
// no more of the value above it.
TEST(ParseForm, TwoHeadingsReadAsOneLineAreAHeading) {
  auto lines = column({"Số: 73", "Họ và tên: AN", "Quốc tịch: Việt Nam",
                       "PHẦN KHAI VỀ NGƯỜI MẸ 9 ÊÈHẦÄN)KHAI VỀ NGƯỜI CHA", "Họ và tên: LAN"});
  Values v = values(one_entry(lines));
  EXPECT_EQ(v["nksQuocTich"], "Việt Nam");
  EXPECT_EQ(v["meHoTen"], "LAN");
  // A value that only opens with a person's word is no heading.
  EXPECT_EQ(values(one_entry(column({"Số: 73", "Họ và tên: AN", "Nơi sinh: Bệnh viện", "Mẹ và Bé Hà Nội"})))["nksNoiSinh"],
            "Bệnh viện Mẹ và Bé Hà Nội");
}

// A page number under an empty last value is page furniture, however
// close it comes (a tall line box: specks of a stamp above it).
TEST(ParseForm, PageNumberContinuesNoValue) {
  for (const char* number : {"Trang 14", "Trang số: 14", "- 14 -"}) {
    auto lines = column({"Số: 33", "Họ và tên: AN", "Ghi chú:", number});
    lines[3].box.y -= 10;
    lines[3].box.h += 400;
    FormParse fp = parse_form(lines, forms(), BookType::khai_sinh);
    ASSERT_EQ(fp.entries.size(), 1u) << number;
    const Field* note = fp.entries[0].find("ghiChu");
    EXPECT_TRUE(note == nullptr || note->raw.empty()) << number << ": " << (note ? note->raw : "");
  }
  // A note that only starts with the wording is a note.
  auto lines = column({"Số: 33", "Họ và tên: AN", "Ghi chú:", "Trang 14 sổ cũ ghi sai tên"});
  EXPECT_EQ(values(one_entry(lines))["ghiChu"], "Trang 14 sổ cũ ghi sai tên");
}

TEST(ParseForm, TwoColumnsWithoutHeadings) {
  struct Case {
    BookType type;
    std::vector<std::string> top;  // one column above the two
    std::vector<std::pair<std::string, std::string>> rows;  // left, right ("" = none)
    Values expected;
  };
  const Case cases[] = {
      // No heading at all: the first person's, then the next one's.
      {BookType::ket_hon,
       {"Số: 116/2019"},
       {{"Họ và tên: NGUYỄN CHÍ DŨNG", "Họ và tên: NGUYỄN TUYẾT NHUNG"},
        {"Ngày sinh: 16-05-1999", "Ngày sinh: 02-02-2000"},
        {"Nơi thường trú: Xóm 8,", "Nơi thường trú: Xóm Hạ,"},
        {"X. Pha Long", "X. Pha Long"},
        {"Số định danh cá nhân: 389386011", "Số định danh cá nhân: 010179162532"}},
       {{"so", "116/2019"}, {"chongHoTen", "NGUYỄN CHÍ DŨNG"}, {"chongNgaySinh", "16-05-1999"},
        {"chongNoiCuTru", "Xóm 8, X. Pha Long"}, {"chongSoGiayToTuyThan", "389386011"},
        {"voHoTen", "NGUYỄN TUYẾT NHUNG"}, {"voNgaySinh", "02-02-2000"}, {"voNoiCuTru", "Xóm Hạ, X. Pha Long"},
        {"voSoGiayToTuyThan", "010179162532"}}},
      // The left heading read, the right one lost; the left column ends in a
      // label with no value, which the right column does not continue.
      {BookType::ket_hon,
       {"Số: 44", "Người chồng"},
       {{"Họ và tên: ĐỖ DUY KHÁNH", "Họ và tên: TRẦN KIỀU HOA"},
        {"Ngày sinh: 25/11/1992", "Ngày sinh: 29/12/1982"},
        {"Ghi chú:", ""}},
       {{"so", "44"}, {"chongHoTen", "ĐỖ DUY KHÁNH"}, {"chongNgaySinh", "25/11/1992"}, {"voHoTen", "TRẦN KIỀU HOA"},
        {"voNgaySinh", "29/12/1982"}}},
  };
  for (auto& c : cases) {
    std::vector<ocr::Line> lines = column(c.top);
    int y = 100 + 30 * int(c.top.size());
    for (auto& [l, r] : c.rows) {
      if (!l.empty()) lines.push_back(make_line(l, 100, y));
      if (!r.empty()) lines.push_back(make_line(r, 800, y));
      y += 30;
    }
    FormParse fp = parse_form(lines, forms(), c.type);
    ASSERT_EQ(fp.entries.size(), 1u) << c.rows[0].first;
    EXPECT_EQ(values(fp.entries[0]), c.expected) << c.rows[0].first;
  }
}

TEST(ParseForm, TwoColumnsMergedIntoOneLineByWideGaps) {
  std::string gap(20, ' ');
  auto lines = column({"Số: 21", "Người mẹ" + gap + "Người cha", "Họ và tên: LÊ THỊ MẸ" + gap + "Họ và tên: ĐỖ VĂN CHA",
                       "Dân tộc: Kinh" + gap + "Dân tộc: Tày"});
  EXPECT_EQ(values(one_entry(lines)), (Values{{"so", "21"}, {"meHoTen", "LÊ THỊ MẸ"}, {"chaHoTen", "ĐỖ VĂN CHA"},
                                      {"meDanToc", "Kinh"}, {"chaDanToc", "Tày"}}));
}

TEST(ParseForm, TwoColumnsMergedIntoOneLineWithNarrowGaps) {
  // The columns are close, so the layout finder joined each row into one
  // line; the headings row gives the split, words are divided at it.
  std::vector<ocr::Line> lines = column({"Số: 22"});
  auto row = [&](const std::string& a, const std::string& b, int y) {
    ocr::Line l = make_line(a, 100, y), r = make_line(b, 600, y);
    l.text += " " + r.text;
    l.words.insert(l.words.end(), r.words.begin(), r.words.end());
    l.box = detail::unite(l.box, r.box);
    lines.push_back(l);
  };
  row("Bên chồng", "Bên vợ", 200);
  row("Họ và tên: TRẦN QUỐC BẢO", "Họ và tên: NGÔ THỊ HẠNH", 230);
  row("Năm sinh: 1990", "Năm sinh: 1993", 260);
  lines.push_back(make_line("Ghi chú: Đăng ký lại", 100, 290));
  FormParse fp = parse_form(lines, forms(), BookType::ket_hon);
  ASSERT_EQ(fp.entries.size(), 1u);
  EXPECT_EQ(values(fp.entries[0]),
            (Values{{"so", "22"}, {"chongHoTen", "TRẦN QUỐC BẢO"}, {"chongNgaySinh", "1990"}, {"voHoTen", "NGÔ THỊ HẠNH"},
                    {"voNgaySinh", "1993"}, {"ghiChu", "Đăng ký lại"}}));
}

TEST(ParsePage, FormPageWithoutTable) {
  ocr::Page page;
  page.lines = column({"SỔ ĐĂNG KÝ KẾT HÔN", "Quyển số: 02/2016", "Số: 9", "Ngày đăng ký: 01/06/2016", "Bên chồng",
                       "Họ và tên: TRẦN QUỐC BẢO", "Ngày, tháng, năm sinh: 12/12/1990", "Bên vợ",
                       "Họ và tên: NGÔ THỊ HẠNH", "Năm sinh: 1993"});
  ParsedPage p = parse_page(page, forms(), BookContext{});
  EXPECT_EQ(p.layout, "form");
  EXPECT_EQ(p.header.book_type, BookType::ket_hon);
  EXPECT_EQ(p.header.quyenSo, "02/2016");
  ASSERT_EQ(p.entries.size(), 1u);
  EXPECT_EQ(values(p.entries[0]),
            (Values{{"so", "9"}, {"ngayDangKy", "01/06/2016"}, {"quyenSo", "02/2016"}, {"chongHoTen", "TRẦN QUỐC BẢO"},
                    {"chongNgaySinh", "12/12/1990"}, {"voHoTen", "NGÔ THỊ HẠNH"}, {"voNgaySinh", "1993"}}));
}

}  // namespace
}  // namespace hotich::schema
