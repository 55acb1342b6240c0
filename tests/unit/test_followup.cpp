// The follow-up rules (src/followup): dates, the workflow, responsibility, evidence checks,
// what each viewer sees.
#include <gtest/gtest.h>

#include <unistd.h>
#include "temp_db.h"

#include <filesystem>

#include "access/auth.h"
#include "access/directory.h"
#include "core/error.h"
#include "core/identity.h"
#include "core/record_json.h"
#include "followup/evidence.h"
#include "followup/followup.h"
#include "followup/reminders.h"
#include "store/store.h"

using namespace hrtrack;
using namespace hrtrack::access;
namespace fu = hrtrack::followup;

TEST(FollowupDates, AddMonthsAndDays) {
  EXPECT_EQ(fu::add_months("2026-11-27", 3), "2027-02-27");
  EXPECT_EQ(fu::add_months("2026-01-31", 1), "2026-02-28");  // clamped
  EXPECT_EQ(fu::add_months("2024-01-31", 1), "2024-02-29");  // leap year
  EXPECT_EQ(fu::add_months("2026-12-15", 12), "2027-12-15");
  EXPECT_EQ(fu::days_between("2026-11-27", "2027-01-15"), 49);
  EXPECT_EQ(fu::days_between("2027-01-15", "2026-11-27"), -49);
  EXPECT_EQ(fu::complied_scale(ImplStatus::FullyImplemented), "fully_complied");
  EXPECT_EQ(fu::complied_scale(ImplStatus::InProgress), "not_complied");
  EXPECT_EQ(fu::complied_scale(ImplStatus::NotApplicable), "");
}

namespace {

Institution inst(std::string code, std::string type) {
  Institution i;
  i.code = code;
  i.name = "Institution " + code;
  i.type = std::move(type);
  return i;
}

struct World {
  TempDb t;
  std::unique_ptr<Store> store = open_store(t.path);
  Principal root = system_principal();
  Institution a, b, cso;
  Principal coord, fp_a, fp_b, val_a, rosa;
  std::string uid;

  Principal user(const std::string& name, const Institution& i, const std::string& role) {
    auto u = create_user(*store, root, {name, name + " Name", "", i.id, {role}, ""});
    return principal_of(*store, u);
  }

  World() {
    a = create_institution(*store, root, inst("A", "executive"));
    b = create_institution(*store, root, inst("B", "executive"));
    cso = create_institution(*store, root, inst("CSO", "civil_society"));
    coord = user("coord", a, "coordinator");
    fp_a = user("fpa", a, "focal_point");
    fp_b = user("fpb", b, "focal_point");
    val_a = user("vala", a, "validator");
    rosa = user("rosa", cso, "civil_society");
    Recommendation r;
    r.mechanism = "UPR";
    r.state_iso3 = "PRY";
    r.state_name = "Paraguay";
    r.text = "Guarantee the land rights of indigenous peoples.";
    auto txn = store->begin();
    store->upsert_imported(r, identity_keys(r), imported_json(r), "test", 0);
    txn->commit();
    uid = r.uid;
    fu::assign(*store, coord, uid, 0, a.id, AssignmentRole::Lead);
  }

  Plan plan_of(const Principal& p, std::int64_t institution) {
    Plan x;
    x.rec_uid = uid;
    x.institution_id = institution;
    x.title = "Plan";
    return fu::create_plan(*store, p, x);
  }
};

}  // namespace

TEST(FollowupRules, OnlyAssignedInstitutionsPlanAndReport) {
  World w;
  EXPECT_NO_THROW(w.plan_of(w.fp_a, w.a.id));
  EXPECT_THROW(w.plan_of(w.fp_b, w.b.id), Forbidden);  // B is not assigned
  EXPECT_THROW(w.plan_of(w.fp_a, w.b.id), Forbidden);  // not its own institution
  EXPECT_NO_THROW(w.plan_of(w.coord, w.b.id));         // the coordinator: any
  ProgressUpdate u;
  u.rec_uid = w.uid;
  u.update_date = "2026-02-30";
  u.measure_type = MeasureType::Policy;
  u.description = "x";
  EXPECT_THROW(fu::create_update(*w.store, w.fp_a, u), InvalidArgument);  // no such date
  EXPECT_THROW(fu::parse_measure("measure_type", "lobbying"), InvalidArgument);
  EXPECT_THROW(fu::assign(*w.store, w.coord, w.uid, 0, w.cso.id, AssignmentRole::Lead),
               InvalidArgument);
  EXPECT_THROW(fu::assign(*w.store, w.fp_a, w.uid, 0, w.b.id, AssignmentRole::Lead), Forbidden);
}

