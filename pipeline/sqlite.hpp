// A thin RAII layer over the SQLite C API: a connection and prepared
// statements. Errors throw Fatal (a broken DB ends the run). Not
// thread-safe: one Db per thread; in `run`, only the store stage has one.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotich::pipeline {

class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }

  // Binds are 1-based, as in SQLite. A std::nullopt binds NULL.
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, int64_t(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i);
  // Binds without copying: v must stay alive and unchanged until the
  // statement is stepped and reset (the bulk-loading hot path).
  Stmt& bind_static(int i, std::string_view v);
  Stmt& bind(int i, const std::optional<std::string>& v) { return v ? bind(i, *v) : bind_null(i); }

  bool step();   // true while a row is available
  void run();    // step to completion, then reset
  void reset();  // reset and clear bindings

  int64_t int64(int col) const;
  double real(int col) const;
  std::string text(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

class Db {
 public:
  // Opens or creates path. readonly opens without creating. Sets WAL,
  // foreign keys, a busy timeout. Throws Fatal with the path in the message.
  explicit Db(const std::string& path, bool readonly = false);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);
  Stmt prepare(std::string_view sql) { return Stmt(db_, sql); }
  int64_t last_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() { return db_; }
  const std::string& path() const { return path_; }

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

}  // namespace hotich::pipeline
