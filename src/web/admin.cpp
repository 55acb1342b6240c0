// Institutions, users, the change log and a record's history: pages and JSON API. The rules
// (who may do what, what is valid) are in access/directory.h and the permission table; these
// handlers read forms, call them and render.
#include <algorithm>

#include "access/auth.h"
#include "access/directory.h"
#include "core/error.h"
#include "core/text.h"
#include "web/app.h"
#include "web/render.h"
#include "web/routes.h"

namespace hrtrack::web {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

std::string text(const Request& rq, const std::string& id) {
  return rq.app->catalogues()->text(rq.lang, id);
}

void require_signed_in(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see institutions");
}

std::string inst_href(std::int64_t id) {
  return "/institutions/" + std::to_string(id);
}
std::string user_href(std::int64_t id) {
  return "/users/" + std::to_string(id);
}

std::vector<std::string> roles_field(const Request& rq) {
  std::vector<std::string> out;
  for (const auto& [k, v] : rq.form)
    if (k == "role" || k == "roles")
      for (auto& r : split_trim(v, ",")) out.push_back(r);
  return out;
}

std::string roles_label(const Request& rq, const std::vector<std::string>& roles) {
  std::vector<std::string> out;
  for (const auto& r : roles) out.push_back(text(rq, "value.role." + r));
  return join(out, ", ");
}

json type_options(const Request& rq, const std::string& selected) {
  json out = json::array();
  for (const auto& t : institution_types())
    out.push_back({{"value", t},
                   {"label", text(rq, "value.institution_type." + t)},
                   {"selected", t == selected}});
  return out;
}

json institution_options(const Request& rq, std::int64_t selected, std::int64_t exclude = 0) {
  json out = json::array();
  for (const auto& i : access::visible_institutions(rq.app->store(), rq.principal))
    if (i.id != exclude)
      out.push_back({{"value", std::to_string(i.id)},
                     {"label", i.name + " (" + i.code + ")"},
                     {"selected", i.id == selected}});
  return out;
}

ojson institution_json(const Institution& i, bool with_people, Store& store) {
  ojson j;
  j["id"] = i.id;
  j["code"] = i.code;
  j["name"] = i.name;
  j["type"] = i.type;
  j["parent_id"] = i.parent_id ? ojson(i.parent_id) : ojson(nullptr);
  if (with_people) {
    auto person = [&](std::int64_t id) -> ojson {
      if (!id) return nullptr;
      auto u = store.access().user(id);
      if (!u) return nullptr;
      return {{"id", u->id},
              {"username", u->username},
              {"display_name", u->display_name},
              {"email", u->email}};
    };
    j["main_focal"] = person(i.main_focal_id);
    j["alternate_focal"] = person(i.alternate_focal_id);
    j["validator"] = person(i.validator_id);
  }
  return j;
}

ojson user_json(const User& u) {
  ojson j;
  j["id"] = u.id;
  j["username"] = u.username;
  j["display_name"] = u.display_name;
  j["email"] = u.email;
  j["institution_id"] = u.institution_id ? ojson(u.institution_id) : ojson(nullptr);
  j["roles"] = u.roles;
  j["disabled"] = u.disabled_at.has_value();
  j["last_sign_in_at"] = u.last_sign_in_at ? ojson(*u.last_sign_in_at) : ojson(nullptr);
  return j;
}

Institution load_institution(const Request& rq) {
  auto i = rq.app->store().access().institution(rq.id_param("id"));
  if (!i) throw NotFound("no institution with id " + rq.path_param("id"));
  return *i;
}

User load_user(const Request& rq) {
  auto u = rq.app->store().access().user(rq.id_param("id"));
  if (!u) throw NotFound("no user with id " + rq.path_param("id"));
  return *u;
}

// May `p` see user `u` (its institution's people)?
bool can_see_user(Store& store, const access::Principal& p, const User& u) {
  if (u.id == p.user_id) return true;
  if (access::allowed(p, "user.manage", {u.institution_id})) {
    if (!u.institution_id) return true;
    auto inst = store.access().institution(u.institution_id);
    return !inst || inst->type != "civil_society" ||
           access::allowed(p, "identity.protected", {inst->id});
  }
  if (!u.institution_id || !access::allowed(p, "user.view", {u.institution_id})) return false;
  auto inst = store.access().institution(u.institution_id);
  return inst && access::can_view_institution(p, *inst);
}

// The form of an institution applied to `base`.
Institution institution_from_form(const Request& rq, Institution base, bool with_people) {
  base.code = std::string(trim(rq.field("code")));
  base.name = std::string(trim(rq.field("name")));
  base.type = rq.field("type");
  base.parent_id = rq.id_field("parent");
  if (with_people) {
    base.main_focal_id = rq.id_field("main_focal");
    base.alternate_focal_id = rq.id_field("alternate_focal");
    base.validator_id = rq.id_field("validator");
  }
  return base;
}

// ---- pages ----

Response render_institutions(const Request& rq, const std::string& error, int status) {
  require_signed_in(rq);
  auto& store = rq.app->store();
  auto all = access::visible_institutions(store, rq.principal);
  std::map<std::int64_t, std::string> names;
  for (const auto& i : all) names[i.id] = i.name;
  json items = json::array();
  for (const auto& i : all)
    items.push_back({{"code", i.code},
                     {"name", i.name},
                     {"href", inst_href(i.id)},
                     {"viewable", access::can_view_institution(rq.principal, i)},
                     {"type", text(rq, "value.institution_type." + i.type)},
                     {"parent", i.parent_id ? names[i.parent_id] : ""}});
  json d;
  d["items"] = items;
  d["has_items"] = !items.empty();
  d["can_create"] = access::allowed(rq.principal, "institution.create");
  d["types"] = type_options(rq, rq.field("type").empty() ? "executive" : rq.field("type"));
  d["parents"] = institution_options(rq, rq.id_field("parent"));
  d["form"] = {{"code", rq.field("code")}, {"name", rq.field("name")}};
  d["error"] = error;
  d["nav"] = {{"institutions", true}};
  return render_page(rq, "institutions", text(rq, "inst.title"), d, status);
}

Response render_institution(const Request& rq, const Institution& inst, const std::string& error,
                            const std::string& notice, int status) {
  auto& store = rq.app->store();
  auto& a = store.access();
  access::require_view_institution(rq.principal, inst);
  json d;
  d["inst"] = {{"code", inst.code},
               {"name", inst.name},
               {"type_label", text(rq, "value.institution_type." + inst.type)}};
  if (inst.parent_id)
    if (auto p = a.institution(inst.parent_id))
      if (p->type != "civil_society" ||
          access::allowed(rq.principal, "identity.protected", {p->id}))
        d["parent"] = {{"name", p->name}, {"href", inst_href(p->id)}};
  json focal = json::array();
  std::pair<const char*, std::int64_t> slots[] = {{"inst.main_focal", inst.main_focal_id},
                                                  {"inst.alternate_focal", inst.alternate_focal_id},
                                                  {"inst.validator", inst.validator_id}};
  for (auto [label, id] : slots)
    if (id)
      if (auto u = a.user(id))
        focal.push_back(
            {{"label", text(rq, label)}, {"name", u->display_name}, {"email", u->email}});
  d["focal"] = focal;
  json children = json::array();
  for (const auto& c : access::visible_institutions(store, rq.principal))
    if (c.parent_id == inst.id) children.push_back({{"name", c.name}, {"href", inst_href(c.id)}});
  d["children"] = children;
  d["has_children"] = !children.empty();
  bool can_users = access::allowed(rq.principal, "user.view", {inst.id});
  d["can_users"] = can_users;
  auto users = a.users(inst.id);
  if (can_users) {
    json list = json::array();
    bool manage = access::allowed(rq.principal, "user.manage", {inst.id});
    for (const auto& u : users)
      list.push_back({{"username", u.username},
                      {"display_name", u.display_name},
                      {"email", u.email},
                      {"roles", roles_label(rq, u.roles)},
                      {"disabled", u.disabled_at.has_value()},
                      {"manage", manage},
                      {"href", user_href(u.id)}});
    d["users"] = list;
    d["has_users"] = !list.empty();
  }
  bool can_edit = access::allowed(rq.principal, "institution.edit", {inst.id});
  d["can_edit"] = can_edit;
  if (can_edit) {
    d["types"] = type_options(rq, inst.type);
    d["parents"] = institution_options(rq, inst.parent_id, inst.id);
    json slot_list = json::array();
    std::tuple<const char*, const char*, std::int64_t> fields[] = {
        {"main_focal", "inst.main_focal", inst.main_focal_id},
        {"alternate_focal", "inst.alternate_focal", inst.alternate_focal_id},
        {"validator", "inst.validator", inst.validator_id}};
    for (auto [field, label, current] : fields) {
      json options = json::array();
      for (const auto& u : users)
        options.push_back({{"value", std::to_string(u.id)},
                           {"label", u.display_name + " (" + u.username + ")"},
                           {"selected", u.id == current}});
      slot_list.push_back({{"field", field}, {"label", text(rq, label)}, {"options", options}});
    }
    d["slots"] = slot_list;
  }
  d["self_href"] = inst_href(inst.id);
  d["error"] = error;
  d["notice"] = notice;
  d["nav"] = {{"institutions", true}};
  return render_page(rq, "institution", inst.name, d, status);
}

}  // namespace

