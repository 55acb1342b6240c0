// The single dispatch point and the single place where exceptions become error responses.
#include <spdlog/spdlog.h>

#include "core/error.h"
#include "core/text.h"
#include "web/app.h"
#include "web/render.h"
#include "web/routes.h"
#include "web/server.h"

namespace hrtrack::web {

namespace {

// Pages may load scripts, styles and images from this origin only; nothing may frame them.
constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

void add_security_headers(Response& res, RouteKind kind) {
  res.headers.emplace_back("Content-Security-Policy", kCsp);
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  res.headers.emplace_back("Referrer-Policy", "strict-origin-when-cross-origin");
  res.headers.emplace_back("X-Frame-Options", "DENY");
  res.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  // The API serves public data: any site may read it (no cookies are involved).
  if (kind == RouteKind::Api) res.headers.emplace_back("Access-Control-Allow-Origin", "*");
}

Response error_response(const Request& rq, RouteKind kind, int status, const std::string& message,
                        const std::optional<std::string>& parameter) {
  if (kind == RouteKind::Page && rq.app) {
    try {
      auto cat = rq.app->catalogues();
      std::string key = "error." + std::to_string(status);
      nlohmann::json data;
      data["status"] = std::to_string(status);
      data["heading"] = cat->text(rq.lang, key + ".title");
      data["explanation"] = cat->text(rq.lang, key + ".text");
      data["message"] = message;
      data["has_parameter"] = parameter.has_value() && !parameter->empty();
      data["parameter"] = parameter.value_or("");
      auto res = render_page(rq, "error", data["heading"], data, status);
      return res;
    } catch (const std::exception& e) {
      spdlog::error("rendering the error page failed: {}", e.what());
    }
  }
  nlohmann::ordered_json j;
  j["error"] = message;
  j["parameter"] = parameter && !parameter->empty() ? nlohmann::ordered_json(*parameter)
                                                    : nlohmann::ordered_json(nullptr);
  return Response::json(j, status);
}

RouteKind kind_for_path(const std::string& path) {
  if (path.rfind("/api/", 0) == 0 || path == "/api/") return RouteKind::Api;
  if (path.rfind("/static/", 0) == 0 || path.rfind("/i18n/", 0) == 0) return RouteKind::Asset;
  return RouteKind::Page;
}

}  // namespace

Response dispatch(App& app, const Incoming& in) {
  Request rq;
  rq.app = &app;
  rq.method = in.method;
  rq.path = in.path;
  rq.query = in.query;
  RouteKind kind = kind_for_path(in.path);
  // A language for error pages even before the request is known to be valid.
  rq.lang = negotiate_language(std::nullopt, in.cookie, in.accept_language);
  Response res;
  try {
    if (find_invalid_utf8(in.path)) {
      rq.path = "/";
      throw search::BadRequest("", "the address is not valid UTF-8");
    }
    bool path_matched = false;
    const Route* route = find_route(app.routes(), in.method, in.path, rq.path_params, path_matched);
    if (!route) {
      if (path_matched) {
        res = error_response(rq, kind, 405, "method " + in.method + " is not allowed here; use GET",
                             std::nullopt);
        res.headers.emplace_back("Allow", "GET, HEAD");
        add_security_headers(res, kind);
        return res;
      }
      throw NotFound("nothing at " + shorten_for_display(in.path, 200));
    }
    rq.route = route;
    kind = route->kind;
    // An API answer depends on its address only (cacheable, the same for every client): its
    // language is ?lang= or English, never the cookie or Accept-Language.
    if (kind == RouteKind::Api) rq.lang = "en";
    check_encoding(rq.query);
    check_known(rq.query, accepted_params(*route, search::facets()));
    if (auto l = single(rq.query, "lang")) {
      if (!find_language(*l)) {
        std::string list;
        for (const auto& lang : languages()) list += (list.empty() ? "" : ", ") + lang.code;
        throw search::BadRequest(
            "lang", "lang must be one of " + list + " (got '" + shorten_for_display(*l, 20) + "')");
      }
      rq.lang = *l;
      rq.lang_from_query = true;
    }
    res = route->handler(rq);
    if (rq.lang_from_query && kind == RouteKind::Page)
      res.headers.emplace_back(
          "Set-Cookie", "lang=" + rq.lang + "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
  } catch (const search::BadRequest& e) {
    res = error_response(rq, kind, 400, e.what(), e.param());
  } catch (const InvalidArgument& e) {
    res = error_response(rq, kind, 400, e.what(), std::nullopt);
  } catch (const NotFound& e) {
    res = error_response(rq, kind, 404, e.what(), std::nullopt);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", in.method, shorten_for_display(in.path, 200), e.what());
    res = error_response(rq, kind, 500, "internal error; it has been logged", std::nullopt);
  } catch (...) {
    spdlog::error("{} {}: unknown exception", in.method, shorten_for_display(in.path, 200));
    res = error_response(rq, kind, 500, "internal error; it has been logged", std::nullopt);
  }
  add_security_headers(res, kind);
  return res;
}

}  // namespace hrtrack::web
