#include "core/followup.h"

#include <array>
#include <utility>

namespace hrtrack {

namespace {

// One table per enum: the value and its one spelling, in the enum's order.
template <typename E, std::size_t N>
using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<ItemState, 6> kStates{{{ItemState::Draft, "draft"},
                                       {ItemState::Submitted, "submitted"},
                                       {ItemState::Returned, "returned"},
                                       {ItemState::Validated, "validated"},
                                       {ItemState::Approved, "approved"},
                                       {ItemState::Published, "published"}}};
constexpr Names<Party, 3> kParties{{{Party::Government, "government"},
                                    {Party::Nhri, "nhri"},
                                    {Party::CivilSociety, "civil_society"}}};
constexpr Names<ImplStatus, 5> kStatuses{
    {{ImplStatus::NotStarted, "not_started"},
     {ImplStatus::InProgress, "in_progress"},
     {ImplStatus::PartiallyImplemented, "partially_implemented"},
     {ImplStatus::FullyImplemented, "fully_implemented"},
     {ImplStatus::NotApplicable, "not_applicable"}}};
constexpr Names<AssignmentRole, 2> kRoles{
    {{AssignmentRole::Lead, "lead"}, {AssignmentRole::Support, "support"}}};
constexpr Names<MeasureType, 8> kMeasures{{{MeasureType::Legislative, "legislative"},
                                           {MeasureType::Policy, "policy"},
                                           {MeasureType::Budgetary, "budgetary"},
                                           {MeasureType::Judicial, "judicial"},
                                           {MeasureType::Administrative, "administrative"},
                                           {MeasureType::Institutional, "institutional"},
                                           {MeasureType::Training, "training"},
                                           {MeasureType::DataCollection, "data_collection"}}};
constexpr Names<EvidenceKind, 2> kEvidence{
    {{EvidenceKind::File, "file"}, {EvidenceKind::Link, "link"}}};
constexpr Names<ReviewEntity, 3> kEntities{{{ReviewEntity::Plan, "plan"},
                                            {ReviewEntity::ProgressUpdate, "progress_update"},
                                            {ReviewEntity::Assessment, "assessment"}}};

constexpr Names<PlanPart, 3> kParts{{{PlanPart::Action, "plan_action"},
                                     {PlanPart::Indicator, "indicator"},
                                     {PlanPart::Link, "plan_link"}}};

template <typename E, std::size_t N>
std::string_view name_of(const Names<E, N>& t, E e) {
  for (const auto& [v, s] : t)
    if (v == e) return s;
  return t[0].second;
}

template <typename E, std::size_t N>
std::optional<E> value_of(const Names<E, N>& t, std::string_view s) {
  for (const auto& [v, n] : t)
    if (n == s) return v;
  return std::nullopt;
}

template <typename E, std::size_t N>
std::vector<E> values(const Names<E, N>& t) {
  std::vector<E> out;
  for (const auto& [v, s] : t) out.push_back(v);
  return out;
}

}  // namespace

std::string_view to_string(ItemState v) {
  return name_of(kStates, v);
}
std::string_view to_string(Party v) {
  return name_of(kParties, v);
}
std::string_view to_string(ImplStatus v) {
  return name_of(kStatuses, v);
}
std::string_view to_string(AssignmentRole v) {
  return name_of(kRoles, v);
}
std::string_view to_string(MeasureType v) {
  return name_of(kMeasures, v);
}
std::string_view to_string(EvidenceKind v) {
  return name_of(kEvidence, v);
}
std::string_view to_string(ReviewEntity v) {
  return name_of(kEntities, v);
}

std::string_view to_string(PlanPart v) {
  return name_of(kParts, v);
}
std::optional<PlanPart> plan_part_from_string(std::string_view s) {
  return value_of(kParts, s);
}

std::optional<ItemState> item_state_from_string(std::string_view s) {
  return value_of(kStates, s);
}
std::optional<Party> party_from_string(std::string_view s) {
  return value_of(kParties, s);
}
std::optional<ImplStatus> impl_status_from_string(std::string_view s) {
  return value_of(kStatuses, s);
}
std::optional<AssignmentRole> assignment_role_from_string(std::string_view s) {
  return value_of(kRoles, s);
}
std::optional<MeasureType> measure_type_from_string(std::string_view s) {
  return value_of(kMeasures, s);
}
std::optional<EvidenceKind> evidence_kind_from_string(std::string_view s) {
  return value_of(kEvidence, s);
}
std::optional<ReviewEntity> review_entity_from_string(std::string_view s) {
  return value_of(kEntities, s);
}

const std::vector<ItemState>& all_item_states() {
  static const auto v = values(kStates);
  return v;
}
const std::vector<Party>& all_parties() {
  static const auto v = values(kParties);
  return v;
}
const std::vector<ImplStatus>& all_impl_statuses() {
  static const auto v = values(kStatuses);
  return v;
}
const std::vector<MeasureType>& all_measure_types() {
  static const auto v = values(kMeasures);
  return v;
}

}  // namespace hrtrack
