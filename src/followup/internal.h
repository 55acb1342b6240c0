// What the follow-up rules share between their files (not part of the API, followup.h).
#pragma once
#include <string>
#include <vector>

#include "core/error.h"
#include "core/limits.h"
#include "core/text.h"
#include "followup/followup.h"

namespace hrtrack::followup::detail {

// Follow-up texts are written by people in text areas: line breaks are fine. Limits in
// characters (core/limits.h).
void check_text(const std::string& field, const std::string& v, std::size_t max, bool required);
// YYYY-MM-DD with a real day (1945-2100); "" allowed when not required.
void check_date(const std::string& field, const std::string& v, bool required);
// "field: one of a, b (got 'x')".
[[noreturn]] void bad_choice(const std::string& field, const std::string& v,
                             const std::vector<std::string>& allowed);

// A visible, not deleted recommendation, or NotFound.
Recommendation require_record(Store& store, const std::string& uid);
// InvalidArgument "field: no institution with id N" when it does not exist.
Institution require_institution(Store& store, std::int64_t id, const std::string& field);
Cluster require_cluster(Store& store, std::int64_t id);
// Whether the institution is assigned to the recommendation (directly or through a cluster) or
// to the cluster.
bool assigned(Store& store, const std::string& uid, std::int64_t cluster_id,
              std::int64_t institution_id);
// The permission for the institution, and (unless the scope is `any`) its assignment.
void require_responsible(Store& store, const Principal& p, const std::string& action,
                         const std::string& uid, std::int64_t cluster_id,
                         std::int64_t institution_id);
void require_editable(const std::string& what, ItemState state);

Plan load_plan(Store& store, std::int64_t id);
ProgressUpdate load_update(Store& store, std::int64_t id);
Assessment load_assessment(Store& store, std::int64_t id);

inline std::string actor(const Principal& p) {
  return p.username;
}
inline std::int64_t author_id(const Principal& p) {
  return p.user_id > 0 ? p.user_id : 0;
}

}  // namespace hrtrack::followup::detail
