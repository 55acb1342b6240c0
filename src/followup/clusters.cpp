// Clusters of recommendations and the institutions assigned to them or to one recommendation.
#include <set>

#include "followup/internal.h"
#include "followup/public.h"

namespace hrtrack::followup {

using namespace detail;

namespace {

void require_records(Store& store, const std::vector<std::string>& uids) {
  for (const auto& uid : uids) require_record(store, uid);
}

// One institution once per target: a second identical assignment is refused with a reason.
void require_not_assigned(Store& store, const Assignment& a) {
  auto& f = store.followup();
  auto existing =
      a.cluster_id ? f.assignments_of_cluster(a.cluster_id) : f.assignments_for(a.rec_uid);
  for (const auto& x : existing)
    if (x.institution_id == a.institution_id && x.rec_uid == a.rec_uid &&
        x.cluster_id == a.cluster_id)
      throw InvalidArgument(std::string("that institution is already assigned to this ") +
                            (a.rec_uid.empty() ? "cluster" : "recommendation"));
}

Institution require_assignable(Store& store, std::int64_t institution_id) {
  auto inst = require_institution(store, institution_id, "institution");
  if (!assignable(inst))
    throw InvalidArgument(
        "institution: the NHRI and civil-society organisations assess; they are not assigned");
  return inst;
}

}  // namespace

// ---------------- clusters ----------------

Cluster create_cluster(Store& store, const Principal& p, const std::string& name,
                       const std::string& description, const std::vector<std::string>& uids) {
  access::require(p, "cluster.manage");
  check_text("name", name, limits::kName, true);
  check_text("description", description, limits::kText, false);
  require_records(store, uids);
  Cluster c;
  c.name = std::string(trim(name));
  c.description = description;
  c.created_by = actor(p);
  auto txn = store.begin();
  store.followup().add_cluster(c, actor(p));
  c.size = store.followup().add_members(c.id, uids, actor(p));
  public_changed(store);
  txn->commit();
  return c;
}

void edit_cluster(Store& store, const Principal& p, std::int64_t id, const std::string& name,
                  const std::string& description) {
  access::require(p, "cluster.manage");
  auto c = require_cluster(store, id);
  check_text("name", name, limits::kName, true);
  check_text("description", description, limits::kText, false);
  c.name = std::string(trim(name));
  c.description = description;
  auto txn = store.begin();
  store.followup().update_cluster(c, actor(p));
  public_changed(store);
  txn->commit();
}

long add_to_cluster(Store& store, const Principal& p, std::int64_t id,
                    const std::vector<std::string>& uids) {
  access::require(p, "cluster.manage");
  require_cluster(store, id);
  require_records(store, uids);
  auto txn = store.begin();
  long n = store.followup().add_members(id, uids, actor(p));
  if (n) public_changed(store);
  txn->commit();
  return n;
}

void remove_from_cluster(Store& store, const Principal& p, std::int64_t id,
                         const std::string& uid) {
  access::require(p, "cluster.manage");
  require_cluster(store, id);
  auto txn = store.begin();
  store.followup().remove_member(id, uid, actor(p));
  public_changed(store);
  txn->commit();
}

// ---------------- assignments ----------------

Assignment assign(Store& store, const Principal& p, const std::string& uid, std::int64_t cluster_id,
                  std::int64_t institution_id, AssignmentRole role) {
  access::require(p, "assignment.manage");
  require_assignable(store, institution_id);
  if (uid.empty() == (cluster_id == 0))
    throw InvalidArgument("assign to one recommendation or to one cluster");
  if (!uid.empty()) require_record(store, uid);
  if (cluster_id) require_cluster(store, cluster_id);
  Assignment a;
  a.rec_uid = uid;
  a.cluster_id = cluster_id;
  a.institution_id = institution_id;
  a.role = role;
  require_not_assigned(store, a);
  auto txn = store.begin();
  store.followup().add_assignment(a, actor(p));
  public_changed(store);
  txn->commit();
  return a;
}

long assign_many(Store& store, const Principal& p, const std::vector<std::string>& uids,
                 std::int64_t institution_id, AssignmentRole role) {
  access::require(p, "assignment.manage");
  require_assignable(store, institution_id);
  long added = 0;
  auto txn = store.begin();
  for (const auto& uid : uids) {
    require_record(store, uid);
    bool have = false;
    for (const auto& a : store.followup().assignments_for(uid))
      if (a.rec_uid == uid && a.institution_id == institution_id) have = true;
    if (have) continue;
    Assignment a;
    a.rec_uid = uid;
    a.institution_id = institution_id;
    a.role = role;
    store.followup().add_assignment(a, actor(p));
    ++added;
  }
  if (added) public_changed(store);
  txn->commit();
  return added;
}

void unassign(Store& store, const Principal& p, std::int64_t assignment_id) {
  access::require(p, "assignment.manage");
  auto txn = store.begin();
  store.followup().remove_assignment(assignment_id, actor(p));
  public_changed(store);
  txn->commit();
}

std::vector<std::int64_t> responsible_institutions(Store& store, const std::string& uid) {
  std::set<std::int64_t> s;
  for (const auto& a : store.followup().assignments_for(uid)) s.insert(a.institution_id);
  return {s.begin(), s.end()};
}

}  // namespace hrtrack::followup
