#include "web/admin_common.h"

#include "access/directory.h"
#include "access/permissions.h"
#include "core/access_json.h"
#include "core/error.h"
#include "core/text.h"
#include "web/app.h"

namespace hrtrack::web::adm {

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

json institution_options(const Request& rq, std::int64_t selected, std::int64_t exclude) {
  json out = json::array();
  for (const auto& i : access::visible_institutions(rq.app->store(), rq.principal))
    if (i.id != exclude)
      out.push_back({{"value", std::to_string(i.id)},
                     {"label", i.name + " (" + i.code + ")"},
                     {"selected", i.id == selected}});
  return out;
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

ojson institution_api(const Institution& i, bool with_people, Store& store) {
  ojson j = to_json(i);
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

ojson user_api(const User& u) {
  ojson j = to_json(u);
  j["disabled"] = u.disabled_at.has_value();
  return j;
}

}  // namespace hrtrack::web::adm
