// Follow-up pages: a recommendation's workspace, clusters, plans, progress updates with their
// evidence, assessments, the review queue and reminders, and the published follow-up shown on a
// recommendation's page. The rules are in followup/followup.h; these handlers read forms
// (followup_forms.h), call the rules and render view models (followup_views.h).
#include <algorithm>
#include <set>

#include "access/permissions.h"
#include "core/error.h"
#include "core/text.h"
#include "followup/evidence.h"
#include "followup/followup.h"
#include "web/app.h"
#include "web/followup_forms.h"
#include "web/followup_views.h"
#include "web/render.h"
#include "web/routes.h"
#include "web/view.h"

namespace hrtrack::web {

using namespace fu;

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
                      {"role", label(rq, "value.assignment_role.", a.role)}});
  d["responsible"] = resp;
  json clusters = json::array();
  for (auto id : f.clusters_of(uid))
    if (auto c = f.cluster(id))
      clusters.push_back({{"name", c->name}, {"href", "/clusters/" + std::to_string(c->id)}});
  d["clusters"] = clusters;
  if (auto s = f.official_status(uid)) {
    auto scale = followup::complied_scale(s->status);
    d["official"] = {{"status", label(rq, "value.status.", s->status)},
                     {"scale", scale.empty() ? "" : text(rq, "value.scale." + scale)},
                     {"justification", s->justification},
                     {"date", s->set_at.substr(0, 10)}};
  }
  json plans = json::array();
  for (const auto& x : f.plans_for(uid))
    if (followup::is_public(x.state)) plans.push_back(plan_view(rq, x, false));
  d["plans"] = plans;
  json updates = json::array();
  for (const auto& u : f.updates_for(uid))
    if (followup::is_public(u.state)) updates.push_back(update_view(rq, u, false));
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
  json insts = assignable_choices(rq.app->store());
  return {{"csrf", rq.csrf},
          {"hidden", hidden},
          {"total", format_count(total, rq.lang)},
          {"can_cluster", clusters},
          {"can_assign", assign && !insts.empty()},
          {"institutions", insts}};
}

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
                        role_field(rq));
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
         {"role", label(rq, "value.assignment_role.", a.role)},
         {"remove", can_assign ? "/assignments/" + std::to_string(a.id) + "/delete" : ""}});
  d["assignments"] = assignments;
  d["has_assignments"] = !assignments.empty();
  d["can_assign"] = can_assign;
  d["can_manage"] = access::allowed(rq.principal, "cluster.manage");
  json insts = assignable_choices(store);
  d["institutions"] = insts;
  json plans = json::array();
  for (const auto& x : store.followup().plans_of_cluster(c->id)) {
    bool internal = rq.principal.signed_in();
    auto v = followup::view_plan(store, rq.principal, x);
    if (!v.visible || (!internal && !followup::is_public(x.state))) continue;
    plans.push_back(plan_view(rq, x, internal));
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
                   role_field(rq));
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

Response fu::render_workspace(const Request& rq, const std::string& uid, const std::string& error,
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
                    {"role", label(rq, "value.assignment_role.", a.role)},
                    {"via_cluster", a.cluster_id != 0},
                    {"remove", can_assign && a.cluster_id == 0
                                   ? "/assignments/" + std::to_string(a.id) + "/delete"
                                   : ""}});
  d["responsible"] = resp;
  d["has_responsible"] = !resp.empty();
  d["can_assign"] = can_assign;
  json insts = assignable_choices(store);
  d["institutions"] = insts;
  json clusters = json::array();
  for (auto id : f.clusters_of(uid))
    if (auto c = f.cluster(id))
      clusters.push_back({{"name", c->name}, {"href", "/clusters/" + std::to_string(c->id)}});
  d["clusters"] = clusters;
  // The official status.
  if (auto s = f.official_status(uid))
    d["official"] = {{"status", label(rq, "value.status.", s->status)},
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
    if (auto s = f.official_status(uid)) official_now = to_string(s->status);
  d["statuses"] = status_choices(rq, official_now);
  d["assess_statuses"] = status_choices(rq, typed("typed_assessment", "status"));
  // Plans and updates the viewer may see.
  json plans = json::array();
  json plan_choices = json::array();
  for (const auto& x : f.plans_for(uid)) {
    auto v = followup::view_plan(store, p, x);
    if (!v.visible) continue;
    plans.push_back(plan_view(rq, x, true));
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
    if (followup::view_update(store, p, u).visible) updates.push_back(update_view(rq, u, true));
  d["updates"] = updates;
  d["has_updates"] = !updates.empty();
  d["parties"] = side_by_side(rq, f.assessments_for(uid), true);
  // What the viewer may start here (the forms that will work).
  d["can_plan"] = followup::may_start(store, p, "plan.edit", uid);
  d["can_update"] = followup::may_start(store, p, "update.edit", uid);
  Party party = followup::party_of(p);
  bool can_assess = followup::may_start(store, p, followup::assessment_action(party), uid);
  d["can_assess"] = can_assess;
  d["assess_party"] = label(rq, "value.party.", party);
  d["can_protect"] = party == Party::CivilSociety;
  d["measures"] = measure_choices(rq, typed("typed_update", "measure_type"));
  // Protection is the default; a refused form keeps the organisation's choice.
  d["protect_off"] = sent == "typed_assessment" && parse_bool(rq.field("protected")) == false;
  d["today"] = now_iso().substr(0, 10);
  d["nav"] = {{"followup", true}};
  return render_page(rq, "followup", text(rq, "followup.title") + " · " + uid, d, status);
}

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
                   role_field(rq));
  return Response::redirect("/followup/" + uid);
}

