// Validation: confidence combination, per-field flags, cross-field rules and
// book-level entry numbering. A row per case.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <sstream>

#include "schema/text.hpp"
#include "schema/validate.hpp"

using namespace hotich::schema;

namespace {

// The tables below fix the threshold they were written for, so that a
// recalibration of the defaults does not silently change what they test.
ValidateOptions opts() {
  ValidateOptions o;
  o.current_year = 2025;
  o.threshold = 0.80f;
  o.lexicon_threshold = 0.80f;  // one threshold for every kind, as written
  o.free_text_threshold = 0.95f;
  return o;
}

std::string flag_kind(const Field& f) { return f.flag.substr(0, f.flag.find(':')); }

// An entry from key -> raw with one OCR confidence for all fields.
Entry make_entry(const std::map<std::string, std::string>& raw, float conf = 0.95f) {
  Entry e;
  e.index = 1;
  for (auto& [k, v] : raw) {
    Field f;
    f.key = k;
    f.raw = v;
    f.conf = conf;
    e.fields.push_back(f);
  }
  return e;
}

const std::vector<FieldSpec> kBirth = {
    {"so", FieldType::entry_number, true},     {"ngayDangKy", FieldType::date, true},
    {"nksHoTen", FieldType::name, true},       {"nksGioiTinh", FieldType::gender, true},
    {"nksNgaySinh", FieldType::date, true},    {"nksNoiSinh", FieldType::place, false},
    {"nksDanToc", FieldType::ethnic, false},   {"nksQuocTich", FieldType::nationality, false},
    {"meHoTen", FieldType::name, false},       {"meNgaySinh", FieldType::year_or_date, false},
    {"meQuocTich", FieldType::nationality, false},
    {"meSoGiayToTuyThan", FieldType::id_number, false},
    {"chaHoTen", FieldType::name, false},      {"chaNgaySinh", FieldType::year_or_date, false},
    {"chaSoGiayToTuyThan", FieldType::id_number, false},
    {"nycHoTen", FieldType::name, false},      {"nycQuanHe", FieldType::relation, false},
    {"nycSoGiayToTuyThan", FieldType::id_number, false},
    {"ghiChu", FieldType::text, false},
};

}  // namespace

TEST(CombineConfidence, Table) {
  struct Row { float ocr, cert, want; };
  const Row rows[] = {
      {1.0f, 1.0f, 1.0f}, {0.9f, 1.0f, 0.9f}, {0.9f, 0.9f, 0.81f}, {0.0f, 1.0f, 0.0f},
      {95.0f, 1.0f, 0.95f},  // Tesseract 0..100 scale
      {1.5f, 1.0f, 0.015f},  // >1 is read as percent
      {-1.0f, 1.0f, 0.0f},   {1.0f, 2.0f, 1.0f},
  };
  for (auto& r : rows) EXPECT_NEAR(combine_confidence(r.ocr, r.cert), r.want, 1e-5) << r.ocr << " " << r.cert;
}

TEST(ValidateField, FlagTable) {
  Lexicons lex;
  BookContext book{BookType::khai_sinh, "01/2015", "", 2015};
  struct Row {
    FieldType type;
    const char* raw;
    float ocr;
    bool required;
    const char* preflag;  // flag set by the page parser
    const char* value;
    const char* flag;     // "" = accepted
  };
  const Row rows[] = {
      {FieldType::date, "05/03/2015", 0.95f, true, "", "2015-03-05", ""},
      {FieldType::date, "05/03/2015", 0.70f, true, "", "2015-03-05", "low_confidence"},
      {FieldType::date, "30/02/2015", 0.95f, true, "", "30/02/2015", "invalid"},
      {FieldType::date, "112/2015", 0.95f, true, "", "112/2015", "ambiguous_repair"},
      {FieldType::date, "O5/O3/2O15", 0.95f, true, "", "2015-03-05", "low_confidence"},  // 3 repairs
      {FieldType::date, "", 0.0f, true, "", "", "empty_required"},
      {FieldType::date, "", 0.0f, false, "", "", ""},
      {FieldType::date, "", 0.0f, true, "unreadable", "", "unreadable"},
      {FieldType::gender, "Nu", 0.95f, true, "", "Nữ", ""},                 // 0.95 * 0.9 = 0.855
      {FieldType::gender, "Nan", 0.95f, true, "", "Nam", "low_confidence"},  // edit repair
      {FieldType::name, "NGUYEN VAN AN", 0.99f, true, "", "NGUYEN VAN AN", "low_confidence"},
      {FieldType::name, "Trần Thị Mai", 0.9f, true, "", "Trần Thị Mai", ""},
      {FieldType::relation, "Bá", 0.95f, false, "", "Bá", "ambiguous_repair"},
      {FieldType::ethnic, "Kinh", 0.95f, false, "", "Kinh", ""},
      {FieldType::id_number, "099085001234", 0.95f, false, "", "099085001234", "invalid"},
      {FieldType::entry_number, "15", 0.95f, true, "", "15", ""},
  };
  for (auto& r : rows) {
    Entry e = make_entry({{"x", r.raw}}, r.ocr);
    e.fields[0].flag = r.preflag;
    validate_entry(e, {{"x", r.type, r.required}}, lex, book, opts());
    EXPECT_EQ(e.fields[0].value, r.value) << r.raw;
    EXPECT_EQ(flag_kind(e.fields[0]), r.flag) << r.raw << " flag: " << e.fields[0].flag;
  }
}

// Free text is held to its own, stricter threshold; the book-level text
// fields (quyenSo, noiDangKy) and typed fields to the general one.
TEST(ValidateField, FreeTextThresholdTable) {
  Lexicons lex;
  struct Row {
    const char* key;
    FieldType type;
    const char* raw;
    float ocr;
    const char* flag;
  };
  const Row rows[] = {
      {"nktNguyenNhanChet", FieldType::text, "Viêm gan siêu vi", 0.96f, ""},
      {"nktNguyenNhanChet", FieldType::text, "Viêm gan siêu vi", 0.94f, "low_confidence"},
      {"ghiChu", FieldType::text, "Đăng ký lại theo bản gốc", 0.90f, "low_confidence"},  // no stock wording
      {"ghiChu", FieldType::text, "Đăng ký lại", 0.90f, ""},  // a stock wording: known_phrase_threshold
      {"quyenSo", FieldType::book_number, "01/2015", 0.90f, ""},
      {"noiDangKy", FieldType::text, "Phòng Tư pháp huyện Phú Vang", 0.90f, ""},
      {"nktDanToc", FieldType::ethnic, "Kinh", 0.90f, ""},
      {"nktDanToc", FieldType::ethnic, "Kinh", 0.75f, "low_confidence"},
  };
  for (auto& r : rows) {
    Entry e = make_entry({{r.key, r.raw}}, r.ocr);
    validate_entry(e, {{r.key, r.type, false}}, lex, {}, opts());
    EXPECT_EQ(flag_kind(e.fields[0]), r.flag) << r.key << " " << r.raw << " " << e.fields[0].conf;
  }
}

