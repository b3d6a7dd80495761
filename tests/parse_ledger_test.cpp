// Ledger pages: header rows -> column keys, body rows -> entries.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "schema/parse.hpp"
#include "tests/text_lines.hpp"

namespace hotich::schema {
namespace {

using testing::make_line;

using Keys = std::vector<std::string>;
using Values = std::map<std::string, std::string>;

constexpr const char* kInkNoText = "\x01";  // a cell with ink the engine could not read

struct CellDef {
  int row, col;
  std::string text;  // lines separated by '\n'; "" = blank
  int row_span = 1, col_span = 1;
  float conf = 90;
};

// A ruled table: columns 300 px wide, rows 100 px high.
ocr::Table make_table(int rows, int cols, const std::vector<CellDef>& defs) {
  ocr::Table t;
  for (int r = 0; r <= rows; ++r) t.row_edges.push_back(1000 + r * 100);
  for (int c = 0; c <= cols; ++c) t.col_edges.push_back(50 + c * 300);
  t.box = {50, 1000, cols * 300, rows * 100};
  std::vector<std::vector<bool>> covered(static_cast<size_t>(rows), std::vector<bool>(static_cast<size_t>(cols)));
  for (auto& d : defs) {
    ocr::Cell c;
    c.row = d.row;
    c.col = d.col;
    c.row_span = d.row_span;
    c.col_span = d.col_span;
    c.box = {50 + d.col * 300, 1000 + d.row * 100, d.col_span * 300, d.row_span * 100};
    c.blank = d.text.empty();
    if (d.text != kInkNoText) {
      int y = c.box.y + 5;
      for (size_t i = 0; i <= d.text.size() && !d.text.empty();) {
        size_t j = d.text.find('\n', i);
        if (j == std::string::npos) j = d.text.size();
        c.lines.push_back(make_line(d.text.substr(i, j - i), c.box.x + 5, y, d.conf));
        y += 22;
        i = j + 1;
      }
    }
    for (int r = d.row; r < d.row + d.row_span; ++r)
      for (int k = d.col; k < d.col + d.col_span; ++k) covered[size_t(r)][size_t(k)] = true;
    t.cells.push_back(c);
  }
  // Grid positions nobody defined: blank cells, as the layout finder reports them.
  for (int r = 0; r < rows; ++r)
    for (int k = 0; k < cols; ++k)
      if (!covered[size_t(r)][size_t(k)]) {
        ocr::Cell c;
        c.row = r;
        c.col = k;
        c.blank = true;
        c.box = {50 + k * 300, 1000 + r * 100, 300, 100};
        t.cells.push_back(c);
      }
  return t;
}

// A table from rows of cell texts ('\n' between lines in a cell).
ocr::Table grid(const std::vector<std::vector<std::string>>& rows) {
  std::vector<CellDef> defs;
  for (size_t r = 0; r < rows.size(); ++r)
    for (size_t c = 0; c < rows[r].size(); ++c)
      if (!rows[r][c].empty()) defs.push_back({int(r), int(c), rows[r][c]});
  return make_table(int(rows.size()), int(rows[0].size()), defs);
}

Values values(const Entry& e) {
  Values v;
  for (auto& f : e.fields)
    if (!f.raw.empty()) v[f.key] = f.raw;
  return v;
}

// Moves the title line of the top cell at column col to start at x.
void move_title(ocr::Table& t, int col, int x) {
  for (auto& c : t.cells)
    if (c.row == 0 && c.col == col) {
      ocr::Line& l = c.lines[0];
      const int dx = x - l.box.x;
      l.box.x += dx;
      for (auto& w : l.words) w.box.x += dx;
    }
}

using testing::column_keys;

const FormSet& forms() { return testing::builtin_forms(); }

TEST(ParseLedger, SingleHeaderRowWithCombinedColumns) {
  auto t = grid({
      {"STT", "Ngày, tháng, năm đăng ký", "Họ và tên người được khai sinh", "Giới tính", "Ngày, tháng, năm sinh",
       "Nơi sinh", "Họ tên, năm sinh, nơi cư trú của người mẹ", "Người đi khai", "Quan hệ", "Ghi chú"},
      {"15", "05/03/2009", "NGUYỄN VĂN AN", "Nam", "01/03/2009", "Trạm y tế xã Tân Hòa",
       "TRẦN THỊ BÌNH\n1985\nXã Tân Hòa, Huyện Phú Vang", "NGUYỄN VĂN CƯỜNG", "Cha", ""},
      {"16", "06.03.2009", "LÊ THỊ\nHOA", "Nữ", "ngày 02 tháng 3 năm 2009", "Bệnh viện\nHuế",
       "PHAN THỊ C\n1990\nTân Hòa, Phú Vang", "PHAN THỊ C", "Mẹ", "Khai sinh quá hạn"},
  });
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "ngayDangKy", "nksHoTen", "nksGioiTinh", "nksNgaySinh", "nksNoiSinh",
                                   "meHoTen+meNgaySinh+meNoiCuTru", "nycHoTen", "nycQuanHe", "ghiChu"}));
  EXPECT_EQ(lp.header_rows, 1);
  ASSERT_EQ(lp.entries.size(), 2u);
  EXPECT_EQ(lp.entries[0].index, 1);
  EXPECT_EQ(values(lp.entries[0]),
            (Values{{"so", "15"}, {"ngayDangKy", "05/03/2009"}, {"nksHoTen", "NGUYỄN VĂN AN"},
                    {"nksGioiTinh", "Nam"}, {"nksNgaySinh", "01/03/2009"}, {"nksNoiSinh", "Trạm y tế xã Tân Hòa"},
                    {"meHoTen", "TRẦN THỊ BÌNH"}, {"meNgaySinh", "1985"}, {"meNoiCuTru", "Xã Tân Hòa, Huyện Phú Vang"},
                    {"nycHoTen", "NGUYỄN VĂN CƯỜNG"}, {"nycQuanHe", "Cha"}}));
  // Wrapped single-value cells are joined with a space.
  EXPECT_EQ(values(lp.entries[1])["nksHoTen"], "LÊ THỊ HOA");
  EXPECT_EQ(values(lp.entries[1])["nksNoiSinh"], "Bệnh viện Huế");
  EXPECT_EQ(values(lp.entries[1])["ghiChu"], "Khai sinh quá hạn");
  for (auto& e : lp.entries) {
    EXPECT_FALSE(e.needs_review);
    for (auto& f : e.fields) EXPECT_TRUE(f.flag.empty()) << f.key << ": " << f.flag;
  }
  // Confidence and geometry of a field come from its words.
  const Field* name = lp.entries[0].find("nksHoTen");
  ASSERT_NE(name, nullptr);
  EXPECT_FLOAT_EQ(name->conf, 0.9f);
  EXPECT_EQ(name->box.x, 50 + 2 * 300 + 5);
  EXPECT_EQ(name->box.y, 1100 + 5);
  EXPECT_EQ(name->box.w, 160);  // the test's words are 10 px per UTF-8 byte: 8+1+4+1+2
}

// A register holds each field once: when two headers read as one field,
// one of them was misread (a wife's residence taken for the husband's
// column), and the column that kept it is not trusted with it.
TEST(ParseLedger, AFieldTwoHeadersReadAsIsDoubted) {
  const auto t = grid({{"Số", "Họ và tên", "Ngày sinh", "Họ và tên"},
                       {"12", "Nguyễn Văn An", "01/02/2017", "Trần Văn Bình"}});
  const LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  const Field* name = lp.entries[0].find("nksHoTen");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->raw, "Nguyễn Văn An");
  EXPECT_NE(name->flag.find("another column's header reads as this field too"), std::string::npos) << name->flag;
  EXPECT_EQ(name->conf, 0);
  const Field* born = lp.entries[0].find("nksNgaySinh");
  ASSERT_NE(born, nullptr);
  EXPECT_EQ(born->flag, "");
  EXPECT_TRUE(std::any_of(lp.notes.begin(), lp.notes.end(),
                          [](auto& n) { return n.find("already mapped to an earlier column") != std::string::npos; }));
}

TEST(ParseLedger, TwoRowHeaderWithGroupTitlesAndColumnNumbers) {
  auto t = make_table(8, 8,
                      {
                          {0, 0, "Số", 2, 1},
                          {0, 1, "Ngày đăng ký", 2, 1},
                          {0, 2, "Họ và tên", 2, 1},
                          {0, 3, "Người mẹ", 1, 3},
                          {0, 6, "Người cha", 1, 2},
                          {1, 3, "Họ và tên"},
                          {1, 4, "Năm sinh"},
                          {1, 5, "Số CMND/CCCD"},
                          {1, 6, "Họ và tên"},
                          {1, 7, "Dân tộc"},
                          {2, 0, "(1)"}, {2, 1, "(2)"}, {2, 2, "(3)"}, {2, 3, "(4)"},
                          {2, 4, "(5)"}, {2, 5, "(6)"}, {2, 6, "(7)"}, {2, 7, "(8)"},
                          {3, 0, "1"}, {3, 1, "02/01/2015"}, {3, 2, "HỒ VĂN TÚ"}, {3, 3, "LÊ THỊ MAI"},
                          {3, 4, "1990"}, {3, 5, "046 190 001 234"}, {3, 6, "HỒ VĂN NAM"}, {3, 7, "Kinh"},
                          // Row 4 is blank: skipped.
                          {5, 0, "2"}, {5, 1, "03/01/2015"}, {5, 2, "ĐỖ MINH"}, {5, 3, "VŨ THỊ LAN"},
                          {5, 4, kInkNoText}, {5, 5, ""}, {5, 6, ""}, {5, 7, ""},
                          // Row 6: a stray mark in one column only; row 7: the
                          // stroke closing the unused rest of the page. Both
                          // lie under the last numbered entry: not entries.
                          {6, 7, "x"},
                          {7, 0, "——"}, {7, 2, "—_—"},
                      });
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "ngayDangKy", "nksHoTen", "meHoTen", "meNgaySinh", "meSoGiayToTuyThan",
                                   "chaHoTen", "chaDanToc"}));
  EXPECT_EQ(lp.header_rows, 3);
  ASSERT_EQ(lp.entries.size(), 2u);
  EXPECT_EQ(values(lp.entries[0]),
            (Values{{"so", "1"}, {"ngayDangKy", "02/01/2015"}, {"nksHoTen", "HỒ VĂN TÚ"}, {"meHoTen", "LÊ THỊ MAI"},
                    {"meNgaySinh", "1990"}, {"meSoGiayToTuyThan", "046 190 001 234"}, {"chaHoTen", "HỒ VĂN NAM"},
                    {"chaDanToc", "Kinh"}}));
  EXPECT_EQ(lp.entries[1].index, 2);
  EXPECT_EQ(values(lp.entries[1])["so"], "2");
  const Field* year = lp.entries[1].find("meNgaySinh");
  ASSERT_NE(year, nullptr);
  EXPECT_EQ(year->raw, "");
  EXPECT_EQ(year->flag, flag::unreadable);
  const Field* father = lp.entries[1].find("chaHoTen");
  ASSERT_NE(father, nullptr);  // an empty cell is an empty field, not an unreadable one
  EXPECT_TRUE(father->flag.empty());
  EXPECT_FALSE(lp.entries[1].needs_review);
  // Nothing disappears silently: the page notes say what was dropped.
  EXPECT_TRUE(std::any_of(lp.notes.begin(), lp.notes.end(),
                          [](const std::string& n) { return n.starts_with("row 7 under the last numbered entry"); }));
}

