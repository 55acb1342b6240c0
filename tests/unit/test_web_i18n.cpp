// Language negotiation, message formatting and the message catalogues (src/web/i18n.h).
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string_view>

#include "core/error.h"
#include "web/assets.h"
#include "web/i18n.h"

namespace hrtrack::embedded::web {
const std::map<std::string, std::string_view>& files();
}

using namespace hrtrack::web;

TEST(WebI18n, MatchLanguage) {
  EXPECT_EQ(match_language("fr"), "fr");
  EXPECT_EQ(match_language("fr-CA"), "fr");
  EXPECT_EQ(match_language("ES_mx"), "es");
  EXPECT_EQ(match_language("zh-Hant-TW"), "zh");
  EXPECT_EQ(match_language(" ar-EG "), "ar");
  EXPECT_FALSE(match_language("de"));
  EXPECT_FALSE(match_language("*"));
  EXPECT_FALSE(match_language(""));
  EXPECT_FALSE(match_language("f"));
  EXPECT_FALSE(match_language("français"));
}

TEST(WebI18n, AcceptLanguageOrdersByQuality) {
  EXPECT_EQ(accept_language("de, fr;q=0.8, en;q=0.9"), (std::vector<std::string>{"en", "fr"}));
  EXPECT_EQ(accept_language("es-MX,es;q=0.9,en;q=0.5"), (std::vector<std::string>{"es", "en"}));
  // Equal quality keeps header order; q=0 means "not this one".
  EXPECT_EQ(accept_language("ru, zh"), (std::vector<std::string>{"ru", "zh"}));
  EXPECT_EQ(accept_language("fr;q=0, en"), (std::vector<std::string>{"en"}));
  // Malformed q-values count as 0; garbage is ignored.
  EXPECT_EQ(accept_language("fr;q=abc, ar"), (std::vector<std::string>{"ar"}));
  EXPECT_TRUE(accept_language(";;,,=").empty());
  EXPECT_TRUE(accept_language("").empty());
}

TEST(WebI18n, CookieValue) {
  EXPECT_EQ(cookie_value("a=1; lang=fr; b=2", "lang"), "fr");
  EXPECT_EQ(cookie_value("lang=\"es\"", "lang"), "es");
  EXPECT_EQ(cookie_value("xlang=fr", "lang"), std::nullopt);
  EXPECT_EQ(cookie_value("", "lang"), std::nullopt);
}

TEST(WebI18n, NegotiationOrder) {
  // ?lang= wins over the cookie, which wins over Accept-Language; English by default.
  EXPECT_EQ(negotiate_language(std::string("ar"), "lang=fr", "es"), "ar");
  EXPECT_EQ(negotiate_language(std::nullopt, "lang=fr", "es"), "fr");
  EXPECT_EQ(negotiate_language(std::nullopt, "lang=xx", "es-ES,fr;q=0.5"), "es");
  EXPECT_EQ(negotiate_language(std::nullopt, "", "de-DE"), "en");
  EXPECT_EQ(negotiate_language(std::nullopt, "", ""), "en");
  // An unsupported ?lang= (the dispatcher rejects it first) does not win.
  EXPECT_EQ(negotiate_language(std::string("xx"), "", "ru"), "ru");
}

TEST(WebI18n, FormatMessage) {
  EXPECT_EQ(format_message("Results {from} to {to} of {total}",
                           {{"from", "1"}, {"to", "20"}, {"total", "1,220"}}),
            "Results 1 to 20 of 1,220");
  // A missing argument stays visible; braces without a name are left alone.
  EXPECT_EQ(format_message("{a} and {b}", {{"a", "x"}}), "x and {b}");
  EXPECT_EQ(format_message("{ unterminated", {}), "{ unterminated");
  // Arguments are not themselves formatted (no injection through a value).
  EXPECT_EQ(format_message("{q}", {{"q", "{q}{q}"}}), "{q}{q}");
}

