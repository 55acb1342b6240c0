// What pages and the API show of a record and of facet values, in the request's language:
// State names from ICU (core/countries.h), enumerations and mechanism names from the
// catalogues ("value.response.supported", "value.mechanism.CRC"), record texts from the
// record's language variants.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "core/recommendation.h"
#include "search/search.h"
#include "web/i18n.h"

namespace hrtrack::web {

// Facets whose values are ISO 3166-1 alpha-3 codes of States.
bool is_state_facet(const std::string& facet);

// The State's name in `lang` (cached), from an ISO code or a name as sources spell it; the
// source's name when the State is not known.
std::string state_label(const std::string& code, const std::string& source_name,
                        const std::string& lang);

// The label of a facet value in `lang`: a State's name, a catalogue entry
// "value.<facet>.<value>" if there is one, else the index's label, else the value.
std::string value_label(const Catalogues& cat, const std::string& lang, const std::string& facet,
                        const std::string& value, const std::string& index_label);

// The title of a facet (its label_id in the catalogue, else the name).
std::string facet_title(const Catalogues& cat, const std::string& lang, const std::string& facet);

// The record's text in `lang` when a variant exists, else as issued; `text_lang` gets the
// language of what is returned.
const std::string& text_for(const Recommendation& r, const std::string& lang,
                            std::string& text_lang);

// [{"text": ..., "hit": bool}, ...]
nlohmann::ordered_json snippet_json(const search::Snippet& s);

// One search result as the API gives it: every field of the record (core/record_json.h to_json),
// its text in `lang` (with text_lang), its State's name in `lang`, its address and the snippet.
nlohmann::ordered_json api_item(const Recommendation& r, const std::string& lang,
                                const search::Snippet* snippet);

// Appends `s` as a JSON string (quoted, escaped). Invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view s);

// The facets of a result as a JSON object, written straight into `out`: the search answer lists
// hundreds of facet values, and building a JSON tree for them cost more than the search itself.
void append_facets_json(std::string& out,
                        const std::map<std::string, std::vector<search::FacetValue>>& facets,
                        const Catalogues& cat, const std::string& lang);

// The facets of a result: name -> [{value, label, count}], labels in `lang`.
nlohmann::ordered_json facets_json(
    const std::map<std::string, std::vector<search::FacetValue>>& facets, const Catalogues& cat,
    const std::string& lang);

}  // namespace hrtrack::web
