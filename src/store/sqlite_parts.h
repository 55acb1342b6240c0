// The parts of the SQLite store that live in their own files (sqlite_access.cpp, ...): each
// works on the store's connection and records changes through the store's change log.
#pragma once
#include <functional>
#include <memory>

#include "store/access_store.h"
#include "store/db.h"
#include "store/followup_store.h"
#include "store/store.h"

namespace hrtrack::store {

using LogFn = std::function<void(const ChangeEntry&)>;

std::unique_ptr<AccessStore> make_sqlite_access(Db& db, LogFn log);
std::unique_ptr<FollowupStore> make_sqlite_followup(Db& db, LogFn log);

}  // namespace hrtrack::store
