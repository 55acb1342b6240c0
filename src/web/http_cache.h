// What dispatch does to every answer once the handler is done: validators and caching, CORS for
// the public read-only API, one Vary header, and the content coding (compress.h).
//
//  * Public answers (Request::public_answer: a GET or HEAD of a public_read route without
//    credentials) carry an ETag: the hash of the body's bytes (strong, one per content coding:
//    "…" for identity, "…-gzip" for gzip), or for a streamed answer a weak W/"…" derived from
//    its Response::version. If-None-Match naming it gets 304 with no body. Unless the handler
//    chose its own, Cache-Control is `public, max-age=0, must-revalidate` (`private, …` when the
//    answer sets a cookie).
//  * Answers to a request with credentials are `private, no-store` and get none of this
//    (dispatch sets that; a public cache never holds what a signed-in user saw).
//  * Public API answers carry Access-Control-Allow-Origin: * and expose ETag, X-Total-Count,
//    Content-Disposition and Retry-After; OPTIONS on their addresses is the preflight (204).
//    Credentials are never allowed cross-origin.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/http.h"

namespace hrtrack::web {

// Replaces every header `name` (case-insensitive) of `res` with one `name: value`.
void set_header(Response& res, const std::string& name, const std::string& value);
// The value of header `name` ("" when absent).
std::string header_value(const Response& res, std::string_view name);

// Merges every Vary header of `res` and the names in `add` (comma-separated) into one header,
// each name once (case-insensitive), in the order first seen. No Vary header when none.
void merge_vary(Response& res, std::string_view add);

// The strong ETag of a body: its BLAKE2b-128 in hex, quoted, with "-gzip" for the gzip coding.
std::string body_etag(std::string_view identity_body, bool gzip);
// The weak ETag of a streamed answer's version: W/"<hash of version>".
std::string version_etag(std::string_view version);
// If-None-Match's weak comparison (RFC 9110 13.1.2): `*`, or one of the listed tags equals
// `etag` once any W/ is dropped.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// Whether an Accept header asks for HTML first (a browser's navigation): text/html or
// application/xhtml+xml with a q-value above 0 and at least that of application/json.
bool prefers_html(std::string_view accept);

// The headers of a CORS preflight answer (204) for a public API address.
std::vector<std::pair<std::string, std::string>> preflight_headers();
constexpr const char* kPublicMethods = "GET, HEAD, OPTIONS";

// Finishes `res` for `rq` as described above; `gzip_ok`: the client accepts gzip.
void finish_answer(Response& res, const Request& rq, bool gzip_ok);

}  // namespace hrtrack::web
