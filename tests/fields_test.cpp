// Field value parsers: a row per case (input, expected value or error).
#include <gtest/gtest.h>

#include <sstream>

#include <fstream>

#include "schema/fields.hpp"
#include "schema/lexicon.hpp"
#include "schema/text.hpp"

using namespace hotich::schema;

namespace {

ParseOptions opts2025() {
  ParseOptions o;
  o.current_year = 2025;
  return o;
}

struct Case {
  const char* raw;
  const char* value;   // expected value when ok; nullptr = expect !ok
  float min_cert = 0;  // certainty must be >= this
  float max_cert = 1;  // and <= this
  bool ambiguous = false;
};

void check(const Case& c, const Parsed& p) {
  if (c.value) {
    EXPECT_TRUE(p.ok) << c.raw << " -> error: " << p.error;
    EXPECT_EQ(p.value, c.value) << c.raw;
    EXPECT_GE(p.certainty, c.min_cert) << c.raw << " note: " << p.note;
    EXPECT_LE(p.certainty, c.max_cert) << c.raw << " note: " << p.note;
  } else {
    EXPECT_FALSE(p.ok) << c.raw << " -> " << p.value;
    EXPECT_EQ(p.ambiguous, c.ambiguous) << c.raw << " error: " << p.error;
    EXPECT_FALSE(p.error.empty()) << c.raw;
  }
}

}  // namespace

TEST(ParseDate, Table) {
  const Case cases[] = {
      {"05/03/2009", "2009-03-05", 1, 1},
      {"5/3/2009", "2009-03-05", 1, 1},
      {"15/12/1985", "1985-12-15", 1, 1},
      {"05.03.2009", "2009-03-05", 1, 1},
      {"05-03-2009", "2009-03-05", 1, 1},
      {"05 / 03 / 2009", "2009-03-05", 1, 1},
      {" 05/03/2009. ", "2009-03-05", 1, 1},
      {"29/02/2008", "2008-02-29", 1, 1},  // leap year
      {"29/02/2000", "2000-02-29", 1, 1},  // divisible by 400
      {"29/02/1900", nullptr},             // 1900 is not a leap year
      {"29/02/2009", nullptr},
      {"30/02/2012", nullptr},
      {"31/04/2010", nullptr},
      {"00/03/2009", nullptr},
      {"12/13/2009", nullptr},
      {"05/03/2031", nullptr},  // after the current year
      {"05/03/1850", nullptr},  // before min_year
      {"O5/O3/2OO9", "2009-03-05", 0.5f, 0.9f},  // O read for 0
      {"l5/l2/2009", "2009-12-15", 0.7f, 0.9f},  // l read for 1
      {"I5/3/2O09", "2009-03-15", 0.7f, 0.9f},
      {"05032009", "2009-03-05", 0.8f, 0.9f},    // no separators, one reading
      {"05/032009", "2009-03-05", 0.8f, 0.9f},   // one separator missing
      {"5/32009", "2009-03-05", 0.8f, 0.9f},
      {"112/2009", nullptr, 0, 1, true},         // 11/2 or 1/12: ambiguous
      {"05/03/09", nullptr},                     // two-digit year without a reference
      {"05/03", nullptr},
      {"ngày 05 tháng 3 năm 2009", "2009-03-05", 1, 1},
      {"Ngày 5 tháng 03 năm 2009", "2009-03-05", 1, 1},
      {"ngay 5 thang 3 nam 2009", "2009-03-05", 1, 1},  // diacritics lost
      {"Ngày mười lăm tháng ba năm hai nghìn không trăm linh chín", "2009-03-15", 1, 1},
      {"ngày hai mươi mốt tháng mười hai năm một nghìn chín trăm tám mươi lăm", "1985-12-21", 1, 1},
      {"ngày mồng một tháng giêng năm hai nghìn không trăm mười", "2010-01-01", 1, 1},
      {"ngày hai mươi lăm tháng năm năm hai nghìn linh năm", "2005-05-25", 1, 1},  // "năm" as 5 and as year
      {"ngày 30 tháng 2 năm 2009", nullptr},
      {"ngày 5 tháng năm 2009", nullptr},  // no month
      {"gầy 21 tháng 11 năm 1975", "1975-11-21", 0.9f, 0.9f},  // the label "ngày" misread
      {"ngàv 21 tháng 11 năm 1975", "1975-11-21", 0.9f, 0.9f},
      {"hai 21 tháng 11 năm 1975", nullptr},                    // a word far from "ngày" stays unread
      {"hôm qua", nullptr},
      {"15/3/2009 abc", nullptr},
      {"11\u204411\u20441994", "1994-11-11", 1, 1},      // fraction slashes
      {"ngày30 tháng4 năm 2018", "2018-04-30", 1, 1},   // labels glued to their numbers
      {"ngày09 tháng5 năm2018", "2018-05-09", 1, 1},
      {"ngàyhai tháng 5 năm 2018", nullptr},             // only digits are split off
      {"ngày 09 tháng Š năm 2022", "2022-05-09", 0.8f, 0.9f},  // a month read as a letter
      {"ngày II tháng 5 năm 2022", "2022-05-11", 0.6f, 0.9f},  // a day read as letters
      {"ngày 09 tháng ba năm 2022", "2022-03-09", 1, 1},       // a month in words stays a word
      {"ngày 09 tháng X năm 2022", nullptr},                   // no digit looks like X
  };
  for (auto& c : cases) check(c, parse_date(c.raw, opts2025()));
}

