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

namespace {
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
}  // namespace

std::string normalise_paragraph(std::string_view p) {
  std::string_view s = trim(p);
  // The number: digits, with dot-separated parts ("115.1").
  std::size_t i = 0, n = s.size();
  while (i < n && is_digit(s[i])) ++i;
  if (i == 0) return std::string(s);
  while (i + 1 < n && s[i] == '.' && is_digit(s[i + 1])) {
    ++i;
    while (i < n && is_digit(s[i])) ++i;
  }
  std::string out(s.substr(0, i));
  // Then sub-paragraph letters or roman numerals, each "(x)" or "x)", spaced or not.
  std::string subs;
  while (i < n) {
    while (i < n && s[i] == ' ') ++i;
    if (i == n) break;
    bool open = s[i] == '(';
    if (open) ++i;
    std::size_t start = i;
    while (i < n && is_lower(s[i]) && i - start < 4) ++i;
    if (i == start || i >= n || s[i] != ')') return std::string(s);  // not a sub-paragraph
    subs += " (" + std::string(s.substr(start, i - start)) + ")";
    ++i;
  }
  return out + subs;
}

std::string parent_paragraph_of(std::string_view p) {
  if (p.empty() || p.back() != ')' || !is_digit(p.front())) return "";
  auto at = p.rfind(" (");
  if (at == std::string_view::npos || at == 0) return "";
  return std::string(p.substr(0, at));
}

void derive_paragraph(Recommendation& r) {
  r.paragraph = normalise_paragraph(r.paragraph);
  r.parent_paragraph = parent_paragraph_of(r.paragraph);
}

}  // namespace hrtrack