TEST(ParseLedger, UnmergedGroupTitlesAndDamagedHeaders) {
  // The layout finder missed the merge: "Bên chồng" sits in one cell with
  // blank cells to its right. Headers carry OCR damage.
  auto t = grid({
      {"So TT", "Ngay, thang, nam dang ky", "Bên chồng", "", "Bên vợ", "", "Cột lạ"},
      {"", "", "Ho va ten", "Ngày sinh", "Họ và tên", "Năm sinh", ""},
      {"7/2016", "12/5/2016", "TRẦN QUỐC BẢO", "1988", "NGÔ THỊ HẠNH", "1992", "abc"},
  });
  // Titles are printed centred over their two columns (the cell holding
  // the text is the one its words fall in).
  for (auto& cell : t.cells)
    if (cell.row == 0 && (cell.col == 2 || cell.col == 4))
      for (auto& l : cell.lines) {
        int centre = t.col_edges[size_t(cell.col + 1)], shift = centre - (l.box.x + l.box.w / 2);
        l.box.x += shift;
        for (auto& w : l.words) w.box.x += shift;
      }
  LedgerParse lp = parse_ledger(t, forms(), BookType::ket_hon);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "ngayDangKy", "chongHoTen", "chongNgaySinh", "voHoTen", "voNgaySinh", ""}));
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(values(lp.entries[0])["voHoTen"], "NGÔ THỊ HẠNH");
  EXPECT_EQ(values(lp.entries[0]).count("Cột lạ"), 0u);
  bool noted = false;
  for (auto& n : lp.notes) noted |= n.find("Cột lạ") != std::string::npos && n.find("unmapped") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(ParseLedger, PersonNamedOnceCarriesToTheFollowingColumns) {
  auto t = grid({
      {"Số", "Họ và tên", "Ngày sinh", "Họ và tên người mẹ", "Năm sinh", "Nơi cư trú", "Họ và tên người cha",
       "Năm sinh", "Họ tên người đi khai sinh", "Quan hệ", "Ghi chú"},
      {"1", "AN", "01/01/2015", "MẸ", "1990", "Thôn 1", "CHA", "1988", "CHA", "Cha", ""},
  });
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "nksHoTen", "nksNgaySinh", "meHoTen", "meNgaySinh", "meNoiCuTru", "chaHoTen",
                                   "chaNgaySinh", "nycHoTen", "nycQuanHe", "ghiChu"}));
}

TEST(ParseLedger, MissedRulesInHeaderAndBody) {
  // The layout finder missed the rule under "Người mẹ" (title and
  // sub-headers in one cell) and a vertical rule in the body (two values in
  // one cell); words are assigned to grid columns by their x.
  ocr::Table t = make_table(2, 4, {{0, 0, "Số", 2, 1}, {0, 1, "Họ và tên", 2, 1}, {0, 2, "x", 2, 2},
                                   {1, 0, "7"}, {1, 1, "AN"}, {1, 2, "y", 1, 2}});
  auto& title = t.cells[2];
  title.lines = {make_line("Người mẹ", 700, 1005, 90), make_line("Họ và tên", 660, 1030, 90)};
  auto sub = make_line("Năm sinh", 960, 1030, 90);  // right column of the merged cell
  title.lines[1].words.insert(title.lines[1].words.end(), sub.words.begin(), sub.words.end());
  title.lines[1].text += " Năm sinh";
  auto& body = t.cells[5];
  body.lines = {make_line("LÊ THỊ MAI", 660, 1105, 90)};
  auto year = make_line("1990", 960, 1105, 90);
  body.lines[0].words.push_back(year.words[0]);
  body.lines[0].text += " 1990";
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "nksHoTen", "meHoTen", "meNgaySinh"}));
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(values(lp.entries[0]), (Values{{"so", "7"}, {"nksHoTen", "AN"}, {"meHoTen", "LÊ THỊ MAI"}, {"meNgaySinh", "1990"}}));
}

TEST(ParseLedger, SubHeaderCellSpanningTwoColumnsUnderAGroup) {
  // "Mẹ" spans two columns on purpose; the sub-header cell below it spans
  // them too because a rule was missed, so it is split by word position.
  ocr::Table t = make_table(3, 3, {{0, 0, "Số", 2, 1}, {0, 1, "Mẹ", 1, 2}, {1, 1, "x", 1, 2},
                                   {2, 0, "8"}, {2, 1, "LÊ THỊ MAI"}, {2, 2, "1990"}});
  auto& sub = t.cells[2];
  sub.lines = {make_line("Họ và tên", 360, 1105, 90)};
  auto right = make_line("Năm sinh", 660, 1105, 90);
  sub.lines[0].words.insert(sub.lines[0].words.end(), right.words.begin(), right.words.end());
  sub.lines[0].text += " Năm sinh";
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "meHoTen", "meNgaySinh"}));
}

TEST(ParseLedger, StackedEntryNumbersSplitAMergedRow) {
  auto t = grid({{"Số", "Họ và tên", "Giới tính"}, {"39\n40", "NGUYỄN\nTUẤN\nĐẶNG VĂN", "Nam\nNữ"}});
  // Rows start at the entry numbers: 39 at the first line, 40 at the third.
  auto& so = t.cells[3];
  so.lines[1].box.y = so.lines[1].words[0].box.y = 1100 + 5 + 2 * 22;
  auto& sex = t.cells[5];
  sex.lines[1].box.y = sex.lines[1].words[0].box.y = 1100 + 5 + 2 * 22;
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 2u);
  EXPECT_EQ(values(lp.entries[0]), (Values{{"so", "39"}, {"nksHoTen", "NGUYỄN TUẤN"}, {"nksGioiTinh", "Nam"}}));
  EXPECT_EQ(values(lp.entries[1]), (Values{{"so", "40"}, {"nksHoTen", "ĐẶNG VĂN"}, {"nksGioiTinh", "Nữ"}}));
  EXPECT_TRUE(lp.entries[0].needs_review);
}

TEST(ParseLedger, ARuleRemnantBesideTheEntryNumberSplitsNoRow) {
  // A tall remnant of the left rule, read "1" two px under the top of
  // "114": no entry starts there (not below "114", and no higher number).
  auto t = grid({{"Số", "Họ và tên", "Giới tính"}, {"114\n1", "NGUYỄN HỮU\nCƯƠNG", "Nam"}});
  auto& so = t.cells[3];
  so.lines[1].box.y = so.lines[1].words[0].box.y = so.lines[0].box.y + 2;
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(values(lp.entries[0])["nksHoTen"], "NGUYỄN HỮU CƯƠNG");
}

TEST(ParseLedger, GroupTitleCutByColumnRulesAboveItsSubHeaders) {
  // The rule under "Người yêu cầu" was missed, the column rule through it
  // was not: each header cell holds a piece of the title at its top, apart
  // from its own sub-header below ("Người yê" | "cầu", OCR damage
  // included).
  auto t = grid({{"Số", "Họ và tên", "Người yê\nHọ và tên", "cầu\nQuan hệ"}, {"7", "AN", "NGUYỄN THU", "Mẹ"}});
  for (int c : {2, 3}) {
    auto& l = t.cells[size_t(c)].lines[1];
    l.box.y += 40;
    for (auto& w : l.words) w.box.y += 40;
  }
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "nksHoTen", "nycHoTen", "nycQuanHe"}));
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_FALSE(lp.entries[0].needs_review) << lp.entries[0].review_reason;
}

// A group title cut at a word space by a column rule drawn up through it:
// "Người" hugs the rule from the left, "được khai tử" from the right, each
// in a title cell of its own over two sub-columns. Together they name the
// deceased; apart (a word far from the rule) they do not, and the columns'
// person stays assumed.
class CutGroupTitle : public ::testing::TestWithParam<bool> {};

TEST_P(CutGroupTitle, NamesThePersonOnlyWhenItsWordsHugTheRule) {
  const bool hug = GetParam();
  auto t = make_table(3, 5,
                      {{0, 0, "Số", 2, 1}, {0, 1, "Người", 1, 2}, {0, 3, "được khai tử", 1, 2},
                       {1, 1, "Họ và tên"}, {1, 2, "Giới tính"}, {1, 3, "Năm sinh"}, {1, 4, "Nơi cư trú"},
                       {2, 0, "5"}, {2, 1, "NGUYỄN VĂN AN"}, {2, 2, "Nam"}, {2, 3, "1930"}, {2, 4, "Xã Tân Hòa"}});
  const int rule = t.col_edges[3];
  for (auto& c : t.cells) {
    if (c.row != 0 || c.lines.empty()) continue;
    ocr::Line& l = c.lines[0];
    const int dx = c.col == 1 ? (hug ? rule - 8 - (l.box.x + l.box.w) : 0) : (hug ? rule + 8 - l.box.x : 200);
    l.box.x += dx;
    for (auto& w : l.words) w.box.x += dx;
  }
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_tu);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "nktHoTen", "nktGioiTinh", "nktNgaySinh", "nktNoiCuTru"}));
  ASSERT_EQ(lp.entries.size(), 1u);
  const Field* name = lp.entries[0].find("nktHoTen");
  ASSERT_TRUE(name);
  EXPECT_EQ(name->flag.find("assumed") != std::string::npos, !hug) << name->flag;
}

