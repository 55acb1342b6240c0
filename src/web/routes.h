// The route table (like Redis's command table): every address the server answers, as data.
// Dispatch (server.cpp), parameter checking and the OpenAPI document are all generated from it.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "search/search.h"
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

// --- handlers (pages.cpp, api.cpp, export.cpp, static.cpp) ---
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
// accounts (account.cpp)
Response page_login(const Request&);
Response post_login(const Request&);
Response post_logout(const Request&);
Response page_account(const Request&);
Response post_password(const Request&);
Response post_token_create(const Request&);
Response post_token_revoke(const Request&);
Response post_sign_out_everywhere(const Request&);
Response page_reset(const Request&);
Response post_reset(const Request&);
Response api_me(const Request&);
// institutions, users, change log (admin.cpp)
Response page_institutions(const Request&);
Response post_institution_create(const Request&);
Response page_institution(const Request&);
Response post_institution_edit(const Request&);
Response page_users(const Request&);
Response post_user_create(const Request&);
Response page_user(const Request&);
Response post_user_roles(const Request&);
Response post_user_disable(const Request&);
Response post_user_enable(const Request&);
Response post_user_reset(const Request&);
Response page_log(const Request&);
Response page_history(const Request&);
Response api_institutions(const Request&);
Response api_institution(const Request&);
Response api_institution_create(const Request&);
Response api_institution_update(const Request&);
Response api_institution_users(const Request&);
Response api_user_create(const Request&);
Response api_user_roles(const Request&);
Response api_user_disable(const Request&);
Response api_user_enable(const Request&);
Response api_user_reset(const Request&);
Response api_log(const Request&);
Response api_history(const Request&);
// follow-up (followup_web.cpp)
nlohmann::json followup_public_json(const Request&, const std::string& uid);
nlohmann::json search_manage_json(const Request&, long total);
Response page_my_followup(const Request&);
Response page_workspace(const Request&);
Response post_assign(const Request&);
Response post_official_status(const Request&);
Response page_clusters(const Request&);
Response post_cluster_create(const Request&);
Response post_search_assign(const Request&);
Response page_cluster(const Request&);
Response post_cluster_edit(const Request&);
Response post_cluster_assign(const Request&);
Response post_assignment_delete(const Request&);
Response post_plan_create(const Request&);
Response page_plan(const Request&);
Response post_plan_edit(const Request&);
Response post_plan_action(const Request&);
Response post_plan_indicator(const Request&);
Response post_plan_link(const Request&);
Response post_update_create(const Request&);
Response page_update(const Request&);
Response post_update_evidence(const Request&);
Response get_evidence(const Request&);
Response post_assessment_create(const Request&);
Response post_workflow(const Request&);
Response page_review(const Request&);
Response page_reminders(const Request&);
Response post_reminder_read(const Request&);
Response api_followup_public(const Request&);
Response api_followup_internal(const Request&);
Response api_cluster_create(const Request&);
Response api_cluster_members(const Request&);
Response api_assignment_create(const Request&);
Response api_plan_create(const Request&);
Response api_plan_action(const Request&);
Response api_plan_indicator(const Request&);
Response api_update_create(const Request&);
Response api_plan_link(const Request&);
Response api_update_evidence(const Request&);
Response api_assessment_create(const Request&);
Response api_workflow(const Request&);
Response api_plan(const Request&);
Response api_assessment_edit(const Request&);
Response api_official_status(const Request&);
Response api_review(const Request&);
Response api_policy_plans(const Request&);
Response api_policy_plan_create(const Request&);
Response api_policy_item_create(const Request&);
Response api_policy_item_edit(const Request&);
Response api_reminders(const Request&);
Response asset_i18n(const Request&);

}  // namespace hrtrack::web
