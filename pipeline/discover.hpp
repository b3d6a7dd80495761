// Finding the books and pages of a batch folder (the folder contract).
//
// <input> is either a batch folder whose sub-folders are books, or one book
// folder. A book folder holds page images (.png .jpg .jpeg .tif .tiff, any
// case) in natural sort order = page order (page2 before page10); a
// multi-page TIFF counts as several pages, in frame order. An optional
// book.json may give {"loaiSo", "quyenSo", "nam", "noiDangKy"}. The book id is
// the folder's name. Hidden files and folders are ignored.
#pragma once
#include <string>
#include <vector>

#include "schema/record.hpp"

namespace hotich::pipeline {

struct PageRef {
  std::string book_id;
  int page_no = 0;    // 1-based, in the book
  std::string path;
  int frame = 0;      // 0 unless a page of a multi-page TIFF
};

struct BookSpec {
  std::string id;
  std::string dir;
  schema::BookContext context;  // what book.json says (unknown parts empty)
  std::string error;            // non-empty: the book is failed (e.g. bad book.json)
  std::vector<PageRef> pages;
};

// Lists the books under input, sorted by id. A bad book.json makes that
// book's error non-empty (its pages are still listed, so they are reported
// as failed). Throws Fatal when input does not exist or is not a folder.
std::vector<BookSpec> discover_books(const std::string& input);

// Parses book.json text into ctx. Returns "" or the reason it is invalid.
std::string parse_book_json(const std::string& text, schema::BookContext* ctx);

// "page2.png" < "page10.png"; digit runs compare as numbers.
bool natural_less(const std::string& a, const std::string& b);

}  // namespace hotich::pipeline