Response post_official_status(const Request& rq) {
  auto uid = rq.path_param("uid");
  try {
    followup::set_official_status(rq.app->store(), rq.principal, uid,
                                  followup::parse_status("status", rq.field("status")),
                                  rq.field("justification"));
  } catch (const InvalidArgument& e) {
    return render_workspace(rq, uid, e.what(), 400);
  }
  return Response::redirect("/followup/" + uid);
}

// ---------------- plans ----------------

namespace {

Response render_plan(const Request& rq, const Plan& x, const std::string& error, int status) {
  auto& store = rq.app->store();
  auto v = followup::view_plan(store, rq.principal, x);
  if (!v.visible) {
    if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see this plan");
    throw access::Forbidden("this plan is not published and is not your institution's");
  }
  json d = plan_view(rq, x, true);
  d["standalone"] = true;  // the page's own h1 names it: the summary has no heading
  d["error"] = error;
  d["target_href"] =
      x.rec_uid.empty() ? "/clusters/" + std::to_string(x.cluster_id) : "/followup/" + x.rec_uid;
  bool editable =
      followup::editable(x.state) && access::allowed(rq.principal, "plan.edit", {x.institution_id});
  d["editable"] = editable;
  d["csrf"] = rq.csrf;
  d["transitions"] = transitions_json(
      rq, ReviewEntity::Plan, x.id,
      followup::transitions_for(rq.principal, ReviewEntity::Plan, x.state, x.institution_id));
  if (followup::can_see_comments(rq.principal, x.institution_id)) {
    d["comments"] = comments_json(store, ReviewEntity::Plan, x.id);
    d["has_comments"] = !d["comments"].empty();
  }
  d["institutions"] = assignable_choices(store, x.institution_id);
  json items = json::array();
  for (const auto& it : store.followup().policy_items())
    items.push_back({{"value", std::to_string(it.id)}, {"label", it.code + " " + it.title}});
  d["policy_items"] = items;
  d["has_policy_items"] = !items.empty();
  d["nav"] = {{"followup", true}};
  return render_page(rq, "plan", x.title, d, status);
}

}  // namespace

Response page_plan(const Request& rq) {
  return render_plan(rq, plan_param(rq), "", 200);
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
  auto x = plan_param(rq);
  auto y = plan_from_form(rq);
  y.id = x.id;
  followup::edit_plan(rq.app->store(), rq.principal, y);
  return Response::redirect("/plans/" + std::to_string(x.id));
}

Response post_plan_action(const Request& rq) {
  auto x = plan_param(rq);
  try {
    followup::add_action(rq.app->store(), rq.principal, action_from_form(rq, x.id));
  } catch (const InvalidArgument& e) {
    return render_plan(rq, x, e.what(), 400);
  }
  return Response::redirect("/plans/" + std::to_string(x.id) + "#actions");
}

Response post_plan_indicator(const Request& rq) {
  auto x = plan_param(rq);
  try {
    followup::add_indicator(rq.app->store(), rq.principal, indicator_from_form(rq, x.id));
  } catch (const InvalidArgument& e) {
    return render_plan(rq, x, e.what(), 400);
  }
  return Response::redirect("/plans/" + std::to_string(x.id) + "#indicators");
}