// The calibrated defaults keep their documented order.
TEST(ValidateOptions, CalibratedDefaults) {
  ValidateOptions o;
  EXPECT_GT(o.threshold, 0.5f);
  EXPECT_LT(o.threshold, o.free_text_threshold);
  EXPECT_LT(o.free_text_threshold, 1.0f);
  EXPECT_TRUE(o.flag_missing);
  EXPECT_LE(o.lexicon_threshold, o.threshold);
  EXPECT_LE(o.confirmed_place_threshold, o.lexicon_threshold);
}

// Kinds whose whole value a closed list checks take lexicon_threshold;
// names, digits (dates, ID and entry numbers) and free text keep theirs.
TEST(ValidateField, LexiconThresholdTable) {
  Lexicons lex;
  std::istringstream csv(
      "level,code,name,type,parent_code\n"
      "1,11,Điện Biên,Tỉnh,\n"
      "2,103,Nậm Pồ,Huyện,11\n");
  ASSERT_TRUE(lex.load_gazetteer_csv(csv).ok());
  ValidateOptions o = opts();
  o.threshold = 0.70f;
  o.lexicon_threshold = 0.60f;
  struct Row {
    FieldSpec spec;
    const char* raw;
    float conf;
    const char* flag;
  };
  const Row rows[] = {
      // A district-level place: below the commune, so not "confirmed whole".
      {{"nksNoiSinh", FieldType::place, false}, "Huyện Nậm Pồ, Tỉnh Điện Biên", 0.65f, ""},
      {{"nksNoiSinh", FieldType::place, false}, "Huyện Nậm Pồ, Tỉnh Điện Biên", 0.55f, "low_confidence"},
      {{"nksHoTen", FieldType::name, true}, "Nguyễn Văn An", 0.65f, "low_confidence"},  // names keep threshold
      {{"nksDanToc", FieldType::ethnic, false}, "Kinh", 0.65f, ""},
      {{"nksQuocTich", FieldType::nationality, false}, "Việt Nam", 0.65f, ""},
      {{"nksGioiTinh", FieldType::gender, true}, "Nữ", 0.65f, ""},
      {{"nksNgaySinh", FieldType::date, true}, "05/03/2009", 0.65f, "low_confidence"},
      {{"meSoGiayToTuyThan", FieldType::id_number, false}, "012345678", 0.65f, "low_confidence"},
      {{"so", FieldType::entry_number, true}, "15", 0.65f, "low_confidence"},
      {{"ghiChu", FieldType::text, false}, "Đăng ký lại", 0.65f, "low_confidence"},
  };
  for (auto& r : rows) {
    Entry e = make_entry({{r.spec.key, r.raw}}, r.conf);
    validate_entry(e, {r.spec}, lex, {BookType::khai_sinh, "", "", 2009}, o);
    EXPECT_EQ(flag_kind(*e.find(r.spec.key)), r.flag) << r.spec.key << " " << r.raw << " " << e.find(r.spec.key)->flag;
  }
}

TEST(ValidateField, MissingRequiredFieldIsAdded) {
  Lexicons lex;
  Entry e = make_entry({});
  ValidateOptions o = opts();
  o.flag_missing = false;
  validate_entry(e, {{"so", FieldType::entry_number, true}, {"ghiChu", FieldType::text, false}}, lex, {}, o);
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].key, "so");
  EXPECT_EQ(e.fields[0].flag, flag::empty_required);
}

// A field the parser never located is unknown, not empty: flagged (default),
// while a field seen empty (present with raw "") is accepted as absent.
TEST(ValidateField, MissingOptionalFieldTable) {
  Lexicons lex;
  struct Row {
    bool present;       // the parser produced the field (raw "")
    bool flag_missing;  // the option
    bool expect_field;  // the entry has the field afterwards
    const char* flag;
  };
  const Row rows[] = {
      {true, true, true, ""},
      {true, false, true, ""},
      {false, true, true, "low_confidence: not found on the page"},
      {false, false, false, ""},
  };
  for (auto& r : rows) {
    Entry e = r.present ? make_entry({{"meDanToc", ""}}) : make_entry({});
    ValidateOptions o = opts();
    o.flag_missing = r.flag_missing;
    validate_entry(e, {{"meDanToc", FieldType::ethnic, false}}, lex, {}, o);
    const Field* f = e.find("meDanToc");
    ASSERT_EQ(f != nullptr, r.expect_field) << r.present << r.flag_missing;
    if (f) {
      EXPECT_EQ(f->flag, r.flag) << r.present << r.flag_missing;
      EXPECT_EQ(f->value, "");
    }
  }
}

// noiDangKy is text, but after "UBND"/"Ủy ban nhân dân" it is a place: a
// misread unit, a truncated line or a page number glued to it sends it to
// review; a mark the gazetteer is sure of is repaired, as in any place.
TEST(ValidateField, AuthorityCheckedAgainstTheGazetteer) {
  Lexicons lex;
  std::istringstream csv(
      "level,code,name,type,parent_code\n"
      "1,11,Điện Biên,Tỉnh,\n"
      "2,103,Nậm Pồ,Huyện,11\n"
      "3,3160,Pa Tần,Xã,103\n"
      "1,56,Khánh Hòa,Tỉnh,\n"
      "2,568,Nha Trang,Thành phố,56\n"
      "3,22366,Vĩnh Thái,Xã,568\n");
  ASSERT_TRUE(lex.load_gazetteer_csv(csv).ok());
  struct Row {
    const char* raw;
    const char* flag;  // kind
    const char* value = nullptr;  // nullptr: as read
  };
  const Row rows[] = {
      {"UBND xã Pa Tần, huyện Nậm Pồ, tỉnh Điện Biên", ""},
      {"UBND xã Pa Tân, huyện Nậm Pồ, tỉnh Điện Biên", "", "UBND xã Pa Tần, huyện Nậm Pồ, tỉnh Điện Biên"},
      {"UBND XÃ PA TÂN, HUYỆN NẬM PỒ, TỈNH ĐIỆN BIÊN", "", "UBND XÃ PA TẦN, HUYỆN NẬM PỒ, TỈNH ĐIỆN BIÊN"},
      {"UBND XÃ PA TẦN, HUYỆN NẬM PỒ, TỈNH ĐIỆN BIÊN", ""},
      {"Ủy ban nhân dân xã Vĩnh Thái, thành phố Nha Trang, tỉnh Khánh Hòa", ""},
      {"UBND XÃ PA TẦN, HUYỆN NẬM ĐỒ, TỈNH ĐIỆN BIÊN", "low_confidence",       // misread unit: a letter
       "UBND XÃ PA TẦN, HUYỆN NẬM PỒ, TỈNH ĐIỆN BIÊN"},                         // repaired, still doubted
      {"UBND xã Pa Tần, huyện Nậm Pồ, tỉnh Điện Biên -57-", "low_confidence"},  // page number glued
      {"UBND XÃ VĨNH THÁI, THÀNH PHỐ NHA", "low_confidence"},                  // truncated
      {"ỦY BAN NHÂN DÂN XÃ VĨNH THÁI, THÀNH PHỐ NHA TRANG, TỈNH KHÁNH HÒA", ""},
      {"Uỷ ban nhân dân xã Vĩnh Thái, thành phố Nha Trang, tỉnh Khánh Hòa", ""},  // old tone placement
      {"ỦY BẠN NHÂN DÂN XÃ VĨNH THÁI, THÀNH PHỐ NHA TRANG, TỈNH KHÁNH HÒA", "low_confidence"},  // a mark misread
      {"Phòng Tư pháp", ""},  // not an authority wording: plain text rules
  };
  for (auto& r : rows) {
    Entry e = make_entry({{"noiDangKy", r.raw}}, 0.97f);
    validate_entry(e, {{"noiDangKy", FieldType::text, false}}, lex, {}, opts());
    EXPECT_EQ(flag_kind(e.fields[0]), r.flag) << r.raw << " -> " << e.fields[0].flag << " " << e.fields[0].conf;
    EXPECT_EQ(e.fields[0].value, r.value ? std::string(r.value) : hotich::schema::clean_text(r.raw));
  }
}

