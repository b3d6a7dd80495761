// Lexicons: built-in lists, the real gazetteer and ethnic list (from
// HOTICH_SHARED_DATA; skipped with a visible message when absent), and the
// syllable shape check.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "schema/fields.hpp"
#include "schema/lexicon.hpp"
#include "schema/text.hpp"

using namespace hotich::schema;

namespace {

const std::string kData = HOTICH_SHARED_DATA;

bool have(const std::string& rel) { return std::filesystem::exists(kData + "/" + rel); }

// One Lexicons with the real files, loaded once for the whole binary.
const Lexicons& real() {
  static const Lexicons lex = [] {
    Lexicons l;
    std::ifstream g(kData + "/gazetteer/units-2025-03.csv"), h(kData + "/gazetteer/units-historical.csv"),
        e(kData + "/ethnic-groups.csv");
    if (g) l.load_gazetteer_csv(g);
    if (h) l.load_gazetteer_csv(h);
    if (e) l.load_ethnic_csv(e);
    return l;
  }();
  return lex;
}

#define REQUIRE_DATA(rel)                                                                     \
  if (!have(rel)) GTEST_SKIP() << "SKIPPED: " << kData << "/" << rel << " not found (shared data)"

struct LexCase {
  const char* raw;
  MatchKind kind;
  const char* spelling;  // expected spelling for exact/diacritics/edit
};

void check_lookup(const LexCase& c, const Match& m) {
  EXPECT_EQ(to_string(m.kind), std::string(to_string(c.kind))) << c.raw;
  if (c.spelling) {
    EXPECT_EQ(m.spelling, c.spelling) << c.raw;
  }
}

}  // namespace

TEST(ToneKey, OldAndNewTonePlacementAreEqual) {
  EXPECT_EQ(tone_key("Hoà"), tone_key("Hòa"));
  EXPECT_EQ(tone_key("Thuỷ"), tone_key("thủy"));
  EXPECT_EQ(tone_key("KHOẺ"), tone_key("khỏe"));
  EXPECT_NE(tone_key("Hoà"), tone_key("Hoa"));
  EXPECT_NE(tone_key("Hòa"), tone_key("Hóa"));
  EXPECT_EQ(tone_key("Tân  Hòa"), tone_key("tân hoà"));
}

TEST(Syllable, Table) {
  struct Row { const char* w; bool ok; };
  const Row rows[] = {
      {"Nguyễn", true}, {"NGUYỄN", true}, {"văn", true},   {"Thị", true},   {"Quỳnh", true},  {"giữa", true},
      {"gì", true},     {"khuya", true},  {"Thuỷ", true},  {"thủy", true},  {"Việt", true},   {"xoong", true},
      {"nghiêng", true},{"Hoàng", true},  {"Khuê", true},  {"quốc", true},  {"Trường", true}, {"ươm", true},
      {"Nquyễn", false},{"Viềt", false},  {"viet", false}, {"Ngiyen", false},{"kan", false},  {"ghà", false},
      {"Zzyx", false},  {"th", false},    {"Ksor", false}, {"ăn", true},    {"ă", false},     {"Ngưyễn", false},
      {"Nguyễ", false}, {"cế", false},
  };
  for (auto& r : rows) EXPECT_EQ(is_vietnamese_syllable(r.w), r.ok) << r.w;
}

TEST(Lexicon, RelationTable) {
  Lexicons lex;
  const LexCase cases[] = {
      {"Cha", MatchKind::exact, "Cha"},        {"mẹ", MatchKind::exact, "Mẹ"},
      {"Ông nội", MatchKind::exact, "Ông nội"}, {"BÀ NGOẠI", MatchKind::exact, "Bà ngoại"},
      {"Ong noi", MatchKind::diacritics, "Ông nội"}, {"Me", MatchKind::diacritics, "Mẹ"},
      {"Bá", MatchKind::ambiguous, nullptr},   // Ba (father) or Bà (grandmother)
      {"Ông nộl", MatchKind::edit, "Ông nội"}, {"Người giám hô", MatchKind::diacritics, "Người giám hộ"},
      {"Xyz", MatchKind::none, nullptr},
  };
  for (auto& c : cases) check_lookup(c, lex.match_relation(c.raw));
}

