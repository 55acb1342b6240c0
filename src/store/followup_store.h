// Storage of the follow-up of recommendations (the types are core/followup.h): part of the one
// storage interface, Store::followup(), on the same connection and transactions as the rest of
// the store.
//
// Contract, for every engine:
//  * Rows are only mapped: no rule lives here (who may write, what is valid, which transitions
//    exist, what is public: src/followup). Integrity the database can hold (foreign keys, one
//    assignment per institution and target, one official status per recommendation) it holds,
//    and a violation throws StoreError.
//  * Every write of follow-up data goes to the change log: a creation as field "*" with the
//    row's JSON (core/followup_json.h, bookkeeping removed), a change as one row per changed
//    field (core/changes.h), a deletion as field "*" with the JSON before; entity names are the
//    table names; entity_id the row id, or the uid for official_status. Notifications are
//    derived data and are not logged.
//  * No method opens a transaction; callers wrap their calls in Store::begin().
//  * Reads return rows in a stable order (stated per method); "not found" is nullopt for a
//    single row, and NotFound when a write names a row that does not exist.
//  * Not thread-safe: one FollowupStore per Store, one Store per thread.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/followup.h"

namespace hrtrack {

class FollowupStore {
 public:
  virtual ~FollowupStore() = default;

  // --- clusters ---
  virtual std::int64_t add_cluster(Cluster& c, const std::string& actor) = 0;
  virtual void update_cluster(const Cluster& c, const std::string& actor) = 0;
  virtual std::optional<Cluster> cluster(std::int64_t id) = 0;
  virtual std::vector<Cluster> clusters() = 0;  // by name
  // Adds the recommendations not yet in the cluster; returns how many were added.
  virtual long add_members(std::int64_t cluster_id, const std::vector<std::string>& uids,
                           const std::string& actor) = 0;
  virtual void remove_member(std::int64_t cluster_id, const std::string& uid,
                             const std::string& actor) = 0;
  virtual std::vector<std::string> members(std::int64_t cluster_id) = 0;
  virtual std::vector<std::int64_t> clusters_of(const std::string& uid) = 0;

  // --- assignments ---
  virtual std::int64_t add_assignment(Assignment& a, const std::string& actor) = 0;
  virtual void remove_assignment(std::int64_t id, const std::string& actor) = 0;
  virtual std::optional<Assignment> assignment(std::int64_t id) = 0;
  // Assignments of the recommendation itself and of every cluster it belongs to.
  virtual std::vector<Assignment> assignments_for(const std::string& uid) = 0;
  virtual std::vector<Assignment> assignments_of_cluster(std::int64_t cluster_id) = 0;
  virtual std::vector<Assignment> all_assignments() = 0;  // by id
  // Every (uid, cluster id) membership.
  virtual std::vector<std::pair<std::string, std::int64_t>> all_members() = 0;

  // --- national plans and their items (data, editable) ---
  virtual std::int64_t add_policy_plan(PolicyPlan& p, const std::string& actor) = 0;
  virtual std::int64_t add_policy_item(PolicyItem& i, const std::string& actor) = 0;
  virtual void update_policy_item(const PolicyItem& i,
                                  const std::string& actor) = 0;  // code, title
  virtual std::vector<PolicyPlan> policy_plans() = 0;
  virtual std::vector<PolicyItem> policy_items() = 0;

  // --- plans ---
  virtual std::int64_t add_plan(Plan& p, const std::string& actor) = 0;
  // Saves title, expected_results and institution_id (not the state: set_state).
  virtual void update_plan(const Plan& p, const std::string& actor) = 0;
  virtual std::optional<Plan> plan(std::int64_t id) = 0;  // with actions, indicators, links
  // Plans of the recommendation itself and of the clusters it belongs to (with children).
  virtual std::vector<Plan> plans_for(const std::string& uid) = 0;
  virtual std::vector<Plan> plans_of_cluster(std::int64_t cluster_id) = 0;
  virtual std::vector<Plan> all_plans() = 0;  // with children (the reminder job)
  virtual std::int64_t add_action(PlanAction& a, const std::string& actor) = 0;
  virtual std::int64_t add_indicator(Indicator& i, const std::string& actor) = 0;
  virtual std::int64_t add_link(PlanLink& l, const std::string& actor) = 0;
  virtual void delete_plan_part(PlanPart part, std::int64_t id, const std::string& actor) = 0;

  // --- progress updates ---
  virtual std::int64_t add_update(ProgressUpdate& u, const std::string& actor) = 0;  // + values
  // Saves date, measure type, description, plan and the indicator values.
  virtual void update_update(const ProgressUpdate& u, const std::string& actor) = 0;
  virtual std::optional<ProgressUpdate> update(std::int64_t id) = 0;  // with values, evidence
  virtual std::vector<ProgressUpdate> updates_for(const std::string& uid) = 0;
  virtual std::vector<ProgressUpdate> updates_of_plan(std::int64_t plan_id) = 0;
  virtual std::int64_t add_evidence(Evidence& e, const std::string& actor) = 0;
  virtual std::optional<Evidence> evidence(std::int64_t id) = 0;

  // --- assessments and the official status ---
  virtual std::int64_t add_assessment(Assessment& a, const std::string& actor) = 0;
  // Saves status, assessed_on, justification, protected.
  virtual void update_assessment(const Assessment& a, const std::string& actor) = 0;
  virtual std::optional<Assessment> assessment(std::int64_t id) = 0;
  virtual std::vector<Assessment> assessments_for(const std::string& uid) = 0;
  virtual void set_official_status(const OfficialStatus& s, const std::string& actor) = 0;
  virtual std::optional<OfficialStatus> official_status(const std::string& uid) = 0;
  virtual std::vector<OfficialStatus> all_official_statuses() = 0;
  // Every assessment / progress update (without values and evidence) in `state`, oldest first
  // (assessed_on or update_date, then id).
  virtual std::vector<Assessment> assessments_in(ItemState state) = 0;
  virtual std::vector<ProgressUpdate> updates_in(ItemState state) = 0;

  // --- the review workflow ---
  // Logged as field "state".
  virtual void set_state(ReviewEntity entity, std::int64_t id, ItemState state,
                         const std::string& actor) = 0;
  virtual std::int64_t add_comment(ReviewComment& c, const std::string& actor) = 0;
  virtual std::vector<ReviewComment> comments(ReviewEntity entity, std::int64_t id) = 0;
  // Every plan, update and assessment in one of `states` (institution 0 = any), oldest first;
  // `title` is a plan's title, an update's whole description, "" for an assessment.
  virtual std::vector<ReviewItem> review_items(const std::vector<ItemState>& states,
                                               std::int64_t institution_id) = 0;

  // --- reminders ---
  // Inserts unless the user already has a notification with this key; true when inserted.
  virtual bool add_notification(Notification& n) = 0;
  virtual std::vector<Notification> notifications_of(std::int64_t user_id, bool unread_only) = 0;
  virtual std::vector<Notification> unemailed() = 0;
  virtual void mark_emailed(std::int64_t id, const std::string& at) = 0;
  virtual void mark_read(std::int64_t user_id, std::int64_t id, const std::string& at) = 0;
};

}  // namespace hrtrack
