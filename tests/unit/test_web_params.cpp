// Parameter validation of the HTTP layer (src/web/params.h) and the route table
// (src/web/routes.h): bad input is a search::BadRequest naming the parameter, never anything else.
#include <gtest/gtest.h>

#include "core/record_json.h"
#include "core/text.h"
#include "web/params.h"
#include "web/render.h"
#include "web/routes.h"

using namespace hrtrack;
using namespace hrtrack::web;

namespace {

const std::vector<search::FacetDef>& test_facets() {
  static const std::vector<search::FacetDef> f = {
      {"state", "facet.state", false, false},
      {"year", "facet.year", false, true},
      {"theme", "facet.theme", true, false},
  };
  return f;
}

// The name of the parameter a BadRequest blames, or "" when nothing was thrown.
std::string blamed(const Params& p, bool paged = true) {
  try {
    check_encoding(p);
    check_known(p, search_param_names(test_facets(), paged));
    parse_search_request(p, test_facets(), paged);
  } catch (const search::BadRequest& e) {
    EXPECT_FALSE(std::string(e.what()).empty());
    return e.param().empty() ? "(none)" : e.param();
  }
  return "";
}

}  // namespace

TEST(WebParams, BuildsARequest) {
  auto r = parse_search_request({{"q", "torture"},
                                 {"state", "SVN"},
                                 {"state", "Peru"},
                                 {"state", "SVN"},
                                 {"year", "2010..2012"},
                                 {"theme", ""},
                                 {"page", "3"},
                                 {"per_page", "50"},
                                 {"sort", "date"},
                                 {"sdg", "16.2 - Protect children"},
                                 {"sdg", "5"}},
                                test_facets(), true);
  EXPECT_EQ(r.q, "torture");
  EXPECT_EQ(r.filters["state"],
            (std::vector<std::string>{"SVN", "Peru"}));  // repeats ORed, deduped
  EXPECT_EQ(r.filters["year"], (std::vector<std::string>{"2010..2012"}));
  EXPECT_FALSE(r.filters.count("theme"));  // an empty value is no filter (an empty form field)
  EXPECT_EQ(r.filters["sdg"], (std::vector<std::string>{"16.2", "5"}));
  EXPECT_EQ(r.page, 3);
  EXPECT_EQ(r.per_page, 50);
  EXPECT_EQ(r.sort, search::Sort::DateDesc);
}

TEST(WebParams, FacetsToCount) {
  auto r =
      parse_search_request({{"facets", "state, theme"}, {"facets", "state"}}, test_facets(), true);
  EXPECT_EQ(r.facet_names, (std::vector<std::string>{"state", "theme"}));
  EXPECT_TRUE(r.with_facets);
  EXPECT_FALSE(parse_search_request({{"facets", "none"}}, test_facets(), true).with_facets);
  EXPECT_EQ(blamed({{"facets", "state,bogus"}}), "facets");
  EXPECT_EQ(blamed({{"facets", "state"}}, false), "facets");  // not an export parameter
}

TEST(WebParams, Defaults) {
  auto r = parse_search_request({}, test_facets(), true);
  EXPECT_EQ(r.page, 1);
  EXPECT_EQ(r.per_page, 20);
  EXPECT_TRUE(r.q.empty());
  EXPECT_TRUE(r.filters.empty());
}

TEST(WebParams, AbsurdValuesNameTheParameter) {
  EXPECT_EQ(blamed({{"page", "-1"}}), "page");
  EXPECT_EQ(blamed({{"page", "0"}}), "page");
  EXPECT_EQ(blamed({{"page", "1e3"}}), "page");
  EXPECT_EQ(blamed({{"page", "99999999999999999999999"}}), "page");
  EXPECT_EQ(blamed({{"per_page", "1000000000"}}), "per_page");
  EXPECT_EQ(blamed({{"per_page", "0"}}), "per_page");
  EXPECT_EQ(blamed({{"per_page", "1000"}}), "");
  EXPECT_EQ(blamed({{"q", std::string(1001, 'a')}}), "q");
  EXPECT_EQ(blamed({{"q", std::string(1000, 'a')}}), "");
  EXPECT_EQ(blamed({{"q", std::string(1 << 20, 'a')}}), "q");
  EXPECT_EQ(blamed({{"sort", "random"}}), "sort");
  EXPECT_EQ(blamed({{"year", "abc"}}), "year");
  EXPECT_EQ(blamed({{"year", "2012..2010"}}), "year");
  EXPECT_EQ(blamed({{"year", ".."}}), "year");
  EXPECT_EQ(blamed({{"year", "2010.."}}), "");
  EXPECT_EQ(blamed({{"year", "1234567890123"}}), "year");
  EXPECT_EQ(blamed({{"sdg", "18"}}), "sdg");
  EXPECT_EQ(blamed({{"sdg", "peace"}}), "sdg");
  EXPECT_EQ(blamed({{"state", std::string(301, 'x')}}), "state");
  EXPECT_EQ(blamed({{"page", "1"}, {"page", "2"}}), "page");
  EXPECT_EQ(blamed({{"facet_limit", "-5"}}), "facet_limit");
}

