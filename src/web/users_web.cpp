// Users: their list, a page each, the forms that create them, set roles, disable and issue
// one-time password links, and the JSON API. The rules are in access/directory.h.
#include <algorithm>

#include "access/auth.h"
#include "access/directory.h"
#include "core/error.h"
#include "core/text.h"
#include "followup/followup.h"
#include "web/admin_common.h"
#include "web/app.h"
#include "web/render.h"
#include "web/routes.h"

namespace hrtrack::web {

using namespace adm;

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
    if (access::can_view_user(store, p, u))
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
  if (!access::can_view_user(store, rq.principal, u))
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

Response api_user_create(const Request& rq) {
  auto& store = rq.app->store();
  auto u = access::create_user(store, rq.principal, new_user_from_form(rq));
  auto j = user_api(u);
  j["reset_link"] = reset_link(rq, access::Auth(store).issue_reset(u.id, rq.principal.username));
  return Response::json(j, 201);
}

Response api_user_roles(const Request& rq) {
  auto& store = rq.app->store();
  auto u = load_user(rq);
  access::set_roles(store, rq.principal, u.id, roles_field(rq));
  return Response::json(user_api(*store.access().user(u.id)));
}

Response api_user_disable(const Request& rq) {
  auto& store = rq.app->store();
  auto u = load_user(rq);
  access::set_disabled(store, rq.principal, u.id, true);
  return Response::json(user_api(*store.access().user(u.id)));
}

Response api_user_enable(const Request& rq) {
  auto& store = rq.app->store();
  auto u = load_user(rq);
  access::set_disabled(store, rq.principal, u.id, false);
  return Response::json(user_api(*store.access().user(u.id)));
}

Response api_user_reset(const Request& rq) {
  auto u = load_user(rq);
  access::require(rq.principal, "user.manage", {u.institution_id});
  auto token = access::Auth(rq.app->store()).issue_reset(u.id, rq.principal.username);
  return Response::json({{"reset_link", reset_link(rq, token)}});
}

}  // namespace hrtrack::web
