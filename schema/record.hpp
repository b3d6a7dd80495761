// The civil-status record model that schema/ produces from ocr::Page text.
#pragma once
#include <string>
#include <vector>

#include "ocr/text.hpp"

namespace hotich::schema {

// Register kind, as spelled in book.json and the export ("loaiSo").
enum class BookType { unknown, khai_sinh, ket_hon, khai_tu };
const char* to_string(BookType);
BookType book_type_from_string(const std::string&);  // unknown when not one of the three

// What a field holds; decides its parser and validator. Form definitions
// (schema/forms/*.json) name it with the same lower-case spelling.
enum class FieldType {
  text,          // free text, kept as written (ghiChu, nguyên nhân chết)
  entry_number,  // "15" or "15/2015" (so)
  book_number,   // "05/2019": a book's number (quyenSo)
  name,          // person's full name
  gender,        // Nam / Nữ
  date,          // full date -> YYYY-MM-DD
  year_or_date,  // a year alone (YYYY) or a full date
  place,         // administrative place / address text
  ethnic,        // one of the 54 ethnic groups
  nationality,   // country name
  relation,      // relationship word (Cha, Mẹ, Ông nội ...)
  id_number,     // CMND (9 digits) or CCCD / personal id (12 digits)
};
const char* to_string(FieldType);
bool field_type_from_string(const std::string&, FieldType* out);  // false when unknown

// One field a book type expects, as the validator needs it.
struct FieldSpec {
  std::string key;
  FieldType type = FieldType::text;
  bool required = false;  // empty value -> flag::empty_required
};

// What is known about the book a page belongs to (book.json, the page
// header, or earlier pages). Empty / 0 = unknown.
struct BookContext {
  BookType type = BookType::unknown;
  std::string quyenSo;
  std::string noiDangKy;
  int year = 0;  // the register year ("nam"); 0 = unknown
};

// Why a field is sent to review instead of being accepted. The strings are
// stored in the DB and counted in reports; keep them stable.
namespace flag {
inline constexpr const char* low_confidence = "low_confidence";
inline constexpr const char* invalid = "invalid";            // parser rejected the text
inline constexpr const char* failed_rule = "failed_rule";    // cross-field / register rule
inline constexpr const char* ambiguous_repair = "ambiguous_repair";
inline constexpr const char* empty_required = "empty_required";
inline constexpr const char* unreadable = "unreadable";      // ink but no text
}  // namespace flag

// Ends a split note (flag::ambiguous_repair of detail::split_combined) when
// a field of that combined cell got no line at all: validate_entry then
// doubts the list repairs of the others.
inline constexpr const char* kLinelessPart = "; a part got no line";

// One field of an entry. value is the normalised export value (NFC, single
// spaces, ISO dates, Nam/Nữ); raw is the OCR text it came from. conf is the
// combined OCR+validation confidence in 0..1. flag is empty when the field
// is accepted, else one of flag:: plus an optional ": detail".
struct Field {
  std::string key;
  std::string value;
  std::string raw;
  float conf = 0;
  ocr::Box box;
  std::string flag;
  // The engine's confidence (0..1) of each word of raw, in order, when conf
  // is their minimum (as make_field sets it); empty when conf was set any
  // other way. Lets validation set aside the doubt of one word that a
  // lexicon replaced whole (a surname whose stacked tone mark was misread).
  std::vector<float> word_conf;
  bool flagged() const { return !flag.empty(); }
};

// One register entry (one row of a ledger, one block of a form page).
// needs_review marks entry-level doubt (e.g. the row could not be aligned),
// which sends the whole entry to review; field flags alone do not.
struct Entry {
  int index = 0;  // 1-based, top to bottom on the page
  std::vector<Field> fields;
  bool needs_review = false;
  std::string review_reason;
  const Field* find(const std::string& key) const;
  Field* find(const std::string& key);
};

// What the page header says, when it says it.
struct PageHeader {
  BookType book_type = BookType::unknown;
  std::string quyenSo;
  std::string noiDangKy;
  std::string trangSo;
};

// How the columns of one ledger table were read. The pages of a book are
// ruled alike, so a page whose header cells OCR damaged can be read with
// the plan of an earlier page (parse_page's known_plans).
struct ColumnPlan {
  BookType type = BookType::unknown;           // the definitions the keys come from
  std::vector<int> col_edges;                  // x of each vertical rule, left to right (cols + 1)
  int header_rows = 0;                         // rows above the first body row
  std::vector<std::vector<std::string>> keys;  // per grid column; empty = holds no field
  // Every column was read: mapped, or known to hold no field (a signature
  // column, one titled by its number, one without header or text).
  bool complete = false;
  bool inherited = false;  // taken from a known plan, not from this page's header
};

struct ParsedPage {
  std::string layout;  // "ledger" or "form"
  PageHeader header;
  std::vector<Entry> entries;
  std::vector<ColumnPlan> plans;  // one per ledger table read, top to bottom; none for forms
};

}  // namespace hotich::schema