// quyenSo is a book's number: a year cut short is no book number
// (invalid), a fraction slash is the slash.
TEST(ValidateField, BookNumberHasItsShapeTable) {
  Lexicons lex;
  struct Row {
    const char* raw;
    const char* value;
    const char* flag;
  };
  const Row rows[] = {
      {"01/2015", "01/2015", ""},
      {"01/201", "", "invalid"},
      {"01⁄2009", "01/2009", ""},
      {"01/2O15", "", "invalid"},
  };
  for (auto& r : rows) {
    Entry e = make_entry({{"quyenSo", r.raw}}, 0.95f);
    validate_entry(e, {{"quyenSo", FieldType::book_number, false}}, lex, {}, opts());
    EXPECT_EQ(flag_kind(e.fields[0]), r.flag) << r.raw << " -> " << e.fields[0].flag;
    if (*r.value) {
      EXPECT_EQ(e.fields[0].value, r.value) << r.raw;
    }
  }
}

// The parser flags an entry number that breaks its page's sequence ("3"
// above 54, 55, 56); validation, which sees one entry, keeps that flag,
// and a number the parser had no rule against is accepted as before.
TEST(ValidateField, ThePagesSequenceRuleOnAnEntryNumberStands) {
  Lexicons lex;
  for (bool broken : {true, false}) {
    Entry e = make_entry({{"so", "3"}}, 0.97f);
    if (broken) e.fields[0].flag = std::string(flag::failed_rule) + ": entry number read as 3 before 54";
    validate_entry(e, {{"so", FieldType::entry_number, true}}, lex, {}, opts());
    EXPECT_EQ(flag_kind(e.fields[0]), broken ? "failed_rule" : "") << e.fields[0].flag;
    EXPECT_EQ(e.fields[0].value, "3");
  }
}

TEST(ValidateField, ForeignSpouseNameIsNotSyllableChecked) {
  Lexicons lex;
  std::vector<FieldSpec> specs = {{"chongHoTen", FieldType::name, true}, {"chongQuocTich", FieldType::nationality, false},
                                  {"voHoTen", FieldType::name, true}, {"voQuocTich", FieldType::nationality, false}};
  Entry e = make_entry({{"chongHoTen", "KIM JONG SU"}, {"chongQuocTich", "Hàn Quốc"},
                        {"voHoTen", "KIM JONG SU"}, {"voQuocTich", "Việt Nam"}});
  validate_entry(e, specs, lex, {BookType::ket_hon, "", "", 0}, opts());
  EXPECT_EQ(e.find("chongHoTen")->flag, "");
  EXPECT_EQ(flag_kind(*e.find("voHoTen")), "low_confidence");
}

// Specks the OCR adds around "Việt Nam", or a nationality read as garbage,
// do not make a person foreign (which would switch the Vietnamese name
// checks off); only another country does.
TEST(ValidateField, NationalityNoiseKeepsNameChecksTable) {
  Lexicons lex;
  std::vector<FieldSpec> specs = {{"voHoTen", FieldType::name, true}, {"voQuocTich", FieldType::nationality, false}};
  struct Row {
    const char* nationality;
    const char* name;
    const char* flag;  // expected flag kind on the name
  };
  const Row rows[] = {
      {"Việt Nam", "Võ Như Mai", ""},
      {"Việt Nam", "VẼ Như Mai", "low_confidence"},    // unknown surname
      {"/Việt Nam", "VẼ Như Mai", "low_confidence"},   // still Vietnamese
      {"Việt Nam.", "VẼ Như Mai", "low_confidence"},
      {"", "VẼ Như Mai", "low_confidence"},
      {"“hỏa", "VẼ Như Mai", "low_confidence"},        // a nationality read as garbage is no country
      {"Hàn Quốc", "KIM JI WON", ""},                  // foreign: no Vietnamese checks
  };
  for (auto& r : rows) {
    Entry e = make_entry({{"voHoTen", r.name}, {"voQuocTich", r.nationality}});
    validate_entry(e, specs, lex, {BookType::ket_hon, "", "", 0}, opts());
    EXPECT_EQ(flag_kind(*e.find("voHoTen")), r.flag) << r.nationality << " / " << r.name << ": " << e.find("voHoTen")->flag;
  }
}

TEST(ValidateField, EmptyFieldOfAWrittenPersonTable) {
  Lexicons lex;
  struct Row {
    std::map<std::string, std::string> raw;
    const char* key;
    const char* flag;
  };
  const Row rows[] = {
      {{{"meHoTen", "Lê Thị Hoa"}, {"meNoiCuTru", ""}}, "meNoiCuTru", "low_confidence"},
      {{{"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", ""}}, "meNgaySinh", "low_confidence"},
      {{{"meHoTen", ""}, {"meNoiCuTru", ""}}, "meNoiCuTru", ""},              // no mother written
      {{{"meHoTen", "Lê Thị Hoa"}, {"meSoGiayToTuyThan", ""}}, "meSoGiayToTuyThan", ""},  // IDs are often blank
      {{{"nycHoTen", "Lê Văn Ba"}, {"nycQuanHe", ""}}, "nycQuanHe", "low_confidence"},
      {{{"nksHoTen", "Lê Văn An"}, {"ghiChu", ""}}, "ghiChu", ""},
      // The name line lost while the rest of the person's block was read.
      {{{"chaHoTen", ""}, {"chaSoGiayToTuyThan", "064098754965"}}, "chaHoTen", "low_confidence"},
      {{{"chaHoTen", ""}, {"chaNgaySinh", ""}, {"chaSoGiayToTuyThan", "064098754965"}}, "chaNgaySinh",
       "low_confidence"},
      {{{"chaHoTen", ""}, {"chaSoGiayToTuyThan", ""}}, "chaHoTen", ""},  // no father written
  };
  std::vector<FieldSpec> specs = kBirth;
  specs.push_back({"meNoiCuTru", FieldType::place, false});
  for (auto& r : rows) {
    Entry e = make_entry(r.raw);
    std::vector<FieldSpec> present;
    for (auto& sp : specs)
      if (r.raw.count(sp.key)) present.push_back(sp);
    ValidateOptions o = opts();
    o.flag_missing = false;
    validate_entry(e, present, lex, {BookType::khai_sinh, "", "", 0}, o);
    EXPECT_EQ(flag_kind(*e.find(r.key)), r.flag) << r.key << ": " << e.find(r.key)->flag;
  }
}

