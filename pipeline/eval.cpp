#include "pipeline/eval.hpp"

#include <fstream>
#include <iostream>
#include <sstream>
#include <tuple>

#include <boost/program_options.hpp>
#include <fmt/core.h>

#include "pipeline/cli.hpp"
#include "pipeline/errors.hpp"
#include "pipeline/export.hpp"
#include "schema/text.hpp"

namespace po = boost::program_options;
using nlohmann::json;

namespace hotich::pipeline {
namespace {

std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

// Parses the parts both line kinds share; throws json errors on bad shape.
template <class Entry>
void read_common(const json& j, Entry* e) {
  e->book = j.at("book").get<std::string>();
  e->page = j.at("page").get<int>();
  e->entry = j.at("entry").get<int>();
  e->loaiSo = j.value("loaiSo", "");
  if (j.contains("fields")) {
    for (const auto& [k, v] : j.at("fields").items()) e->fields[k] = as_text(v);
  }
}

template <class Entry, class Fill>
bool read_lines(std::istream& in, std::vector<Entry>* out, std::string* error, Fill fill) {
  std::string line;
  long n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      json j = json::parse(line);
      if (!j.is_object()) throw std::runtime_error("not a JSON object");
      Entry e;
      read_common(j, &e);
      fill(j, &e);
      out->push_back(std::move(e));
    } catch (const std::exception& ex) {
      *error = fmt::format("line {}: {}", n, ex.what());
      return false;
    }
  }
  return true;
}

std::set<std::string> string_set(const json& j, const char* key) {
  std::set<std::string> s;
  if (j.contains(key))
    for (const auto& v : j.at(key)) s.insert(v.get<std::string>());
  return s;
}

using EntryKey = std::tuple<std::string, int, int>;

double ratio(long a, long b) { return b > 0 ? double(a) / double(b) : 0.0; }

bool accepted_status(const std::string& s) { return s == "auto" || s == "verified"; }

}  // namespace

double Tally::recall() const { return ratio(entries_found, truth_entries); }
double Tally::automation() const { return ratio(accepted_correct, truth_fields); }
double Tally::residual() const { return ratio(accepted_wrong, fields_accepted); }
std::optional<double> Tally::flag_precision() const {
  if (flagged == 0) return std::nullopt;
  return ratio(flagged_wrong, flagged);
}

bool read_truth(std::istream& in, std::vector<TruthEntry>* out, std::string* error) {
  return read_lines(in, out, error, [](const json& j, TruthEntry* e) {
    e->capture = j.value("capture", "");
    e->layout = j.value("layout", "");
    e->hard = string_set(j, "hard");
  });
}

bool read_export(std::istream& in, std::vector<ExportEntry>* out, std::string* error) {
  return read_lines(in, out, error, [](const json& j, ExportEntry* e) {
    e->status = j.value("status", "");
    e->flagged = string_set(j, "flagged");
  });
}

EvalReport evaluate(const std::vector<TruthEntry>& truth, const std::vector<ExportEntry>& exported) {
  EvalReport r;
  r.groups["all"];
  std::map<EntryKey, const ExportEntry*> by_key;
  for (const auto& e : exported) {
    if (!by_key.emplace(EntryKey{e.book, e.page, e.entry}, &e).second) ++r.duplicate_export_entries;
  }
  std::set<EntryKey> matched;

  for (const auto& t : truth) {
    std::vector<Tally*> entry_groups = {&r.groups["all"]};
    if (!t.capture.empty()) entry_groups.push_back(&r.groups["capture=" + t.capture]);
    if (!t.layout.empty()) entry_groups.push_back(&r.groups["layout=" + t.layout]);
    if (!t.loaiSo.empty()) entry_groups.push_back(&r.groups["type=" + t.loaiSo]);
    EntryKey key{t.book, t.page, t.entry};
    auto it = by_key.find(key);
    const ExportEntry* x = it == by_key.end() ? nullptr : it->second;
    if (x) matched.insert(key);

    std::set<std::string> keys;
    for (const auto& [k, v] : t.fields)
      if (!schema::fold(v).empty()) keys.insert(k);
    if (x)
      for (const auto& [k, v] : x->fields)
        if (!schema::fold(v).empty()) keys.insert(k);

    for (Tally* g : entry_groups) {
      ++g->truth_entries;
      if (x) ++g->entries_found;
    }
    for (const auto& k : keys) {
      Tally& fg = r.groups["field=" + k];
      std::vector<Tally*> gs = entry_groups;
      gs.push_back(&fg);
      auto tv = t.fields.find(k);
      std::string tf = tv == t.fields.end() ? "" : schema::fold(tv->second);
      bool in_truth = !tf.empty();
      bool hard = in_truth && t.hard.count(k);
      if (in_truth) {
        ++fg.truth_entries;
        if (x) ++fg.entries_found;
      }
      bool accepted = false, correct = false, flagged = false;
      if (x) {
        auto xv = x->fields.find(k);
        std::string xf = xv == x->fields.end() ? "" : schema::fold(xv->second);
        correct = xf == tf;
        flagged = x->flagged.count(k) > 0;
        accepted = accepted_status(x->status) && !flagged;
      }
      for (Tally* g : gs) {
        if (in_truth) ++g->truth_fields;
        if (hard) ++g->hard_fields;
        if (accepted) {
          ++g->fields_accepted;
          if (correct) ++g->accepted_correct;
          else ++g->accepted_wrong;
          if (hard && !correct) ++g->hard_accepted_wrong;
        }
        if (flagged) {
          ++g->flagged;
          if (!correct) ++g->flagged_wrong;
        }
      }
    }
  }

  for (const auto& [key, x] : by_key) {
    if (matched.count(key)) continue;
    std::vector<Tally*> gs = {&r.groups["all"]};
    if (!x->loaiSo.empty()) gs.push_back(&r.groups["type=" + x->loaiSo]);
    for (Tally* g : gs) ++g->spurious_entries;
    if (!accepted_status(x->status)) continue;
    for (const auto& [k, v] : x->fields) {
      if (schema::fold(v).empty() || x->flagged.count(k)) continue;
      std::vector<Tally*> fgs = gs;
      fgs.push_back(&r.groups["field=" + k]);
      for (Tally* g : fgs) {
        ++g->fields_accepted;
        ++g->accepted_wrong;
      }
    }
  }
  return r;
}

