// `hotich run`: the batch pipeline over a folder of books.
//
// Stages, each a function from one value to the next (see run.cpp):
//   discover -> load -> decode -> clean -> layout -> ocr -> parse -> validate -> store
// load..validate run in parallel on --jobs worker threads with at most
// 2 x jobs pages in flight (bounded memory); store is serial, in page order,
// and is the only stage that touches SQLite (batched transactions).
// A page that fails at any stage becomes a failed page with a reason and the
// batch goes on; only setup faults (DB, model) end the run (Fatal).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hotich::pipeline {

struct RunOptions {
  std::string input;              // batch folder or book folder
  std::string db = "hotich.db";
  int jobs = 0;                   // 0 = number of hardware threads
  std::string report;             // path of the JSON report, "" = none
  std::string lang = "vie";       // Tesseract language / script model
  std::string tessdata;           // "" = Tesseract's default / TESSDATA_PREFIX
  bool progress = true;           // progress line on stderr when it is a terminal
  std::string command_line;       // recorded in the runs table
  std::string shard = "0/1";      // "K/N": only books with fnv1a(id) % N == K (pipeline/shard.hpp)
  std::vector<std::string> reprocess;  // book ids, or "all": redo their pages even if stored
  std::string done_dir;           // inbox mode: move a book folder here once all its pages are done
  std::string log_dir;            // "" = "<db>.logs"; one file per run: run-<id>.log
  std::string log_level = "info"; // trace, debug, info, warn, error, off
  bool log_values = false;        // allow personal data (names, ID numbers) in the log
};

// What a run did; also the body of the --report file.
struct RunSummary {
  int64_t run_id = 0;
  std::string started_at, finished_at;
  long books = 0, pages_seen = 0, pages_new = 0, pages_skipped = 0, pages_failed = 0;
  std::vector<std::pair<std::string, std::string>> failures;  // "book/page (path)" -> reason
  std::map<std::string, long> entries_by_status;
  std::map<std::string, long> flags_by_reason;
  long fields = 0;
  // Pages the parser left notes on (dropped rows, unmapped columns, unread
  // form lines): "book/page" -> how many. A reviewer checks those pages
  // first; the notes' text, which may quote the page, is in the log only
  // with --log-values.
  std::vector<std::pair<std::string, long>> page_notes;
  std::vector<std::string> moved_books;  // inbox mode: book folders moved to done_dir
  std::string log_file;
  std::map<std::string, double> stage_seconds;  // summed over pages (CPU-ish time per stage)
  double wall_seconds = 0;
  int exit_code = 0;
  std::string to_json() const;
};

// Runs the pipeline. Throws Fatal for setup faults.
RunSummary run_batch(const RunOptions& opts);

}  // namespace hotich::pipeline
