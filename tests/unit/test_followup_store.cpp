// The follow-up part of the SQLite store (src/store/sqlite_followup_*.cpp): clusters,
// assignments, plans, updates, the review state, notifications and the public view.
#include <gtest/gtest.h>

#include <unistd.h>
#include "temp_db.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "access/directory.h"
#include "core/error.h"
#include "core/identity.h"
#include "core/record_json.h"
#include "followup/followup.h"
#include "followup/public.h"
#include "store/store.h"

using namespace hrtrack;
using namespace hrtrack::access;

namespace {

Institution inst(std::string code, std::string name, std::string type) {
  Institution i;
  i.code = std::move(code);
  i.name = std::move(name);
  i.type = std::move(type);
  return i;
}

Recommendation sample(const std::string& text) {
  Recommendation r;
  r.mechanism = "UPR";
  r.state_iso3 = "CHL";
  r.state_name = "Chile";
  r.upr_session = 5;
  r.recommending_states = {"France"};
  r.text = text;
  r.issues = {"Justice"};
  return r;
}

// Three recommendations, two ministries, a user with an address and one without.
struct World {
  TempDb t;
  std::unique_ptr<Store> store = open_store(t.path);
  Principal root = system_principal();
  Institution a, b;
  User ana, bob;
  std::string r1, r2, r3;

  World() {
    a = create_institution(*store, root, inst("A", "Ministry A", "executive"));
    b = create_institution(*store, root, inst("B", "Ministry B", "executive"));
    ana = create_user(*store, root, {"ana", "Ana", "ana@a.example", a.id, {"focal_point"}, ""});
    bob = create_user(*store, root, {"bob", "Bob", "", b.id, {"focal_point"}, ""});
    auto txn = store->begin();
    std::string* uids[] = {&r1, &r2, &r3};
    const char* texts[] = {"Adopt a law.", "Ratify the convention.", "Train the police."};
    for (int i = 0; i < 3; ++i) {
      auto r = sample(texts[i]);
      store->upsert_imported(r, identity_keys(r), imported_json(r), "test", 0);
      *uids[i] = r.uid;
    }
    txn->commit();
  }

  FollowupStore& f() { return store->followup(); }

  std::vector<ChangeEntry> log(const std::string& entity, const std::string& id) {
    std::vector<ChangeEntry> out;
    ChangeFilter filter;
    filter.entity = entity;
    filter.entity_id = id;
    store->for_each_change(filter, [&](const ChangeEntry& e) { out.push_back(e); });
    return out;
  }

  Plan plan_for(const std::string& uid, std::int64_t cluster, std::int64_t institution,
                const std::string& title) {
    Plan p;
    p.rec_uid = uid;
    p.cluster_id = cluster;
    p.institution_id = institution;
    p.title = title;
    p.author_id = ana.id;
    f().add_plan(p, "ana");
    return p;
  }

  ProgressUpdate update_for(const std::string& uid, std::int64_t institution,
                            const std::string& date, const std::string& description) {
    ProgressUpdate u;
    u.rec_uid = uid;
    u.institution_id = institution;
    u.update_date = date;
    u.measure_type = MeasureType::Legislative;
    u.description = description;
    f().add_update(u, "ana");
    return u;
  }

  Assessment assessment_for(const std::string& uid, Party party, ImplStatus status,
                            const std::string& on) {
    Assessment x;
    x.rec_uid = uid;
    x.party = party;
    x.institution_id = a.id;
    x.status = status;
    x.assessed_on = on;
    x.justification = "because";
    f().add_assessment(x, "ana");
    return x;
  }
};

}  // namespace

