// The single dispatch point and the single place where exceptions become error responses.
#include <sodium.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <set>

#include "access/auth.h"
#include "core/error.h"
#include "core/text.h"
#include "web/app.h"
#include "web/compress.h"
#include "web/http_cache.h"
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
  for (auto& h : security_headers(kind)) res.headers.push_back(std::move(h));
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

bool is_write(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// The request was refused for lack of a valid CSRF token: always 403, never a sign-in prompt.
class CsrfRejected : public Error {
 public:
  using Error::Error;
};

// No valid credentials where some were given (a bad API token): 401.
class Unauthorized : public Error {
 public:
  using Error::Error;
};

// The body was longer than the route accepts (it was not read): 413.
class PayloadTooLarge : public Error {
 public:
  using Error::Error;
};

std::string kilobytes(std::size_t bytes) {
  return std::to_string((bytes + 1023) / 1024) + " KB";
}

// Form body -> Params: application/x-www-form-urlencoded, or a JSON object whose values are
// strings, numbers, booleans or arrays of those (an array gives a repeated field).
void parse_body(const Incoming& in, Params& out) {
  if (in.body.empty()) return;
  auto ct = ascii_lower(in.content_type.substr(0, in.content_type.find(';')));
  ct = std::string(trim(ct));
  if (ct == "application/x-www-form-urlencoded") {
    std::size_t start = 0;
    while (start <= in.body.size()) {
      auto amp = in.body.find('&', start);
      auto part = in.body.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (!part.empty()) {
        auto eq = part.find('=');
        auto dec = [](std::string v) {
          std::replace(v.begin(), v.end(), '+', ' ');
          return url_decode(v);
        };
        out.emplace_back(dec(part.substr(0, eq)),
                         eq == std::string::npos ? "" : dec(part.substr(eq + 1)));
      }
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  } else if (ct == "application/json") {
    nlohmann::json j;
    // A key given twice would silently lose one of its values (the last would win): refused,
    // naming the key. Only the top-level object's keys are fields.
    std::set<std::string> keys;
    std::optional<std::string> repeated;
    auto on_event = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
      // Fields are scalars or arrays of scalars: deeper nesting is refused at once, before it
      // can take memory.
      if (depth > 2)
        throw search::BadRequest("",
                                 "the JSON body nests too deeply: give each field a value "
                                 "or an array of values");
      if (event == nlohmann::json::parse_event_t::key && depth == 1 && !repeated &&
          !keys.insert(parsed.get<std::string>()).second)
        repeated = parsed.get<std::string>();
      return true;
    };
    try {
      j = nlohmann::json::parse(in.body, on_event);
    } catch (const search::BadRequest&) {
      throw;
    } catch (const std::exception& e) {
      throw search::BadRequest("", std::string("the JSON body is not valid: ") + e.what());
    }
    if (repeated)
      throw search::BadRequest(
          *repeated, "the JSON body gives '" + shorten_for_display(*repeated, 40) + "' twice");
    if (!j.is_object()) throw search::BadRequest("", "the JSON body must be an object");
    auto scalar = [](const std::string& k, const nlohmann::json& v) -> std::string {
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number_integer() || v.is_number_unsigned() || v.is_boolean()) return v.dump();
      if (v.is_null()) return "";
      throw search::BadRequest(k, k + " must be a string, a whole number or true/false");
    };
    for (const auto& [k, v] : j.items()) {
      if (v.is_array()) {
        for (const auto& e : v) out.emplace_back(k, scalar(k, e));
        if (v.empty()) out.emplace_back(k, "");
      } else {
        out.emplace_back(k, scalar(k, v));
      }
    }
  } else {
    throw search::BadRequest("",
                             "send the body as application/x-www-form-urlencoded or "
                             "application/json (got '" +
                                 shorten_for_display(in.content_type, 60) + "')");
  }
}