TEST(Lexicon, NationalityTable) {
  Lexicons lex;
  const LexCase cases[] = {
      {"Việt Nam", MatchKind::exact, "Việt Nam"}, {"VIỆT NAM", MatchKind::exact, "Việt Nam"},
      {"Viet Nam", MatchKind::diacritics, "Việt Nam"}, {"Việt Nan", MatchKind::edit, "Việt Nam"},
      {"Hàn Quốc", MatchKind::exact, "Hàn Quốc"}, {"Trung Quoc", MatchKind::diacritics, "Trung Quốc"},
      {"Atlantis", MatchKind::none, nullptr},
  };
  for (auto& c : cases) check_lookup(c, lex.match_nationality(c.raw));
}

// An edit that puts one letter of a single stroke for another (i, l, 1,
// j) is the engine's commonest slip: surer than any other edit.
TEST(Lexicon, StrokeSlipIsSurerThanOtherEdits) {
  Lexicons lex;
  const Match slip = lex.match_nationality("Campuchla");
  EXPECT_EQ(slip.kind, MatchKind::edit);
  EXPECT_TRUE(slip.stroke_slip);
  EXPECT_FLOAT_EQ(slip.certainty(), 0.9f);
  EXPECT_TRUE(lex.match_relation("Ông nộl").stroke_slip);
  const Match other = lex.match_nationality("Việt Nan");
  EXPECT_EQ(other.kind, MatchKind::edit);
  EXPECT_FALSE(other.stroke_slip);
  EXPECT_FLOAT_EQ(other.certainty(), 0.75f);
  EXPECT_FALSE(lex.match_nationality("Campuchlia").stroke_slip);  // a letter added, not put for another
}

TEST(Lexicon, FallbackEthnicWithoutCsv) {
  Lexicons lex;
  EXPECT_FALSE(lex.has_ethnic_csv());
  const LexCase cases[] = {
      {"Kinh", MatchKind::exact, "Kinh"}, {"KINH", MatchKind::exact, "Kinh"}, {"Kính", MatchKind::diacritics, "Kinh"},
      {"Tay", MatchKind::diacritics, "Tày"}, {"Mường", MatchKind::exact, "Mường"}, {"Xơ-đăng", MatchKind::none, nullptr},
  };
  for (auto& c : cases) check_lookup(c, lex.match_ethnic(c.raw));
}

TEST(Lexicon, EthnicCsv) {
  REQUIRE_DATA("ethnic-groups.csv");
  const Lexicons& lex = real();
  ASSERT_TRUE(lex.has_ethnic_csv());
  const LexCase cases[] = {
      {"Kinh", MatchKind::exact, "Kinh"},           {"Khmer", MatchKind::exact, "Khmer"},  // the alias (its .name is Khơ-me)
      {"Khơ-me", MatchKind::exact, "Khơ-me"},       {"H'Mông", MatchKind::exact, "H'Mông"},
      {"Xơ-đăng", MatchKind::exact, "Xơ-đăng"},     {"Xo-dang", MatchKind::diacritics, "Xơ-đăng"},
      {"Kinn", MatchKind::edit, "Kinh"},            {"Gia-ral", MatchKind::edit, "Gia-rai"},
      {"Ê-dê", MatchKind::diacritics, "Ê-đê"},      {"Pà Thẻn", MatchKind::exact, "Pà Thẻn"},
      {"Chăm", MatchKind::exact, "Chăm"},           {"Người sao Hỏa", MatchKind::none, nullptr},
  };
  for (auto& c : cases) check_lookup(c, lex.match_ethnic(c.raw));
  // Loading the CSV replaces the fallback list: a name only in the CSV is found.
  EXPECT_TRUE(lex.match_ethnic("Rơ-măm").found());
}

TEST(Lexicon, LoadRejectsWrongHeader) {
  Lexicons lex;
  std::istringstream bad("a,b,c\n1,2,3\n");
  auto r = lex.load_gazetteer_csv(bad);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(lex.has_gazetteer());
  std::istringstream ok("level,code,name,type,parent_code\n1,46,Tỉnh Thừa Thiên Huế,Tỉnh,\nbroken\n");
  r = lex.load_gazetteer_csv(ok);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.rows, 1u);
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_EQ(lex.find_units("Thừa Thiên Huế", 1).size(), 1u);
}

