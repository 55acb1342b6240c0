// SQLite implementation of Store: WAL mode, foreign keys on, versioned migrations compiled into
// the binary (src/store/migrations/NNN_name.sql) applied in order on open, every write inside a
// transaction, every change appended to change_log. The class is in sqlite_store.h; its other
// parts in sqlite_records.cpp, sqlite_imports.cpp, sqlite_vocab.cpp and sqlite_log.cpp.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include <signal.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>

#include "core/countries.h"
#include "core/error.h"
#include "core/filters.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/db.h"
#include "store/sqlite_parts.h"
#include "store/sqlite_store.h"
#include "store/store.h"

namespace hrtrack::embedded::migrations {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack {

using nlohmann::json;

std::string now_iso() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

void RecordFilter::add(const std::string& expression) {
  auto eq = expression.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InvalidArgument("filter '" + expression + "' is not of the form field=value");
  add(ascii_lower(trim(expression.substr(0, eq))), std::string(trim(expression.substr(eq + 1))));
}

void RecordFilter::add(const std::string& name, const std::string& raw) {
  const FilterField* f = find_filter_field(name);
  if (!f) throw InvalidArgument(unknown_filter_message(name));
  if (auto why = filter_scope_message(*f, FilterScope::Cli); !why.empty())
    throw InvalidArgument(why);
  std::string value(trim(raw));
  if (value.empty()) throw InvalidArgument("filter '" + f->name + "' has an empty value");
  if (f->numeric) parse_filter_range(f->name, value);  // checked now, not at the first query
  conditions.emplace_back(f->name, value);
}

}  // namespace hrtrack

namespace hrtrack::store {

namespace {

// hr_state_iso3(name): the ISO3 code of a State's name as sources spell it (core/countries.h),
// or the name itself when it names no State; filters and counts of recommending States use it.
void sql_state_iso3(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto* text = sqlite3_value_text(argv[0]);
  if (!text) {
    sqlite3_result_null(ctx);
    return;
  }
  std::string name(reinterpret_cast<const char*>(text),
                   static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
  std::string out = name;
  if (auto c = find_country(name)) out = c->iso3;
  sqlite3_result_text(ctx, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : db_(path) {
  if (sqlite3_create_function(db_.handle(), "hr_state_iso3", 1,
                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                              sql_state_iso3, nullptr, nullptr) != SQLITE_OK)
    throw StoreError("cannot register hr_state_iso3: " + std::string(sqlite3_errmsg(db_.handle())));
  db_.exec("PRAGMA journal_mode=WAL");
  db_.exec("PRAGMA foreign_keys=ON");
  db_.exec("PRAGMA synchronous=NORMAL");
  db_.exec("PRAGMA cache_size=-65536");
  db_.exec("PRAGMA temp_store=MEMORY");
  migrate();
}

AccessStore& SqliteStore::access() {
  if (!access_)
    access_ = store::make_sqlite_access(db_, [this](const ChangeEntry& e) { log_change(e); });
  return *access_;
}

FollowupStore& SqliteStore::followup() {
  if (!followup_)
    followup_ = store::make_sqlite_followup(db_, [this](const ChangeEntry& e) { log_change(e); });
  return *followup_;
}

void SqliteStore::migrate() {
  db_.exec(
      "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
      "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  int current = schema_version();
  for (const auto& [name, sql] : embedded::migrations::files()) {
    auto v = parse_int(name.substr(0, 3));
    if (!v) throw StoreError("migration file name must start with 3 digits: " + name);
    if (*v <= current) continue;
    store::Transaction t(db_);
    db_.exec(sql);
    db_.prepare("INSERT INTO schema_migration(version, name, applied_at) VALUES (?, ?, ?)")
        .bind(1, *v)
        .bind(2, name)
        .bind(3, now_iso())
        .run();
    t.commit();
  }
}

int SqliteStore::schema_version() {
  auto s = db_.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migration");
  s.step();
  return static_cast<int>(s.int64(0));
}

std::int64_t SqliteStore::data_version() {
  // Bumped by triggers on every table the search index reads (migration 003).
  auto& s = stmt("SELECT n FROM index_generation WHERE id = 1");
  std::int64_t n = s.step() ? s.int64(0) : 0;
  s.reset();
  return n;
}

// Prepared statements cached by SQL text: the import loop reuses them for every row.
Stmt& SqliteStore::stmt(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, db_.prepare(sql)).first;
  return it->second;
}

}  // namespace hrtrack::store

namespace hrtrack {

void check_store_address(const std::string& path) {
  auto scheme = path.find("://");
  if (scheme == std::string::npos) return;
  std::string name = path.substr(0, scheme);
  throw InvalidArgument(
      "--db " + name +
      "://…: this build of hrtrack stores its data in an SQLite file only, so it " +
      "cannot open a " + (name.rfind("postgres", 0) == 0 ? "PostgreSQL" : name) +
      " database address; give a file path (e.g. --db hrtrack.db). Nothing was created.");
}

std::unique_ptr<Store> open_store(const std::string& path, const StoreOptions& opt) {
  check_store_address(path);
  auto s = std::make_unique<store::SqliteStore>(path);
  s->set_busy_timeout(opt.busy_timeout_ms);
  return s;
}

}  // namespace hrtrack