TEST(FollowupStore, ClusterMembersAndAssignmentsThroughACluster) {
  World w;
  auto txn = w.store->begin();
  Cluster c;
  c.name = "Justice";
  c.description = "Courts and police";
  auto cid = w.f().add_cluster(c, "ana");
  EXPECT_EQ(c.created_by, "ana");
  EXPECT_EQ(w.f().add_members(cid, {w.r1, w.r2, w.r2}, "ana"), 2);
  EXPECT_EQ(w.f().add_members(cid, {w.r1}, "ana"), 0);
  // The database holds what it can: no member that is not a recommendation.
  EXPECT_THROW(w.f().add_members(cid, {"R-0000000000000000"}, "ana"), StoreError);
  EXPECT_EQ(w.f().cluster(cid)->size, 2);
  ASSERT_EQ(w.f().clusters().size(), 1u);
  EXPECT_EQ(w.f().clusters()[0].size, 2);
  EXPECT_EQ(w.f().members(cid).size(), 2u);
  EXPECT_EQ(w.f().clusters_of(w.r2), std::vector<std::int64_t>{cid});
  EXPECT_TRUE(w.f().clusters_of(w.r3).empty());

  Assignment direct;
  direct.rec_uid = w.r1;
  direct.institution_id = w.a.id;
  direct.role = AssignmentRole::Lead;
  w.f().add_assignment(direct, "ana");
  Assignment on_cluster;
  on_cluster.cluster_id = cid;
  on_cluster.institution_id = w.b.id;
  on_cluster.role = AssignmentRole::Support;
  w.f().add_assignment(on_cluster, "ana");
  Assignment again = on_cluster;
  EXPECT_THROW(w.f().add_assignment(again, "ana"), StoreError);  // one per target
  Assignment neither;
  neither.institution_id = w.a.id;
  neither.role = AssignmentRole::Lead;
  EXPECT_THROW(w.f().add_assignment(neither, "ana"), StoreError);

  auto for_r1 = w.f().assignments_for(w.r1);
  ASSERT_EQ(for_r1.size(), 2u);
  EXPECT_EQ(for_r1[0].rec_uid, w.r1);
  EXPECT_EQ(for_r1[1].cluster_id, cid);
  auto for_r2 = w.f().assignments_for(w.r2);
  ASSERT_EQ(for_r2.size(), 1u);
  EXPECT_EQ(for_r2[0].institution_id, w.b.id);
  EXPECT_TRUE(w.f().assignments_for(w.r3).empty());
  EXPECT_EQ(w.f().assignments_of_cluster(cid).size(), 1u);

  w.f().remove_member(cid, w.r2, "ana");
  EXPECT_TRUE(w.f().assignments_for(w.r2).empty());
  w.f().remove_assignment(direct.id, "ana");
  EXPECT_FALSE(w.f().assignment(direct.id));
  txn->commit();

  auto clog = w.log("cluster", std::to_string(cid));
  ASSERT_EQ(clog.size(), 4u);  // created, two members added, one removed
  EXPECT_EQ(clog[0].field, "*");
  EXPECT_EQ(clog[1].field, "member");
  EXPECT_EQ(clog[1].after, w.r1);
  EXPECT_EQ(clog[3].before, w.r2);
  EXPECT_FALSE(clog[3].after);
  auto alog = w.log("assignment", std::to_string(direct.id));
  ASSERT_EQ(alog.size(), 2u);
  EXPECT_FALSE(alog[1].after);
  EXPECT_NE(alog[1].before->find("\"role\":\"lead\""), std::string::npos) << *alog[1].before;
}

TEST(FollowupStore, PlansForARecommendationIncludeItsClustersWithChildren) {
  World w;
  auto txn = w.store->begin();
  Cluster c;
  c.name = "Treaties";
  auto cid = w.f().add_cluster(c, "ana");
  w.f().add_members(cid, {w.r2}, "ana");
  auto own = w.plan_for(w.r2, 0, w.a.id, "Own plan");
  auto shared = w.plan_for("", cid, w.b.id, "Cluster plan");
  w.plan_for(w.r3, 0, w.a.id, "Other plan");
  EXPECT_THROW(w.plan_for(w.r1, cid, w.a.id, "Both"), StoreError);

  PlanAction act;
  act.plan_id = shared.id;
  act.institution_id = w.b.id;
  act.description = "Draft the bill";
  act.cost = "1000.50";
  act.currency = "CLP";
  w.f().add_action(act, "ana");
  Indicator ind;
  ind.plan_id = shared.id;
  ind.name = "Bills tabled";
  ind.frequency_months = 6;
  w.f().add_indicator(ind, "ana");
  PlanLink sdg;
  sdg.plan_id = shared.id;
  sdg.sdg_target = "16.2";
  w.f().add_link(sdg, "ana");
  PlanLink bad;
  bad.plan_id = shared.id;
  EXPECT_THROW(w.f().add_link(bad, "ana"), StoreError);

  auto plans = w.f().plans_for(w.r2);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].id, own.id);
  EXPECT_EQ(plans[1].id, shared.id);
  ASSERT_EQ(plans[1].actions.size(), 1u);
  EXPECT_EQ(plans[1].actions[0].cost, "1000.50");
  ASSERT_EQ(plans[1].indicators.size(), 1u);
  EXPECT_EQ(plans[1].indicators[0].frequency_months, 6);
  ASSERT_EQ(plans[1].links.size(), 1u);
  EXPECT_EQ(plans[1].links[0].sdg_target, "16.2");
  EXPECT_EQ(plans[1].links[0].policy_item_id, 0);
  EXPECT_EQ(w.f().all_plans().size(), 3u);
  EXPECT_EQ(w.f().plans_of_cluster(cid).size(), 1u);

  auto edited = *w.f().plan(shared.id);
  edited.title = "Cluster plan, revised";
  w.f().update_plan(edited, "bob");
  EXPECT_EQ(w.f().plan(shared.id)->title, "Cluster plan, revised");

  w.f().delete_plan_part(PlanPart::Indicator, ind.id, "ana");
  EXPECT_TRUE(w.f().plan(shared.id)->indicators.empty());
  EXPECT_EQ(plan_part_from_string("plan"), std::nullopt);  // only actions, indicators, links
  EXPECT_THROW(w.f().delete_plan_part(PlanPart::Link, 999, "ana"), NotFound);
  txn->commit();

  auto plog = w.log("plan", std::to_string(shared.id));
  ASSERT_EQ(plog.size(), 2u);
  EXPECT_EQ(plog[1].field, "title");
  EXPECT_EQ(plog[1].before, "Cluster plan");
  EXPECT_EQ(plog[1].actor, "bob");
  auto ilog = w.log("indicator", std::to_string(ind.id));
  ASSERT_EQ(ilog.size(), 2u);
  EXPECT_FALSE(ilog[1].after);
  EXPECT_NE(ilog[1].before->find("Bills tabled"), std::string::npos);
}