Response post_plan_link(const Request& rq) {
  auto x = plan_param(rq);
  try {
    followup::add_link(rq.app->store(), rq.principal, link_from_form(rq, x.id));
  } catch (const InvalidArgument& e) {
    return render_plan(rq, x, e.what(), 400);
  }
  return Response::redirect("/plans/" + std::to_string(x.id) + "#links");
}

// ---------------- progress updates ----------------

namespace {

Response render_update(const Request& rq, const ProgressUpdate& u, const std::string& error,
                       int status) {
  auto& store = rq.app->store();
  auto v = followup::view_update(store, rq.principal, u);
  if (!v.visible) {
    if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see this update");
    throw access::Forbidden("this update is not published and is not your institution's");
  }
  json d = update_view(rq, u, true);
  d["standalone"] = true;
  d["error"] = error;
  d["uid"] = u.rec_uid;
  d["workspace_href"] = "/followup/" + u.rec_uid;
  d["editable"] = followup::editable(u.state) &&
                  access::allowed(rq.principal, "update.edit", {u.institution_id});
  d["csrf"] = rq.csrf;
  d["transitions"] =
      transitions_json(rq, ReviewEntity::ProgressUpdate, u.id,
                       followup::transitions_for(rq.principal, ReviewEntity::ProgressUpdate,
                                                 u.state, u.institution_id));
  if (followup::can_see_comments(rq.principal, u.institution_id)) {
    d["comments"] = comments_json(store, ReviewEntity::ProgressUpdate, u.id);
    d["has_comments"] = !d["comments"].empty();
  }
  d["nav"] = {{"followup", true}};
  return render_page(rq, "update", text(rq, "update.title"), d, status);
}

}  // namespace

Response page_update(const Request& rq) {
  return render_update(rq, update_param(rq), "", 200);
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
  auto u = update_param(rq);
  auto& store = rq.app->store();
  try {
    if (!rq.files.empty()) {
      for (const auto& f : rq.files)
        followup::attach_file(store, rq.principal, u.id, {f.filename, f.content_type, f.content},
                              rq.app->evidence());
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
  auto found = followup::evidence_for(rq.app->store(), rq.principal, rq.id_param("id"));
  if (!found) throw NotFound("no evidence with id " + rq.path_param("id"));
  const auto& e = *found;
  if (e.kind == EvidenceKind::Link) return Response::redirect(e.url);
  auto bytes = rq.app->evidence().get(e.sha256);
  if (!bytes) throw NotFound("the evidence file is missing from the evidence folder");
  Response r;
  r.body = std::move(*bytes);
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
  try {
    followup::create_assessment(rq.app->store(), rq.principal, assessment_from_form(rq),
                                rq.flag("protected"));
  } catch (const InvalidArgument& e) {
    return render_workspace(rq, uid, e.what(), 400);
  }
  return Response::redirect("/followup/" + uid + "#assessments");
}

// ---------------- the workflow ----------------

Response post_workflow(const Request& rq) {
  auto entity = entity_param(rq);
  auto id = rq.id_param("id");
  auto& store = rq.app->store();
  followup::transition(store, rq.principal, entity, id, rq.field("transition"),
                       rq.field("comment"));
  if (entity == ReviewEntity::Plan) return Response::redirect("/plans/" + std::to_string(id));
  if (entity == ReviewEntity::ProgressUpdate)
    return Response::redirect("/updates/" + std::to_string(id));
  auto a = store.followup().assessment(id);
  return Response::redirect(a ? "/followup/" + a->rec_uid + "#assessments" : "/review");
}

Response page_review(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in to see the review queue");
  auto& store = rq.app->store();
  json items = json::array();
  for (const auto& it : followup::review_queue(store, rq.principal)) {
    std::string href = it.entity == ReviewEntity::Plan ? "/plans/" + std::to_string(it.id)
                       : it.entity == ReviewEntity::ProgressUpdate
                           ? "/updates/" + std::to_string(it.id)
                           : "/followup/" + it.rec_uid + "#assessments";
    auto title = followup::review_title(it);
    items.push_back({{"kind", label(rq, "review.kind.", it.entity)},
                     // An assessment has no title: its recommendation names it.
                     {"title", title.empty() ? it.rec_uid : title},
                     {"institution", inst_name(store, it.institution_id)},
                     {"state", label(rq, "workflow.state.", it.state)},
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

}  // namespace hrtrack::web
