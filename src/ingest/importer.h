// Import of one file into the store, all or nothing (issues #2, #17). import_file() returns a
// report (problems are values, core/error.h) and throws only for what stops it: no such file
// (InvalidArgument), another import running (InvalidArgument), the store failing (StoreError), the
// file changing under it (Error); then nothing of it is visible. One thread, one Store.
//  * the whole file is read and checked first, writing nothing; every problem is collected
//    (row, column, value, reason); if any row is rejected nothing is written unless skip_invalid
//    is set, in which case the valid rows are imported and the rejected ones written to a
//    rejects file;
//  * then the file is read again and written in batches of short transactions (other writers
//    wait for one batch at most, never for the whole import), invisible to every reader until
//    the last transaction makes all of it visible at once (Store::start_import/finish_import);
//    an import that fails or is killed leaves nothing visible, and the next import clears it;
//  * identity (core/identity.h) decides new / changed / unchanged; exact duplicates inside the
//    file are stored once; records that collide on identity but differ are kept apart;
//  * terms missing from the vocabularies are added (flagged with the import) and reported;
//  * re-sync: an import's scope is its format, the States concerned and the mechanisms of its
//    records; when an earlier import had the same scope (an older export of the same source),
//    the records it held that this file no longer contains are reported (ImportReport::absent,
//    and in the import's stored summary), never deleted: withdrawn or renumbered, a person
//    decides.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "ingest/source.h"
#include "store/store.h"

namespace hrtrack::ingest {

struct ImportOptions {
  SourceOptions source;
  bool skip_invalid = false;
  std::string rejects_path;  // default: <file>.rejects.csv / .json next to the input
  std::string actor = "cli";
  bool progress = false;  // draw a progress bar on stderr
};

struct ImportReport {
  std::int64_t import_id = 0;
  long rows = 0, rejected = 0, duplicates = 0, new_count = 0, changed = 0, unchanged = 0,
       kept = 0;                  // matched a record held from a more authoritative source
  std::vector<Problem> problems;  // errors and warnings
  std::vector<std::pair<std::string, std::string>> new_terms;  // (vocabulary, term)
  bool committed = false;
  bool incomplete = false;   // a problem stopped the reading before the end: nothing written
  std::string rejects_path;  // written when rows were rejected and skip_invalid was set
  // Re-sync (see the top): the previous import of the same source (0: none), its file, and the
  // records it held that this file does not contain.
  std::string scope;
  std::int64_t previous_import = 0;
  std::string previous_file;
  std::vector<AbsentRecord> absent;
  long errors() const;
};

ImportReport import_file(Store& store, const ImportOptions& opt);

// The scope of a file's records: "states=SVN;mechanisms=UPR" (each list sorted, ","-joined), ""
// for no records. Two imports of one format and one scope are two exports of one source.
std::string import_scope(const std::set<std::string>& states,
                         const std::set<std::string>& mechanisms);

}  // namespace hrtrack::ingest
