#include "access/permissions.h"

#include <algorithm>

#include "core/text.h"
#include "read/table.h"

namespace hrtrack::embedded::access {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack::access {

const std::vector<std::string>& roles() {
  static const std::vector<std::string> r = {"administrator", "coordinator", "focal_point",
                                             "validator",     "nhri",        "civil_society",
                                             "parliament",    "reviewer",    "public"};
  return r;
}

bool is_role(std::string_view name) {
  const auto& r = roles();
  return std::find(r.begin(), r.end(), name) != r.end();
}

PermissionTable PermissionTable::parse(std::string_view csv) {
  PermissionTable out;
  std::vector<Problem> problems;
  auto reader = read::open_csv_text(std::string(csv), "permissions.csv", problems);
  const auto& header = reader->header();
  if (header.size() != roles().size() + 2 || header.front() != "action" ||
      header.back() != "description")
    throw Error("permissions.csv: the header must be action, the roles, description");
  for (std::size_t c = 1; c + 1 < header.size(); ++c)
    if (header[c] != roles()[c - 1])
      throw Error("permissions.csv: column " + std::to_string(c + 1) + " must be role '" +
                  roles()[c - 1] + "', not '" + header[c] + "'");
  read::Row r;
  long row = 1;
  while (reader->next(r)) {
    const auto& cells = r.cells;
    row = r.number;
    if (cells.size() != header.size())
      throw Error("permissions.csv row " + std::to_string(row) + ": expected " +
                  std::to_string(header.size()) + " cells");
    ActionRow a;
    a.action = cells.front();
    a.description = cells.back();
    for (std::size_t c = 1; c + 1 < cells.size(); ++c) {
      const auto& v = cells[c];
      Scope s;
      if (v == "any") {
        s = Scope::Any;
      } else if (v == "own") {
        s = Scope::Own;
      } else if (v == "-") {
        s = Scope::None;
      } else {
        throw Error("permissions.csv row " + std::to_string(row) + ", column " + header[c] + ": '" +
                    v + "' is not any, own or -");
      }
      a.scope[header[c]] = s;
    }
    for (const auto& existing : out.rows_)
      if (existing.action == a.action)
        throw Error("permissions.csv row " + std::to_string(row) + ": action " + a.action +
                    " is listed twice");
    out.rows_.push_back(std::move(a));
  }
  if (!problems.empty()) throw Error(problems.front().to_string());
  return out;
}

const ActionRow& PermissionTable::row(std::string_view action) const {
  for (const auto& r : rows_)
    if (r.action == action) return r;
  throw Error("permission check for an action not in the permission table: " + std::string(action));
}

const PermissionTable& permissions() {
  static const PermissionTable t = [] {
    const auto& f = embedded::access::files();
    auto it = f.find("permissions.csv");
    if (it == f.end()) throw Error("permissions.csv is not compiled in");
    return PermissionTable::parse(it->second);
  }();
  return t;
}

bool Principal::has_role(std::string_view r) const {
  if (r == "public") return true;
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

Scope scope_of(const Principal& p, std::string_view action) {
  const auto& row = permissions().row(action);
  Scope best = row.scope.at("public");
  if (p.signed_in())
    for (const auto& r : p.roles) {
      auto it = row.scope.find(r);
      if (it != row.scope.end() && it->second > best) best = it->second;
    }
  return best;
}

bool allowed(const Principal& p, std::string_view action, const Target& t) {
  switch (scope_of(p, action)) {
    case Scope::Any:
      return true;
    case Scope::Own:
      return p.signed_in() && p.institution_id != 0 && t.institution_id == p.institution_id;
    case Scope::None:
      return false;
  }
  return false;
}

void require(const Principal& p, std::string_view action, const Target& t) {
  if (allowed(p, action, t)) return;
  const auto& row = permissions().row(action);
  if (!p.signed_in()) throw Forbidden("sign in to " + ascii_lower(row.description));
  throw Forbidden("your roles do not allow this: " + row.description +
                  (scope_of(p, action) == Scope::Own ? " (only for your own institution)" : ""));
}

}  // namespace hrtrack::access
