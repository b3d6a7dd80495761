// hotich: digitize civil-status register books into validated records.
// main maps subcommands to their functions and Fatal to exit codes.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <spdlog/spdlog.h>

#include "pipeline/cli.hpp"
#include "pipeline/errors.hpp"

namespace hp = hotich::pipeline;

namespace {

struct Command {
  const char* name;
  int (*fn)(const std::vector<std::string>&);
  const char* help;
};

const Command kCommands[] = {
    {"run", hp::cmd_run, "read a folder of page images into the database"},
    {"export", hp::cmd_export, "write stored entries as JSON lines"},
    {"status", hp::cmd_status, "books, pages, entries and the review backlog"},
    {"eval", hp::cmd_eval, "compare an export or a database with a truth file"},
    {"merge", hp::cmd_merge, "gather shard databases into one (idempotent)"},
    {"lexicon", hp::cmd_gazetteer, "import reference lists (gazetteer, ethnic groups)"},
    {"gazetteer", hp::cmd_gazetteer, "same as lexicon"},
};

void usage(std::ostream& out) {
  out << "usage: hotich <command> [options]    (hotich <command> --help for its options)\n\ncommands:\n";
  for (auto& c : kCommands) out << "  " << c.name << std::string(11 - std::string(c.name).size(), ' ') << c.help << "\n";
  out << "\n  --version  print the version\n\n" << hp::kExitCodesHelp;
}

}  // namespace

int main(int argc, char** argv) {
  // One thread per page, never threads inside a page: Tesseract's OpenMP and
  // OpenCV's own pools would fight the TBB workers for the cores. libgomp
  // reads OMP_THREAD_LIMIT when it is loaded, before main, so when it is not
  // set we set it and start ourselves again. (Tesseract's own regions never
  // reach libgomp: ocr/serial_openmp.cpp runs them; this covers any other.)
  if (!std::getenv("OMP_THREAD_LIMIT")) {
    setenv("OMP_THREAD_LIMIT", "1", 1);
    execv("/proc/self/exe", argv);  // returns only on failure: then go on as we are
  }
  cv::setNumThreads(1);
  // Page buffers are reused by tcmalloc, linked in by CMakeLists.txt (glibc
  // faulted them in anew for every page in every worker thread).
  spdlog::set_level(spdlog::level::warn);
  spdlog::set_pattern("hotich: %l: %v");

  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(std::cout);
    return args.empty() ? hp::kExitUsage : hp::kExitSuccess;
  }
  if (args[0] == "--version") {
    std::cout << "hotich " << HOTICH_VERSION << "\n";
    return hp::kExitSuccess;
  }
  for (auto& c : kCommands) {
    if (args[0] != c.name) continue;
    try {
      return c.fn(std::vector<std::string>(args.begin() + 1, args.end()));
    } catch (const hp::Fatal& e) {
      std::cerr << "hotich " << c.name << ": " << e.what() << "\n";
      return e.code;
    } catch (const std::exception& e) {
      std::cerr << "hotich " << c.name << ": fatal: " << e.what() << "\n";
      return hp::kExitFatal;
    }
  }
  std::cerr << "hotich: unknown command \"" << args[0] << "\"\n\n";
  usage(std::cerr);
  return hp::kExitUsage;
}
