// The follow-up of recommendations: the rules. Who may cluster, assign, plan, report progress
// and assess (the permission table, access/permissions.h), what is valid (InvalidArgument
// naming the field), the review workflow (draft -> submitted -> returned | validated ->
// approved -> published), what each viewer may see (only published content for the public;
// civil-society identity hidden when protected), all in one transaction per operation. Pages,
// the API and the CLI call these functions and nothing below them.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "access/permissions.h"
#include "store/store.h"

namespace hrtrack::followup {

using access::Principal;

// --- vocabularies ---
const std::vector<std::string>& measure_types();  // legislative, policy, budgetary, ...
const std::vector<std::string>& statuses();       // not_started ... not_applicable
const std::vector<std::string>& parties();        // government, nhri, civil_society
const std::vector<std::string>& states();         // draft ... published
// The party a principal writes assessments for: government, nhri or civil_society.
std::string party_of(const Principal& p);
// Whether `p` may start a plan (plan.edit), a progress update (update.edit) or an assessment
// (assessment.<party>) for its own institution on a recommendation (cluster_id 0) or a cluster:
// the same rules the operations check, for pages to offer only the forms that will work.
bool may_start(Store& store, const Principal& p, const std::string& action, const std::string& uid,
               std::int64_t cluster_id = 0);
// Uganda's three-level scale: fully / partially / not complied ("" for not_applicable).
std::string complied_scale(const std::string& status);
// "A civil society organisation": what the public and government see of a protected author.
extern const char* const kProtectedAuthor;

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
                  std::int64_t institution_id, const std::string& role);
// Assigns every uid of `uids` (bulk assignment from a search result); returns how many were
// new (those already assigned to the institution are skipped).
long assign_many(Store& store, const Principal& p, const std::vector<std::string>& uids,
                 std::int64_t institution_id, const std::string& role);
void unassign(Store& store, const Principal& p, std::int64_t assignment_id);
// The institutions responsible for a recommendation (directly or through its clusters).
std::vector<std::int64_t> responsible_institutions(Store& store, const std::string& uid);

// --- plans ---
Plan create_plan(Store& store, const Principal& p, Plan plan);
void edit_plan(Store& store, const Principal& p, const Plan& plan);
PlanAction add_action(Store& store, const Principal& p, PlanAction a);
Indicator add_indicator(Store& store, const Principal& p, Indicator i);
PlanLink add_link(Store& store, const Principal& p, PlanLink l);
void remove_plan_part(Store& store, const Principal& p, const std::string& entity, std::int64_t id);
// National plans (NHRAP, national development plan) and their items: data, editable.
PolicyPlan create_policy_plan(Store& store, const Principal& p, PolicyPlan pp);
PolicyItem create_policy_item(Store& store, const Principal& p, PolicyItem item);
void edit_policy_item(Store& store, const Principal& p, const PolicyItem& item);
struct PolicyImport {
  long plans_created = 0, items_created = 0, items_updated = 0;
  std::vector<Problem> problems;  // nothing is written when there are any
};
// CSV columns: kind (nhrap | ndp), plan, period, code, title. A plan is found by kind and name
// (created if new), an item by its plan and code (its title updated if it changed). All or
// nothing, every problem with its row and column.
PolicyImport import_policy_csv(Store& store, const Principal& p, const std::string& path);

// --- progress updates and evidence ---
ProgressUpdate create_update(Store& store, const Principal& p, ProgressUpdate u);
void edit_update(Store& store, const Principal& p, const ProgressUpdate& u);

struct Upload {
  std::string filename, content_type, content;
};
struct EvidenceLimits {
  std::size_t max_bytes = 10 * 1024 * 1024;
};
// Checks the file (size, type by name and by its first bytes), stores it under `dir` by its
// SHA-256 (written to a temporary name, then renamed) and records it. Throws InvalidArgument
// saying what is wrong.
Evidence attach_file(Store& store, const Principal& p, std::int64_t update_id, const Upload& f,
                     const std::string& dir, const EvidenceLimits& limits = {});
Evidence attach_link(Store& store, const Principal& p, std::int64_t update_id,
                     const std::string& url);
// The evidence if `p` may see its update; the file's path under `dir` (empty for links).
std::optional<std::pair<Evidence, std::string>> evidence_for(Store& store, const Principal& p,
                                                             std::int64_t id,
                                                             const std::string& dir);

// --- assessments and the official status ---
// The party is the principal's: government (focal point, coordinator), nhri, civil_society.
// A civil-society assessment is protected (the organisation shown only as kProtectedAuthor)
// unless `protect` is false: protection is the default, opting out takes an explicit false,
// recorded in the change log with the assessment. `a.is_protected` is ignored.
Assessment create_assessment(Store& store, const Principal& p, Assessment a,
                             std::optional<bool> protect = std::nullopt);
void edit_assessment(Store& store, const Principal& p, const Assessment& a);
void set_official_status(Store& store, const Principal& p, const std::string& uid,
                         const std::string& status, const std::string& justification);

// --- the workflow ---
// transition: submit | validate | return | approve | publish. `comment` is required to return.
// Throws access::Forbidden, or InvalidArgument when the transition does not apply to the
// item's state (the message names both).
void transition(Store& store, const Principal& p, const std::string& entity, std::int64_t id,
                const std::string& name, const std::string& comment);
// The transitions `p` may make on an item now (for buttons).
std::vector<std::string> transitions_for(const Principal& p, const std::string& entity,
                                         const std::string& state, std::int64_t institution_id,
                                         const std::string& party = "");
// The review queue of `p`: what waits for their action.
std::vector<ReviewItem> review_queue(Store& store, const Principal& p);

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

}  // namespace hrtrack::followup
