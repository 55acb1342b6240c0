// The public pages and API: home, search, a record, browse, the API page, the JSON search,
// records, vocabularies, facets, exports, OpenAPI, health, static files and catalogues
// (pages_*.cpp, api.cpp, export.cpp, static.cpp).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "web/http.h"

namespace hrtrack::web {

Response page_home(const Request&);
Response page_search(const Request&);
Response page_record(const Request&);
Response page_browse_index(const Request&);
Response page_browse(const Request&);
Response page_about_api(const Request&);
Response api_search(const Request&);
Response api_record(const Request&);
Response api_vocabularies(const Request&);
Response api_vocabulary(const Request&);
Response api_facet(const Request&);
Response api_export(const Request&);
Response api_openapi(const Request&);
Response api_health(const Request&);
Response asset_static(const Request&);
Response asset_i18n(const Request&);

}  // namespace hrtrack::web