TEST(ParseDate, TwoDigitYearWithReference) {
  ParseOptions o = opts2025();
  o.reference_year = 2015;
  const Case cases[] = {
      {"05/03/09", "2009-03-05", 0.6f, 0.7f},
      {"05/03/85", "1985-03-05", 0.6f, 0.7f},
      {"05/03/15", "2015-03-05", 0.6f, 0.7f},
  };
  for (auto& c : cases) check(c, parse_date(c.raw, o));
}

TEST(ParseYearOrDate, Table) {
  const Case cases[] = {
      {"1985", "1985", 1, 1},          {"năm 1985", "1985", 1, 1},       {"Năm sinh: 1990", "1990", 1, 1},
      {"l985", "1985", 0.85f, 0.9f},   {"1879", nullptr},                {"2030", nullptr},
      {"12/05/1985", "1985-05-12", 1, 1}, {"198", nullptr},              {"19855", nullptr},
  };
  for (auto& c : cases) check(c, parse_year_or_date(c.raw, opts2025()));
}

TEST(ParseGender, Table) {
  const Case cases[] = {
      {"Nam", "Nam", 1, 1},       {"nam", "Nam", 1, 1},        {"NAM", "Nam", 1, 1},
      {"Nữ", "Nữ", 1, 1},         {"nữ", "Nữ", 1, 1},          {"NỮ", "Nữ", 1, 1},
      {"Nu", "Nữ", 0.9f, 0.9f},   {"Nừ", "Nữ", 0.9f, 0.9f},    {"Nũ", "Nữ", 0.9f, 0.9f},
      {"Năm", "Nam", 0.9f, 0.9f}, {"Nan", "Nam", 0.75f, 0.75f}, {"Nuu", "Nữ", 0.75f, 0.75f},
      {"N", nullptr},             {"Trai", nullptr},           {"Mu", nullptr},
  };
  for (auto& c : cases) check(c, parse_gender(c.raw));
}

TEST(ParseIdNumber, Table) {
  Lexicons lex;  // no gazetteer: province codes 001..096
  const Case cases[] = {
      {"012345678", "012345678", 1, 1},           // CMND
      {"012 345 678", "012345678", 1, 1},
      {"046085001234", "046085001234", 1, 1},     // CCCD: Huế, male 1985
      {"046 185 001234", "046185001234", 1, 1},   // female 1985
      {"046.205.001234", "046205001234", 1, 1},   // male 2005
      {"CCCD: 046085001234", "046085001234", 1, 1},
      {"Số CMND: 012345678", "012345678", 1, 1},
      {"O46085OO1234", "046085001234", 0.7f, 0.85f},  // O for 0 inside digits
      {"0l2345678", "012345678", 0.85f, 0.9f},        // l for 1
      {"01234567", nullptr},                          // 8 digits
      {"0123456789", nullptr},                        // 10 digits
      {"099085001234", nullptr},                      // 099 is no province code
      {"000085001234", nullptr},
      {"046230001234", nullptr},                      // male born 2030: future
      {"Nguyễn Văn A", nullptr},
      {"046085OOI234X", nullptr},
  };
  for (auto& c : cases) check(c, parse_id_number(c.raw, lex, opts2025()));
}

