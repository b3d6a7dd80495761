// `hotich status`: what the DB holds as a whole, and the review backlog.
#include <iostream>

#include <boost/program_options.hpp>
#include <fmt/core.h>

#include "pipeline/cli.hpp"
#include "pipeline/errors.hpp"
#include "pipeline/store.hpp"

namespace po = boost::program_options;

namespace hotich::pipeline {

int cmd_status(const std::vector<std::string>& args) {
  po::options_description opts("hotich status: books, pages, entries and the review backlog of a DB\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("db", po::value<std::string>()->default_value("hotich.db"), "the database to read");
  po::variables_map vm;
  if (!parse_args(args, opts, {"db"}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << opts;
    return kExitSuccess;
  }
  Store store(vm["db"].as<std::string>(), /*readonly=*/true);
  auto& db = store.db();
  auto scalar = [&](const char* sql) {
    auto st = db.prepare(sql);
    st.step();
    return st.int64(0);
  };
  std::cout << fmt::format("database   {}\n", vm["db"].as<std::string>());
  std::cout << fmt::format("books      {} ({} failed)\n", scalar("SELECT count(*) FROM books"),
                           scalar("SELECT count(*) FROM books WHERE status = 'failed'"));
  std::cout << fmt::format("pages      {} done, {} failed\n",
                           scalar("SELECT count(*) FROM pages WHERE status = 'done'"),
                           scalar("SELECT count(*) FROM pages WHERE status = 'failed'"));
  std::cout << "entries   ";
  auto st = db.prepare("SELECT status, count(*) FROM entries GROUP BY status ORDER BY status");
  long total = 0;
  while (st.step()) {
    std::cout << fmt::format(" {} {},", st.text(0), st.int64(1));
    total += st.int64(1);
  }
  std::cout << fmt::format(" total {}\n", total);
  std::cout << fmt::format(
      "review     {} entries to review, {} flagged fields in entries accepted automatically\n",
      scalar("SELECT count(*) FROM entries WHERE status = 'review'"),
      scalar("SELECT count(*) FROM fields f JOIN entries e ON e.id = f.entry_id "
             "WHERE f.flag IS NOT NULL AND e.status = 'auto'"));
  auto flags = db.prepare(
      "SELECT CASE WHEN instr(flag, ':') > 0 THEN substr(flag, 1, instr(flag, ':') - 1) ELSE flag END AS reason, "
      "count(*) FROM fields WHERE flag IS NOT NULL GROUP BY reason ORDER BY count(*) DESC");
  bool any = false;
  while (flags.step()) {
    std::cout << (any ? ", " : "flags by   ") << flags.text(0) << " " << flags.int64(1);
    any = true;
  }
  if (any) std::cout << "\n";
  auto failed = db.prepare(
      "SELECT 'book ' || id, error FROM books WHERE status = 'failed' UNION ALL "
      "SELECT 'page ' || book_id || '/' || page_no || ' (' || path || ')', error FROM pages "
      "WHERE status = 'failed' ORDER BY 1");
  any = false;
  while (failed.step()) {
    if (!any) std::cout << "failed:\n";
    any = true;
    std::cout << "  " << failed.text(0) << ": " << failed.text(1) << "\n";
  }
  auto stages = db.prepare(
      "SELECT j.key, avg(j.value), count(*) FROM pages p, json_each(p.timings) j WHERE p.status = 'done' "
      "GROUP BY j.key ORDER BY sum(j.value) DESC");
  any = false;
  while (stages.step()) {
    std::cout << (any ? ", " : "ms/page    ") << fmt::format("{} {:.0f}", stages.text(0), stages.real(1));
    any = true;
  }
  if (any) std::cout << "\n";
  auto runs = db.prepare("SELECT id, started_at, coalesce(finished_at, '-'), status FROM runs ORDER BY id DESC LIMIT 1");
  if (runs.step())
    std::cout << fmt::format("last run   #{} {} .. {} {}\n", runs.int64(0), runs.text(1), runs.text(2), runs.text(3));
  return kExitSuccess;
}

}  // namespace hotich::pipeline
