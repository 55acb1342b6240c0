// What the portal's pages share (pages_search.cpp, pages_record.cpp, pages_browse.cpp): facet
// lookups, links that keep a search, a record's heading and badges, one search result, the
// pagination, the navigation.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/recommendation.h"
#include "search/search.h"
#include "web/http.h"
#include "web/i18n.h"

namespace hrtrack::web::pages {

using json = nlohmann::json;

const search::FacetDef* facet_def(const std::string& name);

// The first of `candidates` that is a facet of the index ("" if none): pages link record fields
// to searches only through facets that exist.
std::string facet_named(std::initializer_list<const char*> candidates);

std::string search_href(const Params& p);

// Sorts labels by the rules of the UI language (ICU collation: "Égypte" near "Equateur").
void sort_by_label(json& values, const std::string& lang);

long to_long(const std::string& s);

// The facet value a filter value means: the same code or label (ASCII case aside), the same
// State (ISO code or any name find_country knows), the same response (synonyms).
const search::FacetValue* matching_value(const std::string& facet,
                                         const std::vector<search::FacetValue>& values,
                                         const std::string& raw);

json nav(const std::string& current);

// A result's heading in parts: "Slovenia", "A/HRC/28/15 ¶ 115.1" or "Slovenia", "UPR",
// "session 8", "2010". The template isolates each part (<bdi>), so a document symbol keeps its
// order inside an Arabic heading.
std::vector<std::string> record_heading_parts(const Catalogues& cat, const std::string& lang,
                                              const Recommendation& r);

std::string record_heading(const Catalogues& cat, const std::string& lang, const Recommendation& r);

json heading_parts_json(const Catalogues& cat, const std::string& lang, const Recommendation& r);

json response_badge(const Catalogues& cat, const std::string& lang, const Recommendation& r);

json text_block(const std::string& text, const std::string& text_lang);

// One result of a search, for the list.
json result_item(const Catalogues& cat, const std::string& lang, const Recommendation& r,
                 const search::Index& index, const std::vector<std::string>& terms);

json pagination(const Params& base, long page, long per_page, long total, const Catalogues& cat,
                const std::string& lang);

}  // namespace hrtrack::web::pages
