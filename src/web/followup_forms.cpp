#include "web/followup_forms.h"

#include "core/error.h"
#include "core/text.h"
#include "followup/followup.h"
#include "web/app.h"
#include "web/followup_views.h"

namespace hrtrack::web::fu {

Plan plan_from_form(const Request& rq) {
  Plan x;
  x.rec_uid = rq.field("uid");
  x.cluster_id = rq.id_field("cluster");
  x.institution_id = rq.id_field("institution");
  x.title = rq.field("title");
  x.expected_results = rq.field("expected_results");
  return x;
}

PlanAction action_from_form(const Request& rq, std::int64_t plan_id) {
  PlanAction a;
  a.plan_id = plan_id;
  a.description = rq.field("description");
  a.institution_id = rq.id_field("institution");
  a.start_date = rq.field("start_date");
  a.end_date = rq.field("end_date");
  a.cost = std::string(trim(rq.field("cost")));
  a.currency = std::string(trim(rq.field("currency")));
  a.funding_source = rq.field("funding_source");
  a.budget_line = rq.field("budget_line");
  return a;
}

Indicator indicator_from_form(const Request& rq, std::int64_t plan_id) {
  Indicator i;
  i.plan_id = plan_id;
  i.name = rq.field("name");
  i.baseline = rq.field("baseline");
  i.target = rq.field("target");
  i.unit = rq.field("unit");
  i.means_of_verification = rq.field("means_of_verification");
  i.disaggregation = rq.field("disaggregation");
  auto f = rq.field("frequency_months");
  i.frequency_months =
      f.empty() ? 12 : static_cast<int>(parse_bounded("frequency_months", f, 1, 60));
  return i;
}

PlanLink link_from_form(const Request& rq, std::int64_t plan_id) {
  PlanLink l;
  l.plan_id = plan_id;
  l.sdg_target = std::string(trim(rq.field("sdg_target")));
  l.policy_item_id = rq.id_field("policy_item");
  return l;
}

ProgressUpdate update_from_form(const Request& rq) {
  ProgressUpdate u;
  u.rec_uid = rq.field("uid");
  u.plan_id = rq.id_field("plan");
  u.institution_id = rq.id_field("institution");
  u.update_date = rq.field("date");
  u.measure_type = followup::parse_measure("measure_type", rq.field("measure_type"));
  u.description = rq.field("description");
  auto ids = values_of(rq.form, "indicator");
  auto vals = values_of(rq.form, "value");
  if (ids.size() != vals.size()) throw search::BadRequest("value", "give one value per indicator");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (trim(vals[i]).empty()) continue;
    auto id = parse_int(ids[i]);
    if (!id) throw search::BadRequest("indicator", "indicator must be an id");
    u.values[*id] = std::string(trim(vals[i]));
  }
  return u;
}

Assessment assessment_from_form(const Request& rq) {
  Assessment a;
  a.rec_uid = rq.field("uid");
  a.status = followup::parse_status("status", rq.field("status"));
  a.assessed_on = rq.field("assessed_on");
  a.justification = rq.field("justification");
  return a;
}

AssignmentRole role_field(const Request& rq) {
  auto role = rq.field("role");
  return role.empty() ? AssignmentRole::Lead : followup::parse_role("role", role);
}

ReviewEntity entity_param(const Request& rq) {
  auto e = review_entity_from_string(rq.path_param("entity"));
  if (!e)
    throw NotFound("nothing to review at '" + shorten_for_display(rq.path_param("entity"), 40) +
                   "': plan, progress_update or assessment");
  return *e;
}

Plan plan_param(const Request& rq) {
  auto x = rq.app->store().followup().plan(rq.id_param("id"));
  if (!x) throw NotFound("no plan with id " + rq.path_param("id"));
  return *x;
}

ProgressUpdate update_param(const Request& rq) {
  auto u = rq.app->store().followup().update(rq.id_param("id"));
  if (!u) throw NotFound("no progress update with id " + rq.path_param("id"));
  return *u;
}

std::vector<std::string> search_uids(const Request& rq) {
  Params p;
  for (const auto& [k, v] : rq.form)
    if (k != "csrf" && k != "name" && k != "description" && k != "institution" && k != "role")
      p.emplace_back(k, v);
  auto req = parse_search_request(p, search::facets(), false);
  std::vector<std::string> uids;
  long total =
      rq.app->index()->for_each_match(req, [&](const std::string& uid) { uids.push_back(uid); });
  // A cluster or a bulk assignment is a working set, not the whole database: a search that
  // broad is almost certainly a mistake (a missing filter).
  constexpr long kMax = 10000;
  if (total > kMax)
    throw InvalidArgument("this search matches " + std::to_string(total) +
                          " recommendations; narrow it to at most " + std::to_string(kMax) +
                          " to make a cluster or assign them");
  return uids;
}

}  // namespace hrtrack::web::fu
