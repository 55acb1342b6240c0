#include "access/directory.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "access/auth.h"
#include "core/text.h"

namespace hrtrack::access {

namespace {

bool valid_username(const std::string& u) {
  static const std::regex re("[A-Za-z0-9][A-Za-z0-9._@-]{1,63}");
  return std::regex_match(u, re);
}

bool valid_email(const std::string& e) {
  if (e.empty()) return true;
  static const std::regex re("[^@\\s<>\"]{1,64}@[^@\\s<>\"]{1,190}\\.[^@\\s<>\"]{1,60}");
  return std::regex_match(e, re);
}

void check_text(const std::string& field, const std::string& v, std::size_t max, bool required) {
  require_text(field, v, max, required);
}

}  // namespace

bool valid_institution_code(const std::string& c) {
  static const std::regex re("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
  return std::regex_match(c, re);
}

bool hidden_from(const Principal& p, const Institution& i) {
  return i.type == "civil_society" && !allowed(p, "identity.protected", {i.id});
}

void check_institution(Store& store, const Principal& p, const Institution& i) {
  auto& a = store.access();
  if (!valid_institution_code(i.code))
    throw InvalidArgument("code: 1 to 40 letters, digits, '.', '_' or '-' (got '" +
                          shorten_for_display(i.code, 40) + "')");
  check_text("name", i.name, 300, true);
  if (!is_institution_type(i.type))
    throw InvalidArgument("type: one of " + join(institution_types(), ", ") + " (got '" +
                          shorten_for_display(i.type, 40) + "')");
  if (i.parent_id) {
    std::set<std::int64_t> seen = {i.id};
    for (std::int64_t cur = i.parent_id; cur;) {
      if (i.id && seen.count(cur))
        throw InvalidArgument("parent: an institution cannot be inside itself");
      seen.insert(cur);
      auto up = a.institution(cur);
      if (!up || (cur == i.parent_id && hidden_from(p, *up)))
        throw InvalidArgument("parent: no institution with id " + std::to_string(cur));
      cur = up->parent_id;
    }
  }
  auto check_user = [&](const char* field, std::int64_t uid) {
    if (!uid) return;
    auto u = a.user(uid);
    std::optional<Institution> home;
    if (u && u->institution_id) home = a.institution(u->institution_id);
    if (!u || (home && hidden_from(p, *home)))
      throw InvalidArgument(std::string(field) + ": no user with id " + std::to_string(uid));
    if (!i.id || u->institution_id != i.id)
      throw InvalidArgument(std::string(field) + ": " + u->username +
                            " does not belong to this institution; add the user to it first");
  };
  check_user("main_focal", i.main_focal_id);
  check_user("alternate_focal", i.alternate_focal_id);
  check_user("validator", i.validator_id);
}

namespace {

bool code_taken(Store& store, const Institution& i) {
  auto other = store.access().institution_by_code(i.code);
  return other && other->id != i.id;
}

}  // namespace

Principal system_principal() {
  Principal p;
  p.user_id = -1;  // not a stored user; signed_in() is true
  const char* login = std::getenv("USER");
  p.username = std::string("cli:") + (login && *login ? login : "local");
  p.display_name = p.username;
  p.roles = {"administrator"};
  return p;
}

Institution create_institution(Store& store, const Principal& p, Institution i) {
  require(p, "institution.create");
  // Who creates a civil-society organisation must be allowed to see it afterwards.
  if (i.type == "civil_society") require(p, "identity.protected");
  i.id = 0;
  check_institution(store, p, i);
  if (code_taken(store, i)) throw InvalidArgument("code: '" + i.code + "' is taken");
  auto txn = store.begin();
  store.access().add_institution(i, p.username);
  txn->commit();
  return i;
}

void update_institution(Store& store, const Principal& p, const Institution& i) {
  auto old = store.access().institution(i.id);
  if (!old) throw NotFound("no institution with id " + std::to_string(i.id));
  require(p, "institution.edit", {i.id});
  if (old->type == "civil_society" || i.type == "civil_society")
    require(p, "identity.protected", {i.id});
  check_institution(store, p, i);
  if (code_taken(store, i)) throw InvalidArgument("code: '" + i.code + "' is taken");
  auto txn = store.begin();
  store.access().update_institution(i, p.username);
  txn->commit();
}

bool can_view_institution(const Principal& p, const Institution& inst) {
  if (!allowed(p, "institution.view", {inst.id})) return false;
  if (inst.type == "civil_society" && !allowed(p, "identity.protected", {inst.id})) return false;
  return true;
}

void require_view_institution(const Principal& p, const Institution& inst) {
  require(p, "institution.view", {inst.id});
  if (inst.type == "civil_society") require(p, "identity.protected", {inst.id});
}

bool can_view_user(Store& store, const Principal& p, const User& u) {
  if (u.id == p.user_id) return true;
  if (allowed(p, "user.manage", {u.institution_id})) {
    if (!u.institution_id) return true;
    auto inst = store.access().institution(u.institution_id);
    return !inst || inst->type != "civil_society" || allowed(p, "identity.protected", {inst->id});
  }
  if (!u.institution_id || !allowed(p, "user.view", {u.institution_id})) return false;
  auto inst = store.access().institution(u.institution_id);
  return inst && can_view_institution(p, *inst);
}

std::vector<Institution> visible_institutions(Store& store, const Principal& p) {
  std::vector<Institution> out;
  for (auto& i : store.access().institutions())
    if (i.type != "civil_society" || allowed(p, "identity.protected", {i.id}))
      out.push_back(std::move(i));
  return out;
}

void check_roles(const std::vector<std::string>& roles, const std::optional<Institution>& inst) {
  if (roles.empty()) throw InvalidArgument("roles: give at least one role");
  for (const auto& r : roles) {
    if (!is_role(r) || r == "public")
      throw InvalidArgument("roles: '" + shorten_for_display(r, 40) +
                            "' is not a role; roles are " +
                            "administrator, coordinator, focal_point, validator, nhri, "
                            "civil_society, parliament, reviewer");
  }
  bool cso_org = inst && inst->type == "civil_society";
  bool cso_role = std::find(roles.begin(), roles.end(), "civil_society") != roles.end();
  if (cso_role && !cso_org)
    throw InvalidArgument(
        "roles: a civil_society user must belong to a civil-society organisation (an institution "
        "of type civil_society)");
  if (cso_org && (roles.size() != 1 || !cso_role))
    throw InvalidArgument(
        "roles: users of a civil-society organisation hold the civil_society role only");
  bool nhri_role = std::find(roles.begin(), roles.end(), "nhri") != roles.end();
  if (nhri_role && !(inst && inst->type == "nhri"))
    throw InvalidArgument("roles: an nhri user must belong to an institution of type nhri");
  for (const char* r : {"focal_point", "validator"})
    if (std::find(roles.begin(), roles.end(), r) != roles.end() && !inst)
      throw InvalidArgument(std::string("roles: a ") + r + " must belong to an institution");
}

User create_user(Store& store, const Principal& p, const NewUser& n) {
  require(p, "user.manage", {n.institution_id});
  if (!valid_username(n.username))
    throw InvalidArgument("username: 2 to 64 letters, digits, '.', '_', '@' or '-' (got '" +
                          shorten_for_display(n.username, 40) + "')");
  check_text("display_name", n.display_name, 200, true);
  check_text("email", n.email, 254, false);
  if (!valid_email(n.email)) throw InvalidArgument("email: not an e-mail address");
  auto& a = store.access();
  std::optional<Institution> inst;
  if (n.institution_id) {
    inst = a.institution(n.institution_id);
    if (!inst)
      throw InvalidArgument("institution: no institution with id " +
                            std::to_string(n.institution_id));
  }
  check_roles(n.roles, inst);
  if (std::find(n.roles.begin(), n.roles.end(), "administrator") != n.roles.end() &&
      !p.has_role("administrator"))
    throw Forbidden("only an administrator can make an administrator");
  if (a.user_by_name(n.username)) throw InvalidArgument("username: '" + n.username + "' is taken");
  User u;
  u.username = n.username;
  u.display_name = std::string(trim(n.display_name));
  u.email = n.email;
  u.institution_id = n.institution_id;
  u.roles = n.roles;
  if (!n.password.empty()) {
    if (auto why = password_problem(n.password, n.username))
      throw InvalidArgument("password: " + *why);
    u.password_hash = hash_password(n.password);
  }
  auto txn = store.begin();
  a.add_user(u, p.username);
  txn->commit();
  return u;
}

namespace {

User load_for_manage(Store& store, const Principal& p, std::int64_t user_id) {
  auto u = store.access().user(user_id);
  if (!u) throw NotFound("no user with id " + std::to_string(user_id));
  require(p, "user.manage", {u->institution_id});
  if (std::find(u->roles.begin(), u->roles.end(), "administrator") != u->roles.end() &&
      !p.has_role("administrator"))
    throw Forbidden("only an administrator can change an administrator");
  return *u;
}

}  // namespace

void set_roles(Store& store, const Principal& p, std::int64_t user_id,
               std::vector<std::string> roles) {
  auto u = load_for_manage(store, p, user_id);
  std::optional<Institution> inst;
  if (u.institution_id) inst = store.access().institution(u.institution_id);
  check_roles(roles, inst);
  if (std::find(roles.begin(), roles.end(), "administrator") != roles.end() &&
      !p.has_role("administrator"))
    throw Forbidden("only an administrator can make an administrator");
  u.roles = std::move(roles);
  auto txn = store.begin();
  store.access().update_user(u, p.username);
  txn->commit();
}

void set_disabled(Store& store, const Principal& p, std::int64_t user_id, bool disabled) {
  auto u = load_for_manage(store, p, user_id);
  if (disabled && u.id == p.user_id) throw InvalidArgument("you cannot disable yourself");
  if (disabled == static_cast<bool>(u.disabled_at)) return;
  u.disabled_at = disabled ? std::optional<std::string>(now_iso()) : std::nullopt;
  auto txn = store.begin();
  store.access().update_user(u, p.username);
  // Sessions are checked against disabled_at on every request; deleting them as well means a
  // re-enabled account does not bring old sessions back.
  if (disabled) store.access().delete_sessions_of(u.id);
  txn->commit();
}

void update_user_details(Store& store, const Principal& p, std::int64_t user_id,
                         const std::string& display_name, const std::string& email,
                         std::int64_t institution_id) {
  auto u = load_for_manage(store, p, user_id);
  check_text("display_name", display_name, 200, true);
  check_text("email", email, 254, false);
  if (!valid_email(email)) throw InvalidArgument("email: not an e-mail address");
  std::optional<Institution> inst;
  if (institution_id) {
    inst = store.access().institution(institution_id);
    if (!inst)
      throw InvalidArgument("institution: no institution with id " +
                            std::to_string(institution_id));
    require(p, "user.manage", {institution_id});
  }
  check_roles(u.roles, inst);
  u.display_name = std::string(trim(display_name));
  u.email = email;
  u.institution_id = institution_id;
  auto txn = store.begin();
  store.access().update_user(u, p.username);
  txn->commit();
}

}  // namespace hrtrack::access

namespace hrtrack::access {

bool IdentityMask::hidden_institution(std::int64_t id) {
  auto it = inst_.find(id);
  if (it != inst_.end()) return it->second;
  auto i = store_.access().institution(id);
  bool hide = i && i->type == "civil_society" && !allowed(p_, "identity.protected", {id});
  inst_[id] = hide;
  return hide;
}

bool IdentityMask::hidden_user(std::int64_t id) {
  auto it = user_.find(id);
  if (it != user_.end()) return it->second;
  auto u = store_.access().user(id);
  bool hide = u && u->institution_id && hidden_institution(u->institution_id);
  user_[id] = hide;
  return hide;
}

void IdentityMask::apply(ChangeEntry& e) {
  auto a = actor_.find(e.actor);
  if (a == actor_.end()) {
    auto u = store_.access().user_by_name(e.actor);
    a = actor_.emplace(e.actor, u && hidden_user(u->id)).first;
  }
  if (a->second) e.actor = kActor;
  bool hide = false;
  auto id = parse_int(e.entity_id);
  if (e.entity == "institution" && id) hide = hidden_institution(*id);
  if (e.entity == "user" && id) hide = hidden_user(*id);
  if (e.entity == "api_token") {
    // The token's creation entry names its user; later entries are masked with their actor.
    if (e.after && e.field == "*") {
      auto j = nlohmann::json::parse(*e.after, nullptr, false);
      if (j.is_object() && j.contains("user_id") && j["user_id"].is_number_integer())
        hide = hidden_user(j["user_id"].get<std::int64_t>());
    }
    hide = hide || a->second;
  }
  if (e.entity == "assessment" && id) {
    // A civil-society assessment's log rows name its organisation (institution_id) and author.
    if (auto x = store_.followup().assessment(*id); x && x->party == Party::CivilSociety)
      hide = hide || hidden_institution(x->institution_id);
  }
  if (hide) {
    if (e.before) e.before = kValue;
    if (e.after) e.after = kValue;
  }
}

}  // namespace hrtrack::access