INSTANTIATE_TEST_SUITE_P(ParseLedger, CutGroupTitle, ::testing::Bool());

// Unmerged group titles over two rows of headers, one of them cut at a word
// space by a column rule and damaged ("Bêi" | "chồn:" for "Bên chồng"): the
// pieces are one title, centred over the husband's four columns, and the
// wife's "Vợ" takes the four after them, not the husband's last column
// with "Ngày đăng ký" beside hers (the same middle, one column wider).
TEST(ParseLedger, UnmergedGroupTitleCutAtAWordSpaceIsCentredOnAllItsPieces) {
  auto t = make_table(3, 10,
                      {{0, 0, "Số", 2, 1}, {0, 2, "Bêi"}, {0, 3, "chồn:"}, {0, 6, "Vợ"},
                       {1, 1, "Họ, chữ đệm, tên"}, {1, 2, "Năm sinh"}, {1, 3, "Dân tộc"}, {1, 4, "Nơi cư trú"},
                       {1, 5, "Họ, chữ đệm, tên"}, {1, 6, "Năm sinh"}, {1, 7, "Dân tộc"}, {1, 8, "Nơi cư trú"},
                       {1, 9, "Ngày đăng ký"},
                       {2, 0, "3"}, {2, 1, "LÊ CHÍ BẢO"}, {2, 2, "1975"}, {2, 3, "Kinh"}, {2, 4, "Tây Ninh"},
                       {2, 5, "ĐỖ KIM LÂM"}, {2, 6, "1984"}, {2, 7, "Kinh"}, {2, 8, "Tây Ninh"}, {2, 9, "04/04/2018"}});
  auto place = [&](int col, int right_end, int left_start) {
    for (auto& c : t.cells)
      if (c.row == 0 && c.col == col) {
        ocr::Line& l = c.lines[0];
        const int dx = right_end >= 0 ? right_end - (l.box.x + l.box.w) : left_start - l.box.x;
        l.box.x += dx;
        for (auto& w : l.words) w.box.x += dx;
      }
  };
  place(2, t.col_edges[3] - 8, -1);  // "Bêi" ends just left of the rule
  place(3, -1, t.col_edges[3] + 8);  // "chồn:" starts just right of it
  place(6, t.col_edges[7] - 5, -1);  // "Vợ" centred over columns 5-8
  LedgerParse lp = parse_ledger(t, forms(), BookType::ket_hon);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "chongHoTen", "chongNgaySinh", "chongDanToc", "chongNoiCuTru", "voHoTen",
                                   "voNgaySinh", "voDanToc", "voNoiCuTru", "ngayDangKy"}));
  ASSERT_EQ(lp.entries.size(), 1u);
  for (const char* key : {"chongHoTen", "chongNoiCuTru", "voHoTen"}) {
    ASSERT_TRUE(lp.entries[0].find(key)) << key;
    EXPECT_FALSE(lp.entries[0].find(key)->flagged()) << key << ": " << lp.entries[0].find(key)->flag;
  }
}

// The entry number's header over two header rows ("Số" | "TT", the rule
// between them found) beside a group title: "so" is the entry's own, no
// person's, so no person is assumed for it and it is not flagged.
TEST(ParseLedger, EntryNumberHeaderOverTwoRowsIsNoPersonsColumn) {
  auto t = make_table(3, 3,
                      {{0, 0, "Số"}, {0, 1, "Người mẹ", 1, 2}, {1, 0, "TT"}, {1, 1, "Họ và tên"}, {1, 2, "Năm sinh"},
                       {2, 0, "96"}, {2, 1, "TRẦN THỊ BÌNH"}, {2, 2, "1985"}});
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "meHoTen", "meNgaySinh"}));
  ASSERT_EQ(lp.entries.size(), 1u);
  const Field* so = lp.entries[0].find("so");
  ASSERT_TRUE(so);
  EXPECT_FALSE(so->flagged()) << so->flag;
}

// A title row whose rules were all lost: the child's title cut at a word
// space ("Người được khai" | "sinh"), its last piece's cell running on into
// the father's first column, and "Họ tên cha" in a cell over only part of
// its columns but centred over all three. Each title takes the columns it
// is centred over, so the father's name column is his, not the child's
// second name column.
TEST(ParseLedger, TitlesOfARulelessTitleRowTakeTheColumnsTheyAreCentredOver) {
  auto t = make_table(3, 7,
                      {{0, 0, "Số", 2, 1}, {0, 1, "Người được khai", 1, 2}, {0, 3, "sinh", 1, 2},
                       {0, 5, "Họ tên cha", 1, 2},
                       {1, 1, "Họ, chữ đệm, tên"}, {1, 2, "Ngày, tháng, năm sinh"}, {1, 3, "Dân tộc"},
                       {1, 4, "Họ, chữ đệm, tên"}, {1, 5, "Ngày, tháng, năm sinh"}, {1, 6, "Dân tộc"},
                       {2, 0, "12"}, {2, 1, "LÊ MINH AN"}, {2, 2, "03/02/2020"}, {2, 3, "Kinh"},
                       {2, 4, "LÊ VĂN BÌNH"}, {2, 5, "1990"}, {2, 6, "Kinh"}});
  const int cut = t.col_edges[3];
  for (auto& c : t.cells)
    if (c.row == 0 && c.col == 1) move_title(t, 1, cut - 8 - c.lines[0].box.w);  // hugs the rule from the left
  move_title(t, 3, cut + 8);  // and from the right
  move_title(t, 5, (t.col_edges[4] + t.col_edges[7]) / 2 - 65);  // centred over columns 4-6
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "nksHoTen", "nksNgaySinh", "nksDanToc", "chaHoTen", "chaNgaySinh",
                                   "chaDanToc"}));
}

// A spanning title with its last word cut off by a column rule drawn up
// through it ("Người đi kha" | "sinh"): the piece's column is the group's.
TEST(ParseLedger, SpanningTitleTakesThePieceCutOffItsEnd) {
  auto t = make_table(3, 6,
                      {{0, 0, "Số", 2, 1}, {0, 1, "Mẹ", 1, 2}, {0, 3, "Người đi kha", 1, 2}, {0, 5, "sinh"},
                       {1, 1, "Họ và tên"}, {1, 2, "Năm sinh"}, {1, 3, "Họ và tên"}, {1, 4, "Quan hệ"},
                       {1, 5, "Số CMND"},
                       {2, 0, "7"}, {2, 1, "TRẦN THỊ BÌNH"}, {2, 2, "1985"}, {2, 3, "LÊ VĂN AN"}, {2, 4, "Cha"},
                       {2, 5, "282647076"}});
  const int cut = t.col_edges[5];
  for (auto& c : t.cells)
    if (c.row == 0 && c.col == 3) move_title(t, 3, cut - 8 - c.lines[0].box.w);  // "Người đi kha" hugs the rule
  move_title(t, 5, cut + 8);  // and so does "sinh"
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "meHoTen", "meNgaySinh", "nycHoTen", "nycQuanHe", "nycSoGiayToTuyThan"}));
}

// "Người cha" spans three of its four columns (the rule under it found only
// that far); the fourth's "Số CMND" stands under a blank top cell. The
// title is centred over all four, so the ID is the father's, not the
// mother's named two columns before.
TEST(ParseLedger, SpanningTitleCentredOverAFreeColumnBesideItTakesIt) {
  auto t = make_table(3, 6,
                      {{0, 0, "Số", 2, 1}, {0, 1, "Họ tên, năm sinh của người mẹ", 2, 1}, {0, 2, "Người cha", 1, 3},
                       {1, 2, "Họ tên"}, {1, 3, "Năm sinh"}, {1, 4, "Nơi thường trú"}, {1, 5, "Số CMND"},
                       {2, 0, "121"}, {2, 1, "NGUYỄN KIM NGÂN\n1984"}, {2, 2, "ĐOÀN DUY KHÁNH"}, {2, 3, "1991"},
                       {2, 4, "Phường 1, Tân An"}, {2, 5, "282647076"}});
  for (auto& c : t.cells)
    if (c.row == 0 && c.col == 2) {  // centre the title over columns 2-5
      ocr::Line& l = c.lines[0];
      const int dx = (t.col_edges[2] + t.col_edges[6]) / 2 - (l.box.x + l.box.w / 2);
      l.box.x += dx;
      for (auto& w : l.words) w.box.x += dx;
    }
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "meHoTen+meNgaySinh", "chaHoTen", "chaNgaySinh", "chaNoiCuTru",
                                   "chaSoGiayToTuyThan"}));
}

// Entry numbers that read as no number ("&S" for a serif "85") or break
// the sequence ("9" for "91"): where the numbers around them leave room
// for exactly them, only the number is doubted; otherwise the numbering
// sends the entries to review.
struct SequenceCase {
  const char* name;
  std::vector<std::string> numbers;  // the "so" cells down the page
  std::vector<bool> review;          // expected per entry
  int doubted = -1;                  // the entry whose read number is flagged
};