TEST(FollowupStore, UpdateValuesAndEvidenceRoundTrip) {
  World w;
  auto txn = w.store->begin();
  auto p = w.plan_for(w.r1, 0, w.a.id, "Plan");
  Indicator i1, i2;
  i1.plan_id = i2.plan_id = p.id;
  i1.name = "Cases";
  i2.name = "Trainings";
  w.f().add_indicator(i1, "ana");
  w.f().add_indicator(i2, "ana");
  ProgressUpdate u;
  u.rec_uid = w.r1;
  u.plan_id = p.id;
  u.institution_id = w.a.id;
  u.update_date = "2024-03-01";
  u.measure_type = MeasureType::Training;
  u.description = "Trained 40 judges.";
  u.values = {{i1.id, "12"}, {i2.id, "3"}};
  w.f().add_update(u, "ana");
  Evidence e;
  e.update_id = u.id;
  e.kind = EvidenceKind::Link;
  e.url = "https://example.org/report";
  w.f().add_evidence(e, "ana");

  auto got = w.f().update(u.id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->values, u.values);
  ASSERT_EQ(got->evidence.size(), 1u);
  EXPECT_EQ(got->evidence[0].url, "https://example.org/report");
  EXPECT_EQ(w.f().evidence(e.id)->kind, EvidenceKind::Link);

  got->values = {{i2.id, "5"}};
  got->description = "Trained 45 judges.";
  w.f().update_update(*got, "ana");
  auto again = w.f().update(u.id);
  EXPECT_EQ(again->values, (std::map<std::int64_t, std::string>{{i2.id, "5"}}));
  EXPECT_EQ(again->description, "Trained 45 judges.");
  EXPECT_EQ(w.f().updates_for(w.r1).size(), 1u);
  EXPECT_EQ(w.f().updates_of_plan(p.id).size(), 1u);
  // Deleting an indicator takes its values with it.
  w.f().delete_plan_part(PlanPart::Indicator, i2.id, "ana");
  EXPECT_TRUE(w.f().update(u.id)->values.empty());
  txn->commit();

  auto ulog = w.log("progress_update", std::to_string(u.id));
  ASSERT_EQ(ulog.size(), 3u);  // created; description and values changed
  EXPECT_NE(ulog[0].after->find("\"values\":{"), std::string::npos) << *ulog[0].after;
  EXPECT_EQ(ulog[1].field, "description");
  EXPECT_EQ(ulog[2].field, "values");
  EXPECT_EQ(ulog[2].after, "{\"" + std::to_string(i2.id) + "\":\"5\"}");
}

