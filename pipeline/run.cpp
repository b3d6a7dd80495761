#include "pipeline/run.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include "ocr/cleanup.hpp"
#include "ocr/engine.hpp"
#include "ocr/layout.hpp"
#include "ocr/read.hpp"
#include "pipeline/discover.hpp"
#include "pipeline/errors.hpp"
#include "pipeline/hash.hpp"
#include "pipeline/lock.hpp"
#include "pipeline/shard.hpp"
#include "pipeline/shared_rows.hpp"
#include "pipeline/store.hpp"
#include "schema/forms.hpp"
#include "schema/lexicon.hpp"
#include "schema/parse.hpp"
#include "schema/validate.hpp"

namespace hotich::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

// Everything the workers share, read-only once the run starts.
struct RunContext {
  const RunOptions* opts = nullptr;
  schema::FormSet forms = schema::FormSet::builtin();
  schema::Lexicons lexicons;
  schema::ValidateOptions validate;
  tbb::enumerable_thread_specific<std::unique_ptr<ocr::OcrEngine>>* engines = nullptr;
};

// One page travelling through the stages. error set = the page failed; the
// later stages pass it through untouched to the store stage.
struct PageWork {
  PageRef ref;
  const BookSpec* book = nullptr;
  bool skip = false;  // already stored as done (same bytes)
  std::string bytes, sha256;
  cv::Mat image, clean;
  ocr::Page page;
  RowShare share;  // the table's top rows read once for the book (shared_rows.hpp)
  schema::ParsedPage parsed;
  std::vector<std::string> notes;  // the parser's: unmapped columns, dropped rows ... (logged)
  schema::BookContext context;  // book.json merged with this page's header
  std::string error;
  std::vector<std::pair<std::string, double>> seconds;  // stage -> seconds
};

// ---- the stages -----------------------------------------------------------