TEST(WebParams, UnknownParametersAreRejected) {
  EXPECT_EQ(blamed({{"foo", "1"}}), "foo");
  EXPECT_EQ(blamed({{"q", "x"}, {"State", "SVN"}}), "State");
  // Page parameters belong to paged endpoints only (export streams everything).
  EXPECT_EQ(blamed({{"page", "2"}}, false), "page");
  EXPECT_EQ(blamed({{"q", "x"}, {"state", "SVN"}}, false), "");
}

TEST(WebParams, EncodingIsChecked) {
  EXPECT_EQ(blamed({{"q", "caf\xC3\xA9"}}), "");
  EXPECT_EQ(blamed({{"q", "caf\xE9"}}), "q");               // Latin-1, not UTF-8
  EXPECT_EQ(blamed({{"state", "\xC0\xAF"}}), "state");      // overlong
  EXPECT_EQ(blamed({{"q", "\xED\xA0\x80"}}), "q");          // surrogate
  EXPECT_EQ(blamed({{"q", std::string("a\0b", 3)}}), "q");  // NUL
  EXPECT_EQ(blamed({{"q", "a\x1b[31m"}}), "q");             // escape sequence
  EXPECT_NE(blamed({{"\xFF", "1"}}), "");                   // a bad name is blamed too
  Params many;
  for (int i = 0; i < 1000; ++i) many.emplace_back("state", "SVN");
  EXPECT_NE(blamed(many), "");
}

TEST(WebParams, SdgCodes) {
  EXPECT_EQ(sdg_code("16"), "16");
  EXPECT_EQ(sdg_code("16.2"), "16.2");
  EXPECT_EQ(sdg_code("5.A"), "5.a");
  EXPECT_EQ(sdg_code("16.10"), "16.10");
  EXPECT_EQ(sdg_code("16.2 - Protect children from abuse"), "16.2");
  EXPECT_FALSE(sdg_code("0"));
  EXPECT_FALSE(sdg_code("18"));
  EXPECT_FALSE(sdg_code("16."));
  EXPECT_FALSE(sdg_code("16.123"));
  EXPECT_FALSE(sdg_code(""));
}

TEST(WebRoutes, PatternsMatch) {
  std::map<std::string, std::string> p;
  EXPECT_TRUE(match_pattern("/recommendations/{uid}", "/recommendations/R-1", p));
  EXPECT_EQ(p["uid"], "R-1");
  EXPECT_FALSE(match_pattern("/recommendations/{uid}", "/recommendations/", p));
  EXPECT_FALSE(match_pattern("/recommendations/{uid}", "/recommendations/a/b", p));
  EXPECT_TRUE(match_pattern("/i18n/{lang}.json", "/i18n/fr.json", p));
  EXPECT_EQ(p["lang"], "fr");
  EXPECT_FALSE(match_pattern("/i18n/{lang}.json", "/i18n/.json", p));
  EXPECT_FALSE(match_pattern("/i18n/{lang}.json", "/i18n/fr.js", p));
  EXPECT_TRUE(match_pattern("/", "/", p));
  EXPECT_FALSE(match_pattern("/", "/x", p));
  EXPECT_FALSE(match_pattern("/search", "/search/", p));
}

