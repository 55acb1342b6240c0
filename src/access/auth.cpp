#include "access/auth.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <set>

#include "core/error.h"
#include "core/text.h"

namespace hrtrack::embedded::access {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack::access {

namespace {

void init_sodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw Error("libsodium could not be initialised");
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ISO 8601 UTC, `hours` from now (same format as now_iso(), so strings compare in time order).
std::string iso_in_hours(int hours) {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                std::chrono::hours(hours));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

const std::set<std::string>& common_passwords() {
  static const std::set<std::string> s = [] {
    std::set<std::string> out;
    const auto& f = embedded::access::files();
    auto it = f.find("common-passwords.txt");
    if (it == f.end()) throw Error("common-passwords.txt is not compiled in");
    for (auto line : split_trim(it->second, "\n")) {
      if (line.empty() || line[0] == '#') continue;
      out.insert(ascii_lower(line));
    }
    return out;
  }();
  return s;
}

}  // namespace

std::optional<std::string> password_problem(std::string_view pw, std::string_view username,
                                            const AuthOptions& opt) {
  if (find_invalid_utf8(pw)) return "the password is not valid UTF-8";
  // Length in characters (code points), not bytes: "contraseña" counts 10.
  std::size_t chars = 0;
  for (unsigned char c : pw)
    if ((c & 0xC0) != 0x80) ++chars;
  if (chars < opt.min_password_length)
    return "the password must have at least " + std::to_string(opt.min_password_length) +
           " characters";
  if (pw.size() > opt.max_password_length)
    return "the password must have at most " + std::to_string(opt.max_password_length) + " bytes";
  std::string lower = ascii_lower(pw);
  if (common_passwords().count(lower)) return "this password is one of the most common ones";
  if (!username.empty() && lower.find(ascii_lower(username)) != std::string::npos)
    return "the password must not contain the user name";
  if (std::all_of(pw.begin(), pw.end(), [&](char c) { return c == pw.front(); }))
    return "the password must not repeat one character";
  return std::nullopt;
}

std::string hash_password(std::string_view pw) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error("out of memory while hashing a password");
  return out;
}

bool verify_password(const std::string& hash, std::string_view pw) {
  init_sodium();
  if (hash.empty()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), pw.data(), pw.size()) == 0;
}

