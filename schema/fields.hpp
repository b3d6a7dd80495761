// Field value parsers: the OCR text of one field in, its export normal form
// (see schema/record.hpp and the record contract) out, with how sure the
// parser is that this value is what the page says.
//
// Every parser is pure and thread-safe (the Lexicons are read only), never
// throws, and returns a Parsed. Policy: flag rather than guess. A repair is
// made only when exactly one reading fits; it lowers certainty so that the
// combined confidence (validate.hpp) decides whether a reviewer sees it.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "schema/lexicon.hpp"
#include "schema/record.hpp"

namespace hotich::schema {

struct Parsed {
  // ok: value is a well-formed value of the field's type.
  // !ok && ambiguous: several repairs fit equally well (-> flag ambiguous_repair).
  // !ok && !ambiguous: the text is not a value of this type (-> flag invalid).
  bool ok = false;
  bool ambiguous = false;
  // When ok: the export normal form. When !ok: clean_text of the input (a
  // starting point for the reviewer, never a guess). "" for empty input.
  std::string value;
  // 0..1 when ok: 1 = read exactly as a clean value; lowered by repairs,
  // missing separators, unknown words (see each parser). 0 when !ok.
  float certainty = 0;
  bool repaired = false;  // value differs from the text beyond normalisation
  std::string error;      // !ok: why, short English
  std::string note;       // ok: why certainty < 1 (for the review UI), may be empty
  // ok: words of the input that a lexicon replaced whole ("NGUYÊN" by the
  // surname "Nguyễn", "Đák Môi" by the commune "Đắk Môl" under its
  // district); the engine's doubt about them is answered by the lexicon,
  // so validation judges the rest of the value by its other words. Empty
  // when no word was replaced.
  std::vector<std::string> replaced_words;
};

struct ParseOptions {
  // Latest plausible year for dates and years of birth; 0 = this year by the
  // system clock. Dates after it are invalid.
  int current_year = 0;
  // Earliest plausible year (years of birth in old registers).
  int min_year = 1880;
  // Year used to expand a two-digit year ("05/03/09"): the latest year with
  // those last two digits that is <= reference_year (x0.7 certainty).
  // 0 = two-digit years are invalid (the default: no century guessing).
  int reference_year = 0;
  // Names of Vietnamese citizens get the syllable check; a foreigner's
  // name (quốc tịch not Việt Nam) does not.
  bool vietnamese_name = true;
};

int current_year();  // by the system clock

// Dates written d/m/yyyy, dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy (spaces around
// separators allowed), or in words "ngày 05 tháng 3 năm 2009" with numbers
// in digits or words ("ngày mười lăm tháng ba năm hai nghìn không trăm linh
// chín"; "mồng", "tháng giêng", "tháng chạp" understood). -> "YYYY-MM-DD",
// calendar-checked (leap years), within [min_year, current_year].
// OCR noise: O/o/Q/D read for 0, l/I/i/|/! for 1, Z for 2, S/s for 5, G/b for 6,
// B for 8, g for 9 inside a digit token, or making up the whole day or
// month between its labels ("tháng Š năm") (x0.9 each); a missing separator is
// accepted when only one calendar-valid split exists (x0.85), else ambiguous.
Parsed parse_date(std::string_view raw, const ParseOptions& opts = {});

// A 4-digit year alone ("1985", "năm 1985") -> "YYYY" within [min_year,
// current_year]; otherwise parse_date.
Parsed parse_year_or_date(std::string_view raw, const ParseOptions& opts = {});

// "Nam" / "Nữ" in any case; lost or wrong diacritics ("Nu", "Nừ", "Nũ")
// repaired (x0.9); one OCR slip in a word of 3+ letters ("Narn" is not one,
// "Nan" is) repaired only when the other reading is 2+ edits away (x0.75).
Parsed parse_gender(std::string_view raw);

// CMND (9 digits) or CCCD / personal id (12 digits) -> digits only. Spaces,
// dots and dashes between groups are dropped; a leading label ("CMND:",
// "Số CCCD") is skipped. Letter-for-digit confusions (O->0, l/I->1, S->5,
// B->8 ...) are repaired only inside an otherwise-digit token (x0.9 each).
// A CCCD must start with a province code (Lexicons::is_province_code) and
// encode a birth year <= current_year. Other lengths are invalid.
Parsed parse_id_number(std::string_view raw, const Lexicons& lex, const ParseOptions& opts = {});

// What a 12-digit CCCD encodes.
struct IdInfo {
  int province = 0;    // digits 1-3
  bool female = false; // digit 4 odd
  int birth_year = 0;  // century from digit 4 (0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 1800s) + digits 5-6
};
// nullopt unless id is exactly 12 ASCII digits.
std::optional<IdInfo> decode_cccd(std::string_view id);

enum class Sex { unknown, male, female };
enum class IdCheck {
  not_applicable,  // not a CCCD (CMND carries no sex/year), or nothing known to compare
  consistent,
  wrong_sex,       // digit 4 parity disagrees with the person's sex
  wrong_year,      // digits 4-6 disagree with the person's year of birth
};
// Cross-checks an id (digits only) against what the entry says of the
// person; birth_year 0 = unknown. Sex is checked before year.
IdCheck cross_check_id(std::string_view id, Sex sex, int birth_year);

// "15", "15/2015", "Số 15", "Số: 15 / 2015" -> "15", "15/2015" (digits as
// written, leading zeros kept). Letter-for-digit confusions repaired (x0.9).
Parsed parse_entry_number(std::string_view raw);

// A book's number ("Quyển số"): "05/2019", "05 / 2019", "Quyển số: 05/2019",
// "05⁄2019" (a fraction or division slash for the slash) -> "05/2019"
// (digits as written). One to three digits, a slash and a year 1800-2099;
// anything else fails ("01/201", a year cut short).
Parsed parse_book_number(std::string_view raw);

// Person's name, kept as written (NFC, single spaces, case kept). Letters,
// spaces, hyphens and apostrophes only (dot leaders and trailing
// punctuation are dropped first). Certainty: x0.5 when a word is neither a
// Vietnamese syllable nor a known minority-name syllable (Vietnamese names
// only), x0.6 for a single word, x0.85 for an unknown surname, x0.5 when
// the surname matches a known one only without its diacritics ("NGUYEN":
// the given names cannot be checked, so nothing is repaired).
Parsed parse_name(std::string_view raw, const Lexicons& lex, const ParseOptions& opts = {});

// Place text (see Lexicons::match_place): value as written with component
// diacritics repaired when unambiguous; certainty from the gazetteer check,
// x0.8 when the place opens with neither a letter nor a number ("'Thôn 6").
// A repair tie gives !ok && ambiguous.
Parsed parse_place(std::string_view raw, const Lexicons& lex);

// Lexicon-checked words. The value is the text as written when it matches
// exactly, else the lexicon's spelling (in capitals when written so);
// certainty from Match::certainty(). Unknown -> invalid, tie -> ambiguous.
Parsed parse_ethnic(std::string_view raw, const Lexicons& lex);
Parsed parse_nationality(std::string_view raw, const Lexicons& lex);
Parsed parse_relation(std::string_view raw, const Lexicons& lex);

// Free text: clean_text only. Certainty x0.85 per character outside
// letters, digits and ordinary punctuation (floor 0.5), x0.7 when more than
// a third of the words are neither syllables nor numbers. With lex, the
// syllables of minority names and the words of gazetteer unit names count
// as syllables ("UBND xã Ea R'Bin, huyện Lắk").
Parsed parse_text(std::string_view raw, const Lexicons* lex = nullptr);

// Dispatch on the field type. Empty input (after clean_text) gives ok with
// value "" and certainty 1 for every type: emptiness is judged by the
// validator (FieldSpec::required), not the parser.
Parsed parse_field(FieldType type, std::string_view raw, const Lexicons& lex, const ParseOptions& opts = {});

}  // namespace hotich::schema