TEST(DecodeCccd, CenturyAndSex) {
  struct Row { const char* id; int province; bool female; int year; };
  const Row rows[] = {
      {"001085000001", 1, false, 1985}, {"001185000001", 1, true, 1985},  {"079205000001", 79, false, 2005},
      {"079319000001", 79, true, 2019}, {"046999000001", 46, true, 1899}, {"046899000001", 46, false, 1899},
  };
  for (auto& r : rows) {
    auto info = decode_cccd(r.id);
    ASSERT_TRUE(info) << r.id;
    EXPECT_EQ(info->province, r.province) << r.id;
    EXPECT_EQ(info->female, r.female) << r.id;
    EXPECT_EQ(info->birth_year, r.year) << r.id;
  }
  EXPECT_FALSE(decode_cccd("012345678"));
  EXPECT_FALSE(decode_cccd("04608500123a"));
}

TEST(CrossCheckId, Table) {
  struct Row { const char* id; Sex sex; int year; IdCheck want; };
  const Row rows[] = {
      {"046085001234", Sex::male, 1985, IdCheck::consistent},
      {"046085001234", Sex::female, 1985, IdCheck::wrong_sex},
      {"046185001234", Sex::female, 1985, IdCheck::consistent},
      {"046185001234", Sex::female, 1986, IdCheck::wrong_year},
      {"046185001234", Sex::unknown, 2085, IdCheck::wrong_year},  // same yy, other century
      {"046205001234", Sex::male, 2005, IdCheck::consistent},
      {"046205001234", Sex::male, 0, IdCheck::consistent},
      {"046205001234", Sex::unknown, 0, IdCheck::not_applicable},
      {"012345678", Sex::male, 1985, IdCheck::not_applicable},  // CMND carries neither
  };
  for (auto& r : rows) EXPECT_EQ(cross_check_id(r.id, r.sex, r.year), r.want) << r.id;
}

TEST(ParseEntryNumber, Table) {
  const Case cases[] = {
      {"15", "15", 1, 1},           {"015", "015", 1, 1},         {"15/2015", "15/2015", 1, 1},
      {"Số 15", "15", 1, 1},        {"Số: 15/2015", "15/2015", 1, 1}, {"15 / 2015", "15/2015", 1, 1},
      {"l5", "15", 0.9f, 0.9f},     {"1O/2015", "10/2015", 0.9f, 0.9f}, {"abc", nullptr},
      {"15/", nullptr},             {"/2015", nullptr},           {"15/20/15", nullptr},
      {"55 `", "55", 1, 1},         {"120/2021 ˆ", "120/2021", 1, 1}, {"55 `a", nullptr},  // a speck after it
      {"0", nullptr},               {"0/2018", nullptr},          // a number that lost a digit
  };
  for (auto& c : cases) check(c, parse_entry_number(c.raw));
}

// A book's number has one shape: digits, a slash, a year. A year cut short
// or run into letters is not one; a fraction slash or spaces are the slash.
TEST(ParseBookNumber, Table) {
  const Case cases[] = {
      {"05/2019", "05/2019", 1, 1},       {"5/2019", "5/2019", 1, 1},       {"05 / 2019", "05/2019", 1, 1},
      {"Quyển số: 05/2019", "05/2019", 1, 1}, {"01⁄2009", "01/2009", 1, 1},  // U+2044 FRACTION SLASH
      {"01∕2009", "01/2009", 1, 1},       {"01/201", nullptr},              {"01/20199", nullptr},
      {"01/1699", nullptr},              {"1234/2019", nullptr},           {"05/2019a", nullptr},
      {"05-2019", nullptr},              {"", nullptr},
  };
  for (auto& c : cases) check(c, parse_book_number(c.raw));
}

// Closed lists: the writer's full stop or comma after the word is no part
// of it.
TEST(ParseClosedList, Table) {
  Lexicons lex;
  check({"Vợ.", "Vợ", 1, 1}, parse_field(FieldType::relation, "Vợ.", lex, {}));
  check({"Việt Nam,", "Việt Nam", 1, 1}, parse_field(FieldType::nationality, "Việt Nam,", lex, {}));
  check({"Kinh.", "Kinh", 1, 1}, parse_field(FieldType::ethnic, "Kinh.", lex, {}));
  check({"Vợ.x", nullptr}, parse_field(FieldType::relation, "Vợ.x", lex, {}));
}

