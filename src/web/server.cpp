// cpp-httplib glue: the only file that includes <httplib.h>. Every request goes to dispatch().
#include "web/server.h"

#include <spdlog/spdlog.h>

#include <httplib.h>
#include <chrono>
#include <cstdint>
#include <thread>

#include "core/error.h"
#include "core/text.h"
#include "web/app.h"

namespace hrtrack::web {

struct Server::Impl {
  ServerOptions opt;
  App app;
  httplib::Server http;
  std::thread thread;
  int port = 0;

  explicit Impl(ServerOptions o) : opt(std::move(o)), app(opt.app) {}

  // The request line and headers (and the query string) of `req`: what every request has.
  Incoming incoming(const httplib::Request& req) const {
    Incoming in;
    in.method = req.method;
    in.path = req.path;
    // The query string only: cpp-httplib also merges a form body into req.params, and a form
    // field must never pass for a query parameter (nor the other way round).
    if (auto q = req.target.find('?'); q != std::string::npos) {
      httplib::Params query;
      httplib::detail::parse_query_text(req.target.substr(q + 1), query);
      for (const auto& [k, v] : query) in.query.emplace_back(k, v);
    }
    in.cookie = req.get_header_value("Cookie");
    in.accept_language = req.get_header_value("Accept-Language");
    in.accept_encoding = req.get_header_value("Accept-Encoding");
    in.accept = req.get_header_value("Accept");
    in.if_none_match = req.get_header_value("If-None-Match");
    in.authorization = req.get_header_value("Authorization");
    in.csrf_header = req.get_header_value("X-CSRF-Token");
    in.content_type = req.get_header_value("Content-Type");
    in.remote_addr = req.remote_addr;
    in.secure = opt.secure_cookies;
    if (opt.trust_proxy) {
      // The proxy appends the address it saw: the last entry is the one we can trust.
      auto xff = req.get_header_value("X-Forwarded-For");
      if (!xff.empty()) {
        auto comma = xff.rfind(',');
        auto last = std::string(trim(comma == std::string::npos ? xff : xff.substr(comma + 1)));
        if (!last.empty() && last.size() <= 64) in.remote_addr = last;
      }
      if (iequals(req.get_header_value("X-Forwarded-Proto"), "https")) in.secure = true;
    }
    return in;
  }

  // cpp-httplib (Debian builds it with brotli and zlib) compresses by the request's
  // Accept-Encoding as it sends: brotli at its slowest quality whenever `br` is listed (every
  // browser: 20 s instead of 0.8 s for the CSV export), never JSON with a charset, and without
  // Vary. dispatch compresses instead (gzip, compress.h), so the library must not see the
  // header once it is read. The request is cpp-httplib's own object, not const: only its
  // handlers get it as const.
  static void hide_accept_encoding(const httplib::Request& req) {
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
  }

  // GET, HEAD, OPTIONS: no body.
  void handle(const httplib::Request& req, httplib::Response& res) {
    Incoming in = incoming(req);
    hide_accept_encoding(req);
    respond(std::move(in), res);
  }

  // POST, PUT, PATCH, DELETE: the body is read here, through cpp-httplib's content reader, no
  // further than the route's limit (so a huge, chunked or compressed body is never held whole),
  // and without cpp-httplib's own 8,192-byte cap on form bodies.
  void handle_body(const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) {
    Incoming in = incoming(req);
    hide_accept_encoding(req);
    std::size_t limit = body_limit(app, in.method, in.path);
    std::size_t received = 0;
    // Past the limit nothing more is kept, but the rest is read and dropped (up to kDrainBytes),
    // so that the client, still sending, gets the 413 instead of a reset connection.
    auto keep = [&](std::size_t n) {
      received += n;
      if (received > limit) in.body_too_large = true;
      return received <= limit;
    };
    auto more = [&] { return received <= kDrainBytes; };
    bool ok = true;
    if (req.is_multipart_form_data()) {
      in.multipart = true;
      std::size_t parts = 0;
      httplib::MultipartFormData current;
      bool open = false;
      auto flush = [&] {
        if (!open) return;
        if (!in.body_too_large) {
          if (current.filename.empty())
            in.multipart_fields.emplace_back(current.name, std::move(current.content));
          else
            in.files.push_back(
                {current.name, current.filename, current.content_type, std::move(current.content)});
        }
        open = false;
      };
      ok = reader(
          [&](const httplib::MultipartFormData& header) {
            flush();
            if (++parts > kMaxParts && !in.body_error)
              in.body_error = "at most " + std::to_string(kMaxParts) + " parts in a form";
            current = header;
            current.content.clear();
            open = !in.body_error;
            keep(header.name.size() + header.filename.size());
            return more();
          },
          [&](const char* data, std::size_t n) {
            if (keep(n) && open) current.content.append(data, n);
            return more();
          });
      flush();
    } else {
      ok = reader([&](const char* data, std::size_t n) {
        if (keep(n)) in.body.append(data, n);
        return more();
      });
    }
    // cpp-httplib refuses a Content-Length over its own maximum (413) after dropping the body.
    if (res.status == 413) in.body_too_large = true;
    if (!ok && !in.body_too_large && !in.body_error)
      in.body_error = in.multipart ? "the multipart body is not well-formed"
                                   : "the body could not be read to its end";
    if (in.body_too_large || in.body_error) {
      in.body.clear();
      in.multipart_fields.clear();
      in.files.clear();
    }
    respond(std::move(in), res);
  }

