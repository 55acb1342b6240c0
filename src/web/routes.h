// The route table (like Redis's command table): every address the server answers, as data.
// Dispatch (server.cpp), parameter checking and the OpenAPI document are all generated from it.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "search/search.h"
#include "web/handlers_account.h"
#include "web/handlers_admin.h"
#include "web/handlers_followup.h"
#include "web/handlers_portal.h"
#include "web/http.h"

namespace hrtrack::web {

std::vector<Route> route_table();

// The route for a method and path (nullptr if none); fills `path_params`. `path_matched` tells
// whether some route has this path with another method (then the answer is 405, not 404).
const Route* find_route(const std::vector<Route>& routes, const std::string& method,
                        const std::string& path, std::map<std::string, std::string>& path_params,
                        bool& path_matched);

// Every query parameter a route accepts (its own, the search ones, and `lang`).
std::set<std::string> accepted_params(const Route& r, const std::vector<search::FacetDef>& facets);

// The OpenAPI 3.0 document of the API routes.
nlohmann::ordered_json openapi_document(const std::vector<Route>& routes,
                                        const std::vector<search::FacetDef>& facets);

// The handlers, one header per family of pages: handlers_portal.h (the public pages and API),
// handlers_account.h, handlers_admin.h (institutions, users, the change log), handlers_followup.h.
}  // namespace hrtrack::web
