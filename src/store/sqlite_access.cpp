// SQLite part of the store for institutions, users, roles, sessions, API tokens and sign-in
// failures (schema: migrations/002_access.sql). Every value is bound; every change to an
// institution, a user, a role or a token goes to the change log, secrets never do.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/access_json.h"
#include "core/error.h"
#include "store/sqlite_parts.h"

namespace hrtrack::store {

namespace {

using ojson = nlohmann::ordered_json;

class SqliteAccess final : public AccessStore {
 public:
  SqliteAccess(Db& db, LogFn log) : db_(db), log_(std::move(log)) {}

  // ---- institutions ----
  static constexpr const char* kInstCols =
      "id, code, name, type, parent_id, main_focal_id, alternate_focal_id, validator_id, "
      "created_at, updated_at";

  static Institution read_inst(const Stmt& s) {
    Institution i;
    i.id = s.int64(0);
    i.code = s.text(1);
    i.name = s.text(2);
    i.type = s.text(3);
    i.parent_id = ref(s, 4);
    i.main_focal_id = ref(s, 5);
    i.alternate_focal_id = ref(s, 6);
    i.validator_id = ref(s, 7);
    i.created_at = s.text(8);
    i.updated_at = s.text(9);
    return i;
  }

  void bind_inst(Stmt& s, const Institution& i) {
    s.bind(1, i.code).bind(2, i.name).bind(3, i.type);
    bind_ref(s, 4, i.parent_id);
    bind_ref(s, 5, i.main_focal_id);
    bind_ref(s, 6, i.alternate_focal_id);
    bind_ref(s, 7, i.validator_id);
  }

