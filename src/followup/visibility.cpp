// What a viewer sees of each item: whether at all (published, or the viewer's institution's),
// who wrote it as the viewer may know it (a protected civil-society author is only "a civil
// society organisation"), and whether the review comments.
#include "followup/internal.h"

namespace hrtrack::followup {

using access::allowed;

namespace {

std::string institution_name(Store& store, std::int64_t id) {
  auto i = store.access().institution(id);
  return i ? i->name : "";
}

std::string person_name(Store& store, std::int64_t id) {
  if (!id) return "";
  auto u = store.access().user(id);
  return u ? u->display_name : "";
}

// Plans and updates: visible when published or to their institution's internal viewers.
ItemView view_reviewed(Store& store, const Principal& p, ItemState state, std::int64_t institution,
                       std::int64_t author) {
  ItemView v;
  bool internal = allowed(p, "followup.view_internal", {institution});
  v.visible = is_public(state) || internal;
  v.author = institution_name(store, institution);
  if (p.signed_in() && internal) v.person = person_name(store, author);
  return v;
}

}  // namespace

bool can_see_comments(const Principal& p, std::int64_t institution_id) {
  return allowed(p, "followup.view_internal", {institution_id});
}

ItemView view_plan(Store& store, const Principal& p, const Plan& x) {
  return view_reviewed(store, p, x.state, x.institution_id, x.author_id);
}

ItemView view_update(Store& store, const Principal& p, const ProgressUpdate& x) {
  return view_reviewed(store, p, x.state, x.institution_id, x.author_id);
}

ItemView view_assessment(Store& store, const Principal& p, const Assessment& x) {
  ItemView v;
  bool own_party = allowed(p, assessment_action(x.party), {x.institution_id});
  if (x.party == Party::Government)
    v.visible = is_public(x.state) || allowed(p, "followup.view_internal", {x.institution_id});
  else
    v.visible = is_public(x.state) || own_party;
  bool civil = x.party == Party::CivilSociety;
  bool identity = !civil || allowed(p, "identity.protected", {x.institution_id});
  if (civil && x.is_protected && !identity) {
    v.author = kProtectedAuthor;
    return v;  // no organisation, no person
  }
  v.author = institution_name(store, x.institution_id);
  bool internal = x.party == Party::Government
                      ? allowed(p, "followup.view_internal", {x.institution_id})
                      : own_party || (civil && identity && p.signed_in() && p.user_id != 0);
  if (p.signed_in() && internal) v.person = person_name(store, x.author_id);
  return v;
}

std::vector<std::pair<std::string, std::string>> history_of(Store& store, const std::string& uid) {
  auto& f = store.followup();
  std::vector<std::pair<std::string, std::string>> out = {{"recommendation", uid},
                                                          {"official_status", uid}};
  for (const auto& x : f.plans_for(uid))
    if (x.rec_uid == uid) out.emplace_back("plan", std::to_string(x.id));
  for (const auto& u : f.updates_for(uid))
    out.emplace_back("progress_update", std::to_string(u.id));
  for (const auto& a : f.assessments_for(uid)) out.emplace_back("assessment", std::to_string(a.id));
  for (const auto& a : f.assignments_for(uid))
    if (a.rec_uid == uid) out.emplace_back("assignment", std::to_string(a.id));
  return out;
}

}  // namespace hrtrack::followup
