#include "pipeline/merge.hpp"

#include <iostream>
#include <map>

#include <boost/program_options.hpp>
#include <fmt/core.h>

#include "pipeline/cli.hpp"
#include "pipeline/errors.hpp"
#include "pipeline/lock.hpp"
#include "pipeline/store.hpp"

namespace po = boost::program_options;

namespace hotich::pipeline {
namespace {

// A book's identity for idempotence: its pages as "no:sha:status" in order.
std::string fingerprint(Db& db, const std::string& schema_name, const std::string& book) {
  auto st = db.prepare("SELECT coalesce(group_concat(page_no || ':' || sha256 || ':' || status, ','), '') FROM "
                       "(SELECT page_no, sha256, status FROM " + schema_name +
                       ".pages WHERE book_id = ? ORDER BY page_no)");
  st.bind(1, book);
  st.step();
  return st.text(0);
}

// Copies one book of the attached shard "s" into main. Row ids differ
// between files: pages, entries and fields are re-keyed through their
// natural keys (book, page_no, entry_no).
void merge_book(Db& db, const std::string& book, MergeResult& r) {
  db.prepare("INSERT INTO main.books SELECT * FROM s.books WHERE id = ?").bind(1, book).run();
  db.prepare(
        "INSERT INTO main.pages (book_id, page_no, path, frame, sha256, size, status, error, layout, width, "
        "height, run_id, pipeline_version, timings, processed_at) "
        "SELECT book_id, page_no, path, frame, sha256, size, status, error, layout, width, height, NULL, "
        "pipeline_version, timings, processed_at FROM s.pages WHERE book_id = ?")
      .bind(1, book)
      .run();
  r.pages += db.changes();
  db.prepare(
        "INSERT INTO main.entries (page_id, entry_no, loai_so, status, review_reason) "
        "SELECT mp.id, e.entry_no, e.loai_so, e.status, e.review_reason FROM s.entries e "
        "JOIN s.pages sp ON sp.id = e.page_id "
        "JOIN main.pages mp ON mp.book_id = sp.book_id AND mp.page_no = sp.page_no WHERE sp.book_id = ?")
      .bind(1, book)
      .run();
  r.entries += db.changes();
  db.prepare(
        "INSERT INTO main.fields (entry_id, key, value, raw, conf, x, y, w, h, flag, corrected) "
        "SELECT me.id, f.key, f.value, f.raw, f.conf, f.x, f.y, f.w, f.h, f.flag, f.corrected FROM s.fields f "
        "JOIN s.entries se ON se.id = f.entry_id JOIN s.pages sp ON sp.id = se.page_id "
        "JOIN main.pages mp ON mp.book_id = sp.book_id AND mp.page_no = sp.page_no "
        "JOIN main.entries me ON me.page_id = mp.id AND me.entry_no = se.entry_no WHERE sp.book_id = ?")
      .bind(1, book)
      .run();
  // Column plans let pages of the book run later into the central DB inherit
  // a header that OCR could not read (StoreStage). A shard of store version 1
  // has none to copy.
  auto has_plans = db.prepare("SELECT count(*) FROM s.sqlite_master WHERE type = 'table' AND name = 'column_plans'");
  if (has_plans.step() && has_plans.int64(0) > 0)
    db.prepare(
          "INSERT INTO main.column_plans (page_id, plan_no, plan) "
          "SELECT mp.id, c.plan_no, c.plan FROM s.column_plans c JOIN s.pages sp ON sp.id = c.page_id "
          "JOIN main.pages mp ON mp.book_id = sp.book_id AND mp.page_no = sp.page_no WHERE sp.book_id = ?")
        .bind(1, book)
        .run();
  ++r.books_merged;
}

}  // namespace

MergeResult merge_into(const std::string& central, const std::vector<std::string>& shards) {
  RunLock lock(central);
  Store store(central);
  for (auto& s : shards) Store check(s, /*readonly=*/true);  // a hotich DB of a version we read
  auto& db = store.db();
  MergeResult r;

  // Check everything before writing anything.
  std::map<std::string, std::string> owner;  // book -> shard it comes from
  std::vector<std::pair<std::string, std::string>> to_merge;  // (shard, book)
  for (auto& shard : shards) {
    db.prepare("ATTACH DATABASE ? AS s").bind(1, shard).run();
    std::vector<std::string> books;
    {
      auto st = db.prepare("SELECT id FROM s.books ORDER BY id");
      while (st.step()) books.push_back(st.text(0));
    }
    for (auto& b : books) {
      if (auto it = owner.find(b); it != owner.end())
        throw Fatal(fmt::format("book \"{}\" is in two shards: {} and {}", b, it->second, shard));
      owner[b] = shard;
      std::string mine = fingerprint(db, "s", b), theirs = fingerprint(db, "main", b);
      auto exists = db.prepare("SELECT count(*) FROM main.books WHERE id = ?");
      exists.bind(1, b).step();
      if (exists.int64(0) == 0) to_merge.emplace_back(shard, b);
      else if (mine == theirs) ++r.books_already;
      else
        throw Fatal(fmt::format("book \"{}\" of {} is already in {} with other pages (was it given to two shards?)",
                                b, shard, central));
    }
    db.exec("DETACH DATABASE s");
  }

  // One transaction per shard (SQLite cannot attach or detach inside a
  // transaction). Every conflict was found above, before any write, and a
  // merge cut short is finished by running it again: merged books are skipped.
  for (auto& shard : shards) {
    std::vector<std::string> books;
    for (auto& [s, b] : to_merge)
      if (s == shard) books.push_back(b);
    if (books.empty()) continue;
    db.prepare("ATTACH DATABASE ? AS s").bind(1, shard).run();
    db.exec("BEGIN IMMEDIATE");
    try {
      for (auto& book : books) merge_book(db, book, r);
      db.exec("COMMIT");
    } catch (...) {
      db.exec("ROLLBACK");
      db.exec("DETACH DATABASE s");
      throw;
    }
    db.exec("DETACH DATABASE s");
  }
  return r;
}

int cmd_merge(const std::vector<std::string>& args) {
  po::options_description opts(
      "hotich merge --into <central.db> <shard.db>...: gather shard databases into one\n"
      "(idempotent; a book in two shards is an error naming it)\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("into", po::value<std::string>(), "the central database (created if missing)")
      ("shards", po::value<std::vector<std::string>>()->multitoken(), "shard databases");
  po::variables_map vm;
  if (!parse_args(args, opts, {"shards"}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << opts;
    return kExitSuccess;
  }
  if (!vm.count("into") || !vm.count("shards")) {
    std::cerr << "usage: hotich merge --into <central.db> <shard.db>...\n";
    return kExitUsage;
  }
  auto r = merge_into(vm["into"].as<std::string>(), vm["shards"].as<std::vector<std::string>>());
  std::cout << fmt::format("merged {} books ({} pages, {} entries); {} books were already there\n", r.books_merged,
                           r.pages, r.entries, r.books_already);
  return kExitSuccess;
}

}  // namespace hotich::pipeline