TEST(ValidatePage, HollowEntriesGoToReviewTable) {
  Lexicons lex;
  struct Row {
    std::map<std::string, std::string> raw;
    bool review;
  };
  const Row rows[] = {
      {{{"so", "12"}, {"ngayDangKy", "10/03/2015"}, {"nksHoTen", "Lê Văn An"}, {"nksGioiTinh", "Nam"},
        {"nksNgaySinh", "01/03/2015"}}, false},
      {{{"so", ""}, {"ngayDangKy", ""}, {"nksHoTen", ""}, {"nksGioiTinh", ""}, {"nksNoiSinh", "“N /"}}, true},
      {{{"so", "12"}, {"ngayDangKy", ""}, {"nksHoTen", ""}, {"nksGioiTinh", ""}, {"nksNgaySinh", "01/03/2015"},
        {"nycHoTen", "Trần Văn Ba"}}, true},  // 3 of 5 required fields empty
  };
  for (auto& r : rows) {
    ParsedPage page;
    page.entries.push_back(make_entry(r.raw));
    validate_page(page, kBirth, lex, {BookType::khai_sinh, "", "", 0}, opts());
    EXPECT_EQ(page.entries[0].needs_review, r.review) << page.entries[0].review_reason;
  }
}

// Three entries of a page; the middle one read with a low OCR score.
// Whether its number and its registration date are accepted on the word
// of the entries above and below it.
TEST(ValidatePage, NeighboursVouchForANumberAndADateReadWithALowScoreTable) {
  Lexicons lex;
  struct Row {
    const char* what;
    std::array<const char*, 3> so, date;
    bool so_accepted, date_accepted;
    int days = 7;
  };
  const Row rows[] = {
      {"in sequence", {"12", "13", "14"}, {"10/03/2015", "11/03/2015", "12/03/2015"}, true, true},
      {"same day", {"12/2015", "13/2015", "14/2015"}, {"10/03/2015", "10/03/2015", "10/03/2015"}, true, true},
      {"number off by a digit", {"12", "18", "14"}, {"10/03/2015", "11/03/2015", "12/03/2015"}, false, true},
      {"gap below", {"12", "13", "15"}, {"10/03/2015", "11/03/2015", "12/03/2015"}, false, true},
      {"another year's suffix", {"12/2015", "13/2016", "14/2015"}, {"", "", ""}, false, false},
      {"neighbours too far apart", {"12", "13", "14"}, {"01/03/2015", "05/03/2015", "20/03/2015"}, true, false},
      {"date outside its neighbours", {"12", "13", "14"}, {"10/03/2015", "13/03/2015", "12/03/2015"}, true, false},
      {"unread neighbour", {"", "13", "14"}, {"", "11/03/2015", "12/03/2015"}, false, false},
      {"off", {"12", "13", "14"}, {"10/03/2015", "11/03/2015", "12/03/2015"}, false, false, 0},
  };
  const std::vector<FieldSpec> specs = {{"so", FieldType::entry_number, true}, {"ngayDangKy", FieldType::date, true}};
  for (auto& r : rows) {
    ParsedPage page;
    for (int i = 0; i < 3; ++i) page.entries.push_back(make_entry({{"so", r.so[i]}, {"ngayDangKy", r.date[i]}}, i == 1 ? 0.6f : 0.95f));
    ValidateOptions o = opts();
    o.neighbour_days = r.days;
    validate_page(page, specs, lex, {BookType::khai_sinh, "", "", 2015}, o);
    const Entry& mid = page.entries[1];
    EXPECT_EQ(mid.find("so")->flag.empty(), r.so_accepted) << r.what << ": " << mid.find("so")->flag;
    EXPECT_EQ(mid.find("ngayDangKy")->flag.empty(), r.date_accepted) << r.what << ": " << mid.find("ngayDangKy")->flag;
  }
}

// An entry number read as no number between two that leave room for one is
// that one, when the read is as long and no digit it read disagrees, or
// when it is that number with a tail of letters.
TEST(ValidatePage, NeighboursFillANumberReadAsNoNumberTable) {
  Lexicons lex;
  struct Row {
    std::array<const char*, 3> so;
    const char* value;  // the middle entry's accepted number; nullptr: still flagged
  };
  const Row rows[] = {
      {{"84", "&S", "86"}, "85"},      {{"50", "SI", "52"}, "51"},     {{"90", "9Ị", "92"}, "91"},
      {{"51", "%2", "53"}, "52"},      {{"51", "%4", "53"}, nullptr},  // a digit that disagrees
      {{"53", "5A4", "55"}, nullptr},  // one sign too many
      {{"83", "84 s", "85"}, "84"},    {{"76", "77T", "78"}, "77"},    // the number and a tail
      {{"83", "86 s", "85"}, nullptr},  // a tail after another number
      {{"83", "8x4", "85"}, nullptr},   // a letter inside the number is no tail
      {{"84", "&S", "87"}, nullptr},   // room for two
      {{"", "&S", "86"}, nullptr},     // an unread neighbour
      {{"84/2015", "&S/2015", "86/2015"}, nullptr},
  };
  const std::vector<FieldSpec> specs = {{"so", FieldType::entry_number, true}};
  for (auto& r : rows) {
    ParsedPage page;
    for (int i = 0; i < 3; ++i) page.entries.push_back(make_entry({{"so", r.so[i]}}, 0.95f));
    validate_page(page, specs, lex, {BookType::khai_sinh, "", "", 2015}, opts());
    const Field* so = page.entries[1].find("so");
    EXPECT_EQ(so->flag.empty(), r.value != nullptr) << r.so[1] << ": " << so->flag;
    if (r.value) {
      EXPECT_EQ(so->value, r.value) << r.so[1];
    }
  }
}

