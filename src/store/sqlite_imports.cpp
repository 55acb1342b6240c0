// Staged imports in SQLite (migration 005; SqliteStore, sqlite_store.h): an import's batches,
// invisible until finish_import; what a killed one left, cleared by the next.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/sqlite_store.h"

namespace hrtrack::store {

using nlohmann::json;

using namespace rows;

// A staged change replaces an earlier one of the same import for the same record (two rows
// of a file matching one stored record): the later row wins, as it would when applied in turn.
void SqliteStore::stage_change(std::int64_t import_id, const Recommendation& rec,
                               const IdentityKeys& keys, const std::string& hash,
                               const std::string& now, const char* mode) {
  static const std::string sql = std::string("INSERT OR REPLACE INTO import_change (") +
                                 kChangeColumns + ") VALUES (" + placeholders(6 + kFieldCount + 4) +
                                 ")";
  auto& s = stmt(sql);
  int i = 1;
  s.bind(i++, import_id);
  s.bind(i++, rec.id);
  s.bind(i++, mode);
  keys.ext.empty() ? s.bind_null(i++) : s.bind(i++, keys.ext);
  keys.doc.empty() ? s.bind_null(i++) : s.bind(i++, keys.doc);
  s.bind(i++, hash);
  i = bind_fields(s, i, rec, scratch_);
  s.bind(i++, rec.provenance.format);
  s.bind(i++, rec.provenance.file);
  s.bind(i++, rec.provenance.row);
  s.bind(i++, now);
  s.run();
}

void SqliteStore::stage_keys(std::int64_t import_id, std::int64_t rec_id,
                             const IdentityKeys& keys) {
  auto& s = stmt(
      "UPDATE import_change SET ext_key = COALESCE(ext_key, ?), doc_key = COALESCE(doc_key, ?) "
      "WHERE import_id = ? AND rec_id = ?");
  keys.ext.empty() ? s.bind_null(1) : s.bind(1, keys.ext);
  keys.doc.empty() ? s.bind_null(2) : s.bind(2, keys.doc);
  s.bind(3, import_id).bind(4, rec_id);
  s.run();
}

// The record as this import's staged full change leaves it (nullopt: none staged, or keys
// only).
std::optional<Recommendation> SqliteStore::staged_change(std::int64_t import_id,
                                                         std::int64_t rec_id) {
  static const std::string sql =
      std::string("SELECT r.id, r.uid, ") + kFieldColumns +
      ", c.import_id, c.source_format, c.source_file, c.source_row, r.deleted_at FROM "
      "import_change c JOIN recommendation r ON r.id = c.rec_id WHERE c.import_id = ? AND "
      "c.rec_id = ? AND c.mode = 'update'";
  // The columns of kFieldColumns are ambiguous between the two tables: qualify them.
  static const std::string qualified = [] {
    std::string out = sql, cols = kFieldColumns, q;
    for (auto& col : split_trim(cols, ",")) q += (q.empty() ? "c." : ", c.") + col;
    out.replace(out.find(kFieldColumns), std::string(kFieldColumns).size(), q);
    return out;
  }();
  auto& s = stmt(qualified);
  s.bind(1, import_id).bind(2, rec_id);
  std::optional<Recommendation> out;
  if (s.step()) out = read_row(s);
  s.reset();
  return out;
}

// The process that runs an import, as "host:pid": another process on the same host knows at
// once whether it is still alive; elsewhere the heartbeat tells.
std::string SqliteStore::owner_id() {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

bool SqliteStore::owner_alive(const std::string& owner, const std::string& heartbeat_at) {
  auto colon = owner.rfind(':');
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  if (colon != std::string::npos && owner.substr(0, colon) == host) {
    auto pid = parse_int(owner.substr(colon + 1));
    return pid && (::kill(static_cast<pid_t>(*pid), 0) == 0 || errno == EPERM);
  }
  // Another host: alive while it has touched the import in the last two minutes.
  auto now = std::chrono::system_clock::now();
  std::tm tm{};
  if (heartbeat_at.size() < 19 || !strptime(heartbeat_at.c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
    return false;
  auto beat = std::chrono::system_clock::from_time_t(timegm(&tm));
  return now - beat < std::chrono::minutes(2);
}

std::int64_t SqliteStore::start_import(const ImportSummary& s) {
  store::Transaction t(db_);
  std::vector<std::int64_t> dead;
  {
    auto q = db_.prepare(
        "SELECT id, COALESCE(owner, ''), COALESCE(heartbeat_at, ''), file, started_at "
        "FROM import WHERE state = 'running'");
    while (q.step()) {
      if (!owner_alive(q.text(1), q.text(2))) {
        dead.push_back(q.int64(0));
        continue;
      }
      throw InvalidArgument("another import is running (import " + q.text(0) + " of '" + q.text(3) +
                            "', started at " + q.text(4) +
                            "); imports run one at a time: try again when it has finished");
    }
  }
  for (auto id : dead) discard_import(id);
  auto& st = stmt(
      "INSERT INTO import(started_at, actor, format, file, file_sha256, state, owner, "
      "heartbeat_at, scope) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)");
  st.bind(1, s.started_at)
      .bind(2, s.actor)
      .bind(3, s.format)
      .bind(4, s.file)
      .bind(5, s.file_sha256)
      .bind(6, owner_id())
      .bind(7, now_iso())
      .bind(8, s.scope);
  st.run();
  auto id = db_.last_insert_rowid();
  t.commit();
  // An import commits every batch: checkpointing the WAL into the database file (with an
  // fsync) whenever it passes 1,000 pages would make it I/O-bound (263k rows: 25,000 waits on
  // the disk, twice the time). This connection checkpoints every 64 MB instead, and once at the
  // end. (Leaving all checkpoints to the server's connections made their writes wait over 5 s.)
  db_.exec("PRAGMA wal_autocheckpoint = 16384");
  return id;
}

void SqliteStore::touch_import(std::int64_t id) {
  stmt("UPDATE import SET heartbeat_at = ? WHERE id = ?").bind(1, now_iso()).bind(2, id).run();
}

// What an import that will never be done wrote: its records (none visible), its staged
// changes. Its change-log rows stay (the log is append-only) but are never shown.
void SqliteStore::discard_import(std::int64_t id) {
  stmt("DELETE FROM import_change WHERE import_id = ?").bind(1, id).run();
  stmt("DELETE FROM import_record WHERE import_id = ?").bind(1, id).run();
  stmt("DELETE FROM recommendation WHERE import_id = ?").bind(1, id).run();
  stmt("UPDATE import SET state = 'failed', finished_at = ?, owner = NULL WHERE id = ?")
      .bind(1, now_iso())
      .bind(2, id)
      .run();
}

void SqliteStore::abort_import(std::int64_t id) {
  end_import_io();
  store::Transaction t(db_);
  discard_import(id);
  t.commit();
}

void SqliteStore::finish_import(const ImportSummary& s) {
  end_import_io();  // the last commit checkpoints what the import wrote
  // The staged changes to records that were visible before the import, then the import done:
  // from here on its new records and change-log rows are visible too.
  static const std::string apply = [] {
    std::string cols = kFieldColumns, set;
    for (auto& col : split_trim(cols, ",")) set += (set.empty() ? "" : ", ") + col + " = c." + col;
    return "UPDATE recommendation SET " + set +
           ", content_hash = c.content_hash, import_id = c.import_id, source_format = "
           "c.source_format, source_file = c.source_file, source_row = c.source_row, "
           "updated_at = c.updated_at, ext_key = COALESCE(recommendation.ext_key, c.ext_key), "
           "doc_key = COALESCE(recommendation.doc_key, c.doc_key) FROM import_change c WHERE "
           "c.import_id = ? AND c.mode = 'update' AND c.rec_id = recommendation.id";
  }();
  stmt(apply).bind(1, s.id).run();
  stmt(
      "UPDATE recommendation SET ext_key = COALESCE(recommendation.ext_key, c.ext_key), "
      "doc_key = COALESCE(recommendation.doc_key, c.doc_key) FROM import_change c WHERE "
      "c.import_id = ? AND c.mode = 'keys' AND c.rec_id = recommendation.id")
      .bind(1, s.id)
      .run();
  stmt("DELETE FROM import_change WHERE import_id = ?").bind(1, s.id).run();
  json absent = json::array(), absent_uids = json::array();
  for (const auto& a : s.absent) {
    absent.push_back({{"uid", a.uid}, {"symbol", a.symbol}, {"paragraph", a.paragraph}});
    absent_uids.push_back(a.uid);
  }
  auto& st = stmt(
      "UPDATE import SET finished_at = ?, rows_read = ?, new_count = ?, "
      "changed_count = ?, unchanged_count = ?, rejected_count = ?, "
      "duplicate_count = ?, state = 'done', owner = NULL, scope = ?, previous_import = ?, "
      "absent_count = ?, absent = ? WHERE id = ?");
  st.bind(1, s.finished_at).bind(2, s.rows_read).bind(3, s.new_count).bind(4, s.changed_count);
  st.bind(5, s.unchanged_count).bind(6, s.rejected_count).bind(7, s.duplicate_count);
  st.bind(8, s.scope);
  s.previous_import ? st.bind(9, s.previous_import) : st.bind_null(9);
  st.bind(10, static_cast<std::int64_t>(s.absent.size())).bind(11, absent.dump()).bind(12, s.id);
  st.run();
  // Only the last import of a source is compared with the next: the older ones' lists go.
  if (!s.scope.empty())
    stmt(
        "DELETE FROM import_record WHERE import_id IN (SELECT id FROM import WHERE format = ? "
        "AND scope = ? AND id < ?)")
        .bind(1, s.format)
        .bind(2, s.scope)
        .bind(3, s.id)
        .run();
  bump_generation();
  log_change({0, s.finished_at, s.actor, "import", std::to_string(s.id), "*", std::nullopt,
              json{{"format", s.format},
                   {"file", s.file},
                   {"sha256", s.file_sha256},
                   {"rows", s.rows_read},
                   {"new", s.new_count},
                   {"changed", s.changed_count},
                   {"unchanged", s.unchanged_count},
                   {"rejected", s.rejected_count},
                   {"duplicates", s.duplicate_count},
                   {"previous_import", s.previous_import},
                   {"absent", absent_uids}}
                  .dump(),
              s.id});
}

std::vector<ImportSummary> SqliteStore::imports() {
  std::vector<ImportSummary> out;
  auto s = db_.prepare(
      "SELECT id, started_at, COALESCE(finished_at, ''), actor, format, file, "
      "COALESCE(file_sha256, ''), rows_read, new_count, changed_count, unchanged_count, "
      "rejected_count, duplicate_count, state, scope, COALESCE(previous_import, 0), absent "
      "FROM import ORDER BY id");
  while (s.step()) {
    ImportSummary i;
    i.id = s.int64(0);
    i.started_at = s.text(1);
    i.finished_at = s.text(2);
    i.actor = s.text(3);
    i.format = s.text(4);
    i.file = s.text(5);
    i.file_sha256 = s.text(6);
    i.rows_read = s.int64(7);
    i.new_count = s.int64(8);
    i.changed_count = s.int64(9);
    i.unchanged_count = s.int64(10);
    i.rejected_count = s.int64(11);
    i.duplicate_count = s.int64(12);
    i.state = s.text(13);
    i.scope = s.text(14);
    i.previous_import = s.int64(15);
    for (const auto& a : json::parse(s.text_view(16)))
      i.absent.push_back({a.value("uid", ""), a.value("symbol", ""), a.value("paragraph", "")});
    out.push_back(i);
  }
  for (auto& i : out)
    for (const auto& p : out)
      if (p.id == i.previous_import) i.previous_file = p.file;
  return out;
}

void SqliteStore::add_import_records(std::int64_t import_id, const std::vector<std::int64_t>& ids) {
  auto& s = stmt("INSERT OR IGNORE INTO import_record(import_id, rec_id) VALUES (?, ?)");
  for (auto id : ids) s.bind(1, import_id).bind(2, id).run();
}

std::optional<ImportSummary> SqliteStore::previous_import_of(std::int64_t import_id,
                                                             const std::string& format,
                                                             const std::string& scope) {
  if (scope.empty()) return std::nullopt;
  ImportSummary prev;
  {
    auto& s = stmt(
        "SELECT id, file FROM import WHERE format = ? AND scope = ? AND state = 'done' AND id < ? "
        "ORDER BY id DESC LIMIT 1");
    s.bind(1, format).bind(2, scope).bind(3, import_id);
    if (!s.step()) {
      s.reset();
      return std::nullopt;
    }
    prev.id = s.int64(0);
    prev.file = s.text(1);
    s.reset();
  }
  prev.format = format;
  prev.scope = scope;
  auto& s = stmt(
      "SELECT r.uid, r.symbol, r.paragraph FROM import_record p JOIN recommendation r ON r.id = "
      "p.rec_id WHERE p.import_id = ? AND NOT EXISTS (SELECT 1 FROM import_record c WHERE "
      "c.import_id = ? AND c.rec_id = p.rec_id) ORDER BY r.id");
  s.bind(1, prev.id).bind(2, import_id);
  while (s.step()) prev.absent.push_back({s.text(0), s.text(1), s.text(2)});
  s.reset();
  return prev;
}

}  // namespace hrtrack::store
