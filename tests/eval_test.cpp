// hotich eval: counting rules (a row per case), thresholds, readers, and the
// command's exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "pipeline/errors.hpp"
#include "pipeline/eval.hpp"

namespace hp = hotich::pipeline;
namespace fs = std::filesystem;

namespace {

struct Counts {
  long truth_entries, found, truth_fields, accepted, correct, wrong, hard, hard_wrong, flagged,
      flagged_wrong, spurious;
};

struct Case {
  const char* name;
  std::string truth;   // JSON lines
  std::string export_; // JSON lines
  Counts all;          // expected overall tally
};

// One truth line for book b, page 1, entry e, with the given fields JSON.
std::string T(int e, const std::string& fields, const std::string& hard = "[]",
              const std::string& capture = "scan") {
  return R"({"book":"b","page":1,"entry":)" + std::to_string(e) +
         R"(,"loaiSo":"khai_sinh","capture":")" + capture + R"(","layout":"ledger","fields":)" + fields +
         R"(,"hard":)" + hard + "}\n";
}
std::string X(int e, const std::string& status, const std::string& fields, const std::string& flagged = "[]",
              const std::string& book = "b") {
  return R"({"book":")" + book + R"(","page":1,"entry":)" + std::to_string(e) +
         R"(,"loaiSo":"khai_sinh","status":")" + status + R"(","fields":)" + fields +
         R"(,"flagged":)" + flagged + "}\n";
}

const std::string kTwo = R"({"nksHoTen":"Nguyễn Văn An","nksGioiTinh":"Nam"})";

const Case kCases[] = {
    // name, truth, export, {entries, found, fields, accepted, correct, wrong, hard, hardWrong, flagged, flaggedWrong, spurious}
    {"perfect", T(1, kTwo), X(1, "auto", kTwo), {1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0}},
    {"entry_missing", T(1, kTwo) + T(2, kTwo), X(1, "auto", kTwo), {2, 1, 4, 2, 2, 0, 0, 0, 0, 0, 0}},
    {"case_space_nfc_folded", T(1, kTwo),
     // upper case, doubled and trailing spaces, decomposed (NFD) "ễ"
     X(1, "auto", "{\"nksHoTen\":\"NGUY\\u0045\\u0302\\u0303N  V\\u0102N AN \",\"nksGioiTinh\":\"nam\"}"),
     {1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0}},
    {"wrong_value_accepted", T(1, kTwo), X(1, "auto", R"({"nksHoTen":"Nguyễn Văn Ân","nksGioiTinh":"Nam"})"),
     {1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 0}},
    {"missing_field_in_auto_entry_is_accepted_error", T(1, kTwo), X(1, "auto", R"({"nksGioiTinh":"Nam"})"),
     {1, 1, 2, 2, 1, 1, 0, 0, 0, 0, 0}},
    {"missing_field_flagged_is_not_accepted", T(1, kTwo),
     X(1, "auto", R"({"nksGioiTinh":"Nam"})", R"(["nksHoTen"])"), {1, 1, 2, 1, 1, 0, 0, 0, 1, 1, 0}},
    {"flagged_but_correct", T(1, kTwo), X(1, "auto", kTwo, R"(["nksGioiTinh"])"),
     {1, 1, 2, 1, 1, 0, 0, 0, 1, 0, 0}},
    {"extra_value_where_truth_empty", T(1, kTwo),
     X(1, "auto", R"({"nksHoTen":"Nguyễn Văn An","nksGioiTinh":"Nam","ghiChu":"x"})"),
     {1, 1, 2, 3, 2, 1, 0, 0, 0, 0, 0}},
    {"empty_export_value_matches_empty_truth", T(1, R"({"nksHoTen":"An","ghiChu":""})"),
     X(1, "auto", R"({"nksHoTen":"An","ghiChu":"  "})"), {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0}},
    {"review_entry_accepts_nothing", T(1, kTwo), X(1, "review", kTwo), {1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"rejected_entry_accepts_nothing", T(1, kTwo), X(1, "rejected", kTwo), {1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0}},
    {"verified_entry_accepts", T(1, kTwo), X(1, "verified", kTwo), {1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0}},
    {"hard_field_accepted_wrong", T(1, kTwo, R"(["nksHoTen"])"),
     X(1, "auto", R"({"nksHoTen":"Nguyen Van An","nksGioiTinh":"Nam"})"), {1, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0}},
    {"hard_field_flagged", T(1, kTwo, R"(["nksHoTen"])"),
     X(1, "auto", R"({"nksHoTen":"Nguyen Van An","nksGioiTinh":"Nam"})", R"(["nksHoTen"])"),
     {1, 1, 2, 1, 1, 0, 1, 0, 1, 1, 0}},
    {"spurious_auto_entry_counts_accepted_errors", T(1, kTwo), X(1, "auto", kTwo) + X(7, "auto", kTwo),
     {1, 1, 2, 4, 2, 2, 0, 0, 0, 0, 1}},
    {"spurious_review_entry", T(1, kTwo), X(1, "auto", kTwo) + X(1, "review", kTwo, "[]", "other"),
     {1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 1}},
    {"duplicate_export_first_wins", T(1, kTwo), X(1, "auto", kTwo) + X(1, "auto", R"({})"),
     {1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0}},
    {"blank_lines_skipped", "\n" + T(1, kTwo) + "\n", "\n" + X(1, "auto", kTwo),
     {1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0}},
};

hp::EvalReport run(const std::string& truth, const std::string& exp) {
  std::vector<hp::TruthEntry> t;
  std::vector<hp::ExportEntry> x;
  std::string err;
  std::istringstream ti(truth), xi(exp);
  EXPECT_TRUE(hp::read_truth(ti, &t, &err)) << err;
  EXPECT_TRUE(hp::read_export(xi, &x, &err)) << err;
  return hp::evaluate(t, x);
}

}  // namespace

TEST(Eval, CountingRules) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    auto r = run(c.truth, c.export_);
    const auto& g = r.overall();
    const Counts got{g.truth_entries, g.entries_found, g.truth_fields, g.fields_accepted, g.accepted_correct,
                     g.accepted_wrong, g.hard_fields, g.hard_accepted_wrong, g.flagged, g.flagged_wrong,
                     g.spurious_entries};
    const Counts& w = c.all;
    EXPECT_EQ(got.truth_entries, w.truth_entries);
    EXPECT_EQ(got.found, w.found);
    EXPECT_EQ(got.truth_fields, w.truth_fields);
    EXPECT_EQ(got.accepted, w.accepted);
    EXPECT_EQ(got.correct, w.correct);
    EXPECT_EQ(got.wrong, w.wrong);
    EXPECT_EQ(got.hard, w.hard);
    EXPECT_EQ(got.hard_wrong, w.hard_wrong);
    EXPECT_EQ(got.flagged, w.flagged);
    EXPECT_EQ(got.flagged_wrong, w.flagged_wrong);
    EXPECT_EQ(got.spurious, w.spurious);
  }
}