TEST(FollowupStore, SetStateIsLoggedWithBeforeAndAfter) {
  World w;
  auto p = w.plan_for(w.r1, 0, w.a.id, "Plan");
  w.f().set_state(ReviewEntity::Plan, p.id, ItemState::Submitted, "ana");
  EXPECT_EQ(w.f().plan(p.id)->state, ItemState::Submitted);
  // Only the three reviewed kinds have a state, by their one spelling.
  EXPECT_EQ(review_entity_from_string("cluster"), std::nullopt);
  EXPECT_EQ(review_entity_from_string("plan; DROP TABLE plan"), std::nullopt);
  EXPECT_THROW(w.f().set_state(ReviewEntity::Assessment, 999, ItemState::Submitted, "ana"),
               NotFound);
  auto log = w.log("plan", std::to_string(p.id));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].field, "state");
  EXPECT_EQ(log[1].before, "draft");
  EXPECT_EQ(log[1].after, "submitted");
  EXPECT_EQ(log[1].actor, "ana");

  ReviewComment c;
  c.entity = ReviewEntity::Plan;
  c.entity_id = p.id;
  c.author_id = w.ana.id;
  c.author_name = "Ana";
  c.transition = "submit";
  c.text = "Please review.";
  w.f().add_comment(c, "ana");
  ASSERT_EQ(w.f().comments(ReviewEntity::Plan, p.id).size(), 1u);
  EXPECT_EQ(w.f().comments(ReviewEntity::Plan, p.id)[0].text, "Please review.");
}

TEST(FollowupStore, ReviewItemsFilterByStateAndInstitution) {
  World w;
  auto pa = w.plan_for(w.r1, 0, w.a.id, "Plan of A");
  auto pb = w.plan_for(w.r2, 0, w.b.id, "Plan of B");
  auto ub = w.update_for(w.r2, w.b.id, "2024-01-01", std::string(100, 'x'));
  auto xa = w.assessment_for(w.r3, Party::Government, ImplStatus::InProgress, "2024-02-01");
  // Timestamps have millisecond resolution: keep the three changes apart for "oldest first".
  auto tick = [] { std::this_thread::sleep_for(std::chrono::milliseconds(3)); };
  tick();
  using S = ItemState;
  w.f().set_state(ReviewEntity::Assessment, xa.id, S::Validated, "ana");
  tick();
  w.f().set_state(ReviewEntity::Plan, pa.id, S::Submitted, "ana");
  tick();
  w.f().set_state(ReviewEntity::ProgressUpdate, ub.id, S::Submitted, "bob");

  auto submitted = w.f().review_items({S::Submitted}, 0);
  ASSERT_EQ(submitted.size(), 2u);
  EXPECT_EQ(submitted[0].entity, ReviewEntity::Plan);  // oldest first
  EXPECT_EQ(submitted[0].title, "Plan of A");
  EXPECT_EQ(submitted[1].entity, ReviewEntity::ProgressUpdate);
  // One long word: cut at 80 bytes, marked as cut (the list's title: followup::review_title).
  EXPECT_EQ(hrtrack::followup::review_title(submitted[1]), std::string(80, 'x') + "…");
  EXPECT_EQ(submitted[1].rec_uid, w.r2);

  auto of_a = w.f().review_items({S::Submitted, S::Validated}, w.a.id);
  ASSERT_EQ(of_a.size(), 2u);
  EXPECT_EQ(of_a[0].entity, ReviewEntity::Assessment);
  EXPECT_EQ(of_a[0].id, xa.id);
  EXPECT_EQ(hrtrack::followup::review_title(of_a[0]), "");  // its recommendation names it
  EXPECT_EQ(of_a[1].entity, ReviewEntity::Plan);
  EXPECT_EQ(of_a[1].id, pa.id);

  auto drafts = w.f().review_items({S::Draft}, 0);
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].id, pb.id);
  EXPECT_TRUE(w.f().review_items({}, 0).empty());
  EXPECT_TRUE(w.f().review_items({S::Published}, 0).empty());
}

TEST(FollowupStore, NotificationsAreDedupedAndOnlyMailedToAddresses) {
  World w;
  auto note = [](std::int64_t user, const std::string& key) {
    Notification n;
    n.user_id = user;
    n.kind = "overdue_update";
    n.key = key;
    n.message = "An update is due.";
    return n;
  };
  auto n1 = note(w.ana.id, "update:R-1:2024-06");
  EXPECT_TRUE(w.f().add_notification(n1));
  EXPECT_GT(n1.id, 0);
  EXPECT_FALSE(n1.created_at.empty());
  auto dup = note(w.ana.id, "update:R-1:2024-06");
  EXPECT_FALSE(w.f().add_notification(dup));
  auto n2 = note(w.bob.id, "update:R-1:2024-06");  // the same key for another user
  EXPECT_TRUE(w.f().add_notification(n2));
  auto bad = note(w.ana.id, "other");
  bad.kind = "spam";
  EXPECT_THROW(w.f().add_notification(bad), StoreError);  // not silently ignored

  EXPECT_EQ(w.f().notifications_of(w.ana.id, false).size(), 1u);
  auto mail = w.f().unemailed();
  ASSERT_EQ(mail.size(), 1u);  // bob has no address
  EXPECT_EQ(mail[0].id, n1.id);
  w.f().mark_emailed(n1.id, "2024-06-02T00:00:00.000Z");
  EXPECT_TRUE(w.f().unemailed().empty());

  w.f().mark_read(w.bob.id, n1.id, "2024-06-03T00:00:00.000Z");  // not bob's
  EXPECT_EQ(w.f().notifications_of(w.ana.id, true).size(), 1u);
  w.f().mark_read(w.ana.id, n1.id, "2024-06-03T00:00:00.000Z");
  EXPECT_TRUE(w.f().notifications_of(w.ana.id, true).empty());
  EXPECT_EQ(w.f().notifications_of(w.ana.id, false)[0].read_at, "2024-06-03T00:00:00.000Z");
  EXPECT_TRUE(w.log("notification", std::to_string(n1.id)).empty());
}