TEST(Gazetteer, LoadsFastAndIndexes) {
  REQUIRE_DATA("gazetteer/units-2025-03.csv");
  std::ifstream g(kData + "/gazetteer/units-2025-03.csv");
  Lexicons lex;
  auto t0 = std::chrono::steady_clock::now();
  auto r = lex.load_gazetteer_csv(g);
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.rows, 10806u);
  EXPECT_LT(ms, 1000.0) << "gazetteer load took " << ms << " ms";
  std::cout << "[ INFO     ] gazetteer: " << r.rows << " rows in " << ms << " ms\n";
  EXPECT_TRUE(lex.is_province_code(46));
  EXPECT_TRUE(lex.is_province_code(1));
  EXPECT_FALSE(lex.is_province_code(3));  // no province 03
  EXPECT_FALSE(lex.is_province_code(28)); // Hà Tây: gone since 2008
  auto units = lex.find_units("Phú Vang", 2);
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0]->code, "478");
  // Lookup speed: a full place check in microseconds.
  auto t1 = std::chrono::steady_clock::now();
  int n = 2000;
  for (int i = 0; i < n; ++i) lex.match_place("Xã Phú Thuận, Huyện Phú Vang, Thành phố Huế");
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t1).count() / n;
  std::cout << "[ INFO     ] match_place: " << us << " us per call\n";
  EXPECT_LT(us, 500.0);
}

