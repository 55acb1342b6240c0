// Loads vocabularies, mechanisms, UPR sessions and vocabulary mappings into the store:
//  * built-in ones the project writes itself (data/vocab/*.csv, compiled into the binary):
//    the mechanism catalogue, SDG goals, and the mappings legacy UHRI codes -> current themes
//    and UPR Info issues -> UHRI themes;
//  * the vocabulary files of a data folder such as ../shared/data (UHRI themes and affected
//    persons, legacy coded themes, SDG goals and targets, UPR Info issues, UPR sessions).
#pragma once
#include <string>
#include <vector>

#include "store/store.h"

namespace hrtrack::ingest {

// Idempotent: running it twice changes nothing (and logs nothing) the second time.
void load_builtin_vocabularies(Store& store, const std::string& actor);

// Kinds of vocabulary file `vocab import --kind` takes.
const std::vector<std::string>& vocab_kinds();

// Imports one vocabulary file of the given kind. Returns the number of terms read.
// Throws InvalidArgument (unknown kind, missing column: the message names file and column).
long import_vocab_file(Store& store, const std::string& kind, const std::string& path,
                       const std::string& actor);

// Imports every known vocabulary file found in `dir` (by file name); returns what was loaded
// as (kind, path) pairs. Re-applies the built-in mappings afterwards.
std::vector<std::pair<std::string, std::string>> import_vocab_dir(Store& store,
                                                                  const std::string& dir,
                                                                  const std::string& actor);

}  // namespace hrtrack::ingest
