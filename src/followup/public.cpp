#include "followup/public.h"

#include "followup/followup.h"

namespace hrtrack::followup {

std::map<std::string, PublicFollowup> public_followup(Store& store) {
  auto& f = store.followup();
  std::map<std::string, PublicFollowup> all;
  std::map<std::int64_t, std::vector<std::string>> members;
  for (const auto& [uid, cluster] : f.all_members()) {
    all[uid].clusters.insert(cluster);
    members[cluster].push_back(uid);
  }
  for (const auto& a : f.all_assignments()) {
    if (!a.rec_uid.empty()) all[a.rec_uid].institutions.insert(a.institution_id);
    if (a.cluster_id)
      for (const auto& uid : members[a.cluster_id]) all[uid].institutions.insert(a.institution_id);
  }
  for (const auto& s : f.all_official_statuses()) all[s.rec_uid].official_status = s.status;
  // Oldest first: the latest published assessment of each party overwrites the others.
  for (const auto& a : f.assessments_in(ItemState::Published))
    all[a.rec_uid].assessment[a.party] = a.status;
  for (const auto& u : f.updates_in(ItemState::Published)) {
    auto& last = all[u.rec_uid].last_update;
    if (u.update_date > last) last = u.update_date;
  }
  return all;
}

std::string stale_filter(int months, const std::string& today) {
  long total = std::stol(today.substr(0, 4)) * 12 + std::stol(today.substr(5, 2)) - 1 - months;
  long cutoff = (total / 12) * 100 + total % 12 + 1;
  return "0.." + std::to_string(cutoff);
}

void public_changed(Store& store) {
  store.bump_data_version();
}

}  // namespace hrtrack::followup