Response page_institutions(const Request& rq) {
  return render_institutions(rq, "", 200);
}

Response post_institution_create(const Request& rq) {
  Institution i;
  try {
    i = access::create_institution(rq.app->store(), rq.principal,
                                   institution_from_form(rq, Institution{}, false));
  } catch (const InvalidArgument& e) {
    return render_institutions(rq, e.what(), 400);
  }
  return Response::redirect(inst_href(i.id) + "?done=saved");
}

Response page_institution(const Request& rq) {
  auto notice = single(rq.query, "done").value_or("") == "saved" ? text(rq, "inst.saved") : "";
  return render_institution(rq, load_institution(rq), "", notice, 200);
}

Response post_institution_edit(const Request& rq) {
  auto inst = load_institution(rq);
  try {
    access::update_institution(rq.app->store(), rq.principal,
                               institution_from_form(rq, inst, true));
  } catch (const InvalidArgument& e) {
    return render_institution(rq, inst, e.what(), "", 400);
  }
  return Response::redirect(inst_href(inst.id) + "?done=saved");
}

namespace {

Response render_users(const Request& rq, const std::string& error, const std::string& reset_link,
                      int status) {
  const auto& p = rq.principal;
  bool manage = access::allowed(p, "user.manage");
  if (!manage && access::scope_of(p, "user.view") != access::Scope::Any)
    throw access::Forbidden("your roles do not allow listing every user");
  auto& store = rq.app->store();
  std::map<std::int64_t, std::string> names;
  for (const auto& i : store.access().institutions()) names[i.id] = i.name;
  json users = json::array();
  for (const auto& u : store.access().users())
    if (can_see_user(store, p, u))
      users.push_back({{"username", u.username},
                       {"display_name", u.display_name},
                       {"institution", u.institution_id ? names[u.institution_id] : ""},
                       {"roles", roles_label(rq, u.roles)},
                       {"disabled", u.disabled_at.has_value()},
                       {"last_sign_in", u.last_sign_in_at.value_or("").substr(0, 16)},
                       {"href", user_href(u.id)}});
  json d;
  d["users"] = users;
  d["can_manage"] = manage;
  d["institutions"] = institution_options(rq, 0);
  json roles = json::array();
  for (const auto& r : access::roles())
    if (r != "public") roles.push_back({{"value", r}, {"label", text(rq, "value.role." + r)}});
  d["roles"] = roles;
  d["form"] = {{"username", rq.field("username")},
               {"display_name", rq.field("display_name")},
               {"email", rq.field("email")}};
  d["error"] = error;
  d["reset_link"] = reset_link;
  d["nav"] = {{"users", true}};
  return render_page(rq, "users", text(rq, "users.title"), d, status);
}

std::string reset_link(const Request& rq, const std::string& token) {
  (void)rq;
  return "/reset?token=" + token;
}

access::NewUser new_user_from_form(const Request& rq) {
  access::NewUser n;
  n.username = std::string(trim(rq.field("username")));
  n.display_name = rq.field("display_name");
  n.email = std::string(trim(rq.field("email")));
  n.institution_id = rq.id_field("institution");
  n.roles = roles_field(rq);
  return n;
}

Response render_user(const Request& rq, const User& u, const std::string& error,
                     const std::string& notice, const std::string& reset, int status) {
  auto& store = rq.app->store();
  if (!can_see_user(store, rq.principal, u))
    throw access::Forbidden("your roles do not allow seeing this user");
  json d;
  d["user"] = {{"username", u.username}, {"display_name", u.display_name}, {"email", u.email}};
  if (u.institution_id)
    if (auto i = store.access().institution(u.institution_id))
      d["institution"] = {{"name", i->name}, {"href", inst_href(i->id)}};
  d["roles"] = roles_label(rq, u.roles);
  d["disabled"] = u.disabled_at.has_value();
  d["last_sign_in"] = u.last_sign_in_at.value_or("").substr(0, 16);
  d["can_manage"] = access::allowed(rq.principal, "user.manage", {u.institution_id});
  json options = json::array();
  for (const auto& r : access::roles())
    if (r != "public")
      options.push_back(
          {{"value", r},
           {"label", text(rq, "value.role." + r)},
           {"checked", std::find(u.roles.begin(), u.roles.end(), r) != u.roles.end()}});
  d["role_options"] = options;
  d["self_href"] = user_href(u.id);
  d["error"] = error;
  d["notice"] = notice;
  d["reset_link"] = reset;
  d["nav"] = {{"users", true}};
  return render_page(rq, "user", u.display_name, d, status);
}

}  // namespace