TEST(FollowupRules, WorkflowFollowsTheTable) {
  World w;
  auto x = w.plan_of(w.fp_a, w.a.id);
  EXPECT_EQ(fu::transitions_for(w.fp_a, ReviewEntity::Plan, ItemState::Draft, w.a.id),
            std::vector<std::string>{"submit"});
  EXPECT_TRUE(fu::transitions_for(w.fp_b, ReviewEntity::Plan, ItemState::Draft, w.a.id).empty());
  EXPECT_THROW(fu::transition(*w.store, w.val_a, ReviewEntity::Plan, x.id, "validate", ""),
               InvalidArgument);
  fu::transition(*w.store, w.fp_a, ReviewEntity::Plan, x.id, "submit", "");
  EXPECT_THROW(fu::transition(*w.store, w.val_a, ReviewEntity::Plan, x.id, "return", " "),
               InvalidArgument);  // a return needs a comment
  EXPECT_THROW(fu::transition(*w.store, w.coord, ReviewEntity::Plan, x.id, "validate", ""),
               Forbidden);
  fu::transition(*w.store, w.val_a, ReviewEntity::Plan, x.id, "validate", "");
  fu::transition(*w.store, w.coord, ReviewEntity::Plan, x.id, "approve", "");
  fu::transition(*w.store, w.coord, ReviewEntity::Plan, x.id, "publish", "");
  EXPECT_EQ(w.store->followup().plan(x.id)->state, ItemState::Published);
  EXPECT_THROW(fu::transition(*w.store, w.coord, ReviewEntity::Plan, x.id, "fly", ""),
               InvalidArgument);
  PlanAction act;
  act.plan_id = x.id;
  act.description = "late";
  EXPECT_THROW(fu::add_action(*w.store, w.fp_a, act), InvalidArgument);  // published: frozen
  // The queue of the validator holds what its institution submitted, nothing else.
  auto y = w.plan_of(w.fp_a, w.a.id);
  fu::transition(*w.store, w.fp_a, ReviewEntity::Plan, y.id, "submit", "");
  auto q = fu::review_queue(*w.store, w.val_a);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].id, y.id);
  EXPECT_TRUE(fu::review_queue(*w.store, w.fp_b).empty());
}

TEST(FollowupRules, CostsAndLinksAreValidated) {
  World w;
  auto x = w.plan_of(w.fp_a, w.a.id);
  PlanAction a;
  a.plan_id = x.id;
  a.description = "Train judges";
  a.cost = "1,000";
  a.currency = "USD";
  EXPECT_THROW(fu::add_action(*w.store, w.fp_a, a), InvalidArgument);
  a.cost = "1000.5";
  a.currency = "usd";  // normalised to USD
  EXPECT_EQ(fu::add_action(*w.store, w.fp_a, a).currency, "USD");
  a.start_date = "2027-01-01";
  a.end_date = "2026-01-01";
  EXPECT_THROW(fu::add_action(*w.store, w.fp_a, a), InvalidArgument);
  PlanLink l;
  l.plan_id = x.id;
  l.sdg_target = "16.2";
  EXPECT_NO_THROW(fu::add_link(*w.store, w.fp_a, l));
  l.sdg_target = "18.1";
  EXPECT_THROW(fu::add_link(*w.store, w.fp_a, l), InvalidArgument);
}

TEST(FollowupRules, EvidenceIsCheckedByNameAndContent) {
  World w;
  ProgressUpdate u;
  u.rec_uid = w.uid;
  u.update_date = "2026-11-01";
  u.measure_type = MeasureType::Policy;
  u.description = "x";
  u = fu::create_update(*w.store, w.fp_a, u);
  auto dir = w.t.path + "-evidence";
  auto files = fu::evidence_folder(dir);
  EXPECT_THROW(fu::attach_file(*w.store, w.fp_a, u.id, {"a.exe", "", "MZ..."}, *files),
               InvalidArgument);
  EXPECT_THROW(fu::attach_file(*w.store, w.fp_a, u.id, {"a.pdf", "", "<html>"}, *files),
               InvalidArgument);
  EXPECT_THROW(
      fu::attach_file(*w.store, w.fp_a, u.id, {"a.txt", "", std::string("a\0b", 3)}, *files),
      InvalidArgument);
  fu::EvidenceLimits small;
  small.max_bytes = 10;
  EXPECT_THROW(fu::attach_file(*w.store, w.fp_a, u.id, {"a.txt", "", "01234567890"}, *files, small),
               InvalidArgument);
  auto e =
      fu::attach_file(*w.store, w.fp_a, u.id, {"../../etc/report.pdf", "", "%PDF-1.4 x"}, *files);
  EXPECT_EQ(e.filename, "report.pdf");  // the path is dropped
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(dir) / e.sha256));
  EXPECT_THROW(fu::attach_file(*w.store, w.fp_b, u.id, {"b.pdf", "", "%PDF-1.4 y"}, *files),
               Forbidden);
  // A draft's evidence does not exist for the public.
  EXPECT_FALSE(fu::evidence_for(*w.store, Principal{}, e.id));
  EXPECT_TRUE(fu::evidence_for(*w.store, w.fp_a, e.id));
}

TEST(FollowupRules, ProtectedCivilSocietyIsMaskedForGovernment) {
  World w;
  Assessment a;
  a.rec_uid = w.uid;
  a.status = ImplStatus::NotStarted;
  a.assessed_on = "2026-11-01";
  a.justification = "No land titles";
  a.is_protected = true;
  a = fu::create_assessment(*w.store, w.rosa, a);
  EXPECT_EQ(a.party, Party::CivilSociety);
  EXPECT_FALSE(fu::view_assessment(*w.store, w.coord, a).visible);  // a draft
  fu::transition(*w.store, w.rosa, ReviewEntity::Assessment, a.id, "publish", "");
  a = *w.store->followup().assessment(a.id);
  for (const auto& p : {w.coord, w.fp_a, Principal{}}) {
    auto v = fu::view_assessment(*w.store, p, a);
    EXPECT_TRUE(v.visible);
    EXPECT_EQ(v.author, fu::kProtectedAuthor);
    EXPECT_EQ(v.person, "");
  }
  auto own = fu::view_assessment(*w.store, w.rosa, a);
  EXPECT_EQ(own.author, "Institution CSO");
  EXPECT_EQ(own.person, "rosa Name");
  // Only the organisation publishes its own voice.
  EXPECT_THROW(fu::transition(*w.store, w.coord, ReviewEntity::Assessment, a.id, "withdraw", ""),
               Forbidden);
}