  void respond(Incoming in, httplib::Response& res) {
    Response out = dispatch(app, in);
    res.status = out.status;
    for (const auto& [k, v] : out.headers) res.set_header(k, v);
    if (out.stream) {
      auto gen = out.stream;
      res.set_chunked_content_provider(
          out.content_type, [gen](std::size_t, httplib::DataSink& sink) {
            std::string buf;
            bool more = false;
            try {
              more = gen(buf);
            } catch (const std::exception& e) {
              // The status line is gone already: all we can do is cut the response short.
              spdlog::error("streaming a response failed: {}", e.what());
              return false;
            }
            if (!buf.empty() && !sink.write(buf.data(), buf.size())) return false;
            if (!more) sink.done();
            return true;
          });
    } else {
      // What set_content does, without copying the body (204 and 304 have no content type).
      res.body = std::move(out.body);
      if (!out.content_type.empty()) res.set_header("Content-Type", out.content_type);
    }
  }
};

Server::Server(ServerOptions opt) : impl_(std::make_unique<Impl>(std::move(opt))) {}

Server::~Server() {
  stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

App& Server::app() {
  return impl_->app;
}

int Server::start() {
  auto& im = *impl_;
  auto t0 = std::chrono::steady_clock::now();
  auto index = im.app.index();
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  spdlog::info("search index: {} recommendations, {:.1f} MB, built in {} ms", index->size(),
               static_cast<double>(index->memory_bytes()) / 1e6, ms);

  auto& http = im.http;
  // Without TCP_NODELAY, Nagle's algorithm meets delayed ACKs: ~26 ms per response.
  http.set_tcp_nodelay(true);
  // cpp-httplib's default also sets SO_REUSEPORT, which lets a second server bind the same port
  // silently (and share its connections): keep SO_REUSEADDR only, so "port in use" is an error.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  http.set_keep_alive_max_count(1000);
  // cpp-httplib gives every answer without a body Content-Length: 0 (just before this runs): a
  // 204 must not have one, and on a 304 it would describe the representation as empty.
  http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 204 || res.status == 304) res.headers.erase("Content-Length");
  });
  // Bodies are read by handle_body(), no further than each route's limit; beyond this,
  // cpp-httplib drops the body itself and answers 413.
  http.set_payload_max_length(kDrainBytes);
  http.set_read_timeout(10);
  http.set_write_timeout(60);
  if (im.opt.threads > 0) {
    auto n = static_cast<std::size_t>(im.opt.threads);
    http.new_task_queue = [n] { return new httplib::ThreadPool(n); };
  }
  auto handler = [&im](const httplib::Request& req, httplib::Response& res) {
    im.handle(req, res);
  };
  auto body_handler = [&im](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) {
    im.handle_body(req, res, reader);
  };
  http.Get(".*", handler);
  http.Options(".*", handler);
  http.Post(".*", body_handler);
  http.Put(".*", body_handler);
  http.Patch(".*", body_handler);
  http.Delete(".*", body_handler);
  // Errors cpp-httplib answers itself, before any handler runs (a request line over 8 KB,
  // a malformed request, a body over the limit): JSON with a message, and the security headers.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        // Called for every status >= 400, ours included: leave those (they have a body) alone.
        if (!res.body.empty() || res.content_provider_)
          return httplib::Server::HandlerResponse::Unhandled;
        std::string msg;
        if (res.status == 414) {
          // The request line is over cpp-httplib's 8,192-byte limit: a parameter is far too long
          // (q is limited to 1,000 bytes). Answer 400 like every other bad parameter.
          res.status = 400;
          msg = "the address is too long (over 8,192 bytes); q is limited to 1,000 bytes";
        } else if (res.status == 413) {
          msg = "request body too large (at most " + std::to_string(kMaxBodyBytes / 1024) + " KB)";
        } else {
          msg = "the request could not be handled (HTTP status " + std::to_string(res.status) + ")";
        }
        nlohmann::ordered_json j = {{"error", msg}, {"parameter", nullptr}};
        res.set_content(j.dump(), "application/json; charset=utf-8");
        for (const auto& [k, v] : security_headers(RouteKind::Api)) res.set_header(k, v);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        // dispatch() catches everything; this is a last resort.
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          spdlog::error("{} {}: {}", req.method, req.path, e.what());
        } catch (...) {
        }
        res.status = 500;
        res.set_content(R"({"error":"internal error; it has been logged","parameter":null})",
                        "application/json; charset=utf-8");
        for (const auto& [k, v] : security_headers(RouteKind::Api)) res.set_header(k, v);
      });
  if (im.opt.access_log) {
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      spdlog::info("{} {} {} {}", req.remote_addr, req.method, req.path, res.status);
    });
  }
  if (im.opt.port == 0) {
    im.port = http.bind_to_any_port(im.opt.host);
    if (im.port < 0) throw Error("cannot listen on " + im.opt.host);
  } else {
    if (!http.bind_to_port(im.opt.host, im.opt.port))
      throw Error("cannot listen on " + im.opt.host + ":" + std::to_string(im.opt.port) +
                  " (in use? try --port)");
    im.port = im.opt.port;
  }
  im.thread = std::thread([&http] { http.listen_after_bind(); });
  return im.port;
}

void Server::wait() {
  if (impl_->thread.joinable()) impl_->thread.join();
}

void Server::stop() {
  impl_->http.stop();
}

}  // namespace hrtrack::web
