// `hotich run` and `hotich lexicon import` (alias `gazetteer import`): option
// parsing and output; the work is in run.cpp and store.cpp.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/core.h>

#include "pipeline/cli.hpp"
#include "pipeline/errors.hpp"
#include "pipeline/run.hpp"
#include "pipeline/store.hpp"

namespace po = boost::program_options;

namespace hotich::pipeline {

const char* const kExitCodesHelp =
    "Exit codes: 0 success; 1 partial (some pages or books failed, listed in the\n"
    "report and by `hotich status`); 2 usage error; 3 fatal (database, language\n"
    "model, input folder); 4 another hotich run holds the database;\n"
    "5 eval: a quality threshold was not met.\n";

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts(
      "hotich run <input> [options]: read every page of a batch folder (sub-folders are\n"
      "books) or of one book folder into the database\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("input", po::value<std::string>(), "batch folder or book folder")
      ("db", po::value<std::string>()->default_value("hotich.db"), "database file (created if missing)")
      ("jobs,j", po::value<int>()->default_value(0), "worker threads, 0 = one per core")
      ("report", po::value<std::string>(), "write the run report (JSON) to this file")
      ("lang", po::value<std::string>()->default_value("vie"), "Tesseract model: vie or Vietnamese")
      ("tessdata", po::value<std::string>()->default_value(""), "folder of .traineddata files (default: Tesseract's)")
      ("no-progress", "no progress line, even on a terminal")
      ("reprocess", po::value<std::vector<std::string>>()->multitoken(),
       "book ids (or all) whose pages are read again even if stored; verified entries and reviewers'\n"
       "corrections are kept")
      ("inbox", po::value<std::string>(), "inbox mode: the batch folder to pick new books from (instead of <input>)")
      ("done", po::value<std::string>(), "inbox mode: where a book folder moves once all its pages are stored")
      ("shard", po::value<std::string>()->default_value("0/1"),
       "K/N: only the books whose id hashes to shard K of N (0 <= K < N), for job arrays")
      ("log-dir", po::value<std::string>()->default_value(""), "folder for the run's log file (default: <db>.logs)")
      ("log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn, error or off")
      ("log-values", "allow personal data (names, ID numbers) in the log, at level trace");
  po::variables_map vm;
  if (!parse_args(args, opts, {"input"}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << opts
              << "\nA book folder holds page images (.png .jpg .jpeg .tif .tiff; natural sort order\n"
                 "= page order; a multi-page TIFF is several pages) and optionally book.json:\n"
                 "  {\"loaiSo\": \"khai_sinh\"|\"ket_hon\"|\"khai_tu\", \"quyenSo\": \"01/2015\", \"nam\": 2015,\n"
                 "   \"noiDangKy\": \"UBND xã ...\"}\n"
                 "The book id is the folder name. Pages already stored (same bytes) are skipped.\n\n"
              << kExitCodesHelp;
    return kExitSuccess;
  }
  if (vm.count("inbox") != vm.count("done")) {
    std::cerr << "hotich run: --inbox and --done go together\n";
    return kExitUsage;
  }
  if (vm.count("inbox") && vm.count("input")) {
    std::cerr << "hotich run: give either <input> or --inbox, not both\n";
    return kExitUsage;
  }
  if (!vm.count("input") && !vm.count("inbox")) {
    std::cerr << "hotich run: which folder? (hotich run <input> --db <file>; see --help)\n";
    return kExitUsage;
  }
  RunOptions o;
  o.input = vm.count("inbox") ? vm["inbox"].as<std::string>() : vm["input"].as<std::string>();
  if (vm.count("done")) o.done_dir = vm["done"].as<std::string>();
  if (vm.count("reprocess")) o.reprocess = vm["reprocess"].as<std::vector<std::string>>();
  o.shard = vm["shard"].as<std::string>();
  o.log_dir = vm["log-dir"].as<std::string>();
  o.log_level = vm["log-level"].as<std::string>();
  o.log_values = vm.count("log-values") > 0;
  static const char* levels[] = {"trace", "debug", "info", "warn", "error", "off"};
  if (std::find(std::begin(levels), std::end(levels), o.log_level) == std::end(levels)) {
    std::cerr << "hotich run: unknown --log-level " << o.log_level << "\n";
    return kExitUsage;
  }
  o.db = vm["db"].as<std::string>();
  o.jobs = vm["jobs"].as<int>();
  o.lang = vm["lang"].as<std::string>();
  o.tessdata = vm["tessdata"].as<std::string>();
  o.progress = !vm.count("no-progress");
  if (vm.count("report")) o.report = vm["report"].as<std::string>();
  o.command_line = "hotich run";
  for (auto& a : args) o.command_line += " " + a;
  if (o.jobs < 0) {
    std::cerr << "hotich run: --jobs must be >= 0\n";
    return kExitUsage;
  }

  RunSummary s = run_batch(o);
  if (!o.report.empty()) {
    std::ofstream out(o.report);
    out << s.to_json() << "\n";
    if (!out) throw Fatal("cannot write the report " + o.report);
  }
  long entries = 0;
  for (auto& [status, n] : s.entries_by_status) entries += n;
  long flagged = 0;
  for (auto& [reason, n] : s.flags_by_reason) flagged += n;
  std::cout << fmt::format(
      "hotich run #{}: {} books, {} pages ({} new, {} skipped as already stored, {} failed) in {:.1f}s\n",
      s.run_id, s.books, s.pages_seen, s.pages_new, s.pages_skipped, s.pages_failed, s.wall_seconds);
  std::cout << fmt::format("  {} entries ({} auto, {} review), {} fields, {} flagged for review\n", entries,
                           s.entries_by_status.count("auto") ? s.entries_by_status.at("auto") : 0,
                           s.entries_by_status.count("review") ? s.entries_by_status.at("review") : 0,
                           s.fields, flagged);
  if (!s.page_notes.empty())
    std::cout << fmt::format("  {} pages with parser notes (unmapped columns, dropped rows ...: in the log{})\n",
                             s.page_notes.size(), o.report.empty() ? "" : " and the report");
  for (auto& [page, reason] : s.failures) std::cout << "  failed: " << page << ": " << reason << "\n";
  for (auto& book : s.moved_books) std::cout << "  moved to " << o.done_dir << ": " << book << "\n";
  std::cout << "  log: " << s.log_file << (o.report.empty() ? "" : ", report: " + o.report) << "\n";
  return s.exit_code;
}

int cmd_gazetteer(const std::vector<std::string>& args) {
  po::options_description opts(
      "hotich lexicon import <file.csv>... (alias: hotich gazetteer import): import\n"
      "reference lists that validation repairs and checks against. The kind is told\n"
      "by the CSV header:\n"
      "  level,code,name,type,parent_code[,note]  administrative units (gazetteer)\n"
      "  code,name,aliases                        ethnic groups (aliases split by |)\n"
      "and a .txt file with one given name per line (\"Thị Hồng Nhung\") is a list\n"
      "of given names, whose syllables make an unknown one in a name doubtful.\n"
      "Importing the same file again replaces it.\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("action", po::value<std::string>(), "import")
      ("files", po::value<std::vector<std::string>>()->multitoken(), "CSV files")
      ("db", po::value<std::string>()->default_value("hotich.db"), "database file (created if missing)");
  po::variables_map vm;
  if (!parse_args(args, opts, {"action", "files"}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << opts;
    return kExitSuccess;
  }
  if (!vm.count("action") || vm["action"].as<std::string>() != "import" || !vm.count("files")) {
    std::cerr << "usage: hotich lexicon import <file.csv>... [--db FILE]\n";
    return kExitUsage;
  }
  Store store(vm["db"].as<std::string>());
  for (auto& path : vm["files"].as<std::vector<std::string>>()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Fatal("cannot read " + path, kExitUsage);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string content = ss.str();
    std::string header = content.substr(0, content.find('\n'));
    if (!header.empty() && header.back() == '\r') header.pop_back();
    if (header.starts_with("\xEF\xBB\xBF")) header = header.substr(3);
    std::string kind;
    if (header.starts_with("level,code,name,type,parent_code")) kind = "gazetteer";
    else if (header.starts_with("code,name,aliases")) kind = "ethnic";
    else if (path.ends_with(".txt") && header.find(',') == std::string::npos) kind = "given_names";
    else throw Fatal(path + ": unknown CSV header \"" + header + "\" (see --help)", kExitUsage);
    long rows = long(std::count(content.begin(), content.end(), '\n')) - (kind == "given_names" ? 0 : 1);
    store.put_lexicon(kind, std::filesystem::path(path).filename().string(), content);
    std::cout << fmt::format("imported {} ({} rows) from {}\n", kind, rows, path);
  }
  return kExitSuccess;
}

}  // namespace hotich::pipeline
