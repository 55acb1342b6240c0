// Sign-in, sign-out, password reset and the account page (account.cpp).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "web/http.h"

namespace hrtrack::web {

Response page_login(const Request&);
Response post_login(const Request&);
Response post_logout(const Request&);
Response page_account(const Request&);
Response post_password(const Request&);
Response post_token_create(const Request&);
Response post_token_revoke(const Request&);
Response post_sign_out_everywhere(const Request&);
Response page_reset(const Request&);
Response post_reset(const Request&);
Response api_me(const Request&);

}  // namespace hrtrack::web
