#include "core/followup_json.h"

namespace hrtrack {

namespace {

ojson ref(std::int64_t id) {
  return id ? ojson(id) : ojson(nullptr);
}
ojson ref(const std::string& s) {
  return s.empty() ? ojson(nullptr) : ojson(s);
}
template <typename T>
ojson array_of(const std::vector<T>& v) {
  ojson a = ojson::array();
  for (const auto& x : v) a.push_back(to_json(x));
  return a;
}

}  // namespace

ojson to_json(const Cluster& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"description", c.description},
          {"created_by", c.created_by},
          {"size", c.size},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

ojson to_json(const Assignment& a) {
  return {{"id", a.id},
          {"uid", ref(a.rec_uid)},
          {"cluster_id", ref(a.cluster_id)},
          {"institution_id", a.institution_id},
          {"role", to_string(a.role)},
          {"created_at", a.created_at}};
}

ojson to_json(const PolicyPlan& p) {
  return {{"id", p.id}, {"kind", p.kind}, {"name", p.name}, {"period", p.period}};
}

ojson to_json(const PolicyItem& i) {
  return {{"id", i.id}, {"policy_plan_id", i.policy_plan_id}, {"code", i.code}, {"title", i.title}};
}

ojson to_json(const PlanAction& a) {
  return {{"id", a.id},
          {"plan_id", a.plan_id},
          {"description", a.description},
          {"institution_id", a.institution_id},
          {"start_date", a.start_date},
          {"end_date", a.end_date},
          {"cost", a.cost},
          {"currency", a.currency},
          {"funding_source", a.funding_source},
          {"budget_line", a.budget_line}};
}

ojson to_json(const Indicator& i) {
  return {{"id", i.id},
          {"plan_id", i.plan_id},
          {"name", i.name},
          {"baseline", i.baseline},
          {"target", i.target},
          {"unit", i.unit},
          {"means_of_verification", i.means_of_verification},
          {"frequency_months", i.frequency_months},
          {"disaggregation", i.disaggregation}};
}

ojson to_json(const PlanLink& l) {
  return {{"id", l.id},
          {"plan_id", l.plan_id},
          {"policy_item_id", ref(l.policy_item_id)},
          {"sdg_target", ref(l.sdg_target)}};
}

ojson to_json(const Plan& p) {
  return {{"id", p.id},
          {"uid", ref(p.rec_uid)},
          {"cluster_id", ref(p.cluster_id)},
          {"institution_id", p.institution_id},
          {"title", p.title},
          {"expected_results", p.expected_results},
          {"state", to_string(p.state)},
          {"author_id", ref(p.author_id)},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at},
          {"actions", array_of(p.actions)},
          {"indicators", array_of(p.indicators)},
          {"links", array_of(p.links)}};
}

ojson to_json(const Evidence& e) {
  return {{"id", e.id},     {"update_id", e.update_id}, {"kind", to_string(e.kind)},
          {"url", e.url},   {"filename", e.filename},   {"content_type", e.content_type},
          {"size", e.size}, {"sha256", e.sha256},       {"created_at", e.created_at}};
}

ojson to_json(const ProgressUpdate& u) {
  ojson values = ojson::object();
  for (const auto& [k, v] : u.values) values[std::to_string(k)] = v;
  return {{"id", u.id},
          {"uid", u.rec_uid},
          {"plan_id", ref(u.plan_id)},
          {"institution_id", u.institution_id},
          {"author_id", ref(u.author_id)},
          {"date", u.update_date},
          {"measure_type", to_string(u.measure_type)},
          {"description", u.description},
          {"state", to_string(u.state)},
          {"values", values},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at},
          {"evidence", array_of(u.evidence)}};
}

ojson to_json(const Assessment& a) {
  return {{"id", a.id},
          {"uid", a.rec_uid},
          {"party", to_string(a.party)},
          {"institution_id", a.institution_id},
          {"author_id", ref(a.author_id)},
          {"status", to_string(a.status)},
          {"assessed_on", a.assessed_on},
          {"justification", a.justification},
          {"protected", a.is_protected},
          {"state", to_string(a.state)},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at}};
}

ojson to_json(const OfficialStatus& s) {
  return {{"uid", s.rec_uid},
          {"status", to_string(s.status)},
          {"justification", s.justification},
          {"set_by", s.set_by},
          {"set_at", s.set_at}};
}

ojson to_json(const ReviewComment& c) {
  return {{"id", c.id},
          {"entity", to_string(c.entity)},
          {"entity_id", c.entity_id},
          {"author_name", c.author_name},
          {"transition", c.transition},
          {"text", c.text},
          {"created_at", c.created_at}};
}

}  // namespace hrtrack
