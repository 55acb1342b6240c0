// UI languages and message catalogues. Messages have ids ("search.button") and {name}
// parameters; they are translated late, at render time, into the language negotiated for the
// request (`?lang=` > `lang` cookie > Accept-Language > English), with English as the fallback
// for a message a catalogue lacks. The same catalogues are served to scripts at /i18n/{lang}.json.
//
// Thread safety: a Catalogues object is immutable once built; any thread may read it.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hrtrack::web {

struct Language {
  std::string code;     // "fr"
  std::string endonym;  // "Français"
  bool rtl = false;
};

// The UI languages, English first.
const std::vector<Language>& languages();
const Language* find_language(std::string_view code);  // exact code, nullptr if unsupported

// The supported language a BCP 47 tag asks for: "fr-CA" -> "fr", "zh-Hant-TW" -> "zh",
// "EN" -> "en"; nullopt for an unsupported or malformed tag.
std::optional<std::string> match_language(std::string_view tag);

// The value of cookie `name` in a Cookie header ("a=1; lang=fr" -> "fr"), nullopt if absent.
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

// Supported languages of an Accept-Language header, best first: q-values respected, q=0 excluded,
// ties kept in header order ("de, fr;q=0.8, en;q=0.9" -> {"en", "fr"}).
std::vector<std::string> accept_language(std::string_view header);

// The language of a request: `query_lang` (the ?lang= value, already validated) if given, else the
// `lang` cookie if supported, else the best Accept-Language match, else "en".
std::string negotiate_language(const std::optional<std::string>& query_lang,
                               std::string_view cookie_header, std::string_view accept_lang);

using MessageArgs = std::vector<std::pair<std::string, std::string>>;

// Replaces each {name} in `pattern` by its argument. A {name} without an argument is left as is,
// so a missing parameter shows up instead of vanishing. Arguments are plain text: the caller
// (the template engine) escapes the result.
std::string format_message(std::string_view pattern, const MessageArgs& args);

class Catalogues {
 public:
  // lang -> (message id -> text). "en" must be present: it is the fallback.
  explicit Catalogues(std::map<std::string, std::map<std::string, std::string>> by_lang);
  // Parses the catalogues (JSON objects id -> text) of every supported language; a missing or
  // malformed catalogue throws hrtrack::Error naming it.
  static Catalogues parse(const std::map<std::string, std::string>& json_by_lang);

  // The text of `id` in `lang`, else in English, else the id itself.
  const std::string& text(std::string_view lang, const std::string& id) const;
  std::string format(std::string_view lang, const std::string& id, const MessageArgs& args) const;
  bool has(std::string_view lang, const std::string& id) const;  // in that catalogue itself
  // Every message of `lang` with English filling the gaps.
  const std::map<std::string, std::string>& merged(std::string_view lang) const;
  // The catalogue as written (no fallback), for completeness checks.
  const std::map<std::string, std::string>& own(std::string_view lang) const;
  // Distinct for every Catalogues object ever built: caches of derived data key on it.
  std::uint64_t id() const { return id_; }

 private:
  std::uint64_t id_;
  std::map<std::string, std::map<std::string, std::string>, std::less<>> own_, merged_;
};

}  // namespace hrtrack::web
