// Institutions from a CSV file: columns code, name, type, parent_code, main_focal,
// alternate_focal, validator (user names; the optional columns may be missing). Rows may come in
// any order (a parent after its child); an institution is found by its code (created if new,
// updated otherwise). All or nothing: one transaction, every problem reported with its row and
// column (parent cycles, unknown parents or users, invalid codes and types), nothing written
// when there is any. Each institution is checked by access::check_institution.
#pragma once
#include <string>
#include <vector>

#include "access/permissions.h"
#include "core/error.h"
#include "store/store.h"

namespace hrtrack::ingest {

struct InstitutionImport {
  long created = 0, updated = 0;
  std::vector<Problem> problems;  // nothing is written when there are any
};

InstitutionImport import_institutions_csv(Store& store, const access::Principal& p,
                                          const std::string& path);

}  // namespace hrtrack::ingest
