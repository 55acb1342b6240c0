// The HTTP layer's own request and response types. Handlers are plain functions
// `Response handler(const Request&)`: they never see the HTTP library, so a unit test can call
// one directly, and swapping cpp-httplib for another server touches server.cpp only.
#pragma once
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "access/permissions.h"
#include "core/error.h"
#include "web/params.h"

namespace hrtrack::web {

class App;
struct Route;

struct UploadedFile {
  std::string field, filename, content_type, content;
};

struct Request {
  std::string method = "GET";
  std::string path;                                // decoded, without the query string
  Params query;                                    // decoded, in the order received
  std::map<std::string, std::string> path_params;  // {uid} -> "R-..."
  std::string lang = "en";                         // negotiated (see i18n.h)
  bool lang_from_query = false;                    // ?lang= was given (the page sets the cookie)
  const Route* route = nullptr;
  App* app = nullptr;

  // Who is asking (the anonymous public unless a session cookie or an API token says otherwise)
  // and the CSRF token forms must carry (the session's, or the anonymous visitor's cookie).
  access::Principal principal;
  std::string csrf;
  std::string session_token;  // the session cookie's value ("" when none)
  std::string address;        // the client's IP address, for throttling
  bool secure = false;        // cookies get the Secure attribute (served behind TLS)
  // A GET or HEAD of a public_read route by a visitor who sent no credentials: its answer may be
  // cached by anyone and carries an ETag (http_cache.h). Handlers of streamed answers use it to
  // give a `version` and to answer 304 before doing the work.
  bool public_answer = false;
  std::string if_none_match;  // the If-None-Match header
  Params form;  // fields of an application/x-www-form-urlencoded, multipart or JSON body
  std::vector<UploadedFile> files;  // multipart/form-data files (routes with accepts_files)

  const std::string& path_param(const std::string& name) const { return path_params.at(name); }
  // A form field given at most once; "" when absent. Throws search::BadRequest when repeated.
  std::string field(const std::string& name) const;
  // A path parameter that must be a positive integer id (404 otherwise).
  std::int64_t id_param(const std::string& name) const;
  // A form field holding an id: 0 when absent or empty, a 400 naming it when not a number.
  std::int64_t id_field(const std::string& name) const;
  // A boolean form field (one of the route's boolean_fields): nullopt when absent or empty.
  // Throws search::BadRequest naming the field for a value parse_bool does not accept.
  std::optional<bool> flag(const std::string& name) const;
  // The attributes of a cookie set for this request: Path, Max-Age, HttpOnly, SameSite=Lax and,
  // behind TLS, Secure.
  std::string cookie_attributes(long max_age) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is streamed (chunked): each call appends the next piece to `out` and
  // returns false once everything has been produced. It runs on the thread that handled the
  // request, after the handler returned. An exception aborts the connection (the status line has
  // already gone out), and is logged.
  std::function<bool(std::string& out)> stream;
  // What identifies a streamed answer's content (the data version and the query, say): when
  // set on a public answer, its ETag is derived from it, weak (W/) since the bytes are not
  // hashed. Bodies need none: a public body's ETag is the hash of its bytes.
  std::string version;

  static Response json(const nlohmann::ordered_json& j, int status = 200);
  static Response text(std::string body, std::string content_type = "text/plain; charset=utf-8");
  // 303 See Other to a local path (after a form post).
  static Response redirect(const std::string& location);
};

// Where a route's answers go: pages are HTML for people (errors as HTML pages), the API answers
// JSON (errors as JSON), assets are files.
enum class RouteKind { Page, Api, Asset };

struct ParamDoc {
  std::string name;
  std::string description;
  std::string type = "string";  // OpenAPI type: string, integer
  bool in_path = false;
  bool required = false;
  bool repeatable = false;
  bool deprecated = false;           // an alias kept for old scripts
  std::vector<std::string> allowed;  // enumeration, if any
};

using Handler = std::function<Response(const Request&)>;

// One entry of the route table: the same data drives dispatch, parameter checking (a query
// parameter not listed here gets a 400), and the OpenAPI document.
struct Route {
  std::string method;   // "GET"
  std::string pattern;  // "/api/recommendations/{uid}"; a {name} segment matches one segment
  RouteKind kind;
  Handler handler;
  std::string summary;
  std::vector<ParamDoc> params;  // besides the search parameters
  bool search_params = false;    // accepts q, sort, the facet filters, sdg
  bool paged = false;            // and page, per_page, facet_limit
  std::string produces = "application/json";
  // Form fields a POST route accepts (besides csrf); any other is a 400.
  std::vector<std::string> form_fields;
  // The permission-table action dispatch checks before the handler runs ("" = the handler
  // checks, e.g. against the institution a thing belongs to).
  std::string action;
  bool accepts_files = false;  // multipart/form-data with files, bodies up to kMaxBodyBytes
  // Form fields that take true or false (core/text.h parse_bool): dispatch refuses any other
  // value with a 400 naming the field, before the handler runs; handlers read them with
  // Request::flag. The OpenAPI document declares them boolean.
  std::set<std::string> boolean_fields;
  // A GET whose answer to anonymous visitors is the same for all of them (public data, assets):
  // it gets an ETag, answers If-None-Match with 304 and may be cached publicly; on an API
  // route it is readable cross-origin (CORS), its preflight answered. Answers to a request with
  // credentials never are (private, no-store).
  bool public_read = false;
  // A download a person starts from a page (the export): its errors are a page, not JSON, when
  // the browser asks for HTML (Accept: text/html).
  bool download = false;
};

// The server has no room for this request now (every export slot is taken): 503 with
// Retry-After, nothing done.
class Busy : public Error {
 public:
  Busy(const std::string& what, int retry_after_seconds)
      : Error(what), retry_after_(retry_after_seconds) {}
  int retry_after_seconds() const { return retry_after_; }

 private:
  int retry_after_;
};

// The headers every answer carries (dispatch adds them; the HTTP glue adds them to the answers
// the HTTP library makes itself): CSP, nosniff, frame and referrer policies. CORS headers are
// not among them: only public reads get them (http_cache.h).
std::vector<std::pair<std::string, std::string>> security_headers(RouteKind kind);

// Matches `path` against a route pattern, filling `out` with the {name} segments.
bool match_pattern(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>& out);

}  // namespace hrtrack::web
