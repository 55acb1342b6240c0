// The HTTP layer end to end without sockets: a real store and index, requests through
// web::dispatch() (the one dispatch point), answers checked for status, headers and escaping.
#include <gtest/gtest.h>
#include <unistd.h>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "gunzip.h"
#include "ingest/importer.h"
#include "ingest/vocab_loader.h"
#include "store/store.h"
#include "web/app.h"
#include "web/server.h"

using hrtrack::web::App;
using hrtrack::web::AppOptions;
using hrtrack::web::Incoming;
using hrtrack::web::Params;
using WebResponse = hrtrack::web::Response;

namespace {

class WebDispatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        std::filesystem::temp_directory_path() / ("hrtrack_web_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    auto csv = dir_ / "records.csv";
    std::ofstream(csv) << "kind,mechanism,state_iso3,state_name,symbol,paragraph,text,lang,"
                          "issues,response,upr_session\n"
                          "recommendation,UPR,SVN,Slovenia,A/HRC/28/15,115.1,\"Hostile "
                          "<script>alert(1)</script> \"\"><img src=x onerror=alert(2)> "
                          "{{t.site.name}} {{{page}}}\",en,Justice,Accepted,20\n"
                          "recommendation,UPR,PER,Peru,A/HRC/37/8,111.2,Abolish torture in "
                          "prisons,en,Torture,Noted,28\n"
                          "recommendation,UPR,PER,Peru,A/HRC/37/8,111.3,Ratify the optional "
                          "protocol against torture,en,Torture,Accepted,28\n";
    db_ = (dir_ / "t.db").string();
    auto store = hrtrack::open_store(db_);
    hrtrack::ingest::load_builtin_vocabularies(*store, "test");
    hrtrack::ingest::ImportOptions opt;
    opt.source.format = "csv";
    opt.source.path = csv.string();
    auto rep = hrtrack::ingest::import_file(*store, opt);
    ASSERT_TRUE(rep.committed);
    ASSERT_EQ(rep.new_count, 3);
    app_ = new App(hrtrack::web::sqlite_app_options(db_));
  }
  static void TearDownTestSuite() {
    delete app_;
    std::filesystem::remove_all(dir_);
  }

  static WebResponse call(const Incoming& in) { return hrtrack::web::dispatch(*app_, in); }
  static Incoming get(const std::string& path, Params query = {}) {
    Incoming in;
    in.path = path;
    in.query = std::move(query);
    return in;
  }
  static WebResponse call(const std::string& path, Params query = {}, std::string accept_lang = "",
                          std::string cookie = "", std::string method = "GET") {
    Incoming in;
    in.method = method;
    in.path = path;
    in.query = std::move(query);
    in.accept_language = std::move(accept_lang);
    in.cookie = std::move(cookie);
    return hrtrack::web::dispatch(*app_, in);
  }
  static std::string header(const WebResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }
  // The Set-Cookie header that sets `name` ("" if none).
  static std::string cookie_set(const WebResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie" && v.rfind(name + "=", 0) == 0) return v;
    return "";
  }
  static std::string body(const WebResponse& r) {
    if (!r.stream) return r.body;
    std::string out, chunk;
    while (true) {
      chunk.clear();
      bool more = r.stream(chunk);
      out += chunk;
      if (!more) break;
    }
    return out;
  }

  static inline std::filesystem::path dir_;
  static inline std::string db_;
  static inline App* app_ = nullptr;
};

}  // namespace

