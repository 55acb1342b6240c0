// The one JSON form of institutions, users and API tokens: what the API answers and what the
// change log records. Secrets never appear: no password hash, no token hash.
#pragma once
#include <nlohmann/json.hpp>

#include "core/access.h"

namespace hrtrack {

nlohmann::ordered_json to_json(const Institution&);
nlohmann::ordered_json to_json(const User&);  // roles as an array; disabled as a date or null
nlohmann::ordered_json to_json(const ApiToken&);

}  // namespace hrtrack
