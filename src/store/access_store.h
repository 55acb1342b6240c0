// Storage of institutions, users, roles, sessions and tokens (the types: core/access.h): part of
// the one storage interface (Store::access() returns it; the same connection, transactions and
// contract as the rest of the store, store.h). Writes to institutions, users, roles and tokens
// are recorded in the change log through their one JSON form (core/access_json.h); secrets
// (password hashes, token and session hashes) never are. Sessions and sign-in failures are not
// data and are not logged. The rules (who may, what is valid) are in src/access.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/access.h"

namespace hrtrack {

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // --- institutions (changes logged, entity "institution") ---
  virtual std::int64_t add_institution(Institution& i, const std::string& actor) = 0;
  virtual void update_institution(const Institution& i, const std::string& actor) = 0;
  virtual std::optional<Institution> institution(std::int64_t id) = 0;
  virtual std::optional<Institution> institution_by_code(const std::string& code) = 0;
  virtual std::vector<Institution> institutions() = 0;  // by name

  // --- users (changes logged, entity "user"; password changes logged without values) ---
  virtual std::int64_t add_user(User& u, const std::string& actor) = 0;
  // Saves every field but the password hash, and the roles.
  virtual void update_user(const User& u, const std::string& actor) = 0;
  virtual void set_password_hash(std::int64_t user_id, const std::string& hash,
                                 const std::string& actor) = 0;
  virtual void set_last_sign_in(std::int64_t user_id, const std::string& at) = 0;
  virtual std::optional<User> user(std::int64_t id) = 0;
  virtual std::optional<User> user_by_name(const std::string& username) = 0;  // case-insensitive
  virtual std::vector<User> users(std::int64_t institution_id = 0) = 0;       // 0 = all

  // --- sessions (not logged) ---
  virtual void add_session(const SessionRow& s) = 0;
  virtual std::optional<SessionRow> session(const std::string& token_hash) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;
  virtual void delete_sessions_of(std::int64_t user_id) = 0;
  virtual void delete_expired_sessions(const std::string& now) = 0;

  // --- API tokens (creation and revocation logged, never the token) ---
  virtual std::int64_t add_token(ApiToken& t, const std::string& actor) = 0;
  virtual std::optional<ApiToken> token_by_hash(const std::string& token_hash) = 0;
  virtual std::vector<ApiToken> tokens_of(std::int64_t user_id) = 0;
  virtual void revoke_token(std::int64_t id, const std::string& at, const std::string& actor) = 0;
  virtual void touch_token(std::int64_t id, const std::string& at) = 0;

  // --- one-time password reset tokens ---
  virtual void add_reset_token(const std::string& token_hash, std::int64_t user_id,
                               const std::string& created_at, const std::string& expires_at) = 0;
  // Marks the token used and returns its user when it exists, is unused and not expired.
  virtual std::optional<std::int64_t> use_reset_token(const std::string& token_hash,
                                                      const std::string& now) = 0;

  // --- sign-in failures, for throttling ---
  virtual void record_failure(const std::string& kind, const std::string& key,
                              std::int64_t at_ms) = 0;
  virtual long count_failures(const std::string& kind, const std::string& key,
                              std::int64_t since_ms) = 0;
};

}  // namespace hrtrack
