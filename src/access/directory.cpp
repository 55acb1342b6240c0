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
#include "ingest/table.h"

namespace hrtrack::access {

namespace {

bool valid_code(const std::string& c) {
  static const std::regex re("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
  return std::regex_match(c, re);
}

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

// What `p` may not know exists: a civil-society organisation without identity.protected for it.
bool hidden_from(const Principal& p, const Institution& i) {
  return i.type == "civil_society" && !allowed(p, "identity.protected", {i.id});
}

// Validates everything about `i` but uniqueness of the code (the database enforces it). A
// parent or a user that `p` may not see gets the same answer as one that does not exist.
void validate(Store& store, const Principal& p, const Institution& i) {
  auto& a = store.access();
  if (!valid_code(i.code))
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
  validate(store, p, i);
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
  validate(store, p, i);
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

std::vector<Institution> visible_institutions(Store& store, const Principal& p) {
  std::vector<Institution> out;
  for (auto& i : store.access().institutions())
    if (i.type != "civil_society" || allowed(p, "identity.protected", {i.id}))
      out.push_back(std::move(i));
  return out;
}

CsvImportResult import_institutions_csv(Store& store, const Principal& p, const std::string& path) {
  require(p, "institution.create");
  require(p, "institution.edit");
  CsvImportResult res;
  auto t = ingest::open_csv(path, res.problems);
  std::string file = path.substr(path.find_last_of('/') + 1);
  std::map<std::string, int> col;
  for (std::size_t c = 0; c < t->header().size(); ++c) col[std::string(trim(t->header()[c]))] = c;
  for (const char* need : {"code", "name", "type"})
    if (!col.count(need))
      res.problems.push_back({file, 1, need, "", "required column missing", false});
  if (!res.problems.empty()) return res;
  struct In {
    long row;
    Institution inst;
    std::string parent, focal[3];
  };
  std::vector<In> rows;
  std::map<std::string, std::size_t> by_code;
  auto cell = [&](const ingest::Row& r, const char* name) -> std::string {
    auto it = col.find(name);
    if (it == col.end() || static_cast<std::size_t>(it->second) >= r.cells.size()) return "";
    return std::string(trim(r.cells[it->second]));
  };
  ingest::Row r;
  while (t->next(r)) {
    if (r.bad) continue;
    In in;
    in.row = r.number;
    in.inst.code = cell(r, "code");
    in.inst.name = cell(r, "name");
    in.inst.type = ascii_lower(cell(r, "type"));
    std::replace(in.inst.type.begin(), in.inst.type.end(), ' ', '_');
    in.parent = cell(r, "parent_code");
    in.focal[0] = cell(r, "main_focal");
    in.focal[1] = cell(r, "alternate_focal");
    in.focal[2] = cell(r, "validator");
    if (by_code.count(in.inst.code)) {
      res.problems.push_back(
          {file, r.number, "code", in.inst.code,
           "listed twice (first in row " + std::to_string(rows[by_code[in.inst.code]].row) + ")",
           false});
      continue;
    }
    // What can be checked without the database, so that every such problem is reported at once.
    if (!valid_code(in.inst.code))
      res.problems.push_back({file, r.number, "code", in.inst.code,
                              "1 to 40 letters, digits, '.', '_' or '-'", false});
    if (in.inst.name.empty())
      res.problems.push_back({file, r.number, "name", "", "required", false});
    if (!is_institution_type(in.inst.type))
      res.problems.push_back({file, r.number, "type", in.inst.type,
                              "one of " + join(institution_types(), ", "), false});
    by_code[in.inst.code] = rows.size();
    rows.push_back(std::move(in));
  }
  auto& a = store.access();
  // Parents first: a depth-first walk over the rows, reporting cycles.
  std::vector<std::size_t> order;
  std::vector<int> state(rows.size(), 0);  // 0 new, 1 on the path, 2 done
  std::function<void(std::size_t)> visit = [&](std::size_t k) {
    if (state[k] == 2) return;
    if (state[k] == 1) {
      res.problems.push_back(
          {file, rows[k].row, "parent_code", rows[k].parent, "the parents form a cycle", false});
      return;
    }
    state[k] = 1;
    if (!rows[k].parent.empty()) {
      auto it = by_code.find(rows[k].parent);
      if (it != by_code.end()) {
        visit(it->second);
      } else if (auto par = a.institution_by_code(rows[k].parent); !par || hidden_from(p, *par)) {
        res.problems.push_back({file, rows[k].row, "parent_code", rows[k].parent,
                                "no institution has this code (in the file or the database)",
                                false});
      }
    }
    state[k] = 2;
    order.push_back(k);
  };
  for (std::size_t k = 0; k < rows.size(); ++k) visit(k);
  if (!res.problems.empty()) return res;

  auto txn = store.begin();
  for (auto k : order) {
    auto& in = rows[k];
    auto existing = a.institution_by_code(in.inst.code);
    Institution i = existing ? *existing : Institution{};
    i.code = in.inst.code;
    i.name = in.inst.name;
    i.type = in.inst.type;
    i.parent_id = in.parent.empty() ? 0 : a.institution_by_code(in.parent)->id;
    static const char* names[3] = {"main_focal", "alternate_focal", "validator"};
    std::int64_t* slots[3] = {&i.main_focal_id, &i.alternate_focal_id, &i.validator_id};
    bool row_ok = true;
    for (int f = 0; f < 3; ++f) {
      if (in.focal[f].empty()) continue;
      auto u = a.user_by_name(in.focal[f]);
      std::optional<Institution> home;
      if (u && u->institution_id) home = a.institution(u->institution_id);
      if (!u || (home && hidden_from(p, *home))) {
        res.problems.push_back(
            {file, in.row, names[f], in.focal[f], "no user has this name", false});
        row_ok = false;
        continue;
      }
      *slots[f] = u->id;
    }
    if (!row_ok) continue;
    try {
      validate(store, p, i);
    } catch (const InvalidArgument& e) {
      // "field: message" -> column and reason
      std::string m = e.what();
      auto colon = m.find(": ");
      res.problems.push_back({file, in.row, colon == std::string::npos ? "" : m.substr(0, colon),
                              "", colon == std::string::npos ? m : m.substr(colon + 2), false});
      continue;
    }
    if (existing) {
      if (existing->type == "civil_society" || i.type == "civil_society")
        require(p, "identity.protected", {i.id});
      a.update_institution(i, p.username);
      ++res.updated;
    } else {
      a.add_institution(i, p.username);
      ++res.created;
    }
  }
  if (!res.problems.empty()) {
    res.created = res.updated = 0;
    return res;  // the transaction rolls back
  }
  txn->commit();
  return res;
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
    if (auto x = store_.followup().assessment(*id); x && x->party == "civil_society")
      hide = hide || hidden_institution(x->institution_id);
  }
  if (hide) {
    if (e.before) e.before = kValue;
    if (e.after) e.after = kValue;
  }
}

}  // namespace hrtrack::access