std::vector<std::string> failed_thresholds(const Tally& o, const Thresholds& t) {
  std::vector<std::string> out;
  if (t.min_entries && o.recall() < *t.min_entries)
    out.push_back(fmt::format("entry recall {:.4f} < {:.4f} (--min-entries)", o.recall(), *t.min_entries));
  if (t.min_auto && o.automation() < *t.min_auto)
    out.push_back(fmt::format("automation {:.4f} < {:.4f} (--min-auto)", o.automation(), *t.min_auto));
  if (t.max_residual && o.residual() > *t.max_residual)
    out.push_back(fmt::format("residual error {:.4f} > {:.4f} (--max-residual)", o.residual(), *t.max_residual));
  return out;
}

namespace {

std::string pct(double v) { return fmt::format("{:6.1f}%", v * 100); }

void print_row(std::ostream& out, const std::string& name, const Tally& g, bool field_row) {
  auto fp = g.flag_precision();
  out << fmt::format("{:<28} {:>7} {:>7} {:>7} {:>7} {:>8} {:>7} {:>7} {:>9} {:>7} {:>7}\n", name,
                     field_row ? "" : std::to_string(g.truth_entries),
                     field_row ? "" : pct(g.recall()), g.truth_fields, g.fields_accepted,
                     pct(g.automation()), pct(g.residual()),
                     fmt::format("{}/{}", g.hard_accepted_wrong, g.hard_fields), g.flagged,
                     fp ? pct(*fp) : "-", g.spurious_entries ? std::to_string(g.spurious_entries) : "");
}

}  // namespace

void print_report(const EvalReport& r, std::ostream& out) {
  out << fmt::format("{:<28} {:>7} {:>7} {:>7} {:>7} {:>8} {:>7} {:>7} {:>9} {:>7} {:>7}\n", "group",
                     "entries", "found", "fields", "accept", "auto", "resid", "hardX", "flagged",
                     "flagP", "extra");
  for (const char* prefix : {"all", "capture=", "layout=", "type="}) {
    for (const auto& [name, g] : r.groups)
      if (name.rfind(prefix, 0) == 0) print_row(out, name, g, false);
  }
  out << "\nper field:\n";
  for (const auto& [name, g] : r.groups)
    if (name.rfind("field=", 0) == 0) print_row(out, name.substr(6), g, true);
  out << "\nfound = entries matched by (book, page, entry); accept = fields accepted (auto/verified\n"
         "entry, not flagged); auto = accepted and correct / truth fields; resid = accepted and\n"
         "wrong / accepted; hardX = hard fields accepted wrong / hard fields; flagP = flagged and\n"
         "wrong / flagged; extra = export entries absent from the truth.\n";
  if (r.duplicate_export_entries)
    out << fmt::format("warning: {} duplicate export entries ignored\n", r.duplicate_export_entries);
}

json report_json(const EvalReport& r) {
  json groups = json::object();
  for (const auto& [name, g] : r.groups) {
    auto fp = g.flag_precision();
    groups[name] = {{"truth_entries", g.truth_entries},
                    {"entries_found", g.entries_found},
                    {"truth_fields", g.truth_fields},
                    {"fields_accepted", g.fields_accepted},
                    {"accepted_correct", g.accepted_correct},
                    {"accepted_wrong", g.accepted_wrong},
                    {"hard_fields", g.hard_fields},
                    {"hard_accepted_wrong", g.hard_accepted_wrong},
                    {"flagged", g.flagged},
                    {"flagged_wrong", g.flagged_wrong},
                    {"spurious_entries", g.spurious_entries},
                    {"recall", g.recall()},
                    {"automation", g.automation()},
                    {"residual", g.residual()},
                    {"flag_precision", fp ? json(*fp) : json(nullptr)}};
  }
  return {{"groups", groups}, {"duplicate_export_entries", r.duplicate_export_entries}};
}

