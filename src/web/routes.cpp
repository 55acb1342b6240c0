#include "web/routes.h"

#include <algorithm>
#include <cctype>

#include "core/filters.h"
#include "core/text.h"
#include "web/i18n.h"
#include "web/openapi_schemas.h"

namespace hrtrack::web {

namespace {

ParamDoc path_param(std::string name, std::string description) {
  ParamDoc p;
  p.name = std::move(name);
  p.description = std::move(description);
  p.in_path = true;
  p.required = true;
  return p;
}

ParamDoc query_param(std::string name, std::string description, std::string type = "string") {
  ParamDoc p;
  p.name = std::move(name);
  p.description = std::move(description);
  p.type = std::move(type);
  return p;
}

Route route(std::string pattern, RouteKind kind, Handler handler, std::string summary,
            std::vector<ParamDoc> params = {}, bool search_params = false, bool paged = false,
            std::string produces = "application/json") {
  Route r;
  r.method = "GET";
  r.pattern = std::move(pattern);
  r.kind = kind;
  r.handler = std::move(handler);
  r.summary = std::move(summary);
  r.params = std::move(params);
  r.search_params = search_params;
  r.paged = paged;
  r.produces = std::move(produces);
  return r;
}

Route post(std::string pattern, RouteKind kind, Handler handler, std::string summary,
           std::vector<std::string> form_fields = {}, std::vector<ParamDoc> params = {},
           std::string action = "") {
  Route r =
      route(std::move(pattern), kind, std::move(handler), std::move(summary), std::move(params),
            false, false, kind == RouteKind::Page ? "text/html" : "application/json");
  r.method = "POST";
  r.form_fields = std::move(form_fields);
  r.action = std::move(action);
  return r;
}

Route with_action(Route r, std::string action) {
  r.action = std::move(action);
  return r;
}

Route files(Route r) {
  r.accepts_files = true;
  return r;
}

Route booleans(Route r, std::set<std::string> names) {
  r.boolean_fields = std::move(names);
  return r;
}

std::vector<std::string> action_fields() {
  return {"description", "institution", "start_date",     "end_date",
          "cost",        "currency",    "funding_source", "budget_line"};
}
std::vector<std::string> indicator_fields() {
  return {
      "name",          "baseline", "target", "unit", "means_of_verification", "frequency_months",
      "disaggregation"};
}
std::vector<std::string> update_fields() {
  return {"uid",          "plan",        "institution", "date",
          "measure_type", "description", "indicator",   "value"};
}
// A search given as form fields (q, sort, every facet filter, sdg, no_update_months) and more.
std::vector<std::string> search_form_fields(std::vector<std::string> more) {
  for (const auto& n : search_param_names(search::facets(), false)) more.push_back(n);
  return more;
}

std::vector<ParamDoc> log_params() {
  return {query_param("actor", "Only changes by this user (or cli:..., import)"),
          query_param("entity", "recommendation, institution, user, api_token, ..."),
          query_param("entity_id", "Only changes of this id"),
          query_param("since", "From this time (ISO 8601, e.g. 2026-11-01)"),
          query_param("until", "Up to this time (a date includes the whole day)"),
          query_param("before_id", "Only entries older than this entry id (paging)", "integer"),
          query_param("limit", "At most this many entries (1 to 1000, default 100)", "integer")};
}

std::vector<std::string> language_codes() {
  std::vector<std::string> out;
  for (const auto& l : languages()) out.push_back(l.code);
  return out;
}

}  // namespace

std::vector<Route> route_table() {
  ParamDoc more = query_param("more", "A facet whose every value the sidebar lists");
  ParamDoc format =
      query_param("format", "csv, xlsx, json or uhri-json (the UHRI bulk-export layout)");
  format.required = true;
  format.allowed = {"csv", "xlsx", "json", "uhri-json"};
  ParamDoc bom = query_param("bom",
                             "csv only: true starts the file with a UTF-8 byte-order mark, so that "
                             "a spreadsheet opens it as UTF-8");
  bom.allowed = {"true", "false"};
  const std::string html = "text/html";
  std::vector<Route> routes = {
      // --- pages ---
      route("/", RouteKind::Page, page_home, "Home: what the database holds", {}, false, false,
            html),
      route("/search", RouteKind::Page, page_search, "Search results with facets", {more}, true,
            true, html),
      route("/recommendations/{uid}", RouteKind::Page, page_record,
            "A recommendation's permanent page", {path_param("uid", "Recommendation id (R-...)")},
            false, false, html),
      route("/browse", RouteKind::Page, page_browse_index, "Ways to browse", {}, false, false,
            html),
      route("/browse/{facet}", RouteKind::Page, page_browse, "Every value of a facet, with counts",
            {path_param("facet", "mechanism, state, theme, sdg or another facet name")}, false,
            false, html),
      route("/api", RouteKind::Page, page_about_api, "The JSON API, for people", {}, false, false,
            html),
      // --- accounts ---
      route("/login", RouteKind::Page, page_login, "Sign-in form",
            {query_param("next", "Where to go after signing in (a path on this site)"),
             query_param("done", "A notice to show (reset)")},
            false, false, html),
      post("/login", RouteKind::Page, post_login, "Sign in", {"username", "password", "next"}),
      post("/logout", RouteKind::Page, post_logout, "Sign out (this session)"),
      route("/account", RouteKind::Page, page_account, "Your account: password, API tokens",
            {query_param("done", "A notice to show")}, false, false, html),
      post("/account/password", RouteKind::Page, post_password, "Change your password",
           {"current_password", "new_password"}),
      post("/account/tokens", RouteKind::Page, post_token_create, "Create an API token",
           {"name", "scope"}),
      post("/account/tokens/{id}/revoke", RouteKind::Page, post_token_revoke, "Revoke a token", {},
           {path_param("id", "Token id")}),
      post("/account/sign-out-everywhere", RouteKind::Page, post_sign_out_everywhere,
           "End every session of your account"),
      route("/reset", RouteKind::Page, page_reset, "Set a new password with a one-time link",
            {query_param("token", "The one-time token")}, false, false, html),
      post("/reset", RouteKind::Page, post_reset, "Set a new password", {"token", "new_password"}),
      // --- institutions, users, change log ---
      route("/institutions", RouteKind::Page, page_institutions, "Institutions", {}, false, false,
            html),
      post("/institutions", RouteKind::Page, post_institution_create, "Create an institution",
           {"code", "name", "type", "parent"}),
      route("/institutions/{id}", RouteKind::Page, page_institution,
            "An institution: focal points, users",
            {path_param("id", "Institution id"), query_param("done", "A notice to show")}, false,
            false, html),
      post("/institutions/{id}", RouteKind::Page, post_institution_edit, "Edit an institution",
           {"code", "name", "type", "parent", "main_focal", "alternate_focal", "validator"},
           {path_param("id", "Institution id")}),
      route("/users", RouteKind::Page, page_users, "Users", {}, false, false, html),
      post("/users", RouteKind::Page, post_user_create, "Create a user",
           {"username", "display_name", "email", "institution", "role"}),
      route("/users/{id}", RouteKind::Page, page_user, "A user",
            {path_param("id", "User id"), query_param("done", "A notice to show")}, false, false,
            html),
      post("/users/{id}/roles", RouteKind::Page, post_user_roles, "Set a user's roles", {"role"},
           {path_param("id", "User id")}),
      post("/users/{id}/disable", RouteKind::Page, post_user_disable, "Disable a user", {},
           {path_param("id", "User id")}),
      post("/users/{id}/enable", RouteKind::Page, post_user_enable, "Enable a user", {},
           {path_param("id", "User id")}),
      post("/users/{id}/reset", RouteKind::Page, post_user_reset, "Issue a one-time password link",
           {}, {path_param("id", "User id")}),
      with_action(route("/log", RouteKind::Page, page_log, "The change log, with filters",
                        log_params(), false, false, html),
                  "log.view"),
      with_action(route("/recommendations/{uid}/history", RouteKind::Page, page_history,
                        "Every change of a recommendation",
                        {path_param("uid", "Recommendation id (R-...)")}, false, false, html),
                  "record.history"),
      // --- follow-up ---
      route("/followup", RouteKind::Page, page_my_followup,
            "Follow-up: the clusters and recommendations of your institution",
            {query_param("done", "A notice to show")}, false, false, html),
      route("/followup/{uid}", RouteKind::Page, page_workspace,
            "A recommendation's follow-up: institutions, plans, updates, assessments",
            {path_param("uid", "Recommendation id (R-...)")}, false, false, html),
      post("/followup/{uid}/assign", RouteKind::Page, post_assign,
           "Assign an institution to a recommendation", {"institution", "role"},
           {path_param("uid", "Recommendation id")}),
      post("/followup/{uid}/status", RouteKind::Page, post_official_status,
           "Set the official status", {"status", "justification"},
           {path_param("uid", "Recommendation id")}),
      route("/clusters", RouteKind::Page, page_clusters, "Clusters of recommendations", {}, false,
            false, html),
      post("/clusters", RouteKind::Page, post_cluster_create,
           "Make a cluster of every result of a search",
           search_form_fields({"name", "description"})),
      post("/search/assign", RouteKind::Page, post_search_assign,
           "Assign an institution to every result of a search",
           search_form_fields({"institution", "role"})),
      route("/clusters/{id}", RouteKind::Page, page_cluster, "A cluster",
            {path_param("id", "Cluster id")}, false, false, html),
      post("/clusters/{id}", RouteKind::Page, post_cluster_edit, "Rename a cluster",
           {"name", "description"}, {path_param("id", "Cluster id")}),
      post("/clusters/{id}/assign", RouteKind::Page, post_cluster_assign,
           "Assign an institution to a cluster", {"institution", "role"},
           {path_param("id", "Cluster id")}),
      post("/assignments/{id}/delete", RouteKind::Page, post_assignment_delete,
           "Remove an assignment", {}, {path_param("id", "Assignment id")}),
      post("/plans", RouteKind::Page, post_plan_create, "Start a plan",
           {"uid", "cluster", "institution", "title", "expected_results"}),
      route("/plans/{id}", RouteKind::Page, page_plan, "An implementation plan",
            {path_param("id", "Plan id")}, false, false, html),
      post("/plans/{id}", RouteKind::Page, post_plan_edit, "Edit a plan",
           {"uid", "cluster", "institution", "title", "expected_results"},
           {path_param("id", "Plan id")}),
      post("/plans/{id}/actions", RouteKind::Page, post_plan_action, "Add an action",
           action_fields(), {path_param("id", "Plan id")}),
      post("/plans/{id}/indicators", RouteKind::Page, post_plan_indicator, "Add an indicator",
           indicator_fields(), {path_param("id", "Plan id")}),
      post("/plans/{id}/links", RouteKind::Page, post_plan_link,
           "Link a plan to an SDG target or a national plan item", {"sdg_target", "policy_item"},
           {path_param("id", "Plan id")}),
      post("/updates", RouteKind::Page, post_update_create, "Report progress", update_fields()),
      route("/updates/{id}", RouteKind::Page, page_update, "A progress update",
            {path_param("id", "Update id")}, false, false, html),
      files(post("/updates/{id}/evidence", RouteKind::Page, post_update_evidence,
                 "Attach evidence: a file or a link", {"file", "url"},
                 {path_param("id", "Update id")})),
      route("/evidence/{id}", RouteKind::Page, get_evidence,
            "Download an evidence file (always as an attachment)",
            {path_param("id", "Evidence id")}, false, false, "application/octet-stream"),
      booleans(
          post("/assessments", RouteKind::Page, post_assessment_create, "Assess a recommendation",
               {"uid", "status", "assessed_on", "justification", "protected"}),
          {"protected"}),
      post("/workflow/{entity}/{id}", RouteKind::Page, post_workflow,
           "Submit, validate, return, approve or publish", {"transition", "comment"},
           {path_param("entity", "plan, progress_update or assessment"), path_param("id", "Id")}),
      route("/review", RouteKind::Page, page_review, "What waits for your review", {}, false, false,
            html),
      route("/reminders", RouteKind::Page, page_reminders, "Your reminders", {}, false, false,
            html),
      post("/reminders/{id}/read", RouteKind::Page, post_reminder_read, "Mark a reminder read", {},
           {path_param("id", "Reminder id")}),
      // --- JSON API ---
      route("/api/recommendations", RouteKind::Api, api_search,
            "Search: exact total, one page of results and exact facet counts", {}, true, true),
      route("/api/recommendations/{uid}", RouteKind::Api, api_record,
            "One recommendation, every field", {path_param("uid", "Recommendation id (R-...)")}),
      route("/api/vocabularies", RouteKind::Api, api_vocabularies,
            "The vocabularies (names, versions, sizes)"),
      route("/api/vocabularies/{name}", RouteKind::Api, api_vocabulary,
            "The terms of a vocabulary; `mechanisms` gives the mechanism catalogue",
            {path_param(
                "name",
                "Vocabulary name (sdg, uhri-themes, ...: see /api/vocabularies) or mechanisms")}),
      route("/api/facets/{name}", RouteKind::Api, api_facet,
            "Every value of a facet with its count over the whole database",
            {path_param("name", "Facet name (see the search parameters)")}),
      route("/api/export", RouteKind::Api, api_export,
            "Every matching recommendation (no row cap), streamed as CSV, XLSX, JSON or UHRI JSON",
            {format, bom}, true, false, "text/csv"),
      route("/api/me", RouteKind::Api, api_me, "Who the session or API token acts as"),
      route("/api/institutions", RouteKind::Api, api_institutions,
            "Institutions you may see (signed in)"),
      post("/api/institutions", RouteKind::Api, api_institution_create, "Create an institution",
           {"code", "name", "type", "parent"}),
      route("/api/institutions/{id}", RouteKind::Api, api_institution,
            "An institution with its focal points", {path_param("id", "Institution id")}),
      post("/api/institutions/{id}", RouteKind::Api, api_institution_update,
           "Change an institution (fields not sent are kept)",
           {"code", "name", "type", "parent", "main_focal", "alternate_focal", "validator"},
           {path_param("id", "Institution id")}),
      route("/api/institutions/{id}/users", RouteKind::Api, api_institution_users,
            "The users of an institution", {path_param("id", "Institution id")}),
      post("/api/users", RouteKind::Api, api_user_create,
           "Create a user; answers a one-time link to set the password",
           {"username", "display_name", "email", "institution", "role", "roles"}),
      post("/api/users/{id}/roles", RouteKind::Api, api_user_roles, "Set a user's roles",
           {"role", "roles"}, {path_param("id", "User id")}),
      post("/api/users/{id}/disable", RouteKind::Api, api_user_disable,
           "Disable a user (sessions and tokens stop at once)", {}, {path_param("id", "User id")}),
      post("/api/users/{id}/enable", RouteKind::Api, api_user_enable, "Enable a user", {},
           {path_param("id", "User id")}),
      post("/api/users/{id}/reset", RouteKind::Api, api_user_reset,
           "Issue a one-time password link", {}, {path_param("id", "User id")}),
      with_action(
          route("/api/log", RouteKind::Api, api_log,
                "The change log, newest first (100 per call; page with before_id)", log_params()),
          "log.view"),
      with_action(route("/api/recommendations/{uid}/history", RouteKind::Api, api_history,
                        "Every change of a recommendation, newest first",
                        {path_param("uid", "Recommendation id (R-...)")}),
                  "record.history"),
      route("/api/recommendations/{uid}/followup", RouteKind::Api, api_followup_public,
            "The published follow-up: institutions, clusters, status, plans, updates, "
            "assessments side by side",
            {path_param("uid", "Recommendation id (R-...)")}),
      route("/api/followup/{uid}", RouteKind::Api, api_followup_internal,
            "Every plan, update and assessment of a recommendation you may see (signed in)",
            {path_param("uid", "Recommendation id (R-...)")}),
      post("/api/clusters", RouteKind::Api, api_cluster_create, "Create a cluster",
           {"name", "description", "uid"}),
      post("/api/clusters/{id}/members", RouteKind::Api, api_cluster_members,
           "Add recommendations to a cluster", {"uid"}, {path_param("id", "Cluster id")}),
      post("/api/assignments", RouteKind::Api, api_assignment_create,
           "Assign an institution to a recommendation (uid) or a cluster",
           {"uid", "cluster", "institution", "role"}),
      post("/api/plans", RouteKind::Api, api_plan_create, "Start a plan",
           {"uid", "cluster", "institution", "title", "expected_results"}),
      route("/api/plans/{id}", RouteKind::Api, api_plan,
            "A plan with its actions and indicators (published, or your institution's)",
            {path_param("id", "Plan id")}),
      post("/api/plans/{id}/actions", RouteKind::Api, api_plan_action, "Add an action",
           action_fields(), {path_param("id", "Plan id")}),
      post("/api/plans/{id}/indicators", RouteKind::Api, api_plan_indicator, "Add an indicator",
           indicator_fields(), {path_param("id", "Plan id")}),
      post("/api/plans/{id}/links", RouteKind::Api, api_plan_link,
           "Link a plan to an SDG target or a national plan item", {"sdg_target", "policy_item"},
           {path_param("id", "Plan id")}),
      post("/api/updates", RouteKind::Api, api_update_create, "Report progress", update_fields()),
      files(post("/api/updates/{id}/evidence", RouteKind::Api, api_update_evidence,
                 "Attach evidence: multipart field `file`, or `url`", {"file", "url"},
                 {path_param("id", "Update id")})),
      booleans(post("/api/assessments", RouteKind::Api, api_assessment_create,
                    "Assess a recommendation (as your party: government, NHRI or civil "
                    "society). A civil-society assessment is protected unless `protected` is "
                    "false: the organisation is shown only as \"a civil society organisation\"",
                    {"uid", "status", "assessed_on", "justification", "protected"}),
               {"protected"}),
      booleans(post("/api/assessments/{id}", RouteKind::Api, api_assessment_edit,
                    "Change a draft assessment (fields not sent are kept)",
                    {"status", "assessed_on", "justification", "protected"},
                    {path_param("id", "Assessment id")}),
               {"protected"}),
      post("/api/workflow/{entity}/{id}", RouteKind::Api, api_workflow,
           "Submit, validate, return, approve or publish", {"transition", "comment"},
           {path_param("entity", "plan, progress_update or assessment"), path_param("id", "Id")}),
      post("/api/recommendations/{uid}/status", RouteKind::Api, api_official_status,
           "Set the official status", {"status", "justification"},
           {path_param("uid", "Recommendation id")}),
      route("/api/policy-plans", RouteKind::Api, api_policy_plans,
            "National plans (human rights action plan, development plan) and their items"),
      post("/api/policy-plans", RouteKind::Api, api_policy_plan_create,
           "Add a national plan (kind nhrap or ndp)", {"kind", "name", "period"}),
      post("/api/policy-plans/{id}/items", RouteKind::Api, api_policy_item_create,
           "Add an item to a national plan", {"code", "title"},
           {path_param("id", "National plan id")}),
      post("/api/policy-items/{id}", RouteKind::Api, api_policy_item_edit,
           "Change a national plan item", {"code", "title"}, {path_param("id", "Item id")}),
      route("/api/review", RouteKind::Api, api_review, "What waits for your review"),
      route("/api/reminders", RouteKind::Api, api_reminders, "Your reminders"),
      route("/api/openapi.json", RouteKind::Api, api_openapi, "This document"),
      route("/api/health", RouteKind::Api, api_health, "Liveness, and the size of the index"),
      // --- assets ---
      route("/static/{file}", RouteKind::Asset, asset_static, "CSS, JavaScript, icons",
            {path_param("file", "File name")}, false, false, "text/css"),
      route("/i18n/{lang}.json", RouteKind::Asset, asset_i18n,
            "The message catalogue of a language, for scripts",
            {path_param("lang", "Language code")}, false, false, "application/json"),
  };
  // Public data: the permission table's record.read (every role, the public included).
  static const std::set<std::string> public_data = {"/",
                                                    "/search",
                                                    "/recommendations/{uid}",
                                                    "/browse",
                                                    "/browse/{facet}",
                                                    "/api/recommendations",
                                                    "/api/recommendations/{uid}",
                                                    "/api/facets/{name}",
                                                    "/api/export",
                                                    "/api/vocabularies",
                                                    "/api/vocabularies/{name}"};
  // What else every visitor reads alike: the published follow-up (the public view whoever
  // asks), the API's description, the health check, the page about the API, the assets.
  static const std::set<std::string> public_too = {"/api/recommendations/{uid}/followup",
                                                   "/api/openapi.json",
                                                   "/api/health",
                                                   "/api",
                                                   "/static/{file}",
                                                   "/i18n/{lang}.json"};
  for (auto& r : routes) {
    if (r.method != "GET") continue;
    if (r.action.empty() && public_data.count(r.pattern)) r.action = "record.read";
    r.public_read = public_data.count(r.pattern) || public_too.count(r.pattern);
    r.download = r.pattern == "/api/export";
  }
  return routes;
}

bool match_pattern(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>& out) {
  out.clear();
  std::size_t pi = 0, si = 0;
  while (pi < pattern.size()) {
    if (pattern[pi] == '{') {
      auto close = pattern.find('}', pi);
      auto name = pattern.substr(pi + 1, close - pi - 1);
      // The variable runs to the pattern's next literal character ('/' or e.g. '.json')
      // within the current segment.
      std::string literal_after;
      std::size_t k = close + 1;
      while (k < pattern.size() && pattern[k] != '{' && pattern[k] != '/')
        literal_after += pattern[k++];
      auto seg_end = path.find('/', si);
      if (seg_end == std::string::npos) seg_end = path.size();
      std::string seg = path.substr(si, seg_end - si);
      if (!literal_after.empty()) {
        if (seg.size() <= literal_after.size() ||
            seg.compare(seg.size() - literal_after.size(), literal_after.size(), literal_after) !=
                0)
          return false;
        seg.resize(seg.size() - literal_after.size());
      }
      if (seg.empty()) return false;
      out[name] = seg;
      si = seg_end;
      pi = k;
      continue;
    }
    if (si >= path.size() || path[si] != pattern[pi]) return false;
    ++si;
    ++pi;
  }
  return si == path.size();
}

const Route* find_route(const std::vector<Route>& routes, const std::string& method,
                        const std::string& path, std::map<std::string, std::string>& path_params,
                        bool& path_matched) {
  path_matched = false;
  std::map<std::string, std::string> tmp;
  for (const auto& r : routes) {
    if (!match_pattern(r.pattern, path, tmp)) continue;
    path_matched = true;
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      path_params = tmp;
      return &r;
    }
  }
  return nullptr;
}

