// Roles, actions and the one permission table (data/access/permissions.csv, compiled in): for
// each action, what scope each role has - `any` (every institution), `own` (only things that
// belong to the user's own institution) or none. One checker, allowed(), reads it; pages, the
// API, exports and the CLI all ask it. docs/security.md shows the same table.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/access.h"
#include "core/error.h"

namespace hrtrack::access {

// The roles, in the table's column order. "public" is the anonymous visitor: every principal
// has it.
const std::vector<std::string>& roles();
bool is_role(std::string_view name);

enum class Scope { None, Own, Any };

struct ActionRow {
  std::string action, description;
  std::map<std::string, Scope> scope;  // role -> scope
};

class PermissionTable {
 public:
  // Parses the CSV (header: action, one column per role, description). Throws Error naming the
  // row and column of anything that is not a role, `any`, `own` or `-`.
  static PermissionTable parse(std::string_view csv);
  const std::vector<ActionRow>& rows() const { return rows_; }
  // Throws Error for an action that is not in the table (a programming error).
  const ActionRow& row(std::string_view action) const;

 private:
  std::vector<ActionRow> rows_;
};

// The compiled-in table.
const PermissionTable& permissions();

// Who is asking. A signed-in user, or (user_id 0) the anonymous public.
struct Principal {
  std::int64_t user_id = 0;
  std::string username, display_name;
  std::int64_t institution_id = 0;
  std::string institution_type;
  std::vector<std::string> roles;  // "public" is implied
  bool read_only = false;          // an API token with scope "read": only reads are allowed
  bool via_token = false;

  bool signed_in() const { return user_id != 0; }
  bool has_role(std::string_view r) const;
};

// What an action is applied to: the institution it belongs to (0 = none in particular: only
// `any` then grants it).
struct Target {
  std::int64_t institution_id = 0;
};

// The best scope any of the principal's roles (and "public") has for `action`.
Scope scope_of(const Principal& p, std::string_view action);

// The one checker.
bool allowed(const Principal& p, std::string_view action, const Target& t = {});

// The principal may not do this: HTTP 403 (401 for the anonymous public).
class Forbidden : public Error {
 public:
  using Error::Error;
};

// Throws Forbidden with a message naming the action when allowed() says no.
void require(const Principal& p, std::string_view action, const Target& t = {});

}  // namespace hrtrack::access