// An ethnic group written by one of its aliases, or read so ("Ba na" for
// "Ba-na", the hyphen lost), is recorded by the list's name, in the case
// it was written in; a misread alias is repaired to the name too.
TEST(ParseClosedList, AnAliasIsRecordedByTheListsName) {
  Lexicons lex;  // the built-in list: a few groups and their commonest aliases
  check({"Ba na", "Ba-na", 1, 1}, parse_field(FieldType::ethnic, "Ba na", lex, {}));
  check({"Khmer", "Khơ-me", 1, 1}, parse_field(FieldType::ethnic, "Khmer", lex, {}));
  check({"MÔNG", "HMÔNG", 1, 1}, parse_field(FieldType::ethnic, "MÔNG", lex, {}));
  check({"Gia-rai", "Gia-rai", 1, 1}, parse_field(FieldType::ethnic, "Gia-rai", lex, {}));
  check({"Khmar", "Khơ-me", 0.75f, 0.75f}, parse_field(FieldType::ethnic, "Khmar", lex, {}));
  std::istringstream csv("code,name,aliases\n13,Ba-na,Ba Na|Bana|Bahnar\n");
  ASSERT_TRUE(lex.load_ethnic_csv(csv).ok());
  check({"Bahnar", "Ba-na", 1, 1}, parse_field(FieldType::ethnic, "Bahnar", lex, {}));
  EXPECT_EQ(lex.match_ethnic("Bana").name, "Ba-na");
  EXPECT_EQ(lex.match_ethnic("Bana").spelling, "Bana");
}

// A place opens with a letter or a number: a mark before it is a speck or
// what is left of a letter, and the value is doubted.
TEST(ParsePlace, MarkBeforeTheValueIsDoubted) {
  Lexicons lex;
  const Parsed plain = parse_field(FieldType::place, "Thôn 6, Xã Tả Lủng", lex, {});
  for (const char* raw : {"'Thôn 6, Xã Tả Lủng", "\"Thôn 6, Xã Tả Lủng", "-Thôn 6, Xã Tả Lủng"}) {
    const Parsed p = parse_field(FieldType::place, raw, lex, {});
    ASSERT_TRUE(p.ok) << raw;
    EXPECT_LT(p.certainty, plain.certainty) << raw;
  }
  EXPECT_EQ(parse_field(FieldType::place, "12 Lê Lợi, Phường 3", lex, {}).note.find("mark"), std::string::npos);
}

// A place names something: digits or marks alone are no place.
TEST(ParsePlace, NoNameIsNoPlaceTable) {
  Lexicons lex;
  const struct {
    const char* raw;
    bool ok;
  } rows[] = {{"4", false}, {"12/3", false}, {"⁄⁄", false}, {"- 4 -", false},
              {"Thôn 4", true}, {"Phường 12, Quận 10", true}, {"Ấp 3", true}};
  for (auto& r : rows) EXPECT_EQ(parse_field(FieldType::place, r.raw, lex, {}).ok, r.ok) << r.raw;
}

