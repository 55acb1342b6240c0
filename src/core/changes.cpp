#include "core/changes.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace hrtrack {

namespace {

constexpr std::string_view kBookkeeping[] = {
    "id",    "created_at", "updated_at", "size",   "actions",         "indicators",
    "links", "evidence",   "set_at",     "set_by", "last_sign_in_at", "last_used_at"};

bool bookkeeping(std::string_view key) {
  return std::find(std::begin(kBookkeeping), std::end(kBookkeeping), key) != std::end(kBookkeeping);
}

std::optional<std::string> as_text(const nlohmann::ordered_json& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

}  // namespace

std::vector<FieldChange> changed_fields(const nlohmann::ordered_json& before,
                                        const nlohmann::ordered_json& after) {
  std::vector<FieldChange> out;
  static const nlohmann::ordered_json null;
  auto field = [](const nlohmann::ordered_json& j,
                  const std::string& k) -> const nlohmann::ordered_json& {
    return j.contains(k) ? j.at(k) : null;
  };
  for (const auto& [k, v] : after.items()) {
    if (bookkeeping(k)) continue;
    const auto& b = field(before, k);
    if (b != v) out.push_back({k, as_text(b), as_text(v)});
  }
  for (const auto& [k, v] : before.items())
    if (!bookkeeping(k) && !after.contains(k) && !v.is_null())
      out.push_back({k, as_text(v), std::nullopt});
  return out;
}

nlohmann::ordered_json without_bookkeeping(nlohmann::ordered_json j) {
  for (auto k : kBookkeeping) j.erase(std::string(k));
  return j;
}

}  // namespace hrtrack