TEST(Gazetteer, PlaceTable) {
  REQUIRE_DATA("gazetteer/units-historical.csv");
  const Lexicons& lex = real();
  struct Row {
    const char* raw;
    const char* value;
    float min_cert, max_cert;
    int deepest;
    bool ambiguous = false;
  };
  const Row rows[] = {
      // full, abbreviated, without type words; the old province name via units-historical
      {"Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 3},
      {"X. Phú Thuận, H. Phú Vang, T. Thừa Thiên Huế", "X. Phú Thuận, H. Phú Vang, T. Thừa Thiên Huế", 1, 1, 3},
      {"Phú Thuận, Phú Vang, Thừa Thiên Huế", "Phú Thuận, Phú Vang, Thừa Thiên Huế", 1, 1, 3},
      {"Phú Thuận, Phú Vang, Huế", "Phú Thuận, Phú Vang, Huế", 1, 1, 3},
      {"Thôn 3, Xã Phú Thuận, Huyện Phú Vang, Thừa Thiên Huế", "Thôn 3, Xã Phú Thuận, Huyện Phú Vang, Thừa Thiên Huế", 1, 1, 3},
      {"Phường 12, Quận 10, TP. Hồ Chí Minh", "Phường 12, Quận 10, TP. Hồ Chí Minh", 1, 1, 3},
      // a hamlet number misread with a letter for a digit is doubted
      {"Thôn I1, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Thôn I1, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.69f, 3},
      {"Thôn 12A, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Thôn 12A, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 3},
      // "II" is "11" read with I for 1 as often as a Roman numeral
      {"Thôn II, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Thôn II, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.69f, 3},
      {"Xóm I, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Xóm I, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.69f, 3},
      {"Thôn IV, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Thôn IV, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 3},
      // a type word without its marks beside names that have theirs is a
      // misread, spelled back; so is one inside a facility's name
      {"Xã Phú Thuận, Huyện Phú Vang, Tinh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0.5f, 0.99f, 3},
      {"Bệnh viện Đa khoa tính Thừa Thiên Huế", "Bệnh viện Đa khoa tỉnh Thừa Thiên Huế", 0.5f, 0.99f, 1},
      // the abbreviation written against the name takes its space
      {"X.Phú Thuận, H.Phú Vang, T.Thừa Thiên Huế", "X. Phú Thuận, H. Phú Vang, T. Thừa Thiên Huế", 1, 1, 3},
      {"P.8,Q. 10, TP. Hồ Chí Minh", "P. 8, Q. 10, TP. Hồ Chí Minh", 1, 1, 3},  // and a number, and after a comma
      // so does a hamlet's word against its number
      {"Thôn3, Xã Phú Thuận, Huyện Phú Vang, Thừa Thiên Huế", "Thôn 3, Xã Phú Thuận, Huyện Phú Vang, Thừa Thiên Huế", 1, 1, 3},
      {"ẤP12, XÃ PHÚ THUẬN, HUYỆN PHÚ VANG, THỪA THIÊN HUẾ", "ẤP 12, XÃ PHÚ THUẬN, HUYỆN PHÚ VANG, THỪA THIÊN HUẾ", 1, 1, 3},
      // commas lost by the OCR: split before the inner type words
      {"Xã Phú Thuận Huyện Phú Vang Tỉnh Thừa Thiên Huế", "Xã Phú Thuận Huyện Phú Vang Tỉnh Thừa Thiên Huế", 1, 1, 3},
      {"Phường Yên Hoà Quận Cầu Giấy Thành phố Hà Nội", "Phường Yên Hoà Quận Cầu Giấy Thành phố Hà Nội", 1, 1, 3},
      {"Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 2},
      {"Tỉnh Thừa Thiên Huế", "Tỉnh Thừa Thiên Huế", 1, 1, 1},
      // diacritics lost: repaired under the parent
      {"Xa Phu Thuan, Huyen Phu Vang, Tinh Thua Thien Hue", "Xa Phú Thuận, Huyen Phú Vang, Tinh Thừa Thiên Huế", 0.7f, 0.85f, 3},
      {"Xã Phù Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0.9f, 0.93f, 3},
      {"XÃ PHU THUAN, HUYỆN PHÚ VANG, TỈNH THỪA THIÊN HUẾ", "XÃ PHÚ THUẬN, HUYỆN PHÚ VANG, TỈNH THỪA THIÊN HUẾ", 0.9f, 0.93f, 3},
      // one letter misread under a known parent
      {"Xã Phú Thuặn, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0.9f, 0.93f, 3},
      {"Xã Phú Thuân, Huyện Phú Vanq, Tỉnh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0.7f, 0.8f, 3},
      // inconsistent: commune not in that district
      {"Xã Phú Thuận, Huyện Quảng Điền, Tỉnh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Quảng Điền, Tỉnh Thừa Thiên Huế", 0, 0.6f, 2},
      // a detail word that is no Vietnamese syllable is a misread, unless
      // an official unit's name has it
      {"Xónh 5, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Xónh 5, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.6f, 3},
      {"Trạm Y tế xã Sông Kôn, huyện Đông Giang", "Trạm Y tế xã Sông Kôn, huyện Đông Giang", 1, 1, 2},
      // a symbol in a number is a speck read with it
      {"Xóm †11, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Xóm †11, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.6f, 3},
      // a word's first letter read as a digit is no hamlet number
      {"1hôn Mới, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "1hôn Mới, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.6f, 3},
      {"1ó dân phố 9, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "1ó dân phố 9, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.6f, 3},
      {"7ö dân phố 9, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "7ö dân phố 9, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.6f, 3},
      // the nationality cell's text run into the address after it
      {"Việt Nam Ấp Đông, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Việt Nam Ấp Đông, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 0, 0.6f, 3},
      {"Số 5b, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Số 5b, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 3},
      {"Số 12/3A, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", "Số 12/3A, Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 3},
      // the part before the commune names another commune of the province:
      // the district was misread into a commune's name ("Ea H'leo" read "Ea Heo")
      {"Ea Tir, Ea Heo, Đắk Lắk", "Ea Tir, Ea Hồ, Đắk Lắk", 0, 0.6f, 3},
      {"Buôn Ea Tir, Ea Hồ, Đắk Lắk", "Buôn Ea Tir, Ea Hồ, Đắk Lắk", 1, 1, 3},
      // a wrapped line that repeats the comma: no empty part
      {"Xã Phú Thuận, Huyện Phú Vang, , Tỉnh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 3},
      {"Xã Phú Thuận, Huyện Phú Vang,, Tỉnh Thừa Thiên Huế", "Xã Phú Thuận, Huyện Phú Vang, Tỉnh Thừa Thiên Huế", 1, 1, 3},
      // a comma read as a dot after a name (not after an abbreviation)
      {"Ba Sao. Cao Lãnh, Đồng Tháp", "Ba Sao. Cao Lãnh, Đồng Tháp", 0, 0.6f, 3},
      // unknown place
      {"Làng Mây, Xứ Sương Mù", "Làng Mây, Xứ Sương Mù", 0, 0.6f, 0},
      // abroad
      {"Seoul, Hàn Quốc", "Seoul, Hàn Quốc", 0.85f, 0.9f, 0},
  };
  for (auto& r : rows) {
    auto pm = lex.match_place(r.raw);
    EXPECT_EQ(pm.value, r.value) << r.raw;
    EXPECT_GE(pm.certainty, r.min_cert) << r.raw << " note: " << pm.note;
    EXPECT_LE(pm.certainty, r.max_cert) << r.raw << " note: " << pm.note;
    EXPECT_EQ(pm.deepest_level, r.deepest) << r.raw << " note: " << pm.note;
    EXPECT_EQ(pm.ambiguous, r.ambiguous) << r.raw;
  }
  // Tone placement: the gazetteer spells "Yên Hoà"; the new placement "Yên
  // Hòa" is the same name and is kept as written, not "repaired".
  auto a = lex.match_place("Phường Yên Hoà, Quận Cầu Giấy, Thành phố Hà Nội");
  auto b = lex.match_place("Phường Yên Hòa, Quận Cầu Giấy, Thành phố Hà Nội");
  EXPECT_EQ(a.value, "Phường Yên Hoà, Quận Cầu Giấy, Thành phố Hà Nội");
  EXPECT_EQ(b.value, "Phường Yên Hòa, Quận Cầu Giấy, Thành phố Hà Nội");
  EXPECT_FLOAT_EQ(a.certainty, 1.0f) << a.note;
  EXPECT_FLOAT_EQ(b.certainty, 1.0f) << b.note;
  EXPECT_FALSE(b.repaired);
}

TEST(Gazetteer, WithoutGazetteerIsNeutral) {
  Lexicons lex;
  auto pm = lex.match_place("Xã Tân Hòa, Huyện Phú Vang, Tỉnh Thừa Thiên Huế");
  EXPECT_FLOAT_EQ(pm.certainty, 0.85f);
  EXPECT_EQ(pm.value, "Xã Tân Hòa, Huyện Phú Vang, Tỉnh Thừa Thiên Huế");
}

// A gazetteer of one commune under its district and province.
LoadResult load_one_commune(Lexicons& lex) {
  std::istringstream csv(
      "level,code,name,type,parent_code\n"
      "1,17,Hoà Bình,Tỉnh,\n"
      "2,153,Lạc Sơn,Huyện,17\n"
      "3,4999,Tân Lập,Xã,153\n");
  return lex.load_gazetteer_csv(csv);
}

// The opening words of a detail part and the type words come from closed
// lists. Without a gazetteer a mark misread there lowers certainty (x0.8);
// where the gazetteer confirms the chain around it, it is repaired to the
// one spelling it can be (x0.9), in the case it was read in.
TEST(Place, MisreadDetailOpenerTable) {
  Lexicons bare, lex;
  ASSERT_TRUE(load_one_commune(lex).ok());
  struct Row {
    const char* raw;
    float bare_cert, lex_cert;
    const char* lex_value;  // nullptr: as read
  };
  const Row rows[] = {
      {"Tổ dân phố Nam, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình", 0.85f, 1.0f, nullptr},
      {"Tố dân phố Nam, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình", 0.68f, 0.9f,
       "Tổ dân phố Nam, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      {"Thôn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 1.0f, nullptr},
      {"Thồn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.68f, 0.9f,
       "Thôn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
      {"Xóm Bến, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 1.0f, nullptr},
      {"XOM BẾN, XÃ TÂN LẬP, HUYỆN LẠC SƠN, TỈNH HOÀ BÌNH", 0.68f, 0.9f,
       "XÓM BẾN, XÃ TÂN LẬP, HUYỆN LẠC SƠN, TỈNH HOÀ BÌNH"},
      {"Số 12 Đường Lê Lợi, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 1.0f, nullptr},
      // A digit for a letter of its shape in an opener; a number alone is
      // a house number, not "Số" misread.
      {"T6 dân phỏ Nam, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình", 0.68f, 0.9f,
       "Tổ dân phố Nam, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      {"T6 Nam, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình", 0.68f, 0.9f, "Tổ Nam, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      {"50 Lê Lợi, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 1.0f, nullptr},
      // Semicolons between confirmed units are commas misread.
      {"Thôn Tây; Xã Tân Lập; Huyện Lạc Sơn; Tỉnh Hoà Bình", 0.85f, 0.9f,
       "Thôn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
      {"Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 1.0f, nullptr},  // no detail part
      {"KP Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 1.0f, nullptr},  // an abbreviation
      {"*Y Thôn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.51f, 0.6f, nullptr},  // a speck
      // Type words.
      {"Xã Tân Lập, Huyện Lạc Sơn, Tính Hoà Bình", 0.85f, 0.9f, "Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
      {"Xã Tân Lập, Huyên Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 0.9f, "Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình"},
      // An abbreviation that lost its dot: no unit's name opens with a lone
      // letter, so the dot goes back where the chain confirms the part.
      {"X. Tân Lập, H. Lạc Sơn, T Hoà Bình", 0.85f, 0.9f, "X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      {"X Tân Lập, H. Lạc Sơn, T. Hoà Bình", 0.85f, 0.9f, "X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      // Or whose dot was read as a comma: alone, it is no part of a place,
      // also where the unit after it needs a mark repaired too. Where the
      // chain does not confirm the unit after it, the text stays, doubted.
      {"X, Tân Lập, H. Lạc Sơn, T. Hoà Bình", 0.85f, 0.9f, "X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      {"Thôn Tây, X, Tân Lập, H, Lạc Sơn, T. Hoà Bình", 0.85f, 0.9f,
       "Thôn Tây, X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      {"X, Tân Lấp, H. Lạc Sơn, T. Hoà Bình", 0.85f, 0.828f, "X. Tân Lập, H. Lạc Sơn, T. Hoà Bình"},
      {"X, Lạc Sơn, H. Lạc Sơn, T. Hoà Bình", 0.85f, 0.36f, nullptr},
      // A unit bare between two typed ones lost its type word; a bare
      // province or a whole bare chain is how clerks write.
      {"X. Tân Lập, Lạc Sơn, T. Hoà Bình", 0.85f, 0.6f, nullptr},
      {"X. Tân Lập, H. Lạc Sơn, Hoà Bình", 0.85f, 1.0f, nullptr},
      {"Tân Lập, Lạc Sơn, Hoà Bình", 0.85f, 1.0f, nullptr},
      // Capitals with marks among lower-case words are letters misread;
      // marks in a part written in capitals, or a plain abbreviation, are not.
      {"TÌ hôn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 0.6f, nullptr},
      {"THÔN TÂY, XÃ TÂN LẬP, HUYỆN LẠC SƠN, TỈNH HOÀ BÌNH", 0.85f, 1.0f, nullptr},
      {"KP Đông, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình", 0.85f, 1.0f, nullptr},
  };
  for (auto& r : rows) {
    auto b = bare.match_place(r.raw);
    auto g = lex.match_place(r.raw);
    EXPECT_NEAR(b.certainty, r.bare_cert, 1e-4) << r.raw << ": " << b.note;
    EXPECT_NEAR(g.certainty, r.lex_cert, 1e-4) << r.raw << ": " << g.note;
    EXPECT_EQ(b.value, r.raw);  // no gazetteer: doubt only, never a repair
    EXPECT_EQ(g.value, r.lex_value ? r.lex_value : r.raw) << r.raw;
  }
}

// The words a repair replaced are listed, as they stand in the text, so
// that validation judges the place by the engine's doubt about the others.
TEST(Place, RepairsListTheWordsTheyReplaced) {
  Lexicons lex;
  ASSERT_TRUE(load_one_commune(lex).ok());
  using W = std::vector<std::string>;
  EXPECT_EQ(lex.match_place("Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình").replaced_words, W{});
  EXPECT_EQ(lex.match_place("Xã Tân Lấp, Huyện Lạc Sơn, Tỉnh Hoà Bình").replaced_words, (W{"Tân", "Lấp"}));
  EXPECT_EQ(lex.match_place("Xã Tân Lập, Huyện Lạc Sơn, T Hoà Bình").replaced_words, W{"T"});
  EXPECT_EQ(lex.match_place("Thồn Tây, Xã Tân Lập, Huyện Lạc Sơn, Tỉnh Hoà Bình").replaced_words, W{"Thồn"});
  // No repair without the gazetteer: nothing replaced.
  EXPECT_EQ(Lexicons().match_place("Xã Tân Lấp, Huyện Lạc Sơn, Tỉnh Hoà Bình").replaced_words, W{});
}

// Hospitals and other institutions, and "at home" phrases, are legitimate
// places of birth and death that no gazetteer lists: no penalty for them,
// while an unknown word in their place still costs certainty.
TEST(Place, InstitutionsAndHomePhrasesTable) {
  Lexicons lex;
  std::istringstream csv(
      "level,code,name,type,parent_code\n"
      "1,49,Quảng Nam,Tỉnh,\n"
      "2,502,Tam Kỳ,Thành phố,49\n"
      "2,503,Núi Thành,Huyện,49\n");
  ASSERT_TRUE(lex.load_gazetteer_csv(csv).ok());
  struct Row {
    const char* raw;
    float min_cert, max_cert;
    const char* value = nullptr;  // nullptr: as read
  };
  const Row rows[] = {
      {"Bệnh viện Đa khoa, Tỉnh Quảng Nam", 1.0f, 1.0f},
      {"Bệnh viện Đa khoa tỉnh Quảng Nam", 1.0f, 1.0f},
      {"Trạm Y tế xã, Thành phố Tam Kỳ, Tỉnh Quảng Nam", 1.0f, 1.0f},
      {"Tại nhà", 0.95f, 0.95f},
      {"Tại gia đình", 0.95f, 0.95f},
      {"tại nơi cư trú", 0.95f, 0.95f},
      {"Tại nhả", 0.0f, 0.6f},                       // a misread phrase is not recognised
      {"Bệnh viện, Tỉnh Quảng Nam", 0.0f, 0.6f},     // the opener alone names nothing
      // A facility before its unit without a comma: the unit is what follows.
      {"Bệnh viện Phụ sản Quảng Nam", 1.0f, 1.0f},
      {"Trung tâm Y tế huyện Núi Thành", 1.0f, 1.0f},
      {"Trung tâm Y tế huyện Núi Thành, Tỉnh Quảng Nam", 1.0f, 1.0f},
      {"Bệnh viện Phụ sản Quảng Nan", 0.0f, 0.6f},   // no unit named at its end
      {"Bệnh viện Tam Kỳ Quảng Nam", 0.0f, 0.6f},    // a unit before the unit: where does it end?
      {"Bệnh viện Phụ sản Quảng Nam Việt", 0.0f, 0.6f},
      // A misread opener is repaired, and the part is still doubtful.
      {"Bênh viện Đa khoa, Tỉnh Quảng Nam", 0.0f, 0.6f, "Bệnh viện Đa khoa, Tỉnh Quảng Nam"},
      {"Làng Vũ Đại, Tỉnh Quảng Nam", 1.0f, 1.0f},
      {"Vũ Đại, Tỉnh Quảng Nam", 0.0f, 0.6f},        // an unknown unit under the province
      {"THÀNH PHỐ TAM KỲ, TỈNH QUẢNG NAM", 1.0f, 1.0f},
      {"TP. Tam Kỳ, T. Quảng Nam", 1.0f, 1.0f},
  };
  for (auto& r : rows) {
    auto pm = lex.match_place(r.raw);
    EXPECT_GE(pm.certainty, r.min_cert) << r.raw << ": " << pm.note;
    EXPECT_LE(pm.certainty, r.max_cert) << r.raw << ": " << pm.note;
    EXPECT_EQ(pm.value, r.value ? r.value : r.raw);
  }
}

TEST(Surname, Table) {
  Lexicons lex;
  struct Row { const char* name; MatchKind kind; int used; };
  const Row rows[] = {
      {"Nguyễn Văn An", MatchKind::exact, 1},  {"Tôn Thất Minh", MatchKind::exact, 2},
      {"NGUYEN VAN AN", MatchKind::diacritics, 1}, {"Xyz Văn An", MatchKind::none, 0},
      {"Ksor H'Bia", MatchKind::exact, 1},       {"Chế Linh", MatchKind::exact, 1},
      {"Uông Văn An", MatchKind::exact, 1},      {"Chiêm Thị Hoa", MatchKind::exact, 1},
      {"Tư Đồ Minh Anh", MatchKind::exact, 2},
  };
  for (auto& r : rows) {
    int used = -1;
    auto m = lex.match_surname(r.name, &used);
    EXPECT_EQ(to_string(m.kind), std::string(to_string(r.kind))) << r.name;
    EXPECT_EQ(used, r.used) << r.name;
  }
}

TEST(GivenNames, SyllablesOfTheListAreKnown) {
  Lexicons lex;
  EXPECT_FALSE(lex.has_given_names());
  std::istringstream txt("Hồng Nhung\nThị Hoà\nMinh Khang\n123 Oops\n\n");
  auto r = lex.load_given_names(txt);
  EXPECT_EQ(r.rows, 3u);
  EXPECT_EQ(r.skipped, 1u);
  ASSERT_TRUE(lex.has_given_names());
  struct Row {
    const char* given;
    bool known;
  };
  const Row rows[] = {
      {"Hồng Nhung", true}, {"THỊ HÒA", true},  // case and tone placement do not matter
      {"Minh", true},       {"Nhũng", false},    // another mark is another syllable
      {"Khang Chỉ", false},
  };
  for (auto& r : rows) {
    std::string unknown;
    EXPECT_EQ(lex.known_given_syllables(r.given, &unknown), r.known) << r.given << " " << unknown;
  }
}

TEST(GivenNames, BuiltInMiddleNamesCountBeforeTheGivenName) {
  Lexicons lex;
  std::istringstream txt("Hồng Nhung\nMinh Khang\n");
  ASSERT_TRUE(lex.load_given_names(txt).ok());
  struct Row {
    const char* given;
    bool known;
  };
  const Row rows[] = {
      {"Thị Nhung", true},       {"THỊ HỒNG NHUNG", true},  // no listed name uses "Thị"
      {"Văn Khang", true},       {"Hữu Minh Khang", true},
      {"Nhung Thị", false},      {"Thị", false},            // a middle name alone is no given name
      {"Thi Nhung", false},      {"Thỉ Nhung", false},      // a misread mark is still unknown
  };
  for (auto& r : rows) {
    std::string unknown;
    EXPECT_EQ(lex.known_given_syllables(r.given, &unknown), r.known) << r.given << " " << unknown;
  }
}

TEST(Phrases, StockWordingsOfFreeTextTable) {
  Lexicons lex;
  struct Row {
    const char* key;
    const char* text;
    MatchKind kind;
  };
  const Row rows[] = {
      {"nktNguyenNhanChet", "Bệnh già", MatchKind::exact},
      {"nktNguyenNhanChet", "BỆNH  GIÀ.", MatchKind::exact},         // case, spaces, a trailing dot
      {"nktNguyenNhanChet", "Ủng thư gan", MatchKind::diacritics},   // a mark misread
      {"nktNguyenNhanChet", "Tai nạn giao thong", MatchKind::diacritics},
      {"ghiChu", "Đăng ký lại khal sinh", MatchKind::edit},          // one letter misread
      {"ghiChu", "Ghi vào sổ việc hộ tịch ở nước ngoài", MatchKind::exact},
      {"ghiChu", "Bệnh già", MatchKind::none},                       // another field's wording
      {"nksHoTen", "Bệnh già", MatchKind::none},                     // a field without a list
  };
  for (auto& r : rows)
    EXPECT_EQ(to_string(lex.match_phrase(r.key, r.text).kind), std::string(to_string(r.kind))) << r.key << " " << r.text;
}
