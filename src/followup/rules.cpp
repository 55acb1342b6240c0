// The follow-up's vocabularies as people send them, the checks every operation shares, and the
// small rules pages ask about (may_start, assignable, complied_scale).
#include <algorithm>
#include <regex>

#include "followup/internal.h"

namespace hrtrack::followup {

const char* const kProtectedAuthor = "a civil society organisation";

namespace {

template <typename E>
std::vector<std::string> spellings(const std::vector<E>& values) {
  std::vector<std::string> out;
  for (auto v : values) out.emplace_back(to_string(v));
  return out;
}

}  // namespace

ImplStatus parse_status(const std::string& field, const std::string& value) {
  if (auto s = impl_status_from_string(value)) return *s;
  detail::bad_choice(field, value, spellings(all_impl_statuses()));
}

MeasureType parse_measure(const std::string& field, const std::string& value) {
  if (auto m = measure_type_from_string(value)) return *m;
  detail::bad_choice(field, value, spellings(all_measure_types()));
}

AssignmentRole parse_role(const std::string& field, const std::string& value) {
  if (auto r = assignment_role_from_string(value)) return *r;
  detail::bad_choice(field, value, {"lead", "support"});
}

Party party_of(const Principal& p) {
  if (p.has_role("civil_society")) return Party::CivilSociety;
  if (p.has_role("nhri")) return Party::Nhri;
  return Party::Government;
}

std::string assessment_action(Party party) {
  return "assessment." + std::string(to_string(party));
}

std::string complied_scale(ImplStatus status) {
  switch (status) {
    case ImplStatus::FullyImplemented:
      return "fully_complied";
    case ImplStatus::PartiallyImplemented:
      return "partially_complied";
    case ImplStatus::NotStarted:
    case ImplStatus::InProgress:
      return "not_complied";
    case ImplStatus::NotApplicable:
      return "";
  }
  return "";
}

bool editable(ItemState state) {
  return state == ItemState::Draft || state == ItemState::Returned;
}

bool is_public(ItemState state) {
  return state == ItemState::Published;
}

bool assignable(const Institution& i) {
  return i.type != "civil_society" && i.type != "nhri";
}

std::vector<Institution> assignable_institutions(Store& store) {
  std::vector<Institution> out;
  for (auto& i : store.access().institutions())
    if (assignable(i)) out.push_back(std::move(i));
  return out;
}

bool may_start(Store& store, const Principal& p, const std::string& action, const std::string& uid,
               std::int64_t cluster_id) {
  using access::allowed;
  if (!p.institution_id || !allowed(p, action, {p.institution_id})) return false;
  if (action == "assessment.nhri" || action == "assessment.civil_society") return true;
  return access::scope_of(p, action) == access::Scope::Any ||
         detail::assigned(store, uid, cluster_id, p.institution_id);
}

}  // namespace hrtrack::followup

namespace hrtrack::followup::detail {

void check_text(const std::string& field, const std::string& v, std::size_t max, bool required) {
  require_text(field, v, max, required, true);
}

void bad_choice(const std::string& field, const std::string& v,
                const std::vector<std::string>& allowed) {
  throw InvalidArgument(field + ": one of " + join(allowed, ", ") + " (got '" +
                        shorten_for_display(v, 40) + "')");
}

void check_date(const std::string& field, const std::string& v, bool required) {
  if (v.empty()) {
    if (required) throw InvalidArgument(field + ": required (YYYY-MM-DD)");
    return;
  }
  if (v.size() != 10 || v[4] != '-' || v[7] != '-' ||
      v.find_first_not_of("0123456789-") != std::string::npos)
    throw InvalidArgument(field + ": a date as YYYY-MM-DD (got '" + shorten_for_display(v, 20) +
                          "')");
  if (!is_iso_date(v)) throw InvalidArgument(field + ": no such date '" + v + "'");
}

Recommendation require_record(Store& store, const std::string& uid) {
  auto r = store.get(uid);
  if (!r || r->deleted) throw NotFound("no recommendation with id " + shorten_for_display(uid, 40));
  return *r;
}

Institution require_institution(Store& store, std::int64_t id, const std::string& field) {
  auto i = store.access().institution(id);
  if (!i) throw InvalidArgument(field + ": no institution with id " + std::to_string(id));
  return *i;
}

Cluster require_cluster(Store& store, std::int64_t id) {
  auto c = store.followup().cluster(id);
  if (!c) throw NotFound("no cluster with id " + std::to_string(id));
  return *c;
}

bool assigned(Store& store, const std::string& uid, std::int64_t cluster_id,
              std::int64_t institution_id) {
  std::vector<Assignment> as = cluster_id ? store.followup().assignments_of_cluster(cluster_id)
                                          : store.followup().assignments_for(uid);
  return std::any_of(as.begin(), as.end(),
                     [&](const Assignment& a) { return a.institution_id == institution_id; });
}

void require_responsible(Store& store, const Principal& p, const std::string& action,
                         const std::string& uid, std::int64_t cluster_id,
                         std::int64_t institution_id) {
  access::require(p, action, {institution_id});
  if (access::scope_of(p, action) == access::Scope::Any) return;
  if (!assigned(store, uid, cluster_id, institution_id))
    throw access::Forbidden(
        "your institution is not assigned to this recommendation; ask the coordinator to assign "
        "it");
}

void require_editable(const std::string& what, ItemState state) {
  if (!editable(state))
    throw InvalidArgument(what + " is " + std::string(to_string(state)) +
                          ": only a draft or a returned item can be changed");
}

Plan load_plan(Store& store, std::int64_t id) {
  auto x = store.followup().plan(id);
  if (!x) throw NotFound("no plan with id " + std::to_string(id));
  return *x;
}

ProgressUpdate load_update(Store& store, std::int64_t id) {
  auto x = store.followup().update(id);
  if (!x) throw NotFound("no progress update with id " + std::to_string(id));
  return *x;
}

Assessment load_assessment(Store& store, std::int64_t id) {
  auto x = store.followup().assessment(id);
  if (!x) throw NotFound("no assessment with id " + std::to_string(id));
  return *x;
}

}  // namespace hrtrack::followup::detail
