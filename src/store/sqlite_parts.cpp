// Helpers shared by the parts of the SQLite store (sqlite_access.cpp, sqlite_followup_*.cpp):
// optional references as NULL, and change-log rows for created, changed and deleted rows.
#include "store/sqlite_parts.h"

#include "core/changes.h"

namespace hrtrack::store {

std::string id_text(std::int64_t id) {
  return std::to_string(id);
}

// 0 <-> NULL for optional references.
void bind_ref(Stmt& s, int i, std::int64_t id) {
  if (id) {
    s.bind(i, id);
  } else {
    s.bind_null(i);
  }
}
// "" <-> NULL for optional text references (rec_uid of a cluster's row, sdg_target).
void bind_text_ref(Stmt& s, int i, const std::string& v) {
  if (v.empty()) {
    s.bind_null(i);
  } else {
    s.bind(i, v);
  }
}
std::int64_t ref(const Stmt& s, int col) {
  return s.is_null(col) ? 0 : s.int64(col);
}
std::optional<std::string> opt_text(const Stmt& s, int col) {
  if (s.is_null(col)) return std::nullopt;
  return s.text(col);
}

// The rows come from core/changes.h, so that every storage engine logs the same.
void log_diff(const LogFn& log, const std::string& actor, const std::string& entity,
              const std::string& id, const ojson& before, const ojson& after) {
  std::string at = now_iso();
  for (auto& ch : changed_fields(before, after)) {
    ChangeEntry e;
    e.at = at;
    e.actor = actor;
    e.entity = entity;
    e.entity_id = id;
    e.field = std::move(ch.field);
    e.before = std::move(ch.before);
    e.after = std::move(ch.after);
    log(e);
  }
}

void log_created(const LogFn& log, const std::string& actor, const std::string& entity,
                 const std::string& id, const ojson& after) {
  ChangeEntry e;
  e.actor = actor;
  e.entity = entity;
  e.entity_id = id;
  e.field = "*";
  e.after = without_bookkeeping(after).dump();
  log(e);
}

void log_deleted(const LogFn& log, const std::string& actor, const std::string& entity,
                 const std::string& id, const ojson& before) {
  ChangeEntry e;
  e.actor = actor;
  e.entity = entity;
  e.entity_id = id;
  e.field = "*";
  e.before = without_bookkeeping(before).dump();
  log(e);
}

void log_field(const LogFn& log, const std::string& actor, const std::string& entity,
               const std::string& id, const std::string& field, std::optional<std::string> before,
               std::optional<std::string> after) {
  ChangeEntry e;
  e.actor = actor;
  e.entity = entity;
  e.entity_id = id;
  e.field = field;
  e.before = std::move(before);
  e.after = std::move(after);
  log(e);
}

}  // namespace hrtrack::store