TEST(WebI18n, FallbackToEnglish) {
  Catalogues c(std::map<std::string, std::map<std::string, std::string>>{
      {"en", {{"a", "A"}, {"b", "B"}}}, {"fr", {{"a", "Â"}}}});
  EXPECT_EQ(c.text("fr", "a"), "Â");
  EXPECT_EQ(c.text("fr", "b"), "B");
  EXPECT_EQ(c.text("xx", "a"), "A");
  EXPECT_EQ(c.text("en", "missing.id"), "missing.id");
  EXPECT_TRUE(c.has("fr", "a"));
  EXPECT_FALSE(c.has("fr", "b"));
  using ByLang = std::map<std::string, std::map<std::string, std::string>>;
  EXPECT_THROW(Catalogues(ByLang{{"fr", {}}}), hrtrack::Error);
  EXPECT_THROW(Catalogues::parse({{"en", "[1]"}}), hrtrack::Error);
  EXPECT_THROW(Catalogues::parse({{"en", "{\"a\": 1}"}}), hrtrack::Error);
}

namespace {

Catalogues shipped() {
  Assets assets;
  std::map<std::string, std::string> json;
  for (const auto& l : languages())
    if (auto f = assets.find("i18n/" + l.code + ".json")) json[l.code] = *f;
  return Catalogues::parse(json);
}

std::set<std::string> names_in(const std::string& s) {
  std::set<std::string> out;
  static const std::regex re(R"(\{([a-z_]+)\})");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

}  // namespace

TEST(WebI18n, EveryLanguageHasACatalogue) {
  Assets assets;
  for (const auto& l : languages()) EXPECT_TRUE(assets.find("i18n/" + l.code + ".json")) << l.code;
  EXPECT_NO_THROW(shipped());
}

TEST(WebI18n, FrenchAndSpanishAreComplete) {
  auto c = shipped();
  for (const auto& lang : {"fr", "es"})
    for (const auto& [id, text] : c.own("en")) EXPECT_TRUE(c.has(lang, id)) << lang << ": " << id;
}

TEST(WebI18n, TranslationsKeepTheParameters) {
  auto c = shipped();
  for (const auto& l : languages()) {
    for (const auto& [id, text] : c.own(l.code)) {
      if (!c.has("en", id)) continue;  // extra ids (mechanism names) have no English twin
      EXPECT_EQ(names_in(text), names_in(c.text("en", id))) << l.code << ": " << id;
    }
  }
}

TEST(WebI18n, NoIdIsBothATextAndAGroup) {
  // Templates reach "a.b" as t.a.b: "a.b" cannot also be the prefix of "a.b.c".
  auto c = shipped();
  for (const auto& l : languages())
    for (const auto& [id, text] : c.merged(l.code)) {
      auto it = c.merged(l.code).lower_bound(id + ".");
      EXPECT_FALSE(it != c.merged(l.code).end() && it->first.rfind(id + ".", 0) == 0)
          << l.code << ": " << id << " and " << it->first;
    }
}

TEST(WebI18n, TemplatesUseOnlyKnownMessagesAndNoTripleBraces) {
  auto c = shipped();
  static const std::regex t_ref(R"(\{\{[#^/]?\s*t\.([a-z0-9_.]+)\s*\}\})");
  int templates = 0;
  for (const auto& [path, data] : hrtrack::embedded::web::files()) {
    if (path.rfind("templates/", 0) != 0) continue;
    ++templates;
    std::string s(data);
    // Every value goes through {{ }} and is escaped: no {{{ }}} or {{& }} anywhere.
    EXPECT_EQ(s.find("{{{"), std::string::npos) << path;
    EXPECT_EQ(s.find("{{&"), std::string::npos) << path;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), t_ref); it != std::sregex_iterator();
         ++it)
      EXPECT_TRUE(c.has("en", (*it)[1])) << path << " uses unknown message " << (*it)[1];
  }
  EXPECT_GE(templates, 8);
}
