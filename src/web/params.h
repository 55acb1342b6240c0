// Query-string validation for the HTTP layer: every parameter is checked here, before anything
// reaches the search index, so that bad input always gets a 400 naming the parameter and never a
// 500. Pure functions over a list of (name, value) pairs: no HTTP library types.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "search/search.h"

namespace hrtrack::web {

// Query parameters in the order received (a name may repeat).
using Params = std::vector<std::pair<std::string, std::string>>;

struct Limits {
  std::size_t max_q_bytes = 1000;
  long max_per_page = 1000;
  long default_per_page = 20;
  long max_page = 100'000'000;  // far beyond any result set; keeps page*per_page in range
  std::size_t max_value_bytes = 300;
  std::size_t max_values_per_param = 100;
  std::size_t max_params = 400;
};
const Limits& limits();

// Throws search::BadRequest when a name or value is not valid UTF-8 or holds a control
// character (other than tab and line breaks), or when there are absurdly many parameters.
void check_encoding(const Params& params);

// Throws search::BadRequest naming the first parameter not in `allowed`. On a search address
// (`filters`), the message is the CLI's for an unknown filter (core/filters.h).
void check_known(const Params& params, const std::set<std::string>& allowed, bool filters = false);

// The value of a parameter that may appear at most once; nullopt when absent or empty.
// Throws search::BadRequest when it is given twice.
std::optional<std::string> single(const Params& params, const std::string& name);
// Every non-empty value of a parameter.
std::vector<std::string> all(const Params& params, const std::string& name);

// A whole number within [min, max] or a BadRequest naming `name`.
long parse_bounded(const std::string& name, const std::string& value, long min, long max);

// Names the search endpoints accept: q, sort, one per facet, sdg, the filters' aliases
// (core/filters.h), and (when `paged`) page,
// per_page, facet_limit and facets (which facets to count: "state,issue", or "none").
std::set<std::string> search_param_names(const std::vector<search::FacetDef>& facets, bool paged);

// Builds a search request from validated parameters (filters named by `facets`, plus "sdg"
// taking a goal "16" or a target "16.2"). Throws search::BadRequest naming the parameter.
// Parameters that are not search parameters are ignored (check_known handles them).
search::SearchRequest parse_search_request(const Params& params,
                                           const std::vector<search::FacetDef>& facets, bool paged);

// The normalised code of an SDG goal or target ("16", "16.2", "5.a"), or nullopt.
std::optional<std::string> sdg_code(const std::string& value);

}  // namespace hrtrack::web
