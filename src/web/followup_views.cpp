#include "web/followup_views.h"

#include "core/followup_json.h"
#include "core/text.h"
#include "followup/followup.h"
#include "web/app.h"
#include "web/i18n.h"
#include "web/render.h"
#include "web/view.h"

namespace hrtrack::web::fu {

std::string text(const Request& rq, const std::string& id) {
  return rq.app->catalogues()->text(rq.lang, id);
}

std::vector<std::string> values_of(const Params& p, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : p)
    if (k == name) out.push_back(v);
  return out;
}

std::string inst_name(Store& store, std::int64_t id) {
  auto i = store.access().institution(id);
  return i ? i->name : "";
}

namespace {

template <typename E>
json choices(const Request& rq, const std::vector<E>& values, const std::string& prefix,
             const std::string& selected) {
  json out = json::array();
  for (auto v : values) {
    std::string s(to_string(v));
    out.push_back({{"value", s}, {"label", text(rq, prefix + s)}, {"selected", s == selected}});
  }
  return out;
}

std::string cost_text(const PlanAction& a, const std::string& lang) {
  if (a.cost.empty()) return "";
  auto dot = a.cost.find('.');
  long whole = parse_int(a.cost.substr(0, dot)).value_or(0);
  std::string out = format_count(whole, lang);
  if (dot != std::string::npos) out += "." + a.cost.substr(dot + 1);
  return out + " " + a.currency;
}

json evidence_view(const Evidence& e) {
  bool file = e.kind == EvidenceKind::File;
  json j = json::parse(to_json(e).dump());
  j["href"] = file ? "/evidence/" + std::to_string(e.id) : e.url;
  j["label"] = file ? e.filename : e.url;
  j["is_file"] = file;
  j["size"] = file ? std::to_string((e.size + 1023) / 1024) + " KB" : "";
  return j;
}

// The JSON form (core/followup_json.h) as the templates' json type.
template <typename T>
json base(const T& x) {
  return json::parse(to_json(x).dump());
}

}  // namespace

json status_choices(const Request& rq, const std::string& selected) {
  return choices(rq, all_impl_statuses(), "value.status.", selected);
}

json measure_choices(const Request& rq, const std::string& selected) {
  return choices(rq, all_measure_types(), "value.measure.", selected);
}

json assignable_choices(Store& store, std::int64_t selected) {
  json out = json::array();
  for (const auto& i : followup::assignable_institutions(store))
    out.push_back(
        {{"value", std::to_string(i.id)}, {"label", i.name}, {"selected", i.id == selected}});
  return out;
}

json transitions_json(const Request& rq, ReviewEntity entity, std::int64_t id,
                      const std::vector<std::string>& names) {
  json out = json::array();
  for (const auto& n : names)
    out.push_back(
        {{"name", n},
         {"label", text(rq, "workflow.do_" + n)},
         {"needs_comment", n == "return"},
         {"action", "/workflow/" + std::string(to_string(entity)) + "/" + std::to_string(id)},
         {"csrf", rq.csrf}});
  return out;
}

json comments_json(Store& store, ReviewEntity entity, std::int64_t id) {
  json out = json::array();
  for (const auto& c : store.followup().comments(entity, id))
    out.push_back({{"author", c.author_name},
                   {"transition", c.transition},
                   {"text", c.text},
                   {"at", c.created_at.substr(0, 16)}});
  return out;
}

