// What changed between two JSON forms of one thing (core/followup_json.h, core/access_json.h):
// the change log records one row per changed field. Bookkeeping (ids, timestamps, derived
// sizes, children logged as things of their own) is not a change. The stores call this, so every
// storage engine logs the same rows.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace hrtrack {

struct FieldChange {
  std::string field;
  std::optional<std::string> before, after;  // strings as they are, other values as JSON
};

// One entry per field whose value differs (a field missing on one side counts as null).
std::vector<FieldChange> changed_fields(const nlohmann::ordered_json& before,
                                        const nlohmann::ordered_json& after);
// The object without its bookkeeping fields: what a creation or deletion records.
nlohmann::ordered_json without_bookkeeping(nlohmann::ordered_json j);

}  // namespace hrtrack
