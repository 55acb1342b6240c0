// The web server facade (as libkiwix's kiwix::Server): owns the App (index, stores, assets,
// catalogues) and the HTTP server; nothing else in hrtrack sees the HTTP library.
//
//   web::Server server({.app = web::sqlite_app_options("data/hrtrack.db"), .port = 8080});
//   int port = server.start();   // builds the index, binds; throws Error if it cannot
//   server.wait();               // serves until stop() is called from another thread
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/limits.h"
#include "web/app.h"
#include "web/http.h"

namespace hrtrack::web {

class App;

struct ServerOptions {
  AppOptions app;  // how to reach the store and the evidence files (sqlite_app_options)
  std::string host = "127.0.0.1";
  int port = 8080;              // 0 = any free port (start() returns it)
  int threads = 0;              // worker threads; 0 = cpp-httplib's default (at least 8)
  bool access_log = false;      // one log line per request
  bool secure_cookies = false;  // behind a TLS proxy: cookies get the Secure attribute
  // Behind a reverse proxy: the client address is the last X-Forwarded-For entry, and
  // X-Forwarded-Proto: https marks cookies Secure. Never set without such a proxy.
  bool trust_proxy = false;
};

// The largest request body accepted, read no further than this (a longer one gets 413 before it
// is held in memory, whether it has a Content-Length, is chunked or compressed): forms and JSON
// take kMaxFormBytes, derived from the longest text the forms accept (core/limits.h); routes
// that take files (Route::accepts_files) up to kMaxBodyBytes (one 10 MB evidence file and the
// form around it). At most kMaxParts multipart parts.
constexpr std::size_t kMaxFormBytes = limits::kMaxFormBytes;
constexpr std::size_t kMaxBodyBytes = 12 * 1024 * 1024;
constexpr std::size_t kMaxParts = 64;
// A body over its limit is read to its end and dropped, up to this size (then the connection is
// cut), so that the client gets its 413.
constexpr std::size_t kDrainBytes = 1024ull * 1024 * 1024;
// The body limit of a request to `path` with `method` (by its route; kMaxFormBytes if none).
std::size_t body_limit(const App& app, const std::string& method, const std::string& path);

class Server {
 public:
  explicit Server(ServerOptions opt);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Builds the search index (so that the first request is fast), binds the port and starts
  // serving on a background thread. Returns the bound port.
  int start();
  // Blocks until the server stops.
  void wait();
  // Stops accepting and returns once in-flight requests are done. Safe from any thread.
  void stop();

  App& app();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What the dispatcher needs of an incoming request (filled by the HTTP glue, or by a test).
struct Incoming {
  std::string method = "GET";
  std::string path;
  Params query;
  std::string cookie;           // Cookie header
  std::string accept_language;  // Accept-Language header
  std::string accept_encoding;  // Accept-Encoding header (dispatch compresses: compress.h)
  std::string accept;           // Accept header
  std::string if_none_match;    // If-None-Match header
  std::string authorization;    // Authorization header
  std::string csrf_header;      // X-CSRF-Token header
  std::string content_type;     // Content-Type header
  std::string body;             // request body (form posts, JSON)
  std::string remote_addr;
  bool secure = false;  // the request came over TLS (terminated by a trusted proxy)
  // The body was over body_limit() (413: nothing of it was kept) or not well-formed (400).
  std::optional<std::string> body_error;
  bool body_too_large = false;
  // multipart/form-data: text fields go to `multipart_fields`, files to `files`.
  bool multipart = false;
  Params multipart_fields;
  std::vector<UploadedFile> files;
};

// The one dispatch point: finds the route, checks every parameter, negotiates the language,
// calls the handler and turns every exception into an error response (400 for bad input with
// the parameter named, 404 for what does not exist, 500, logged, for the rest). Answers CORS
// preflights of the public API; finishes every answer (http_cache.h: ETag and 304, caching,
// CORS, one Vary, gzip) and adds the security headers. Never throws.
Response dispatch(App& app, const Incoming& in);

}  // namespace hrtrack::web
