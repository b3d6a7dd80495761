// The SQLite store: runs, books, pages, entries, fields, lexicons.
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
#include <string>
#include <unordered_set>
#include <vector>

#include "pipeline/sqlite.hpp"
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

  // Replaces whatever was stored for (book_id, page_no) with rec, in the open
  // batch (one is opened if none is).
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

  // Keys "sha256:frame" of every page stored as done: what a re-run skips.
  std::unordered_set<std::string> done_pages();

  // Stores an imported reference list (whole file content) under kind/source.
  void put_lexicon(const std::string& kind, const std::string& source, const std::string& content);
  // All imported contents of one kind, in source order.
  std::vector<std::string> lexicons(const std::string& kind);

 private:
  void migrate();
  Db db_;
  bool in_batch_ = false;
  // put_page is the bulk-loading hot path: its statements are prepared once.
  struct PutStatements;
  std::unique_ptr<PutStatements> put_;
};

std::string now_iso8601();  // UTC, seconds precision

}  // namespace hotich::pipeline
