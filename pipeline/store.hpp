// The SQLite store: runs, books, pages, entries, fields, column plans, lexicons.
//
// Opening a Store creates the file if needed and applies the migrations in
// schema/migrations/ (PRAGMA user_version = the last applied). A DB written
// by a newer hotich is refused. Only the store stage of `run` (one thread)
// writes; pages are written in batched transactions, so a crash loses at
// most the pages of the open batch, never half a page.
// Not thread-safe: one Store per thread. Errors throw Fatal.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "pipeline/sqlite.hpp"
#include "schema/book_fields.hpp"
#include "schema/lexicon.hpp"
#include "schema/record.hpp"
#include "schema/validate.hpp"

namespace hotich::pipeline {

// What the store keeps of one processed page.
struct PageRecord {
  std::string book_id;
  int page_no = 0;
  std::string path;
  int frame = 0;
  std::string sha256;
  int64_t size = 0;
  std::string error;  // empty = done; else the page failed for this reason
  std::string layout;
  int width = 0, height = 0;
  std::string timings_json = "{}";
  std::string loai_so;  // khai_sinh | ket_hon | khai_tu, "" when unknown
  std::vector<schema::Entry> entries;
  // The page's ledger column plans, top to bottom. Only the complete ones
  // read from the page's own headers (complete and not inherited) are
  // stored: the plans a later page of the book may inherit. Others, and
  // all of a failed page's, are ignored.
  std::vector<schema::ColumnPlan> plans;
};

// A complete column plan a stored page read from its own headers.
struct StoredPlan {
  int page_no = 0;
  schema::ColumnPlan plan;  // complete = true, inherited = false
};

// One entry's stored value of a book-level field (quyenSo, noiDangKy).
struct BookFieldValue {
  int page = 0, entry = 0;
  bool present = false;  // false: the entry has no such field
  std::string value, raw, flag;
  float conf = 0;
  bool human = false;  // the entry was verified/rejected or the field corrected by a reviewer
};

struct BookRecord {
  std::string id, path;
  schema::BookContext context;
  std::string error;
};

class Store {
 public:
  // readonly: for export/status/eval; no migration, refuses an un-migrated file.
  explicit Store(const std::string& path, bool readonly = false);
  ~Store();

  static int latest_version();  // the number of the last embedded migration
  Db& db() { return db_; }

  int64_t begin_run(const std::string& command);
  void finish_run(int64_t run_id, const std::string& status, const std::string& report_json);

  // Inserts or updates a book's row (context values that are empty keep the stored ones).
  void put_book(const BookRecord& book);

  // Replaces whatever was stored for (book_id, page_no) with rec, its
  // column plans included, in the open batch (one is opened if none is).
  void put_page(const PageRecord& rec, int64_t run_id);

  // Batch transactions around put_page calls.
  void begin_batch();
  void commit_batch();
  bool in_batch() const { return in_batch_; }

  // The stored "so" values of a book's entries, in book order (page, entry),
  // for the book-level numbering check.
  std::vector<schema::EntryNumber> entry_numbers(const std::string& book_id);
  // Sets flag on a field that has none (an existing reason is kept).
  void add_flag(const std::string& book_id, int page_no, int entry_no, const std::string& key,
                const std::string& flag);
  // Accepts a field whose flag is exactly `flag` and that no reviewer
  // corrected (book-level evidence settled its doubt). Returns whether it did.
  bool clear_flag(const std::string& book_id, int page_no, int entry_no, const std::string& key,
                  const std::string& flag);
  // Sets value and accepts a field whose flag starts with flag_prefix and
  // that no reviewer corrected (its neighbours across a page break leave
  // one value for it). raw, conf and box stay. Returns whether it did.
  bool fill_field(const std::string& book_id, int page_no, int entry_no, const std::string& key,
                  const std::string& value, const std::string& flag_prefix);

  // Every stored entry of a book with its field key (present = false where
  // the entry has none), in book order (page, entry).
  std::vector<BookFieldValue> book_field(const std::string& book_id, const std::string& key);
  // Sets key on every entry of the book that no reviewer touched (status
  // auto/review, field not corrected), in the open batch if any: value
  // replaces the stored value unless null; flag "" = accepted. raw, conf
  // and box stay: they are what the page read. An entry without the field
  // gets it (raw "", conf 0). Returns the number of fields changed.
  int set_book_field(const std::string& book_id, const std::string& key, const std::optional<std::string>& value,
                     const std::string& flag);
  // The column plans stored with a book's pages (PageRecord::plans), in
  // book order (page, then top to bottom), this run's uncommitted pages
  // included. A plan whose stored JSON cannot be read throws Fatal.
  std::vector<StoredPlan> column_plans(const std::string& book_id);

  // Keys "sha256:frame" of every page stored as done: what a re-run skips.
  std::unordered_set<std::string> done_pages();

  // Stores an imported reference list (whole file content) under kind/source.
  void put_lexicon(const std::string& kind, const std::string& source, const std::string& content);
  // All imported contents of one kind, in source order.
  std::vector<std::string> lexicons(const std::string& kind);

 private:
  void migrate();
  // Runs `update` ("UPDATE fields SET ... WHERE ...", flag bound to ?1 and,
  // when the statement uses ?6, value to ?6) on the field `key` of one
  // entry of a book; returns the rows changed.
  int update_flag(const std::string& update, const std::string& book_id, int page_no, int entry_no,
                  const std::string& key, const std::string& flag, const std::string& value = "");
  Db db_;
  bool in_batch_ = false;
  // put_page is the bulk-loading hot path: its statements are prepared once.
  struct PutStatements;
  std::unique_ptr<PutStatements> put_;
};

// What decide_book_fields did with one key of a book.
struct BookFieldResult {
  std::string key;
  schema::BookFieldDecision decision;
  int changed = 0;  // fields whose value or flag changed
};

// Once all of a book's pages are stored: decides quyenSo and noiDangKy from
// the pages' readings together (schema::decide_book_field, the readings'
// certainty checked against lex, the run's lexicons; a page reads the text all
// its entries carry, none when they differ: then they did not come from
// its header) and writes the outcome on
// every entry of the book (set_book_field): accept sets the book's value,
// accepted; disagree flags every entry's field naming the rivals; keep
// changes nothing. A key book.json gave (books.quyen_so / noi_dang_ky) is
// left alone. Only raw and conf are read, which this never writes, so
// deciding again (a re-run after a crash) gives the same result.
std::vector<BookFieldResult> decide_book_fields(Store& store, const std::string& book_id,
                                               const schema::Lexicons& lex);

std::string now_iso8601();  // UTC, seconds precision

}  // namespace hotich::pipeline
