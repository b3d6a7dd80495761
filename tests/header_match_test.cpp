// Damaged ledger headers: FormSet::match_damaged and its use by the ledger
// parser, and a column plan inherited from an earlier page of the book.
#include <gtest/gtest.h>

#include "schema/forms.hpp"
#include "schema/parse.hpp"
#include "tests/text_lines.hpp"

namespace hotich::schema {
namespace {

using Keys = std::vector<std::string>;

const FormSet& forms() { return testing::builtin_forms(); }

// A row per damaged header: book type, person in force, cell text (as OCR
// read it), keys already held by other columns of the page, the key
// expected ("" = must stay unmapped).
struct DamagedCase {
  BookType type;
  const char* person;
  const char* text;
  Keys taken;
  const char* key;
};

TEST(HeaderMatch, DamagedHeaderCells) {
  const Keys kt_page = {"so", "ngayDangKy", "nktHoTen", "nktGioiTinh", "nktNgaySinh", "nktDanToc", "nktNoiCuTru",
                        "nktNgayChet", "nktNoiChet"};
  Keys kh_all = {"so", "ngayDangKy", "noiDangKy", "quyenSo", "chongSoGiayToTuyThan", "chongNoiCuTru"};
  const Keys kh_page = {"so", "ngayDangKy", "chongNgaySinh", "chongDanToc", "chongNoiCuTru", "voHoTen", "voNgaySinh"};
  const DamagedCase cases[] = {
      // Readable words unique to one open field.
      {BookType::khai_tu, "nkt", "Ms: sšs¿Â. nhân chết", kt_page, "nktNguyenNhanChet"},
      {BookType::khai_tu, "nkt", "Ms: sšs¿Â. nhân chết", {}, "nktNguyenNhanChet"},
      {BookType::khai_tu, "nkt", "Giới tính tí...", {"so", "nktHoTen"}, "nktGioiTinh"},
      {BookType::khai_tu, "nkt", "s chú", kt_page, "ghiChu"},
      {BookType::khai_tu, "", "Ghi chu#@ ~~ a", kt_page, "ghiChu"},
      {BookType::khai_sinh, "me", "quốc tịch~~ ¿Â%", {"meHoTen"}, "meQuocTich"},
      {BookType::khai_sinh, "nks", "Ngày, tháng, năm ~~~ ~~~", {"so", "ngayDangKy"}, "nksNgaySinh"},
      {BookType::khai_tu, "nkt", "Nơi x chết ~", kt_page, ""},  // nktNoiChet is taken: nothing left it fits
      {BookType::khai_tu, "nkt", "Nguyên x~ nhân", {"so"}, "nktNguyenNhanChet"},
      // Once the page's other columns are read, one field is left to a word.
      {BookType::ket_hon, "chong", "Họ, se \"Í~", kh_all, "chongHoTen"},
      {BookType::khai_tu, "nyc", "số ND", {"so", "ngayDangKy", "quyenSo", "nycHoTen"}, "nycSoGiayToTuyThan"},
      // No person in force: a field only one person has, or a mention read.
      {BookType::khai_tu, "", "Ms: sšs¿Â. nhân chết", {"so"}, "nktNguyenNhanChet"},
      {BookType::khai_tu, "", "Họ tên ng:rèi đã", {"so"}, "nktHoTen"},  // "đã" of "người đã chết"
      {BookType::khai_tu, "", "Họ tên ng:rèi", {"so"}, ""},             // the deceased's or the registrant's
      // A damaged group title over a sub-header, in one cell.
      {BookType::khai_tu, "", "Người yêu Họ, chữ đệm, tên", {"so", "nktHoTen"}, "nycHoTen"},
      {BookType::khai_tu, "nkt", "Người yêu Họ, chữ đệm, tên", {"so", "nktHoTen"}, "nycHoTen"},  // over the running person
      {BookType::ket_hon, "", "Ngày sinh ~~ vợ", {"so", "ngayDangKy"}, "voNgaySinh"},
      {BookType::ket_hon, "", "Ngày sinh ~~ x", {"so", "ngayDangKy"}, ""},  // the husband's or the wife's
      // "chết" names the deceased, but the cause is taken: "nhân" alone is
      // no identity number while "chết" stays unexplained.
      {BookType::khai_tu, "", "Ms: sšs¿Â. nhân chết", {"so", "nktNguyenNhanChet"}, ""},
      // Ambiguous: the word fits several open fields about equally.
      {BookType::ket_hon, "chong", "Họ, se \"Í~", {"so"}, ""},
      // "Hộ" is also a word of "Số hộ chiếu" and "Cơ quan đăng ký hộ tịch".
      {BookType::ket_hon, "chong", "Họ, se \"Í~", kh_page, ""},
      // "Số" also begins "Quyển số" and ends "Ngày vào sổ".
      {BookType::khai_tu, "nyc", "số ND", {"so", "nycHoTen", "nycQuanHe"}, ""},
      // "Ngày, tháng, năm" begins both the registration and the birth date.
      {BookType::khai_sinh, "", "Ngày, tháng, năm ~~~ ~~~", {"so"}, ""},
      {BookType::khai_tu, "nkt", "chết ~~ x", {"so"}, ""},
      {BookType::khai_sinh, "", "Ngày x~ y", {"so"}, ""},
      {BookType::ket_hon, "", "Họ và tn", {"so", "ngayDangKy"}, ""},  // husband's or wife's
      // A word cut short by a stamp ("thườ" of "thường"), the rest debris.
      {BookType::ket_hon, "vo", "Nơi thườ.;t+Ú ¬ {", kh_page, "voNoiCuTru"},
      {BookType::ket_hon, "", "Nơi thườ.;t+Ú ¬ {", kh_page, "voNoiCuTru"},
      // Foreign or unreadable headers.
      {BookType::khai_tu, "nkt", "Số điện thoại", {"so"}, ""},
      {BookType::khai_sinh, "", "Cột lạ", {}, ""},
      {BookType::khai_sinh, "", "~~ ¿Â. (3)", {}, ""},
      {BookType::khai_sinh, "", "", {}, ""},
      {BookType::khai_tu, "nkt", "Nghề nghiệp", {"so"}, ""},
      {BookType::khai_tu, "nkt", "Ms: sšs¿Â. nhân chết", {"nktNguyenNhanChet"}, ""},  // its field is taken
  };
  for (auto& c : cases) {
    PhraseMatch m = forms().match_damaged(c.type, c.text, c.person, c.taken);
    Keys want = *c.key ? Keys{c.key} : Keys{};
    EXPECT_EQ(m.keys, want) << to_string(c.type) << " [" << c.person << "] '" << c.text << "'";
  }
}

// A ruled table from rows of cell texts: columns `width` px wide from x0,
// rows 100 px high; "" = a blank cell.
ocr::Table grid(const std::vector<std::vector<std::string>>& rows, int x0 = 50, int width = 300) {
  ocr::Table t;
  const int n = int(rows[0].size());
  for (size_t r = 0; r <= rows.size(); ++r) t.row_edges.push_back(1000 + int(r) * 100);
  for (int c = 0; c <= n; ++c) t.col_edges.push_back(x0 + c * width);
  t.box = {x0, 1000, n * width, int(rows.size()) * 100};
  for (size_t r = 0; r < rows.size(); ++r)
    for (int c = 0; c < n; ++c) {
      ocr::Cell cell;
      cell.row = int(r);
      cell.col = c;
      cell.box = {x0 + c * width, 1000 + int(r) * 100, width, 100};
      const std::string& text = rows[r][size_t(c)];
      cell.blank = text.empty();
      if (!text.empty()) cell.lines.push_back(testing::make_line(text, cell.box.x + 5, cell.box.y + 5));
      t.cells.push_back(cell);
    }
  return t;
}

using testing::column_keys;

TEST(HeaderMatch, DamagedHeadersInALedger) {
  struct Case {
    BookType type;
    std::vector<std::string> headers;
    Keys keys;        // expected per column, "" = unmapped
    bool review;      // the entry goes to review (text in an unmapped column)
  };
  const Case cases[] = {
      {BookType::khai_tu,
       {"Số", "Họ và tên", "Ngày chết", "Ms: sšs¿Â. nhân chết", "Người đi khai", "s chú"},
       {"so", "nktHoTen", "nktNgayChet", "nktNguyenNhanChet", "nycHoTen", "ghiChu"},
       false},
      // The registrant's group title lost: the name column goes to the one
      // person whose name is open, and the id number next to it follows.
      {BookType::khai_tu,
       {"Số", "Họ và tên", "Ng Họ, chữ đệm, tên", "Số CMND"},
       {"so", "nktHoTen", "nycHoTen", "nycSoGiayToTuyThan"},
       false},
      // The registrant's title split over two cells by a missed merge.
      {BookType::khai_tu,
       {"Số", "Họ và tên người chết", "Ngày chết", "Người yêu Họ, chữ đệm, tên", "cầu Quan hệ"},
       {"so", "nktHoTen", "nktNgayChet", "nycHoTen", "nycQuanHe"},
       false},
      // "Họ" alone: a name, a household address or a passport number.
      {BookType::khai_tu, {"Số", "Họ và tên", "Ngày chết", "Họ, se ~ ẽo"}, {"so", "nktHoTen", "nktNgayChet", ""}, true},
      // Nothing readable: stays unmapped.
      {BookType::khai_tu, {"Số", "Họ và tên", "Ngày chết", "~~ ¿Â §"}, {"so", "nktHoTen", "nktNgayChet", ""}, true},
  };
  for (auto& c : cases) {
    std::vector<std::string> body = {"7", "AN", "BA", "CU", "DO", "EM"};
    body.resize(c.headers.size());
    LedgerParse lp = parse_ledger(grid({c.headers, body}), forms(), c.type);
    EXPECT_EQ(column_keys(lp), c.keys) << c.headers.back();
    ASSERT_EQ(lp.entries.size(), 1u) << c.headers.back();
    EXPECT_EQ(lp.entries[0].needs_review, c.review) << c.headers.back() << ": " << lp.entries[0].review_reason;
    EXPECT_EQ(lp.plan.complete, !c.review) << c.headers.back();
  }
}

TEST(HeaderMatch, SameRuling) {
  const std::vector<int> a = {50, 350, 650, 950, 1250};
  struct Case {
    std::vector<int> b;
    bool same;
  };
  const Case cases[] = {
      {a, true},
      {{10, 460, 910, 1360, 1810}, true},   // another resolution and margin: positions are relative
      {{50, 355, 655, 945, 1250}, true},    // rules within 2 % of the width
      {{50, 350, 750, 950, 1250}, false},   // a rule moved by 8 % of the width
      {{50, 350, 650, 950}, false},         // one column fewer
      {{50, 50, 50, 50, 50}, false},        // no width
  };
  for (auto& c : cases) EXPECT_EQ(same_ruling(a, c.b), c.same) << c.b[1];
}

TEST(HeaderMatch, ColumnPlanOfAnEarlierPage) {
  const std::vector<std::string> clean = {"Số", "Họ và tên", "Ngày chết", "Nguyên nhân chết"};
  const std::vector<std::string> body = {"7", "LÊ VĂN AN", "02/03/2018", "Bệnh"};
  LedgerParse first = parse_ledger(grid({clean, body}), forms(), BookType::khai_tu);
  ASSERT_TRUE(first.plan.complete);
  EXPECT_FALSE(first.plan.inherited);
  EXPECT_EQ(first.plan.keys.size(), 4u);
  ColumnPlan incomplete = first.plan;
  incomplete.complete = false;
  ColumnPlan other_type = first.plan;
  other_type.type = BookType::khai_sinh;
  const Keys inherited = {"so", "nktHoTen", "nktNgayChet", "nktNguyenNhanChet"};
  const Keys own = {"so", "nktHoTen", "", "nktNguyenNhanChet"};

  struct Case {
    const char* what;
    std::vector<std::string> headers;
    int x0, width;  // this page's ruling
    std::vector<ColumnPlan> known;
    Keys keys;
    bool inherited;
  };
  const std::vector<std::string> damaged = {"Số", "Họ và tên", "~~ ¿Â §", "Nguyên nhân chết"};
  const Case cases[] = {
      {"same ruling", damaged, 50, 300, {first.plan}, inherited, true},
      {"same ruling, photographed larger", damaged, 120, 450, {first.plan}, inherited, true},
      {"the first plan that fits", damaged, 50, 300, {other_type, first.plan}, inherited, true},
      {"no earlier page", damaged, 50, 300, {}, own, false},
      {"the earlier page was incomplete", damaged, 50, 300, {incomplete}, own, false},
      {"another register type", damaged, 50, 300, {other_type}, own, false},
      {"this page maps a column otherwise", {"Số", "Họ và tên", "~~ ¿Â §", "Nơi chết"}, 50, 300, {first.plan},
       {"so", "nktHoTen", "", "nktNoiChet"}, false},
      {"a complete page keeps its own reading", {"Số", "Họ và tên", "Nơi chết", "Nguyên nhân chết"}, 50, 300,
       {first.plan}, {"so", "nktHoTen", "nktNoiChet", "nktNguyenNhanChet"}, false},
  };
  for (auto& c : cases) {
    LedgerParse lp = parse_ledger(grid({c.headers, body}, c.x0, c.width), forms(), BookType::khai_tu, c.known);
    EXPECT_EQ(column_keys(lp), c.keys) << c.what;
    EXPECT_EQ(lp.plan.inherited, c.inherited) << c.what;
    ASSERT_EQ(lp.entries.size(), 1u) << c.what;
    EXPECT_EQ(lp.entries[0].needs_review, c.keys[2].empty()) << c.what << ": " << lp.entries[0].review_reason;
    if (c.inherited) {
      ASSERT_NE(lp.entries[0].find("nktNgayChet"), nullptr) << c.what;
      EXPECT_EQ(lp.entries[0].find("nktNgayChet")->raw, "02/03/2018") << c.what;
    }
  }

  // A column moved: the ruling differs, the page keeps its own reading.
  ocr::Table moved = grid({damaged, body});
  moved.col_edges[2] += 60;
  LedgerParse lp = parse_ledger(moved, forms(), BookType::khai_tu, {first.plan});
  EXPECT_FALSE(lp.plan.inherited);
  EXPECT_EQ(column_keys(lp), own);
}

TEST(HeaderMatch, ParsePageUsesAndReportsPlans) {
  ocr::Page page;
  page.width = 1400;
  page.height = 2000;
  page.tables.push_back(grid({{"Số", "Họ và tên", "Ngày chết", "Nguyên nhân chết"}, {"7", "AN", "02/03/2018", "Bệnh"}}));
  BookContext book;
  book.type = BookType::khai_tu;
  ParsedPage first = parse_page(page, forms(), book);
  ASSERT_EQ(first.plans.size(), 1u);
  EXPECT_TRUE(first.plans[0].complete);
  page.tables[0] = grid({{"Số", "Họ và tên", "~~ ¿Â §", "Nguyên nhân chết"}, {"8", "BA", "05/03/2018", "Già"}});
  ParsedPage alone = parse_page(page, forms(), book);
  ASSERT_EQ(alone.plans.size(), 1u);
  EXPECT_FALSE(alone.plans[0].complete);
  ParsedPage second = parse_page(page, forms(), book, nullptr, first.plans);
  ASSERT_EQ(second.plans.size(), 1u);
  EXPECT_TRUE(second.plans[0].inherited);
  ASSERT_EQ(second.entries.size(), 1u);
  EXPECT_FALSE(second.entries[0].needs_review) << second.entries[0].review_reason;
  ASSERT_NE(second.entries[0].find("nktNgayChet"), nullptr);
  EXPECT_EQ(second.entries[0].find("nktNgayChet")->raw, "05/03/2018");
}

}  // namespace
}  // namespace hotich::schema
