// Content coding of answers: gzip only (zlib), at a fast level. cpp-httplib as Debian builds it
// would pick brotli at its highest quality for any client that lists `br` (every browser):
// 20 s instead of under a second for the CSV export, for a few percent. The HTTP glue keeps it
// from compressing anything (server.cpp) and dispatch compresses here, bodies and streams alike.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hrtrack::web {

// zlib's level, 1 to 9, chosen by measurement on the real data (docs/http-api.md): level 4 makes
// the 25 MB JSON export 10x smaller in 0.16 s and the 10.6 MB CSV export 5x in 0.1 s; level 1
// is 15% larger for 20-45% less time, level 6 (zlib's default) 5-7% smaller for 1.7-2.6x the
// time.
constexpr int kGzipLevel = 4;
// Smaller bodies go as they are: the gzip framing and the time are not worth it.
constexpr std::size_t kMinGzipBytes = 1024;

// The tokens of a list header (Accept, Accept-Encoding): lower-cased names with their q-value
// (1 when not given, 0 for "q=0"); parameters other than q are dropped.
std::vector<std::pair<std::string, double>> header_tokens(std::string_view value);

// Whether an Accept-Encoding header accepts gzip: `gzip` or `x-gzip` with q > 0, or `*` with
// q > 0 when gzip is not named. Absent or empty: no.
bool accepts_gzip(std::string_view accept_encoding);

// Whether a type is worth compressing: text/*, JSON, JavaScript, XML, SVG (not XLSX, images or
// octet streams, which are compressed already or opaque).
bool compressible(std::string_view content_type);

// `data` as one gzip member (RFC 1952). Throws hrtrack::Error if zlib fails.
std::string gzip(std::string_view data, int level = kGzipLevel);

// A gzip member produced piece by piece, for streamed answers: memory holds zlib's state
// (about 300 KB), never the whole body.
class GzipStream {
 public:
  explicit GzipStream(int level = kGzipLevel);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;
  // Compresses `in`, appending to `out` what zlib has ready (maybe nothing yet).
  void write(std::string_view in, std::string& out);
  // Ends the member: appends the rest and the trailer. No write() after it.
  void finish(std::string& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hrtrack::web
