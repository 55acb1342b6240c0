#include "web/http_cache.h"

#include <sodium.h>

#include <algorithm>

#include "core/text.h"
#include "web/compress.h"

namespace hrtrack::web {

namespace {

bool has_header(const Response& res, std::string_view name) {
  return std::any_of(res.headers.begin(), res.headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

void erase_header(Response& res, std::string_view name) {
  std::erase_if(res.headers, [&](const auto& h) { return iequals(h.first, name); });
}

std::string hash_hex(std::string_view data) {
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  return to_hex(out, sizeof out);
}

// A 304 carries what a cache needs to update what it holds (RFC 9110 15.4.5): the validator,
// Cache-Control, Vary, and here the cookies and CORS headers; no body and no representation
// metadata (Content-Type, -Encoding, -Language, -Disposition, X-Total-Count).
void make_not_modified(Response& res) {
  res.status = 304;
  res.body.clear();
  res.stream = nullptr;
  res.content_type.clear();
  std::erase_if(res.headers, [](const auto& h) {
    static const char* keep[] = {"ETag", "Cache-Control", "Vary", "Set-Cookie", "Expires"};
    for (const char* k : keep)
      if (iequals(h.first, k)) return false;
    return !starts_with_ci(h.first, "Access-Control-");
  });
}

// gzip of the body, or of the stream piece by piece (the answer stays streamed).
void compress(Response& res) {
  if (res.stream) {
    auto gen = std::move(res.stream);
    auto z = std::make_shared<GzipStream>();
    res.stream = [gen = std::move(gen), z](std::string& out) {
      std::string piece;
      bool more = gen(piece);
      z->write(piece, out);
      if (!more) z->finish(out);
      return more;
    };
  } else {
    res.body = gzip(res.body);
  }
  res.headers.emplace_back("Content-Encoding", "gzip");
}

}  // namespace

void set_header(Response& res, const std::string& name, const std::string& value) {
  erase_header(res, name);
  res.headers.emplace_back(name, value);
}

std::string header_value(const Response& res, std::string_view name) {
  for (const auto& [k, v] : res.headers)
    if (iequals(k, name)) return v;
  return "";
}

void merge_vary(Response& res, std::string_view add) {
  std::vector<std::string> names;
  auto take = [&](std::string_view list) {
    for (auto& n : split_trim(list, ","))
      if (std::none_of(names.begin(), names.end(), [&](const auto& m) { return iequals(m, n); }))
        names.push_back(std::move(n));
  };
  for (const auto& [k, v] : res.headers)
    if (iequals(k, "Vary")) take(v);
  take(add);
  erase_header(res, "Vary");
  if (!names.empty()) res.headers.emplace_back("Vary", join(names, ", "));
}

std::string body_etag(std::string_view identity_body, bool gzip) {
  return "\"" + hash_hex(identity_body) + (gzip ? "-gzip" : "") + "\"";
}

std::string version_etag(std::string_view version) {
  return "W/\"" + hash_hex(version) + "\"";
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  auto opaque = [](std::string_view t) {
    if (t.substr(0, 2) == "W/") t.remove_prefix(2);
    return t;
  };
  auto want = opaque(etag);
  std::string_view s = if_none_match;
  while (true) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == ','))
      s.remove_prefix(1);
    if (s.empty()) return false;
    if (s.front() == '*') return true;
    std::size_t start = s.substr(0, 2) == "W/" ? 2 : 0;
    if (s.size() <= start || s[start] != '"') return false;  // not an entity tag: stop
    auto close = s.find('"', start + 1);
    if (close == std::string_view::npos) return false;
    if (s.substr(start, close - start + 1) == want) return true;
    s.remove_prefix(close + 1);
  }
}

bool prefers_html(std::string_view accept) {
  double html = 0, json = 0;
  for (const auto& [name, q] : header_tokens(accept)) {
    if (name == "text/html" || name == "application/xhtml+xml") html = std::max(html, q);
    if (name == "application/json") json = std::max(json, q);
  }
  return html > 0 && html >= json;
}

std::vector<std::pair<std::string, std::string>> preflight_headers() {
  return {{"Access-Control-Allow-Origin", "*"},
          {"Access-Control-Allow-Methods", kPublicMethods},
          {"Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Type, If-None-Match"},
          {"Access-Control-Max-Age", "86400"},
          {"Allow", kPublicMethods}};
}

void finish_answer(Response& res, const Request& rq, bool gzip_ok) {
  bool has_body = res.status != 204 && res.status != 304;
  bool may_compress =
      has_body && compressible(res.content_type) && !has_header(res, "Content-Encoding");
  merge_vary(res, may_compress ? "Accept-Encoding" : "");
  bool gz = may_compress && gzip_ok && (res.stream || res.body.size() >= kMinGzipBytes);
  if (rq.public_answer && rq.route) {
    if (rq.route->kind == RouteKind::Api) {
      set_header(res, "Access-Control-Allow-Origin", "*");
      set_header(res, "Access-Control-Expose-Headers",
                 "ETag, X-Total-Count, Content-Disposition, Retry-After");
    }
    if (res.status == 200 || res.status == 304) {
      std::string etag;
      if (!res.version.empty())
        etag = version_etag(res.version);
      else if (!res.stream && res.status == 200)
        etag = body_etag(res.body, gz);
      if (!etag.empty()) {
        set_header(res, "ETag", etag);
        if (!has_header(res, "Cache-Control"))
          res.headers.emplace_back("Cache-Control", has_header(res, "Set-Cookie")
                                                        ? "private, max-age=0, must-revalidate"
                                                        : "public, max-age=0, must-revalidate");
        if (res.status == 304 || etag_matches(rq.if_none_match, etag)) {
          make_not_modified(res);
          return;
        }
      }
    }
  } else {
    // Only public answers are validated: a handler's ETag never reaches anyone else.
    erase_header(res, "ETag");
  }
  if (gz) compress(res);
}

}  // namespace hrtrack::web
