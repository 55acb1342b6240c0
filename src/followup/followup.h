// The follow-up of recommendations: the rules. Who may cluster, assign, plan, report progress
// and assess (the permission table, access/permissions.h), what is valid, the review workflow
// (draft -> submitted -> returned | validated -> approved -> published), what each viewer may
// see (only published content for the public; civil-society identity hidden when protected),
// and what changes the public index (public.h). Pages, the API and the CLI call these functions
// and nothing below them; the store only maps rows (store/followup_store.h).
//
// Contract of every operation: it checks the permission table for `p` (access::Forbidden),
// validates its input (InvalidArgument "field: what to do"), refers to things that exist
// (NotFound otherwise), and writes in one transaction of its own (all or nothing; the change
// log records it). Reads never write. Not thread-safe beyond the Store's own rule (one Store per
// thread).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "core/followup.h"
#include "store/store.h"

namespace hrtrack::followup {

using access::Principal;

// --- the closed vocabularies, parsed from what people and programs send ---
// Each throws InvalidArgument "field: one of a, b, c (got 'x')".
ImplStatus parse_status(const std::string& field, const std::string& value);
MeasureType parse_measure(const std::string& field, const std::string& value);
AssignmentRole parse_role(const std::string& field, const std::string& value);
// The party a principal writes assessments for: government, nhri or civil_society.
Party party_of(const Principal& p);
// The permission-table action of a party's assessments: assessment.government, ...
std::string assessment_action(Party party);
// Whether `p` may start a plan (plan.edit), a progress update (update.edit) or an assessment
// (assessment.<party>) for its own institution on a recommendation (cluster_id 0) or a cluster:
// the same rules the operations check, for pages to offer only the forms that will work.
bool may_start(Store& store, const Principal& p, const std::string& action, const std::string& uid,
               std::int64_t cluster_id = 0);
// Whether an institution can be made responsible for recommendations: the NHRI and
// civil-society organisations assess, they are never assigned.
bool assignable(const Institution& i);
// The institutions that can be assigned, by name.
std::vector<Institution> assignable_institutions(Store& store);
// Uganda's three-level scale: fully / partially / not complied ("" for not_applicable).
std::string complied_scale(ImplStatus status);
// "A civil society organisation": what the public and government see of a protected author.
extern const char* const kProtectedAuthor;
// Draft and returned items can be changed; submitted ones and later cannot.
bool editable(ItemState state);

// --- clusters ---
Cluster create_cluster(Store& store, const Principal& p, const std::string& name,
                       const std::string& description, const std::vector<std::string>& uids);
void edit_cluster(Store& store, const Principal& p, std::int64_t id, const std::string& name,
                  const std::string& description);
long add_to_cluster(Store& store, const Principal& p, std::int64_t id,
                    const std::vector<std::string>& uids);
void remove_from_cluster(Store& store, const Principal& p, std::int64_t id, const std::string& uid);

// --- assignments (target: a recommendation uid, or a cluster id) ---
Assignment assign(Store& store, const Principal& p, const std::string& uid, std::int64_t cluster_id,
                  std::int64_t institution_id, AssignmentRole role);
// Assigns every uid of `uids` (bulk assignment from a search result); returns how many were
// new (those already assigned to the institution are skipped).
long assign_many(Store& store, const Principal& p, const std::vector<std::string>& uids,
                 std::int64_t institution_id, AssignmentRole role);
void unassign(Store& store, const Principal& p, std::int64_t assignment_id);
// The institutions responsible for a recommendation (directly or through its clusters).
std::vector<std::int64_t> responsible_institutions(Store& store, const std::string& uid);

// --- plans ---
Plan create_plan(Store& store, const Principal& p, Plan plan);
void edit_plan(Store& store, const Principal& p, const Plan& plan);
PlanAction add_action(Store& store, const Principal& p, PlanAction a);
Indicator add_indicator(Store& store, const Principal& p, Indicator i);
PlanLink add_link(Store& store, const Principal& p, PlanLink l);
void remove_plan_part(Store& store, const Principal& p, PlanPart part, std::int64_t id);

// --- national plans (NHRAP, national development plan) and their items: data, editable ---
PolicyPlan create_policy_plan(Store& store, const Principal& p, PolicyPlan pp);
PolicyItem create_policy_item(Store& store, const Principal& p, PolicyItem item);
void edit_policy_item(Store& store, const Principal& p, const PolicyItem& item);
// The checks of a national plan and of an item (kind nhrap | ndp, name, period, code, title),
// InvalidArgument naming the field; shared with the CSV importer (ingest/policy_csv.h).
void check_policy_plan(const PolicyPlan& pp);
void check_policy_item(const PolicyItem& item);

// --- progress updates (evidence: evidence.h) ---
ProgressUpdate create_update(Store& store, const Principal& p, ProgressUpdate u);
void edit_update(Store& store, const Principal& p, const ProgressUpdate& u);

// --- assessments and the official status ---
// The party is the principal's: government (focal point, coordinator), nhri, civil_society.
// A civil-society assessment is protected (the organisation shown only as kProtectedAuthor)
// unless `protect` is false: protection is the default, opting out takes an explicit false,
// recorded in the change log with the assessment. `a.is_protected` is ignored.
Assessment create_assessment(Store& store, const Principal& p, Assessment a,
                             std::optional<bool> protect = std::nullopt);
void edit_assessment(Store& store, const Principal& p, const Assessment& a);
void set_official_status(Store& store, const Principal& p, const std::string& uid,
                         ImplStatus status, const std::string& justification);

// --- the workflow ---
// transition: submit | validate | return | approve | publish (withdraw for the NHRI's and civil
// society's own assessments). `comment` is required to return. Throws access::Forbidden, or
// InvalidArgument when the transition does not apply to the item's state (the message names
// both).
void transition(Store& store, const Principal& p, ReviewEntity entity, std::int64_t id,
                const std::string& name, const std::string& comment);
// The transitions `p` may make on an item now (for buttons).
std::vector<std::string> transitions_for(const Principal& p, ReviewEntity entity, ItemState state,
                                         std::int64_t institution_id,
                                         Party party = Party::Government);
// The review queue of `p`: what waits for their action, oldest first.
std::vector<ReviewItem> review_queue(Store& store, const Principal& p);
// A review item's title for lists: a plan's title, the first words of an update (at most about
// 80 bytes, cut after a word, "…" when cut), "" for an assessment (its recommendation names it).
std::string review_title(const ReviewItem& item);

// --- what a viewer sees ---
struct ItemView {
  bool visible = false;
  std::string author;  // institution (or organisation) as the viewer may see it
  std::string person;  // the author's name, "" when the viewer may not see it
};
ItemView view_plan(Store& store, const Principal& p, const Plan& x);
ItemView view_update(Store& store, const Principal& p, const ProgressUpdate& x);
ItemView view_assessment(Store& store, const Principal& p, const Assessment& x);
bool can_see_comments(const Principal& p, std::int64_t institution_id);
// What a recommendation's history is made of, as (entity, id) of the change log: the record
// itself, its official status, and its own plans, progress updates, assessments and
// assignments.
std::vector<std::pair<std::string, std::string>> history_of(Store& store, const std::string& uid);
// Published items only: what the public side shows (record pages, the public API).
bool is_public(ItemState state);

}  // namespace hrtrack::followup