TEST(CrossField, RuleTable) {
  Lexicons lex;
  struct Row {
    const char* what;
    BookType type;
    int year;
    std::map<std::string, std::string> raw;
    std::vector<std::string> flagged;  // keys that must carry failed_rule
    std::vector<std::string> clean;    // keys that must not be flagged
  };
  const std::vector<Row> rows = {
      {"consistent birth", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nksNgaySinh", "01/03/2015"}, {"meNgaySinh", "1990"}, {"chaNgaySinh", "1988"},
        {"meSoGiayToTuyThan", "046190001234"}, {"chaSoGiayToTuyThan", "046088001234"}, {"nksGioiTinh", "Nam"}},
       {},
       {"ngayDangKy", "nksNgaySinh", "meNgaySinh", "chaNgaySinh", "meSoGiayToTuyThan", "chaSoGiayToTuyThan"}},
      {"birth after registration", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nksNgaySinh", "12/03/2015"}}, {"ngayDangKy", "nksNgaySinh"}, {}},
      {"registration outside the book's year", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2016"}, {"nksNgaySinh", "01/03/2015"}}, {"ngayDangKy"}, {"nksNgaySinh"}},
      {"mother 11 at the birth", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nksNgaySinh", "01/03/2015"}, {"meNgaySinh", "2004"}},
       {"meNgaySinh", "nksNgaySinh"}, {"ngayDangKy"}},
      {"mother maybe 12 (year only): no failure", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nksNgaySinh", "01/03/2015"}, {"meNgaySinh", "2002"}}, {}, {"meNgaySinh"}},
      {"father 71 at the birth", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nksNgaySinh", "01/03/2015"}, {"chaNgaySinh", "1943"}},
       {"chaNgaySinh", "nksNgaySinh"}, {}},
      {"mother's CCCD has a male digit", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"meNgaySinh", "1990"}, {"meSoGiayToTuyThan", "046090001234"}},
       {"meSoGiayToTuyThan"}, {"meNgaySinh"}},
      {"father's CCCD year differs", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"chaNgaySinh", "1988"}, {"chaSoGiayToTuyThan", "046087001234"}},
       {"chaSoGiayToTuyThan", "chaNgaySinh"}, {}},
      {"registrant Bà with a male CCCD", BookType::khai_sinh, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nycQuanHe", "Bà ngoại"}, {"nycSoGiayToTuyThan", "046060001234"}},
       {"nycSoGiayToTuyThan", "nycQuanHe"}, {}},
      {"death before birth", BookType::khai_tu, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nktNgaySinh", "1950"}, {"nktNgayChet", "01/03/1949"}},
       {"nktNgaySinh", "nktNgayChet"}, {"ngayDangKy"}},
      {"death after registration", BookType::khai_tu, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nktNgaySinh", "1950"}, {"nktNgayChet", "11/03/2015"}},
       {"nktNgayChet", "ngayDangKy"}, {"nktNgaySinh"}},
      {"deceased woman with a female CCCD: fine", BookType::khai_tu, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"nktNgaySinh", "1950"}, {"nktGioiTinh", "Nữ"},
        {"nktSoGiayToTuyThan", "046150001234"}, {"nktNgayChet", "01/03/2015"}},
       {}, {"nktSoGiayToTuyThan", "nktGioiTinh", "nktNgaySinh"}},
      {"bride 16", BookType::ket_hon, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"voNgaySinh", "20/05/1998"}, {"chongNgaySinh", "1990"}},
       {"voNgaySinh", "ngayDangKy"}, {"chongNgaySinh"}},
      {"groom maybe 18 (year only): no failure", BookType::ket_hon, 2015,
       {{"ngayDangKy", "10/03/2015"}, {"chongNgaySinh", "1997"}}, {}, {"chongNgaySinh", "ngayDangKy"}},
  };
  std::vector<FieldSpec> specs = kBirth;
  for (auto k : {"nktNgaySinh", "nktNgayChet", "voNgaySinh", "chongNgaySinh"}) specs.push_back({k, FieldType::year_or_date, false});
  specs.push_back({"nktGioiTinh", FieldType::gender, false});
  specs.push_back({"nktSoGiayToTuyThan", FieldType::id_number, false});
  for (auto& s : specs) s.required = false;
  for (auto& r : rows) {
    Entry e = make_entry(r.raw);
    validate_entry(e, specs, lex, {r.type, "", "", r.year}, opts());
    for (auto& k : r.flagged) {
      auto* f = e.find(k);
      ASSERT_TRUE(f) << r.what << ": " << k;
      EXPECT_EQ(flag_kind(*f), "failed_rule") << r.what << ": " << k << " flag '" << f->flag << "'";
    }
    for (auto& k : r.clean) {
      auto* f = e.find(k);
      ASSERT_TRUE(f) << r.what << ": " << k;
      EXPECT_EQ(f->flag, "") << r.what << ": " << k;
    }
  }
}

TEST(CrossField, OnlyTheLeastCertainFieldIsFlagged) {
  Lexicons lex;
  Entry e = make_entry({{"ngayDangKy", "10/03/2015"}, {"nksNgaySinh", "12/03/2015"}});
  e.find("nksNgaySinh")->conf = 0.82f;  // read less clearly than the registration date
  validate_entry(e, kBirth, lex, {BookType::khai_sinh, "", "", 2015}, opts());
  EXPECT_EQ(e.find("nksNgaySinh")->flag, "failed_rule: birth after registration");
  EXPECT_EQ(e.find("ngayDangKy")->flag, "");
}

TEST(ValidatePage, AllEntries) {
  Lexicons lex;
  ParsedPage page;
  page.entries.push_back(make_entry({{"so", "1"}, {"ngayDangKy", "02/01/2015"}}));
  page.entries.push_back(make_entry({{"so", "2"}, {"ngayDangKy", "31/02/2015"}}));
  std::vector<FieldSpec> specs = {{"so", FieldType::entry_number, true}, {"ngayDangKy", FieldType::date, true}};
  validate_page(page, specs, lex, {BookType::khai_sinh, "", "", 2015}, opts());
  EXPECT_EQ(page.entries[0].find("ngayDangKy")->value, "2015-01-02");
  EXPECT_EQ(flag_kind(*page.entries[1].find("ngayDangKy")), "invalid");
}

TEST(BookNumbering, Table) {
  struct Row {
    const char* what;
    std::vector<std::string> so;    // one entry per page position, in book order
    std::vector<int> flagged;       // 0-based positions that must be flagged
    int year = 0;
  };
  const std::vector<Row> rows = {
      {"in order", {"1", "2", "3", "4"}, {}},
      {"in order with year", {"1/2015", "2/2015", "3/2015"}, {}, 2015},
      {"misread in the middle", {"14", "15", "61", "17", "18"}, {2}},
      {"duplicate", {"14", "15", "15", "16"}, {1, 2}},
      {"gap", {"14", "15", "18", "19"}, {2}},
      {"going back", {"14", "15", "3", "4"}, {2}},
      // An entry whose number did not read fills the gap it leaves (its own
      // field is flagged where it was read), but only that gap.
      {"unreadable one in between", {"14", "", "16"}, {}},
      {"unreadable one, gap of two", {"14", "", "17"}, {2}},
      {"year differs", {"1/2015", "2/2016", "3/2015"}, {1}, 2015},
      {"first entry not 1 is fine", {"37", "38"}, {}},
  };
  for (auto& r : rows) {
    std::vector<EntryNumber> in;
    for (size_t i = 0; i < r.so.size(); ++i) in.push_back({static_cast<int>(i / 2 + 1), static_cast<int>(i % 2 + 1), r.so[i]});
    BookContext book;
    book.year = r.year;
    auto flags = check_entry_numbers(in, book);
    std::vector<int> got;
    for (auto& f : flags) {
      EXPECT_EQ(f.key, "so");
      EXPECT_EQ(f.flag.rfind("failed_rule: ", 0), 0u) << f.flag;
      got.push_back((f.page - 1) * 2 + (f.entry - 1));
    }
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, r.flagged) << r.what;
  }
}

