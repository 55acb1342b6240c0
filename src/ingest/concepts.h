// The crosswalk (core/crosswalk.h) built from what the store and the repository know, and its
// answers kept in the store for every label the records carry:
//  - current terms: the "uhri-themes" and "uhri-persons" vocabularies, and the UN regional groups
//    (data/vocab/regions.csv);
//  - legacy codes: data/vocab/map_uhri-legacy_to_uhri-themes.csv and the store's mappings;
//  - older labels and spellings: data/vocab/label_variants.csv, regions' aliases;
//  - UPR Info issues -> derived UHRI themes: data/vocab/map_uprinfo-issues_to_uhri-themes.csv.
#pragma once
#include <map>
#include <set>
#include <string>

#include "core/crosswalk.h"
#include "store/store.h"

namespace hrtrack::ingest {

Crosswalk build_crosswalk(Store& store);

// Recomputes the answers for every label of every record (after a vocabulary or mapping
// change). Requires an open Txn.
void refresh_label_concepts(Store& store);

// Adds or updates the answers for the labels of one import (field -> labels). Requires an
// open Txn.
void add_label_concepts(Store& store, const std::map<std::string, std::set<std::string>>& labels);

// Rewrites the theme, persons and region conditions of a filter to the concept they name
// ("equality and non-discrimination", "B31 Equality & non-discrimination" -> "Equality &
// non-discrimination"), so that the store matches every label of that concept. Values naming no
// known concept stay.
void name_concepts(Store& store, RecordFilter& filter);

}  // namespace hrtrack::ingest
