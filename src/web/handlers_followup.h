// The follow-up: pages (followup_pages.cpp) and API (followup_api.cpp), and the views the
// record and search pages show of it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "web/http.h"

namespace hrtrack::web {

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

}  // namespace hrtrack::web
