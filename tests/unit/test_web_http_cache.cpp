// The pure parts of caching and compression: Accept-Encoding, If-None-Match, Vary, gzip.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "gunzip.h"
#include "web/compress.h"
#include "web/http_cache.h"

using namespace hrtrack::web;

TEST(WebHttpCache, AcceptEncoding) {
  EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd"));
  EXPECT_TRUE(accepts_gzip("GZIP"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("br, zstd"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, br"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
}

TEST(WebHttpCache, CompressibleTypes) {
  for (const char* t :
       {"application/json; charset=utf-8", "text/csv; charset=utf-8", "text/html; charset=utf-8",
        "text/css", "application/javascript", "image/svg+xml", "application/problem+json"})
    EXPECT_TRUE(compressible(t)) << t;
  for (const char* t : {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "application/octet-stream", "image/png", "text/event-stream", ""})
    EXPECT_FALSE(compressible(t)) << t;
}

TEST(WebHttpCache, GzipRoundTripsWholeAndStreamed) {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "Ratify the optional protocol " + std::to_string(i) + "\n";
  auto whole = gzip(text);
  EXPECT_LT(whole.size(), text.size() / 4);
  EXPECT_EQ(gunzip(whole), text);
  GzipStream z;
  std::string streamed;
  for (std::size_t at = 0; at < text.size(); at += 7001) z.write(text.substr(at, 7001), streamed);
  z.finish(streamed);
  EXPECT_EQ(gunzip(streamed), text);
  EXPECT_EQ(gunzip(gzip("")), "");
}

TEST(WebHttpCache, IfNoneMatch) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));  // weak comparison
  EXPECT_TRUE(etag_matches("\"abc\"", "W/\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\", \"a,b\" ,W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"a,b\"", "\"a,b\""));
  EXPECT_TRUE(etag_matches("*", "\"abc\""));
  EXPECT_FALSE(etag_matches("", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abc-gzip\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("abc", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"ab", "\"ab\""));
  auto id = body_etag("body", false), gz = body_etag("body", true);
  EXPECT_NE(id, gz);
  EXPECT_EQ(id, body_etag("body", false));
  EXPECT_NE(id, body_etag("other", false));
  EXPECT_EQ(version_etag("v1").rfind("W/\"", 0), 0u);
}

TEST(WebHttpCache, OneVaryHeader) {
  Response r;
  r.headers = {{"Vary", "Accept-Language, Cookie"}, {"X", "y"}, {"vary", "cookie, Accept"}};
  merge_vary(r, "Accept-Encoding");
  int n = 0;
  for (const auto& [k, v] : r.headers)
    if (k == "Vary" || k == "vary") ++n;
  EXPECT_EQ(n, 1);
  EXPECT_EQ(header_value(r, "vary"), "Accept-Language, Cookie, Accept, Accept-Encoding");
  Response none;
  merge_vary(none, "");
  EXPECT_TRUE(none.headers.empty());
}

TEST(WebHttpCache, PrefersHtml) {
  EXPECT_TRUE(prefers_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
  EXPECT_FALSE(prefers_html("*/*"));
  EXPECT_FALSE(prefers_html(""));
  EXPECT_FALSE(prefers_html("application/json, text/html;q=0.5"));
}