TEST(ParseLedger, EntryNumbersOutOfSequence) {
  const SequenceCase cases[] = {
      {"unread, room for it", {"84", "&S", "86"}, {false, false, false}},
      {"unread, no room for it", {"84", "&S", "87"}, {false, true, false}},
      {"unread at the top, room below", {"&S", "86"}, {false, false}},
      {"a digit lost between a kept sequence", {"90", "9", "92"}, {false, false, false}, 1},
      {"a digit lost, no sequence to lean on", {"90", "9", "93"}, {true, true, true}},
      {"a digit more on the last entry", {"157", "158", "4159"}, {false, false, false}, 2},
      {"a number far off on the last entry", {"157", "158", "4170"}, {false, true, true}},
      {"the slash of the first number lost", {"592918", "60/2018", "61/2018"}, {false, false, false}, 0},
      {"the slash of a middle number lost", {"59/2018", "602918", "61/2018"}, {false, false, false}, 1},
      {"one digit misread on the last entry", {"147", "148", "149", "159"}, {false, false, false, false}, 3},
      {"one digit misread on the first entry", {"140", "142", "143", "144"}, {false, false, false, false}, 0},
      {"one digit off with one number to lean on", {"148", "159"}, {true, true}},
      {"one digit misread above the next number", {"s9", "68", "61", "62"}, {false, false, false, false}, 1},
      {"one digit misread on the first entry, above the next", {"70", "61", "62"}, {false, false, false}, 0},
      {"one digit off below the last number", {"61", "62", "53"}, {false, false, false}, 2},
      {"a digit read as a letter with a mark", {"14", "1Š", "16"}, {false, false, false}},
      {"a leading digit lost, then one read as a letter", {"0", "9Ị", "92", "93"}, {false, false, false, false}},
      {"two rows run together at the top", {"5960", "61", "62"}, {true, true, false}},
      {"a leading digit lost on the first entry, unread rows below", {"3", "s4", "S5", "56"}, {false, false, false, false}, 0},
      {"the first entry due from below past unread rows", {"3", "s4", "S5", "6"}, {false, false, false, false}},
      {"two rows run together at the end", {"58", "5960"}, {true, true}},
  };
  const char* names[] = {"AN", "BÌNH", "CƯỜNG", "DŨNG"};
  for (auto& c : cases) {
    std::vector<std::vector<std::string>> rows = {{"Số", "Họ và tên", "Giới tính"}};
    for (size_t i = 0; i < c.numbers.size(); ++i) rows.push_back({c.numbers[i], names[i], "Nam"});
    LedgerParse lp = parse_ledger(grid(rows), forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), c.numbers.size()) << c.name;
    for (size_t i = 0; i < lp.entries.size(); ++i) {
      EXPECT_EQ(lp.entries[i].needs_review, c.review[i]) << c.name << ", entry " << i << ": " << lp.entries[i].review_reason;
      EXPECT_EQ(values(lp.entries[i])["so"], c.numbers[i]) << c.name;  // kept as read
    }
    if (c.doubted >= 0) {
      EXPECT_TRUE(lp.entries[size_t(c.doubted)].find("so")->flagged()) << c.name;
    }
  }
}

// A number cell whose ink the engine read as nothing (a number lost in a
// photo's blur) in a full row: where the numbers around leave room for one
// entry, only the number goes to review (its field is empty, so it fails);
// with no room, or with a blank number cell, the whole entry does.
TEST(ParseLedger, EntryNumberInkReadAsNothing) {
  struct Case {
    const char* name;
    std::vector<std::string> numbers;
    bool inked;  // the middle number cell has ink (else it is blank)
    bool review;  // expected for the middle entry
  };
  const Case cases[] = {
      {"room for it", {"84", "x", "86"}, true, false},
      {"no room for it", {"84", "x", "87"}, true, true},
      {"a blank number cell", {"84", "", "86"}, false, true},
  };
  const char* names[] = {"AN", "BÌNH", "CƯỜNG"};
  for (auto& c : cases) {
    std::vector<std::vector<std::string>> rows = {{"Số", "Họ và tên", "Giới tính"}};
    for (size_t i = 0; i < c.numbers.size(); ++i) rows.push_back({c.numbers[i], names[i], "Nam"});
    ocr::Table t = grid(rows);
    for (auto& cell : t.cells)
      if (cell.row == 2 && cell.col == 0 && c.inked)
        for (auto& l : cell.lines) l.text.clear(), l.words.clear();
    LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), 3u) << c.name;
    EXPECT_FALSE(lp.entries[0].needs_review) << c.name;
    EXPECT_EQ(lp.entries[1].needs_review, c.review) << c.name << ": " << lp.entries[1].review_reason;
    EXPECT_EQ(values(lp.entries[1])["nksHoTen"], "BÌNH") << c.name;
  }
}

// A line of a combined cell that the engine read as nothing (a year under
// a scribble): which line is which field is lost, so none of the cell's
// values is accepted; the entry's other cells still are.
TEST(ParseLedger, LineReadAsNothingInACombinedCellFlagsThatCellOnly) {
  auto t = grid({{"Số", "Họ và tên", "Họ tên, năm sinh, dân tộc, nơi cư trú của người mẹ"},
                 {"4", "PHẠM GIANG SƠN", "Nguyễn Thanh\nVân\n\nKinh\nX. Sao Đại Việt"}});
  for (auto& c : t.cells)
    if (c.row == 1 && c.col == 2) c.lines[2].box = {c.box.x + 30, c.lines[1].box.y + 22, 110, 20};  // ink, no text
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  const Entry& e = lp.entries[0];
  EXPECT_FALSE(e.needs_review) << e.review_reason;
  EXPECT_FALSE(e.find("so")->flagged());
  EXPECT_FALSE(e.find("nksHoTen")->flagged());
  for (const char* key : {"meHoTen", "meNgaySinh", "meDanToc", "meNoiCuTru"}) {
    ASSERT_TRUE(e.find(key)) << key;
    EXPECT_TRUE(e.find(key)->flagged()) << key << " = " << e.find(key)->value;
  }
}

TEST(ParseLedger, WrappedNameInACombinedCellWithoutItsLastLine) {
  // A year and the residence line lost: "Ninh" ends the name (not the
  // ethnic group before the year) and "1996" is no address.
  auto u = grid({{"Số", "Họ tên, năm sinh, dân tộc, nơi cư trú của người cha"}, {"3", "Phạm Quang\nNinh\n1996\nKinh"}});
  LedgerParse lp = parse_ledger(u, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  // values() leaves out empty fields: no residence.
  EXPECT_EQ(values(lp.entries[0]), (Values{{"so", "3"}, {"chaHoTen", "Phạm Quang Ninh"}, {"chaNgaySinh", "1996"},
                                           {"chaDanToc", "Kinh"}}));
}

// Combined cells whose line count differs from the key count.
struct SplitCase {
  std::string cell;
  Values expected;
  bool flagged;
};

TEST(ParseLedger, CombinedCellsRejoinWrappedLines) {
  const SplitCase cases[] = {
      {"TRẦN THỊ BÌNH\n1985\nXã Tân Hòa, Huyện Phú Vang", {{"meHoTen", "TRẦN THỊ BÌNH"}, {"meNgaySinh", "1985"}, {"meNoiCuTru", "Xã Tân Hòa, Huyện Phú Vang"}}, false},
      // The residence wraps onto a second line.
      {"TRẦN THỊ BÌNH\n1985\nXã Tân Hòa, Huyện Phú Vang,\nTỉnh Thừa Thiên Huế",
       {{"meHoTen", "TRẦN THỊ BÌNH"}, {"meNgaySinh", "1985"}, {"meNoiCuTru", "Xã Tân Hòa, Huyện Phú Vang, Tỉnh Thừa Thiên Huế"}}, true},
      // Name and year on one line, separated by a comma.
      {"TRẦN THỊ BÌNH, 1985\nXã Tân Hòa", {{"meHoTen", "TRẦN THỊ BÌNH"}, {"meNgaySinh", "1985"}, {"meNoiCuTru", "Xã Tân Hòa"}}, true},
      // The year is missing.
      {"TRẦN THỊ BÌNH\nXã Tân Hòa, Huyện Phú Vang", {{"meHoTen", "TRẦN THỊ BÌNH"}, {"meNoiCuTru", "Xã Tân Hòa, Huyện Phú Vang"}}, true},
      // The residence is lost (faded away): "Việt Nam" stays whole, not
      // cut into a nationality "Việt" and a residence "Nam".
      {"TRẦN THỊ BÌNH\n1985\nKinh\nViệt Nam",
       {{"meHoTen", "TRẦN THỊ BÌNH"}, {"meNgaySinh", "1985"}, {"meDanToc", "Kinh"}, {"meQuocTich", "Việt Nam"}}, true},
      // The ethnic group faded away and the residence wraps: as many lines
      // as fields, but the best split cuts a line at a comma. Not the
      // written convention, so a repair (the residence lost its hamlet).
      {"LÊ THỊ HÀ\n11-10-1982\nThôn Trung, Thịnh Quang, Đống Đa,\nHà Nội",
       {{"meHoTen", "LÊ THỊ HÀ"}, {"meNgaySinh", "11-10-1982"}, {"meDanToc", "Thôn Trung"},
        {"meNoiCuTru", "Thịnh Quang, Đống Đa, Hà Nội"}}, true},
  };
  for (auto& c : cases) {
    auto t = grid({{"Số", c.expected.count("meQuocTich") ? "Họ tên, năm sinh, dân tộc, quốc tịch, nơi cư trú của người mẹ"
                          : c.expected.count("meDanToc") ? "Họ tên, năm sinh, dân tộc, nơi cư trú của người mẹ"
                                                         : "Họ tên, năm sinh, nơi cư trú của người mẹ"},
                   {"3", c.cell}});
    LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), 1u) << c.cell;
    Values got = values(lp.entries[0]);
    got.erase("so");
    EXPECT_EQ(got, c.expected) << c.cell;
    bool flagged = false;
    for (auto& f : lp.entries[0].fields) flagged |= f.flag.rfind(flag::ambiguous_repair, 0) == 0;
    EXPECT_EQ(flagged, c.flagged) << c.cell;
  }
}

// A value that ends with a comma goes on in a line that was not found
// (it sat on the row's rule and went to the next row): not the whole value,
// alone in its cell or last in a combined one.
TEST(ParseLedger, ACellEndingWithACommaLostItsLastLine) {
  for (const char* header : {"Nơi cư trú của người mẹ", "Họ tên, năm sinh, nơi cư trú của người mẹ"}) {
    const std::string cell = std::string(std::string_view(header).starts_with("Họ") ? "Lê Tâm Thanh\n1990\n" : "") +
                             "X. Liên Phương,\nH. Thường Tín,";
    auto t = grid({{"Số", header}, {"3", cell}});
    LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), 1u) << header;
    const Field* f = lp.entries[0].find("meNoiCuTru");
    ASSERT_NE(f, nullptr) << header;
    EXPECT_EQ(f->flag.rfind(flag::low_confidence, 0), 0u) << header << ": " << f->flag;
    EXPECT_EQ(f->conf, 0) << header;
  }
  // Without the comma the value stands as read.
  auto t = grid({{"Số", "Nơi cư trú của người mẹ"}, {"3", "X. Liên Phương,\nH. Thường Tín"}});
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_TRUE(lp.entries[0].find("meNoiCuTru")->flag.empty()) << lp.entries[0].find("meNoiCuTru")->flag;
}

