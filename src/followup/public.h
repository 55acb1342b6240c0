// What the public side shows of the follow-up, decided in one place: published plans, updates
// and assessments (is_public), responsible institutions, clusters and the official status (public
// once set). The search index reads public_followup(); every operation that changes any of it
// calls public_changed() in its transaction, so that the index is rebuilt (and only then:
// drafts and reviews do not make searches wait).
#pragma once
#include <map>
#include <string>

#include "core/followup.h"
#include "store/store.h"

namespace hrtrack::followup {

// The published follow-up of every recommendation that has any, by uid: responsible
// institutions (direct and through clusters), clusters, the official status, each party's
// latest published assessment (by assessment date, then id), the latest published update's
// date.
std::map<std::string, PublicFollowup> public_followup(Store& store);

// The last_update facet's filter for "followed recommendations whose latest published progress
// update is `months` or more months old (by calendar month) before `today` (YYYY-MM-DD), or that
// have none": "0..YYYYMM".
std::string stale_filter(int months, const std::string& today);

// Marks the public follow-up changed (Store::bump_data_version). Requires an open transaction.
void public_changed(Store& store);

}  // namespace hrtrack::followup