TEST(ParseName, Table) {
  Lexicons lex;
  const Case cases[] = {
      {"Nguyễn Văn An", "Nguyễn Văn An", 1, 1},
      {"NGUYỄN VĂN AN", "NGUYỄN VĂN AN", 1, 1},           // capitals kept
      {"  Trần   Thị  Bích Ngọc ", "Trần Thị Bích Ngọc", 1, 1},
      {"........ LÊ THỊ HOA", "LÊ THỊ HOA", 1, 1},         // dot leaders
      {"Tôn Thất Minh Khôi", "Tôn Thất Minh Khôi", 1, 1},  // compound surname
      {"Nguyễn Thị Quỳnh", "Nguyễn Thị Quỳnh", 1, 1},
      {"Hoàng Thuỷ Tiên", "Hoàng Thuỷ Tiên", 1, 1},        // old tone placement
      {"Ksor H'Bia", "Ksor H'Bia", 0.99f, 1},              // minority name
      {"Lò Văn Pảng", "Lò Văn Pảng", 1, 1},
      {"NGUYEN VAN AN", "NGUYEN VAN AN", 0, 0.5f},         // diacritics lost: never accepted
      {"Nquyễn Văn An", "Nquyễn Văn An", 0, 0.5f},         // "Nq" is no Vietnamese initial
      {"Viềt Anh", "Viềt Anh", 0, 0.5f},                   // huyền tone on a stop final
      {"Zzyx Văn An", "Zzyx Văn An", 0, 0.5f},
      {"An", "An", 0, 0.6f},                               // single word
      {"HOÀNG VĂN", "HOÀNG VĂN", 0, 0.5f},                 // a middle name last: the given name lost
      {"Nguyễn Thị", "Nguyễn Thị", 0, 0.5f},
      {"Nguyễn Văn 4n", nullptr},
      {"Nguyễn Văn An;", "Nguyễn Văn An", 1, 1},           // trailing punctuation dropped
      {"Nguyễn (Văn) An", nullptr},
  };
  for (auto& c : cases) check(c, parse_name(c.raw, lex, opts2025()));
}

TEST(ParseName, GivenNameListTable) {
  Lexicons lex;
  std::istringstream txt("Thị Kim Chi\nCẩm Linh\nNhư Mai\nVăn An\n");
  ASSERT_TRUE(lex.load_given_names(txt).ok());
  const Case cases[] = {
      {"Lê Kim Chi", "Lê Kim Chi", 1, 1},
      {"PHẠM CẨM LINH", "PHẠM CẨM LINH", 1, 1},
      {"Lê Kim Chỉ", "Lê Kim Chỉ", 0, 0.7f},      // a mark misread into a syllable no name uses
      {"PHẠM CẤM LINH", "PHẠM CẤM LINH", 0, 0.7f},
      {"Tôn Thất An", "Tôn Thất An", 1, 1},        // compound surname: the given part is "An"
      {"Đỗ Hữu An", "Đỗ Hữu An", 1, 1},            // a built-in middle name before a listed given name
      {"TRẦN THỊ NHƯ MAI", "TRẦN THỊ NHƯ MAI", 1, 1},
      {"Lê An Hữu", "Lê An Hữu", 0, 0.7f},         // a middle name is no given name
      {"Chế Cẩm Linh", "Chế Cẩm Linh", 1, 1},      // rarer surnames of the data list
      {"Uông Văn An", "Uông Văn An", 1, 1},
  };
  for (auto& c : cases) check(c, parse_name(c.raw, lex, opts2025()));
}

// A tone mark stacked over ^ or ˘ on a capital, misread: repaired only to
// the one listed surname that differs in that tone alone.
TEST(ParseName, StackedToneSurnameTable) {
  Lexicons lex;
  const Case cases[] = {
      {"NGUYÊN VĂN AN", "NGUYỄN VĂN AN", 0.9f, 0.9f},  // Ễ read Ê
      {"HỖ BẢO THÚY", "HỒ BẢO THÚY", 0.9f, 0.9f},      // Ồ read Ỗ
      {"TRẤN NGỌC KHÁNH", "TRẦN NGỌC KHÁNH", 0.9f, 0.9f},
      {"Nguyên Văn An", "Nguyên Văn An", 0, 0.5f},     // lower case: no stacked capital, doubted only
      {"NGUYEN VAN AN", "NGUYEN VAN AN", 0, 0.5f},     // every mark lost: not a tone slip
      {"LỄ VĂN AN", "LÊ VĂN AN", 0.9f, 0.9f},          // Ê carries no tone in Lê: the read one is stacked
      {"NGUYÊN", "NGUYÊN", 0, 0.6f},                   // a single word is no full name to repair
  };
  for (auto& c : cases) check(c, parse_name(c.raw, lex, opts2025()));
  EXPECT_EQ(parse_name("NGUYÊN VĂN AN", lex, opts2025()).replaced_words, std::vector<std::string>{"NGUYÊN"});
  EXPECT_EQ(parse_name("NGUYỄN VĂN AN", lex, opts2025()).replaced_words, std::vector<std::string>{});
}

