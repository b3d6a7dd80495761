#include "pipeline/cli.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace hotich::pipeline {

bool parse_args(const std::vector<std::string>& args, const po::options_description& opts,
                const std::vector<std::string>& positional, po::variables_map& vm) {
  po::positional_options_description pos;
  for (size_t i = 0; i < positional.size(); ++i)
    pos.add(positional[i].c_str(), i + 1 == positional.size() ? -1 : 1);
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hotich: " << e.what() << "\n(see --help)\n";
    return false;
  }
  return true;
}

}  // namespace hotich::pipeline