TEST(BookNumbering, ValidateBookWritesFlags) {
  ParsedPage p1, p2;
  auto entry = [](int idx, const char* so) {
    Entry e;
    e.index = idx;
    Field f;
    f.key = "so";
    f.value = so;
    e.fields.push_back(f);
    return e;
  };
  p1.entries = {entry(1, "1"), entry(2, "2")};
  p2.entries = {entry(1, "2"), entry(2, "3")};
  auto flags = validate_book({&p1, &p2}, {});
  EXPECT_EQ(flags.size(), 2u);
  EXPECT_EQ(p1.entries[1].find("so")->flag, "failed_rule: duplicate entry number 2");
  EXPECT_EQ(p2.entries[0].find("so")->flag, "failed_rule: duplicate entry number 2");
  EXPECT_EQ(p2.entries[1].find("so")->flag, "");
}

// Evidence that lowers the bar: a place the gazetteer confirmed whole, and
// free text that is a stock wording of its field. A place with a doubt and
// an unknown wording keep the ordinary thresholds. A stock wording read
// with only its marks wrong is restored and held to the stock wordings'
// threshold; one letter off, it gets more doubt, not less.
TEST(ValidateField, ConfirmedPlacesAndKnownWordingsTable) {
  Lexicons lex;
  std::istringstream csv(
      "level,code,name,type,parent_code\n"
      "1,11,Điện Biên,Tỉnh,\n"
      "2,103,Nậm Pồ,Huyện,11\n"
      "3,3160,Pa Tần,Xã,103\n");
  ASSERT_TRUE(lex.load_gazetteer_csv(csv).ok());
  ValidateOptions o = opts();  // threshold 0.80, free text 0.95
  o.confirmed_place_threshold = 0.60f;
  o.known_phrase_threshold = 0.75f;
  o.phrase_misread_factor = 0.8f;
  struct Row {
    const char* key;
    FieldType type;
    const char* raw;
    float ocr;
    const char* flag;             // kind; "" = accepted
    const char* value = nullptr;  // when set, the value it must get
  };
  const Row rows[] = {
      {"nksNoiSinh", FieldType::place, "Xã Pa Tần, Huyện Nậm Pồ, Tỉnh Điện Biên", 0.65f, ""},
      {"nksNoiSinh", FieldType::place, "Xã Pa Tần, Huyện Nậm Pồ, Tỉnh Điện Biên", 0.55f, "low_confidence"},
      {"nksNoiSinh", FieldType::place, "Thôn Mới, X. Pa Tần, H. Nậm Pồ, T. Điện Biên", 0.65f, ""},
      {"nksNoiSinh", FieldType::place, "Xã Pa Tan, Huyện Nậm Pồ, Tỉnh Điện Biên", 0.75f, "low_confidence"},  // repaired
      {"nksNoiSinh", FieldType::place, "Xã Pa Tần, Huyện Nậm Đồ, Tỉnh Điện Biên", 0.75f, "low_confidence"},  // misread unit
      {"nksNoiSinh", FieldType::place, "Xã Pa Tần, Huyện Nậm Pồ, Tỉnh Điện Biên", 0.85f, ""},
      {"nksNoiSinh", FieldType::place, "Thôn Mới, Huyện Nậm Pồ, Tỉnh Điện Biên", 0.65f, "low_confidence"},  // no commune
      {"nksNoiSinh", FieldType::place, "Thôn Mới, Huyện Nậm Pồ, Tỉnh Điện Biên", 0.85f, ""},
      {"nksNoiSinh", FieldType::place, "Ấp 7. Pa Tần, Huyện Nậm Pồ, Tỉnh Điện Biên", 0.95f, "low_confidence"},  // ',' read as '.'
      {"nktNguyenNhanChet", FieldType::text, "Bệnh già", 0.80f, ""},
      {"nktNguyenNhanChet", FieldType::text, "BỆNH GIÀ.", 0.80f, ""},
      {"nktNguyenNhanChet", FieldType::text, "Bệnh già", 0.70f, "low_confidence"},
      {"nktNguyenNhanChet", FieldType::text, "Bệnh lạ", 0.90f, "low_confidence"},  // no stock wording
      {"nktNguyenNhanChet", FieldType::text, "Bệnh lạ", 0.97f, ""},
      {"nktNguyenNhanChet", FieldType::text, "Ủng thư gan", 0.80f, "", "Ung thư gan"},  // marks restored
      {"nktNguyenNhanChet", FieldType::text, "Đột quy", 0.80f, "", "Đột quỵ"},
      {"nktNguyenNhanChet", FieldType::text, "Ủng thư gan", 0.70f, "low_confidence", "Ung thư gan"},
      {"nktNguyenNhanChet", FieldType::text, "Ung thu gạn", 0.99f, "", "Ung thư gan"},
      {"nktNguyenNhanChet", FieldType::text, "Ung thư gam", 0.99f, "low_confidence", "Ung thư gam"},  // a letter off
      {"ghiChu", FieldType::text, "Đăng ký lại", 0.80f, ""},
      {"ghiChu", FieldType::text, "Đăng ký lại khal sinh", 0.99f, "low_confidence"},  // one slip
      {"ghiChu", FieldType::text, "Bệnh già", 0.80f, "low_confidence"},  // another field's wording
  };
  for (auto& r : rows) {
    Entry e = make_entry({{r.key, r.raw}}, r.ocr);
    validate_entry(e, {{r.key, r.type, false}}, lex, {}, o);
    EXPECT_EQ(flag_kind(e.fields[0]), r.flag) << r.key << " " << r.raw << " -> " << e.fields[0].flag << " "
                                              << e.fields[0].conf;
    if (r.value) {
      EXPECT_EQ(e.fields[0].value, r.value) << r.raw;
    }
  }
}

