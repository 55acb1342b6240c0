#include "web/compress.h"

#include <zlib.h>

#include <cstdlib>

#include "core/error.h"
#include "core/text.h"

namespace hrtrack::web {

std::vector<std::pair<std::string, double>> header_tokens(std::string_view value) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& item : split_trim(value, ",")) {
    auto parts = split_trim(item, ";");
    if (parts.empty()) continue;
    double q = 1;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      auto p = ascii_lower(parts[i]);
      if (p.rfind("q=", 0) != 0) continue;
      char* end = nullptr;
      q = std::strtod(p.c_str() + 2, &end);
      if (end == p.c_str() + 2 || q < 0) q = 0;
    }
    out.emplace_back(ascii_lower(parts[0]), q);
  }
  return out;
}

bool accepts_gzip(std::string_view accept_encoding) {
  bool named = false, gzip_ok = false, star_ok = false;
  for (const auto& [name, q] : header_tokens(accept_encoding)) {
    if (name == "gzip" || name == "x-gzip") {
      named = true;
      gzip_ok = gzip_ok || q > 0;
    } else if (name == "*") {
      star_ok = q > 0;
    }
  }
  return named ? gzip_ok : star_ok;
}

bool compressible(std::string_view content_type) {
  auto t = ascii_lower(trim(content_type.substr(0, content_type.find(';'))));
  auto ends_with = [&](std::string_view s) {
    return t.size() >= s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0;
  };
  if (t.rfind("text/", 0) == 0) return t != "text/event-stream";
  return t == "application/json" || t == "application/javascript" || t == "application/xml" ||
         t == "image/svg+xml" || ends_with("+json") || ends_with("+xml");
}

struct GzipStream::Impl {
  z_stream z{};
  bool done = false;

  void run(std::string_view in, std::string& out, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    char buf[1 << 15];
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      int rc = deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) throw Error("gzip: zlib failed to compress");
      out.append(buf, sizeof buf - z.avail_out);
    } while (z.avail_out == 0);
  }
};

GzipStream::GzipStream(int level) : impl_(std::make_unique<Impl>()) {
  // windowBits 15 + 16: a gzip header and trailer around the deflate data.
  if (deflateInit2(&impl_->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("gzip: zlib could not start");
}

GzipStream::~GzipStream() {
  deflateEnd(&impl_->z);
}

void GzipStream::write(std::string_view in, std::string& out) {
  if (impl_->done) throw Error("gzip: write after finish");
  // zlib counts input in uInt: feed a huge piece in parts.
  constexpr std::size_t kPart = 1u << 30;
  while (in.size() > kPart) {
    impl_->run(in.substr(0, kPart), out, Z_NO_FLUSH);
    in.remove_prefix(kPart);
  }
  impl_->run(in, out, Z_NO_FLUSH);
}

void GzipStream::finish(std::string& out) {
  if (impl_->done) return;
  impl_->run({}, out, Z_FINISH);
  impl_->done = true;
}

std::string gzip(std::string_view data, int level) {
  GzipStream z(level);
  std::string out;
  out.reserve(data.size() / 4 + 64);
  z.write(data, out);
  z.finish(out);
  return out;
}

}  // namespace hrtrack::web
