// Assessments by each party (the government's go through the review; the NHRI's and civil
// society's are their own voice) and the coordinator's official status.
#include "followup/internal.h"
#include "followup/public.h"

namespace hrtrack::followup {

using namespace detail;

namespace {

void validate_assessment(Store& store, const Assessment& a) {
  require_record(store, a.rec_uid);
  check_date("assessed_on", a.assessed_on, true);
  check_text("justification", a.justification, limits::kLongText, true);
}

}  // namespace

Assessment create_assessment(Store& store, const Principal& p, Assessment a,
                             std::optional<bool> protect) {
  a.party = party_of(p);
  a.institution_id = p.institution_id;
  if (a.party == Party::Government && !a.institution_id)
    throw InvalidArgument("institution: you belong to no institution");
  validate_assessment(store, a);
  if (a.party == Party::Government)
    require_responsible(store, p, "assessment.government", a.rec_uid, 0, a.institution_id);
  else
    access::require(p, assessment_action(a.party), {a.institution_id});
  a.is_protected = a.party == Party::CivilSociety && protect.value_or(true);
  a.id = 0;
  a.state = ItemState::Draft;
  a.author_id = author_id(p);
  auto txn = store.begin();
  store.followup().add_assessment(a, actor(p));
  txn->commit();
  return a;
}

void edit_assessment(Store& store, const Principal& p, const Assessment& a) {
  auto old = load_assessment(store, a.id);
  access::require(p, assessment_action(old.party), {old.institution_id});
  require_editable("the assessment", old.state);
  Assessment y = old;
  y.status = a.status;
  y.assessed_on = a.assessed_on;
  y.justification = a.justification;
  y.is_protected = old.party == Party::CivilSociety && a.is_protected;
  validate_assessment(store, y);
  auto txn = store.begin();
  store.followup().update_assessment(y, actor(p));
  txn->commit();
}

void set_official_status(Store& store, const Principal& p, const std::string& uid,
                         ImplStatus status, const std::string& justification) {
  access::require(p, "status.official");
  require_record(store, uid);
  check_text("justification", justification, limits::kLongText, false);
  OfficialStatus s;
  s.rec_uid = uid;
  s.status = status;
  s.justification = justification;
  s.set_by = actor(p);
  s.set_at = now_iso();
  auto txn = store.begin();
  store.followup().set_official_status(s, actor(p));
  public_changed(store);
  txn->commit();
}

}  // namespace hrtrack::followup
