// Sign-in, sign-out, password reset and the account page (password, API tokens, sessions).
// The rules live in access/auth.h; these handlers only read forms, call it and render.
#include "access/auth.h"
#include "core/error.h"
#include "core/text.h"
#include "web/app.h"
#include "web/render.h"
#include "web/routes.h"

namespace hrtrack::web {

using json = nlohmann::json;

namespace {

// Only a path on this site (core/text.h safe_local_path), else the account page.
std::string safe_next(const std::string& next) {
  return safe_local_path(next).value_or("/account");
}

std::string text(const Request& rq, const std::string& id) {
  return rq.app->catalogues()->text(rq.lang, id);
}

Response render_login(const Request& rq, const std::string& next, const std::string& username,
                      const std::string& error, int status) {
  json d;
  d["next"] = next;
  d["username"] = username;
  d["error"] = error;
  if (single(rq.query, "done").value_or("") == "reset") d["notice"] = text(rq, "reset.done");
  d["nav"] = {{"login", true}};
  return render_page(rq, "login", text(rq, "login.title"), d, status);
}

}  // namespace

Response page_login(const Request& rq) {
  if (rq.principal.signed_in()) return Response::redirect("/account");
  return render_login(rq, safe_next(single(rq.query, "next").value_or("/account")), "", "", 200);
}

Response post_login(const Request& rq) {
  auto username = std::string(trim(rq.field("username")));
  auto next = safe_next(rq.field("next"));
  access::Auth auth(rq.app->store());
  auto r = auth.sign_in(username, rq.field("password"), rq.address, rq.session_token);
  if (r.status == access::SignInStatus::Throttled) {
    auto res = render_login(rq, next, username, text(rq, "login.throttled"), 429);
    res.headers.emplace_back("Retry-After", std::to_string(auth.options().throttle_window_seconds));
    return res;
  }
  if (r.status != access::SignInStatus::Ok)
    return render_login(rq, next, username, text(rq, "login.wrong"), 401);
  auto res = Response::redirect(next);
  res.headers.emplace_back("Set-Cookie",
                           "hrt_session=" + r.session_token +
                               rq.cookie_attributes(auth.options().session_hours * 3600L));
  return res;
}

Response post_logout(const Request& rq) {
  access::Auth(rq.app->store()).sign_out(rq.session_token);
  auto res = Response::redirect("/");
  res.headers.emplace_back("Set-Cookie", "hrt_session=" + rq.cookie_attributes(0));
  return res;
}

namespace {

Response render_account(const Request& rq, const std::string& error, const std::string& notice,
                        const std::string& new_token, int status) {
  const auto& p = rq.principal;
  if (!p.signed_in() || p.user_id <= 0) throw access::Forbidden("sign in to see your account");
  auto& a = rq.app->store().access();
  auto u = a.user(p.user_id);
  if (!u) throw NotFound("no such user");
  auto cat = rq.app->catalogues();
  json d;
  d["user"] = {{"username", u->username}, {"display_name", u->display_name}, {"email", u->email}};
  if (u->institution_id)
    if (auto i = a.institution(u->institution_id))
      d["institution"] = {{"name", i->name}, {"href", "/institutions/" + std::to_string(i->id)}};
  std::vector<std::string> labels;
  for (const auto& r : u->roles) labels.push_back(cat->text(rq.lang, "value.role." + r));
  d["roles"] = join(labels, ", ");
  json tokens = json::array();
  for (const auto& t : a.tokens_of(u->id))
    tokens.push_back({{"id", std::to_string(t.id)},
                      {"name", t.name},
                      {"scope", cat->text(rq.lang, "account.scope_" + t.scope)},
                      {"created_at", t.created_at.substr(0, 16)},
                      {"last_used_at", t.last_used_at.value_or("").substr(0, 16)},
                      {"revoked", t.revoked_at.has_value()},
                      {"csrf", rq.csrf}});
  d["has_tokens"] = !tokens.empty();
  d["tokens"] = tokens;
  d["new_token"] = new_token;
  d["error"] = error;
  d["notice"] = notice;
  d["nav"] = {{"account", true}};
  return render_page(rq, "account", cat->text(rq.lang, "account.title"), d, status);
}

}  // namespace

Response page_account(const Request& rq) {
  std::string notice;
  auto done = single(rq.query, "done").value_or("");
  if (done == "password" || done == "revoked" || done == "signed_out")
    notice = text(rq, "account.done_" + done);
  return render_account(rq, "", notice, "", 200);
}

Response post_password(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in to change your password");
  try {
    access::Auth(rq.app->store())
        .change_password(rq.principal, rq.field("current_password"), rq.field("new_password"),
                         rq.session_token);
  } catch (const InvalidArgument& e) {
    return render_account(rq, e.what(), "", "", 400);
  }
  return Response::redirect("/account?done=password");
}

Response post_token_create(const Request& rq) {
  try {
    auto [t, secret] = access::Auth(rq.app->store())
                           .create_token(rq.principal, rq.field("name"), rq.field("scope"));
    return render_account(rq, "", "", secret, 200);
  } catch (const InvalidArgument& e) {
    return render_account(rq, e.what(), "", "", 400);
  }
}

Response post_token_revoke(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in to manage your tokens");
  access::Auth(rq.app->store()).revoke_token(rq.principal, rq.id_param("id"));
  return Response::redirect("/account?done=revoked");
}

Response post_sign_out_everywhere(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in first");
  access::Auth(rq.app->store()).sign_out_everywhere(rq.principal.user_id);
  auto res = Response::redirect("/login");
  res.headers.emplace_back("Set-Cookie", "hrt_session=" + rq.cookie_attributes(0));
  return res;
}

namespace {

Response render_reset(const Request& rq, const std::string& token, const std::string& error,
                      int status) {
  json d;
  d["token"] = token;
  d["error"] = error;
  return render_page(rq, "reset", text(rq, "reset.title"), d, status);
}

}  // namespace

Response page_reset(const Request& rq) {
  auto token = single(rq.query, "token");
  if (!token) throw search::BadRequest("token", "the reset link has no token; ask for a new one");
  return render_reset(rq, *token, "", 200);
}

Response post_reset(const Request& rq) {
  try {
    access::Auth(rq.app->store()).reset_password(rq.field("token"), rq.field("new_password"));
  } catch (const InvalidArgument& e) {
    return render_reset(rq, rq.field("token"), e.what(), 400);
  }
  return Response::redirect("/login?done=reset");
}

Response api_me(const Request& rq) {
  const auto& p = rq.principal;
  if (!p.signed_in()) throw access::Forbidden("sign in or send an API token");
  nlohmann::ordered_json j;
  j["user_id"] = p.user_id;
  j["username"] = p.username;
  j["display_name"] = p.display_name;
  j["institution_id"] = p.institution_id;
  j["roles"] = p.roles;
  j["via_token"] = p.via_token;
  j["read_only"] = p.read_only;
  return Response::json(j);
}

}  // namespace hrtrack::web