void load_page(PageWork& w) {
  std::ifstream in(w.ref.path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read file");
  std::ostringstream ss;
  ss << in.rdbuf();
  w.bytes = std::move(ss).str();
  if (w.bytes.empty()) throw std::runtime_error("empty file");
  w.sha256 = sha256_hex(w.bytes);
}

// OpenCV decodes a truncated JPEG or PNG without complaint (the missing part
// comes out grey), which would turn a broken file into wrong entries. An
// intact file ends with its end marker.
std::string truncation(std::string_view bytes) {
  auto tail = bytes.substr(bytes.size() > 4096 ? bytes.size() - 4096 : 0);
  if (bytes.starts_with("\xFF\xD8") && tail.find("\xFF\xD9") == std::string_view::npos)
    return "truncated JPEG (no end-of-image marker)";
  if (bytes.starts_with("\x89PNG") && tail.find("IEND") == std::string_view::npos)
    return "truncated PNG (no IEND chunk)";
  return "";
}

void decode_page(PageWork& w) {
  if (auto why = truncation(w.bytes); !why.empty()) throw std::runtime_error(why);
  if (w.ref.frame == 0) {
    cv::Mat buf(1, int(w.bytes.size()), CV_8U, w.bytes.data());
    w.image = cv::imdecode(buf, cv::IMREAD_COLOR);
  } else {
    std::vector<cv::Mat> frames;
    if (cv::imreadmulti(w.ref.path, frames, w.ref.frame, 1, cv::IMREAD_COLOR) && !frames.empty())
      w.image = frames[0];
  }
  std::string().swap(w.bytes);  // the encoded bytes are not needed past here
  if (w.image.empty()) throw std::runtime_error("cannot decode image");
  if (w.image.cols < 200 || w.image.rows < 200)
    throw std::runtime_error(fmt::format("image too small ({}x{})", w.image.cols, w.image.rows));
}

void clean_page(PageWork& w) {
  w.clean = ocr::clean_page(w.image, ocr::CleanOptions{}, nullptr);
  w.image.release();
}

void find_layout(PageWork& w) { w.page = ocr::find_layout(w.clean, ocr::LayoutOptions{}); }

// The page whose rows a print was cut from reads them first: the later
// pages of its book take them after their own lines, by then read.
void read_cells(PageWork& w, ocr::OcrEngine& engine) {
  mark_shared(w.share, w.page);
  if (w.share.first) take_shared(w.share, w.page, engine);
  ocr::read_text(w.clean, w.page, engine, ocr::ReadOptions{});
  if (!w.share.first) take_shared(w.share, w.page, engine);
  w.share = {};
  w.clean.release();
}

int year_of_quyen_so(const std::string& quyen_so) {
  static const std::regex re(R"(^\s*\d{1,3}\s*/\s*((?:18|19|20)\d\d)\s*$)");
  std::smatch m;
  return std::regex_match(quyen_so, m, re) ? std::stoi(m[1]) : 0;
}

void parse_entries(PageWork& w, const RunContext& ctx) {
  w.context = w.book->context;
  w.parsed = schema::parse_page(w.page, ctx.forms, w.context, &w.notes);
  // book.json wins; the page header fills what it leaves out.
  const auto& h = w.parsed.header;
  if (w.context.type == schema::BookType::unknown) w.context.type = h.book_type;
  if (w.context.quyenSo.empty()) w.context.quyenSo = h.quyenSo;
  if (w.context.noiDangKy.empty()) w.context.noiDangKy = h.noiDangKy;
  // A book is numbered "NN/YYYY" by its year: without book.json's "nam",
  // the year of the Quyển số lets validation check dates and entry numbers.
  if (w.context.year == 0) w.context.year = year_of_quyen_so(w.context.quyenSo);
}

void validate_entries(PageWork& w, const RunContext& ctx) {
  if (w.context.type == schema::BookType::unknown) return;  // resolved from earlier pages at store time
  schema::validate_page(w.parsed, ctx.forms.specs(w.context.type), ctx.lexicons, w.context, ctx.validate);
}

// Runs one stage on w, timing it and turning any exception into the page's
// error: nothing escapes a TBB filter.
template <class F>
void stage(PageWork& w, const char* name, F&& f) {
  if (w.skip || !w.error.empty()) return;
  auto t0 = Clock::now();
  try {
    f();
  } catch (const cv::Exception& e) {
    w.error = fmt::format("{}: {}", name, e.err);
  } catch (const std::exception& e) {
    w.error = fmt::format("{}: {}", name, e.what());
  } catch (...) {
    w.error = fmt::format("{}: unknown error", name);
  }
  w.seconds.emplace_back(name, std::chrono::duration<double>(Clock::now() - t0).count());
}

// ---- the store stage: serial, in page order ---------------------------------

class StoreStage {
 public:
  // ctx: forms, lexicons and options, for reading a page again with a
  // column plan of an earlier page and for deciding book-level fields.
  StoreStage(Store& store, const RunContext& ctx, int64_t run_id, RunSummary& summary, long total_pages,
             bool progress, std::shared_ptr<spdlog::logger> log)
      : store_(store), ctx_(ctx), run_id_(run_id), sum_(summary), total_(total_pages), progress_(progress),
        log_(std::move(log)) {}
  bool log_values = false;

  void operator()(PageWork& w) {
    ++sum_.pages_seen;
    if (w.skip) {
      ++sum_.pages_skipped;
      if (--pages_left_[w.ref.book_id] == 0 && touched_.count(w.ref.book_id))
        check_book(w.ref.book_id, books_[w.ref.book_id]);
      tick();
      return;
    }
    touched_.insert(w.ref.book_id);
    ++sum_.pages_new;
    auto& known = books_[w.ref.book_id];  // what earlier pages of this book said
    if (w.error.empty()) {
      merge(known, w.context);
      if (w.context.type == schema::BookType::unknown)
        w.error = "parse: cannot tell the register type (no book.json loaiSo, no title on the page)";
      else
        use_book_plan(w);
    }
    PageRecord rec;
    rec.book_id = w.ref.book_id;
    rec.page_no = w.ref.page_no;
    rec.path = w.ref.path;
    rec.frame = w.ref.frame;
    rec.sha256 = w.sha256;
    rec.error = w.error;
    nlohmann::json t = nlohmann::json::object();
    for (auto& [name, s] : w.seconds) {
      t[name] = std::round(s * 1e4) / 10;  // milliseconds, 0.1 ms
      sum_.stage_seconds[name] += s;
    }
    rec.timings_json = t.dump();
    if (w.error.empty()) {
      rec.layout = w.parsed.layout;
      rec.width = w.page.width;
      rec.height = w.page.height;
      rec.loai_so = schema::to_string(w.context.type);
      rec.entries = std::move(w.parsed.entries);
      rec.plans = std::move(w.parsed.plans);
      add_book_fields(rec.entries, w.context, w.parsed.header);
      for (auto& e : rec.entries) {
        ++sum_.entries_by_status[e.needs_review ? "review" : "auto"];
        for (auto& f : e.fields) {
          ++sum_.fields;
          if (f.flagged()) ++sum_.flags_by_reason[f.flag.substr(0, f.flag.find(':'))];
        }
      }
    } else {
      ++sum_.pages_failed;
      sum_.failures.emplace_back(fmt::format("{}/{} ({})", w.ref.book_id, w.ref.page_no, w.ref.path), w.error);
      log_->warn("page {}/{} failed: {}", w.ref.book_id, w.ref.page_no, w.error);
    }
    log_->debug("page {}/{} {}: {} entries, {}", w.ref.book_id, w.ref.page_no, w.ref.path, rec.entries.size(),
                rec.timings_json);
    // What the parser left out or could not place (dropped rows, unmapped
    // columns, unread form lines): never silent. A note may quote a line
    // of the page, so its text is logged only with --log-values.
    if (!w.notes.empty())
      sum_.page_notes.emplace_back(fmt::format("{}/{}", w.ref.book_id, w.ref.page_no), long(w.notes.size()));
    if (!w.notes.empty() && !log_values)
      log_->info("page {}/{}: {} parse notes (dropped rows, unmapped columns ...; text with --log-values)",
                 w.ref.book_id, w.ref.page_no, w.notes.size());
    if (log_values)
      for (auto& note : w.notes) log_->info("page {}/{}: {}", w.ref.book_id, w.ref.page_no, note);
    if (log_values)
      for (auto& e : rec.entries)
        for (auto& f : e.fields)
          log_->trace("page {}/{} entry {} {} = \"{}\" (raw \"{}\", conf {:.2f}{}{})", w.ref.book_id, w.ref.page_no,
                      e.index, f.key, f.value, f.raw, f.conf, f.flagged() ? ", " : "", f.flag);
    rec.size = long(w.sha256.empty() ? 0 : file_size(w.ref.path));
    store_.put_page(rec, run_id_);
    remember_plans(w, rec);
    if (--pages_left_[w.ref.book_id] == 0) check_book(w.ref.book_id, known);
    if (++in_batch_ >= kBatchPages || Clock::now() - batch_start_ > std::chrono::seconds(2)) flush();
    flagged_ += count_flags(rec);
    tick();
  }

  // Counts each book's pages, so the store stage knows when a book is complete.
  void expect_page(const std::string& book_id) { ++pages_left_[book_id]; }

  void flush() {
    store_.commit_batch();
    in_batch_ = 0;
    batch_start_ = Clock::now();
  }

  void finish_progress() {
    if (progress_ && shown_) std::cerr << "\n";
  }

 private:
  static constexpr int kBatchPages = 16;
  static constexpr size_t kPlansPerBook = 4;  // a book changes its ruling rarely; the newest few suffice

  static void merge(schema::BookContext& known, schema::BookContext& page) {
    // Values seen on an earlier page of the book fill what this page lacks;
    // what this page says fills what the book did not know yet.
    auto fill = [](auto& a, auto& b, auto empty) {
      if (a == empty) a = b;
      else if (b == empty) b = a;
    };
    fill(known.type, page.type, schema::BookType::unknown);
    fill(known.quyenSo, page.quyenSo, std::string());
    fill(known.noiDangKy, page.noiDangKy, std::string());
    fill(known.year, page.year, 0);
  }

  // The pages of a book are ruled alike. A ledger page with columns its
  // headers left unread (OCR damage) is read again with the column plans
  // of the book's earlier pages, newest first; when one fits
  // (schema::parse_ledger decides), the page is validated again and
  // replaces the first reading. The earlier pages' plans are those stored
  // with them, whatever run stored them (see book_plans), so a run that
  // resumes an interrupted one reads the page as an uninterrupted run
  // would, and the result does not depend on timing.
  void use_book_plan(PageWork& w) {
    auto plans = earlier_plans(book_plans(w), w.ref.page_no);
    auto incomplete = [](const schema::ColumnPlan& p) { return !p.complete; };
    if (!plans.empty() && std::any_of(w.parsed.plans.begin(), w.parsed.plans.end(), incomplete)) {
      auto t0 = Clock::now();
      schema::BookContext book = w.book->context;
      book.type = w.context.type;
      std::vector<std::string> notes;
      schema::ParsedPage again = schema::parse_page(w.page, ctx_.forms, book, &notes, plans);
      if (std::any_of(again.plans.begin(), again.plans.end(), [](auto& p) { return p.inherited; })) {
        schema::validate_page(again, ctx_.forms.specs(w.context.type), ctx_.lexicons, w.context, ctx_.validate);
        w.parsed = std::move(again);
        w.notes = std::move(notes);
        log_->debug("page {}/{}: columns read by the plan of an earlier page of the book", w.ref.book_id,
                    w.ref.page_no);
      }
      w.seconds.emplace_back("book_plan", std::chrono::duration<double>(Clock::now() - t0).count());
    }
  }

  // Complete plans of a book's pages (page -> plans read from the page's
  // own headers, top to bottom), as the store has them. Filled from the
  // store when a page of the book is first stored by this run, so pages an
  // earlier run stored count (those of the book's current pages only: a
  // page no longer in the folder is not one of its pages), then kept in
  // step with put_page by remember_plans.
  std::map<int, std::vector<schema::ColumnPlan>>& book_plans(const PageWork& w) {
    auto [it, fresh] = plans_.try_emplace(w.ref.book_id);
    if (fresh && w.book) {
      std::set<int> pages;
      for (auto& p : w.book->pages) pages.insert(p.page_no);
      for (auto& sp : store_.column_plans(w.ref.book_id))
        if (pages.count(sp.page_no)) it->second[sp.page_no].push_back(std::move(sp.plan));
    }
    return it->second;
  }

  // The plans a page may inherit: those of the book's pages before it,
  // newest first (the last page's, bottom table first), at most kPlansPerBook.
  static std::vector<schema::ColumnPlan> earlier_plans(const std::map<int, std::vector<schema::ColumnPlan>>& book,
                                                       int page_no) {
    std::vector<schema::ColumnPlan> out;
    for (auto it = std::make_reverse_iterator(book.lower_bound(page_no)); it != book.rend(); ++it)
      for (auto p = it->second.rbegin(); p != it->second.rend(); ++p) {
        if (out.size() == kPlansPerBook) return out;
        out.push_back(*p);
      }
    return out;
  }

  // What put_page stored of the page's plans (none for a failed page: its
  // earlier reading's plans are gone with it). The plans of pages before
  // the newest kPlansPerBook are dropped: pages come in book order, so no
  // later page can inherit them.
  void remember_plans(const PageWork& w, const PageRecord& rec) {
    auto& book = book_plans(w);
    auto& mine = book[w.ref.page_no];
    mine.clear();
    for (auto& p : rec.plans)
      if (p.complete && !p.inherited) mine.push_back(p);
    size_t kept = 0;
    for (auto it = std::make_reverse_iterator(book.upper_bound(w.ref.page_no)); it != book.rend();) {
      if (kept >= kPlansPerBook || it->second.empty()) {
        it = std::make_reverse_iterator(book.erase(std::next(it).base()));
      } else {
        kept += it->second.size();
        ++it;
      }
    }
  }

  // Each page's validation filled an entry number that read as no number
  // from its neighbours on the page (schema::filled_by_neighbours); at a
  // page break one neighbour is on the next or previous page.
  static std::vector<schema::SequenceValue> sequence(const std::vector<BookFieldValue>& stored) {
    std::vector<schema::SequenceValue> run;
    for (auto& v : stored) run.push_back({v.value, v.present ? v.flag : "missing", v.raw});
    return run;
  }

  void fill_numbers_across_pages(const std::string& book_id) {
    const auto stored = store_.book_field(book_id, "so");
    for (auto& [i, number] : schema::filled_by_neighbours(sequence(stored)))
      if (store_.fill_field(book_id, stored[i].page, stored[i].entry, "so", number, schema::flag::invalid))
        --sum_.flags_by_reason[schema::flag::invalid];
  }

  // quyenSo and noiDangKy are repeated on every entry (export contract).
  static void add_book_fields(std::vector<schema::Entry>& entries, const schema::BookContext& ctx,
                              const schema::PageHeader&) {
    for (auto& e : entries)
      for (auto [key, value] : {std::pair{"quyenSo", &ctx.quyenSo}, std::pair{"noiDangKy", &ctx.noiDangKy}}) {
        if (value->empty() || e.find(key)) continue;
        schema::Field f;
        f.key = key;
        f.value = *value;
        f.raw = *value;
        f.conf = 1;
        e.fields.push_back(std::move(f));
      }
  }

  // Once all of a book's pages are stored (this run's and earlier runs'):
  // entry numbers must increase along the book; gaps and duplicates are
  // flagged on "so".
  void check_book(const std::string& book_id, const schema::BookContext& book) {
    fill_numbers_across_pages(book_id);
    for (auto& f : schema::check_entry_numbers(store_.entry_numbers(book_id), book)) {
      store_.add_flag(book_id, f.page, f.entry, f.key, f.flag);
      ++sum_.flags_by_reason[f.flag.substr(0, f.flag.find(':'))];
    }
    // Each page's validation let an entry's neighbours on the page vouch
    // for its number and date; the first and last entries of a page have
    // their other neighbour on the next or previous page.
    for (const char* key : {"so", "ngayDangKy"}) {
      const auto stored = store_.book_field(book_id, key);
      for (size_t i : schema::vouched_by_neighbours(key, sequence(stored), ctx_.validate.neighbour_days))
        if (store_.clear_flag(book_id, stored[i].page, stored[i].entry, key, schema::flag::low_confidence))
          --sum_.flags_by_reason[schema::flag::low_confidence];
    }
    // The pages of a book print one header: quyenSo and noiDangKy are what
    // the pages agree on (pipeline/store.hpp, decide_book_fields).
    for (auto& r : decide_book_fields(store_, book_id, ctx_.lexicons))
      if (r.decision.outcome != schema::BookFieldOutcome::keep || r.decision.readings > 0)
        log_->info("book {}: {} {}: {} ({} fields changed){}", book_id, r.key,
                   r.decision.outcome == schema::BookFieldOutcome::accept ? "'" + r.decision.value + "'"
                   : r.decision.outcome == schema::BookFieldOutcome::disagree ? "flagged" : "kept per page",
                   r.decision.note, r.changed, r.decision.flag.empty() ? "" : ": " + r.decision.flag);
  }

  static long count_flags(const PageRecord& rec) {
    long n = 0;
    for (auto& e : rec.entries)
      for (auto& f : e.fields) n += f.flagged();
    return n;
  }

  static uintmax_t file_size(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    return in ? uintmax_t(in.tellg()) : 0;
  }

  void tick() {
    if (!progress_) return;
    auto now = Clock::now();
    if (now - last_shown_ < std::chrono::milliseconds(250) && sum_.pages_seen < total_) return;
    last_shown_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? double(sum_.pages_new) / secs : 0;
    long left = total_ - sum_.pages_seen;
    std::string eta = rate > 0 ? fmt::format("{:.0f}s", double(left) / rate) : "-";
    std::cerr << fmt::format("\r{}/{} pages, {:.2f} pages/s, ETA {}, {} failed, {} fields flagged   ",
                             sum_.pages_seen, total_, rate, eta, sum_.pages_failed, flagged_);
    shown_ = true;
  }

  Store& store_;
  const RunContext& ctx_;
  int64_t run_id_;
  RunSummary& sum_;
  long total_;
  bool progress_;
  std::shared_ptr<spdlog::logger> log_;
  bool shown_ = false;
  long flagged_ = 0;
  int in_batch_ = 0;
  std::map<std::string, schema::BookContext> books_;
  std::map<std::string, int> pages_left_;
  std::set<std::string> touched_;  // books with a page stored by this run
  std::map<std::string, std::map<int, std::vector<schema::ColumnPlan>>> plans_;  // book_plans
  Clock::time_point start_ = Clock::now(), batch_start_ = Clock::now(), last_shown_{};
};

schema::Lexicons load_lexicons(Store& store) {
  schema::Lexicons lex;
  for (auto& csv : store.lexicons("gazetteer")) {
    std::istringstream in(csv);
    lex.load_gazetteer_csv(in);
  }
  for (auto& csv : store.lexicons("ethnic")) {
    std::istringstream in(csv);
    lex.load_ethnic_csv(in);
  }
  for (auto& txt : store.lexicons("given_names")) {
    std::istringstream in(txt);
    lex.load_given_names(in);
  }
  return lex;
}

}  // namespace

