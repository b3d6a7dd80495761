#include "pipeline/store.hpp"

#include <chrono>
#include <ctime>
#include <map>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pipeline/errors.hpp"
#include "pipeline/hash.hpp"
#include "schema/embedded.hpp"
#include "schema/text.hpp"

namespace hotich::pipeline {
namespace {

// (version, sql) of every embedded migration, in order. File names start
// with their 4-digit version: schema/migrations/0001_initial.sql.
std::vector<std::pair<int, std::string_view>> migrations() {
  static const std::regex re(R"(^schema/migrations/(\d{4})_[^/]*\.sql$)");
  std::vector<std::pair<int, std::string_view>> out;
  for (auto& [name, sql] : schema::embedded_files()) {
    std::smatch m;
    if (std::regex_match(name, m, re)) out.emplace_back(std::stoi(m[1]), sql);
  }
  return out;  // std::map keys are sorted, so versions are in order
}

// A column plan as stored in column_plans.plan. complete and inherited are
// not stored: only complete plans read from their page's header are kept.
std::string plan_json(const schema::ColumnPlan& p) {
  nlohmann::json j{{"type", schema::to_string(p.type)},
                   {"col_edges", p.col_edges},
                   {"header_rows", p.header_rows},
                   {"keys", p.keys}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

schema::ColumnPlan plan_from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  schema::ColumnPlan p;
  p.type = schema::book_type_from_string(j.at("type").get<std::string>());
  p.col_edges = j.at("col_edges").get<std::vector<int>>();
  p.header_rows = j.at("header_rows").get<int>();
  p.keys = j.at("keys").get<std::vector<std::vector<std::string>>>();
  p.complete = true;
  return p;
}

}  // namespace

std::string now_iso8601() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int Store::latest_version() {
  auto m = migrations();
  return m.empty() ? 0 : m.back().first;
}

Store::Store(const std::string& path, bool readonly) : db_(path, readonly) {
  auto st = db_.prepare("PRAGMA user_version");
  st.step();
  int version = int(st.int64(0));
  if (version > latest_version())
    throw Fatal(path + " was written by a newer hotich (schema " + std::to_string(version) +
                ", this one knows " + std::to_string(latest_version()) + ")");
  if (readonly) {
    if (version == 0) throw Fatal(path + " is not a hotich database (or is empty)");
    return;
  }
  migrate();
}

void Store::migrate() {
  for (auto& [version, sql] : migrations()) {
    auto st = db_.prepare("PRAGMA user_version");
    st.step();
    if (st.int64(0) >= version) continue;
    db_.exec("BEGIN IMMEDIATE");
    try {
      db_.exec(sql);
      db_.exec("PRAGMA user_version = " + std::to_string(version));
      db_.exec("COMMIT");
    } catch (...) {
      db_.exec("ROLLBACK");
      throw;
    }
  }
}

int64_t Store::begin_run(const std::string& command) {
  db_.prepare("INSERT INTO runs (started_at, version, command, status) VALUES (?, ?, ?, 'running')")
      .bind(1, now_iso8601())
      .bind(2, HOTICH_VERSION)
      .bind(3, command)
      .run();
  return db_.last_id();
}

void Store::finish_run(int64_t run_id, const std::string& status, const std::string& report_json) {
  db_.prepare("UPDATE runs SET finished_at = ?, status = ?, report = ? WHERE id = ?")
      .bind(1, now_iso8601())
      .bind(2, status)
      .bind(3, report_json)
      .bind(4, run_id)
      .run();
}

void Store::put_book(const BookRecord& b) {
  auto opt = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
  auto st = db_.prepare(
      "INSERT INTO books (id, path, loai_so, quyen_so, nam, noi_dang_ky, status, error) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
      "ON CONFLICT (id) DO UPDATE SET path = ?2, "
      "  loai_so = coalesce(?3, loai_so), quyen_so = coalesce(?4, quyen_so), "
      "  nam = coalesce(?5, nam), noi_dang_ky = coalesce(?6, noi_dang_ky), status = ?7, error = ?8");
  st.bind(1, b.id).bind(2, b.path);
  st.bind(3, b.context.type == schema::BookType::unknown
                 ? std::nullopt
                 : std::optional<std::string>(schema::to_string(b.context.type)));
  st.bind(4, opt(b.context.quyenSo));
  if (b.context.year) st.bind(5, b.context.year);
  else st.bind_null(5);
  st.bind(6, opt(b.context.noiDangKy));
  st.bind(7, b.error.empty() ? "ok" : "failed");
  st.bind(8, opt(b.error));
  st.run();
}

void Store::begin_batch() {
  if (in_batch_) return;
  db_.exec("BEGIN IMMEDIATE");
  in_batch_ = true;
}

void Store::commit_batch() {
  if (!in_batch_) return;
  db_.exec("COMMIT");
  in_batch_ = false;
}

struct Store::PutStatements {
  explicit PutStatements(Db& db)
      : del(db.prepare("DELETE FROM pages WHERE book_id = ? AND page_no = ?")),
        page(db.prepare("INSERT INTO pages (book_id, page_no, path, frame, sha256, size, status, error, layout, "
                        "width, height, run_id, pipeline_version, timings, processed_at) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")),
        entry(db.prepare("INSERT INTO entries (page_id, entry_no, loai_so, status, review_reason) "
                         "VALUES (?,?,?,?,?)")),
        field(db.prepare("INSERT OR REPLACE INTO fields (entry_id, key, value, raw, conf, x, y, w, h, flag, "
                         "corrected) VALUES (?,?,?,?,?,?,?,?,?,?,?)")),
        // Entries a person has touched: verified or rejected, or with a corrected field.
        human(db.prepare("SELECT e.entry_no, e.status, e.review_reason, f.key, f.value, f.raw, f.conf, f.x, f.y, "
                         "f.w, f.h, f.flag, f.corrected FROM entries e JOIN pages p ON p.id = e.page_id "
                         "JOIN fields f ON f.entry_id = e.id WHERE p.book_id = ? AND p.page_no = ? AND "
                         "(e.status IN ('verified', 'rejected') OR EXISTS (SELECT 1 FROM fields c WHERE "
                         "c.entry_id = e.id AND c.corrected = 1)) ORDER BY e.entry_no")),
        plan(db.prepare("INSERT INTO column_plans (page_id, plan_no, plan) VALUES (?,?,?)")) {}
  Stmt del, page, entry, field, human, plan;
};

namespace {
struct KeptEntry {
  schema::Entry entry;
  std::string status;
  std::vector<bool> corrected;
};
}  // namespace

Store::~Store() = default;

void Store::put_page(const PageRecord& rec, int64_t run_id) {
  begin_batch();
  if (!put_) put_ = std::make_unique<PutStatements>(db_);
  auto& del = put_->del;
  auto& page = put_->page;
  auto& entry = put_->entry;
  auto& field = put_->field;

  // Reprocessing never overwrites what reviewers did: their entries are
  // kept as they are and replace the new reading of the same entry.
  std::vector<KeptEntry> kept;
  auto& human = put_->human;
  human.bind(1, rec.book_id).bind(2, rec.page_no);
  while (human.step()) {
    int no = int(human.int64(0));
    if (kept.empty() || kept.back().entry.index != no) {
      kept.emplace_back();
      kept.back().entry.index = no;
      kept.back().status = human.text(1);
      kept.back().entry.review_reason = human.text(2);
    }
    schema::Field f;
    f.key = human.text(3);
    f.value = human.text(4);
    f.raw = human.text(5);
    f.conf = float(human.real(6));
    if (!human.is_null(7)) f.box = {int(human.int64(7)), int(human.int64(8)), int(human.int64(9)), int(human.int64(10))};
    f.flag = human.is_null(11) ? "" : human.text(11);
    kept.back().entry.fields.push_back(std::move(f));
    kept.back().corrected.push_back(human.int64(12) != 0);
  }
  human.reset();
  del.bind(1, rec.book_id).bind(2, rec.page_no).run();

  page.bind(1, rec.book_id).bind(2, rec.page_no).bind(3, rec.path).bind(4, rec.frame);
  page.bind(5, rec.sha256).bind(6, rec.size).bind(7, rec.error.empty() ? "done" : "failed");
  if (rec.error.empty()) page.bind_null(8);
  else page.bind(8, rec.error);
  page.bind(9, rec.layout).bind(10, rec.width).bind(11, rec.height).bind(12, run_id);
  page.bind(13, HOTICH_VERSION).bind(14, rec.timings_json).bind(15, now_iso8601());
  page.run();
  int64_t page_id = db_.last_id();

  auto put_entry = [&](const schema::Entry& e, const std::string& status, const std::vector<bool>* corrected) {
    entry.bind(1, page_id).bind(2, e.index).bind(3, rec.loai_so.empty() ? "unknown" : rec.loai_so);
    entry.bind(4, status);
    if (e.review_reason.empty()) entry.bind_null(5);
    else entry.bind(5, e.review_reason);
    entry.run();
    int64_t entry_id = db_.last_id();
    for (size_t i = 0; i < e.fields.size(); ++i) {
      auto& f = e.fields[i];
      field.bind(1, entry_id).bind_static(2, f.key).bind_static(3, f.value).bind_static(4, f.raw);
      field.bind(5, double(f.conf));
      if (f.box.empty()) field.bind_null(6).bind_null(7).bind_null(8).bind_null(9);
      else field.bind(6, f.box.x).bind(7, f.box.y).bind(8, f.box.w).bind(9, f.box.h);
      if (f.flag.empty()) field.bind_null(10);
      else field.bind_static(10, f.flag);
      field.bind(11, corrected && (*corrected)[i] ? 1 : 0);
      field.run();
    }
  };
  for (auto& e : rec.entries) {
    bool human_kept = false;
    for (auto& k : kept) human_kept |= k.entry.index == e.index;
    if (!human_kept) put_entry(e, e.needs_review ? "review" : "auto", nullptr);
  }
  for (auto& k : kept) put_entry(k.entry, k.status, &k.corrected);

  // The old page's plans went with it (ON DELETE CASCADE); a failed page has none.
  int plan_no = 0;
  for (auto& p : rec.plans) {
    if (!p.complete || p.inherited || !rec.error.empty()) continue;
    put_->plan.bind(1, page_id).bind(2, ++plan_no).bind(3, plan_json(p)).run();
  }
}

std::vector<StoredPlan> Store::column_plans(const std::string& book_id) {
  std::vector<StoredPlan> out;
  auto st = db_.prepare(
      "SELECT p.page_no, c.plan_no, c.plan FROM column_plans c JOIN pages p ON p.id = c.page_id "
      "WHERE p.book_id = ? ORDER BY p.page_no, c.plan_no");
  st.bind(1, book_id);
  while (st.step()) {
    StoredPlan sp;
    sp.page_no = int(st.int64(0));
    try {
      sp.plan = plan_from_json(st.text(2));
    } catch (const nlohmann::json::exception& e) {
      throw Fatal(db_.path() + ": unreadable column plan " + std::to_string(st.int64(1)) + " of page " + book_id +
                  "/" + std::to_string(sp.page_no) + ": " + e.what());
    }
    out.push_back(std::move(sp));
  }
  return out;
}

std::vector<schema::EntryNumber> Store::entry_numbers(const std::string& book_id) {
  std::vector<schema::EntryNumber> out;
  auto st = db_.prepare(
      "SELECT p.page_no, e.entry_no, coalesce(f.value, '') FROM pages p JOIN entries e ON e.page_id = p.id "
      "LEFT JOIN fields f ON f.entry_id = e.id AND f.key = 'so' WHERE p.book_id = ? "
      "ORDER BY p.page_no, e.entry_no");
  st.bind(1, book_id);
  while (st.step()) out.push_back({int(st.int64(0)), int(st.int64(1)), st.text(2)});
  return out;
}

int Store::update_flag(const std::string& update, const std::string& book_id, int page_no, int entry_no,
                       const std::string& key, const std::string& flag, const std::string& value) {
  auto st = db_.prepare(update +
                        " AND key = ?2 AND entry_id = (SELECT e.id FROM entries e JOIN pages p ON p.id = e.page_id "
                        "WHERE p.book_id = ?3 AND p.page_no = ?4 AND e.entry_no = ?5)");
  st.bind(1, flag).bind(2, key).bind(3, book_id).bind(4, page_no).bind(5, entry_no);
  if (update.find("?6") != std::string::npos) st.bind(6, value);
  st.run();
  return db_.changes();
}

void Store::add_flag(const std::string& book_id, int page_no, int entry_no, const std::string& key,
                     const std::string& flag) {
  update_flag("UPDATE fields SET flag = ?1 WHERE flag IS NULL", book_id, page_no, entry_no, key, flag);
}

bool Store::clear_flag(const std::string& book_id, int page_no, int entry_no, const std::string& key,
                       const std::string& flag) {
  return update_flag("UPDATE fields SET flag = NULL WHERE flag = ?1 AND corrected = 0", book_id, page_no, entry_no,
                     key, flag) > 0;
}

bool Store::fill_field(const std::string& book_id, int page_no, int entry_no, const std::string& key,
                       const std::string& value, const std::string& flag_prefix) {
  return update_flag("UPDATE fields SET value = ?6, flag = NULL WHERE substr(flag, 1, length(?1)) = ?1 AND corrected = 0",
                     book_id, page_no, entry_no, key, flag_prefix, value) > 0;
}

std::vector<BookFieldValue> Store::book_field(const std::string& book_id, const std::string& key) {
  std::vector<BookFieldValue> out;
  auto st = db_.prepare(
      "SELECT p.page_no, e.entry_no, f.key IS NOT NULL, coalesce(f.value, ''), coalesce(f.raw, ''), "
      "coalesce(f.flag, ''), coalesce(f.conf, 0), e.status IN ('verified', 'rejected') OR coalesce(f.corrected, 0) "
      "FROM pages p JOIN entries e ON e.page_id = p.id "
      "LEFT JOIN fields f ON f.entry_id = e.id AND f.key = ?2 WHERE p.book_id = ?1 "
      "ORDER BY p.page_no, e.entry_no");
  st.bind(1, book_id).bind(2, key);
  while (st.step()) {
    BookFieldValue v;
    v.page = int(st.int64(0));
    v.entry = int(st.int64(1));
    v.present = st.int64(2) != 0;
    v.value = st.text(3);
    v.raw = st.text(4);
    v.flag = st.text(5);
    v.conf = float(st.real(6));
    v.human = st.int64(7) != 0;
    out.push_back(std::move(v));
  }
  return out;
}

int Store::set_book_field(const std::string& book_id, const std::string& key, const std::optional<std::string>& value,
                          const std::string& flag) {
  std::optional<std::string> f = flag.empty() ? std::nullopt : std::optional<std::string>(flag);
  // Entries no reviewer touched (put_page keeps the touched ones as they are).
  const char* machine = "SELECT e.id FROM entries e JOIN pages p ON p.id = e.page_id WHERE p.book_id = ?4 AND "
                        "e.status IN ('auto', 'review')";
  db_.prepare(std::string("UPDATE fields SET value = coalesce(?1, value), flag = ?2 WHERE key = ?3 AND "
                          "corrected = 0 AND (value IS NOT coalesce(?1, value) OR flag IS NOT ?2) AND entry_id IN (") +
              machine + ")")
      .bind(1, value)
      .bind(2, f)
      .bind(3, key)
      .bind(4, book_id)
      .run();
  int changed = db_.changes();
  db_.prepare(std::string("INSERT INTO fields (entry_id, key, value, raw, conf, flag, corrected) "
                          "SELECT id, ?3, coalesce(?1, ''), '', 0, ?2, 0 FROM (") +
              machine + ") m WHERE NOT EXISTS (SELECT 1 FROM fields x WHERE x.entry_id = m.id AND x.key = ?3)")
      .bind(1, value)
      .bind(2, f)
      .bind(3, key)
      .bind(4, book_id)
      .run();
  return changed + db_.changes();
}

std::vector<BookFieldResult> decide_book_fields(Store& store, const std::string& book_id,
                                               const schema::Lexicons& lex) {
  std::vector<BookFieldResult> out;
  auto given = store.db().prepare("SELECT quyen_so IS NOT NULL, noi_dang_ky IS NOT NULL FROM books WHERE id = ?");
  given.bind(1, book_id);
  bool from_json[2] = {false, false};
  if (given.step()) from_json[0] = given.int64(0) != 0, from_json[1] = given.int64(1) != 0;
  given.reset();
  const char* keys[2] = {"quyenSo", "noiDangKy"};
  for (int k = 0; k < 2; ++k) {
    if (from_json[k]) continue;  // book.json said it: every entry already carries it
    // One reading per page: the header's text, which all its entries
    // carry, at its best conf.
    std::map<int, std::map<std::string, float>> pages;  // page -> text -> conf
    for (auto& v : store.book_field(book_id, keys[k])) {
      auto [it, fresh] = pages[v.page].try_emplace(schema::book_field_text(keys[k], v.raw), v.conf);
      if (!fresh) it->second = std::max(it->second, v.conf);
    }
    std::vector<schema::BookFieldReading> readings;
    std::map<std::string, float> certainty;
    for (auto& [page, texts] : pages) {
      // Entries of one page that read different texts did not read them
      // from the page header (a ledger column taken for the field): the
      // page has no reading of the book's value, and takes the book's.
      std::erase_if(texts, [](auto& t) { return t.first.empty(); });
      if (texts.size() != 1) continue;
      const std::string* best = &texts.begin()->first;
      auto [c, fresh] = certainty.try_emplace(*best, 0.0f);
      if (fresh) c->second = schema::book_field_certainty(keys[k], *best, lex);
      readings.push_back({page, *best, texts.begin()->second, c->second});
    }
    BookFieldResult r;
    r.key = keys[k];
    r.decision = schema::decide_book_field(readings, schema::book_field_options(keys[k]));
    if (r.decision.outcome == schema::BookFieldOutcome::accept)
      r.changed = store.set_book_field(book_id, keys[k], r.decision.value, "");
    else if (r.decision.outcome == schema::BookFieldOutcome::disagree)
      r.changed = store.set_book_field(book_id, keys[k], std::nullopt, r.decision.flag);
    out.push_back(std::move(r));
  }
  return out;
}

std::unordered_set<std::string> Store::done_pages() {
  std::unordered_set<std::string> out;
  auto st = db_.prepare("SELECT sha256, frame FROM pages WHERE status = 'done'");
  while (st.step()) out.insert(st.text(0) + ":" + std::to_string(st.int64(1)));
  return out;
}

void Store::put_lexicon(const std::string& kind, const std::string& source, const std::string& content) {
  db_.prepare(
         "INSERT OR REPLACE INTO lexicons (kind, source, sha256, imported_at, content) VALUES (?,?,?,?,?)")
      .bind(1, kind)
      .bind(2, source)
      .bind(3, sha256_hex(content))
      .bind(4, now_iso8601())
      .bind(5, content)
      .run();
}

std::vector<std::string> Store::lexicons(const std::string& kind) {
  std::vector<std::string> out;
  auto st = db_.prepare("SELECT content FROM lexicons WHERE kind = ? ORDER BY source");
  st.bind(1, kind);
  while (st.step()) out.push_back(st.text(0));
  return out;
}

}  // namespace hotich::pipeline
