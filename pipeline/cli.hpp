// Command-line plumbing shared by the subcommands.
#pragma once
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace hotich::pipeline {

// Parses args (the words after the subcommand) into vm. positional names
// the options that bare words fill, in order (the last may repeat).
// On a usage error prints it with a hint to stderr and returns false.
bool parse_args(const std::vector<std::string>& args, const boost::program_options::options_description& opts,
                const std::vector<std::string>& positional, boost::program_options::variables_map& vm);

// The exit-code paragraph of --help (defined in commands.cpp).
extern const char* const kExitCodesHelp;

// The subcommands, each taking the words after its name and returning an
// exit code (pipeline/errors.hpp). They may throw Fatal.
int cmd_run(const std::vector<std::string>& args);
int cmd_export(const std::vector<std::string>& args);
int cmd_status(const std::vector<std::string>& args);
int cmd_eval(const std::vector<std::string>& args);
int cmd_gazetteer(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);

}  // namespace hotich::pipeline