json plan_view(const Request& rq, const Plan& x, bool internal) {
  auto& store = rq.app->store();
  auto v = followup::view_plan(store, rq.principal, x);
  json j = base(x);
  j["id"] = std::to_string(x.id);
  j["href"] = "/plans/" + std::to_string(x.id);
  j["institution"] = v.author;
  j["person"] = internal ? v.person : "";
  if (!internal) j.erase("author_id");
  // The public sees only published items: no state to show there.
  j["state"] = internal ? std::string(to_string(x.state)) : "";
  j["state_label"] = label(rq, "workflow.state.", x.state);
  json actions = json::array();
  for (const auto& a : x.actions)
    actions.push_back({{"description", a.description},
                       {"institution", inst_name(store, a.institution_id)},
                       {"start", a.start_date},
                       {"end", a.end_date},
                       {"cost", cost_text(a, rq.lang)},
                       {"funding_source", a.funding_source},
                       {"budget_line", a.budget_line}});
  j["actions"] = actions;
  j["has_actions"] = !actions.empty();
  json inds = json::array();
  for (const auto& i : x.indicators)
    inds.push_back({{"id", std::to_string(i.id)},
                    {"name", i.name},
                    {"baseline", i.baseline},
                    {"target", i.target},
                    {"unit", i.unit},
                    {"means", i.means_of_verification},
                    {"frequency", std::to_string(i.frequency_months)},
                    {"disaggregation", i.disaggregation}});
  j["indicators"] = inds;
  j["has_indicators"] = !inds.empty();
  std::map<std::int64_t, std::string> items;
  for (const auto& it : store.followup().policy_items()) items[it.id] = it.code + " " + it.title;
  json links = json::array();
  for (const auto& l : x.links)
    links.push_back(
        {{"text", l.sdg_target.empty() ? items[l.policy_item_id] : "SDG " + l.sdg_target}});
  j["links"] = links;
  j["has_links"] = !links.empty();
  return j;
}

json update_view(const Request& rq, const ProgressUpdate& u, bool internal) {
  auto& store = rq.app->store();
  auto v = followup::view_update(store, rq.principal, u);
  json j = base(u);
  j["id"] = std::to_string(u.id);
  j["href"] = "/updates/" + std::to_string(u.id);
  j["measure"] = label(rq, "value.measure.", u.measure_type);
  j["institution"] = v.author;
  j["person"] = internal ? v.person : "";
  if (!internal) j.erase("author_id");
  j["state"] = internal ? std::string(to_string(u.state)) : "";
  j["state_label"] = label(rq, "workflow.state.", u.state);
  std::map<std::int64_t, std::string> names;
  if (u.plan_id)
    if (auto x = store.followup().plan(u.plan_id))
      for (const auto& i : x->indicators)
        names[i.id] = i.name + (i.unit.empty() ? "" : " (" + i.unit + ")");
  json values = json::array();
  for (const auto& [id, value] : u.values)
    values.push_back({{"name", names[id]}, {"value", value}});
  j["values"] = values;
  j["has_values"] = !values.empty();
  json ev = json::array();
  for (const auto& e : u.evidence) ev.push_back(evidence_view(e));
  j["evidence"] = ev;
  j["has_evidence"] = !ev.empty();
  return j;
}

json assessment_view(const Request& rq, const Assessment& a, bool internal) {
  auto v = followup::view_assessment(rq.app->store(), rq.principal, a);
  json j;
  // Not the whole JSON form: its institution id would name a protected organisation.
  j["id"] = std::to_string(a.id);
  j["status"] = label(rq, "value.status.", a.status);
  auto scale = followup::complied_scale(a.status);
  j["scale"] = scale.empty() ? "" : text(rq, "value.scale." + scale);
  j["date"] = a.assessed_on;
  j["justification"] = a.justification;
  j["author"] = v.author;
  j["person"] = internal ? v.person : "";
  j["protected"] = a.is_protected && internal && !v.person.empty();
  j["state"] = internal ? std::string(to_string(a.state)) : "";
  j["state_label"] = label(rq, "workflow.state.", a.state);
  return j;
}

json side_by_side(const Request& rq, const std::vector<Assessment>& all, bool internal) {
  json cols = json::array();
  for (auto party : all_parties()) {
    json items = json::array();
    for (const auto& a : all) {
      if (a.party != party) continue;
      if (!internal && !followup::is_public(a.state)) continue;
      if (internal && !followup::view_assessment(rq.app->store(), rq.principal, a).visible)
        continue;
      auto j = assessment_view(rq, a, internal);
      if (internal)
        j["transitions"] =
            transitions_json(rq, ReviewEntity::Assessment, a.id,
                             followup::transitions_for(rq.principal, ReviewEntity::Assessment,
                                                       a.state, a.institution_id, a.party));
      items.push_back(j);
    }
    cols.push_back(
        {{"party", label(rq, "value.party.", party)}, {"items", items}, {"empty", items.empty()}});
  }
  return cols;
}

}  // namespace hrtrack::web::fu