TEST(Eval, Rates) {
  // 2 truth entries x 2 fields; entry 1 auto with one wrong name, entry 2 missing.
  auto r = run(T(1, kTwo) + T(2, kTwo), X(1, "auto", R"({"nksHoTen":"X","nksGioiTinh":"Nam"})", "[]"));
  const auto& g = r.overall();
  EXPECT_DOUBLE_EQ(g.recall(), 0.5);
  EXPECT_DOUBLE_EQ(g.automation(), 0.25);
  EXPECT_DOUBLE_EQ(g.residual(), 0.5);
  EXPECT_FALSE(g.flag_precision().has_value());
  auto r2 = run(T(1, kTwo), X(1, "auto", R"({"nksHoTen":"X","nksGioiTinh":"Nam"})", R"(["nksHoTen","nksGioiTinh"])"));
  ASSERT_TRUE(r2.overall().flag_precision().has_value());
  EXPECT_DOUBLE_EQ(*r2.overall().flag_precision(), 0.5);
  EXPECT_DOUBLE_EQ(r2.overall().residual(), 0.0);  // nothing accepted
}

TEST(Eval, Groups) {
  auto r = run(T(1, kTwo, "[]", "scan") + T(2, kTwo, "[]", "photo"),
               X(1, "auto", kTwo) + X(2, "auto", R"({"nksHoTen":"Khác","nksGioiTinh":"Nam"})"));
  ASSERT_TRUE(r.groups.count("capture=scan") && r.groups.count("capture=photo"));
  EXPECT_EQ(r.groups.at("capture=scan").accepted_wrong, 0);
  EXPECT_EQ(r.groups.at("capture=photo").accepted_wrong, 1);
  EXPECT_EQ(r.groups.at("layout=ledger").truth_entries, 2);
  EXPECT_EQ(r.groups.at("type=khai_sinh").truth_fields, 4);
  EXPECT_EQ(r.groups.at("field=nksHoTen").truth_fields, 2);
  EXPECT_EQ(r.groups.at("field=nksHoTen").accepted_wrong, 1);
  EXPECT_EQ(r.groups.at("field=nksGioiTinh").accepted_wrong, 0);
  auto j = hp::report_json(r);
  EXPECT_EQ(j["groups"]["all"]["truth_fields"], 4);
  EXPECT_DOUBLE_EQ(j["groups"]["all"]["automation"].get<double>(), 0.75);
}

TEST(Eval, Thresholds) {
  struct Row {
    const char* name;
    hp::Thresholds t;
    size_t failures;
  };
  hp::Tally g;  // recall 9/10 = 0.9, automation 80/100 = 0.8, residual 8/88 ~ 0.091
  g.truth_entries = 10, g.entries_found = 9, g.truth_fields = 100;
  g.fields_accepted = 88, g.accepted_correct = 80, g.accepted_wrong = 8;
  const Row rows[] = {
      {"none_set", {}, 0},
      {"recall_met", {0.9, std::nullopt, std::nullopt}, 0},
      {"recall_missed", {0.91, std::nullopt, std::nullopt}, 1},
      {"auto_met", {std::nullopt, 0.8, std::nullopt}, 0},
      {"auto_missed", {std::nullopt, 0.81, std::nullopt}, 1},
      {"residual_met", {std::nullopt, std::nullopt, 0.1}, 0},
      {"residual_missed", {std::nullopt, std::nullopt, 0.05}, 1},
      {"all_missed", {0.95, 0.95, 0.01}, 3},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(hp::failed_thresholds(g, row.t).size(), row.failures);
  }
}