std::string random_token(std::size_t bytes) {
  init_sodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string secret_hash(std::string_view secret) {
  init_sodium();
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  return to_hex(h, sizeof h);
}

Principal principal_of(Store& store, const User& u) {
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.display_name = u.display_name;
  p.institution_id = u.institution_id;
  p.roles = u.roles;
  if (u.institution_id)
    if (auto inst = store.access().institution(u.institution_id)) p.institution_type = inst->type;
  return p;
}

Auth::Auth(Store& store, AuthOptions opt) : store_(store), opt_(opt) {}

SignInResult Auth::sign_in(const std::string& username, const std::string& password,
                           const std::string& address, const std::string& old_session) {
  SignInResult r;
  auto& a = store_.access();
  std::int64_t now = now_ms();
  std::int64_t since = now - opt_.throttle_window_seconds * 1000LL;
  std::string account = ascii_lower(username);
  if (a.count_failures("account", account, since) >= opt_.max_failures_per_account ||
      (!address.empty() &&
       a.count_failures("address", address, since) >= opt_.max_failures_per_address)) {
    r.status = SignInStatus::Throttled;
    return r;
  }
  auto u = a.user_by_name(username);
  // An unknown user costs the same time as a known one: hash a fixed string, so that timing does
  // not tell which user names exist.
  static const std::string dummy = hash_password("not a real password, only for timing");
  bool ok = verify_password(u ? u->password_hash : dummy, password) && u && !u->disabled_at;
  if (!ok) {
    auto txn = store_.begin();
    a.record_failure("account", account, now);
    if (!address.empty()) a.record_failure("address", address, now);
    txn->commit();
    r.status = SignInStatus::Wrong;
    return r;
  }
  auto txn = store_.begin();
  if (!old_session.empty()) a.delete_session(secret_hash(old_session));
  a.delete_expired_sessions(now_iso());
  SessionRow s;
  r.session_token = random_token();
  r.csrf = random_token();
  s.token_hash = secret_hash(r.session_token);
  s.user_id = u->id;
  s.csrf = r.csrf;
  s.created_at = now_iso();
  s.expires_at = iso_in_hours(opt_.session_hours);
  s.address = address;
  a.add_session(s);
  a.set_last_sign_in(u->id, s.created_at);
  txn->commit();
  r.status = SignInStatus::Ok;
  r.principal = principal_of(store_, *u);
  return r;
}

std::optional<SessionInfo> Auth::session(const std::string& token) {
  if (token.empty() || token.size() > 200) return std::nullopt;
  auto& a = store_.access();
  auto row = a.session(secret_hash(token));
  if (!row || row->expires_at <= now_iso()) return std::nullopt;
  auto u = a.user(row->user_id);
  if (!u || u->disabled_at) return std::nullopt;
  return SessionInfo{principal_of(store_, *u), *row};
}

void Auth::sign_out(const std::string& token) {
  if (token.empty()) return;
  store_.access().delete_session(secret_hash(token));
}

void Auth::sign_out_everywhere(std::int64_t user_id) {
  store_.access().delete_sessions_of(user_id);
}

void Auth::change_password(const Principal& p, const std::string& current,
                           const std::string& new_password, const std::string& keep_session) {
  auto u = store_.access().user(p.user_id);
  if (!u) throw NotFound("no such user");
  if (!verify_password(u->password_hash, current))
    throw InvalidArgument("the current password is not right");
  if (auto why = password_problem(new_password, u->username, opt_)) throw InvalidArgument(*why);
  auto txn = store_.begin();
  auto& a = store_.access();
  a.set_password_hash(u->id, hash_password(new_password), u->username);
  // Whoever else holds a session (a stolen cookie) is signed out; this browser stays in.
  auto keep =
      keep_session.empty() ? std::optional<SessionRow>() : a.session(secret_hash(keep_session));
  a.delete_sessions_of(u->id);
  if (keep) a.add_session(*keep);
  txn->commit();
}

std::string Auth::issue_reset(std::int64_t user_id, const std::string& actor) {
  if (!store_.access().user(user_id)) throw NotFound("no user with id " + std::to_string(user_id));
  std::string token = random_token();
  auto txn = store_.begin();
  auto expires = iso_in_hours(opt_.reset_token_hours);
  store_.access().add_reset_token(secret_hash(token), user_id, now_iso(), expires);
  // Who let someone set this user's password is part of the audit trail (never the token).
  ChangeEntry e;
  e.actor = actor;
  e.entity = "user";
  e.entity_id = std::to_string(user_id);
  e.field = "reset_link";
  e.after = "(issued, valid until " + expires + ")";
  store_.log_change(e);
  txn->commit();
  return token;
}

void Auth::reset_password(const std::string& token, const std::string& new_password) {
  auto& a = store_.access();
  auto txn = store_.begin();
  auto user_id = a.use_reset_token(secret_hash(token), now_iso());
  if (!user_id)
    throw InvalidArgument(
        "this reset link is not valid: it was used already, has expired, or "
        "was mistyped; ask an administrator for a new one");
  auto u = a.user(*user_id);
  if (!u) throw NotFound("no such user");
  if (auto why = password_problem(new_password, u->username, opt_)) throw InvalidArgument(*why);
  a.set_password_hash(u->id, hash_password(new_password), u->username);
  a.delete_sessions_of(u->id);
  txn->commit();
}

std::pair<ApiToken, std::string> Auth::create_token(const Principal& p, const std::string& name,
                                                    const std::string& scope,
                                                    const std::string& actor) {
  if (!p.signed_in()) throw Forbidden("sign in to create API tokens");
  if (scope != "read" && scope != "write")
    throw InvalidArgument("the scope of a token is read or write, not '" + scope + "'");
  std::string n(trim(name));
  if (n.empty() || n.size() > 100)
    throw InvalidArgument("give the token a name of 1 to 100 characters");
  ApiToken t;
  t.user_id = p.user_id;
  t.name = n;
  t.scope = scope;
  std::string token = "hrt_" + random_token();
  t.token_hash = secret_hash(token);
  auto txn = store_.begin();
  store_.access().add_token(t, actor.empty() ? p.username : actor);
  txn->commit();
  return {t, token};
}

void Auth::revoke_token(const Principal& p, std::int64_t token_id, const std::string& actor) {
  for (const auto& t : store_.access().tokens_of(p.user_id))
    if (t.id == token_id) {
      auto txn = store_.begin();
      store_.access().revoke_token(token_id, now_iso(), actor.empty() ? p.username : actor);
      txn->commit();
      return;
    }
  throw NotFound("you have no token with id " + std::to_string(token_id));
}

std::optional<Principal> Auth::token_principal(const std::string& token) {
  if (token.empty() || token.size() > 200) return std::nullopt;
  auto& a = store_.access();
  auto t = a.token_by_hash(secret_hash(token));
  if (!t || t->revoked_at) return std::nullopt;
  auto u = a.user(t->user_id);
  if (!u || u->disabled_at) return std::nullopt;
  // last_used_at to the minute: one write a minute per token, not one per request.
  auto now = now_iso();
  if (!t->last_used_at || t->last_used_at->compare(0, 16, now, 0, 16) != 0)
    a.touch_token(t->id, now);
  auto p = principal_of(store_, *u);
  p.via_token = true;
  p.read_only = t->scope == "read";
  return p;
}

}  // namespace hrtrack::access
