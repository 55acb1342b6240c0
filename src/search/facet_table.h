// The facets as a table of rows, each with the function that draws its values from a record
// (and its published follow-up): the index builds every facet by walking these rows, so a facet
// is added in one place, and nothing depends on a facet's position.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/crosswalk.h"
#include "core/followup.h"
#include "core/recommendation.h"
#include "search/search.h"

namespace hrtrack::search {

// What the extractors look names up in, read once per index build.
struct FacetContext {
  std::unordered_map<std::string, std::string> mechanism_names;              // code -> name
  std::unordered_map<std::string, std::string> sdg_labels;                   // code -> title
  std::map<std::int64_t, std::pair<std::string, std::string>> institutions;  // id -> (code, name)
  std::map<std::int64_t, std::string> cluster_names;
  // The crosswalk's answers (core/crosswalk.h): field -> label as carried -> concepts. A label
  // without an answer is its own concept.
  std::unordered_map<std::string, std::unordered_map<std::string, std::vector<std::string>>>
      concepts;
  ConceptNames concept_names{{}};  // what a filter value names

  void add_concepts(const std::vector<LabelConcept>& rows);
};

// (value, label): the value filters use, the label shown ("" = the value itself).
using FacetValues = std::vector<std::pair<std::string, std::string>>;

struct FacetRow {
  FacetDef def;
  // Appends the record's values of this facet to `out` (at most one for a single-valued
  // facet; none when the record has no value).
  std::function<void(const Recommendation&, const PublicFollowup&, const FacetContext&,
                     FacetValues& out)>
      extract;
};

const std::vector<FacetRow>& facet_rows();

// The State's display label (the country name ICU knows, else the source's name).
std::string state_display_label(const Recommendation& r);

}  // namespace hrtrack::search