std::string RunSummary::to_json() const {
  nlohmann::ordered_json j;
  j["run_id"] = run_id;
  j["started_at"] = started_at;
  j["finished_at"] = finished_at;
  j["exit_code"] = exit_code;
  j["books"] = books;
  j["pages"] = {{"seen", pages_seen}, {"new", pages_new}, {"skipped", pages_skipped}, {"failed", pages_failed}};
  j["failures"] = nlohmann::ordered_json::array();
  for (auto& [page, reason] : failures) j["failures"].push_back({{"page", page}, {"reason", reason}});
  j["entries_by_status"] = entries_by_status;
  j["fields"] = fields;
  j["flags_by_reason"] = flags_by_reason;
  long notes = 0;
  nlohmann::ordered_json by_page = nlohmann::ordered_json::array();
  for (auto& [page, n] : page_notes) {
    notes += n;
    by_page.push_back({{"page", page}, {"notes", n}});
  }
  j["parse_notes"] = {{"pages", page_notes.size()}, {"notes", notes}, {"by_page", by_page}};
  nlohmann::ordered_json stages = nlohmann::ordered_json::object();
  for (auto& [name, s] : stage_seconds)
    stages[name] = {{"seconds", s}, {"ms_per_page", pages_new ? 1000 * s / double(pages_new) : 0.0}};
  j["stages"] = stages;
  j["wall_seconds"] = wall_seconds;
  j["pages_per_second"] = wall_seconds > 0 ? double(pages_new) / wall_seconds : 0.0;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Inbox mode: moves each book folder whose pages are all stored as done to
// done_dir, after the store has committed them, and points the stored page
// paths at the new place. A book with a failed page stays in the inbox, to
// be retried by the next run.
std::vector<std::string> move_done_books(Store& store, const std::vector<BookSpec>& books,
                                         const std::string& done_dir, spdlog::logger& log) {
  namespace fs = std::filesystem;
  std::vector<std::string> moved;
  fs::create_directories(done_dir);
  for (auto& b : books) {
    if (!b.error.empty() || b.pages.empty()) continue;
    auto st = store.db().prepare("SELECT count(*) FROM pages WHERE book_id = ? AND status = 'done'");
    st.bind(1, b.id).step();
    if (st.int64(0) != long(b.pages.size())) continue;
    fs::path to = fs::path(done_dir) / b.id;
    for (int n = 2; fs::exists(to); ++n) to = fs::path(done_dir) / (b.id + "." + std::to_string(n));
    std::error_code ec;
    fs::rename(b.dir, to, ec);
    if (ec) {
      log.warn("book {}: cannot move {} to {}: {}", b.id, b.dir, to.string(), ec.message());
      continue;
    }
    store.db()
        .prepare("UPDATE pages SET path = ?1 || substr(path, length(?2) + 1) WHERE book_id = ?3 AND "
                 "substr(path, 1, length(?2)) = ?2")
        .bind(1, to.string())
        .bind(2, b.dir)
        .bind(3, b.id)
        .run();
    store.db().prepare("UPDATE books SET path = ? WHERE id = ?").bind(1, to.string()).bind(2, b.id).run();
    log.info("book {} moved to {}", b.id, to.string());
    moved.push_back(b.id);
  }
  return moved;
}

std::shared_ptr<spdlog::logger> open_log(const RunOptions& opts, int64_t run_id, std::string* path) {
  namespace fs = std::filesystem;
  fs::path dir = opts.log_dir.empty() ? fs::path(opts.db + ".logs") : fs::path(opts.log_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  *path = (dir / ("run-" + std::to_string(run_id) + ".log")).string();
  std::shared_ptr<spdlog::logger> log;
  try {
    log = std::make_shared<spdlog::logger>("run", std::make_shared<spdlog::sinks::basic_file_sink_mt>(*path));
  } catch (const spdlog::spdlog_ex& e) {
    throw Fatal("cannot write the log " + *path + ": " + e.what());
  }
  log->set_level(spdlog::level::from_str(opts.log_level));
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  log->flush_on(spdlog::level::info);
  return log;
}

}  // namespace

RunSummary run_batch(const RunOptions& opts) {
  auto t0 = Clock::now();
  int jobs = opts.jobs > 0 ? opts.jobs : int(std::max(1u, std::thread::hardware_concurrency()));
  Shard shard;
  if (!parse_shard(opts.shard, &shard)) throw Fatal("--shard must be K/N with 0 <= K < N", kExitUsage);

  // Setup, in the order that fails fastest and clearest.
  RunLock lock(opts.db);
  auto books = discover_books(opts.input);
  std::erase_if(books, [&](const BookSpec& b) { return !shard.contains(b.id); });
  RunContext ctx;
  ctx.opts = &opts;
  Store store(opts.db);
  ctx.lexicons = load_lexicons(store);
  ocr::TesseractOptions tess;
  tess.language = opts.lang;
  tess.datapath = opts.tessdata;
  auto make_engine = [&] { return std::make_unique<ocr::TesseractEngine>(tess); };
  tbb::enumerable_thread_specific<std::unique_ptr<ocr::OcrEngine>> engines;
  try {
    engines.local() = make_engine();  // a missing model ends the run here, before any page
  } catch (const ocr::EngineError& e) {
    throw Fatal(e.what());
  }
  ctx.engines = &engines;

  RunSummary sum;
  sum.started_at = now_iso8601();
  sum.books = long(books.size());
  sum.run_id = store.begin_run(opts.command_line);
  auto log = open_log(opts, sum.run_id, &sum.log_file);
  log->info("run {} started: {} ({} books, shard {}/{}, {} jobs)", sum.run_id, opts.command_line, books.size(),
            shard.index, shard.count, jobs);
  for (auto& b : books) {
    store.put_book(BookRecord{b.id, b.dir, b.context, b.error});
    if (!b.error.empty()) log->warn("book {} failed: {}", b.id, b.error);
  }

  std::vector<const PageRef*> pages;
  std::vector<const BookSpec*> page_books;
  for (auto& b : books)
    for (auto& p : b.pages) {
      pages.push_back(&p);
      page_books.push_back(&b);
    }
  auto done = store.done_pages();
  bool reprocess_all = std::find(opts.reprocess.begin(), opts.reprocess.end(), "all") != opts.reprocess.end();
  auto reprocessed = [&](const std::string& book) {
    return reprocess_all || std::find(opts.reprocess.begin(), opts.reprocess.end(), book) != opts.reprocess.end();
  };
  bool tty = opts.progress && isatty(STDERR_FILENO);
  StoreStage store_stage(store, ctx, sum.run_id, sum, long(pages.size()), tty, log);
  store_stage.log_values = opts.log_values;
  for (auto* p : pages) store_stage.expect_page(p->book_id);

  size_t next = 0;
  RowSharing sharing;
  tbb::task_arena arena(jobs);
  arena.execute([&] {
    tbb::parallel_pipeline(
        size_t(2 * jobs),
        tbb::make_filter<void, PageWork*>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& fc) -> PageWork* {
                                            if (next == pages.size()) {
                                              fc.stop();
                                              return nullptr;
                                            }
                                            auto w = new PageWork;
                                            w->ref = *pages[next];
                                            w->book = page_books[next];
                                            ++next;
                                            if (!w->book->error.empty()) w->error = w->book->error;
                                            return w;
                                          }) &
            tbb::make_filter<PageWork*, PageWork*>(
                tbb::filter_mode::parallel,
                [&](PageWork* w) {
                  stage(*w, "load", [&] { load_page(*w); });
                  if (w->error.empty() && !reprocessed(w->ref.book_id) &&
                      done.count(w->sha256 + ":" + std::to_string(w->ref.frame)))
                    w->skip = true;
                  stage(*w, "decode", [&] { decode_page(*w); });
                  stage(*w, "clean", [&] { clean_page(*w); });
                  stage(*w, "layout", [&] { find_layout(*w); });
                  return w;
                }) &
            // In page order: which earlier page's reading of its top rows
            // this page takes must not depend on thread timing.
            tbb::make_filter<PageWork*, PageWork*>(tbb::filter_mode::serial_in_order,
                                                   [&](PageWork* w) {
                                                     stage(*w, "share", [&] {
                                                       w->share = sharing.assign(w->ref.book_id, w->clean, w->page);
                                                     });
                                                     return w;
                                                   }) &
            tbb::make_filter<PageWork*, PageWork*>(
                tbb::filter_mode::parallel,
                [&](PageWork* w) {
                  stage(*w, "ocr", [&] {
                    auto& engine = engines.local();
                    if (!engine) engine = make_engine();
                    read_cells(*w, *engine);
                  });
                  stage(*w, "parse", [&] { parse_entries(*w, ctx); });
                  stage(*w, "validate", [&] { validate_entries(*w, ctx); });
                  return w;
                }) &
            tbb::make_filter<PageWork*, void>(tbb::filter_mode::serial_in_order, [&](PageWork* w) {
              std::unique_ptr<PageWork> owned(w);
              store_stage(*w);
            }));
  });
  store_stage.flush();
  store_stage.finish_progress();
  if (!opts.done_dir.empty()) sum.moved_books = move_done_books(store, books, opts.done_dir, *log);

  sum.finished_at = now_iso8601();
  sum.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  long failed_books = 0;
  for (auto& b : books) failed_books += !b.error.empty();
  sum.exit_code = (sum.pages_failed || failed_books) ? kExitPartial : kExitSuccess;
  for (auto& b : books)
    if (!b.error.empty() && b.pages.empty()) sum.failures.emplace_back("book " + b.id, b.error);
  store.finish_run(sum.run_id, sum.exit_code == kExitSuccess ? "success" : "partial", sum.to_json());
  log->info("run {} finished: {} pages seen, {} new, {} skipped, {} failed, {:.1f}s", sum.run_id, sum.pages_seen,
            sum.pages_new, sum.pages_skipped, sum.pages_failed, sum.wall_seconds);
  return sum;
}

}  // namespace hotich::pipeline
