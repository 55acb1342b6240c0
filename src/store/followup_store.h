// Storage of the follow-up of recommendations: clusters, assignments, plans (actions,
// indicators, links), progress updates (indicator values, evidence), assessments, the official
// status, review comments and reminders. Part of the one storage interface
// (Store::followup(); the same connection and transactions as the rest of the store).
// Every write of follow-up data is recorded in the change log by the implementation (entity
// names as the table names below; entity_id the row id, or the uid for official_status).
// The rules (who may write what, which transitions exist) live in src/followup, not here.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hrtrack {

struct Cluster {
  std::int64_t id = 0;
  std::string name, description, created_by, created_at, updated_at;
  long size = 0;  // members (filled by reads)
};

struct Assignment {
  std::int64_t id = 0;
  std::string rec_uid;          // "" when on a cluster
  std::int64_t cluster_id = 0;  // 0 when on one recommendation
  std::int64_t institution_id = 0;
  std::string role;  // lead | support
  std::string created_at;
};

struct PolicyPlan {
  std::int64_t id = 0;
  std::string kind;  // nhrap | ndp
  std::string name, period;
};

struct PolicyItem {
  std::int64_t id = 0, policy_plan_id = 0;
  std::string code, title;
};

struct PlanAction {
  std::int64_t id = 0, plan_id = 0, institution_id = 0;
  std::string description, start_date, end_date, cost, currency, funding_source, budget_line;
};

struct Indicator {
  std::int64_t id = 0, plan_id = 0;
  std::string name, baseline, target, unit, means_of_verification, disaggregation;
  int frequency_months = 12;
};

struct PlanLink {
  std::int64_t id = 0, plan_id = 0;
  std::int64_t policy_item_id = 0;  // or
  std::string sdg_target;           // "16.2"
};

struct Plan {
  std::int64_t id = 0;
  std::string rec_uid;  // "" when for a cluster
  std::int64_t cluster_id = 0;
  std::int64_t institution_id = 0;
  std::string title, expected_results;
  std::string state = "draft";
  std::int64_t author_id = 0;
  std::string created_at, updated_at;
  // Filled by plan(id) and the list reads:
  std::vector<PlanAction> actions;
  std::vector<Indicator> indicators;
  std::vector<PlanLink> links;
};

struct Evidence {
  std::int64_t id = 0, update_id = 0;
  std::string kind;  // file | link
  std::string url, filename, content_type;
  std::int64_t size = 0;
  std::string sha256, created_at;
};

struct ProgressUpdate {
  std::int64_t id = 0;
  std::string rec_uid;
  std::int64_t plan_id = 0;  // 0 = not tied to a plan
  std::int64_t institution_id = 0;
  std::int64_t author_id = 0;
  std::string update_date;   // YYYY-MM-DD
  std::string measure_type;  // legislative | policy | budgetary | judicial | administrative |
                             // institutional | training | data_collection
  std::string description;
  std::string state = "draft";
  std::string created_at, updated_at;
  std::map<std::int64_t, std::string> values;  // indicator id -> value
  std::vector<Evidence> evidence;              // filled by reads
};

struct Assessment {
  std::int64_t id = 0;
  std::string rec_uid;
  std::string party;  // government | nhri | civil_society
  std::int64_t institution_id = 0;
  std::int64_t author_id = 0;
  std::string status;  // not_started | in_progress | partially_implemented |
                       // fully_implemented | not_applicable
  std::string assessed_on, justification;
  bool is_protected = false;
  std::string state = "draft";
  std::string created_at, updated_at;
};

struct OfficialStatus {
  std::string rec_uid, status, justification, set_by, set_at;
};

struct ReviewComment {
  std::int64_t id = 0;
  std::string entity;  // plan | progress_update | assessment
  std::int64_t entity_id = 0;
  std::int64_t author_id = 0;
  std::string author_name, transition, text, created_at;
};

struct Notification {
  std::int64_t id = 0, user_id = 0;
  std::string kind;  // overdue_update | deadline | review
  std::string key;   // unique per user: what it is about and when it fell due
  std::string message, link, created_at;
  std::optional<std::string> emailed_at, read_at;
};

// One item of the review queue (a plan, a progress update or an assessment).
struct ReviewItem {
  std::string entity;  // plan | progress_update | assessment
  std::int64_t id = 0;
  std::string rec_uid;
  std::int64_t cluster_id = 0;
  std::int64_t institution_id = 0;
  std::string state, title, updated_at;
};

// What the public search index shows of a recommendation's follow-up (published data only).
struct PublicFollowup {
  std::set<std::int64_t> institutions;  // responsible: direct and through clusters
  std::set<std::int64_t> clusters;
  std::string official_status;                    // "" = none
  std::map<std::string, std::string> assessment;  // party -> status of its latest published
  std::string last_update;                        // date of the latest published update, or ""
};

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
  // Throws InvalidArgument when the same institution is already assigned to the same target.
  virtual std::int64_t add_assignment(Assignment& a, const std::string& actor) = 0;
  virtual void remove_assignment(std::int64_t id, const std::string& actor) = 0;
  virtual std::optional<Assignment> assignment(std::int64_t id) = 0;
  // Assignments of the recommendation itself and of every cluster it belongs to.
  virtual std::vector<Assignment> assignments_for(const std::string& uid) = 0;
  virtual std::vector<Assignment> assignments_of_cluster(std::int64_t cluster_id) = 0;

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
  virtual void delete_plan_part(const std::string& entity, std::int64_t id,
                                const std::string& actor) = 0;  // plan_action|indicator|plan_link

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

  // --- the review workflow ---
  // entity: plan | progress_update | assessment. Logged as field "state".
  virtual void set_state(const std::string& entity, std::int64_t id, const std::string& state,
                         const std::string& actor) = 0;
  virtual std::int64_t add_comment(ReviewComment& c, const std::string& actor) = 0;
  virtual std::vector<ReviewComment> comments(const std::string& entity, std::int64_t id) = 0;
  // Every plan, update and assessment in one of `states` (institution 0 = any), oldest first.
  virtual std::vector<ReviewItem> review_items(const std::vector<std::string>& states,
                                               std::int64_t institution_id) = 0;

  // --- reminders ---
  // Inserts unless the user already has a notification with this key; true when inserted.
  virtual bool add_notification(Notification& n) = 0;
  virtual std::vector<Notification> notifications_of(std::int64_t user_id, bool unread_only) = 0;
  virtual std::vector<Notification> unemailed() = 0;
  virtual void mark_emailed(std::int64_t id, const std::string& at) = 0;
  virtual void mark_read(std::int64_t user_id, std::int64_t id, const std::string& at) = 0;

  // --- for the public search index: published follow-up of every recommendation that has any
  virtual void for_each_public(
      const std::function<void(const std::string& uid, const PublicFollowup&)>& fn) = 0;
};

}  // namespace hrtrack
