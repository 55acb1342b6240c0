// What the institution, user and change-log pages share (institutions_web.cpp, users_web.cpp,
// log_web.cpp): links, options for forms, reading the ids and forms they take.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/access.h"
#include "web/http.h"

namespace hrtrack::web::adm {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

std::string text(const Request& rq, const std::string& id);
void require_signed_in(const Request& rq);
std::string inst_href(std::int64_t id);
std::string user_href(std::int64_t id);
// The roles a form or JSON body gives (`role` repeated, or `roles` comma-separated).
std::vector<std::string> roles_field(const Request& rq);
std::string roles_label(const Request& rq, const std::vector<std::string>& roles);
json type_options(const Request& rq, const std::string& selected);
// The institutions the viewer may see, for a <select> (`exclude`: the one being edited).
json institution_options(const Request& rq, std::int64_t selected, std::int64_t exclude = 0);
Institution load_institution(const Request& rq);
User load_user(const Request& rq);
// The form of an institution applied to `base`.
Institution institution_from_form(const Request& rq, Institution base, bool with_people);
// The API's forms: core/access_json.h, an institution with its focal points when asked, a user
// with `disabled` as a boolean too.
ojson institution_api(const Institution& i, bool with_people, Store& store);
ojson user_api(const User& u);

}  // namespace hrtrack::web::adm