Response page_users(const Request& rq) {
  return render_users(rq, "", "", 200);
}

Response post_user_create(const Request& rq) {
  auto& store = rq.app->store();
  User u;
  try {
    u = access::create_user(store, rq.principal, new_user_from_form(rq));
  } catch (const InvalidArgument& e) {
    return render_users(rq, e.what(), "", 400);
  }
  return render_user(rq, u, "", text(rq, "users.created"),
                     reset_link(rq, access::Auth(store).issue_reset(u.id, rq.principal.username)),
                     200);
}

Response page_user(const Request& rq) {
  auto done = single(rq.query, "done").value_or("");
  return render_user(rq, load_user(rq), "", done == "saved" ? text(rq, "users.saved") : "", "",
                     200);
}

Response post_user_roles(const Request& rq) {
  auto u = load_user(rq);
  try {
    access::set_roles(rq.app->store(), rq.principal, u.id, roles_field(rq));
  } catch (const InvalidArgument& e) {
    return render_user(rq, u, e.what(), "", "", 400);
  }
  return Response::redirect(user_href(u.id) + "?done=saved");
}

Response post_user_disable(const Request& rq) {
  auto u = load_user(rq);
  access::set_disabled(rq.app->store(), rq.principal, u.id, true);
  return Response::redirect(user_href(u.id) + "?done=saved");
}