bool same_secret(const std::string& a, const std::string& b) {
  return !a.empty() && a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Who is asking: an API token (API routes only), a session cookie, or the anonymous public.
// Fills rq.principal and rq.csrf; adds the cookies to set or clear to `cookies`.
void authenticate(App& app, const Incoming& in, Request& rq, RouteKind kind,
                  std::vector<std::string>& cookies) {
  access::Auth auth(app.store());
  if (kind == RouteKind::Api && starts_with_ci(in.authorization, "Bearer ")) {
    auto p = auth.token_principal(std::string(trim(in.authorization.substr(7))));
    if (!p)
      throw Unauthorized("the API token is not valid: unknown, revoked, or its user is disabled");
    rq.principal = *p;
    return;
  }
  if (kind == RouteKind::Asset) return;
  if (auto token = cookie_value(in.cookie, "hrt_session"); token && !token->empty()) {
    if (auto s = auth.session(*token)) {
      rq.principal = s->principal;
      rq.csrf = s->row.csrf;
      rq.session_token = *token;
      return;
    }
    cookies.push_back("hrt_session=" + rq.cookie_attributes(0));  // expired or ended: forget it
  }
  // The anonymous visitor's forms (sign-in, password reset) carry a token that must match this
  // cookie (double submit): another site can neither read nor set it.
  auto pre = cookie_value(in.cookie, "hrt_csrf");
  if (pre && pre->size() >= 32 && pre->size() <= 64) {
    rq.csrf = *pre;
  } else if (kind == RouteKind::Page) {
    rq.csrf = access::random_token();
    cookies.push_back("hrt_csrf=" + rq.csrf + rq.cookie_attributes(86400));
  }
}

void check_csrf(const Incoming& in, const Request& rq) {
  if (rq.principal.via_token) {
    if (rq.principal.read_only)
      throw access::Forbidden("this API token is read-only; create a write token to change data");
    return;  // a bearer token is never sent by a browser on its own: no CSRF
  }
  std::string given = in.csrf_header;
  for (const auto& [k, v] : rq.form)
    if (k == "csrf") given = v;
  if (!same_secret(given, rq.csrf))
    throw CsrfRejected(
        "the form's security token is missing or out of date; reload the page and try again");
}

// The public read-only API route at `path` (whose preflight dispatch answers), or nullptr.
const Route* public_api_route(const std::vector<Route>& routes, const std::string& path) {
  std::map<std::string, std::string> params;
  bool matched = false;
  const Route* r = find_route(routes, "GET", path, params, matched);
  return r && r->public_read && r->kind == RouteKind::Api ? r : nullptr;
}

std::string allowed_methods(const std::vector<Route>& routes, const std::string& path) {
  std::string out;
  std::map<std::string, std::string> tmp;
  for (const auto& r : routes)
    if (match_pattern(r.pattern, path, tmp) && out.find(r.method) == std::string::npos)
      out += (out.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
  if (public_api_route(routes, path)) out += ", OPTIONS";
  return out;
}

}  // namespace

// The same for every kind of route; CORS headers are for public reads only (http_cache.h).
std::vector<std::pair<std::string, std::string>> security_headers(RouteKind /*kind*/) {
  std::vector<std::pair<std::string, std::string>> h = {
      {"Content-Security-Policy", kCsp},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "strict-origin-when-cross-origin"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"}};
  return h;
}

std::size_t body_limit(const App& app, const std::string& method, const std::string& path) {
  std::map<std::string, std::string> params;
  bool path_matched = false;
  const Route* r = find_route(app.routes(), method, path, params, path_matched);
  return r && r->accepts_files ? kMaxBodyBytes : kMaxFormBytes;
}

std::string Request::field(const std::string& name) const {
  auto v = single(form, name);
  return v ? *v : "";
}

std::int64_t Request::id_param(const std::string& name) const {
  auto v = parse_int(path_param(name));
  if (!v || *v <= 0) throw NotFound("no such id: " + shorten_for_display(path_param(name), 40));
  return *v;
}

std::int64_t Request::id_field(const std::string& name) const {
  auto v = field(name);
  if (v.empty()) return 0;
  auto n = parse_int(v);
  if (!n) throw search::BadRequest(name, name + " must be an id (a whole number)");
  return *n;
}

std::optional<bool> Request::flag(const std::string& name) const {
  auto v = field(name);
  if (v.empty()) return std::nullopt;
  auto b = parse_bool(v);
  if (!b)
    throw search::BadRequest(
        name, name + " must be true or false (also accepted: " + join(bool_true_spellings(), ", ") +
                  " / " + join(bool_false_spellings(), ", ") + "; got '" +
                  shorten_for_display(v, 20) + "')");
  return b;
}

std::string Request::cookie_attributes(long max_age) const {
  return "; Path=/; Max-Age=" + std::to_string(max_age) + "; HttpOnly; SameSite=Lax" +
         (secure ? "; Secure" : "");
}

Response Response::redirect(const std::string& location) {
  Response r;
  r.status = 303;
  // A header holds ASCII: bytes of UTF-8 paths and anything below '!' go percent-encoded.
  std::string loc;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : location) {
    if (c <= 0x20 || c >= 0x7f) {
      loc += '%';
      loc += hex[c >> 4];
      loc += hex[c & 15];
    } else {
      loc += static_cast<char>(c);
    }
  }
  r.headers.emplace_back("Location", loc);
  r.content_type = "text/plain; charset=utf-8";
  r.body = "See " + location;
  return r;
}

Response dispatch(App& app, const Incoming& in) {
  Request rq;
  rq.app = &app;
  rq.method = in.method;
  rq.path = in.path;
  rq.query = in.query;
  rq.address = in.remote_addr;
  rq.secure = in.secure;
  RouteKind kind = kind_for_path(in.path);
  RouteKind error_kind = kind;  // how errors are shown: a page or JSON
  // A language for error pages even before the request is known to be valid.
  rq.lang = negotiate_language(std::nullopt, in.cookie, in.accept_language);
  Response res;
  std::vector<std::string> cookies;
  try {
    if (find_invalid_utf8(in.path)) {
      rq.path = "/";
      throw search::BadRequest("", "the address is not valid UTF-8");
    }
    bool path_matched = false;
    const Route* route = find_route(app.routes(), in.method, in.path, rq.path_params, path_matched);
    if (!route) {
      // The CORS preflight of a public read (no credentials, no side effect): 204.
      if (in.method == "OPTIONS" && public_api_route(app.routes(), in.path)) {
        res.status = 204;
        res.content_type.clear();
        for (auto& h : preflight_headers()) res.headers.push_back(std::move(h));
        add_security_headers(res, kind);
        return res;
      }
      if (path_matched) {
        auto allow = allowed_methods(app.routes(), in.path);
        res = error_response(
            rq, kind, 405,
            "method " + shorten_for_display(in.method, 10) + " is not allowed here; use " + allow,
            std::nullopt);
        res.headers.emplace_back("Allow", allow);
        add_security_headers(res, kind);
        return res;
      }
      throw NotFound("nothing at " + shorten_for_display(in.path, 200));
    }
    rq.route = route;
    kind = route->kind;
    // A download started from a page shows its errors as a page to a browser.
    error_kind = route->download && prefers_html(in.accept) ? RouteKind::Page : kind;
    // Public data asked for without credentials (so by the public): its answers, errors
    // included, may be cached and read cross-origin (http_cache.h).
    rq.public_answer = route->public_read && (in.method == "GET" || in.method == "HEAD") &&
                       in.authorization.empty() && !cookie_value(in.cookie, "hrt_session");
    rq.if_none_match = in.if_none_match;
    // An API answer depends on its address only (cacheable, the same for every client): its
    // language is ?lang= or English, never the cookie or Accept-Language.
    if (kind == RouteKind::Api) rq.lang = "en";
    check_encoding(rq.query);
    check_known(rq.query, accepted_params(*route, search::facets()), route->search_params);
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
    app.begin_request(0);  // nothing of a previous request on this thread carries over
    authenticate(app, in, rq, kind, cookies);
    if (is_write(in.method)) {
      // No API write is open to the public: say so (401) rather than ask for a CSRF token.
      if (kind == RouteKind::Api && !rq.principal.signed_in())
        throw access::Forbidden("send an API token (Authorization: Bearer) to change data");
      if (in.body_too_large)
        throw PayloadTooLarge("what was sent is larger than this address accepts (at most " +
                              kilobytes(route->accepts_files ? kMaxBodyBytes : kMaxFormBytes) +
                              "); nothing was saved");
      if (in.body_error) throw search::BadRequest("", *in.body_error);
      if (!route->accepts_files && in.multipart)
        throw search::BadRequest("", "this address takes no files");
      if (in.multipart) {
        rq.form = in.multipart_fields;
        rq.files = in.files;
      } else {
        parse_body(in, rq.form);
      }
      check_encoding(rq.form);
      std::set<std::string> fields(route->form_fields.begin(), route->form_fields.end());
      fields.insert("csrf");
      check_known(rq.form, fields);
      // Booleans are checked before anything runs: a value nobody meant never becomes false.
      for (const auto& name : route->boolean_fields) rq.flag(name);
      for (const auto& f : rq.files)
        if (!fields.count(f.field))
          throw search::BadRequest(f.field,
                                   "unknown file field '" + shorten_for_display(f.field, 40) + "'");
      check_csrf(in, rq);
    }
    if (!route->action.empty()) access::require(rq.principal, route->action);
    app.begin_request(rq.principal.user_id);
    res = route->handler(rq);
    if (in.method != "GET" && in.method != "HEAD" && res.status < 400)
      app.after_write(rq.principal.user_id);
    if (rq.lang_from_query && kind == RouteKind::Page)
      res.headers.emplace_back("Set-Cookie", "lang=" + rq.lang + rq.cookie_attributes(31536000));
  } catch (const CsrfRejected& e) {
    res = error_response(rq, error_kind, 403, e.what(), std::string("csrf"));
  } catch (const Unauthorized& e) {
    res = error_response(rq, error_kind, 401, e.what(), std::nullopt);
    res.headers.emplace_back("WWW-Authenticate", "Bearer");
  } catch (const access::Forbidden& e) {
    if (!rq.principal.signed_in() && kind == RouteKind::Page && in.method == "GET") {
      res = Response::redirect(url_with("/login", {{"next", in.path}}));
    } else if (!rq.principal.signed_in()) {
      res = error_response(rq, error_kind, 401, e.what(), std::nullopt);
      if (kind == RouteKind::Api) res.headers.emplace_back("WWW-Authenticate", "Bearer");
    } else {
      res = error_response(rq, error_kind, 403, e.what(), std::nullopt);
    }
  } catch (const PayloadTooLarge& e) {
    res = error_response(rq, error_kind, 413, e.what(), std::nullopt);
    res.headers.emplace_back("Connection", "close");
  } catch (const StoreBusy& e) {
    // Another writer (an import) holds the database longer than a request may wait: say so and
    // when to come back, never a 500.
    res = error_response(rq, error_kind, 503,
                         "the database is busy with another change (an import?); nothing was "
                         "saved; try again in " +
                             std::to_string(e.retry_after_seconds()) + " seconds",
                         std::nullopt);
    res.headers.emplace_back("Retry-After", std::to_string(e.retry_after_seconds()));
  } catch (const Busy& e) {
    res = error_response(rq, error_kind, 503, e.what(), std::nullopt);
    res.headers.emplace_back("Retry-After", std::to_string(e.retry_after_seconds()));
  } catch (const search::BadRequest& e) {
    res = error_response(rq, error_kind, 400, e.what(), e.param());
  } catch (const InvalidArgument& e) {
    res = error_response(rq, error_kind, 400, e.what(), std::nullopt);
  } catch (const NotFound& e) {
    res = error_response(rq, error_kind, 404, e.what(), std::nullopt);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", in.method, shorten_for_display(in.path, 200), e.what());
    res = error_response(rq, error_kind, 500, "internal error; it has been logged", std::nullopt);
  } catch (...) {
    spdlog::error("{} {}: unknown exception", in.method, shorten_for_display(in.path, 200));
    res = error_response(rq, error_kind, 500, "internal error; it has been logged", std::nullopt);
  }
  if (rq.route && rq.route->download && res.status >= 400) merge_vary(res, "Accept");
  for (auto& c : cookies) res.headers.emplace_back("Set-Cookie", std::move(c));
  // What a signed-in user sees is theirs: never stored by a shared cache. That holds for every
  // answer to a request with credentials, those that end before they are checked (404) too.
  if (rq.principal.signed_in() || !in.authorization.empty() ||
      cookie_value(in.cookie, "hrt_session")) {
    set_header(res, "Cache-Control", "private, no-store");
    rq.public_answer = false;
  }
  // Validators, public caching, CORS for public reads, one Vary, gzip (http_cache.h).
  try {
    finish_answer(res, rq, accepts_gzip(in.accept_encoding));
  } catch (const std::exception& e) {
    spdlog::error("{} {}: finishing the answer: {}", in.method, shorten_for_display(in.path, 200),
                  e.what());
    res = Response::json({{"error", "internal error; it has been logged"}, {"parameter", nullptr}},
                         500);
    res.headers.emplace_back("Cache-Control", "no-store");
  }
  add_security_headers(res, kind);
  return res;
}

}  // namespace hrtrack::web
