// Sign-in and credentials: argon2id passwords (libsodium crypto_pwhash_str), the password
// policy, throttling, sessions, API tokens and one-time reset tokens. Secrets are random
// (libsodium randombytes) and stored only as SHA-256 hashes; comparisons of secrets go through
// those hashes, looked up by index.
//
// Contract: Auth works on the Store it is given (one thread at a time, as the Store); secrets are
// returned once (the caller shows or sends them) and never stored or logged. Refusals the user can
// act on throw InvalidArgument with a message for them; a wrong password is a SignInStatus, not an
// exception.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "access/permissions.h"
#include "store/store.h"

namespace hrtrack::access {

struct AuthOptions {
  int session_hours = 12;
  std::size_t min_password_length = 12;
  std::size_t max_password_length = 1024;  // argon2id hashes anything; this bounds the work
  int throttle_window_seconds = 60;
  long max_failures_per_account = 10;  // in the window; then refused without checking the hash
  long max_failures_per_address = 30;
  int reset_token_hours = 48;
};

// nullopt when `password` is acceptable, else a message for the user saying why not.
std::optional<std::string> password_problem(std::string_view password, std::string_view username,
                                            const AuthOptions& opt = {});
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);

// `bytes` random bytes as unpadded base64url (32 bytes -> 43 characters).
std::string random_token(std::size_t bytes = 32);
// Hex SHA-256 of a secret: what the database holds instead of it.
std::string secret_hash(std::string_view secret);

// What a principal is made of, from the stored user and institution.
Principal principal_of(Store& store, const User& u);

enum class SignInStatus { Ok, Wrong, Throttled };

struct SignInResult {
  SignInStatus status = SignInStatus::Wrong;
  std::string session_token;  // the cookie value (Ok only)
  std::string csrf;
  Principal principal;
};

struct SessionInfo {
  Principal principal;
  SessionRow row;
};

class Auth {
 public:
  explicit Auth(Store& store, AuthOptions opt = {});

  // Checks the password unless the account or the address has had too many failures in the
  // window (then Throttled, without looking at the hash). A disabled account, an unknown user
  // and a wrong password all give Wrong. On success a new session is created (the old one, if
  // `old_session` names one, is deleted: the id changes at sign-in).
  SignInResult sign_in(const std::string& username, const std::string& password,
                       const std::string& address, const std::string& old_session = "");
  // The session's principal, or nullopt when the token is unknown, expired, or its user is
  // disabled (checked on every request: disabling a user ends their sessions at once).
  std::optional<SessionInfo> session(const std::string& token);
  void sign_out(const std::string& token);
  void sign_out_everywhere(std::int64_t user_id);

  // Throws InvalidArgument with a message for the user. Ends every other session of the user
  // (all but `keep_session`, the session token the change was made from).
  void change_password(const Principal& p, const std::string& current,
                       const std::string& new_password, const std::string& keep_session = "");
  // A one-time token for setting a new password (valid reset_token_hours); earlier unused ones
  // of the user stop working. Issuing is logged with `actor`.
  std::string issue_reset(std::int64_t user_id, const std::string& actor);
  // Sets the password and ends every session of the user. Throws InvalidArgument when the
  // token is unknown, used or expired, or the password is not acceptable.
  void reset_password(const std::string& token, const std::string& new_password);

  // An API token: returns the stored row and the token itself (shown once).
  // `actor` (default: the principal) is who the change log names.
  std::pair<ApiToken, std::string> create_token(const Principal& p, const std::string& name,
                                                const std::string& scope,
                                                const std::string& actor = "");
  void revoke_token(const Principal& p, std::int64_t token_id, const std::string& actor = "");
  // The principal an `Authorization: Bearer` token acts as; nullopt when unknown, revoked or
  // its user disabled.
  std::optional<Principal> token_principal(const std::string& token);

  const AuthOptions& options() const { return opt_; }

 private:
  Store& store_;
  AuthOptions opt_;
};

}  // namespace hrtrack::access
