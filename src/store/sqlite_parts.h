// The parts of the SQLite store that live in their own files (sqlite_access.cpp, ...): each
// works on the store's connection and records changes through the store's change log.
#pragma once
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "store/access_store.h"
#include "store/db.h"
#include "store/followup_store.h"
#include "store/store.h"

namespace hrtrack::store {

using LogFn = std::function<void(const ChangeEntry&)>;
using ojson = nlohmann::ordered_json;

std::string id_text(std::int64_t id);
// 0 <-> NULL for optional id references; "" <-> NULL for optional text references.
void bind_ref(Stmt& s, int i, std::int64_t id);
void bind_text_ref(Stmt& s, int i, const std::string& v);
std::int64_t ref(const Stmt& s, int col);
std::optional<std::string> opt_text(const Stmt& s, int col);

// Change-log rows: one per field whose value differs between two JSON objects (log_diff); a
// created row as field "*" with its JSON after (log_created), a deleted one with its JSON before
// (log_deleted); one field (log_field).
void log_diff(const LogFn& log, const std::string& actor, const std::string& entity,
              const std::string& id, const ojson& before, const ojson& after);
void log_created(const LogFn& log, const std::string& actor, const std::string& entity,
                 const std::string& id, const ojson& after);
void log_deleted(const LogFn& log, const std::string& actor, const std::string& entity,
                 const std::string& id, const ojson& before);
void log_field(const LogFn& log, const std::string& actor, const std::string& entity,
               const std::string& id, const std::string& field, std::optional<std::string> before,
               std::optional<std::string> after);

std::unique_ptr<AccessStore> make_sqlite_access(Db& db, LogFn log);
std::unique_ptr<FollowupStore> make_sqlite_followup(Db& db, LogFn log);

}  // namespace hrtrack::store
