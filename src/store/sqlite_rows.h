// One description per table instead of an INSERT, its binds and its change-log row written out
// for every table: a Row lists (column, value) pairs in order; insert_row / update_row build
// the statement from the column names (compile-time literals of this directory, never input)
// and bind every value. Used by the SQLite parts (sqlite_followup_*.cpp, sqlite_access.cpp).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "store/db.h"

namespace hrtrack::store {

// NULL, an integer or a text.
using Value = std::variant<std::nullptr_t, std::int64_t, std::string>;
// 0 -> NULL (an absent reference), else the id.
inline Value ref_value(std::int64_t id) {
  return id ? Value(id) : Value(nullptr);
}
// "" -> NULL (an absent text reference), else the text.
inline Value text_ref_value(const std::string& s) {
  return s.empty() ? Value(nullptr) : Value(s);
}

struct Row {
  std::vector<std::pair<const char*, Value>> cols;
  Row(std::initializer_list<std::pair<const char*, Value>> c) : cols(c) {}
};

void bind_value(Stmt& s, int i, const Value& v);
// INSERT INTO table (cols...) VALUES (?...); returns the new rowid.
std::int64_t insert_row(Db& db, const char* table, const Row& row);
// UPDATE table SET col = ?, ... WHERE id = ?; returns the number of rows changed.
int update_row(Db& db, const char* table, std::int64_t id, const Row& row);
// DELETE FROM table WHERE id = ?; returns the number of rows deleted.
int delete_row(Db& db, const char* table, std::int64_t id);

}  // namespace hrtrack::store