TEST(ParseLedger, TitleRowInsideTheRulingAndDeathRegister) {
  auto t = make_table(3, 5,
                      {
                          {0, 0, "SỔ ĐĂNG KÝ KHAI TỬ", 1, 5},
                          {1, 0, "Số"}, {1, 1, "Họ và tên người chết"}, {1, 2, "Ngày chết"},
                          {1, 3, "Nguyên nhân chết"}, {1, 4, "Nơi cư trú cuối cùng"},
                          {2, 0, "4"}, {2, 1, "PHẠM VĂN LỢI"}, {2, 2, "10/10/2012"}, {2, 3, "Già yếu"},
                          {2, 4, "Thôn 3, xã Hòa Phú"},
                      });
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_tu);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "nktHoTen", "nktNgayChet", "nktNguyenNhanChet", "nktNoiCuTru"}));
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(values(lp.entries[0])["nktNguyenNhanChet"], "Già yếu");
}

TEST(ParsePage, LedgerPageWithHeaderAndBookContext) {
  ocr::Page page;
  page.width = 2500;
  page.height = 1800;
  page.lines = {make_line("UBND xã Tân Hòa, huyện Phú Vang", 100, 100, 85),
                make_line("SỔ ĐĂNG KÝ KHAI SINH", 800, 150, 90), make_line("Quyển số: 01/2015", 100, 200, 80),
                make_line("Trang 4", 1200, 1700, 88)};
  page.tables.push_back(grid({{"Số", "Họ và tên", "Giới tính"}, {"1", "AN", "Nam"}, {"2", "BÌNH", "Nữ"}}));

  std::vector<std::string> notes;
  ParsedPage p = parse_page(page, forms(), BookContext{}, &notes);
  EXPECT_EQ(p.layout, "ledger");
  EXPECT_EQ(p.header.book_type, BookType::khai_sinh);
  EXPECT_EQ(p.header.trangSo, "4");
  ASSERT_EQ(p.entries.size(), 2u);
  // Book fields come from the page header when book.json is silent...
  EXPECT_EQ(values(p.entries[1])["quyenSo"], "01/2015");
  EXPECT_EQ(values(p.entries[1])["noiDangKy"], "UBND xã Tân Hòa, huyện Phú Vang");
  EXPECT_FLOAT_EQ(p.entries[1].find("quyenSo")->conf, 0.8f);
  // ...and from book.json when it speaks.
  BookContext book;
  book.type = BookType::khai_sinh;
  book.quyenSo = "02/2015";
  book.noiDangKy = "UBND xã Phú Mỹ";
  p = parse_page(page, forms(), book);
  EXPECT_EQ(values(p.entries[0])["quyenSo"], "02/2015");
  EXPECT_EQ(values(p.entries[0])["noiDangKy"], "UBND xã Phú Mỹ");
}

TEST(ParsePage, BookTypeGuessedFromTheColumnsWhenNothingSaysIt) {
  ocr::Page page;
  page.tables.push_back(grid({{"Số", "Họ và tên người chết", "Ngày chết", "Nơi chết"},
                              {"1", "AN", "01/01/2001", "Nhà riêng"}}));
  ParsedPage p = parse_page(page, forms(), BookContext{});
  EXPECT_EQ(p.layout, "ledger");
  EXPECT_EQ(p.header.book_type, BookType::khai_tu);
  ASSERT_EQ(p.entries.size(), 1u);
  EXPECT_EQ(values(p.entries[0])["nktNoiChet"], "Nhà riêng");
}

// Row structure: which body rows become which entries, and which go to review.
struct RowCase {
  const char* what;
  std::vector<std::vector<std::string>> rows;  // header row first
  std::vector<Values> expected;                // per entry, the non-empty raws
  std::vector<bool> review;                    // per entry
};

TEST(ParseLedger, RowStructureTable) {
  const RowCase cases[] = {
      {"plain rows, numbers go up by one",
       {{"Số", "Họ và tên", "Nơi sinh"}, {"15", "AN", "Huế"}, {"16", "BÌNH", "Vinh"}},
       {{{"so", "15"}, {"nksHoTen", "AN"}, {"nksNoiSinh", "Huế"}}, {{"so", "16"}, {"nksHoTen", "BÌNH"}, {"nksNoiSinh", "Vinh"}}},
       {false, false}},
      {"a row without a number between 15 and 16 continues entry 15",
       {{"Số", "Họ và tên", "Nơi sinh"}, {"15", "NGUYỄN VĂN", "Xã Tân Hòa,"}, {"", "AN", "Huyện Phú Vang"}, {"16", "BÌNH", "Vinh"}},
       {{{"so", "15"}, {"nksHoTen", "NGUYỄN VĂN AN"}, {"nksNoiSinh", "Xã Tân Hòa, Huyện Phú Vang"}},
        {{"so", "16"}, {"nksHoTen", "BÌNH"}, {"nksNoiSinh", "Vinh"}}},
       {false, false}},
      {"a row without a number between 15 and 17 is entry 16 with its number lost",
       {{"Số", "Họ và tên", "Nơi sinh"}, {"15", "AN", "Huế"}, {"", "CƯỜNG", "Huế"}, {"17", "BÌNH", "Vinh"}},
       {{{"so", "15"}, {"nksHoTen", "AN"}, {"nksNoiSinh", "Huế"}}, {{"nksHoTen", "CƯỜNG"}, {"nksNoiSinh", "Huế"}},
        {{"so", "17"}, {"nksHoTen", "BÌNH"}, {"nksNoiSinh", "Vinh"}}},
       {false, true, false}},
      {"a jump in the numbering sends both neighbours to review",
       {{"Số", "Họ và tên", "Nơi sinh"}, {"15", "AN", "Huế"}, {"18", "BÌNH", "Vinh"}},
       {{{"so", "15"}, {"nksHoTen", "AN"}, {"nksNoiSinh", "Huế"}}, {{"so", "18"}, {"nksHoTen", "BÌNH"}, {"nksNoiSinh", "Vinh"}}},
       {true, true}},
      {"a column-number row read with OCR damage is not an entry",
       {{"Số", "Họ và tên", "Nơi sinh", "Giới tính"}, {"(q1)", "(2)", "q)", "@®)"}, {"15", "AN", "Huế", "Nam"}},
       {{{"so", "15"}, {"nksHoTen", "AN"}, {"nksNoiSinh", "Huế"}, {"nksGioiTinh", "Nam"}}},
       {false}},
      {"text under a header nobody can read goes to review",
       {{"Số", "Họ và tên", "Xyzw Qpk"}, {"15", "AN", "Kinh"}},
       {{{"so", "15"}, {"nksHoTen", "AN"}}},
       {true}},
      {"OCR punctuation after an entry number still reads as the number",
       {{"Số", "Họ và tên"}, {"15,", "AN"}, {"'16", "BÌNH"}},
       {{{"so", "15"}, {"nksHoTen", "AN"}}, {{"so", "'16"}, {"nksHoTen", "BÌNH"}}},
       {false, false}},
      {"a page whose number column is empty throughout is not doubtful for it",
       {{"Số", "Họ và tên", "Nơi sinh"}, {"", "AN", "Huế"}, {"", "BÌNH", "Vinh"}},
       {{{"nksHoTen", "AN"}, {"nksNoiSinh", "Huế"}}, {{"nksHoTen", "BÌNH"}, {"nksNoiSinh", "Vinh"}}},
       {false, false}},
      {"a signature column is no field",
       {{"Số", "Họ và tên", "Chữ ký"}, {"15", "AN", "An"}},
       {{{"so", "15"}, {"nksHoTen", "AN"}}},
       {false}},
  };
  for (auto& c : cases) {
    LedgerParse lp = parse_ledger(grid(c.rows), forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), c.expected.size()) << c.what;
    for (size_t i = 0; i < c.expected.size(); ++i) {
      EXPECT_EQ(values(lp.entries[i]), c.expected[i]) << c.what << ", entry " << i + 1;
      EXPECT_EQ(lp.entries[i].needs_review, c.review[i])
          << c.what << ", entry " << i + 1 << ": " << lp.entries[i].review_reason;
      EXPECT_EQ(lp.entries[i].index, int(i) + 1) << c.what;
    }
  }
}

// Rows that are not entries: marks in the empty ruled rows under the last
// entry, and the header written again. What is dropped is said in a note.
// A cell's second line ("trai" of "Con / trai") read as a mark, its box
// taken down by a faint stroke below it: the line is next to the value by
// its top, so the value read ("Con") is not accepted as the whole.
TEST(ParseLedger, TallLineUnderAValueThatReadNothingLeavesItUnreadable) {
  auto t = make_table(2, 3, {{0, 0, "Số"}, {0, 1, "Người đi khai"}, {0, 2, "Quan hệ"},
                             {1, 0, "12"}, {1, 1, "LÊ VIỆT THÁI"}, {1, 2, "Con\n:"}});
  for (auto& c : t.cells)
    if (c.row == 1 && c.col == 2) {
      c.lines[1].box.w = c.lines[1].words[0].box.w = 49;  // the mark and the stroke under it
      c.lines[1].box.h = c.lines[1].words[0].box.h = 176;
    }
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  const Field* rel = lp.entries[0].find("nycQuanHe");
  ASSERT_TRUE(rel);
  EXPECT_EQ(rel->flag.rfind("unreadable", 0), 0u) << rel->flag;
}

struct DropCase {
  const char* what;
  std::vector<std::vector<std::string>> rows;  // header row first
  std::vector<std::string> numbers;            // per entry, its "so" raw ("" = none read)
  std::vector<bool> review;                    // per entry
  int dropped;                                 // notes saying a row was dropped
};

