// The one JSON form of each follow-up type: what the API answers, what the change log records
// (before and after), what pages start their view models from. Absent references are null (a
// plan for a cluster has "uid": null), enums are their one spelling (core/followup.h).
#pragma once
#include <nlohmann/json.hpp>

#include "core/followup.h"

namespace hrtrack {

using ojson = nlohmann::ordered_json;

ojson to_json(const Cluster&);
ojson to_json(const Assignment&);
ojson to_json(const PolicyPlan&);
ojson to_json(const PolicyItem&);
ojson to_json(const PlanAction&);
ojson to_json(const Indicator&);
ojson to_json(const PlanLink&);
ojson to_json(const Plan&);  // with its actions, indicators and links
ojson to_json(const Evidence&);
ojson to_json(const ProgressUpdate&);  // with its indicator values and evidence
ojson to_json(const Assessment&);
ojson to_json(const OfficialStatus&);
ojson to_json(const ReviewComment&);

}  // namespace hrtrack