  std::int64_t add_institution(Institution& i, const std::string& actor) override {
    i.created_at = i.updated_at = now_iso();
    auto s = db_.prepare(
        "INSERT INTO institution(code, name, type, parent_id, main_focal_id, "
        "alternate_focal_id, validator_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_inst(s, i);
    s.bind(8, i.created_at).bind(9, i.updated_at);
    s.run();
    i.id = db_.last_insert_rowid();
    log_created(log_, actor, "institution", id_text(i.id), to_json(i));
    return i.id;
  }

  void update_institution(const Institution& i, const std::string& actor) override {
    auto old = institution(i.id);
    if (!old) throw NotFound("no institution with id " + id_text(i.id));
    auto s = db_.prepare(
        "UPDATE institution SET code = ?, name = ?, type = ?, parent_id = ?, main_focal_id = ?, "
        "alternate_focal_id = ?, validator_id = ?, updated_at = ? WHERE id = ?");
    bind_inst(s, i);
    s.bind(8, now_iso()).bind(9, i.id);
    s.run();
    log_diff(log_, actor, "institution", id_text(i.id), to_json(*old), to_json(i));
  }

  std::optional<Institution> institution(std::int64_t id) override {
    auto s = db_.prepare(std::string("SELECT ") + kInstCols + " FROM institution WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_inst(s);
  }

  std::optional<Institution> institution_by_code(const std::string& code) override {
    auto s = db_.prepare(std::string("SELECT ") + kInstCols + " FROM institution WHERE code = ?");
    s.bind(1, code);
    if (!s.step()) return std::nullopt;
    return read_inst(s);
  }

  std::vector<Institution> institutions() override {
    auto s = db_.prepare(std::string("SELECT ") + kInstCols +
                         " FROM institution ORDER BY name COLLATE NOCASE, id");
    std::vector<Institution> out;
    while (s.step()) out.push_back(read_inst(s));
    return out;
  }

  // ---- users ----
  static constexpr const char* kUserCols =
      "id, username, display_name, email, institution_id, password_hash, disabled_at, "
      "last_sign_in_at, created_at, updated_at";

  User read_user(const Stmt& s) {
    User u;
    u.id = s.int64(0);
    u.username = s.text(1);
    u.display_name = s.text(2);
    u.email = s.text(3);
    u.institution_id = ref(s, 4);
    u.password_hash = s.text(5);
    u.disabled_at = opt_text(s, 6);
    u.last_sign_in_at = opt_text(s, 7);
    u.created_at = s.text(8);
    u.updated_at = s.text(9);
    return u;
  }

  std::vector<std::string> roles_of(std::int64_t id) {
    auto s = db_.prepare("SELECT role FROM user_role WHERE user_id = ? ORDER BY role");
    s.bind(1, id);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
  }

  void save_roles(std::int64_t id, std::vector<std::string> roles) {
    db_.prepare("DELETE FROM user_role WHERE user_id = ?").bind(1, id).run();
    std::sort(roles.begin(), roles.end());
    roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
    auto s = db_.prepare("INSERT INTO user_role(user_id, role) VALUES (?, ?)");
    for (const auto& r : roles) s.bind(1, id).bind(2, r).run();
  }

  std::int64_t add_user(User& u, const std::string& actor) override {
    u.created_at = u.updated_at = now_iso();
    std::sort(u.roles.begin(), u.roles.end());
    auto s = db_.prepare(
        "INSERT INTO app_user(username, display_name, email, institution_id, password_hash, "
        "disabled_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, u.username).bind(2, u.display_name).bind(3, u.email);
    bind_ref(s, 4, u.institution_id);
    s.bind(5, u.password_hash).bind_opt(6, u.disabled_at).bind(7, u.created_at);
    s.bind(8, u.updated_at);
    s.run();
    u.id = db_.last_insert_rowid();
    save_roles(u.id, u.roles);
    log_created(log_, actor, "user", id_text(u.id), to_json(u));
    if (!u.password_hash.empty()) log_password(u.id, actor);
    return u.id;
  }

  void update_user(const User& u, const std::string& actor) override {
    auto old = user(u.id);
    if (!old) throw NotFound("no user with id " + id_text(u.id));
    auto s = db_.prepare(
        "UPDATE app_user SET username = ?, display_name = ?, email = ?, institution_id = ?, "
        "disabled_at = ?, updated_at = ? WHERE id = ?");
    s.bind(1, u.username).bind(2, u.display_name).bind(3, u.email);
    bind_ref(s, 4, u.institution_id);
    s.bind_opt(5, u.disabled_at).bind(6, now_iso()).bind(7, u.id);
    s.run();
    save_roles(u.id, u.roles);
    User now = u;
    std::sort(now.roles.begin(), now.roles.end());
    now.roles.erase(std::unique(now.roles.begin(), now.roles.end()), now.roles.end());
    log_diff(log_, actor, "user", id_text(u.id), to_json(*old), to_json(now));
  }

  void log_password(std::int64_t id, const std::string& actor) {
    ChangeEntry e;
    e.actor = actor;
    e.entity = "user";
    e.entity_id = id_text(id);
    e.field = "password";
    e.after = "(changed; the change log never holds passwords or their hashes)";
    log_(e);
  }

  void set_password_hash(std::int64_t user_id, const std::string& hash,
                         const std::string& actor) override {
    auto s = db_.prepare("UPDATE app_user SET password_hash = ?, updated_at = ? WHERE id = ?");
    s.bind(1, hash).bind(2, now_iso()).bind(3, user_id).run();
    if (db_.changes() == 0) throw NotFound("no user with id " + id_text(user_id));
    log_password(user_id, actor);
  }

  void set_last_sign_in(std::int64_t user_id, const std::string& at) override {
    db_.prepare("UPDATE app_user SET last_sign_in_at = ? WHERE id = ?")
        .bind(1, at)
        .bind(2, user_id)
        .run();
  }

  std::optional<User> user(std::int64_t id) override {
    auto s = db_.prepare(std::string("SELECT ") + kUserCols + " FROM app_user WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    auto u = read_user(s);
    u.roles = roles_of(u.id);
    return u;
  }

  std::optional<User> user_by_name(const std::string& username) override {
    auto s = db_.prepare(std::string("SELECT ") + kUserCols + " FROM app_user WHERE username = ?");
    s.bind(1, username);
    if (!s.step()) return std::nullopt;
    auto u = read_user(s);
    u.roles = roles_of(u.id);
    return u;
  }

  std::vector<User> users(std::int64_t institution_id) override {
    auto s = db_.prepare(std::string("SELECT ") + kUserCols +
                         " FROM app_user WHERE (? = 0 OR institution_id = ?) "
                         "ORDER BY username COLLATE NOCASE");
    s.bind(1, institution_id).bind(2, institution_id);
    std::vector<User> out;
    while (s.step()) out.push_back(read_user(s));
    for (auto& u : out) u.roles = roles_of(u.id);
    return out;
  }

  // ---- sessions ----
  void add_session(const SessionRow& r) override {
    db_.prepare(
           "INSERT INTO session(token_hash, user_id, csrf, created_at, expires_at, address) "
           "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, r.token_hash)
        .bind(2, r.user_id)
        .bind(3, r.csrf)
        .bind(4, r.created_at)
        .bind(5, r.expires_at)
        .bind(6, r.address)
        .run();
  }

  std::optional<SessionRow> session(const std::string& token_hash) override {
    auto s = db_.prepare(
        "SELECT token_hash, user_id, csrf, created_at, expires_at, address FROM session "
        "WHERE token_hash = ?");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return SessionRow{s.text(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5)};
  }

  void delete_session(const std::string& token_hash) override {
    db_.prepare("DELETE FROM session WHERE token_hash = ?").bind(1, token_hash).run();
  }

  void delete_sessions_of(std::int64_t user_id) override {
    db_.prepare("DELETE FROM session WHERE user_id = ?").bind(1, user_id).run();
  }

  void delete_expired_sessions(const std::string& now) override {
    db_.prepare("DELETE FROM session WHERE expires_at < ?").bind(1, now).run();
  }

  // ---- API tokens ----
  static ApiToken read_token(const Stmt& s) {
    ApiToken t;
    t.id = s.int64(0);
    t.user_id = s.int64(1);
    t.name = s.text(2);
    t.token_hash = s.text(3);
    t.scope = s.text(4);
    t.created_at = s.text(5);
    t.last_used_at = opt_text(s, 6);
    t.revoked_at = opt_text(s, 7);
    return t;
  }
  static constexpr const char* kTokenCols =
      "id, user_id, name, token_hash, scope, created_at, last_used_at, revoked_at";

  std::int64_t add_token(ApiToken& t, const std::string& actor) override {
    t.created_at = now_iso();
    db_.prepare(
           "INSERT INTO api_token(user_id, name, token_hash, scope, created_at) "
           "VALUES (?, ?, ?, ?, ?)")
        .bind(1, t.user_id)
        .bind(2, t.name)
        .bind(3, t.token_hash)
        .bind(4, t.scope)
        .bind(5, t.created_at)
        .run();
    t.id = db_.last_insert_rowid();
    log_created(log_, actor, "api_token", id_text(t.id), to_json(t));
    return t.id;
  }

  std::optional<ApiToken> token_by_hash(const std::string& token_hash) override {
    auto s =
        db_.prepare(std::string("SELECT ") + kTokenCols + " FROM api_token WHERE token_hash = ?");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return read_token(s);
  }

  std::vector<ApiToken> tokens_of(std::int64_t user_id) override {
    auto s = db_.prepare(std::string("SELECT ") + kTokenCols +
                         " FROM api_token WHERE user_id = ? ORDER BY id");
    s.bind(1, user_id);
    std::vector<ApiToken> out;
    while (s.step()) out.push_back(read_token(s));
    return out;
  }

  void revoke_token(std::int64_t id, const std::string& at, const std::string& actor) override {
    auto s = db_.prepare("UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    s.bind(1, at).bind(2, id).run();
    if (db_.changes() == 0) return;
    ChangeEntry e;
    e.actor = actor;
    e.entity = "api_token";
    e.entity_id = id_text(id);
    e.field = "revoked_at";
    e.after = at;
    log_(e);
  }

  void touch_token(std::int64_t id, const std::string& at) override {
    db_.prepare("UPDATE api_token SET last_used_at = ? WHERE id = ?").bind(1, at).bind(2, id).run();
  }

  // ---- password reset tokens ----
  void add_reset_token(const std::string& token_hash, std::int64_t user_id,
                       const std::string& created_at, const std::string& expires_at) override {
    // One valid link per user: a new one cancels those not used yet.
    db_.prepare("DELETE FROM reset_token WHERE user_id = ? AND used_at IS NULL")
        .bind(1, user_id)
        .run();
    db_.prepare(
           "INSERT INTO reset_token(token_hash, user_id, created_at, expires_at) "
           "VALUES (?, ?, ?, ?)")
        .bind(1, token_hash)
        .bind(2, user_id)
        .bind(3, created_at)
        .bind(4, expires_at)
        .run();
  }

  std::optional<std::int64_t> use_reset_token(const std::string& token_hash,
                                              const std::string& now) override {
    auto s = db_.prepare(
        "UPDATE reset_token SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND "
        "expires_at > ? RETURNING user_id");
    s.bind(1, now).bind(2, token_hash).bind(3, now);
    if (!s.step()) return std::nullopt;
    auto id = s.int64(0);
    while (s.step()) {
    }
    return id;
  }

  // ---- throttling ----
  void record_failure(const std::string& kind, const std::string& key,
                      std::int64_t at_ms) override {
    // Rows older than an hour serve no window: prune them with each new failure.
    db_.prepare("DELETE FROM login_failure WHERE at_ms < ?").bind(1, at_ms - 3'600'000).run();
    db_.prepare("INSERT INTO login_failure(kind, key, at_ms) VALUES (?, ?, ?)")
        .bind(1, kind)
        .bind(2, key)
        .bind(3, at_ms)
        .run();
  }

  long count_failures(const std::string& kind, const std::string& key,
                      std::int64_t since_ms) override {
    auto s =
        db_.prepare("SELECT COUNT(*) FROM login_failure WHERE kind = ? AND key = ? AND at_ms >= ?");
    s.bind(1, kind).bind(2, key).bind(3, since_ms);
    s.step();
    return static_cast<long>(s.int64(0));
  }

 private:
  Db& db_;
  LogFn log_;
};

}  // namespace

std::unique_ptr<AccessStore> make_sqlite_access(Db& db, LogFn log) {
  return std::make_unique<SqliteAccess>(db, std::move(log));
}

}  // namespace hrtrack::store