TEST(ParseLedger, RowsThatAreNotEntriesTable) {
  using Row = std::vector<std::string>;
  const Row head = {"Số", "Ngày đăng ký", "Họ và tên", "Giới tính", "Ngày sinh", "Nơi sinh"};
  const Row e15 = {"15", "05/03/2009", "AN", "Nam", "01/03/2009", "Huế"};
  const Row e16 = {"16", "06/03/2009", "BÌNH", "Nữ", "02/03/2009", "Vinh"};
  const Row e17 = {"17", "07/03/2009", "CƯỜNG", "Nam", "03/03/2009", "Huế"};
  const std::string ink = kInkNoText;
  const DropCase cases[] = {
      {"a speck read as a letter in one cell under the last entry is dropped",
       {head, e15, e16, {"", "", "", "", "", "Í"}}, {"15", "16"}, {false, false}, 1},
      {"a stamp rim read as junk in the number cell and one more is dropped",
       {head, e15, e16, {"lo", "", "", "\\", "", ""}}, {"15", "16"}, {false, false}, 1},
      {"each marked empty row under the last entry is dropped",
       {head, e15, e16, {"", "", "Ị", "", "", ""}, {"", "", "", "", ink, "S"}}, {"15", "16"}, {false, false}, 2},
      {"pieces of broken column rules read as strokes close under a tall last entry are dropped",
       {head, e15, {"16", "06/03/2009", "BÌNH", "Nữ", "02/03/2009", "Xã Tân Hòa,\nHuyện Phú\nVang, Tỉnh\nThừa Thiên Huế"},
        {"", "", "", "l", "", "|"}},
       {"15", "16"}, {false, false}, 1},
      {"a stamp rim read as no word in two cells close under a tall last entry is dropped",
       {head, e15, {"16", "06/03/2009", "BÌNH", "Nữ", "02/03/2009", "Xã Tân Hòa,\nHuyện Phú\nVang, Tỉnh\nThừa Thiên Huế"},
        {"", "", "", "TS", "", "/."}},
       {"15", "16"}, {false, false}, 1},
      {"but a word there is the last entry's wrapped line, for review",
       {head, e15, {"16", "06/03/2009", "BÌNH", "Nữ", "02/03/2009", "Xã Tân Hòa,\nHuyện Phú\nVang, Tỉnh\nThừa Thiên"},
        {"", "", "", "", "", "Huế"}},
       {"15", "16"}, {false, true}, 0},
      {"rule remnants inking most cells of an empty row, no text read, are dropped",
       {head, e15, e16, {ink, ink, ink, "", ink, ink}}, {"15", "16"}, {false, false}, 1},
      {"an entry under the last one whose number was not read stays, for review",
       {head, e15, e16, {"", "07/03/2009", "CƯỜNG", "Nam", "03/03/2009", "Huế"}},
       {"15", "16", ""}, {false, false, true}, 0},
      {"so does one whose number cell has ink but no text",
       {head, e15, e16, {ink, "07/03/2009", "CƯỜNG", "Nam", "03/03/2009", "Huế"}},
       {"15", "16", ""}, {false, false, true}, 0},
      {"and one with half its cells filled (a partial entry)",
       {head, e15, e16, {"", "07/03/2009", "CƯỜNG", "", "", "Huế"}}, {"15", "16", ""}, {false, false, true}, 0},
      {"a sparse row between numbered entries stays: an entry that lost its number",
       {head, e15, {"", "", "CƯỜNG", "", "", ""}, e17}, {"15", "", "17"}, {false, true, false}, 0},
      {"a page read without numbers keeps its sparse rows, for review",
       {head, {"", "05/03/2009", "AN", "Nam", "01/03/2009", "Huế"}, {"", "", "", "", "", "Í"}},
       {"", ""}, {false, true}, 0},
      {"the header written again under the entries is not an entry",
       {head, e15, e16, head}, {"15", "16"}, {false, false}, 1},
      {"nor is it between entries (a page continued under a repeated header)",
       {head, e15, head, e16}, {"15", "16"}, {false, false}, 1},
      {"a header repeated with damage and blank cells is still the header",
       {head, e15, e16, {"Số", "đăng ký", "Họ và tên", "", "Ngày sinh", "Xyzw"}}, {"15", "16"}, {false, false}, 1},
      {"an entry with one value that reads like a header wording stays",
       {head, e15, {"16", "06/03/2009", "BÌNH", "Nữ", "02/03/2009", "Tại nơi cư trú"}}, {"15", "16"}, {false, false},
       0},
  };
  for (auto& c : cases) {
    LedgerParse lp = parse_ledger(grid(c.rows), forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), c.numbers.size()) << c.what;
    for (size_t i = 0; i < c.numbers.size(); ++i) {
      EXPECT_EQ(values(lp.entries[i])["so"], c.numbers[i]) << c.what << ", entry " << i + 1;
      EXPECT_EQ(lp.entries[i].needs_review, c.review[i])
          << c.what << ", entry " << i + 1 << ": " << lp.entries[i].review_reason;
      EXPECT_EQ(lp.entries[i].index, int(i) + 1) << c.what;
    }
    int dropped = int(std::count_if(lp.notes.begin(), lp.notes.end(), [](const std::string& n) {
      return n.find("dropped") != std::string::npos;
    }));
    EXPECT_EQ(dropped, c.dropped) << c.what;
  }
}

TEST(ParseLedger, ASubHeaderCellSpanningColumnsCountsOnceForTheSecondHeaderRow) {
  // A marriage page read from a photo: the wife's group title broke in two
  // ("Bên v" | "ợ"), the husband's combined header is damaged, and a missed
  // rule joined two sub-headers into one cell. The sub-header row is still
  // the header's second row, not an entry.
  auto t = make_table(3, 9, {{0, 0, "Số", 2, 1}, {0, 1, "Ngày đăng ký", 2, 1}, {0, 2, "BC GÂY m5 a«`^a ch /lÂ"},
                             {0, 5, "Bên v"}, {0, 6, "ợ"},
                             {1, 2, "#_ SH ru kg grgyng\ntộc, quốc tịch, nơi cư\ntrú của chồng"}, {1, 3, "Họ và tên"},
                             {1, 4, "Năm sinh"}, {1, 5, "Dân | Quốc\ntộc Ì tịch", 1, 2}, {1, 7, "Nơi cư trú"},
                             {1, 8, "Ghi chú"},
                             {2, 0, "65"}, {2, 1, "03/04/2019"}, {2, 3, "Nguyễn Kim Sa"}, {2, 4, "6/3/1992"},
                             {2, 5, "Kinh"}, {2, 6, "Việt Nam"}, {2, 7, "Đông Hồ, Hà Tiên"}});
  LedgerParse lp = parse_ledger(t, forms(), BookType::ket_hon);
  EXPECT_EQ(lp.header_rows, 2);
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(values(lp.entries[0])["so"], "65");
}

TEST(ParseLedger, CellsSpanningRowsAreSplitAtTheRowEdges) {
  // The rule between body rows 1 and 2 was missed in the number and place
  // columns only: those cells span both rows, each line in its own row.
  auto t = make_table(3, 3, {{0, 0, "Số"}, {0, 1, "Họ và tên"}, {0, 2, "Nơi sinh"},
                             {1, 0, "x", 2, 1}, {1, 1, "AN"}, {2, 1, "BÌNH"}, {1, 2, "x", 2, 1}});
  for (auto& cell : t.cells)
    if (cell.row == 1 && cell.row_span == 2) {
      std::string a = cell.col == 0 ? "7" : "Huế", b = cell.col == 0 ? "8" : "Vinh";
      cell.lines = {make_line(a, cell.box.x + 5, 1105, 90), make_line(b, cell.box.x + 5, 1205, 90)};
    }
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 2u);
  EXPECT_EQ(values(lp.entries[0]), (Values{{"so", "7"}, {"nksHoTen", "AN"}, {"nksNoiSinh", "Huế"}}));
  EXPECT_EQ(values(lp.entries[1]), (Values{{"so", "8"}, {"nksHoTen", "BÌNH"}, {"nksNoiSinh", "Vinh"}}));
  EXPECT_FALSE(lp.entries[0].needs_review) << lp.entries[0].review_reason;
}

TEST(ParseLedger, LostGroupTitleGoesToThePersonNotYetOnThePage) {
  // Marriage register: "Bên chồng" is read, the wife's title is damaged
  // beyond recognition; the second name/year group can only be hers.
  auto t = make_table(3, 5, {{0, 0, "Số", 2, 1}, {0, 1, "Bên chồng", 1, 2}, {0, 3, "Bèn ự~", 1, 2},
                             {1, 1, "Họ và tên"}, {1, 2, "Năm sinh"}, {1, 3, "Họ và tên"}, {1, 4, "Năm sinh"},
                             {2, 0, "3"}, {2, 1, "TRẦN QUỐC BẢO"}, {2, 2, "1988"}, {2, 3, "NGÔ THỊ HẠNH"}, {2, 4, "1992"}});
  LedgerParse lp = parse_ledger(t, forms(), BookType::ket_hon);
  EXPECT_EQ(column_keys(lp), (Keys{"so", "chongHoTen", "chongNgaySinh", "voHoTen", "voNgaySinh"}));
  // With no group found at all, nobody can tell: the columns stay unmapped
  // and their text sends the entry to review.
  auto u = make_table(3, 5, {{0, 0, "Số", 2, 1}, {0, 1, "ự~", 1, 2}, {0, 3, "Bèn ự~", 1, 2},
                             {1, 1, "Họ và tên"}, {1, 2, "Năm sinh"}, {1, 3, "Họ và tên"}, {1, 4, "Năm sinh"},
                             {2, 0, "3"}, {2, 1, "TRẦN QUỐC BẢO"}, {2, 2, "1988"}, {2, 3, "NGÔ THỊ HẠNH"}, {2, 4, "1992"}});
  lp = parse_ledger(u, forms(), BookType::ket_hon);
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_TRUE(lp.entries[0].needs_review);
}