std::set<std::string> accepted_params(const Route& r, const std::vector<search::FacetDef>& facets) {
  std::set<std::string> out = {"lang"};
  for (const auto& p : r.params)
    if (!p.in_path) out.insert(p.name);
  if (r.search_params) out.merge(search_param_names(facets, r.paged));
  return out;
}

namespace {

using ojson = nlohmann::ordered_json;

ojson param_json(const ParamDoc& p) {
  ojson j;
  j["name"] = p.name;
  j["in"] = p.in_path ? "path" : "query";
  j["description"] = p.description;
  j["required"] = p.required;
  if (p.deprecated) j["deprecated"] = true;
  ojson schema;
  schema["type"] = p.type;
  if (!p.allowed.empty()) schema["enum"] = p.allowed;
  if (p.repeatable) {
    j["schema"] = {{"type", "array"}, {"items", schema}};
    j["style"] = "form";
    j["explode"] = true;
  } else {
    j["schema"] = schema;
  }
  return j;
}

std::vector<ParamDoc> search_param_docs(const std::vector<search::FacetDef>& facets, bool paged) {
  std::vector<ParamDoc> out;
  out.push_back(query_param(
      "q",
      "Free text: words are ANDed; \"a phrase\"; a OR b; -word excludes; word* is a prefix. "
      "Case- and diacritics-insensitive, stemmed (English, French, Spanish). At most 1000 "
      "bytes."));
  auto sort = query_param("sort", "Order of the results (default relevance)");
  sort.allowed = {"relevance", "date", "date_asc", "state"};
  out.push_back(sort);
  if (paged) {
    auto page = query_param("page", "Page number, from 1 (no upper limit)", "integer");
    auto per = query_param("per_page", "Results per page, 1 to 1000 (default 20)", "integer");
    auto fl =
        query_param("facet_limit", "Values per facet in the answer (0 = all, default)", "integer");
    auto which = query_param("facets",
                             "Which facets to count, comma-separated or repeated (default: "
                             "every facet); `none` for no facet counts");
    which.repeatable = true;
    out.insert(out.end(), {page, per, fl, which});
  }
  // The filters: core/filters.h's list (the CLI's too), described once there; an alias is a
  // parameter of its own, marked deprecated.
  std::vector<ParamDoc> aliases;
  auto filter_param = [&](const std::string& name, bool numeric, bool facet) {
    const FilterField* f = find_filter_field(name);
    std::string meaning = f ? f->meaning : name;
    auto p = query_param(name, "Filter: " + meaning +
                                   (numeric || !facet ? "" : "; a code or label as in the facets") +
                                   ". Repeat to OR; different filters are ANDed");
    p.repeatable = true;
    out.push_back(p);
    if (!f) return;
    for (const auto& a : f->aliases) {
      auto alias = p;
      alias.name = a;
      alias.description = "The same as " + name + " (the CLI's former name, kept for scripts)";
      alias.deprecated = true;
      aliases.push_back(alias);
    }
  };
  for (const auto& f : facets) filter_param(f.name, f.numeric, true);
  out.push_back(query_param("no_update_months",
                            "Followed recommendations whose latest published progress update is "
                            "this many months old or more, or that have none",
                            "integer"));
  if (std::none_of(facets.begin(), facets.end(), [](const auto& f) { return f.name == "sdg"; }))
    filter_param("sdg", false, false);
  filter_param("symbol", false, false);
  out.insert(out.end(), aliases.begin(), aliases.end());
  return out;
}

ojson error_response(const std::string& description) {
  return {
      {"description", description},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

ojson json_content(const std::string& schema) {
  return {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + schema}}}}}};
}

