// Server-side HTML: mustache templates (kainjow) rendered inside templates/layout.mustache.
// Every value reaches the HTML through {{ }} and is escaped by the engine; templates never use
// triple braces. Messages come from the catalogues as `t` (t.search.button for the id
// "search.button"), already in the request's language.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "web/app.h"
#include "web/http.h"
#include "web/i18n.h"

namespace hrtrack::web {

// Renders templates/<name>.mustache inside the layout. `data` is the page's view model (JSON:
// numbers are shown as decimal text, booleans drive sections); the layout's own data (language,
// direction, language switcher, title) is added here.
Response render_page(const Request& rq, const std::string& name, const std::string& title,
                     nlohmann::json data, int status = 200);

// Renders a template source with `data` and the catalogue of `lang` as `t` (partials: every
// templates/partials/*.mustache of `assets`). Throws hrtrack::Error on a template error.
std::string render_template(const std::string& source, const nlohmann::json& data,
                            const Catalogues& cat, const std::string& lang, const Assets& assets);

// "1234567" -> "1,234,567" (en), "1 234 567" (fr), ... by ICU's locale rules.
std::string format_count(long n, const std::string& lang);

// Percent-encodes a query component or path segment (RFC 3986 unreserved kept).
std::string url_encode(std::string_view s);
// Decodes %XX escapes (an invalid escape is kept as it is).
std::string url_decode(std::string_view s);
// path + "?" + encoded params ("" when params is empty).
std::string url_with(const std::string& path, const Params& params);
// The request's query without `drop` names, then `add` appended.
Params params_without(const Params& p, std::initializer_list<std::string_view> drop);

}  // namespace hrtrack::web
