// Form definitions: loading, specs, header/label mapping, book-type detection.
#include "schema/forms.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

namespace hotich::schema {
namespace {

using Keys = std::vector<std::string>;

const FormSet& forms() {
  static const FormSet f = FormSet::builtin();
  return f;
}

TEST(Forms, EmbeddedDefinitionsLoadAndCoverEveryExportKey) {
  // The contract's key list per book type (schema of the export).
  const std::map<BookType, Keys> expected = {
      {BookType::khai_sinh,
       {"so", "ngayDangKy", "quyenSo", "noiDangKy", "ghiChu", "nksHoTen", "nksGioiTinh", "nksNgaySinh",
        "nksNoiSinh", "nksQueQuan", "nksDanToc", "nksQuocTich", "meHoTen", "meNgaySinh", "meDanToc",
        "meQuocTich", "meNoiCuTru", "meSoGiayToTuyThan", "chaHoTen", "chaNgaySinh", "chaDanToc",
        "chaQuocTich", "chaNoiCuTru", "chaSoGiayToTuyThan", "nycHoTen", "nycQuanHe", "nycSoGiayToTuyThan"}},
      {BookType::ket_hon,
       {"so", "ngayDangKy", "quyenSo", "noiDangKy", "ghiChu", "chongHoTen", "chongNgaySinh", "chongDanToc",
        "chongQuocTich", "chongNoiCuTru", "chongSoGiayToTuyThan", "voHoTen", "voNgaySinh", "voDanToc",
        "voQuocTich", "voNoiCuTru", "voSoGiayToTuyThan"}},
      {BookType::khai_tu,
       {"so", "ngayDangKy", "quyenSo", "noiDangKy", "ghiChu", "nktHoTen", "nktGioiTinh", "nktNgaySinh",
        "nktDanToc", "nktQuocTich", "nktNoiCuTru", "nktSoGiayToTuyThan", "nktNgayChet", "nktNoiChet",
        "nktNguyenNhanChet", "nycHoTen", "nycQuanHe", "nycSoGiayToTuyThan"}},
  };
  for (auto& [type, keys] : expected) {
    Keys got;
    for (auto& s : forms().specs(type)) got.push_back(s.key);
    EXPECT_EQ(got, keys) << to_string(type);
  }
  EXPECT_TRUE(forms().specs(BookType::unknown).empty());
}

TEST(Forms, FieldTypesAndRequiredFlagsComeFromTheData) {
  struct Case { BookType type; const char* key; FieldType ft; bool required; };
  const Case cases[] = {
      {BookType::khai_sinh, "so", FieldType::entry_number, true},
      {BookType::khai_sinh, "ngayDangKy", FieldType::date, true},
      {BookType::khai_sinh, "nksHoTen", FieldType::name, true},
      {BookType::khai_sinh, "nksGioiTinh", FieldType::gender, true},
      {BookType::khai_sinh, "meNgaySinh", FieldType::year_or_date, false},
      {BookType::khai_sinh, "nksDanToc", FieldType::ethnic, false},
      {BookType::khai_sinh, "nycQuanHe", FieldType::relation, false},
      {BookType::khai_sinh, "chaSoGiayToTuyThan", FieldType::id_number, false},
      {BookType::ket_hon, "voQuocTich", FieldType::nationality, false},
      {BookType::khai_tu, "nktNgayChet", FieldType::date, true},
      {BookType::khai_tu, "nktNoiChet", FieldType::place, false},
      {BookType::khai_tu, "nktNguyenNhanChet", FieldType::text, false},
  };
  for (auto& c : cases) {
    auto specs = forms().specs(c.type);
    auto it = std::find_if(specs.begin(), specs.end(), [&](auto& s) { return s.key == c.key; });
    ASSERT_NE(it, specs.end()) << c.key;
    EXPECT_EQ(it->type, c.ft) << c.key;
    EXPECT_EQ(it->required, c.required) << c.key;
  }
}

// A row per header wording: book type, group title in force, cell text, keys.
struct HeaderCase {
  BookType type;
  const char* group;
  const char* text;
  Keys keys;
};

TEST(Forms, HeaderCellMapping) {
  const BookType KS = BookType::khai_sinh, KH = BookType::ket_hon, KT = BookType::khai_tu;
  const HeaderCase cases[] = {
      // Generator wordings.
      {KS, "", "Số", {"so"}},
      {KS, "", "Số TT", {"so"}},
      {KS, "", "STT", {"so"}},
      {KS, "", "mm STT", {"so"}},              // a speck read as letters before the wording
      {KS, "", "Số TT nn", {"so"}},
      {KS, "", "Số đăng ký", {"so"}},
      {KS, "", "Số thứ tự", {"so"}},
      {KS, "", "Ngày, tháng, năm đăng ký", {"ngayDangKy"}},
      {KS, "", "Ngày đăng ký", {"ngayDangKy"}},
      {KS, "", "Ngày tháng năm đăng ký", {"ngayDangKy"}},
      {KS, "", "Họ và tên", {"nksHoTen"}},
      {KS, "", "Họ và tên người được khai sinh", {"nksHoTen"}},
      {KS, "", "Họ, chữ đệm, tên người được khai sinh", {"nksHoTen"}},
      {KS, "", "Giới tính", {"nksGioiTinh"}},
      {KS, "", "Nam/Nữ", {"nksGioiTinh"}},
      {KS, "", "Ngày, tháng, năm sinh", {"nksNgaySinh"}},
      {KS, "", "Ngày sinh", {"nksNgaySinh"}},
      {KS, "", "Nơi sinh", {"nksNoiSinh"}},
      {KS, "", "Quê quán", {"nksQueQuan"}},
      {KS, "", "Dân tộc", {"nksDanToc"}},
      {KS, "", "Quốc tịch", {"nksQuocTich"}},
      {KS, "me", "Họ và tên", {"meHoTen"}},
      {KS, "me", "Năm sinh", {"meNgaySinh"}},
      {KS, "me", "Dân tộc", {"meDanToc"}},
      {KS, "me", "Nơi cư trú", {"meNoiCuTru"}},
      {KS, "me", "Số CMND/CCCD", {"meSoGiayToTuyThan"}},
      {KS, "cha", "Quốc tịch", {"chaQuocTich"}},
      {KS, "", "Họ tên, năm sinh, nơi cư trú của người mẹ", {"meHoTen", "meNgaySinh", "meNoiCuTru"}},
      {KS, "", "Họ tên, năm sinh, dân tộc, quốc tịch, nơi cư trú của người cha",
       {"chaHoTen", "chaNgaySinh", "chaDanToc", "chaQuocTich", "chaNoiCuTru"}},
      {KS, "", "Họ tên người đi khai sinh", {"nycHoTen"}},
      {KS, "", "Người đi khai", {"nycHoTen"}},
      {KS, "", "Người yêu cầu", {"nycHoTen"}},
      {KS, "", "Quan hệ với người được khai sinh", {"nycQuanHe"}},
      {KS, "", "Số CMND/CCCD người đi khai", {"nycSoGiayToTuyThan"}},
      {KS, "", "Ghi chú", {"ghiChu"}},
      // Wordings beyond the generator's.
      {KS, "", "Họ và tên mẹ", {"meHoTen"}},
      {KS, "", "Năm sinh của cha", {"chaNgaySinh"}},
      {KS, "", "Nơi thường trú của mẹ", {"meNoiCuTru"}},
      {KS, "", "Số định danh cá nhân của người cha", {"chaSoGiayToTuyThan"}},
      {KS, "", "Họ, chữ đệm và tên người yêu cầu", {"nycHoTen"}},
      {KS, "", "Mối quan hệ", {"nycQuanHe"}},
      {KS, "", "Ghi chú thay đổi, cải chính, bổ sung", {"ghiChu"}},
      {KS, "", "Ngày, tháng, năm đăng ký khai sinh", {"ngayDangKy"}},
      {KS, "", "Số vào sổ", {"so"}},
      {KS, "", "(1) Số", {"so"}},
      {KS, "", "Số hiệu đăng ký", {"so"}},
      {KS, "", "Họ và tên của trẻ em được khai sinh", {"nksHoTen"}},
      {KS, "", "Số giấy CMND của người đi khai", {"nycSoGiayToTuyThan"}},
      {KS, "", "Giới tính (Nam/Nữ)", {"nksGioiTinh"}},
      {KT, "", "Nơi chết (địa điểm)", {"nktNoiChet"}},
      {KT, "", "Nơi cư trú trước khi chết", {"nktNoiCuTru"}},
      {KH, "", "Dân tộc, quốc tịch của vợ", {"voDanToc", "voQuocTich"}},
      {KH, "chong", "Họ và tên", {"chongHoTen"}},
      {KH, "vo", "Ngày, tháng, năm sinh", {"voNgaySinh"}},
      {KH, "", "Nơi cư trú của vợ", {"voNoiCuTru"}},
      {KH, "", "Họ và tên chồng", {"chongHoTen"}},
      {KH, "", "Họ và tên", {}},  // a marriage has no default person
      {KT, "", "Họ và tên người chết", {"nktHoTen"}},
      {KT, "", "Ngày, tháng, năm chết", {"nktNgayChet"}},
      {KT, "", "Ngày chết", {"nktNgayChet"}},
      {KT, "", "Nơi chết", {"nktNoiChet"}},
      {KT, "", "Nguyên nhân chết", {"nktNguyenNhanChet"}},
      {KT, "", "Nơi cư trú cuối cùng", {"nktNoiCuTru"}},
      {KT, "nkt", "Năm sinh", {"nktNgaySinh"}},
      {KT, "", "Họ tên người đi khai tử", {"nycHoTen"}},
      {KT, "", "Quan hệ với người chết", {"nycQuanHe"}},
      {KT, "", "Ngày mất", {"nktNgayChet"}},
      // OCR damage: lost accents, letters swapped, words merged or split.
      {KS, "", "Ngay, thang, nam dang ky", {"ngayDangKy"}},
      {KS, "", "Ngàv thánq năm đăng kỷ", {"ngayDangKy"}},
      {KS, "", "Ho va ten nguoi duoc khai sinh", {"nksHoTen"}},
      {KS, "", "Họvà tên", {"nksHoTen"}},
      {KS, "", "Nơi cu trú của người rnẹ", {"meNoiCuTru"}},
      {KS, "me", "Sô CMND/CCCD", {"meSoGiayToTuyThan"}},
      {KS, "", "Quốc tich", {"nksQuocTich"}},
      {KS, "", "Gh1 chú", {"ghiChu"}},
      {KT, "", "Nguyen nhan chet", {"nktNguyenNhanChet"}},
      {KT, "nkt", "Giấy từ tùy thân", {"nktSoGiayToTuyThan"}},  // one short word off in four
      // Not a header.
      {KS, "", "NGUYỄN VĂN AN", {}},
      {KS, "", "Xã Tân Hòa, Huyện Phú Vang", {}},
      {KS, "", "15/2015", {}},
  };
  for (auto& c : cases) {
    PhraseMatch m = forms().map_header_cell(c.type, c.text, c.group);
    Keys keys = m.keys;
    if (m.person_only) keys = {forms().key_for(c.type, m.person, "hoTen")};
    EXPECT_EQ(keys, c.keys) << to_string(c.type) << " [" << c.group << "] \"" << c.text << "\"";
  }
}

TEST(Forms, PersonMentionsForGroupTitlesAndSectionHeadings) {
  struct Case { BookType type; const char* text; const char* person; };
  const Case cases[] = {
      {BookType::khai_sinh, "Người mẹ", "me"},
      {BookType::khai_sinh, "Mẹ", "me"},
      {BookType::khai_sinh, "Họ tên mẹ", "me"},
      {BookType::khai_sinh, "PHẦN KHAI VỀ NGƯỜI MẸ", "me"},
      {BookType::khai_sinh, "II. NGƯỜI CHA", "cha"},
      {BookType::khai_sinh, "Người cha", "cha"},
      {BookType::khai_sinh, "Người được khai sinh", "nks"},
      {BookType::khai_sinh, "Người đi khai sinh", "nyc"},
      {BookType::khai_sinh, "Người yêu cầu", "nyc"},
      {BookType::ket_hon, "Bên chồng", "chong"},
      {BookType::ket_hon, "BÊN VỢ", "vo"},
      {BookType::khai_tu, "Người đã chết", "nkt"},
      {BookType::khai_tu, "Người được khai tử", "nkt"},
      {BookType::khai_tu, "Người chết", "nkt"},
      {BookType::khai_sinh, "Họ và tên", ""},
      {BookType::khai_sinh, "Dân tộc", ""},
      {BookType::khai_sinh, "NGUYỄN VĂN MẸ AN", ""},
      {BookType::ket_hon, "Nam", "chong"},
      {BookType::ket_hon, "1. Bên chồng", "chong"},
      {BookType::ket_hon, "9 năm 1996", ""},  // a date's second line: "năm" is no heading "Nam"
      {BookType::ket_hon, "năm 1996", ""},
      {BookType::khai_sinh, "Người mẹ (3)", "me"},  // a column number
  };
  for (auto& c : cases) EXPECT_EQ(forms().person_of(c.type, c.text), c.person) << c.text;
}

TEST(Forms, LabelsTakeTheSectionPerson) {
  struct Case { const char* section; const char* label; const char* key; };
  const Case cases[] = {
      {"nks", "Dân tộc", "nksDanToc"},
      {"me", "Dân tộc", "meDanToc"},
      {"cha", "Dân tộc", "chaDanToc"},
      {"me", "Năm sinh", "meNgaySinh"},
      {"nyc", "Họ và tên", "nycHoTen"},
      {"nyc", "Quan hệ với người được khai sinh", "nycQuanHe"},
      {"me", "Số", "so"},  // entry fields ignore the section
      {"me", "Ghi chú", "ghiChu"},
      {"me", "Họ và tên người cha", "chaHoTen"},  // a mention in the label wins
  };
  for (auto& c : cases) {
    PhraseMatch m = forms().map_label(BookType::khai_sinh, c.label, c.section);
    EXPECT_EQ(m.keys, Keys{c.key}) << c.section << " / " << c.label;
  }
  // A role the section's person lacks goes to the only person who has it,
  // else nowhere.
  EXPECT_EQ(forms().map_label(BookType::khai_sinh, "Quan hệ", "me").keys, Keys{"nycQuanHe"});
  EXPECT_TRUE(forms().map_label(BookType::khai_sinh, "Số CMND", "nks").keys.empty());
  EXPECT_TRUE(forms().map_label(BookType::ket_hon, "Giới tính", "vo").keys.empty());
  // Labels allow no unknown words (the form parser tries word spans).
  EXPECT_FALSE(forms().map_label(BookType::khai_sinh, "Kinh Quốc tịch", "nks").matched());
}

TEST(Forms, BookTypeDetection) {
  struct Case { std::vector<std::string> lines; BookType type; };
  const Case cases[] = {
      {{"SỔ ĐĂNG KÝ KHAI SINH"}, BookType::khai_sinh},
      {{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỔ ĐĂNG KÝ KẾT HÔN", "Quyển số: 01/2015"}, BookType::ket_hon},
      {{"UBND xã Tân Hòa", "SỔ ĐĂNG KÝ KHAI TỬ"}, BookType::khai_tu},
      {{"SỔ KHAI SINH"}, BookType::khai_sinh},
      {{"ĐĂNG KÝ KHAI SINH"}, BookType::khai_sinh},
      {{"SO DANG KY KHAI TU"}, BookType::khai_tu},
      {{"SỐ ĐĂNG KÝ KÊT HÔN"}, BookType::ket_hon},      // OCR: Ổ->Ố, Ế->Ê
      {{"S0 ĐANG KY KHAl SINH"}, BookType::khai_sinh},   // OCR: 0 for O, l for I
      {{"SỔ ĐĂNG KÝ KHAI SINH NĂM 2015"}, BookType::khai_sinh},
      {{"Trang 12", "Quyển số: 01"}, BookType::unknown},
      {{}, BookType::unknown},
  };
  for (auto& c : cases)
    EXPECT_EQ(forms().detect_book_type(c.lines), c.type) << (c.lines.empty() ? "" : c.lines[0]);
}

TEST(Forms, LoadDirMatchesBuiltinAndReportsBadData) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("hotich_forms_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (auto& [path, text] : embedded_files())
    if (path.rfind("schema/forms/", 0) == 0) std::ofstream(dir / fs::path(path).filename()) << text;
  FormSet loaded = FormSet::load_dir(dir.string());
  for (BookType t : {BookType::khai_sinh, BookType::ket_hon, BookType::khai_tu})
    EXPECT_EQ(loaded.specs(t).size(), forms().specs(t).size());

  // Adding a wording is a data change: a new header wording maps at once.
  const char* wording = "Tên gọi khai sinh của trẻ";
  EXPECT_TRUE(loaded.map_header_cell(BookType::khai_sinh, wording, "").keys.empty());
  {
    std::ifstream in(dir / "common.json");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    auto at = text.find("\"Họ và tên\",");
    ASSERT_NE(at, std::string::npos);
    text.insert(at, "\"Tên gọi khai sinh\", ");
    std::ofstream(dir / "common.json") << text;
  }
  EXPECT_EQ(FormSet::load_dir(dir.string()).map_header_cell(BookType::khai_sinh, wording, "").keys,
            Keys{"nksHoTen"});

  // Setup faults throw with the file and the problem named.
  struct Bad { const char* text; const char* message; };
  const Bad bad[] = {
      {"{ not json", "bad JSON"},
      {R"({"type": "khai_sinh", "titles": [], "persons": {"a": []}, "fields": [{"key": "x", "type": "colour", "person": "a", "role": "hoTen"}]})",
       "unknown type \"colour\""},
      {R"({"type": "khai_sinh", "titles": [], "persons": {"a": []}, "fields": [{"key": "x", "type": "name", "person": "b", "role": "hoTen"}]})",
       "unknown person"},
      {R"({"type": "birth", "titles": [], "persons": {}, "fields": []})", "unknown book type"},
  };
  for (auto& b : bad) {
    std::ofstream(dir / "khai_sinh.json") << b.text;
    try {
      FormSet::load_dir(dir.string());
      ADD_FAILURE() << "no error for " << b.text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(b.message), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("khai_sinh.json"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(FormSet::load_dir((dir / "missing").string()), std::runtime_error);
  fs::remove_all(dir);
}

TEST(Forms, MatchKey) {
  EXPECT_EQ(match_key("Nam/Nữ"), "nam nu");
  EXPECT_EQ(match_key("  Ngày, tháng, năm ĐĂNG KÝ: "), "ngay thang nam dang ky");
  EXPECT_EQ(match_key("Số CMND/CCCD"), "so cmnd cccd");
}

}  // namespace
}  // namespace hotich::schema
