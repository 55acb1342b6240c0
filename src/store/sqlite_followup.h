// The SQLite follow-up store (schema: migrations/004_followup.sql): the class, defined over
// sqlite_followup_clusters.cpp (clusters, members, assignments, national plans),
// sqlite_followup_plans.cpp (plans and their parts), sqlite_followup_updates.cpp (progress
// updates, indicator values, evidence) and sqlite_followup_reviews.cpp (assessments, the
// official status, the workflow, comments, notifications). Rows only: see followup_store.h.
#pragma once
#include <map>

#include "core/error.h"
#include "core/followup_json.h"
#include "store/followup_store.h"
#include "store/sqlite_parts.h"
#include "store/sqlite_rows.h"

namespace hrtrack::store {

class SqliteFollowup final : public FollowupStore {
 public:
  SqliteFollowup(Db& db, LogFn log) : db_(db), log_(std::move(log)) {}

  // clusters, members, assignments, national plans (sqlite_followup_clusters.cpp)
  std::int64_t add_cluster(Cluster& c, const std::string& actor) override;
  void update_cluster(const Cluster& c, const std::string& actor) override;
  std::optional<Cluster> cluster(std::int64_t id) override;
  std::vector<Cluster> clusters() override;
  long add_members(std::int64_t cluster_id, const std::vector<std::string>& uids,
                   const std::string& actor) override;
  void remove_member(std::int64_t cluster_id, const std::string& uid,
                     const std::string& actor) override;
  std::vector<std::string> members(std::int64_t cluster_id) override;
  std::vector<std::int64_t> clusters_of(const std::string& uid) override;
  std::int64_t add_assignment(Assignment& a, const std::string& actor) override;
  void remove_assignment(std::int64_t id, const std::string& actor) override;
  std::optional<Assignment> assignment(std::int64_t id) override;
  std::vector<Assignment> assignments_for(const std::string& uid) override;
  std::vector<Assignment> assignments_of_cluster(std::int64_t cluster_id) override;
  std::vector<Assignment> all_assignments() override;
  std::vector<std::pair<std::string, std::int64_t>> all_members() override;
  std::int64_t add_policy_plan(PolicyPlan& p, const std::string& actor) override;
  std::int64_t add_policy_item(PolicyItem& i, const std::string& actor) override;
  void update_policy_item(const PolicyItem& i, const std::string& actor) override;
  std::vector<PolicyPlan> policy_plans() override;
  std::vector<PolicyItem> policy_items() override;

  // plans (sqlite_followup_plans.cpp)
  std::int64_t add_plan(Plan& p, const std::string& actor) override;
  void update_plan(const Plan& p, const std::string& actor) override;
  std::optional<Plan> plan(std::int64_t id) override;
  std::vector<Plan> plans_for(const std::string& uid) override;
  std::vector<Plan> plans_of_cluster(std::int64_t cluster_id) override;
  std::vector<Plan> all_plans() override;
  std::int64_t add_action(PlanAction& a, const std::string& actor) override;
  std::int64_t add_indicator(Indicator& i, const std::string& actor) override;
  std::int64_t add_link(PlanLink& l, const std::string& actor) override;
  void delete_plan_part(PlanPart part, std::int64_t id, const std::string& actor) override;

  // progress updates (sqlite_followup_updates.cpp)
  std::int64_t add_update(ProgressUpdate& u, const std::string& actor) override;
  void update_update(const ProgressUpdate& u, const std::string& actor) override;
  std::optional<ProgressUpdate> update(std::int64_t id) override;
  std::vector<ProgressUpdate> updates_for(const std::string& uid) override;
  std::vector<ProgressUpdate> updates_of_plan(std::int64_t plan_id) override;
  std::vector<ProgressUpdate> updates_in(ItemState state) override;
  std::int64_t add_evidence(Evidence& e, const std::string& actor) override;
  std::optional<Evidence> evidence(std::int64_t id) override;

  // assessments, official status, workflow, notifications (sqlite_followup_reviews.cpp)
  std::int64_t add_assessment(Assessment& a, const std::string& actor) override;
  void update_assessment(const Assessment& a, const std::string& actor) override;
  std::optional<Assessment> assessment(std::int64_t id) override;
  std::vector<Assessment> assessments_for(const std::string& uid) override;
  std::vector<Assessment> assessments_in(ItemState state) override;
  void set_official_status(const OfficialStatus& s, const std::string& actor) override;
  std::optional<OfficialStatus> official_status(const std::string& uid) override;
  std::vector<OfficialStatus> all_official_statuses() override;
  void set_state(ReviewEntity entity, std::int64_t id, ItemState state,
                 const std::string& actor) override;
  std::int64_t add_comment(ReviewComment& c, const std::string& actor) override;
  std::vector<ReviewComment> comments(ReviewEntity entity, std::int64_t id) override;
  std::vector<ReviewItem> review_items(const std::vector<ItemState>& states,
                                       std::int64_t institution_id) override;
  bool add_notification(Notification& n) override;
  std::vector<Notification> notifications_of(std::int64_t user_id, bool unread_only) override;
  std::vector<Notification> unemailed() override;
  void mark_emailed(std::int64_t id, const std::string& at) override;
  void mark_read(std::int64_t user_id, std::int64_t id, const std::string& at) override;

 private:
  std::vector<Plan> read_plans(Stmt& s);
  std::vector<ProgressUpdate> read_updates(Stmt& s, bool with_children = true);
  std::optional<Plan> plan_row(std::int64_t id);
  void save_values(std::int64_t update_id, const std::map<std::int64_t, std::string>& values);
  // A creation, a change or a deletion, logged from the JSON forms (core/followup_json.h).
  template <typename T>
  void log_new(const char* entity, const std::string& id, const T& x, const std::string& actor) {
    log_created(log_, actor, entity, id, to_json(x));
  }
  template <typename T>
  void log_change(const char* entity, const std::string& id, const T& before, const T& after,
                  const std::string& actor) {
    log_diff(log_, actor, entity, id, to_json(before), to_json(after));
  }

  Db& db_;
  LogFn log_;
};

// Enum columns: the stored spelling back to the value; a value the code does not know is a
// broken row (StoreError naming it).
template <typename E>
E column_enum(std::optional<E> v, const char* what, const std::string& raw) {
  if (!v) throw StoreError(std::string("unknown ") + what + " '" + raw + "' in the database");
  return *v;
}

}  // namespace hrtrack::store
