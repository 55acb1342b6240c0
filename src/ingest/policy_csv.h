// National plans (human rights action plan, development plan) and their items from a CSV file:
// columns kind (nhrap | ndp), plan, period, code, title. A plan is found by kind and name
// (created if new), an item by its plan and code (its title updated if it changed). All or
// nothing: one transaction, every problem reported with its row and column, nothing written
// when there is any.
#pragma once
#include <string>
#include <vector>

#include "access/permissions.h"
#include "core/error.h"
#include "store/store.h"

namespace hrtrack::ingest {

struct PolicyImport {
  long plans_created = 0, items_created = 0, items_updated = 0;
  std::vector<Problem> problems;  // nothing is written when there are any
};

PolicyImport import_policy_csv(Store& store, const access::Principal& p, const std::string& path);

}  // namespace hrtrack::ingest