TEST(ParseLedger, AFieldOfACombinedCellThatNoLineReadsAsIsUnreadable) {
  // The header names the year; the cell's year line was lost.
  auto t = grid({{"Số", "Họ tên, năm sinh, nơi cư trú của người mẹ"}, {"3", "TRẦN THỊ BÌNH\nXã Tân Hòa"}});
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  const Field* year = lp.entries[0].find("meNgaySinh");
  ASSERT_NE(year, nullptr);
  EXPECT_EQ(year->flag.rfind(flag::unreadable, 0), 0u) << year->flag;
  // Its siblings' split note says a part got no line (validation doubts
  // their list repairs).
  const Field* name = lp.entries[0].find("meHoTen");
  ASSERT_NE(name, nullptr);
  EXPECT_TRUE(name->flag.ends_with(kLinelessPart)) << name->flag;
  // An empty cell is an empty field, not an unreadable one.
  lp = parse_ledger(grid({{"Số", "Họ tên, năm sinh, nơi cư trú của người mẹ"}, {"3", ""}}), forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  ASSERT_NE(lp.entries[0].find("meNgaySinh"), nullptr);
  EXPECT_TRUE(lp.entries[0].find("meNgaySinh")->flag.empty());
}

// The rule under the column numbers was lost: the numbering row also holds
// the first entry, under the numbers. That entry is read, without them; a
// numbering row alone is no entry.
TEST(ParseLedger, FirstEntryUnderTheColumnNumbersInOneRow) {
  auto t = grid({{"Số", "Họ và tên", "Nơi sinh", "Ghi chú"},
                 {"(1)\n68", "(2)\nCAO KHÁNH AN", "(3)\nHuế", "(4)"},
                 {"69", "LÊ VĂN BA", "Huế", ""}});
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  EXPECT_EQ(lp.header_rows, 1);
  ASSERT_EQ(lp.entries.size(), 2u);
  EXPECT_EQ(values(lp.entries[0]), (Values{{"so", "68"}, {"nksHoTen", "CAO KHÁNH AN"}, {"nksNoiSinh", "Huế"}}));
  EXPECT_FALSE(lp.entries[0].needs_review);
  EXPECT_EQ(values(lp.entries[1])["so"], "69");
  lp = parse_ledger(grid({{"Số", "Họ và tên", "Nơi sinh", "Ghi chú"}, {"(1)", "(2)", "(3)", "(4)"},
                          {"68", "CAO KHÁNH AN", "Huế", ""}}),
                    forms(), BookType::khai_sinh);
  EXPECT_EQ(lp.header_rows, 2);
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(values(lp.entries[0])["so"], "68");
}

// The last column cut off with the page at the image's edge ("Quan hệ
// với người đi khai" read as scraps): its text is lost, but says nothing
// against the other columns, and sends no entry to review. Inside the
// image an unreadable column's text still does.
TEST(ParseLedger, UnreadColumnCutOffAtTheImageEdgeSendsNoEntryToReview) {
  for (bool off : {true, false}) {
    auto t = grid({{"Số", "Họ và tên", "Nơi sinh", "Qu. hí vó ngu"}, {"7", "LÊ AN", "Huế", "Ch"}});
    t.runs_off_right = off;
    LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), 1u);
    EXPECT_EQ(lp.entries[0].needs_review, !off) << lp.entries[0].review_reason;
    EXPECT_EQ(values(lp.entries[0])["nksHoTen"], "LÊ AN");
  }
}

TEST(ParseLedger, ColumnNumberInsideATallHeaderCell) {
  // The rule under the number column's header was missed: "Số" and "(1)"
  // are one cell spanning the header and the column-number rows.
  auto t = make_table(3, 3, {{0, 0, "x", 2, 1}, {0, 1, "Họ và tên"}, {0, 2, "Nơi sinh"},
                             {1, 1, "(2)"}, {1, 2, "(3)"}, {2, 0, "9"}, {2, 1, "AN"}, {2, 2, "Huế"}});
  t.cells[0].lines = {make_line("Số", 55, 1005, 90), make_line("(1)", 55, 1105, 90)};
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(lp.header_rows, 2);
  EXPECT_EQ(values(lp.entries[0]), (Values{{"so", "9"}, {"nksHoTen", "AN"}, {"nksNoiSinh", "Huế"}}));
}

TEST(ParseLedger, ALineReadAsNothingMakesTheValueIncomplete) {
  // The engine read the first line of the name and nothing on the second:
  // "NGUYỄN VĂN" alone must not be accepted as the name.
  auto t = grid({{"Số", "Họ và tên", "Nơi sinh"}, {"4", "NGUYỄN VĂN\nx", "Huế\nx"}});
  for (auto& cell : t.cells)
    if (cell.row == 1 && cell.lines.size() == 2) {
      cell.lines[1].words.clear();
      cell.lines[1].text.clear();
      // A word-sized line under the name; a speck under the place is no
      // line of text.
      auto& b = cell.lines[1].box;
      b = cell.col == 1 ? ocr::Box{b.x, b.y, 60, 20} : ocr::Box{b.x, b.y, 6, 5};
    }
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  const Field* name = lp.entries[0].find("nksHoTen");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->flag.rfind(flag::unreadable, 0), 0u) << name->flag;
  const Field* place = lp.entries[0].find("nksNoiSinh");
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place->raw, "Huế");
  EXPECT_TRUE(place->flag.empty()) << place->flag;
}

// A blank cell with faint marks in it (writing faded past reading) makes
// its field unreadable, not empty; such a cell alone makes no entry.
TEST(ParseLedger, FaintMarksInABlankCellAreNoEmptyValue) {
  auto t = grid({{"Số", "Họ và tên", "Ghi chú"}, {"4", "NGUYỄN VĂN AN", ""}, {"", "", ""}});
  for (auto& cell : t.cells)
    if (cell.col == 2 && cell.row >= 1) cell.faint_marks = true;
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
  ASSERT_EQ(lp.entries.size(), 1u);
  const Field* note = lp.entries[0].find("ghiChu");
  ASSERT_NE(note, nullptr);
  EXPECT_EQ(note->raw, "");
  EXPECT_EQ(note->flag.rfind(flag::unreadable, 0), 0u) << note->flag;
}

TEST(ParseLedger, LongCombinedHeaderWithSeveralDamagedWords) {
  const std::pair<const char*, const char*> cases[] = {
      {"Họ tên, năm sirh, dân tộc, quốc tịch, nơi cư trú của ng:rèi đã chết",
       "nktHoTen+nktNgaySinh+nktDanToc+nktQuocTich+nktNoiCuTru"},
      {"Họ tên, năm sinh, dân tộc, quốc tịch, nơi cư trú của người đã chết",
       "nktHoTen+nktNgaySinh+nktDanToc+nktQuocTich+nktNoiCuTru"},
      // Short headers get no such leniency. (With a word of a person's
      // mention still read, "Họ tên ng:rèi đã" for "Họ tên người đã chết",
      // the damaged-header reading maps it: tests/header_match_test.cpp.)
      {"Họ tên ng:rèi ẽo", ""},
  };
  for (auto& [header, keys] : cases) {
    LedgerParse lp = parse_ledger(grid({{"Số", header}, {"1", "AN"}}), forms(), BookType::khai_tu);
    EXPECT_EQ(column_keys(lp)[1], keys) << header;
  }
}

TEST(ParseLedger, WrappedNameBeforeADateInACombinedCell) {
  auto t = grid({{"Số", "Họ tên, năm sinh, dân tộc, nơi cư trú của người đã chết"},
                 {"3", "NGUYỄN SƯƠNG\nSƯƠNG\n19-05-1927\nHoa\nXóm Bắc, X. Trà Giác"}});
  LedgerParse lp = parse_ledger(t, forms(), BookType::khai_tu);
  ASSERT_EQ(lp.entries.size(), 1u);
  EXPECT_EQ(values(lp.entries[0]), (Values{{"so", "3"}, {"nktHoTen", "NGUYỄN SƯƠNG SƯƠNG"}, {"nktNgaySinh", "19-05-1927"},
                                           {"nktDanToc", "Hoa"}, {"nktNoiCuTru", "Xóm Bắc, X. Trà Giác"}}));
}

TEST(ParsePage, HeaderFieldsCarryTheirOwnWordsConfidence) {
  ocr::Page page;
  page.lines = {make_line("SỔ ĐĂNG KÝ KHAI SINH", 800, 150, 95), make_line("Quyển số: 01/2015", 100, 200, 95),
                make_line("UBND xã Tân Hòa, thành phô Huế", 100, 100, 95)};
  page.lines[2].words[5].conf = 40;  // "phô": the engine doubted it
  page.tables.push_back(grid({{"Số", "Họ và tên"}, {"1", "AN"}}));
  ParsedPage p = parse_page(page, forms(), BookContext{});
  ASSERT_EQ(p.entries.size(), 1u);
  const Field* where = p.entries[0].find("noiDangKy");
  ASSERT_NE(where, nullptr);
  EXPECT_EQ(where->raw, "UBND xã Tân Hòa, thành phô Huế");
  EXPECT_LT(where->conf, 0.9f);  // the line's conf (95) hid the doubted word
  EXPECT_EQ(where->box.x, 100);
  const Field* book = p.entries[0].find("quyenSo");
  ASSERT_NE(book, nullptr);
  EXPECT_FLOAT_EQ(book->conf, 0.95f);
  EXPECT_EQ(book->box.x, page.lines[1].words[2].box.x);  // the value's word, not the label's
}

}  // namespace
}  // namespace hotich::schema