TEST(Eval, ReaderRejectsMalformedLines) {
  struct Row {
    const char* name;
    std::string text;
  };
  const Row rows[] = {
      {"not_json", T(1, kTwo) + "{oops\n"},
      {"missing_book", T(1, kTwo) + R"({"page":1,"entry":1,"fields":{}})" "\n"},
      {"page_not_number", T(1, kTwo) + R"({"book":"b","page":"x","entry":1})" "\n"},
      {"not_object", T(1, kTwo) + "[1,2]\n"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    std::vector<hp::TruthEntry> t;
    std::string err;
    std::istringstream in(row.text);
    EXPECT_FALSE(hp::read_truth(in, &t, &err));
    EXPECT_NE(err.find("line 2"), std::string::npos) << err;
    EXPECT_EQ(t.size(), 1u);
  }
}

TEST(Eval, CommandExitCodes) {
  fs::path dir = fs::temp_directory_path() / ("hotich_eval_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const char* name, const std::string& s) {
    std::ofstream(dir / name, std::ios::binary) << s;
    return (dir / name).string();
  };
  std::string truth = write("truth.jsonl", T(1, kTwo) + T(2, kTwo));
  std::string good = write("good.jsonl", X(1, "auto", kTwo) + X(2, "auto", kTwo));
  std::string half = write("half.jsonl", X(1, "auto", kTwo));
  std::string bad = write("bad.jsonl", "{nope\n");
  std::string json_out = (dir / "report.json").string();
  struct Row {
    const char* name;
    std::vector<std::string> args;
    int code;
  };
  const Row rows[] = {
      {"help", {"--help"}, hp::kExitSuccess},
      {"all_met", {"--truth", truth, "--export", good, "--min-entries", "1", "--max-residual", "0"}, hp::kExitSuccess},
      {"recall_missed", {"--truth", truth, "--export", half, "--min-entries", "0.9"}, hp::kExitThreshold},
      {"no_gates", {"--truth", truth, "--export", half}, hp::kExitSuccess},
      {"json_written", {"--truth", truth, "--export", good, "--json", json_out}, hp::kExitSuccess},
      {"no_truth", {"--export", good}, hp::kExitUsage},
      {"both_sources", {"--truth", truth, "--export", good, "--db", "x.db"}, hp::kExitUsage},
      {"missing_file", {"--truth", truth, "--export", (dir / "absent.jsonl").string()}, hp::kExitUsage},
      {"malformed_export", {"--truth", truth, "--export", bad}, hp::kExitUsage},
      {"rate_out_of_range", {"--truth", truth, "--export", good, "--min-auto", "95"}, hp::kExitUsage},
      {"unknown_option", {"--truth", truth, "--export", good, "--frobnicate"}, hp::kExitUsage},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    EXPECT_EQ(hp::cmd_eval(row.args), row.code);
  }
  std::ifstream j(json_out);
  ASSERT_TRUE(j.good());
  auto report = nlohmann::json::parse(j);
  EXPECT_EQ(report["groups"]["all"]["accepted_correct"], 4);
  fs::remove_all(dir);
}

// Hand-made cases as data: tests/data/eval/<case>/{truth,export}.jsonl and
// expected.json = {group: {count: value}} (keys starting "_" are comments).
TEST(Eval, DataCases) {
  fs::path root = fs::path(HOTICH_SOURCE_DIR) / "tests" / "data" / "eval";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  int cases = 0;
  for (const auto& d : fs::directory_iterator(root)) {
    if (!d.is_directory()) continue;
    SCOPED_TRACE(d.path().filename().string());
    std::ifstream ti(d.path() / "truth.jsonl"), xi(d.path() / "export.jsonl"), ei(d.path() / "expected.json");
    ASSERT_TRUE(ti && xi && ei);
    std::vector<hp::TruthEntry> t;
    std::vector<hp::ExportEntry> x;
    std::string err;
    ASSERT_TRUE(hp::read_truth(ti, &t, &err)) << err;
    ASSERT_TRUE(hp::read_export(xi, &x, &err)) << err;
    auto got = hp::report_json(hp::evaluate(t, x))["groups"];
    auto want = nlohmann::json::parse(ei);
    for (const auto& [group, counts] : want.items()) {
      if (group.rfind('_', 0) == 0) continue;
      ASSERT_TRUE(got.contains(group)) << group;
      for (const auto& [k, v] : counts.items()) EXPECT_EQ(got[group][k], v) << group << "." << k;
    }
    ++cases;
  }
  EXPECT_GT(cases, 0);
}
