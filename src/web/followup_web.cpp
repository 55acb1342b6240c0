// Follow-up pages and API: the recommendation's workspace, clusters, plans, progress updates
// with evidence, assessments side by side, the review queue, reminders, and the public
// follow-up shown on a recommendation's page. The rules are in followup/followup.h; these
// handlers read forms, call it and render.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "access/directory.h"
#include "core/error.h"
#include "core/text.h"
#include "followup/followup.h"
#include "web/app.h"
#include "web/render.h"
#include "web/routes.h"
#include "web/view.h"

namespace hrtrack::web {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

std::string text(const Request& rq, const std::string& id) {
  return rq.app->catalogues()->text(rq.lang, id);
}

std::string evidence_dir(const Request& rq) {
  return rq.app->options().db_path + "-evidence";
}

// Every value of a form field in order, empty ones included.
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

json choice_list(const Request& rq, const std::vector<std::string>& values,
                 const std::string& prefix, const std::string& selected = "") {
  json out = json::array();
  for (const auto& v : values)
    out.push_back({{"value", v}, {"label", text(rq, prefix + v)}, {"selected", v == selected}});
  return out;
}

json transitions_json(const Request& rq, const std::string& entity, std::int64_t id,
                      const std::vector<std::string>& names) {
  json out = json::array();
  for (const auto& n : names)
    out.push_back({{"name", n},
                   {"label", text(rq, "workflow.do_" + n)},
                   {"needs_comment", n == "return"},
                   {"action", "/workflow/" + entity + "/" + std::to_string(id)},
                   {"csrf", rq.csrf}});
  return out;
}

json comments_json(Store& store, const std::string& entity, std::int64_t id) {
  json out = json::array();
  for (const auto& c : store.followup().comments(entity, id))
    out.push_back({{"author", c.author_name},
                   {"transition", c.transition},
                   {"text", c.text},
                   {"at", c.created_at.substr(0, 16)}});
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

json plan_json(const Request& rq, const Plan& x, bool internal) {
  auto& store = rq.app->store();
  auto v = followup::view_plan(store, rq.principal, x);
  json j;
  j["id"] = std::to_string(x.id);
  j["href"] = "/plans/" + std::to_string(x.id);
  j["title"] = x.title;
  j["expected_results"] = x.expected_results;
  j["institution"] = v.author;
  j["person"] = internal ? v.person : "";
  // The public sees only published items: no state to show there.
  j["state"] = internal ? x.state : "";
  j["state_label"] = text(rq, "workflow.state." + x.state);
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

json evidence_json(const Evidence& e) {
  return {{"href", e.kind == "file" ? "/evidence/" + std::to_string(e.id) : e.url},
          {"label", e.kind == "file" ? e.filename : e.url},
          {"is_file", e.kind == "file"},
          {"size", e.kind == "file" ? std::to_string((e.size + 1023) / 1024) + " KB" : ""}};
}

json update_json(const Request& rq, const ProgressUpdate& u, bool internal) {
  auto& store = rq.app->store();
  auto v = followup::view_update(store, rq.principal, u);
  json j;
  j["id"] = std::to_string(u.id);
  j["href"] = "/updates/" + std::to_string(u.id);
  j["date"] = u.update_date;
  j["measure"] = text(rq, "value.measure." + u.measure_type);
  j["description"] = u.description;
  j["institution"] = v.author;
  j["person"] = internal ? v.person : "";
  j["state"] = internal ? u.state : "";
  j["state_label"] = text(rq, "workflow.state." + u.state);
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
  for (const auto& e : u.evidence) ev.push_back(evidence_json(e));
  j["evidence"] = ev;
  j["has_evidence"] = !ev.empty();
  return j;
}

json assessment_json(const Request& rq, const Assessment& a, bool internal) {
  auto v = followup::view_assessment(rq.app->store(), rq.principal, a);
  json j;
  j["id"] = std::to_string(a.id);
  j["status"] = text(rq, "value.status." + a.status);
  auto scale = followup::complied_scale(a.status);
  j["scale"] = scale.empty() ? "" : text(rq, "value.scale." + scale);
  j["date"] = a.assessed_on;
  j["justification"] = a.justification;
  j["author"] = v.author;
  j["person"] = internal ? v.person : "";
  j["protected"] = a.is_protected && internal && !v.person.empty();
  j["state"] = internal ? a.state : "";
  j["state_label"] = text(rq, "workflow.state." + a.state);
  return j;
}

// Assessments side by side: one column per party, each with the assessments `rq` may see.
json side_by_side(const Request& rq, const std::vector<Assessment>& all, bool internal) {
  json cols = json::array();
  for (const auto& party : followup::parties()) {
    json items = json::array();
    for (const auto& a : all) {
      if (a.party != party) continue;
      if (!internal && a.state != "published") continue;
      if (internal && !followup::view_assessment(rq.app->store(), rq.principal, a).visible)
        continue;
      auto j = assessment_json(rq, a, internal);
      if (internal)
        j["transitions"] =
            transitions_json(rq, "assessment", a.id,
                             followup::transitions_for(rq.principal, "assessment", a.state,
                                                       a.institution_id, a.party));
      items.push_back(j);
    }
    cols.push_back(
        {{"party", text(rq, "value.party." + party)}, {"items", items}, {"empty", items.empty()}});
  }
  return cols;
}

// The institutions that can be assigned (not the NHRI, not civil society), for a <select>.
json assignable_institutions(Store& store, std::int64_t selected = 0) {
  json out = json::array();
  for (const auto& i : store.access().institutions())
    if (i.type != "civil_society" && i.type != "nhri")
      out.push_back(
          {{"value", std::to_string(i.id)}, {"label", i.name}, {"selected", i.id == selected}});
  return out;
}

}  // namespace

// The published follow-up of a recommendation (the public record page and public API).
json followup_public_json(const Request& rq, const std::string& uid) {
  auto& store = rq.app->store();
  auto& f = store.followup();
  json d;
  json resp = json::array();
  std::set<std::int64_t> seen;
  for (const auto& a : f.assignments_for(uid))
    if (seen.insert(a.institution_id).second)
      resp.push_back({{"name", inst_name(store, a.institution_id)},
                      {"role", text(rq, "value.assignment_role." + a.role)}});
  d["responsible"] = resp;
  json clusters = json::array();
  for (auto id : f.clusters_of(uid))
    if (auto c = f.cluster(id))
      clusters.push_back({{"name", c->name}, {"href", "/clusters/" + std::to_string(c->id)}});
  d["clusters"] = clusters;
  if (auto s = f.official_status(uid)) {
    auto scale = followup::complied_scale(s->status);
    d["official"] = {{"status", text(rq, "value.status." + s->status)},
                     {"scale", scale.empty() ? "" : text(rq, "value.scale." + scale)},
                     {"justification", s->justification},
                     {"date", s->set_at.substr(0, 10)}};
  }
  json plans = json::array();
  for (const auto& x : f.plans_for(uid))
    if (x.state == "published") plans.push_back(plan_json(rq, x, false));
  d["plans"] = plans;
  json updates = json::array();
  for (const auto& u : f.updates_for(uid))
    if (u.state == "published") updates.push_back(update_json(rq, u, false));
  d["updates"] = updates;
  d["parties"] = side_by_side(rq, f.assessments_for(uid), false);
  d["has_responsible"] = !resp.empty();
  d["has_clusters"] = !clusters.empty();
  d["has_plans"] = !plans.empty();
  d["has_updates"] = !updates.empty();
  d["has_any"] = !resp.empty() || !clusters.empty() || d.contains("official") || !plans.empty() ||
                 !updates.empty();
  bool any_assessment = false;
  for (const auto& c : d["parties"]) any_assessment = any_assessment || !c["empty"].get<bool>();
  d["has_assessments"] = any_assessment;
  d["has_any"] = d["has_any"].get<bool>() || any_assessment;
  if (rq.principal.signed_in() && !rq.principal.via_token) d["workspace_href"] = "/followup/" + uid;
  return d;
}

// The forms the search page offers to the coordinator: the current search as hidden fields.
json search_manage_json(const Request& rq, long total) {
  const auto& p = rq.principal;
  bool clusters = access::allowed(p, "cluster.manage");
  bool assign = access::allowed(p, "assignment.manage");
  if ((!clusters && !assign) || total <= 0) return false;
  json hidden = json::array();
  for (const auto& [k, v] : rq.query)
    if (k != "page" && k != "per_page" && k != "more" && k != "lang" && k != "facets" &&
        k != "facet_limit" && !v.empty())
      hidden.push_back({{"name", k}, {"value", v}});
  json insts = assignable_institutions(rq.app->store());
  return {{"csrf", rq.csrf},
          {"hidden", hidden},
          {"total", format_count(total, rq.lang)},
          {"can_cluster", clusters},
          {"can_assign", assign && !insts.empty()},
          {"institutions", insts}};
}

namespace {

// The uids a search (given as form fields) matches, in the index's order.
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

}  // namespace

// ---------------- clusters ----------------

Response post_cluster_create(const Request& rq) {
  auto uids = search_uids(rq);
  auto c = followup::create_cluster(rq.app->store(), rq.principal, rq.field("name"),
                                    rq.field("description"), uids);
  return Response::redirect("/clusters/" + std::to_string(c.id));
}

Response post_search_assign(const Request& rq) {
  auto uids = search_uids(rq);
  followup::assign_many(rq.app->store(), rq.principal, uids, rq.id_field("institution"),
                        rq.field("role").empty() ? "lead" : rq.field("role"));
  return Response::redirect("/followup?done=assigned");
}

Response page_clusters(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see clusters");
  json items = json::array();
  for (const auto& c : rq.app->store().followup().clusters())
    items.push_back({{"name", c.name},
                     {"href", "/clusters/" + std::to_string(c.id)},
                     {"size", format_count(c.size, rq.lang)},
                     {"description", c.description}});
  json d;
  d["items"] = items;
  d["has_items"] = !items.empty();
  d["can_manage"] = access::allowed(rq.principal, "cluster.manage");
  d["nav"] = {{"followup", true}};
  return render_page(rq, "clusters", text(rq, "cluster.title"), d);
}

Response page_cluster(const Request& rq) {
  auto& store = rq.app->store();
  auto c = store.followup().cluster(rq.id_param("id"));
  if (!c) throw NotFound("no cluster with id " + rq.path_param("id"));
  json d;
  d["cluster"] = {{"name", c->name},
                  {"description", c->description},
                  {"size", format_count(c->size, rq.lang)},
                  {"id", std::to_string(c->id)}};
  auto members = store.followup().members(c->id);
  json list = json::array();
  for (std::size_t i = 0; i < members.size() && i < 200; ++i) {
    auto r = store.get(members[i]);
    if (!r) continue;
    std::string lang;
    list.push_back(
        {{"uid", r->uid},
         {"href", (rq.principal.signed_in() ? "/followup/" : "/recommendations/") + r->uid},
         {"text", shorten_for_display(text_for(*r, rq.lang, lang), 220)},
         {"state", state_label(r->state_iso3, r->state_name, rq.lang)},
         {"mechanism", r->mechanism}});
  }
  d["members"] = list;
  d["more_members"] = members.size() > 200;
  json assignments = json::array();
  bool can_assign = access::allowed(rq.principal, "assignment.manage");
  for (const auto& a : store.followup().assignments_of_cluster(c->id))
    assignments.push_back(
        {{"institution", inst_name(store, a.institution_id)},
         {"role", text(rq, "value.assignment_role." + a.role)},
         {"remove", can_assign ? "/assignments/" + std::to_string(a.id) + "/delete" : ""}});
  d["assignments"] = assignments;
  d["has_assignments"] = !assignments.empty();
  d["can_assign"] = can_assign;
  d["can_manage"] = access::allowed(rq.principal, "cluster.manage");
  json insts = assignable_institutions(store);
  d["institutions"] = insts;
  json plans = json::array();
  for (const auto& x : store.followup().plans_of_cluster(c->id)) {
    bool internal = rq.principal.signed_in();
    auto v = followup::view_plan(store, rq.principal, x);
    if (!v.visible || (!internal && x.state != "published")) continue;
    plans.push_back(plan_json(rq, x, internal));
  }
  d["plans"] = plans;
  d["has_plans"] = !plans.empty();
  // A focal point of an assigned institution (or the coordinator) may start a plan here.
  d["can_plan"] = followup::may_start(store, rq.principal, "plan.edit", "", c->id);
  d["csrf"] = rq.csrf;
  d["nav"] = {{"followup", true}};
  return render_page(rq, "cluster", c->name, d);
}

Response post_cluster_edit(const Request& rq) {
  auto id = rq.id_param("id");
  followup::edit_cluster(rq.app->store(), rq.principal, id, rq.field("name"),
                         rq.field("description"));
  return Response::redirect("/clusters/" + std::to_string(id));
}

Response post_cluster_assign(const Request& rq) {
  auto id = rq.id_param("id");
  followup::assign(rq.app->store(), rq.principal, "", id, rq.id_field("institution"),
                   rq.field("role").empty() ? "lead" : rq.field("role"));
  return Response::redirect("/clusters/" + std::to_string(id));
}

Response post_assignment_delete(const Request& rq) {
  auto& store = rq.app->store();
  auto a = store.followup().assignment(rq.id_param("id"));
  if (!a) throw NotFound("no assignment with id " + rq.path_param("id"));
  followup::unassign(store, rq.principal, a->id);
  return Response::redirect(a->cluster_id ? "/clusters/" + std::to_string(a->cluster_id)
                                          : "/followup/" + a->rec_uid);
}

// ---------------- the workspace of one recommendation ----------------

namespace {

Response render_workspace(const Request& rq, const std::string& uid, const std::string& error,
                          int status) {
  const auto& p = rq.principal;
  if (!p.signed_in()) throw access::Forbidden("sign in to work on the follow-up");
  auto& store = rq.app->store();
  auto& f = store.followup();
  auto r = store.get(uid);
  if (!r || r->deleted) throw NotFound("no recommendation with id " + uid);
  json d;
  std::string tlang;
  d["uid"] = uid;
  d["record_href"] = "/recommendations/" + uid;
  d["record_text"] = text_for(*r, rq.lang, tlang);
  d["record_state"] = state_label(r->state_iso3, r->state_name, rq.lang);
  d["record_source"] = r->symbol.empty() ? r->mechanism : r->symbol;
  d["csrf"] = rq.csrf;
  d["error"] = error;
  // Responsible institutions.
  bool can_assign = access::allowed(p, "assignment.manage");
  json resp = json::array();
  for (const auto& a : f.assignments_for(uid))
    resp.push_back({{"institution", inst_name(store, a.institution_id)},
                    {"role", text(rq, "value.assignment_role." + a.role)},
                    {"via_cluster", a.cluster_id != 0},
                    {"remove", can_assign && a.cluster_id == 0
                                   ? "/assignments/" + std::to_string(a.id) + "/delete"
                                   : ""}});
  d["responsible"] = resp;
  d["has_responsible"] = !resp.empty();
  d["can_assign"] = can_assign;
  json insts = assignable_institutions(store);
  d["institutions"] = insts;
  json clusters = json::array();
  for (auto id : f.clusters_of(uid))
    if (auto c = f.cluster(id))
      clusters.push_back({{"name", c->name}, {"href", "/clusters/" + std::to_string(c->id)}});
  d["clusters"] = clusters;
  // The official status.
  if (auto s = f.official_status(uid))
    d["official"] = {{"status", text(rq, "value.status." + s->status)},
                     {"justification", s->justification},
                     {"by", s->set_by},
                     {"date", s->set_at.substr(0, 10)}};
  // After a refusal, the form that was sent comes back with what was typed in it.
  std::string sent;
  if (!error.empty() && rq.route) {
    const auto& pat = rq.route->pattern;
    sent = pat == "/assessments"             ? "typed_assessment"
           : pat == "/updates"               ? "typed_update"
           : pat == "/plans"                 ? "typed_plan"
           : pat == "/followup/{uid}/status" ? "typed_official"
                                             : "";
  }
  auto typed = [&](const std::string& form, const std::string& field) -> std::string {
    return sent == form ? rq.field(field) : "";
  };
  if (!sent.empty()) {
    json t = json::object();
    for (const auto& [k, v] : rq.form)
      if (k != "csrf" && k != "indicator" && k != "value") t[k] = v;
    d[sent] = t;
  }
  d["can_status"] = access::allowed(p, "status.official");
  // The official-status form starts at the current status, not at the first of the list.
  std::string official_now = typed("typed_official", "status");
  if (official_now.empty())
    if (auto s = f.official_status(uid)) official_now = s->status;
  d["statuses"] = choice_list(rq, followup::statuses(), "value.status.", official_now);
  d["assess_statuses"] =
      choice_list(rq, followup::statuses(), "value.status.", typed("typed_assessment", "status"));
  // Plans and updates the viewer may see.
  json plans = json::array();
  json plan_choices = json::array();
  for (const auto& x : f.plans_for(uid)) {
    auto v = followup::view_plan(store, p, x);
    if (!v.visible) continue;
    plans.push_back(plan_json(rq, x, true));
    plan_choices.push_back({{"value", std::to_string(x.id)},
                            {"label", x.title},
                            {"selected", typed("typed_update", "plan") == std::to_string(x.id)}});
    for (const auto& i : x.indicators) {
      std::string value;
      if (sent == "typed_update") {
        auto ids = values_of(rq.form, "indicator"), vals = values_of(rq.form, "value");
        for (std::size_t k = 0; k < ids.size() && k < vals.size(); ++k)
          if (ids[k] == std::to_string(i.id)) value = vals[k];
      }
      d["indicator_inputs"].push_back(
          {{"id", std::to_string(i.id)},
           {"label", x.title + ": " + i.name + (i.unit.empty() ? "" : " (" + i.unit + ")")},
           {"value", value}});
    }
  }
  d["plans"] = plans;
  d["has_plans"] = !plans.empty();
  d["plan_choices"] = plan_choices;
  json updates = json::array();
  for (const auto& u : f.updates_for(uid))
    if (followup::view_update(store, p, u).visible) updates.push_back(update_json(rq, u, true));
  d["updates"] = updates;
  d["has_updates"] = !updates.empty();
  d["parties"] = side_by_side(rq, f.assessments_for(uid), true);
  // What the viewer may start here (the forms that will work).
  d["can_plan"] = followup::may_start(store, p, "plan.edit", uid);
  d["can_update"] = followup::may_start(store, p, "update.edit", uid);
  std::string party = followup::party_of(p);
  bool can_assess = followup::may_start(store, p, "assessment." + party, uid);
  d["can_assess"] = can_assess;
  d["assess_party"] = text(rq, "value.party." + party);
  d["can_protect"] = party == "civil_society";
  d["measures"] = choice_list(rq, followup::measure_types(), "value.measure.",
                              typed("typed_update", "measure_type"));
  // Protection is the default; a refused form keeps the organisation's choice.
  d["protect_off"] = sent == "typed_assessment" && parse_bool(rq.field("protected")) == false;
  d["today"] = now_iso().substr(0, 10);
  d["nav"] = {{"followup", true}};
  return render_page(rq, "followup", text(rq, "followup.title") + " · " + uid, d, status);
}

}  // namespace

Response page_workspace(const Request& rq) {
  return render_workspace(rq, rq.path_param("uid"), "", 200);
}

Response page_my_followup(const Request& rq) {
  const auto& p = rq.principal;
  if (!p.signed_in()) throw access::Forbidden("sign in to work on the follow-up");
  auto& store = rq.app->store();
  // Recommendations assigned to the user's institution (directly or through clusters).
  json items = json::array();
  json clusters = json::array();
  auto& f = store.followup();
  for (const auto& c : f.clusters()) {
    bool mine = false;
    for (const auto& a : f.assignments_of_cluster(c.id))
      mine = mine || a.institution_id == p.institution_id;
    if (mine || access::allowed(p, "cluster.manage"))
      clusters.push_back({{"name", c.name},
                          {"href", "/clusters/" + std::to_string(c.id)},
                          {"size", format_count(c.size, rq.lang)},
                          {"mine", mine}});
  }
  json d;
  d["clusters"] = clusters;
  d["has_clusters"] = !clusters.empty();
  // Direct assignments of the institution, through the index (facet institution).
  if (p.institution_id) {
    auto inst = store.access().institution(p.institution_id);
    if (inst) {
      search::SearchRequest req;
      req.filters["institution"] = {inst->code};
      req.per_page = 100;
      req.with_facets = false;
      auto res = rq.app->index()->search(req);
      for (const auto& h : res.hits)
        if (auto r = store.get(h.uid)) {
          std::string lang;
          items.push_back({{"uid", r->uid},
                           {"href", "/followup/" + r->uid},
                           {"text", shorten_for_display(text_for(*r, rq.lang, lang), 200)}});
        }
      d["total"] = format_count(res.total, rq.lang);
      d["search_href"] = url_with("/search", {{"institution", inst->code}});
    }
  }
  d["items"] = items;
  d["has_items"] = !items.empty();
  d["notice"] =
      single(rq.query, "done").value_or("") == "assigned" ? text(rq, "followup.assigned_done") : "";
  d["nav"] = {{"followup", true}};
  return render_page(rq, "my_followup", text(rq, "followup.mine_title"), d);
}

Response post_assign(const Request& rq) {
  auto uid = rq.path_param("uid");
  followup::assign(rq.app->store(), rq.principal, uid, 0, rq.id_field("institution"),
                   rq.field("role").empty() ? "lead" : rq.field("role"));
  return Response::redirect("/followup/" + uid);
}

Response post_official_status(const Request& rq) {
  auto uid = rq.path_param("uid");
  try {
    followup::set_official_status(rq.app->store(), rq.principal, uid, rq.field("status"),
                                  rq.field("justification"));
  } catch (const InvalidArgument& e) {
    return render_workspace(rq, uid, e.what(), 400);
  }
  return Response::redirect("/followup/" + uid);
}

// ---------------- plans ----------------

namespace {

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

Response render_plan(const Request& rq, const Plan& x, const std::string& error, int status) {
  auto& store = rq.app->store();
  auto v = followup::view_plan(store, rq.principal, x);
  if (!v.visible) {
    if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see this plan");
    throw access::Forbidden("this plan is not published and is not your institution's");
  }
  json d = plan_json(rq, x, true);
  d["standalone"] = true;  // the page's own h1 names it: the summary has no heading
  d["error"] = error;
  d["target_href"] =
      x.rec_uid.empty() ? "/clusters/" + std::to_string(x.cluster_id) : "/followup/" + x.rec_uid;
  bool editable = (x.state == "draft" || x.state == "returned") &&
                  access::allowed(rq.principal, "plan.edit", {x.institution_id});
  d["editable"] = editable;
  d["csrf"] = rq.csrf;
  d["transitions"] = transitions_json(
      rq, "plan", x.id, followup::transitions_for(rq.principal, "plan", x.state, x.institution_id));
  if (followup::can_see_comments(rq.principal, x.institution_id)) {
    d["comments"] = comments_json(store, "plan", x.id);
    d["has_comments"] = !d["comments"].empty();
  }
  d["institutions"] = assignable_institutions(store, x.institution_id);
  json items = json::array();
  for (const auto& it : store.followup().policy_items())
    items.push_back({{"value", std::to_string(it.id)}, {"label", it.code + " " + it.title}});
  d["policy_items"] = items;
  d["has_policy_items"] = !items.empty();
  d["nav"] = {{"followup", true}};
  return render_page(rq, "plan", x.title, d, status);
}

Plan load_plan(const Request& rq) {
  auto x = rq.app->store().followup().plan(rq.id_param("id"));
  if (!x) throw NotFound("no plan with id " + rq.path_param("id"));
  return *x;
}

}  // namespace

Response page_plan(const Request& rq) {
  return render_plan(rq, load_plan(rq), "", 200);
}

Response post_plan_create(const Request& rq) {
  try {
    auto x = followup::create_plan(rq.app->store(), rq.principal, plan_from_form(rq));
    return Response::redirect("/plans/" + std::to_string(x.id));
  } catch (const InvalidArgument& e) {
    // From a recommendation's workspace: back to it, with what was typed.
    if (!rq.field("uid").empty() && rq.field("cluster").empty())
      return render_workspace(rq, rq.field("uid"), e.what(), 400);
    throw;
  }
}

Response post_plan_edit(const Request& rq) {
  auto x = load_plan(rq);
  auto y = plan_from_form(rq);
  y.id = x.id;
  followup::edit_plan(rq.app->store(), rq.principal, y);
  return Response::redirect("/plans/" + std::to_string(x.id));
}

Response post_plan_action(const Request& rq) {
  auto x = load_plan(rq);
  try {
    followup::add_action(rq.app->store(), rq.principal, action_from_form(rq, x.id));
  } catch (const InvalidArgument& e) {
    return render_plan(rq, x, e.what(), 400);
  }
  return Response::redirect("/plans/" + std::to_string(x.id) + "#actions");
}

Response post_plan_indicator(const Request& rq) {
  auto x = load_plan(rq);
  try {
    followup::add_indicator(rq.app->store(), rq.principal, indicator_from_form(rq, x.id));
  } catch (const InvalidArgument& e) {
    return render_plan(rq, x, e.what(), 400);
  }
  return Response::redirect("/plans/" + std::to_string(x.id) + "#indicators");
}

Response post_plan_link(const Request& rq) {
  auto x = load_plan(rq);
  PlanLink l;
  l.plan_id = x.id;
  l.sdg_target = std::string(trim(rq.field("sdg_target")));
  l.policy_item_id = rq.id_field("policy_item");
  try {
    followup::add_link(rq.app->store(), rq.principal, l);
  } catch (const InvalidArgument& e) {
    return render_plan(rq, x, e.what(), 400);
  }
  return Response::redirect("/plans/" + std::to_string(x.id) + "#links");
}

// ---------------- progress updates ----------------

namespace {

ProgressUpdate update_from_form(const Request& rq) {
  ProgressUpdate u;
  u.rec_uid = rq.field("uid");
  u.plan_id = rq.id_field("plan");
  u.institution_id = rq.id_field("institution");
  u.update_date = rq.field("date");
  u.measure_type = rq.field("measure_type");
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

ProgressUpdate load_update(const Request& rq) {
  auto u = rq.app->store().followup().update(rq.id_param("id"));
  if (!u) throw NotFound("no progress update with id " + rq.path_param("id"));
  return *u;
}

Response render_update(const Request& rq, const ProgressUpdate& u, const std::string& error,
                       int status) {
  auto& store = rq.app->store();
  auto v = followup::view_update(store, rq.principal, u);
  if (!v.visible) {
    if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see this update");
    throw access::Forbidden("this update is not published and is not your institution's");
  }
  json d = update_json(rq, u, true);
  d["standalone"] = true;
  d["error"] = error;
  d["uid"] = u.rec_uid;
  d["workspace_href"] = "/followup/" + u.rec_uid;
  d["editable"] = (u.state == "draft" || u.state == "returned") &&
                  access::allowed(rq.principal, "update.edit", {u.institution_id});
  d["csrf"] = rq.csrf;
  d["transitions"] = transitions_json(
      rq, "progress_update", u.id,
      followup::transitions_for(rq.principal, "progress_update", u.state, u.institution_id));
  if (followup::can_see_comments(rq.principal, u.institution_id)) {
    d["comments"] = comments_json(store, "progress_update", u.id);
    d["has_comments"] = !d["comments"].empty();
  }
  d["nav"] = {{"followup", true}};
  return render_page(rq, "update", text(rq, "update.title"), d, status);
}

}  // namespace

Response page_update(const Request& rq) {
  return render_update(rq, load_update(rq), "", 200);
}

Response post_update_create(const Request& rq) {
  auto uid = rq.field("uid");
  try {
    auto u = followup::create_update(rq.app->store(), rq.principal, update_from_form(rq));
    return Response::redirect("/updates/" + std::to_string(u.id));
  } catch (const InvalidArgument& e) {
    return render_workspace(rq, uid, e.what(), 400);
  }
}

Response post_update_evidence(const Request& rq) {
  auto u = load_update(rq);
  auto& store = rq.app->store();
  try {
    if (!rq.files.empty()) {
      for (const auto& f : rq.files)
        followup::attach_file(store, rq.principal, u.id, {f.filename, f.content_type, f.content},
                              evidence_dir(rq));
    } else if (!rq.field("url").empty()) {
      followup::attach_link(store, rq.principal, u.id, rq.field("url"));
    } else {
      throw InvalidArgument("choose a file or give a link");
    }
  } catch (const InvalidArgument& e) {
    return render_update(rq, u, e.what(), 400);
  }
  return Response::redirect("/updates/" + std::to_string(u.id) + "#evidence");
}

Response get_evidence(const Request& rq) {
  auto found =
      followup::evidence_for(rq.app->store(), rq.principal, rq.id_param("id"), evidence_dir(rq));
  if (!found) throw NotFound("no evidence with id " + rq.path_param("id"));
  const auto& [e, path] = *found;
  if (e.kind == "link") return Response::redirect(e.url);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw NotFound("the evidence file is missing from the evidence folder");
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r;
  r.body = ss.str();
  // Always a download, never rendered by the browser, whatever the file holds.
  r.content_type = "application/octet-stream";
  std::string ascii;
  for (unsigned char c : e.filename)
    ascii +=
        (c < 0x20 || c >= 0x7F || c == '"' || c == '\\' || c == ';') ? '_' : static_cast<char>(c);
  r.headers.emplace_back(
      "Content-Disposition",
      "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + url_encode(e.filename));
  r.headers.emplace_back("X-Evidence-Type", e.content_type);
  return r;
}

// ---------------- assessments ----------------

Response post_assessment_create(const Request& rq) {
  auto uid = rq.field("uid");
  Assessment a;
  a.rec_uid = uid;
  a.status = rq.field("status");
  a.assessed_on = rq.field("assessed_on");
  a.justification = rq.field("justification");
  try {
    followup::create_assessment(rq.app->store(), rq.principal, a, rq.flag("protected"));
  } catch (const InvalidArgument& e) {
    return render_workspace(rq, uid, e.what(), 400);
  }
  return Response::redirect("/followup/" + uid + "#assessments");
}

// ---------------- the workflow ----------------

Response post_workflow(const Request& rq) {
  auto entity = rq.path_param("entity");
  auto id = rq.id_param("id");
  auto& store = rq.app->store();
  followup::transition(store, rq.principal, entity, id, rq.field("transition"),
                       rq.field("comment"));
  if (entity == "plan") return Response::redirect("/plans/" + std::to_string(id));
  if (entity == "progress_update") return Response::redirect("/updates/" + std::to_string(id));
  auto a = store.followup().assessment(id);
  return Response::redirect(a ? "/followup/" + a->rec_uid + "#assessments" : "/review");
}

Response page_review(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see the review queue");
  auto& store = rq.app->store();
  json items = json::array();
  for (const auto& it : followup::review_queue(store, rq.principal)) {
    std::string href = it.entity == "plan" ? "/plans/" + std::to_string(it.id)
                       : it.entity == "progress_update"
                           ? "/updates/" + std::to_string(it.id)
                           : "/followup/" + it.rec_uid + "#assessments";
    items.push_back({{"kind", text(rq, "review.kind." + it.entity)},
                     // An assessment has no title: its recommendation names it.
                     {"title", it.entity == "assessment" ? it.rec_uid : it.title},
                     {"institution", inst_name(store, it.institution_id)},
                     {"state", text(rq, "workflow.state." + it.state)},
                     {"href", href},
                     {"updated", it.updated_at.substr(0, 10)}});
  }
  json d;
  d["items"] = items;
  d["has_items"] = !items.empty();
  d["nav"] = {{"review", true}};
  return render_page(rq, "review", text(rq, "review.title"), d);
}

// ---------------- reminders ----------------

Response page_reminders(const Request& rq) {
  if (!rq.principal.signed_in() || rq.principal.user_id <= 0)
    throw access::Forbidden("sign in to see your reminders");
  json items = json::array();
  for (const auto& n : rq.app->store().followup().notifications_of(rq.principal.user_id, false))
    items.push_back({{"message", n.message},
                     {"href", n.link},
                     {"kind", text(rq, "reminders.kind." + n.kind)},
                     {"date", n.created_at.substr(0, 10)},
                     {"unread", !n.read_at.has_value()},
                     {"read_action", "/reminders/" + std::to_string(n.id) + "/read"}});
  json d;
  d["items"] = items;
  d["has_items"] = !items.empty();
  d["nav"] = {{"reminders", true}};
  return render_page(rq, "reminders", text(rq, "reminders.title"), d);
}

Response post_reminder_read(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in first");
  rq.app->store().followup().mark_read(rq.principal.user_id, rq.id_param("id"), now_iso());
  return Response::redirect("/reminders");
}

// ---------------- JSON API ----------------

namespace {

ojson id_json(std::int64_t id) {
  return {{"id", id}};
}

}  // namespace

Response api_followup_public(const Request& rq) {
  auto uid = rq.path_param("uid");
  auto r = rq.app->store().get(uid);
  if (!r || r->deleted) throw NotFound("no recommendation with id " + uid);
  // The public view whoever asks: published content only, protected authors masked.
  access::Principal anon;
  Request pub = rq;
  pub.principal = anon;
  auto j = followup_public_json(pub, uid);
  j.erase("workspace_href");
  return Response::json(ojson::parse(j.dump()));
}

Response api_cluster_create(const Request& rq) {
  auto uids = values_of(rq.form, "uid");
  auto c = followup::create_cluster(rq.app->store(), rq.principal, rq.field("name"),
                                    rq.field("description"), uids);
  return Response::json({{"id", c.id}, {"name", c.name}, {"size", c.size}}, 201);
}

Response api_cluster_members(const Request& rq) {
  auto n = followup::add_to_cluster(rq.app->store(), rq.principal, rq.id_param("id"),
                                    values_of(rq.form, "uid"));
  return Response::json({{"added", n}});
}

Response api_assignment_create(const Request& rq) {
  auto a = followup::assign(rq.app->store(), rq.principal, rq.field("uid"), rq.id_field("cluster"),
                            rq.id_field("institution"),
                            rq.field("role").empty() ? "lead" : rq.field("role"));
  return Response::json(id_json(a.id), 201);
}

Response api_plan_create(const Request& rq) {
  auto x = followup::create_plan(rq.app->store(), rq.principal, plan_from_form(rq));
  return Response::json(id_json(x.id), 201);
}

Response api_plan_action(const Request& rq) {
  auto a =
      followup::add_action(rq.app->store(), rq.principal, action_from_form(rq, rq.id_param("id")));
  return Response::json(id_json(a.id), 201);
}

Response api_plan_indicator(const Request& rq) {
  auto i = followup::add_indicator(rq.app->store(), rq.principal,
                                   indicator_from_form(rq, rq.id_param("id")));
  return Response::json(id_json(i.id), 201);
}

Response api_plan_link(const Request& rq) {
  PlanLink l;
  l.plan_id = rq.id_param("id");
  l.sdg_target = std::string(trim(rq.field("sdg_target")));
  l.policy_item_id = rq.id_field("policy_item");
  l = followup::add_link(rq.app->store(), rq.principal, l);
  return Response::json(id_json(l.id), 201);
}

Response api_update_create(const Request& rq) {
  auto u = followup::create_update(rq.app->store(), rq.principal, update_from_form(rq));
  return Response::json(id_json(u.id), 201);
}

Response api_update_evidence(const Request& rq) {
  auto& store = rq.app->store();
  auto id = rq.id_param("id");
  ojson out = ojson::array();
  for (const auto& f : rq.files)
    out.push_back(
        id_json(followup::attach_file(store, rq.principal, id,
                                      {f.filename, f.content_type, f.content}, evidence_dir(rq))
                    .id));
  if (!rq.field("url").empty())
    out.push_back(id_json(followup::attach_link(store, rq.principal, id, rq.field("url")).id));
  if (out.empty()) throw InvalidArgument("send a file (multipart field 'file') or a url");
  return Response::json({{"evidence", out}}, 201);
}

Response api_assessment_create(const Request& rq) {
  Assessment a;
  a.rec_uid = rq.field("uid");
  a.status = rq.field("status");
  a.assessed_on = rq.field("assessed_on");
  a.justification = rq.field("justification");
  auto x = followup::create_assessment(rq.app->store(), rq.principal, a, rq.flag("protected"));
  return Response::json(id_json(x.id), 201);
}

Response api_plan(const Request& rq) {
  auto x = load_plan(rq);
  if (!followup::view_plan(rq.app->store(), rq.principal, x).visible)
    throw access::Forbidden("this plan is not published and is not your institution's");
  ojson j;
  j["id"] = x.id;
  j["uid"] = x.rec_uid.empty() ? ojson(nullptr) : ojson(x.rec_uid);
  j["cluster_id"] = x.cluster_id ? ojson(x.cluster_id) : ojson(nullptr);
  j["institution_id"] = x.institution_id;
  j["title"] = x.title;
  j["expected_results"] = x.expected_results;
  j["state"] = x.state;
  ojson actions = ojson::array(), indicators = ojson::array();
  for (const auto& a : x.actions)
    actions.push_back({{"id", a.id},
                       {"description", a.description},
                       {"institution_id", a.institution_id},
                       {"start_date", a.start_date},
                       {"end_date", a.end_date},
                       {"cost", a.cost},
                       {"currency", a.currency},
                       {"funding_source", a.funding_source},
                       {"budget_line", a.budget_line}});
  for (const auto& i : x.indicators)
    indicators.push_back({{"id", i.id},
                          {"name", i.name},
                          {"baseline", i.baseline},
                          {"target", i.target},
                          {"unit", i.unit},
                          {"means_of_verification", i.means_of_verification},
                          {"frequency_months", i.frequency_months},
                          {"disaggregation", i.disaggregation}});
  j["actions"] = actions;
  j["indicators"] = indicators;
  return Response::json(j);
}

Response api_assessment_edit(const Request& rq) {
  auto& store = rq.app->store();
  auto old = store.followup().assessment(rq.id_param("id"));
  if (!old) throw NotFound("no assessment with id " + rq.path_param("id"));
  Assessment a = *old;
  if (single(rq.form, "status")) a.status = rq.field("status");
  if (single(rq.form, "assessed_on")) a.assessed_on = rq.field("assessed_on");
  if (single(rq.form, "justification")) a.justification = rq.field("justification");
  if (auto flag = rq.flag("protected")) a.is_protected = *flag;
  followup::edit_assessment(store, rq.principal, a);
  return Response::json(id_json(a.id));
}

Response api_workflow(const Request& rq) {
  auto entity = rq.path_param("entity");
  auto id = rq.id_param("id");
  followup::transition(rq.app->store(), rq.principal, entity, id, rq.field("transition"),
                       rq.field("comment"));
  std::string state;
  auto& f = rq.app->store().followup();
  if (entity == "plan") state = f.plan(id)->state;
  if (entity == "progress_update") state = f.update(id)->state;
  if (entity == "assessment") state = f.assessment(id)->state;
  return Response::json({{"entity", entity}, {"id", id}, {"state", state}});
}

Response api_official_status(const Request& rq) {
  auto uid = rq.path_param("uid");
  followup::set_official_status(rq.app->store(), rq.principal, uid, rq.field("status"),
                                rq.field("justification"));
  return Response::json({{"uid", uid}, {"status", rq.field("status")}});
}

Response api_followup_internal(const Request& rq) {
  const auto& p = rq.principal;
  if (!p.signed_in()) throw access::Forbidden("sign in or send an API token");
  auto uid = rq.path_param("uid");
  auto& store = rq.app->store();
  auto& f = store.followup();
  if (!store.get(uid)) throw NotFound("no recommendation with id " + uid);
  ojson out;
  out["uid"] = uid;
  ojson plans = ojson::array(), updates = ojson::array(), assessments = ojson::array();
  for (const auto& x : f.plans_for(uid))
    if (followup::view_plan(store, p, x).visible)
      plans.push_back({{"id", x.id},
                       {"title", x.title},
                       {"state", x.state},
                       {"institution_id", x.institution_id}});
  for (const auto& u : f.updates_for(uid))
    if (followup::view_update(store, p, u).visible)
      updates.push_back({{"id", u.id},
                         {"date", u.update_date},
                         {"state", u.state},
                         {"institution_id", u.institution_id}});
  for (const auto& a : f.assessments_for(uid)) {
    auto v = followup::view_assessment(store, p, a);
    if (!v.visible) continue;
    assessments.push_back({{"id", a.id},
                           {"party", a.party},
                           {"status", a.status},
                           {"state", a.state},
                           {"author", v.author},
                           {"person", v.person}});
  }
  out["plans"] = plans;
  out["updates"] = updates;
  out["assessments"] = assessments;
  return Response::json(out);
}

Response api_policy_plans(const Request& rq) {
  auto& f = rq.app->store().followup();
  ojson out = ojson::array();
  auto items = f.policy_items();
  for (const auto& pp : f.policy_plans()) {
    ojson list = ojson::array();
    for (const auto& it : items)
      if (it.policy_plan_id == pp.id)
        list.push_back({{"id", it.id}, {"code", it.code}, {"title", it.title}});
    out.push_back({{"id", pp.id},
                   {"kind", pp.kind},
                   {"name", pp.name},
                   {"period", pp.period},
                   {"items", list}});
  }
  return Response::json({{"policy_plans", out}});
}

Response api_policy_plan_create(const Request& rq) {
  PolicyPlan pp;
  pp.kind = rq.field("kind");
  pp.name = rq.field("name");
  pp.period = rq.field("period");
  pp = followup::create_policy_plan(rq.app->store(), rq.principal, pp);
  return Response::json(id_json(pp.id), 201);
}

Response api_policy_item_create(const Request& rq) {
  PolicyItem it;
  it.policy_plan_id = rq.id_param("id");
  it.code = rq.field("code");
  it.title = rq.field("title");
  it = followup::create_policy_item(rq.app->store(), rq.principal, it);
  return Response::json(id_json(it.id), 201);
}

Response api_policy_item_edit(const Request& rq) {
  auto& store = rq.app->store();
  auto id = rq.id_param("id");
  for (auto it : store.followup().policy_items())
    if (it.id == id) {
      if (single(rq.form, "code")) it.code = rq.field("code");
      if (single(rq.form, "title")) it.title = rq.field("title");
      followup::edit_policy_item(store, rq.principal, it);
      return Response::json(id_json(id));
    }
  throw NotFound("no national plan item with id " + std::to_string(id));
}

Response api_review(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in or send an API token");
  ojson out = ojson::array();
  for (const auto& it : followup::review_queue(rq.app->store(), rq.principal))
    out.push_back({{"entity", it.entity},
                   {"id", it.id},
                   {"uid", it.rec_uid},
                   {"institution_id", it.institution_id},
                   {"state", it.state},
                   {"title", it.title}});
  return Response::json({{"items", out}});
}

Response api_reminders(const Request& rq) {
  if (!rq.principal.signed_in() || rq.principal.user_id <= 0)
    throw access::Forbidden("sign in or send an API token");
  ojson out = ojson::array();
  for (const auto& n : rq.app->store().followup().notifications_of(rq.principal.user_id, false))
    out.push_back({{"id", n.id},
                   {"kind", n.kind},
                   {"message", n.message},
                   {"link", n.link},
                   {"read", n.read_at.has_value()},
                   {"emailed", n.emailed_at.has_value()}});
  return Response::json({{"reminders", out}});
}

}  // namespace hrtrack::web