namespace hotich::schema {
namespace {

// Centres the text of a header cell on x (a title printed centred over its
// group of columns, whatever cell its words fall in).
void centre_text(ocr::Table& t, int row, int col, int x) {
  for (auto& cell : t.cells)
    if (cell.row == row && cell.col == col)
      for (auto& l : cell.lines) {
        int shift = x - (l.box.x + l.box.w / 2);
        l.box.x += shift;
        for (auto& w : l.words) w.box.x += shift;
      }
}

// Whether the person a column's values belong to was read (from its own
// header or a group title over it) or assumed (running from the columns to
// its left, the register's default person) decides whether its values of a
// role several persons have may be accepted: an assumed person under a
// two-row header whose title over the column did not read sends them to
// review (conf 0), and only them.
TEST(ParseLedger, AColumnsPersonMustBeReadBeforeItsValuesAreAcceptedTable) {
  struct Case {
    const char* name;
    std::vector<CellDef> cells;
    int rows, cols;
    BookType type;
    Keys keys;                        // expected column keys
    std::vector<std::string> doubt;   // keys whose value must come with conf 0
    std::vector<std::string> sure;    // keys whose value keeps its OCR conf
    int title_col = -1;               // a top-row title printed centred over this column
  };
  const std::vector<Case> cases = {
      {"person read from a group title spanning the columns",
       {{0, 0, "Số", 2, 1}, {0, 1, "Họ và tên người cha", 2, 1}, {0, 2, "Người yêu cầu", 1, 3},
        {1, 2, "Họ tên"}, {1, 3, "Quan hệ"}, {1, 4, "Số CMND/CCCD"},
        {2, 0, "1"}, {2, 1, "LÊ VĂN AN"}, {2, 2, "LÊ VĂN AN"}, {2, 3, "Cha"}, {2, 4, "042076236412"}},
       3, 5, BookType::khai_sinh,
       {"so", "chaHoTen", "nycHoTen", "nycQuanHe", "nycSoGiayToTuyThan"},
       {},
       {"nycHoTen", "nycSoGiayToTuyThan", "chaHoTen"}},
      {"person read from the column's own header",
       {{0, 0, "Số"}, {0, 1, "Họ và tên người cha"}, {0, 2, "Họ tên người yêu cầu"}, {0, 3, "Quan hệ"},
        {0, 4, "Số CMND/CCCD của người yêu cầu"},
        {1, 0, "1"}, {1, 1, "LÊ VĂN AN"}, {1, 2, "LÊ VĂN AN"}, {1, 3, "Cha"}, {1, 4, "042076236412"}},
       2, 5, BookType::khai_sinh,
       {"so", "chaHoTen", "nycHoTen", "nycQuanHe", "nycSoGiayToTuyThan"},
       {},
       {"nycHoTen", "nycSoGiayToTuyThan"}},
      {"person running from the left under a one-row header: the page's convention",
       {{0, 0, "Số"}, {0, 1, "Họ và tên người mẹ"}, {0, 2, "Năm sinh"}, {0, 3, "Nơi cư trú"},
        {1, 0, "1"}, {1, 1, "TRẦN THỊ HOA"}, {1, 2, "1990"}, {1, 3, "Thôn 1"}},
       2, 4, BookType::khai_sinh,
       {"so", "meHoTen", "meNgaySinh", "meNoiCuTru"},
       {},
       {"meNgaySinh", "meNoiCuTru"}},
      {"group title broken into pieces over its columns: the running person is assumed",
       {{0, 0, "Số", 2, 1}, {0, 1, "Nơi cư trú của người cha", 2, 1}, {0, 2, "N"}, {0, 3, "gười"}, {0, 4, "âu cầu"},
        {1, 2, "Họ tên"}, {1, 3, "Quan hệ"}, {1, 4, "Số CMND/CCCD"},
        {2, 0, "1"}, {2, 1, "Thôn 1"}, {2, 2, "LÊ VĂN AN"}, {2, 3, "Cha"}, {2, 4, "042076236412"}},
       3, 5, BookType::khai_sinh,
       {"so", "chaNoiCuTru", "chaHoTen", "nycQuanHe", "chaSoGiayToTuyThan"},
       {"chaHoTen", "chaSoGiayToTuyThan"},
       {"chaNoiCuTru", "nycQuanHe"}},
      {"group title over columns whose rule under it is broken: tied by where it is centred",
       // The husband's "Giấy tờ tùy thân" spans both header rows, but the
       // layout found a rule through it; "Bên vợ" (its rule lost) is
       // centred over the wife's three columns, not over four.
       {{0, 0, "Số", 2, 1}, {0, 1, "Họ, chữ đệm, tên người chồng", 2, 1}, {0, 2, "Năm sinh", 2, 1},
        {1, 3, "Giấy tờ tùy thân"}, {1, 4, "Họ, chữ đệm, tên"}, {0, 5, "Bên vợ"}, {1, 5, "Ngày sinh"},
        {1, 6, "Giấy tờ tùy thân"},
        {2, 0, "4"}, {2, 1, "NGUYỄN PHÚ THỊNH"}, {2, 2, "1979"}, {2, 3, "288062267"}, {2, 4, "TRẦN NGỌC LỆ"},
        {2, 5, "30/09/1983"}, {2, 6, "067186492873"}},
       3, 7, BookType::ket_hon,
       {"so", "chongHoTen", "chongNgaySinh", "chongSoGiayToTuyThan", "voHoTen", "voNgaySinh", "voSoGiayToTuyThan"},
       {},
       {"chongSoGiayToTuyThan", "voHoTen", "voSoGiayToTuyThan"},
       5},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    ocr::Table t = make_table(c.rows, c.cols, c.cells);
    if (c.title_col >= 0)
      centre_text(t, 0, c.title_col, (t.col_edges[size_t(c.title_col)] + t.col_edges[size_t(c.title_col + 1)]) / 2);
    LedgerParse lp = parse_ledger(t, forms(), c.type);
    ASSERT_EQ(lp.entries.size(), 1u);
    EXPECT_EQ(column_keys(lp), c.keys);
    const Entry& e = lp.entries[0];
    EXPECT_FALSE(e.needs_review) << e.review_reason;
    for (auto& k : c.doubt) {
      const Field* f = e.find(k);
      ASSERT_NE(f, nullptr) << k;
      EXPECT_EQ(f->conf, 0.0f) << k;
      EXPECT_EQ(f->flag, "low_confidence: the column's person was assumed, not read") << k;
    }
    for (auto& k : c.sure) {
      const Field* f = e.find(k);
      ASSERT_NE(f, nullptr) << k;
      EXPECT_GT(f->conf, 0.5f) << k;
    }
  }
}

// A kind of field no column of a fully read ruling holds for anyone is not
// on the book's form (old marriage books have no ID columns): empty as
// written, conf 1. When a column is left unread, it may be that field's;
// when a column holds the kind for another person, that person may be
// misread: nothing is added, and validation marks the field "not found on
// the page".
TEST(ParseLedger, FieldsTheRulingDoesNotHoldTable) {
  struct Row {
    std::string last_header;  // of the fourth column
    bool complete, added;     // the ruling fully read; voSoGiayToTuyThan added
  };
  const Row rows[] = {{"Ghi chú", true, true}, {"Xqzt Wvbk", false, false}, {"Số CMND của chồng", true, false}};
  for (auto& r : rows) {
    auto t = grid({
        {"Số", "Ngày đăng ký", "Họ tên chồng", r.last_header},
        {"15", "05/03/2009", "NGUYỄN VĂN AN", "x"},
    });
    LedgerParse lp = parse_ledger(t, forms(), BookType::ket_hon);
    ASSERT_EQ(lp.entries.size(), 1u) << r.last_header;
    EXPECT_EQ(lp.plan.complete, r.complete) << r.last_header;
    const Field* id = lp.entries[0].find("voSoGiayToTuyThan");
    ASSERT_EQ(id != nullptr, r.added) << r.last_header;
    if (id) {
      EXPECT_EQ(id->raw, "");
      EXPECT_FLOAT_EQ(id->conf, 1.0f);
      EXPECT_TRUE(id->flag.empty());
    }
    EXPECT_EQ(lp.entries[0].find("quyenSo"), nullptr);  // book fields come from the page header
  }
}

// A serif "1" whose stem broke off reads as a quote: '"1' under 10 is entry
// 11. Only its own number goes to review (it stays as read); a mark that
// does not fit the sequence still sends both rows to review.
TEST(ParseLedger, EntryNumberWithABrokenLeadingOneTable) {
  struct Row {
    std::string third;
    bool reviewed;  // entries 2 and 3
  };
  const Row rows[] = {{"\"1", false}, {"'1", false}, {"\"3", true}, {"1", true}};
  for (auto& r : rows) {
    auto t = grid({
        {"Số", "Ngày đăng ký", "Họ và tên người được khai sinh"},
        {"9", "05/03/2009", "NGUYỄN VĂN AN"},
        {"10", "06/03/2009", "LÊ VĂN BA"},
        {r.third, "07/03/2009", "TRẦN VĂN CA"},
    });
    LedgerParse lp = parse_ledger(t, forms(), BookType::khai_sinh);
    ASSERT_EQ(lp.entries.size(), 3u) << r.third;
    EXPECT_EQ(lp.entries[1].needs_review, r.reviewed) << r.third << ": " << lp.entries[1].review_reason;
    EXPECT_EQ(lp.entries[2].needs_review, r.reviewed) << r.third << ": " << lp.entries[2].review_reason;
    EXPECT_EQ(values(lp.entries[2])["so"], r.third);
  }
}

// A word of marks only is a leader or a strike, and dropped, unless it
// scored nothing and is as tall as the line's letters and as wide as one:
// then it is a word the engine could not read ("Lê" run into a rule's
// remnant, read as "."), kept so its score counts against the value.
TEST(Pieces, AnUnreadWordOfMarksStaysALeaderGoesTable) {
  struct W {
    const char* text;
    float conf;
    int w, h;
  };
  struct Row {
    std::vector<W> words;
    const char* pieces;  // the pieces' texts, joined by '|'
  };
  const Row rows[] = {
      {{{".", 0, 43, 130}, {"Kim", 91, 57, 24}, {"Hằng", 97, 81, 35}}, ".|Kim|Hằng"},
      {{{"Kim", 91, 57, 24}, {"Hằng", 97, 81, 35}, {"_", 0, 8, 71}}, "Kim|Hằng"},     // a rule's remnant: thin
      {{{"Số:", 90, 40, 24}, {".......", 0, 120, 6}, {"96", 90, 30, 24}}, "Số|96"},   // a dot leader: low
      {{{"Số:", 90, 40, 24}, {".......", 0, 120, 30}, {"96", 90, 30, 24}}, "Số|96"},  // or boxed tall: a run
      {{{".", 80, 43, 130}, {"Kim", 91, 57, 24}, {"Hằng", 97, 81, 35}}, "Kim|Hằng"},  // read as a mark, surely
  };
  for (const Row& r : rows) {
    ocr::Line line;
    int x = 100;
    for (const W& w : r.words) {
      line.words.push_back({w.text, w.conf, {x, 1000, w.w, w.h}});
      if (!line.text.empty()) line.text += ' ';
      line.text += w.text;
      x += w.w + 10;
    }
    std::string got;
    for (const auto& p : detail::pieces_of(line)) {
      if (!got.empty()) got += '|';
      got += p.text;
    }
    EXPECT_EQ(got, r.pieces) << line.text;
  }
}

}  // namespace
}  // namespace hotich::schema
