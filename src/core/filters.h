// The filter vocabulary: one list of the fields a set of recommendations can be narrowed by,
// shared by the CLI (`--where field=value`, store RecordFilter) and the search API (query
// parameters, search/ and web/). The names are the API's facet names; the CLI's former names
// stay accepted as aliases. Values: a code or label as the facets show it (a State also by any
// name find_country knows); numeric fields take a number or a range A..B, A.. or ..B; a field
// given several times is ORed, different fields are ANDed. docs/search.md "Filters" documents
// this list.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

// Where a filter works: on the stored records everywhere (Both); on the published follow-up,
// which only the search index holds (Api); on a stored field the index does not hold (Cli: none
// today, `symbol` has its own bitmaps in the index).
enum class FilterScope { Both, Api, Cli };

struct FilterField {
  std::string name;                  // canonical: "cycle"
  std::vector<std::string> aliases;  // accepted too: "upr_cycle"
  bool numeric = false;              // a number or a range
  FilterScope scope = FilterScope::Both;
  std::string meaning;  // one line, for the OpenAPI document and help texts
};

// Every filter, in the facets' order.
const std::vector<FilterField>& filter_fields();

// The field a name or alias means (exact, lower-case names), or nullptr.
const FilterField* find_filter_field(std::string_view name);

// "unknown filter 'x'; filters are state, region, ... (aliases: upr_cycle = cycle, ...)": the
// one message the CLI and the API give for a name that is no filter.
std::string unknown_filter_message(std::string_view name);

// Why `field` cannot be used where `where` ("the CLI" or "the search API") is, or "" if it can.
std::string filter_scope_message(const FilterField& field, FilterScope where);

// A numeric filter's value: "2010", "2010..2012", "2010.." or "..2012" (an open end is 0 or
// the largest long; a field whose value is absent, 0, matches only where 0 is a value: the
// follow-up's last_update). Throws InvalidArgument naming the filter.
struct FilterRange {
  long lo, hi;
};
FilterRange parse_filter_range(std::string_view name, std::string_view value);

}  // namespace hrtrack
