// The append-only change log in SQLite (SqliteStore, sqlite_store.h): rows of imports that are
// not done are never shown.
#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/sqlite_store.h"

namespace hrtrack::store {

using nlohmann::json;

void SqliteStore::log_change(const ChangeEntry& e) {
  auto& s = stmt(
      "INSERT INTO change_log(at, actor, entity, entity_id, field, before, after, "
      "import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.bind(1, e.at.empty() ? now_iso() : e.at).bind(2, e.actor).bind(3, e.entity);
  s.bind(4, e.entity_id).bind(5, e.field).bind_opt(6, e.before).bind_opt(7, e.after);
  e.import_id ? s.bind(8, e.import_id) : s.bind_null(8);
  s.run();
}

void SqliteStore::for_each_change(const ChangeFilter& f,
                                  const std::function<void(const ChangeEntry&)>& fn) {
  // Two fixed statements (the order cannot be a bound value); every value is bound.
  constexpr const char* base =
      "SELECT id, at, actor, entity, entity_id, field, before, after, COALESCE(import_id, 0) "
      "FROM change_log WHERE (? = '' OR actor = ?) AND (? = '' OR entity = ?) AND "
      "(? = '' OR entity_id = ?) AND (? = '' OR field = ?) AND (? = '' OR at >= ?) AND "
      "(? = '' OR at < ?) AND (? = 0 OR id < ?) AND (import_id IS NULL OR import_id NOT IN "
      "(SELECT id FROM import WHERE state <> 'done')) ";
  auto s = db_.prepare(std::string(base) +
                       (f.newest_first ? "ORDER BY id DESC LIMIT ?" : "ORDER BY id LIMIT ?"));
  int i = 1;
  for (const auto* v : {&f.actor, &f.entity, &f.entity_id, &f.field, &f.since, &f.until}) {
    s.bind(i++, *v);
    s.bind(i++, *v);
  }
  s.bind(i++, f.before_id);
  s.bind(i++, f.before_id);
  s.bind(i++, f.limit > 0 ? static_cast<std::int64_t>(f.limit) : -1);
  while (s.step()) {
    ChangeEntry e;
    e.id = s.int64(0);
    e.at = s.text(1);
    e.actor = s.text(2);
    e.entity = s.text(3);
    e.entity_id = s.text(4);
    e.field = s.text(5);
    if (!s.is_null(6)) e.before = s.text(6);
    if (!s.is_null(7)) e.after = s.text(7);
    e.import_id = s.int64(8);
    fn(e);
  }
}

}  // namespace hrtrack::store
