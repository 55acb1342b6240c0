#include "core/filters.h"

#include <algorithm>
#include <climits>

#include "core/error.h"
#include "core/text.h"

namespace hrtrack {

const std::vector<FilterField>& filter_fields() {
  using S = FilterScope;
  static const std::vector<FilterField> fields = {
      {"state", {}, false, S::Both, "The State concerned: ISO 3166-1 alpha-3 code or a name"},
      {"region", {}, false, S::Both, "A region of the State concerned, as in the facet"},
      {"mechanism", {}, false, S::Both, "A mechanism code (UPR, CRC, ...) or its name"},
      {"level", {}, false, S::Both, "international, regional or national"},
      {"kind", {}, false, S::Both, "recommendation, observation or pledge"},
      {"year", {}, true, S::Both, "The year: a number or a range A..B, A.. or ..B"},
      {"cycle", {"upr_cycle"}, true, S::Both, "The UPR cycle: a number or a range"},
      {"session", {"upr_session"}, true, S::Both, "The UPR session: a number or a range"},
      {"recommending_state",
       {},
       false,
       S::Both,
       "A recommending State: ISO 3166-1 alpha-3 code or a name"},
      {"response",
       {},
       false,
       S::Both,
       "supported, noted, supported in part or pending (synonyms such as accepted count)"},
      {"theme", {}, false, S::Both, "A theme, as in the facet"},
      {"persons", {"person"}, false, S::Both, "Affected persons, as in the facet"},
      {"sdg", {}, false, S::Both, "An SDG goal (16: its targets too) or target (16.2)"},
      {"sdg_goal", {}, false, S::Both, "An SDG goal (16), its targets included"},
      {"sdg_target", {}, false, S::Both, "An SDG target (16.2)"},
      {"issue", {}, false, S::Both, "A UPR Info issue"},
      {"institution", {}, false, S::Api, "A responsible institution (published follow-up)"},
      {"status", {}, false, S::Api, "The official implementation status (published follow-up)"},
      {"assessment_government", {}, false, S::Api, "The government's assessment"},
      {"assessment_nhri", {}, false, S::Api, "The national human rights institution's assessment"},
      {"assessment_civil_society", {}, false, S::Api, "Civil society's assessment"},
      {"cluster", {}, false, S::Api, "A published cluster of recommendations (its id)"},
      {"last_update",
       {},
       true,
       S::Api,
       "YYYYMM of the latest published progress update (0: assigned, never updated); a range"},
      {"no_update_months",
       {},
       false,
       S::Api,
       "Followed recommendations without a published update for this many months or more"},
      {"symbol", {}, false, S::Both, "The document symbol (A/HRC/28/15), exactly"},
      {"paragraph", {}, false, S::Cli, "The paragraph (115.1, 24 (a)), exactly"},
      {"parent_paragraph", {}, false, S::Cli, "The paragraph a sub-paragraph belongs to (24)"},
  };
  return fields;
}

const FilterField* find_filter_field(std::string_view name) {
  for (const auto& f : filter_fields()) {
    if (f.name == name) return &f;
    if (std::find(f.aliases.begin(), f.aliases.end(), name) != f.aliases.end()) return &f;
  }
  return nullptr;
}

std::string unknown_filter_message(std::string_view name) {
  std::string names, aliases;
  for (const auto& f : filter_fields()) {
    names += (names.empty() ? "" : ", ") + f.name;
    for (const auto& a : f.aliases) aliases += (aliases.empty() ? "" : ", ") + a + " = " + f.name;
  }
  return "unknown filter '" + shorten_for_display(std::string(name), 40) + "'; filters are " +
         names + " (aliases: " + aliases + "; see docs/search.md)";
}

std::string filter_scope_message(const FilterField& f, FilterScope where) {
  if (f.scope == FilterScope::Both || f.scope == where) return "";
  if (f.scope == FilterScope::Api)
    return "filter '" + f.name +
           "' works on the published follow-up, which only the search API has "
           "(/api/recommendations, /api/export); the CLI filters the stored records";
  return "filter '" + f.name + "' is available in the CLI only (the search index does not hold it)";
}

FilterRange parse_filter_range(std::string_view name, std::string_view value) {
  std::string v(trim(value));
  auto bad = [&](const std::string& why) {
    return InvalidArgument("filter '" + std::string(name) + "': " + why + " (got '" +
                           shorten_for_display(v, 40) + "')");
  };
  auto number = [&](std::string_view s) -> long {
    if (s.empty() || s.size() > 9 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw bad("takes a number or a range A..B, A.. or ..B");
    return std::stol(std::string(s));
  };
  auto dots = v.find("..");
  if (dots == std::string::npos) {
    long n = number(v);
    return {n, n};
  }
  std::string_view a(v.data(), dots), b(v.data() + dots + 2, v.size() - dots - 2);
  if (a.empty() && b.empty()) throw bad("takes a number or a range A..B, A.. or ..B");
  FilterRange r{a.empty() ? 0 : number(a), b.empty() ? LONG_MAX : number(b)};
  if (r.lo > r.hi) throw bad("the range ends before it starts");
  return r;
}

}  // namespace hrtrack