int cmd_eval(const std::vector<std::string>& args) {
  po::options_description opts(
      "hotich eval --truth truth.jsonl (--db FILE | --export FILE.jsonl) [gates]: compare the\n"
      "pipeline's entries with a truth file and check quality gates\n\nOptions");
  opts.add_options()
      ("help,h", "show this help")
      ("truth", po::value<std::string>(), "truth JSONL (scripts/make-corpus writes one)")
      ("db", po::value<std::string>(), "database to export and compare")
      ("export", po::value<std::string>(), "export JSONL to compare (hotich export)")
      ("min-entries", po::value<double>(), "fail unless entry recall >= R (0..1)")
      ("min-auto", po::value<double>(), "fail unless automation rate >= A (0..1)")
      ("max-residual", po::value<double>(), "fail unless residual error rate <= E (0..1)")
      ("json", po::value<std::string>(), "also write the report as JSON to this file");
  po::variables_map vm;
  if (!parse_args(args, opts, {}, vm)) return kExitUsage;
  if (vm.count("help")) {
    std::cout << opts
              << "\nA field is accepted when its entry is auto or verified and the field is not\n"
                 "flagged; a truth value missing from an accepted entry counts as an accepted\n"
                 "error. Values compare after NFC, white-space and case folding.\n"
                 "Exit: 0 every gate met; 5 a gate failed; 2 usage or unreadable input.\n";
    return kExitSuccess;
  }
  if (!vm.count("truth") || (vm.count("db") == vm.count("export"))) {
    std::cerr << "hotich eval: needs --truth and exactly one of --db / --export\n(see --help)\n";
    return kExitUsage;
  }
  Thresholds th;
  for (auto [name, slot] : {std::pair{"min-entries", &th.min_entries}, std::pair{"min-auto", &th.min_auto},
                            std::pair{"max-residual", &th.max_residual}}) {
    if (!vm.count(name)) continue;
    double v = vm[name].as<double>();
    if (!(v >= 0.0 && v <= 1.0)) {
      std::cerr << "hotich eval: --" << name << " must be a fraction in [0,1]\n";
      return kExitUsage;
    }
    *slot = v;
  }

  std::vector<TruthEntry> truth;
  std::string err;
  const std::string truth_path = vm["truth"].as<std::string>();
  std::ifstream tin(truth_path, std::ios::binary);
  if (!tin) {
    std::cerr << "hotich eval: cannot read " << truth_path << "\n";
    return kExitUsage;
  }
  if (!read_truth(tin, &truth, &err)) {
    std::cerr << "hotich eval: " << truth_path << ": " << err << "\n";
    return kExitUsage;
  }
  if (truth.empty()) {
    std::cerr << "hotich eval: " << truth_path << " holds no entries\n";
    return kExitUsage;
  }

  std::vector<ExportEntry> exported;
  if (vm.count("db")) {
    std::stringstream buf;
    export_jsonl(vm["db"].as<std::string>(), buf);  // Fatal propagates to main's handler
    if (!read_export(buf, &exported, &err)) {
      std::cerr << "hotich eval: export of " << vm["db"].as<std::string>() << ": " << err << "\n";
      return kExitUsage;
    }
  } else {
    const std::string path = vm["export"].as<std::string>();
    std::ifstream xin(path, std::ios::binary);
    if (!xin) {
      std::cerr << "hotich eval: cannot read " << path << "\n";
      return kExitUsage;
    }
    if (!read_export(xin, &exported, &err)) {
      std::cerr << "hotich eval: " << path << ": " << err << "\n";
      return kExitUsage;
    }
  }

  EvalReport report = evaluate(truth, exported);
  print_report(report, std::cout);
  auto failed = failed_thresholds(report.overall(), th);
  if (vm.count("json")) {
    json j = report_json(report);
    j["failed_thresholds"] = failed;
    const std::string path = vm["json"].as<std::string>();
    std::ofstream jout(path, std::ios::binary);
    jout << j.dump(2) << "\n";
    if (!jout) {
      std::cerr << "hotich eval: cannot write " << path << "\n";
      return kExitUsage;
    }
  }
  for (const auto& f : failed) std::cout << "FAILED: " << f << "\n";
  if (!failed.empty()) return kExitThreshold;
  if (th.min_entries || th.min_auto || th.max_residual) std::cout << "all thresholds met\n";
  return kExitSuccess;
}

}  // namespace hotich::pipeline
