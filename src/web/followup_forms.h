// What the follow-up forms and JSON bodies send, read into the domain's types. Values the rules
// check are checked there (followup/followup.h); here only their shape: ids are whole numbers,
// closed vocabularies are one of their values (InvalidArgument "field: one of ...").
#pragma once
#include <string>
#include <vector>

#include "core/followup.h"
#include "web/http.h"

namespace hrtrack::web::fu {

Plan plan_from_form(const Request& rq);
PlanAction action_from_form(const Request& rq, std::int64_t plan_id);
Indicator indicator_from_form(const Request& rq, std::int64_t plan_id);
PlanLink link_from_form(const Request& rq, std::int64_t plan_id);
ProgressUpdate update_from_form(const Request& rq);
// An assessment's uid, status, date and justification (the party and institution are the
// principal's; protection comes from the `protected` flag).
Assessment assessment_from_form(const Request& rq);
// `role` (lead when absent).
AssignmentRole role_field(const Request& rq);
// A review entity named in the address (plan, progress_update, assessment), or NotFound.
ReviewEntity entity_param(const Request& rq);

// The plan, update or assessment named by the address's {id}, or NotFound.
Plan plan_param(const Request& rq);
ProgressUpdate update_param(const Request& rq);

// The uids a search given as form fields matches (a cluster or a bulk assignment from the
// search page), in the index's order; refused past 10,000 (a missing filter, surely).
std::vector<std::string> search_uids(const Request& rq);

}  // namespace hrtrack::web::fu