// What a route answers: its success (200 or 201, openapi_schemas.cpp) and the errors it can give.
ojson responses_for(const Route& r) {
  ojson res;
  bool write = r.method != "GET";
  if (r.pattern == "/api/export") {
    ojson ok;
    ok["description"] = "OK: every matching recommendation, streamed";
    ok["content"] = {
        {"text/csv", {{"schema", {{"type", "string"}}}}},
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
        {"application/json",
         {{"schema",
           {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Recommendation"}}}}}}}};
    res["200"] = ok;
  } else {
    auto doc = openapi_success(r.method, r.pattern);
    ojson ok;
    ok["description"] = doc.found ? doc.description : "OK";
    // A route openapi_schemas.cpp does not describe gets a bare object (a unit test fails).
    ok["content"] = doc.found ? json_content(doc.schema)
                              : ojson{{"application/json", {{"schema", {{"type", "object"}}}}}};
    res[std::to_string(doc.found ? doc.status : 200)] = ok;
  }
  if (r.public_read)
    res["304"] = {{"description", "Not modified: If-None-Match names the answer's ETag (no body)"}};
  res["400"] = error_response(write ? "A field or parameter is wrong; `parameter` names it"
                                    : "A parameter is wrong; `parameter` names it");
  res["401"] = error_response(
      r.public_read ? "The API token sent is not valid (none is needed here)"
                    : "Not signed in, or the API token is not valid (WWW-Authenticate: Bearer)");
  if (!r.public_read)
    res["403"] = error_response(
        write ? "Not allowed (permission table, institution, workflow state, a read-only token), "
                "or a session without its CSRF token (`parameter` is csrf)"
              : "The permission table does not allow this");
  bool has_path_param =
      std::any_of(r.params.begin(), r.params.end(), [](const ParamDoc& p) { return p.in_path; });
  if (has_path_param) res["404"] = error_response("No such thing");
  if (write) {
    res["413"] = error_response("The body is larger than this address accepts; nothing was saved");
    res["503"] = error_response(
        "The database is busy with another change (an import); retry after Retry-After seconds");
  }
  if (r.pattern == "/api/export")
    res["503"] = error_response("Two exports are running already; retry later (Retry-After)");
  res["500"] = error_response("Internal error (logged)");
  return res;
}

// getRecommendationsByUidFollowup: the method, then the path after /api/ in camel case, a
// {name} segment as ByName.
std::string operation_id(const Route& r) {
  std::string out = ascii_lower(r.method);
  std::string path = r.pattern.rfind("/api/", 0) == 0 ? r.pattern.substr(5) : r.pattern;
  bool upper = true;
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '{') {
      out += "By";
      upper = true;
      continue;
    }
    if (c == '/' || c == '-' || c == '.' || c == '_' || c == '}') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

}  // namespace

ojson openapi_document(const std::vector<Route>& routes,
                       const std::vector<search::FacetDef>& facets) {
  ojson doc;
  doc["openapi"] = "3.0.3";
  doc["info"] = {
      {"title", "hrtrack API"},
      {"version", "1"},
      {"description",
       "Search and read the human rights recommendations this database holds. Totals and facet "
       "counts are exact over the whole result set; any page can be asked for; exports stream "
       "every matching row. Every endpoint also takes `lang` (en, fr, es, ar, zh, ru) for labels "
       "and texts. Errors are JSON {\"error\": message, \"parameter\": name}. Answers are "
       "gzip when the client accepts it (Vary: Accept-Encoding). Public GETs without "
       "credentials carry an ETag (If-None-Match gives 304) and are readable from any origin "
       "(Access-Control-Allow-Origin: *, no credentials; OPTIONS answers the preflight)."}};
  // Relative: the API is where this document was read from (any host, any port).
  doc["servers"] = {{{"url", "/"}, {"description", "The server this document was read from"}}};
  ojson paths = ojson::object();
  for (const auto& r : routes) {
    if (r.kind != RouteKind::Api) continue;
    ojson op;
    op["operationId"] = operation_id(r);
    op["summary"] = r.summary;
    ojson params = ojson::array();
    for (const auto& p : r.params) params.push_back(param_json(p));
    if (r.search_params)
      for (const auto& p : search_param_docs(facets, r.paged)) params.push_back(param_json(p));
    auto lang = query_param("lang", "Language of labels and texts (default en)");
    lang.allowed = language_codes();
    params.push_back(param_json(lang));
    op["parameters"] = params;
    if (!r.form_fields.empty()) {
      ojson props = ojson::object();
      for (const auto& f : r.form_fields) {
        if (r.boolean_fields.count(f))
          props[f] = {{"type", "boolean"},
                      {"description", "true or false (also 1/0, on/off, yes/no)"}};
        else
          props[f] = {{"type", "string"}};
      }
      ojson schema = {{"type", "object"}, {"properties", props}};
      ojson content = {{"application/x-www-form-urlencoded", {{"schema", schema}}},
                       {"application/json", {{"schema", schema}}}};
      if (r.accepts_files) {
        ojson files = schema;
        for (const auto& f : r.form_fields)
          if (f == "file")
            files["properties"][f] = {{"type", "array"},
                                      {"items", {{"type", "string"}, {"format", "binary"}}}};
        content["multipart/form-data"] = {{"schema", files}};
      }
      op["requestBody"] = {{"content", content}};
    }
    if (!r.action.empty()) op["x-permission"] = r.action;
    op["responses"] = responses_for(r);
    // Public reads need no credentials (the empty requirement); a token or session may be sent.
    ojson security = ojson::array();
    if (r.public_read) security.push_back(ojson::object());
    security.push_back({{"bearer", ojson::array()}});
    security.push_back({{"session", ojson::array()}});
    op["security"] = security;
    paths[r.pattern][ascii_lower(r.method)] = op;
  }
  doc["paths"] = paths;
  doc["components"]["securitySchemes"] = {
      {"bearer",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"description",
         "An API token (hrt_...), made on /account or with `hrtrack user token`: "
         "Authorization: Bearer hrt_.... A read-scope token cannot change data."}}},
      {"session",
       {{"type", "apiKey"},
        {"in", "cookie"},
        {"name", "hrt_session"},
        {"description",
         "The session cookie set by signing in on /login (the browser's way). A POST with it "
         "must carry the session's CSRF token (X-CSRF-Token header or a csrf field)."}}}};
  doc["components"]["schemas"] = openapi_schemas();
  return doc;
}

}  // namespace hrtrack::web