Response post_user_enable(const Request& rq) {
  auto u = load_user(rq);
  access::set_disabled(rq.app->store(), rq.principal, u.id, false);
  return Response::redirect(user_href(u.id) + "?done=saved");
}

Response post_user_reset(const Request& rq) {
  auto u = load_user(rq);
  access::require(rq.principal, "user.manage", {u.institution_id});
  auto token = access::Auth(rq.app->store()).issue_reset(u.id, rq.principal.username);
  return render_user(rq, u, "", "", reset_link(rq, token), 200);
}

// ---- the change log ----

namespace {

ChangeFilter log_filter(const Request& rq) {
  ChangeFilter f;
  f.actor = single(rq.query, "actor").value_or("");
  f.entity = single(rq.query, "entity").value_or("");
  f.entity_id = single(rq.query, "entity_id").value_or("");
  f.since = single(rq.query, "since").value_or("");
  f.until = single(rq.query, "until").value_or("");
  // "2026-11-27" as `until` means up to the end of that day.
  if (f.until.size() == 10) f.until += "T99";
  if (auto b = single(rq.query, "before_id"))
    f.before_id = parse_bounded("before_id", *b, 1, 1L << 62);
  f.limit = 100;
  if (auto l = single(rq.query, "limit")) f.limit = parse_bounded("limit", *l, 1, 1000);
  f.newest_first = true;
  return f;
}

std::vector<ChangeEntry> read_log(const Request& rq, const ChangeFilter& f) {
  auto& store = rq.app->store();
  access::IdentityMask mask(store, rq.principal);
  std::vector<ChangeEntry> out;
  store.for_each_change(f, [&](const ChangeEntry& e) {
    out.push_back(e);
    mask.apply(out.back());
  });
  return out;
}

// Every change of a recommendation: its own fields, its official status, and its plans,
// progress updates, assessments and assignments (newest first, masked for the viewer).
std::vector<ChangeEntry> record_history(const Request& rq, const std::string& uid) {
  auto& store = rq.app->store();
  auto& f = store.followup();
  std::vector<std::pair<std::string, std::string>> targets = {{"recommendation", uid},
                                                              {"official_status", uid}};
  for (const auto& x : f.plans_for(uid))
    if (x.rec_uid == uid) targets.emplace_back("plan", std::to_string(x.id));
  for (const auto& u : f.updates_for(uid))
    targets.emplace_back("progress_update", std::to_string(u.id));
  for (const auto& a : f.assessments_for(uid))
    targets.emplace_back("assessment", std::to_string(a.id));
  for (const auto& a : f.assignments_for(uid))
    if (a.rec_uid == uid) targets.emplace_back("assignment", std::to_string(a.id));
  std::vector<ChangeEntry> out;
  for (const auto& [entity, id] : targets) {
    ChangeFilter cf;
    cf.entity = entity;
    cf.entity_id = id;
    auto part = read_log(rq, cf);
    out.insert(out.end(), part.begin(), part.end());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  return out;
}

json entries_json(const std::vector<ChangeEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries)
    out.push_back({{"at", e.at.substr(0, 19)},
                   {"actor", e.actor},
                   {"entity", e.entity},
                   {"entity_id", e.entity_id},
                   {"field", e.field},
                   {"before", shorten_for_display(e.before.value_or(""), 300)},
                   {"after", shorten_for_display(e.after.value_or(""), 300)}});
  return out;
}

ojson entries_api(const std::vector<ChangeEntry>& entries) {
  ojson out = ojson::array();
  for (const auto& e : entries)
    out.push_back({{"id", e.id},
                   {"at", e.at},
                   {"actor", e.actor},
                   {"entity", e.entity},
                   {"entity_id", e.entity_id},
                   {"field", e.field},
                   {"before", e.before ? ojson(*e.before) : ojson(nullptr)},
                   {"after", e.after ? ojson(*e.after) : ojson(nullptr)}});
  return out;
}

}  // namespace

