// Validation: turns parsed entries (Field.raw + OCR conf) into export values
// with a combined confidence and a review flag, then applies cross-field
// and register rules. The aim is that every field accepted without a flag
// is right: a doubtful field is flagged, never silently "fixed".
//
// Thread safety: the functions are pure apart from the page/entry they are
// given; many pages may be validated at once with one shared Lexicons.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "schema/fields.hpp"
#include "schema/lexicon.hpp"
#include "schema/record.hpp"

namespace hotich::schema {

// Calibration (conf2, round 2). Evidence per field, all folded into conf:
//   ocr  = the least confident word of the field (make_field), where a
//          word's confidence is min(Tesseract word conf, 100 - 0.5 x the
//          strongest LSTM rival reading of one of its symbols) / 100
//          (ocr/engine.hpp, TesseractOptions::rival_weight); words a
//          lexicon or the gazetteer replaced whole are set aside
//          (Parsed::replaced_words): the list answers for them, and the
//          repair's cost is in cert;
//   cert = the parser's certainty (lexicon, gazetteer, syllable, surname,
//          calendar checks, repairs; noiDangKy: gazetteer after "UBND");
//   conf = ocr x cert (combine_confidence).
// A field is accepted when conf >= threshold, or >= free_text_threshold for
// free text (type text other than noiDangKy: nothing to check it
// against, and diacritic misreads such as "Ủng thư gan", "Viêm phối",
// "Đột quy" came at 0.84..0.954). Method: one run of the 50-page benchmark
// (build/bench-corpus-50, seed 2026) and of a second corpus (seed 77, 8
// books x 3 pages, mixed capture); accepted / automation / residual per
// threshold recomputed from the stored conf (fields flagged only for low
// confidence re-decided), residual counting U+00D0 (Ð, used by the shared
// name lists) equal to Đ, since the two glyphs are identical on paper.
// free_text_threshold 0.955 throughout; automation / residual:
//   threshold   bench-50 scan    bench-50 photo   seed-77 scan     seed-77 photo
//     0.60      81.7% / 0.14%    58.4% / 0.21%    78.9% / 0.00%    44.2% / 2.21%
//     0.65      80.7% / 0.14%    58.0% / 0.00%    78.6% / 0.00%    43.9% / 0.38%
//     0.70      79.8% / 0.14%    57.1% / 0.00%    78.1% / 0.00%    43.2% / 0.00%   <- default
//     0.80      73.9% / 0.15%    53.9% / 0.00%    76.1% / 0.00%    38.4% / 0.00%
//     0.90      69.6% / 0.00%    49.4% / 0.00%    71.2% / 0.00%    32.7% / 0.00%
// (without the free-text threshold, at 0.70: photo 0.32% / 0.38%). The
// residual left at 0.70 is not OCR doubt: values of spurious entries and
// values the truth does not have (quyenSo), which confidence cannot see.
struct ValidateOptions {
  // Fields whose combined confidence is below this get flag::low_confidence.
  // Calibrated above.
  float threshold = 0.70f;
  // The same for free text (FieldType::text except the book-level quyenSo
  // and noiDangKy): only a near-certain reading is accepted. Tesseract's
  // word confidence tops out near 0.97, so this keeps the clearest lines.
  float free_text_threshold = 0.955f;
  // The same for a place the gazetteer confirmed whole (parser certainty 1:
  // every administrative part recognised at its level in one chain down to
  // the commune, no
  // repair, detail words all Vietnamese syllables). Its unit names are
  // checked against the list, so the OCR score alone may be lower. Never
  // above threshold. Calibrated in the table above (round 3).
  float confirmed_place_threshold = 0.50f;
  // The same for free text that is a known wording of its field as written
  // (Lexicons::match_phrase exact: "Bệnh già", "Đăng ký lại"): a closed
  // list confirms it as a lexicon confirms an ethnic group. Never above
  // free_text_threshold.
  float known_phrase_threshold = 0.70f;
  // The same for the kinds whose whole value a closed list checks: places
  // (gazetteer), ethnic group, nationality, sex, relationship. A misread
  // there mostly leaves the list and is flagged by the parser. Never above
  // threshold. Not for names: the given-name list is open, and the engine
  // writes the commonest middle name where it is unsure ("THI" read
  // "THỊ"), which no list can catch; nor for digits (dates, ID and entry
  // numbers), which misread into other valid digits. Calibration,
  // 2026-11-27: fields flagged only for low confidence, by conf band,
  // right / wrong; "tuned" = bench-50 and the corpora of seeds 99, 13,
  // 7 mixed and 7 photo (about 7,500 fields), "held out" = seeds 31 mixed
  // and 41 photo (about 2,400 fields), generated after the tuned numbers
  // were read:
  //   band         places          names           dates / entry no.
  //                tuned  held out tuned  held out  tuned
  //   0.55..0.60   46/5   16/0     12/6    1/0     10/1  -
  //   0.60..0.65   49/0   13/0     17/0    5/2      6/2  3/2
  //   0.65..0.70   66/0   14/1(*)  15/0    7/2      5/1  2/0
  // (*) the wrong held-out place, "Phong Nẫm, TP. Phan Thiết" for "X.
  // Phong Nẫm, ...", is the right commune without its type word.
  float lexicon_threshold = 0.60f;
  // Factor on the certainty of free text within one slip of a known
  // wording, or equal to a one-word wording only without its marks.
  float phrase_misread_factor = 0.8f;
  // Latest plausible year (dates after it are invalid); 0 = system clock.
  int current_year = 0;
  // Parents' age at the child's birth (birth books): outside -> failed_rule.
  int min_parent_age = 12;
  int max_parent_age = 70;
  // Minimum age of each spouse at registration (marriage books). The law
  // says 20 for men and 18 for women since 2015; the register check is the
  // weaker common bound so a correctly read entry is never flagged by it.
  int min_spouse_age = 18;
  // When a rule fails, every involved field whose confidence is within this
  // margin of the least confident one is flagged (all of them on a tie).
  float rule_margin = 0.10f;
  // Factor on the confidence of a field the parser split out of a combined
  // cell with more lines than fields (Field.flag = ambiguous_repair on input).
  float split_doubt = 0.9f;
  // An optional field of the spec that the parser did not locate at all
  // (no column, no label: not the same as a cell seen empty) is added with
  // value "", conf 0 and flag::low_confidence ": not found on the page", so
  // that a value lost by the layout or the parser is never accepted as
  // "absent". false: such fields are left out (the old behaviour).
  bool flag_missing = true;
  // Neighbours on the page vouch for an entry number or a registration
  // date flagged only for its OCR score (validate_page): the number is
  // one more than the entry above's and one less than the one below's,
  // or the date lies between theirs, at most this many days apart.
  // 0 = off (numbers too).
  int neighbour_days = 7;
};

// The one place where OCR confidence (0..1; values above 1 are read as
// Tesseract's 0..100 scale) and parser certainty (0..1) meet:
//   conf = ocr * certainty
// A product, so either source of doubt alone can send a field to review and
// a value is accepted only when it was both read clearly and parsed cleanly.
float combine_confidence(float ocr_conf, float certainty);

// Validates one entry in place. For each spec: finds the field (a missing
// required field is added with empty raw), parses raw by the spec's type,
// sets value (export form), conf (combine_confidence) and flag. A person's
// name is parsed as a Vietnamese name unless the person's nationality reads
// as a listed country other than Việt Nam (garbage there keeps the checks):
//   - a field arriving with flag "unreadable..." keeps it (value "");
//   - empty raw: value ""; flag::empty_required when the spec is required,
//     else no flag (an empty cell is a valid "absent" value);
//   - parser said ambiguous: flag::ambiguous_repair ": <why>";
//   - parser rejected: flag::invalid ": <why>";
//   - free text that is a known wording of two words or more with only its
//     marks misread (Lexicons::match_phrase, MatchKind::diacritics): value
//     is the wording, conf as read, and it counts as a known wording; one
//     letter off, or a one-word wording: conf x opts.phrase_misread_factor;
//   - conf < opts.threshold (free text: opts.free_text_threshold, or
//     opts.known_phrase_threshold for a known wording; a place the
//     gazetteer confirmed whole: opts.confirmed_place_threshold):
//     flag::low_confidence (": <note>" when the parser gave one).
// Fields of the entry without a spec are left untouched. Then the
// cross-field rules run (flag::failed_rule ": <rule>", set only on fields
// not already flagged): birth <= registration; registration in the book's
// year (book.year known); death after birth and <= registration; parents
// min..max_parent_age older than the child; spouses >= min_spouse_age at
// registration; CCCD sex digit / birth year vs the person's sex and year of
// birth. A rule fails only when it fails for every day consistent with the
// written precision (a year alone covers the whole year).
void validate_entry(Entry& entry, const std::vector<FieldSpec>& specs, const Lexicons& lex,
                    const BookContext& book, const ValidateOptions& opts = {});

// validate_entry on every entry of the page. When book.quyenSo / noiDangKy
// are unknown the page header's are not used here: that is the caller's
// BookContext to fill. Then a register's order vouches for what its OCR
// score alone doubted: an entry number ("so") or a registration date
// ("ngayDangKy") whose only flag is a bare low_confidence is accepted when
// the entries just above and below on the page read theirs (accepted, or
// doubted only by their score) and the value fits between them: number
// n between n-1 and n+1 with the same "/yyyy" suffix; a date between
// theirs with the two at most opts.neighbour_days apart. A misread digit
// rarely lands on the one value its neighbours allow. An entry number that
// read as no number at all (flag invalid: "&S", "9Ị") between neighbours
// without a suffix that leave room for exactly one (84 and 86) becomes that
// one and is accepted, when its read, spaces and dots aside, has as many
// signs as the number and every digit in it stands where the number has it.
void validate_page(ParsedPage& page, const std::vector<FieldSpec>& specs, const Lexicons& lex,
                   const BookContext& book, const ValidateOptions& opts = {});

// ---- book level: entry numbering ------------------------------------------------

// One entry's number as the book-level check sees it, in book order.
struct EntryNumber {
  int page = 0;   // 1-based page in the book
  int entry = 0;  // 1-based entry on the page
  std::string so; // the validated value of "so" ("15", "15/2015"); "" when unknown
};

// A flag to add to one field after the whole book is read.
struct BookFlag {
  int page = 0;
  int entry = 0;
  std::string key;   // "so"
  std::string flag;  // flag::failed_rule + ": <detail>"
};

// One entry's field in a run of entries in register order.
struct SequenceValue {
  std::string value;  // the validated value ("15", "15/2015", "2015-03-10")
  std::string flag;   // "" = accepted
  std::string raw;    // the text read (filled_by_neighbours)
};

// The positions in run whose value its neighbours vouch for (the rule of
// validate_page): flag exactly flag::low_confidence; the values just
// before and after readable (flag "" or low_confidence) and fitting around
// it: for key "so" n-1, n, n+1 with one "/yyyy" suffix; for "ngayDangKy"
// dates in order, the outer two at most max_days apart. Other keys, or
// max_days <= 0: none.
std::vector<size_t> vouched_by_neighbours(std::string_view key, const std::vector<SequenceValue>& run, int max_days);

// The entry numbers ("so") of run that read as no number at all (flag
// flag::invalid: "&S", "9Ị") between two readable ones without a "/yyyy"
// suffix that leave room for exactly one (84 and 86), as {position, that
// number}, when the raw read, spaces and dots aside, has as many signs as
// the number and every digit in it stands where the number has it, or
// begins with the number's digits followed by a sign that is no digit
// ("84 s", "77T": a neighbouring cell's ink).
std::vector<std::pair<size_t, std::string>> filled_by_neighbours(const std::vector<SequenceValue>& run);

// Entry numbers should rise by one along the book. Returns flags for:
//   - duplicates: every entry carrying a number seen elsewhere in the book;
//   - out of sequence: a number that fits neither its predecessor nor its
//     successor while those two fit each other (a misread number);
//   - gaps: the first entry after a jump (a missing entry, page or a misread);
//   - a "/yyyy" suffix different from book.year (when known).
// Entries with an empty or unparsable number are skipped (already flagged).
std::vector<BookFlag> check_entry_numbers(const std::vector<EntryNumber>& in_book_order, const BookContext& book);

// Convenience for the pipeline: collects "so" from pages (in book order,
// page n = pages[n-1]), runs check_entry_numbers and writes the flags into
// the fields that are not already flagged. Returns the flags it produced.
std::vector<BookFlag> validate_book(const std::vector<ParsedPage*>& pages_in_order, const BookContext& book);

}  // namespace hotich::schema