// Parts of one combined cell that the parser split with doubt (more lines
// than fields: the note names the cell's keys) stand or fall together: one
// part that fails its parser flags the others, unless it read as no letter.
TEST(ValidateEntry, DoubtfulSplitOfACombinedCellTable) {
  Lexicons lex;
  const std::string split = "ambiguous_repair: 4 lines for 3 fields (nksHoTen..nksNgaySinh)";
  const std::string other = "ambiguous_repair: 3 lines for 2 fields (meHoTen..meNgaySinh)";
  const std::string lineless = split + kLinelessPart;
  struct Row {
    std::map<std::string, std::string> raw;
    std::map<std::string, std::string> note;  // the parser's flag per key
    const char* key;
    const char* flag;
  };
  const Row rows[] = {
      // "Hoàng Khương / Duy / Nam / 1947": the lines dealt one off.
      {{{"nksHoTen", "Hoàng Khương"}, {"nksGioiTinh", "Duy"}, {"nksNgaySinh", "12/03/1947"}},
       {{"nksHoTen", split}, {"nksGioiTinh", split}, {"nksNgaySinh", split}}, "nksHoTen", "failed_rule"},
      {{{"nksHoTen", "Hoàng Khương"}, {"nksGioiTinh", "Duy"}, {"nksNgaySinh", "12/03/1947"}},
       {{"nksHoTen", split}, {"nksGioiTinh", split}, {"nksNgaySinh", split}}, "nksNgaySinh", "failed_rule"},
      {{{"nksHoTen", "Hoàng Khương"}, {"nksGioiTinh", "Duy"}, {"nksNgaySinh", "12/03/1947"}},
       {{"nksHoTen", split}, {"nksGioiTinh", split}, {"nksNgaySinh", split}}, "nksGioiTinh", "invalid"},
      // Every part reads as its field: the split stands.
      {{{"nksHoTen", "Hoàng Khương Duy"}, {"nksGioiTinh", "Nam"}, {"nksNgaySinh", "12/03/1947"}},
       {{"nksHoTen", split}, {"nksGioiTinh", split}, {"nksNgaySinh", split}}, "nksHoTen", ""},
      // One line per field (no doubt): a misread sex is its own error only.
      {{{"nksHoTen", "Hoàng Khương Duy"}, {"nksGioiTinh", "Nan"}, {"nksNgaySinh", "12/03/1947"}}, {}, "nksHoTen", ""},
      // Another cell's failure does not spread.
      {{{"nksHoTen", "Hoàng Khương Duy"}, {"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", "abc"}},
       {{"nksHoTen", split}, {"meHoTen", other}, {"meNgaySinh", other}}, "nksHoTen", ""},
      {{{"nksHoTen", "Hoàng Khương Duy"}, {"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", "abc"}},
       {{"nksHoTen", split}, {"meHoTen", other}, {"meNgaySinh", other}}, "meHoTen", "failed_rule"},
      // A date misread digit by digit is still the date's line: the split stands.
      {{{"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", "29.94.1994"}},
       {{"meHoTen", other}, {"meNgaySinh", other}}, "meHoTen", ""},
      {{{"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", "29.94.1994"}},
       {{"meHoTen", other}, {"meNgaySinh", other}}, "meNgaySinh", "invalid"},
      // Specks with few digits are no date's shape.
      {{{"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", "t«Ó í 31)"}},
       {{"meHoTen", other}, {"meNgaySinh", other}}, "meHoTen", "failed_rule"},
      // A part with no letter at all was an unreadable line in its place,
      // not another field's line: the split stands ...
      {{{"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", "}./"}},
       {{"meHoTen", other}, {"meNgaySinh", other}}, "meHoTen", ""},
      {{{"meHoTen", "Lê Thị Hoa"}, {"meNgaySinh", "}./"}},
       {{"meHoTen", other}, {"meNgaySinh", other}}, "meNgaySinh", "invalid"},
      // ... unless another part fails too.
      {{{"nksHoTen", "Hoàng Khương Duy"}, {"nksGioiTinh", "}./"}, {"nksNgaySinh", "abc"}},
       {{"nksHoTen", split}, {"nksGioiTinh", split}, {"nksNgaySinh", split}}, "nksHoTen", "failed_rule"},
      // With one part failed, an ethnic group and a nationality read exactly
      // as listed ones hold their own lines; the name and the sex ("Nam" is
      // also a given name) stay in doubt.
      {{{"nksHoTen", "Bùi Hữu Việt"}, {"nksNgaySinh", "t«Ó í 31)"}, {"nksDanToc", "Kinh"}, {"nksQuocTich", "Việt Nam"}},
       {{"nksHoTen", split}, {"nksNgaySinh", split}, {"nksDanToc", split}, {"nksQuocTich", split}}, "nksDanToc", ""},
      {{{"nksHoTen", "Bùi Hữu Việt"}, {"nksNgaySinh", "t«Ó í 31)"}, {"nksDanToc", "Kinh"}, {"nksQuocTich", "Việt Nam"}},
       {{"nksHoTen", split}, {"nksNgaySinh", split}, {"nksDanToc", split}, {"nksQuocTich", split}}, "nksQuocTich", ""},
      {{{"nksHoTen", "Bùi Hữu Việt"}, {"nksNgaySinh", "t«Ó í 31)"}, {"nksDanToc", "Kinh"}, {"nksQuocTich", "Việt Nam"}},
       {{"nksHoTen", split}, {"nksNgaySinh", split}, {"nksDanToc", split}, {"nksQuocTich", split}}, "nksHoTen", "failed_rule"},
      {{{"nksHoTen", "Bùi Hữu Việt"}, {"nksGioiTinh", "Nam"}, {"nksNgaySinh", "t«Ó í 31)"}},
       {{"nksHoTen", split}, {"nksGioiTinh", split}, {"nksNgaySinh", split}}, "nksGioiTinh", "failed_rule"},
      {{{"nksHoTen", "Bùi Hữu Việt"}, {"nksNgaySinh", "abc"}, {"nksDanToc", "Tày"}, {"nksQuocTich", "Kinh"}},
       {{"nksHoTen", split}, {"nksNgaySinh", split}, {"nksDanToc", split}, {"nksQuocTich", split}}, "nksDanToc", "failed_rule"},
      // A part got no line: a nationality that only a repair made one may
      // be another field's line; one read exactly stands, and without the
      // lost part so does the repair.
      {{{"nksHoTen", "Bùi Hữu"}, {"nksQuocTich", "Viet Nam"}},
       {{"nksHoTen", lineless}, {"nksQuocTich", lineless}}, "nksQuocTich", "failed_rule"},
      {{{"nksHoTen", "Bùi Hữu"}, {"nksQuocTich", "Việt Nam"}},
       {{"nksHoTen", lineless}, {"nksQuocTich", lineless}}, "nksQuocTich", ""},
      {{{"nksHoTen", "Bùi Hữu"}, {"nksQuocTich", "Viet Nam"}},
       {{"nksHoTen", split}, {"nksQuocTich", split}}, "nksQuocTich", ""},
      // A part with no letter beside a part that got no line: the lines
      // were dealt one off ("Việt Nam" joined the place's line, a speck
      // read "+" took the nationality's place), so the place is in doubt.
      {{{"nksHoTen", "Hoàng Đức Cường"}, {"nksQuocTich", "+"}, {"nksNoiSinh", "Việt Nam Ấp 9, Tân Hiệp"}},
       {{"nksHoTen", lineless}, {"nksQuocTich", lineless}, {"nksNoiSinh", lineless}}, "nksNoiSinh", "failed_rule"},
      {{{"nksHoTen", "Hoàng Đức Cường"}, {"nksQuocTich", "+"}, {"nksNoiSinh", "Ấp 9, Tân Hiệp"}},
       {{"nksHoTen", split}, {"nksQuocTich", split}, {"nksNoiSinh", split}}, "nksNoiSinh", ""},
  };
  for (auto& r : rows) {
    Entry e = make_entry(r.raw, 0.99f);
    for (auto& f : e.fields)
      if (auto it = r.note.find(f.key); it != r.note.end()) f.flag = it->second;
    std::vector<FieldSpec> present;
    for (auto& sp : kBirth)
      if (r.raw.count(sp.key)) present.push_back(sp);
    ValidateOptions o = opts();
    o.flag_missing = false;
    o.split_doubt = 1.0f;
    validate_entry(e, present, lex, {BookType::khai_sinh, "", "", 0}, o);
    EXPECT_EQ(flag_kind(*e.find(r.key)), r.flag) << r.key << ": " << e.find(r.key)->flag;
  }
}