Response page_log(const Request& rq) {
  auto f = log_filter(rq);
  auto entries = read_log(rq, f);
  json d;
  d["heading"] = text(rq, "log.heading");
  d["has_filters"] = true;
  d["f"] = {{"actor", f.actor},
            {"entity", f.entity},
            {"entity_id", f.entity_id},
            {"since", f.since},
            {"until", single(rq.query, "until").value_or("")}};
  d["entries"] = entries_json(entries);
  d["has_entries"] = !entries.empty();
  if (static_cast<long>(entries.size()) == f.limit) {
    auto p = params_without(rq.query, {"before_id"});
    p.emplace_back("before_id", std::to_string(entries.back().id));
    d["older_href"] = url_with("/log", p);
  }
  d["nav"] = {{"log", true}};
  return render_page(rq, "log", text(rq, "log.title"), d);
}

Response page_history(const Request& rq) {
  auto uid = rq.path_param("uid");
  auto r = rq.app->store().get(uid);
  if (!r) throw NotFound("no recommendation with id " + uid);
  auto entries = record_history(rq, uid);
  json d;
  d["heading"] = rq.app->catalogues()->format(rq.lang, "history.heading", {{"uid", uid}});
  d["record"] = {{"href", "/recommendations/" + uid}, {"label", text(rq, "history.back")}};
  d["entries"] = entries_json(entries);
  d["has_entries"] = !entries.empty();
  return render_page(rq, "log", d["heading"], d);
}

