#include "store/sqlite_rows.h"

namespace hrtrack::store {

void bind_value(Stmt& s, int i, const Value& v) {
  if (std::holds_alternative<std::nullptr_t>(v))
    s.bind_null(i);
  else if (const auto* n = std::get_if<std::int64_t>(&v))
    s.bind(i, *n);
  else
    s.bind(i, std::get<std::string>(v));
}

std::int64_t insert_row(Db& db, const char* table, const Row& row) {
  std::string cols, marks;
  for (const auto& [name, v] : row.cols) {
    cols += (cols.empty() ? "" : ", ") + std::string(name);
    marks += marks.empty() ? "?" : ", ?";
  }
  auto s =
      db.prepare("INSERT INTO " + std::string(table) + " (" + cols + ") VALUES (" + marks + ")");
  int i = 1;
  for (const auto& [name, v] : row.cols) bind_value(s, i++, v);
  s.run();
  return db.last_insert_rowid();
}

int update_row(Db& db, const char* table, std::int64_t id, const Row& row) {
  std::string set;
  for (const auto& [name, v] : row.cols)
    set += (set.empty() ? "" : ", ") + std::string(name) + " = ?";
  auto s = db.prepare("UPDATE " + std::string(table) + " SET " + set + " WHERE id = ?");
  int i = 1;
  for (const auto& [name, v] : row.cols) bind_value(s, i++, v);
  s.bind(i, id);
  s.run();
  return db.changes();
}

int delete_row(Db& db, const char* table, std::int64_t id) {
  auto s = db.prepare("DELETE FROM " + std::string(table) + " WHERE id = ?");
  s.bind(1, id);
  s.run();
  return db.changes();
}

}  // namespace hrtrack::store