// A parser's reason for giving a field no confidence reaches the reviewer.
TEST(ValidateEntry, ParserReasonForLowConfidenceIsKept) {
  Lexicons lex;
  Entry e = make_entry({{"chaSoGiayToTuyThan", "042076236412"}, {"chaHoTen", "Nguyễn Phúc Hòa"}}, 0.99f);
  e.find("chaSoGiayToTuyThan")->conf = 0;
  e.find("chaSoGiayToTuyThan")->flag = "low_confidence: the column's person was assumed, not read";
  ValidateOptions o = opts();
  o.flag_missing = false;
  validate_entry(e, {{"chaSoGiayToTuyThan", FieldType::id_number, false}, {"chaHoTen", FieldType::name, false}}, lex,
                 {BookType::khai_sinh, "", "", 0}, o);
  EXPECT_EQ(e.find("chaSoGiayToTuyThan")->flag.rfind("low_confidence: the column's person was assumed", 0), 0u)
      << e.find("chaSoGiayToTuyThan")->flag;
  EXPECT_EQ(e.find("chaHoTen")->flag, "");
}

// A closed-list word read with one stroke letter for another ("Gia-ral"
// for "Gia-rai": l for i) is the list's word: the engine's low score on it
// was that stroke's, and the repair explains it. Any other slip keeps the
// word's score, and an edit's lower certainty.
TEST(ValidateField, StrokeSlipInAClosedListWordTable) {
  Lexicons lex;
  const std::vector<FieldSpec> specs = {{"nksQuocTich", FieldType::nationality, true}};
  struct Row {
    const char* raw;
    float conf;
    bool accepted;
    const char* value;
  };
  const Row rows[] = {
      {"Campuchla", 0.40f, true, "Campuchia"},   // l for i
      {"Campuch1a", 0.40f, true, "Campuchia"},   // 1 for i
      {"Campuchxa", 0.40f, false, "Campuchia"},  // x for i: not one stroke
      {"Việt Nan", 0.85f, false, "Việt Nam"},    // n for m: 0.85 x 0.75
      {"Việt Nam", 0.85f, true, "Việt Nam"},
  };
  for (auto& r : rows) {
    Entry e = make_entry({{"nksQuocTich", r.raw}}, r.conf);
    e.fields[0].word_conf.assign(words(r.raw).size(), r.conf);
    validate_entry(e, specs, lex, {BookType::khai_sinh, "", "", 0}, opts());
    EXPECT_EQ(e.fields[0].flag.empty(), r.accepted) << r.raw << " " << e.fields[0].flag;
    EXPECT_EQ(e.fields[0].value, r.value) << r.raw;
  }
}

// A surname the lexicon replaced whole ("NGUYÊN" -> "NGUYỄN") is judged by
// its other words: the engine's doubt was about the replaced one. A conf
// the parser set on purpose (no per-word confidences) is never lifted.
TEST(ValidateField, ReplacedSurnameSetsAsideItsWordTable) {
  Lexicons lex;
  const std::vector<FieldSpec> specs = {{"nksHoTen", FieldType::name, true}};
  struct Row {
    const char* raw;
    std::vector<float> word_conf;  // empty: conf set by the parser
    float conf;
    bool accepted;
  };
  const Row rows[] = {
      {"NGUYÊN VĂN AN", {0.10f, 0.97f, 0.96f}, 0.10f, true},   // only the surname was doubtful
      {"NGUYÊN VĂN AN", {0.10f, 0.40f, 0.96f}, 0.10f, false},  // another word is doubtful too
      {"NGUYÊN VĂN AN", {}, 0.0f, false},                      // the parser's conf 0 stands
      {"NGUYÊN VĂN AN", {0.10f, 0.97f, 0.96f}, 0.0f, false},   // conf is not the words' minimum
      {"Nguyên Văn An", {0.10f, 0.97f, 0.96f}, 0.10f, false},  // no repair, no lift
  };
  for (auto& r : rows) {
    Entry e = make_entry({{"nksHoTen", r.raw}}, r.conf);
    e.fields[0].word_conf = r.word_conf;
    validate_entry(e, specs, lex, {BookType::khai_sinh, "", "", 0}, opts());
    EXPECT_EQ(e.fields[0].flag.empty(), r.accepted) << r.raw << " " << e.fields[0].flag;
    if (r.accepted) {
      EXPECT_EQ(e.fields[0].value, "NGUYỄN VĂN AN");
    }
  }
}

// A place whose unit names the gazetteer repaired under their parents is
// judged by the engine's doubt about its other words: the replaced ones
// are the list's spelling now. The repair's own cost (certainty) stays.
TEST(ValidateField, GazetteerRepairSetsAsideItsWordsTable) {
  Lexicons lex;
  std::istringstream csv(
      "level,code,name,type,parent_code\n"
      "1,17,Hoà Bình,Tỉnh,\n"
      "2,153,Lạc Sơn,Huyện,17\n"
      "3,4999,Tân Lập,Xã,153\n");
  ASSERT_TRUE(lex.load_gazetteer_csv(csv).ok());
  const std::vector<FieldSpec> specs = {{"nksNoiSinh", FieldType::place, false}};
  struct Row {
    const char* raw;
    std::vector<float> word_conf;
    bool accepted;
    const char* value;
  };
  const Row rows[] = {
      // only the repaired commune was doubtful
      {"Xã Tân Lấp, Huyện Lạc Sơn, Tỉnh Hoà Bình", {0.95f, 0.90f, 0.20f, 0.95f, 0.95f, 0.95f, 0.95f, 0.95f, 0.95f},
       true, "Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
      // a word the gazetteer did not answer for is doubtful too
      {"Xã Tân Lấp, Huyện Lạc Sơn, Tỉnh Hoà Bình", {0.95f, 0.90f, 0.20f, 0.95f, 0.95f, 0.30f, 0.95f, 0.95f, 0.95f},
       false, "Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
      // read as the list spells it: the engine's doubt stands
      {"Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", {0.95f, 0.90f, 0.20f, 0.95f, 0.95f, 0.95f, 0.95f, 0.95f, 0.95f},
       false, "Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
      // a hamlet's words are nobody's list: a doubtful one stands
      {"Thôn Tây, Xã Tân Lấp, Huyện Lạc Sơn, Tỉnh Hoà Bình",
       {0.95f, 0.30f, 0.95f, 0.90f, 0.20f, 0.95f, 0.95f, 0.95f, 0.95f, 0.95f, 0.95f}, false,
       "Thôn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
  };
  for (auto& r : rows) {
    Entry e = make_entry({{"nksNoiSinh", r.raw}}, *std::min_element(r.word_conf.begin(), r.word_conf.end()));
    e.fields[0].word_conf = r.word_conf;
    validate_entry(e, specs, lex, {BookType::khai_sinh, "", "", 0}, opts());
    EXPECT_EQ(e.fields[0].flag.empty(), r.accepted) << r.raw << " " << e.fields[0].flag;
    EXPECT_EQ(e.fields[0].value, r.value) << r.raw;
  }
}