// On capitals, a syllable read with a stacked mark's tone is doubted where
// the lists use it with the other tone four times as often: "Thế" in four
// names, "Thể" in one; "Hiền" in four, "Hiên" in one.
TEST(ParseName, RareToneOfACommonNameInCapitalsTable) {
  Lexicons lex;
  std::istringstream txt("Thế An\nThế Sơn\nThế Vinh\nThế Lâm\nPhương Thể\nSơn\nKim Tuyến\nKim Tuyền\n"
                         "Hiền\nThu Hiền\nMai Hiền\nNgọc Hiền\nHiên\nThiện\nThiên\n"
                         "Lệ Huyền\nMỹ Lệ\nLệ Thu\nNgọc Lệ\nLê Na\nThi\nAnh Thi\nMinh Thi\nThu Thi\n");
  ASSERT_TRUE(lex.load_given_names(txt).ok());
  EXPECT_EQ(lex.commoner_tone_sibling("THỂ", 4), "thế");
  EXPECT_EQ(lex.commoner_tone_sibling("Thế", 4), "");
  EXPECT_EQ(lex.commoner_tone_sibling("TUYẾN", 4), "");  // once each
  const Case cases[] = {
      {"NGUYỄN THỂ SƠN", "NGUYỄN THỂ SƠN", 0, 0.7f},  // doubted, not repaired
      {"NGUYỄN THẾ SƠN", "NGUYỄN THẾ SƠN", 1, 1},     // the commoner one
      {"PHAN THU HIÊN", "PHAN THU HIÊN", 0, 0.7f},    // the grave of Ề lost
      {"Nguyễn Thể Sơn", "Nguyễn Thể Sơn", 0, 0.65f}, // lower case: no syllable rule, but "Thế Sơn" is listed
      {"Nguyễn Thể Thu", "Nguyễn Thể Thu", 1, 1},     // lower case: marks are read well
      {"NGUYỄN KIM TUYẾN", "NGUYỄN KIM TUYẾN", 1, 1}, // no commoner sibling
      {"NGUYỄN THIỆN", "NGUYỄN THIỆN", 1, 1},         // "Thiên" no commoner
      {"BÙI LÊ HUYỀN", "BÙI LÊ HUYỀN", 0, 0.7f},      // the dot below Ệ lost
      {"BÙI LỆ HUYỀN", "BÙI LỆ HUYỀN", 1, 1},
      {"BÙI THỊ HUYỀN", "BÙI THỊ HUYỀN", 1, 1},       // "Thi" is a given name, "Thị" a middle one
  };
  for (auto& c : cases) check(c, parse_name(c.raw, lex, opts2025()));
}

// A middle and given name that no listed name ends with, where one ends
// with the same two words in other tone marks: doubted in any case, never
// repaired. Listed pairs, pairs without a listed sibling, a pair's words
// alone and two-word names are left alone.
TEST(ParseName, UnlistedNameOneToneFromAListedOneTable) {
  Lexicons lex;
  std::istringstream txt("Mỹ Yến\nHiểu Lam\nThành Vinh\nQuỳnh Dung\nThanh Thủy\nThanh Thúy\nYên\nMỹ Linh\n"
                         "Thi Linh\nKim Yến\nThanh Vinh\n");
  ASSERT_TRUE(lex.load_given_names(txt).ok());
  EXPECT_EQ(lex.listed_tone_sibling_pair("MỸ", "YÊN"), "mỹ yến");
  EXPECT_EQ(lex.listed_tone_sibling_pair("Mỹ", "Yến"), "");
  EXPECT_EQ(lex.listed_tone_sibling_pair("Mỹ", "Lan"), "");
  const Case cases[] = {
      {"GIA MỸ YÊN", "GIA MỸ YÊN", 0, 0.65f},         // the acute of Ế lost
      {"Dương Hiếu Lam", "Dương Hiếu Lam", 0, 0.65f}, // hook read as acute, lower case
      {"Nông Thành Vịnh", "Nông Thành Vịnh", 0, 0.65f},
      {"PHAN QUỲNH DŨNG", "PHAN QUỲNH DŨNG", 0, 0.65f},
      {"GIA MỸ YẾN", "GIA MỸ YẾN", 1, 1},             // listed
      {"Lê Thanh Thúy", "Lê Thanh Thúy", 1, 1},       // both tones listed
      {"Lê Thanh Thùy", "Lê Thanh Thùy", 0, 0.65f},   // neither of them
      {"Lê Linh Yến", "Lê Linh Yến", 1, 1},           // no sibling listed
      {"Lê Yên", "Lê Yên", 1, 1},                     // no middle name to pair
      {"Lê Thị Linh", "Lê Thị Linh", 1, 1},           // "Thi Linh" listed: a middle name read as itself
      {"Lê Kim Yên", "Lê Kim Yên", 0, 0.65f},         // a middle name kept, the given name's tone differs
      {"Lê Thanh Vịnh", "Lê Thanh Vịnh", 0, 0.65f},   // "Thành Vinh" listed too: the middle name's own counts
  };
  for (auto& c : cases) check(c, parse_name(c.raw, lex, opts2025()));
}

