// Institutions, users and the change log: pages and API (institutions_web.cpp,
// users_web.cpp, log_web.cpp).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "web/http.h"

namespace hrtrack::web {

Response page_institutions(const Request&);
Response post_institution_create(const Request&);
Response page_institution(const Request&);
Response post_institution_edit(const Request&);
Response page_users(const Request&);
Response post_user_create(const Request&);
Response page_user(const Request&);
Response post_user_roles(const Request&);
Response post_user_disable(const Request&);
Response post_user_enable(const Request&);
Response post_user_reset(const Request&);
Response page_log(const Request&);
Response page_history(const Request&);
Response api_institutions(const Request&);
Response api_institution(const Request&);
Response api_institution_create(const Request&);
Response api_institution_update(const Request&);
Response api_institution_users(const Request&);
Response api_user_create(const Request&);
Response api_user_roles(const Request&);
Response api_user_disable(const Request&);
Response api_user_enable(const Request&);
Response api_user_reset(const Request&);
Response api_log(const Request&);
Response api_history(const Request&);

}  // namespace hrtrack::web
