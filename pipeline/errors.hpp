// Exit codes and the one exception type of the pipeline layer.
// Per-page problems are values (PageError in run.hpp); Fatal is only for
// faults that end the run: unwritable DB, missing language model, bad usage.
#pragma once
#include <stdexcept>
#include <string>

namespace hotich::pipeline {

// Process exit codes, documented in `hotich --help` and the README.
enum ExitCode : int {
  kExitSuccess = 0,   // every page done (or nothing new to do)
  kExitPartial = 1,   // the run finished but some pages or books failed (listed in the report)
  kExitUsage = 2,     // bad command line
  kExitFatal = 3,     // the run could not go on (DB, model, input folder)
  kExitLocked = 4,    // another hotich run holds the DB
  kExitThreshold = 5  // eval: a quality threshold was not met
};

struct Fatal : std::runtime_error {
  int code;
  explicit Fatal(const std::string& what, int exit_code = kExitFatal)
      : std::runtime_error(what), code(exit_code) {}
};

}  // namespace hotich::pipeline
