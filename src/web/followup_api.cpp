// The follow-up's JSON API: the same operations as the pages (followup/followup.h), answering
// the one JSON form of each type (core/followup_json.h).
#include "core/error.h"
#include "core/followup_json.h"
#include "core/text.h"
#include "followup/evidence.h"
#include "followup/followup.h"
#include "web/app.h"
#include "web/followup_forms.h"
#include "web/followup_views.h"
#include "web/routes.h"

namespace hrtrack::web {

using namespace fu;
using ojson = nlohmann::ordered_json;

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
  return Response::json(to_json(c), 201);
}

Response api_cluster_members(const Request& rq) {
  auto n = followup::add_to_cluster(rq.app->store(), rq.principal, rq.id_param("id"),
                                    values_of(rq.form, "uid"));
  return Response::json({{"added", n}});
}

Response api_assignment_create(const Request& rq) {
  auto a = followup::assign(rq.app->store(), rq.principal, rq.field("uid"), rq.id_field("cluster"),
                            rq.id_field("institution"), role_field(rq));
  return Response::json(to_json(a), 201);
}

Response api_plan_create(const Request& rq) {
  auto x = followup::create_plan(rq.app->store(), rq.principal, plan_from_form(rq));
  return Response::json(to_json(x), 201);
}

Response api_plan_action(const Request& rq) {
  auto a =
      followup::add_action(rq.app->store(), rq.principal, action_from_form(rq, rq.id_param("id")));
  return Response::json(to_json(a), 201);
}

Response api_plan_indicator(const Request& rq) {
  auto i = followup::add_indicator(rq.app->store(), rq.principal,
                                   indicator_from_form(rq, rq.id_param("id")));
  return Response::json(to_json(i), 201);
}

Response api_plan_link(const Request& rq) {
  auto l = followup::add_link(rq.app->store(), rq.principal, link_from_form(rq, rq.id_param("id")));
  return Response::json(to_json(l), 201);
}

Response api_update_create(const Request& rq) {
  auto u = followup::create_update(rq.app->store(), rq.principal, update_from_form(rq));
  return Response::json(to_json(u), 201);
}

Response api_update_evidence(const Request& rq) {
  auto& store = rq.app->store();
  auto id = rq.id_param("id");
  ojson out = ojson::array();
  for (const auto& f : rq.files)
    out.push_back(to_json(followup::attach_file(
        store, rq.principal, id, {f.filename, f.content_type, f.content}, rq.app->evidence())));
  if (!rq.field("url").empty())
    out.push_back(to_json(followup::attach_link(store, rq.principal, id, rq.field("url"))));
  if (out.empty()) throw InvalidArgument("send a file (multipart field 'file') or a url");
  return Response::json({{"evidence", out}}, 201);
}

Response api_assessment_create(const Request& rq) {
  auto x = followup::create_assessment(rq.app->store(), rq.principal, assessment_from_form(rq),
                                       rq.flag("protected"));
  return Response::json(to_json(x), 201);
}

Response api_plan(const Request& rq) {
  auto x = plan_param(rq);
  if (!followup::view_plan(rq.app->store(), rq.principal, x).visible)
    throw access::Forbidden("this plan is not published and is not your institution's");
  return Response::json(to_json(x));
}

Response api_assessment_edit(const Request& rq) {
  auto& store = rq.app->store();
  auto old = store.followup().assessment(rq.id_param("id"));
  if (!old) throw NotFound("no assessment with id " + rq.path_param("id"));
  Assessment a = *old;
  if (single(rq.form, "status")) a.status = followup::parse_status("status", rq.field("status"));
  if (single(rq.form, "assessed_on")) a.assessed_on = rq.field("assessed_on");
  if (single(rq.form, "justification")) a.justification = rq.field("justification");
  if (auto flag = rq.flag("protected")) a.is_protected = *flag;
  followup::edit_assessment(store, rq.principal, a);
  return Response::json(to_json(*store.followup().assessment(a.id)));
}

Response api_workflow(const Request& rq) {
  auto entity = entity_param(rq);
  auto id = rq.id_param("id");
  followup::transition(rq.app->store(), rq.principal, entity, id, rq.field("transition"),
                       rq.field("comment"));
  ItemState state = ItemState::Draft;
  auto& f = rq.app->store().followup();
  if (entity == ReviewEntity::Plan) state = f.plan(id)->state;
  if (entity == ReviewEntity::ProgressUpdate) state = f.update(id)->state;
  if (entity == ReviewEntity::Assessment) state = f.assessment(id)->state;
  return Response::json(
      {{"entity", to_string(entity)}, {"id", id}, {"state", std::string(to_string(state))}});
}

Response api_official_status(const Request& rq) {
  auto uid = rq.path_param("uid");
  followup::set_official_status(rq.app->store(), rq.principal, uid,
                                followup::parse_status("status", rq.field("status")),
                                rq.field("justification"));
  return Response::json(to_json(*rq.app->store().followup().official_status(uid)));
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
    if (followup::view_plan(store, p, x).visible) plans.push_back(to_json(x));
  for (const auto& u : f.updates_for(uid))
    if (followup::view_update(store, p, u).visible) updates.push_back(to_json(u));
  for (const auto& a : f.assessments_for(uid)) {
    auto v = followup::view_assessment(store, p, a);
    if (!v.visible) continue;
    // Not the whole JSON form: who wrote it is what the viewer may know of it.
    assessments.push_back({{"id", a.id},
                           {"party", to_string(a.party)},
                           {"status", to_string(a.status)},
                           {"assessed_on", a.assessed_on},
                           {"justification", a.justification},
                           {"state", to_string(a.state)},
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
    ojson j = to_json(pp);
    ojson list = ojson::array();
    for (const auto& it : items)
      if (it.policy_plan_id == pp.id) list.push_back(to_json(it));
    j["items"] = list;
    out.push_back(j);
  }
  return Response::json({{"policy_plans", out}});
}

Response api_policy_plan_create(const Request& rq) {
  PolicyPlan pp;
  pp.kind = rq.field("kind");
  pp.name = rq.field("name");
  pp.period = rq.field("period");
  return Response::json(to_json(followup::create_policy_plan(rq.app->store(), rq.principal, pp)),
                        201);
}

Response api_policy_item_create(const Request& rq) {
  PolicyItem it;
  it.policy_plan_id = rq.id_param("id");
  it.code = rq.field("code");
  it.title = rq.field("title");
  return Response::json(to_json(followup::create_policy_item(rq.app->store(), rq.principal, it)),
                        201);
}

Response api_policy_item_edit(const Request& rq) {
  auto& store = rq.app->store();
  auto id = rq.id_param("id");
  for (auto it : store.followup().policy_items())
    if (it.id == id) {
      if (single(rq.form, "code")) it.code = rq.field("code");
      if (single(rq.form, "title")) it.title = rq.field("title");
      followup::edit_policy_item(store, rq.principal, it);
      return Response::json(to_json(it));
    }
  throw NotFound("no national plan item with id " + std::to_string(id));
}

Response api_review(const Request& rq) {
  if (!rq.principal.signed_in()) throw access::Forbidden("sign in or send an API token");
  ojson out = ojson::array();
  for (const auto& it : followup::review_queue(rq.app->store(), rq.principal))
    out.push_back({{"entity", to_string(it.entity)},
                   {"id", it.id},
                   {"uid", it.rec_uid},
                   {"institution_id", it.institution_id},
                   {"state", to_string(it.state)},
                   {"title", followup::review_title(it)}});
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
