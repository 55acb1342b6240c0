// Institutions: their list, a page each with focal points and users, the forms that create and
// edit them, and the JSON API. The rules are in access/directory.h.
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
      if (!access::hidden_from(rq.principal, *p))
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

Response api_institutions(const Request& rq) {
  require_signed_in(rq);
  auto& store = rq.app->store();
  ojson arr = ojson::array();
  for (const auto& i : access::visible_institutions(store, rq.principal))
    arr.push_back(institution_api(i, false, store));
  return Response::json({{"institutions", arr}});
}

Response api_institution(const Request& rq) {
  auto inst = load_institution(rq);
  access::require_view_institution(rq.principal, inst);
  return Response::json(institution_api(inst, true, rq.app->store()));
}

Response api_institution_create(const Request& rq) {
  auto& store = rq.app->store();
  auto i = access::create_institution(store, rq.principal,
                                      institution_from_form(rq, Institution{}, false));
  return Response::json(institution_api(i, true, store), 201);
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
  return Response::json(institution_api(*store.access().institution(i.id), true, store));
}

Response api_institution_users(const Request& rq) {
  auto inst = load_institution(rq);
  access::require(rq.principal, "user.view", {inst.id});
  access::require_view_institution(rq.principal, inst);
  ojson arr = ojson::array();
  for (const auto& u : rq.app->store().access().users(inst.id)) arr.push_back(user_api(u));
  return Response::json({{"users", arr}});
}

}  // namespace hrtrack::web
