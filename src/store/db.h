// A thin RAII wrapper over the SQLite C API: one connection, prepared statements with
// positional binding only (no SQL is ever built from values), and a scoped transaction.
#pragma once
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hrtrack::store {

class Stmt;

class Db {
 public:
  explicit Db(const std::string& path, bool read_only = false);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(std::string_view sql);  // for schema and pragmas; no values
  Stmt prepare(std::string_view sql);
  std::int64_t last_insert_rowid() const;
  int changes() const;
  sqlite3* handle() { return db_; }
  // Throws StoreBusy when the last error was SQLITE_BUSY/LOCKED, StoreError otherwise.
  [[noreturn]] void fail(std::string_view what) const;
  // How long a statement waits for another connection's write lock before StoreBusy.
  void set_busy_timeout(int ms);
  int busy_timeout_ms() const { return busy_timeout_ms_; }

 private:
  sqlite3* db_ = nullptr;
  int busy_timeout_ms_ = 10000;
};

class Stmt {
 public:
  Stmt(Db& db, sqlite3_stmt* s) : db_(&db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  // Binds without copying: `v` must stay alive and unchanged until the statement is reset.
  Stmt& bind_static(int i, std::string_view v);
  Stmt& bind_null(int i);
  Stmt& bind_opt(int i, const std::optional<std::string>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  bool step();  // true while a row is available
  void run();   // step once, expecting no row; then reset
  void reset();

  std::string text(int col) const;
  std::string_view text_view(int col) const;  // valid until the next step
  std::int64_t int64(int col) const;
  bool is_null(int col) const;

 private:
  Db* db_;
  sqlite3_stmt* s_;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Db& db);
  ~Transaction();
  void commit();

 private:
  Db& db_;
  bool done_ = false;
};

}  // namespace hrtrack::store
