#include "core/recommendation.h"

#include <algorithm>

#include "core/text.h"

namespace hrtrack {

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::Recommendation:
      return "recommendation";
    case Kind::Observation:
      return "observation";
    case Kind::Pledge:
      return "pledge";
  }
  return "recommendation";
}

std::string_view to_string(Level l) {
  switch (l) {
    case Level::International:
      return "international";
    case Level::Regional:
      return "regional";
    case Level::National:
      return "national";
  }
  return "international";
}

std::string_view to_string(Response r) {
  switch (r) {
    case Response::None:
      return "";
    case Response::Supported:
      return "supported";
    case Response::Noted:
      return "noted";
    case Response::SupportedInPart:
      return "supported in part";
    case Response::Pending:
      return "pending";
  }
  return "";
}

std::optional<Kind> kind_from_string(std::string_view s) {
  std::string k = ascii_lower(trim(s));
  if (k == "recommendation" || k == "recommendations" || k == "- recommendations")
    return Kind::Recommendation;
  if (k == "observation" || k == "concern" || k == "concern/observation" ||
      k == "concerns/observations" || k == "- concerns/observations")
    return Kind::Observation;
  if (k == "pledge" || k == "voluntary pledge" || k == "voluntary pledges") return Kind::Pledge;
  return std::nullopt;
}

std::optional<Level> level_from_string(std::string_view s) {
  std::string k = ascii_lower(trim(s));
  if (k == "international") return Level::International;
  if (k == "regional") return Level::Regional;
  if (k == "national") return Level::National;
  return std::nullopt;
}

std::optional<Response> response_from_string(std::string_view s) {
  std::string k = ascii_lower(trim(s));
  if (k.empty()) return Response::None;
  if (k == "supported" || k == "accepted" || k == "support" || k == "accept" || k == "agreed")
    return Response::Supported;
  if (k == "noted" || k == "rejected" || k == "not accepted" || k == "not supported" || k == "note")
    return Response::Noted;
  if (k == "supported in part" || k == "partially supported" || k == "partially accepted" ||
      k == "supported/noted" || k == "accepted in part")
    return Response::SupportedInPart;
  if (k == "pending" || k == "under consideration" || k == "no response" || k == "deferred")
    return Response::Pending;
  return std::nullopt;
}

void derive_sdg_codes(Recommendation& r) {
  r.sdg_targets.clear();
  r.sdg_goals.clear();
  auto add = [](std::vector<std::string>& v, std::string s) {
    if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
  };
  for (const auto& label : r.sdgs) {
    std::string code = sdg_code_of(label);
    if (code.empty()) continue;
    auto dot = code.find('.');
    if (dot == std::string::npos) {
      add(r.sdg_goals, code);
    } else {
      add(r.sdg_targets, code);
      add(r.sdg_goals, code.substr(0, dot));
    }
  }
}

}  // namespace hrtrack