TEST(FollowupStore, PublicViewCountsOnlyPublishedAssessmentsAndUpdates) {
  World w;
  auto txn = w.store->begin();
  Cluster c;
  c.name = "Police";
  auto cid = w.f().add_cluster(c, "ana");
  w.f().add_members(cid, {w.r2}, "ana");
  Assignment on_cluster;
  on_cluster.cluster_id = cid;
  on_cluster.institution_id = w.b.id;
  on_cluster.role = AssignmentRole::Lead;
  w.f().add_assignment(on_cluster, "ana");
  Assignment direct;
  direct.rec_uid = w.r2;
  direct.institution_id = w.a.id;
  direct.role = AssignmentRole::Support;
  w.f().add_assignment(direct, "ana");

  // r1: assessments and updates, some published.
  using S = ItemState;
  using I = ImplStatus;
  auto old = w.assessment_for(w.r1, Party::Government, I::InProgress, "2023-01-01");
  auto later = w.assessment_for(w.r1, Party::Government, I::FullyImplemented, "2024-01-01");
  auto draft = w.assessment_for(w.r1, Party::Government, I::NotStarted, "2025-01-01");
  auto nhri = w.assessment_for(w.r1, Party::Nhri, I::PartiallyImplemented, "2024-05-01");
  w.f().set_state(ReviewEntity::Assessment, old.id, S::Published, "ana");
  w.f().set_state(ReviewEntity::Assessment, later.id, S::Published, "ana");
  w.f().set_state(ReviewEntity::Assessment, nhri.id, S::Published, "ana");
  (void)draft;
  auto u1 = w.update_for(w.r1, w.a.id, "2024-02-01", "first");
  w.update_for(w.r1, w.a.id, "2024-09-01", "draft, not public");
  w.f().set_state(ReviewEntity::ProgressUpdate, u1.id, S::Published, "ana");
  // r3: only a draft update: not public at all.
  w.update_for(w.r3, w.a.id, "2024-03-01", "draft");
  OfficialStatus st;
  st.rec_uid = w.r1;
  st.status = I::InProgress;
  w.f().set_official_status(st, "coord");
  st.status = I::FullyImplemented;
  w.f().set_official_status(st, "coord");
  txn->commit();

  // What is public is the follow-up rules' decision (followup/public.h), from the store's rows.
  auto seen = hrtrack::followup::public_followup(*w.store);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen.count(w.r3), 0u);
  const auto& f1 = seen.at(w.r1);
  EXPECT_EQ(f1.official_status, I::FullyImplemented);
  EXPECT_EQ(f1.assessment.at(Party::Government), I::FullyImplemented);
  EXPECT_EQ(f1.assessment.at(Party::Nhri), I::PartiallyImplemented);
  EXPECT_EQ(f1.assessment.size(), 2u);
  EXPECT_EQ(f1.last_update, "2024-02-01");
  EXPECT_TRUE(f1.institutions.empty());
  const auto& f2 = seen.at(w.r2);
  EXPECT_EQ(f2.institutions, (std::set<std::int64_t>{w.a.id, w.b.id}));
  EXPECT_EQ(f2.clusters, std::set<std::int64_t>{cid});
  EXPECT_EQ(f2.official_status, std::nullopt);
  EXPECT_TRUE(f2.assessment.empty());
  EXPECT_EQ(f2.last_update, "");

  auto slog = w.log("official_status", w.r1);
  ASSERT_EQ(slog.size(), 2u);
  EXPECT_EQ(slog[0].field, "*");
  EXPECT_EQ(slog[1].field, "status");
  EXPECT_EQ(slog[1].before, "in_progress");
  EXPECT_EQ(w.f().official_status(w.r1)->set_by, "coord");
}
