// The follow-up of recommendations as plain data: clusters, assignments, plans (actions,
// indicators, links), progress updates (indicator values, evidence), assessments, the official
// status, review comments, reminders. Its closed vocabularies (review states, parties,
// implementation statuses, assignment roles, measure types) are enums with one spelling each,
// used by the store, the API, the pages and the change log. No I/O, no rules: the rules (who
// may do what, what is valid, what is public) are in src/followup.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

// Where a plan, a progress update or an assessment is in the review (docs/followup.md):
// draft -> submitted -> returned | validated -> approved -> published.
enum class ItemState { Draft, Submitted, Returned, Validated, Approved, Published };
// Who assesses: the government (focal points, coordinator), the NHRI, civil society.
enum class Party { Government, Nhri, CivilSociety };
// How far a recommendation is implemented, in one party's view (or officially).
enum class ImplStatus {
  NotStarted,
  InProgress,
  PartiallyImplemented,
  FullyImplemented,
  NotApplicable
};
enum class AssignmentRole { Lead, Support };
enum class MeasureType {
  Legislative,
  Policy,
  Budgetary,
  Judicial,
  Administrative,
  Institutional,
  Training,
  DataCollection
};
enum class EvidenceKind { File, Link };

// The one spelling of each value ("draft", "civil_society", "partially_implemented", ...), as
// stored, sent by the API and used in message ids; *_from_string accepts exactly these.
std::string_view to_string(ItemState);
std::string_view to_string(Party);
std::string_view to_string(ImplStatus);
std::string_view to_string(AssignmentRole);
std::string_view to_string(MeasureType);
std::string_view to_string(EvidenceKind);
std::optional<ItemState> item_state_from_string(std::string_view);
std::optional<Party> party_from_string(std::string_view);
std::optional<ImplStatus> impl_status_from_string(std::string_view);
std::optional<AssignmentRole> assignment_role_from_string(std::string_view);
std::optional<MeasureType> measure_type_from_string(std::string_view);
std::optional<EvidenceKind> evidence_kind_from_string(std::string_view);
// Every value, in order (for forms, facets and messages).
const std::vector<ItemState>& all_item_states();
const std::vector<Party>& all_parties();
const std::vector<ImplStatus>& all_impl_statuses();
const std::vector<MeasureType>& all_measure_types();

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
  AssignmentRole role = AssignmentRole::Lead;
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

// The parts of a plan that can be removed while it is a draft.
enum class PlanPart { Action, Indicator, Link };
std::string_view to_string(PlanPart);  // plan_action | indicator | plan_link
std::optional<PlanPart> plan_part_from_string(std::string_view);

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
  ItemState state = ItemState::Draft;
  std::int64_t author_id = 0;
  std::string created_at, updated_at;
  // Filled by reads of a whole plan:
  std::vector<PlanAction> actions;
  std::vector<Indicator> indicators;
  std::vector<PlanLink> links;
};

struct Evidence {
  std::int64_t id = 0, update_id = 0;
  EvidenceKind kind = EvidenceKind::File;
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
  std::string update_date;  // YYYY-MM-DD: the day the measure was taken or reported on
  MeasureType measure_type = MeasureType::Policy;
  std::string description;
  ItemState state = ItemState::Draft;
  std::string created_at, updated_at;
  std::map<std::int64_t, std::string> values;  // indicator id -> value
  std::vector<Evidence> evidence;              // filled by reads
};

struct Assessment {
  std::int64_t id = 0;
  std::string rec_uid;
  Party party = Party::Government;
  std::int64_t institution_id = 0;
  std::int64_t author_id = 0;
  ImplStatus status = ImplStatus::NotStarted;
  std::string assessed_on, justification;
  bool is_protected = false;  // civil society only: the organisation is not named
  ItemState state = ItemState::Draft;
  std::string created_at, updated_at;
};

struct OfficialStatus {
  std::string rec_uid;
  ImplStatus status = ImplStatus::NotStarted;
  std::string justification, set_by, set_at;
};

// The three kinds of item that go through the review.
enum class ReviewEntity { Plan, ProgressUpdate, Assessment };
std::string_view to_string(ReviewEntity);  // plan | progress_update | assessment
std::optional<ReviewEntity> review_entity_from_string(std::string_view);

struct ReviewComment {
  std::int64_t id = 0;
  ReviewEntity entity = ReviewEntity::Plan;
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
  ReviewEntity entity = ReviewEntity::Plan;
  std::int64_t id = 0;
  std::string rec_uid;
  std::int64_t cluster_id = 0;
  std::int64_t institution_id = 0;
  ItemState state = ItemState::Draft;
  std::string title, updated_at;
};

// What the public search index shows of a recommendation's follow-up (published data only;
// followup::public_followup decides what that is).
struct PublicFollowup {
  std::set<std::int64_t> institutions;  // responsible: direct and through clusters
  std::set<std::int64_t> clusters;
  std::optional<ImplStatus> official_status;
  std::map<Party, ImplStatus> assessment;  // party -> status of its latest published
  std::string last_update;                 // date of the latest published update, or ""
};

}  // namespace hrtrack
