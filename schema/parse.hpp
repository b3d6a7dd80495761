// Page parsing: OCR text with geometry (ocr::Page) -> register entries.
//
// Two layouts: a ledger (a ruled table, one row per entry, header rows
// naming the columns) and a form ("Label: value" lines in sections, one or
// two entries per page). Wordings come from the FormSet, so a new header or
// label wording is a data change (schema/forms/*.json).
//
// Every parser fills, per field: key, raw (the OCR text of the value: NFC,
// single-spaced, label and dot leaders removed), conf (lowest OCR word
// confidence mapped to 0..1, see make_field), box (union of the word boxes). value and the
// validation flags are left to the validator; the parsers only set
// flag::unreadable (ink but no text) and flag::ambiguous_repair (a combined
// cell or label whose lines could not be matched one-to-one to its fields).
//
// All functions are pure and thread-safe (FormSet is immutable); errors are
// reported in the result (notes, needs_review), never thrown.
#pragma once
#include <string>
#include <vector>

#include "ocr/text.hpp"
#include "schema/forms.hpp"
#include "schema/record.hpp"

namespace hotich::schema {

// The page header: book type from the title, "Quyển số: 01/2015" ->
// quyenSo, the authority line ("UBND xã ...", "Ủy ban nhân dân phường ...",
// "Nơi đăng ký: ...") -> noiDangKy as written, with its second line when it
// wraps (after a comma, onto a lower-case word, or onto a shorter line of
// words starting under it), the page number ("Trang 12",
// "Trang số: 12", "- 12 -") -> trangSo (digits). Pass the lines outside the
// table (or a form page's lines); fields not found stay empty.
PageHeader parse_page_header(const std::vector<ocr::Line>& lines, const FormSet& forms);

// Whether the line is a page number and nothing else ("Trang 14", "Trang
// số: 14", "- 14 -"): page furniture, which continues no value.
bool is_page_number_line(const ocr::Line& line, const FormSet& forms);

// How a ledger table was read.
struct LedgerColumn {
  int col = 0;                    // grid column
  std::string header;             // header text (group title + sub-header)
  std::vector<std::string> keys;  // empty = unmapped; several = combined column
};
struct LedgerParse {
  std::vector<Entry> entries;
  std::vector<LedgerColumn> columns;  // one per grid column
  int header_rows = 0;                // rows above the first body row
  std::vector<std::string> notes;     // unmapped columns, dropped rows ...
  ColumnPlan plan;                    // the mapping the entries were read with
  int mapped_columns() const;
};

// Reads a ruled table: one or two header rows (a group title spanning
// sub-columns sets the person; a column-number row "(1) (2) ..." is
// skipped), each column mapped to one key or to an ordered key list, each
// non-blank body row -> one Entry. A row with ink in under a third of its
// mapped columns is kept with needs_review. Header cells that do not read
// as a wording get a second look at their readable words
// (FormSet::match_damaged).
//
// known_plans: complete plans of earlier pages of the same book, the one
// to try first first. When this table leaves a column unread, the first
// known plan that fits is used instead of its own reading (plan.inherited):
// same book type, same number of columns and header rows, every rule
// within kPlanTolerance of the table's width of the plan's (positions
// relative to the table's left and right rules), and every column this
// page mapped itself mapped alike. Otherwise the page's own reading stands.
inline constexpr double kPlanTolerance = 0.02;
LedgerParse parse_ledger(const ocr::Table& table, const FormSet& forms, BookType type,
                         const std::vector<ColumnPlan>& known_plans = {});

// Whether two tables are ruled alike: the same number of columns, and each
// rule within tolerance x width of the other's, positions taken relative
// to each table's outer rules.
bool same_ruling(const std::vector<int>& a, const std::vector<int>& b, double tolerance = kPlanTolerance);

// Reads a form page's lines (any order: they are re-sorted top to bottom,
// and side-by-side columns left before right; a line run across both
// columns is cut where its right part opens with the label it opens with).
// Entries start at "Số: ..." or at a repeated name label of the entry's
// main person. A line indented under a value continues it, even when it
// reads as a section heading.
struct FormParse {
  std::vector<Entry> entries;
  std::vector<std::string> notes;
  int labels = 0;  // labels recognised (a measure of how form-like the page is)
};
FormParse parse_form(const std::vector<ocr::Line>& lines, const FormSet& forms, BookType type);

// The whole page: header, then ledger when a table has >= 2 mapped columns
// and >= 2 rows, else form. The book type is book.type, else the header's,
// else the type whose definitions read the page best. Entries get quyenSo
// and noiDangKy from book (preferred) or the page header when the page
// does not state them per entry. notes (optional) receives parse notes.
// known_plans go to parse_ledger for each table (see there); the plans
// used are in the result's plans.
ParsedPage parse_page(const ocr::Page& page, const FormSet& forms, const BookContext& book,
                      std::vector<std::string>* notes = nullptr, const std::vector<ColumnPlan>& known_plans = {});

// Building blocks shared by the parsers; exposed for tests.
namespace detail {

// One OCR word after splitting at a label colon and removing dot leaders.
struct Piece {
  std::string text;
  float conf = 0;  // 0..100 as the engine gave it
  ocr::Box box;
  bool colon_after = false;  // a ':' followed this piece
  int line = 0;              // index of the source line (for wrap checks)
};

// The words of a line as pieces (words synthesised from text when the
// engine gave none, each with the line's box and confidence).
std::vector<Piece> pieces_of(const ocr::Line& line, int line_index = 0);

// A field from its value pieces (empty pieces -> raw "", conf 1). conf is
// the lowest piece conf / 100: one doubtful word makes the value doubtful.
Field make_field(const std::string& key, const std::vector<Piece>& pieces);

ocr::Box unite(const ocr::Box& a, const ocr::Box& b);

// A value whose last piece ends with a comma ("Xã Kim Đính,") wraps onto a
// line that was not found (read out of order, lost, or sitting on a row's
// rule): what was read is not the whole value, though it may look whole.
// Then f gets no confidence and flag::low_confidence with that reason, and
// true is returned; otherwise f is left as it is.
bool flag_cut_off(Field& f, const std::vector<Piece>& pieces);

// Splits value pieces (possibly over several lines) into one group per
// key, by field type fit and line/comma boundaries; uncertain splits set
// flag::ambiguous_repair on the resulting fields.
std::vector<Field> split_combined(const std::vector<std::string>& keys, const std::vector<Piece>& pieces,
                                  const std::vector<FieldSpec>& specs);

}  // namespace detail
}  // namespace hotich::schema