TEST(WebRoutes, TableDrivesDispatchAndOpenApi) {
  auto routes = route_table();
  std::map<std::string, std::string> p;
  bool matched = false;
  auto* r = find_route(routes, "GET", "/api/recommendations/R-0123", p, matched);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->pattern, "/api/recommendations/{uid}");
  EXPECT_EQ(find_route(routes, "HEAD", "/api/recommendations", p, matched)->pattern,
            "/api/recommendations");
  EXPECT_EQ(find_route(routes, "POST", "/api/recommendations", p, matched), nullptr);
  EXPECT_TRUE(matched);  // -> 405, not 404
  EXPECT_EQ(find_route(routes, "GET", "/nowhere", p, matched), nullptr);
  EXPECT_FALSE(matched);

  auto doc = openapi_document(routes, test_facets());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::string> operation_ids;
  for (const auto& route : routes) {
    if (route.kind != RouteKind::Api) {
      EXPECT_FALSE(doc["paths"].contains(route.pattern)) << route.pattern;
      continue;
    }
    ASSERT_TRUE(doc["paths"].contains(route.pattern)) << route.pattern;
    // Every parameter the route accepts is documented, and only those.
    std::set<std::string> documented;
    for (const auto& prm : doc["paths"][route.pattern][ascii_lower(route.method)]["parameters"])
      if (prm["in"] == "query") documented.insert(prm["name"].get<std::string>());
    EXPECT_EQ(documented, accepted_params(route, test_facets())) << route.pattern;
    // Enough to generate a client: an operationId, security, and a schema for every answer.
    const auto& op = doc["paths"][route.pattern][ascii_lower(route.method)];
    auto id = op["operationId"].get<std::string>();
    EXPECT_TRUE(operation_ids.insert(id).second) << id;
    ASSERT_TRUE(op["security"].is_array()) << route.pattern;
    EXPECT_EQ(op["security"][0].empty(), route.public_read) << route.pattern;
    bool success = false;
    for (const auto& [status, res] : op["responses"].items()) {
      if (status == "304") continue;
      ASSERT_TRUE(res.contains("content")) << route.pattern << " " << status;
      auto schema = res["content"].contains("application/json")
                        ? res["content"]["application/json"]["schema"]
                        : nlohmann::ordered_json{{"$ref", "(not json)"}};
      EXPECT_NE(schema, (nlohmann::ordered_json{{"type", "object"}}))
          << route.method << " " << route.pattern << " " << status << ": a bare object";
      if (schema.contains("$ref")) {
        auto ref = schema["$ref"].get<std::string>();
        if (ref.rfind("#/components/schemas/", 0) == 0) {
          EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(21))) << ref;
        }
      }
      success = success || status == "200" || status == "201";
    }
    EXPECT_TRUE(success) << route.pattern;
  }
  EXPECT_TRUE(operation_ids.count("getRecommendations"));
  EXPECT_TRUE(operation_ids.count("getRecommendationsByUidFollowup"));
  EXPECT_TRUE(doc["paths"]["/api/clusters"]["post"]["responses"].contains("201"));
  auto rec = doc["components"]["schemas"]["Recommendation"];
  for (const auto& f : record_fields()) EXPECT_TRUE(rec["properties"].contains(f.name)) << f.name;
  EXPECT_TRUE(rec["properties"]["upr_cycle"]["nullable"].get<bool>());
  auto search = doc["paths"]["/api/recommendations"]["get"];
  EXPECT_EQ(search["responses"]["400"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Error");
}

TEST(WebRender, UrlsAreEncoded) {
  EXPECT_EQ(url_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(url_with("/search", {{"q", "\"death penalty\""}, {"state", "SVN"}}),
            "/search?q=%22death%20penalty%22&state=SVN");
  EXPECT_EQ(url_with("/recommendations/R-1", {}), "/recommendations/R-1");
  EXPECT_EQ(url_with("/x/<script>", {}), "/x/%3Cscript%3E");
  EXPECT_EQ(params_without({{"a", "1"}, {"lang", "fr"}, {"b", ""}, {"a", "2"}}, {"lang"}),
            (Params{{"a", "1"}, {"a", "2"}}));
}

TEST(WebRender, CountsUseTheLanguagesGrouping) {
  EXPECT_EQ(format_count(1234567, "en"), "1,234,567");
  EXPECT_EQ(format_count(0, "fr"), "0");
  EXPECT_NE(format_count(1234567, "fr"), "1,234,567");  // a (narrow) space groups in French
  EXPECT_EQ(format_count(1234, "ar").find("1"), 0u);    // Latin digits everywhere
}