TEST(ParseName, ForeignerSkipsSyllableCheck) {
  Lexicons lex;
  ParseOptions o = opts2025();
  o.vietnamese_name = false;
  auto p = parse_name("JOHN SMITH", lex, o);
  EXPECT_TRUE(p.ok);
  EXPECT_FLOAT_EQ(p.certainty, 1.0f) << p.note;
  auto v = parse_name("JOHN SMITH", lex, opts2025());
  EXPECT_LT(v.certainty, 0.5f);
}

TEST(ParseText, Table) {
  const Case cases[] = {
      {"Bệnh già", "Bệnh già", 1, 1},
      {"Tai nạn   giao thông", "Tai nạn giao thông", 1, 1},
      {"Đăng ký lại theo Nghị định 123/2015/NĐ-CP", "Đăng ký lại theo Nghị định 123/2015/NĐ-CP", 1, 1},
      {"Bệnh ~ già @", "Bệnh ~ già @", 0.5f, 0.75f},
      {"xq#z kkwq zrtp", "xq#z kkwq zrtp", 0, 0.7f},
      {"", "", 1, 1},
  };
  for (auto& c : cases) check(c, parse_text(c.raw));
}

// The names of units in Tây Nguyên are no Vietnamese syllables ("Ea
// R'Bin", "Lắk"); with a gazetteer that lists them they are no odd words.
TEST(ParseText, UnitNamesOfTheGazetteerAreWords) {
  const std::string raw = "UBND xã Ea R'Bin, huyện Lắk, tỉnh Đắk Lắk";
  EXPECT_LT(parse_text(raw).certainty, 1.0f);
  Lexicons lex;
  std::istringstream csv(
      "level,code,name,type,parent_code\n"
      "1,66,Đắk Lắk,Tỉnh,\n"
      "2,653,Lắk,Huyện,66\n"
      "3,24545,Ea R'Bin,Xã,653\n");
  ASSERT_TRUE(lex.load_gazetteer_csv(csv).ok());
  EXPECT_FLOAT_EQ(parse_text(raw, &lex).certainty, 1.0f);
  EXPECT_LT(parse_text("UBND xã Ea Rbun, huyện Lxk, tỉnh Đxk Lxk", &lex).certainty, 1.0f);
}

TEST(ParseField, EmptyIsOkForEveryType) {
  Lexicons lex;
  for (auto t : {FieldType::text, FieldType::entry_number, FieldType::name, FieldType::gender, FieldType::date,
                 FieldType::year_or_date, FieldType::place, FieldType::ethnic, FieldType::nationality,
                 FieldType::relation, FieldType::id_number}) {
    auto p = parse_field(t, "   ", lex);
    EXPECT_TRUE(p.ok) << to_string(t);
    EXPECT_EQ(p.value, "") << to_string(t);
  }
  EXPECT_EQ(parse_field(FieldType::date, "5/3/2009", lex).value, "2009-03-05");
  EXPECT_EQ(parse_field(FieldType::gender, "nữ", lex).value, "Nữ");
}

// Letters counted as a reader sees them: a Vietnamese letter with its
// marks is one letter; marks alone, digits and punctuation are none.
TEST(Text, LetterCountTable) {
  const std::pair<const char*, int> rows[] = {
      {"", 0}, {"`", 0}, {":", 0}, {"|", 0}, {"¿", 0}, {"132", 0}, {"Số", 2}, {"Người", 5}, {"ĐỖ", 2}, {"Q nến", 4},
  };
  for (auto& [s, n] : rows) EXPECT_EQ(letter_count(s), n) << s;
}
