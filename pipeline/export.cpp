#include "pipeline/export.hpp"

#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "pipeline/cli.hpp"
#include "pipeline/errors.hpp"
#include "pipeline/store.hpp"

namespace po = boost::program_options;

namespace hotich::pipeline {

long export_jsonl(const std::string& db_path, std::ostream& out) {
  Store store(db_path, /*readonly=*/true);
  auto& db = store.db();
  // One pass over fields joined to their entries, in export order; an entry's
  // object is flushed when the next entry starts.
  auto st = db.prepare(
      "SELECT p.book_id, p.page_no, e.entry_no, e.loai_so, e.status, e.id, f.key, f.value, f.flag "
      "FROM entries e JOIN pages p ON p.id = e.page_id "
      "LEFT JOIN fields f ON f.entry_id = e.id "
      "ORDER BY p.book_id, p.page_no, e.entry_no, f.key");
  long n = 0;
  int64_t current = -1;
  nlohmann::ordered_json obj;
  auto flush = [&] {
    if (current < 0) return;
    out << obj.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace) << '\n';
    ++n;
  };
  while (st.step()) {
    int64_t id = st.int64(5);
    if (id != current) {
      flush();
      current = id;
      obj = nlohmann::ordered_json::object();
      obj["book"] = st.text(0);
      obj["page"] = st.int64(1);
      obj["entry"] = st.int64(2);
      obj["loaiSo"] = st.text(3);
      obj["status"] = st.text(4);
      obj["fields"] = nlohmann::ordered_json::object();
      obj["flagged"] = nlohmann::ordered_json::array();
    }
    if (st.is_null(6)) continue;
    obj["fields"][st.text(6)] = st.text(7);
    if (!st.is_null(8)) obj["flagged"].push_back(st.text(6));
  }
  flush();
  return n;
}

int cmd_export(const std::vector<std::string>& args) {
  po::options_description opts("hotich export: write the stored entries as JSON lines\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("db", po::value<std::string>()->default_value("hotich.db"), "the database to read")
      ("format", po::value<std::string>()->default_value("jsonl"), "output format: jsonl")
      ("out,o", po::value<std::string>()->default_value("-"), "output file, - for standard output");
  po::variables_map vm;
  if (!parse_args(args, opts, {}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << opts << "\nOne JSON object per entry: book, page, entry, loaiSo, status, fields, flagged.\n";
    return kExitSuccess;
  }
  if (vm["format"].as<std::string>() != "jsonl") {
    std::cerr << "hotich export: unknown --format " << vm["format"].as<std::string>() << " (jsonl)\n";
    return kExitUsage;
  }
  std::string out_path = vm["out"].as<std::string>();
  long n;
  if (out_path == "-") {
    n = export_jsonl(vm["db"].as<std::string>(), std::cout);
  } else {
    std::ofstream out(out_path, std::ios::binary);
    if (!out) throw Fatal("cannot write " + out_path);
    n = export_jsonl(vm["db"].as<std::string>(), out);
    out.close();
    if (!out) throw Fatal("cannot write " + out_path);
    std::cerr << "hotich export: " << n << " entries written to " << out_path << "\n";
  }
  return kExitSuccess;
}

}  // namespace hotich::pipeline
