// Book-level fields decided by the whole book.
//
// quyenSo ("Quyển số: 05/2019") and noiDangKy (the registering authority)
// belong to the book and are repeated on every entry (export contract).
// When book.json does not give them, each page reads them from its own
// printed header, and one page's OCR is often doubtful or wrong. All pages
// of a book print the same header, so their readings vote: the value the
// pages agree on is set on every entry, accepted; where they disagree with
// no clear winner, every entry's field is flagged naming the rivals.
//
// Pure functions over plain data; thread-safe (Lexicons is only read).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "schema/lexicon.hpp"

namespace hotich::schema {

// One page's reading of a book-level field.
struct BookFieldReading {
  int page = 0;          // 1-based page in the book (for the flag's detail)
  std::string text;      // as read (Field.raw); "" = the page gave none
  float conf = 0;        // the field's stored confidence, 0..1
  // How far the text itself checks out, 0..1 (book_field_certainty):
  // quyenSo has the NN/YYYY shape, noiDangKy is a known authority.
  float certainty = 0;
};

struct BookFieldOptions {
  // A reading is valid from this certainty on (an exact gazetteer chain,
  // no repair: a repaired or partial place is not evidence of the value).
  float valid = 0.99f;
  // A reading is confident when valid and conf >= this: what validation
  // accepts on a page by itself (ValidateOptions::threshold).
  float confident = 0.70f;
  // noiDangKy: an invalid reading within a few edits of a valid one
  // supports it (one misread letter per page is the common damage, and
  // different pages damage different letters). Edits allowed: one per
  // edits_per code points of the valid reading, at least one.
  bool fuzzy = false;
  int edits_per = 20;
};

enum class BookFieldOutcome {
  keep,      // no book-level evidence either way: each page's own result stands
  accept,    // value is the book's: set on every entry, accepted
  disagree,  // pages disagree with no clear winner: flag every entry
};

struct BookFieldDecision {
  BookFieldOutcome outcome = BookFieldOutcome::keep;
  std::string value;  // accept: the book's value, clean_text'ed: a spelling not all in capitals first, then the commonest
  std::string flag;   // disagree: flag::ambiguous_repair + ": pages disagree: '<text>' (p1, p2), ..."
  std::string note;   // accept / keep: why, in English, for the run log
  int support = 0;    // pages supporting the winner (exact, plus near ones when fuzzy)
  int readings = 0;   // pages with a non-empty reading
};

// Decides a book-level field from its pages' readings (one per page; order
// does not matter, ties go to the earlier page). Readings are compared by
// schema::fold (case and spacing do not matter: a header printed in
// capitals on some pages says the same). accept when the best valid
// reading:
//   - is read exactly by >= 2 pages, or is itself confident (a value only
//     one page read is never accepted unless that page was sure of it);
//   - is supported by >= 2 pages and by at least two thirds of the pages
//     with a reading (supporters = exact readings, plus with fuzzy the
//     invalid readings within the edit budget);
//   - and no other page's reading is confident (a confident rival is a
//     contradiction, not an outlier).
// Otherwise disagree when at least two distinct readings make a claim (a
// valid reading that is confident or read exactly by >= 2 pages), or when
// none does and no two pages read the same; keep when exactly one reading
// claims (a sure page among unreadable ones keeps its own acceptance), when
// pages agree only on a text that does not check out (a truncated line:
// the pages' own flags already say why), or with at most one reading.
BookFieldDecision decide_book_field(const std::vector<BookFieldReading>& readings,
                                    const BookFieldOptions& opts = {});

// The options for a key: fuzzy for noiDangKy, exact for the rest.
BookFieldOptions book_field_options(std::string_view key);

// BookFieldReading::certainty of a text for key: quyenSo 1 when it is a
// book number "N/YYYY" (1-3 digits, a year 1800..2099), else 0; noiDangKy
// the certainty validation gives the authority when read with OCR
// confidence 1 (free-text shape x the gazetteer check of the place after
// "UBND"/"Ủy ban nhân dân"; without a gazetteer, below 1); other keys 0.
float book_field_certainty(std::string_view key, std::string_view text, const Lexicons& lex);

// The text a page's reading of key stands for, the value a decision
// stores: a quyenSo that is a book number in its plain form ("01⁄2009",
// read with a fraction slash, and "01 / 2009" are 01/2009), anything else
// as clean_text gives it.
std::string book_field_text(std::string_view key, std::string_view raw);

}  // namespace hotich::schema
