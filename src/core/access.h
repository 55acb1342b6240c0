// Institutions, users and their credentials as plain data (the rules are in src/access, the
// storage in src/store). No I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

struct Institution {
  std::int64_t id = 0;
  std::string code;  // short and stable ("MOJ", "MOJ-DHR")
  std::string name;
  std::string
      type;  // executive | legislature | judiciary | nhri | civil_society | un_agency | other
  std::int64_t parent_id = 0;                                                // 0 = top level
  std::int64_t main_focal_id = 0, alternate_focal_id = 0, validator_id = 0;  // users; 0 = none
  std::string created_at, updated_at;
};

struct User {
  std::int64_t id = 0;
  std::string username, display_name, email;
  std::int64_t institution_id = 0;  // 0 = none
  std::string password_hash;        // argon2id string; "" = none set
  std::vector<std::string> roles;   // sorted
  std::optional<std::string> disabled_at;
  std::optional<std::string> last_sign_in_at;
  std::string created_at, updated_at;
};

struct SessionRow {
  std::string token_hash;
  std::int64_t user_id = 0;
  std::string csrf, created_at, expires_at, address;
};

struct ApiToken {
  std::int64_t id = 0, user_id = 0;
  std::string name, token_hash, scope, created_at;
  std::optional<std::string> last_used_at, revoked_at;
};

// The institution types: executive, legislature, judiciary, nhri, civil_society, un_agency,
// other. A civil_society institution's people are protected (docs/security.md).
const std::vector<std::string>& institution_types();
bool is_institution_type(std::string_view type);

}  // namespace hrtrack