TEST_F(WebDispatch, PagesRender) {
  for (std::string path : {"/", "/search", "/browse", "/browse/state", "/browse/mechanism",
                           "/browse/theme", "/browse/sdg", "/api"}) {
    auto r = call(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body.substr(0, 300);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    EXPECT_NE(r.body.find("<html lang=\"en\" dir=\"ltr\">"), std::string::npos) << path;
    EXPECT_NE(header(r, "Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
  }
}

TEST_F(WebDispatch, HostileTextIsEscapedEverywhere) {
  auto api = nlohmann::json::parse(call("/api/recommendations", {{"q", "hostile"}}).body);
  ASSERT_EQ(api["total"], 1);
  std::string uid = api["items"][0]["uid"];
  for (auto r : {call("/search", {{"q", "hostile"}}), call("/recommendations/" + uid),
                 call("/search", {{"q", "<script>alert(1)</script>"}}),
                 call("/search", {{"state", "\"><script>alert(1)</script>"}})}) {
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_EQ(r.body.find("<script>alert"), std::string::npos);
    EXPECT_EQ(r.body.find("<img src=x"), std::string::npos);
    EXPECT_EQ(r.body.find("\"><script"), std::string::npos);
    EXPECT_EQ(r.body.find("\"><img"), std::string::npos);
  }
  auto page = call("/recommendations/" + uid).body;
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // Template syntax in data is shown, not rendered.
  EXPECT_NE(page.find("{{t.site.name}} {{{page}}}"), std::string::npos);
}

TEST_F(WebDispatch, SearchApi) {
  auto r = call("/api/recommendations", {{"q", "torture"}, {"per_page", "1"}, {"state", "PER"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "*");
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["total"], 2);
  EXPECT_EQ(j["page"], 1);
  EXPECT_EQ(j["per_page"], 1);
  EXPECT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["state_iso3"], "PER");
  bool found = false;
  for (const auto& v : j["facets"]["response"])
    if (v["value"] == "noted") found = v["count"] == 1;
  EXPECT_TRUE(found) << j["facets"].dump();
  // Pages of results link to each other (page 2 of 3 links to 1 and 3).
  auto pages = call("/search", {{"per_page", "1"}, {"page", "2"}});
  EXPECT_NE(pages.body.find("class=\"pagination\""), std::string::npos);
  EXPECT_NE(pages.body.find("href=\"/search?per_page=1&amp;page=3\" rel=\"next\""),
            std::string::npos);
  // A filter given by name or synonym ticks the value the facet lists (code), once.
  auto named = call("/search", {{"state", "Peru"}, {"response", "Accepted"}}).body;
  EXPECT_NE(named.find("value=\"PER\" checked"), std::string::npos);
  EXPECT_NE(named.find("value=\"supported\" checked"), std::string::npos);
  EXPECT_EQ(named.find("value=\"Peru\""), std::string::npos);
  // A page far past the end is an empty page, not an error.
  auto far = nlohmann::json::parse(call("/api/recommendations", {{"page", "10000"}}).body);
  EXPECT_EQ(far["total"], 3);
  EXPECT_TRUE(far["items"].empty());
}

TEST_F(WebDispatch, BadInputIs400NamingTheParameter) {
  struct Case {
    std::string path;
    Params query;
    std::string param;
  };
  for (const auto& c : std::vector<Case>{
           {"/api/recommendations", {{"per_page", "1000000000"}}, "per_page"},
           {"/api/recommendations", {{"page", "-1"}}, "page"},
           {"/api/recommendations", {{"q", std::string(1 << 20, 'x')}}, "q"},
           {"/api/recommendations", {{"q", "\xff\xfe"}}, "q"},
           {"/api/recommendations", {{"q", "\"unclosed"}}, "q"},
           {"/api/recommendations", {{"bogus", "1"}}, "bogus"},
           {"/api/recommendations", {{"lang", "xx"}}, "lang"},
           {"/api/recommendations", {{"session", "9..1"}}, "session"},
           {"/api/export", {}, "format"},
           {"/api/export", {{"format", "pdf"}}, "format"},
           {"/api/export", {{"format", "csv"}, {"page", "2"}}, "page"},
       }) {
    auto r = call(c.path, c.query);
    EXPECT_EQ(r.status, 400) << c.path << " " << c.param << ": " << r.body;
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["parameter"], c.param) << r.body;
    EXPECT_FALSE(j["error"].get<std::string>().empty());
  }
  // Pages answer bad input with an HTML page, in the reader's language.
  auto page = call("/search", {{"page", "0"}}, "fr");
  EXPECT_EQ(page.status, 400);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("lang=\"fr\""), std::string::npos);
  EXPECT_NE(page.body.find("page must be"), std::string::npos);
  // A query the index cannot parse shows the search form again with the message.
  auto q = call("/search", {{"q", "\"unclosed"}});
  EXPECT_EQ(q.status, 400);
  EXPECT_NE(q.body.find("id=\"q\""), std::string::npos);
  EXPECT_EQ(call("/search", {{"q", "x"}}, "", "", "POST").status, 405);
  EXPECT_EQ(call("/api/recommendations/R-0000000000000000").status, 404);
  EXPECT_EQ(call("/recommendations/R-0000000000000000").status, 404);
  EXPECT_EQ(call("/browse/nonsense").status, 404);
  EXPECT_EQ(call("/static/../../etc/passwd").status, 404);
  EXPECT_EQ(call("/nowhere\xff").status, 400);
}

TEST_F(WebDispatch, LanguageNegotiation) {
  auto fr = call("/", {}, "fr-CH, en;q=0.5");
  EXPECT_NE(fr.body.find("<html lang=\"fr\" dir=\"ltr\">"), std::string::npos);
  EXPECT_EQ(cookie_set(fr, "lang"), "");
  auto ar = call("/", {{"lang", "ar"}}, "fr");
  EXPECT_NE(ar.body.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  EXPECT_NE(cookie_set(ar, "lang").find("lang=ar;"), std::string::npos);
  EXPECT_NE(cookie_set(ar, "lang").find("SameSite=Lax"), std::string::npos);
  auto es = call("/search", {}, "fr", "lang=es");
  EXPECT_NE(es.body.find("<html lang=\"es\""), std::string::npos);
  auto cat = nlohmann::json::parse(call("/i18n/es.json").body);
  EXPECT_EQ(cat["search.button"], "Buscar");
  EXPECT_EQ(call("/i18n/xx.json").status, 404);
}

TEST_F(WebDispatch, ExportStreamsEveryRow) {
  auto csv = call("/api/export", {{"format", "csv"}, {"q", "torture"}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(header(csv, "X-Total-Count"), "2");
  auto text = body(csv);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);  // header + 2 rows
  auto json = nlohmann::json::parse(body(call("/api/export", {{"format", "json"}})));
  EXPECT_EQ(json.size(), 3u);
  auto xlsx = body(call("/api/export", {{"format", "xlsx"}}));
  EXPECT_EQ(xlsx.substr(0, 2), "PK");  // a zip
}

TEST_F(WebDispatch, OpenApiAndVocabularies) {
  auto doc = nlohmann::json::parse(call("/api/openapi.json").body);
  EXPECT_TRUE(doc["paths"].contains("/api/recommendations"));
  EXPECT_TRUE(doc["paths"].contains("/api/export"));
  auto mech = nlohmann::json::parse(call("/api/vocabularies/mechanisms").body);
  EXPECT_FALSE(mech["terms"].empty());
  EXPECT_EQ(call("/api/vocabularies/nonsense").status, 404);
  auto facet = nlohmann::json::parse(call("/api/facets/state").body);
  EXPECT_EQ(facet["values"].size(), 2u);
}

TEST_F(WebDispatch, GzipWhenAcceptedWithOneVary) {
  auto in = get("/search");
  in.cookie = "hrt_csrf=" + std::string(40, 'a');
  auto plain = call(in);
  in.accept_encoding = "gzip, deflate, br, zstd";
  auto gz = call(in);
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(header(plain, "Content-Encoding"), "");
  EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(gunzip(gz.body), plain.body);
  int vary = 0;
  for (const auto& [k, v] : gz.headers) vary += k == "Vary";
  EXPECT_EQ(vary, 1);
  EXPECT_EQ(header(gz, "Vary"), "Accept-Language, Cookie, Accept-Encoding");
  // No brotli, no zstd: what is not gzip goes as it is.
  in.accept_encoding = "br, zstd";
  EXPECT_EQ(call(in).body, plain.body);
  // A streamed export stays streamed, each piece compressed as it comes.
  auto ex = get("/api/export", {{"format", "json"}});
  auto ex_plain = body(call(ex));
  ex.accept_encoding = "gzip";
  auto ex_gz = call(ex);
  ASSERT_TRUE(ex_gz.stream);
  EXPECT_EQ(header(ex_gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(gunzip(body(ex_gz)), ex_plain);
}

TEST_F(WebDispatch, ETagAndNotModifiedForAnonymousOnly) {
  auto in = get("/api/recommendations", {{"q", "torture"}});
  auto a = call(in);
  auto etag = header(a, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(header(a, "Cache-Control"), "public, max-age=0, must-revalidate");
  EXPECT_EQ(header(a, "Access-Control-Allow-Origin"), "*");
  in.if_none_match = etag;
  auto nm = call(in);
  EXPECT_EQ(nm.status, 304);
  EXPECT_TRUE(nm.body.empty());
  EXPECT_EQ(header(nm, "ETag"), etag);
  EXPECT_EQ(nm.content_type, "");
  // Credentials (even ones that are no longer valid): private, no ETag, never 304, no CORS.
  in.cookie = "hrt_session=stale";
  auto priv = call(in);
  EXPECT_EQ(priv.status, 200);
  EXPECT_EQ(header(priv, "ETag"), "");
  EXPECT_EQ(header(priv, "Cache-Control"), "private, no-store");
  EXPECT_EQ(header(priv, "Access-Control-Allow-Origin"), "");
  // A streamed export: a weak ETag from the data version, 304 before any work.
  auto ex = get("/api/export", {{"format", "csv"}});
  auto e1 = call(ex);
  auto tag = header(e1, "ETag");
  ASSERT_EQ(tag.rfind("W/\"", 0), 0u) << tag;
  ex.if_none_match = tag;
  auto e2 = call(ex);
  EXPECT_EQ(e2.status, 304);
  EXPECT_FALSE(e2.stream);
}

TEST_F(WebDispatch, PreflightOfThePublicApiOnly) {
  auto in = get("/api/recommendations");
  in.method = "OPTIONS";
  auto p = call(in);
  EXPECT_EQ(p.status, 204);
  EXPECT_EQ(header(p, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header(p, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(header(p, "Access-Control-Allow-Credentials"), "");
  in.path = "/api/me";
  auto me = call(in);
  EXPECT_EQ(me.status, 405);
  EXPECT_EQ(header(me, "Access-Control-Allow-Origin"), "");
  EXPECT_EQ(header(call(get("/api/me")), "Access-Control-Allow-Origin"), "");
}

TEST_F(WebDispatch, ExportSlotsLastUntilTheStreamIsGone) {
  ASSERT_EQ(app_->options().max_concurrent_exports, 2);
  auto ex = get("/api/export", {{"format", "csv"}});
  auto first = std::make_unique<WebResponse>(call(ex));
  auto second = call(ex);
  ASSERT_EQ(first->status, 200);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(app_->exports_running(), 2);
  auto third = call(ex);
  EXPECT_EQ(third.status, 503);
  EXPECT_FALSE(header(third, "Retry-After").empty());
  EXPECT_NE(nlohmann::json::parse(third.body)["error"].get<std::string>().find("export"),
            std::string::npos);
  ex.accept = "text/html,application/xhtml+xml,*/*;q=0.8";
  auto page = call(ex);
  EXPECT_EQ(page.status, 503);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  ex.accept.clear();
  first.reset();  // the stream function, and with it the slot, is gone
  EXPECT_EQ(app_->exports_running(), 1);
  EXPECT_EQ(call(ex).status, 200);  // a temporary: its slot ends with it
  EXPECT_EQ(app_->exports_running(), 1);
}