// ---- JSON API ----

Response api_institutions(const Request& rq) {
  require_signed_in(rq);
  auto& store = rq.app->store();
  ojson arr = ojson::array();
  for (const auto& i : access::visible_institutions(store, rq.principal))
    arr.push_back(institution_json(i, false, store));
  return Response::json({{"institutions", arr}});
}

Response api_institution(const Request& rq) {
  auto inst = load_institution(rq);
  access::require_view_institution(rq.principal, inst);
  return Response::json(institution_json(inst, true, rq.app->store()));
}

Response api_institution_create(const Request& rq) {
  auto& store = rq.app->store();
  auto i = access::create_institution(store, rq.principal,
                                      institution_from_form(rq, Institution{}, false));
  return Response::json(institution_json(i, true, store), 201);
}

Response api_institution_update(const Request& rq) {
  auto& store = rq.app->store();
  auto inst = load_institution(rq);
  // Fields not sent keep their values (a partial update).
  auto keep = [&](const char* name, const std::string& current) {
    return single(rq.form, name) ? rq.field(name) : current;
  };
  Institution i = inst;
  i.code = keep("code", inst.code);
  i.name = keep("name", inst.name);
  i.type = keep("type", inst.type);
  auto keep_id = [&](const char* name, std::int64_t current) {
    return single(rq.form, name) || std::any_of(rq.form.begin(), rq.form.end(),
                                                [&](const auto& kv) { return kv.first == name; })
               ? rq.id_field(name)
               : current;
  };
  i.parent_id = keep_id("parent", inst.parent_id);
  i.main_focal_id = keep_id("main_focal", inst.main_focal_id);
  i.alternate_focal_id = keep_id("alternate_focal", inst.alternate_focal_id);
  i.validator_id = keep_id("validator", inst.validator_id);
  access::update_institution(store, rq.principal, i);
  return Response::json(institution_json(*store.access().institution(i.id), true, store));
}

Response api_institution_users(const Request& rq) {
  auto inst = load_institution(rq);
  access::require(rq.principal, "user.view", {inst.id});
  access::require_view_institution(rq.principal, inst);
  ojson arr = ojson::array();
  for (const auto& u : rq.app->store().access().users(inst.id)) arr.push_back(user_json(u));
  return Response::json({{"users", arr}});
}

Response api_user_create(const Request& rq) {
  auto& store = rq.app->store();
  auto u = access::create_user(store, rq.principal, new_user_from_form(rq));
  auto j = user_json(u);
  j["reset_link"] = reset_link(rq, access::Auth(store).issue_reset(u.id, rq.principal.username));
  return Response::json(j, 201);
}

Response api_user_roles(const Request& rq) {
  auto& store = rq.app->store();
  auto u = load_user(rq);
  access::set_roles(store, rq.principal, u.id, roles_field(rq));
  return Response::json(user_json(*store.access().user(u.id)));
}

Response api_user_disable(const Request& rq) {
  auto& store = rq.app->store();
  auto u = load_user(rq);
  access::set_disabled(store, rq.principal, u.id, true);
  return Response::json(user_json(*store.access().user(u.id)));
}

Response api_user_enable(const Request& rq) {
  auto& store = rq.app->store();
  auto u = load_user(rq);
  access::set_disabled(store, rq.principal, u.id, false);
  return Response::json(user_json(*store.access().user(u.id)));
}

Response api_user_reset(const Request& rq) {
  auto u = load_user(rq);
  access::require(rq.principal, "user.manage", {u.institution_id});
  auto token = access::Auth(rq.app->store()).issue_reset(u.id, rq.principal.username);
  return Response::json({{"reset_link", reset_link(rq, token)}});
}

Response api_log(const Request& rq) {
  auto f = log_filter(rq);
  auto entries = read_log(rq, f);
  return Response::json({{"entries", entries_api(entries)}});
}

Response api_history(const Request& rq) {
  auto uid = rq.path_param("uid");
  if (!rq.app->store().get(uid)) throw NotFound("no recommendation with id " + uid);
  return Response::json({{"uid", uid}, {"entries", entries_api(record_history(rq, uid))}});
}

}  // namespace hrtrack::web
