// `hotich eval`: compares an export (or a database) with a truth file.
//
// Truth line (scripts/make-corpus): {"book","page","entry","loaiSo",
//   "capture","layout","fields":{key: value},"hard":[keys]}
// Export line (pipeline/export.hpp): {"book","page","entry","loaiSo",
//   "status":"auto|review|verified|rejected","fields":{...},"flagged":[keys]}
// Entries are matched by (book, page, entry).
//
// Counting rules (per field of a matched entry; the fields looked at are the
// union of the truth's non-empty keys and the export's non-empty keys):
//   accepted  = the entry's status is auto or verified and the key is not
//               in its flagged list;
//   correct   = fold(truth) == fold(export) (schema::fold: NFC, white space
//               folded, case folded); an absent key is the empty string.
// So a truth value missing from an auto entry is an accepted error unless the
// key is flagged (the conservative choice: nobody would look at it), and a
// non-empty exported value where the truth is empty is wrong. Truth entries
// with no export entry count in truth_fields but are never accepted.
// Export entries with no truth entry ("spurious") count their accepted
// non-empty fields as accepted errors, in the overall, per-type and
// per-field groups only (they have no capture or layout).
//
// Rates (fractions in [0,1]):
//   recall         = entries_found / truth_entries
//   automation     = accepted_correct / truth_fields
//   residual       = accepted_wrong / fields_accepted        (0 when none accepted)
//   flag_precision = flagged_wrong / flagged                 (undefined when none flagged)
//
// Everything here is pure and thread-compatible; only cmd_eval does I/O.
#pragma once
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hotich::pipeline {

struct TruthEntry {
  std::string book;
  int page = 0, entry = 0;
  std::string loaiSo, capture, layout;
  std::map<std::string, std::string> fields;
  std::set<std::string> hard;
};

struct ExportEntry {
  std::string book;
  int page = 0, entry = 0;
  std::string loaiSo, status;
  std::map<std::string, std::string> fields;
  std::set<std::string> flagged;
};

// Read JSON lines (blank lines skipped). On a malformed line returns false
// and sets *error to "line N: why"; *out then holds the lines before it.
// Field values that are not strings are kept as their JSON text.
bool read_truth(std::istream& in, std::vector<TruthEntry>* out, std::string* error);
bool read_export(std::istream& in, std::vector<ExportEntry>* out, std::string* error);

// Counts of one group (overall, one capture, one layout, one book type, one field key).
struct Tally {
  long truth_entries = 0;   // truth entries in the group (field groups: entries holding the key)
  long entries_found = 0;   // of those, present in the export
  long truth_fields = 0;    // non-empty truth fields
  long fields_accepted = 0; // fields the export accepted (see above), extra ones included
  long accepted_correct = 0;
  long accepted_wrong = 0;
  long hard_fields = 0;          // truth fields marked hard (handwriting-like)
  long hard_accepted_wrong = 0;  // of those, accepted and wrong
  long flagged = 0;              // flagged fields (matched entries)
  long flagged_wrong = 0;        // of those, wrong
  long spurious_entries = 0;     // export entries with no truth entry

  double recall() const;
  double automation() const;
  double residual() const;
  std::optional<double> flag_precision() const;
};

struct EvalReport {
  // Group name -> counts. Names: "all", "capture=<c>", "layout=<l>",
  // "type=<loaiSo>", "field=<key>"; std::map keeps them sorted.
  std::map<std::string, Tally> groups;
  long duplicate_export_entries = 0;  // repeated (book, page, entry) in the export; first one wins
  const Tally& overall() const { return groups.at("all"); }
};

EvalReport evaluate(const std::vector<TruthEntry>& truth, const std::vector<ExportEntry>& exported);

// Quality gates; unset ones are not checked.
struct Thresholds {
  std::optional<double> min_entries;   // recall >= this
  std::optional<double> min_auto;      // automation >= this
  std::optional<double> max_residual;  // residual <= this
};

// One message per gate the overall tally fails ("automation 0.912 < 0.950");
// empty = all met.
std::vector<std::string> failed_thresholds(const Tally& overall, const Thresholds& t);

// Human-readable table: overall, per capture / layout / type, then per field.
void print_report(const EvalReport& r, std::ostream& out);

// The same as JSON: {"groups": {name: {counts..., rates...}}, "duplicate_export_entries": n}.
nlohmann::json report_json(const EvalReport& r);

// `hotich eval` (args after the command name). Exit codes: 0 all gates met,
// 5 (kExitThreshold) a gate failed (each printed), 2 usage or unreadable /
// malformed input files; with --db, export_jsonl's Fatal propagates (3).
int cmd_eval(const std::vector<std::string>& args);

}  // namespace hotich::pipeline
