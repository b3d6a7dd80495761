// Page header: title -> book type, "Quyển số", authority, page number.
#include <gtest/gtest.h>

#include "schema/parse.hpp"
#include "tests/text_lines.hpp"

namespace hotich::schema {
namespace {

using testing::builtin_forms;
using testing::make_line;

std::vector<ocr::Line> make_lines(const std::vector<std::string>& texts) {
  std::vector<ocr::Line> out;
  int y = 50;
  for (auto& t : texts) {
    out.push_back(make_line(t, 100, y));
    y += 30;
  }
  return out;
}

struct Case {
  std::vector<std::string> lines;
  BookType type;
  std::string quyenSo, noiDangKy, trangSo;
};

TEST(PageHeader, Table) {
  const Case cases[] = {
      {{"UBND xã Tân Hòa, huyện Phú Vang, tỉnh Thừa Thiên Huế", "SỔ ĐĂNG KÝ KHAI SINH", "Quyển số: 01/2015",
        "Trang 12"},
       BookType::khai_sinh, "01/2015", "UBND xã Tân Hòa, huyện Phú Vang, tỉnh Thừa Thiên Huế", "12"},
      {{"SỔ ĐĂNG KÝ KẾT HÔN", "Ủy ban nhân dân phường Bến Nghé", "Quyển số 03 / 2018", "- 7 -"},
       BookType::ket_hon, "03/2018", "Ủy ban nhân dân phường Bến Nghé", "7"},
      {{"SỔ ĐĂNG KÝ KHAI TỬ", "Quyển số: 2/2010   Trang số: 45", "Nơi đăng ký: UBND thị trấn Phú Đa"},
       BookType::khai_tu, "2/2010", "UBND thị trấn Phú Đa", "45"},
      // The authority wraps onto a second line.
      {{"UBND xã Tân Hòa,", "huyện Phú Vang, tỉnh Thừa Thiên Huế", "SỔ KHAI SINH"},
       BookType::khai_sinh, "", "UBND xã Tân Hòa, huyện Phú Vang, tỉnh Thừa Thiên Huế", ""},
      {{"UBND xã Tân Hòa", "huyện Phú Vang, tỉnh Thừa Thiên Huế", "SỔ KHAI SINH"},
       BookType::khai_sinh, "", "UBND xã Tân Hòa huyện Phú Vang, tỉnh Thừa Thiên Huế", ""},
      // It wraps where its line was full, at any word: the second line
      // starts under the first. A second authority or a label there is no
      // second line of it.
      {{"UBND XÃ BÌNH NHÌ, HUYỆN GÒ CÔNG TÂY, TỈNH", "TIỀN GIANG", "SỔ ĐĂNG KÝ KẾT HÔN"},
       BookType::ket_hon, "", "UBND XÃ BÌNH NHÌ, HUYỆN GÒ CÔNG TÂY, TỈNH TIỀN GIANG", ""},
      {{"Ủy ban nhân dân phường 1, quận Gò Vấp, thành phố Hồ Chí", "Minh", "SỔ ĐĂNG KÝ KẾT HÔN"},
       BookType::ket_hon, "", "Ủy ban nhân dân phường 1, quận Gò Vấp, thành phố Hồ Chí Minh", ""},
      {{"UBND HUYỆN PHÚ VANG", "UBND XÃ TÂN HÒA", "SỔ ĐĂNG KÝ KHAI SINH"},
       BookType::khai_sinh, "", "UBND HUYỆN PHÚ VANG", ""},
      {{"UBND xã Tân Hòa, huyện Phú Vang", "Số: 45", "SỔ ĐĂNG KÝ KHAI SINH"},
       BookType::khai_sinh, "", "UBND xã Tân Hòa, huyện Phú Vang", ""},
      // Specks and a flourish under the authority are no second line of it.
      {{"UBND thị trấn Ngô Mây, huyện Phù Cát, tỉnh Bình Định", "x __“ _ ^42N x— —_", "SỔ ĐĂNG KÝ KẾT HÔN"},
       BookType::ket_hon, "", "UBND thị trấn Ngô Mây, huyện Phù Cát, tỉnh Bình Định", ""},
      // OCR noise: lost accents, a misread letter, a dot leader.
      {{"UBND xa Tan Hoa", "S0 DANG KY KHAl SINH", "Quyen so:....... 05/2009", "Trang: 3"},
       BookType::khai_sinh, "05/2009", "UBND xa Tan Hoa", "3"},
      {{"Uỷ ban nhân dân xã Phú Mỹ", "SỔ ĐĂNG KÝ KHAI SINH", "Quyền số: 1/2003"},
       BookType::khai_sinh, "1/2003", "Uỷ ban nhân dân xã Phú Mỹ", ""},
      {{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "— 112 —"},
       BookType::unknown, "", "", "112"},
      // Dates and ranges are not page numbers.
      {{"Ngày 05 tháng 3 năm 2009", "2015 - 2016"}, BookType::unknown, "", "", ""},
      {{}, BookType::unknown, "", "", ""},
  };
  const FormSet forms = FormSet::builtin();
  for (auto& c : cases) {
    PageHeader h = parse_page_header(make_lines(c.lines), forms);
    std::string where = c.lines.empty() ? "(no lines)" : c.lines[0];
    EXPECT_EQ(h.book_type, c.type) << where;
    EXPECT_EQ(h.quyenSo, c.quyenSo) << where;
    EXPECT_EQ(h.noiDangKy, c.noiDangKy) << where;
    EXPECT_EQ(h.trangSo, c.trangSo) << where;
  }
}

// On a deskewed photo the page number at the far right, and specks on the
// way, share the authority's text line; a wide gap ends the authority.
// "Nha Trang" is a city, not the page-number wording.
TEST(PageHeader, AuthorityEndsAtAWideGap) {
  const Case cases[] = {
      {{"UBND xã Trà Giác, tỉnh Quảng Nam                                   ái ạ -12-"}, BookType::unknown, "",
       "UBND xã Trà Giác, tỉnh Quảng Nam", ""},
      {{"UBND XÃ VĨNH THÁI, THÀNH PHỐ NHA TRANG, TỈNH KHÁNH HÒA"}, BookType::unknown, "",
       "UBND XÃ VĨNH THÁI, THÀNH PHỐ NHA TRANG, TỈNH KHÁNH HÒA", ""},
      {{"UBND xã Vĩnh Thái  Trang 4"}, BookType::unknown, "", "UBND xã Vĩnh Thái", "4"},
      // Gaps of a few letters are still one phrase.
      {{"UBND xã  Trà Giác,   huyện Bắc Trà My"}, BookType::unknown, "", "UBND xã Trà Giác, huyện Bắc Trà My", ""},
  };
  for (auto& c : cases) {
    PageHeader h = parse_page_header(make_lines(c.lines), builtin_forms());
    EXPECT_EQ(h.noiDangKy, c.noiDangKy) << c.lines[0];
    EXPECT_EQ(h.trangSo, c.trangSo) << c.lines[0];
  }
}

TEST(PageHeader, LinesWithoutWordsUseTheLineText) {
  ocr::Line l;
  l.text = "Quyển số: 07/2001";
  l.conf = 80;
  l.box = {10, 10, 300, 20};
  PageHeader h = parse_page_header({l}, FormSet::builtin());
  EXPECT_EQ(h.quyenSo, "07/2001");
}

}  // namespace
}  // namespace hotich::schema
