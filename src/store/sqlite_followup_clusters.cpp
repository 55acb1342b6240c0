// Clusters, their members, assignments and national plans (SqliteFollowup, sqlite_followup.h).
#include "store/sqlite_followup.h"

namespace hrtrack::store {

namespace {

constexpr const char* kClusterSelect =
    "SELECT c.id, c.name, c.description, c.created_by, c.created_at, c.updated_at, "
    "(SELECT COUNT(*) FROM cluster_member m WHERE m.cluster_id = c.id) FROM cluster c ";

Cluster read_cluster(const Stmt& s) {
  Cluster c;
  c.id = s.int64(0);
  c.name = s.text(1);
  c.description = s.text(2);
  c.created_by = s.text(3);
  c.created_at = s.text(4);
  c.updated_at = s.text(5);
  c.size = static_cast<long>(s.int64(6));
  return c;
}

constexpr const char* kAssignmentCols = "id, rec_uid, cluster_id, institution_id, role, created_at";

Assignment read_assignment(const Stmt& s) {
  Assignment a;
  a.id = s.int64(0);
  a.rec_uid = s.text(1);
  a.cluster_id = ref(s, 2);
  a.institution_id = s.int64(3);
  a.role = column_enum(assignment_role_from_string(s.text_view(4)), "assignment role", s.text(4));
  a.created_at = s.text(5);
  return a;
}

std::vector<Assignment> read_assignments(Stmt& s) {
  std::vector<Assignment> out;
  while (s.step()) out.push_back(read_assignment(s));
  return out;
}

}  // namespace

// ---- clusters ----

std::int64_t SqliteFollowup::add_cluster(Cluster& c, const std::string& actor) {
  c.created_at = c.updated_at = now_iso();
  if (c.created_by.empty()) c.created_by = actor;
  c.id = insert_row(db_, "cluster",
                    {{"name", c.name},
                     {"description", c.description},
                     {"created_by", c.created_by},
                     {"created_at", c.created_at},
                     {"updated_at", c.updated_at}});
  c.size = 0;
  log_new("cluster", id_text(c.id), c, actor);
  return c.id;
}

void SqliteFollowup::update_cluster(const Cluster& c, const std::string& actor) {
  auto old = cluster(c.id);
  if (!old) throw NotFound("no cluster with id " + id_text(c.id));
  update_row(db_, "cluster", c.id,
             {{"name", c.name}, {"description", c.description}, {"updated_at", now_iso()}});
  Cluster after = *old;
  after.name = c.name;
  after.description = c.description;
  log_change("cluster", id_text(c.id), *old, after, actor);
}

std::optional<Cluster> SqliteFollowup::cluster(std::int64_t id) {
  auto s = db_.prepare(std::string(kClusterSelect) + "WHERE c.id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_cluster(s);
}

std::vector<Cluster> SqliteFollowup::clusters() {
  auto s = db_.prepare(std::string(kClusterSelect) + "ORDER BY c.name COLLATE NOCASE, c.id");
  std::vector<Cluster> out;
  while (s.step()) out.push_back(read_cluster(s));
  return out;
}

long SqliteFollowup::add_members(std::int64_t cluster_id, const std::vector<std::string>& uids,
                                 const std::string& actor) {
  if (!cluster(cluster_id)) throw NotFound("no cluster with id " + id_text(cluster_id));
  // ON CONFLICT (rather than OR IGNORE): only an existing membership is skipped.
  auto s = db_.prepare(
      "INSERT INTO cluster_member(cluster_id, rec_uid) VALUES (?, ?) "
      "ON CONFLICT(cluster_id, rec_uid) DO NOTHING");
  long added = 0;
  for (const auto& uid : uids) {
    s.bind(1, cluster_id).bind(2, uid).run();
    if (db_.changes() == 0) continue;
    ++added;
    log_field(log_, actor, "cluster", id_text(cluster_id), "member", std::nullopt, uid);
  }
  return added;
}

void SqliteFollowup::remove_member(std::int64_t cluster_id, const std::string& uid,
                                   const std::string& actor) {
  db_.prepare("DELETE FROM cluster_member WHERE cluster_id = ? AND rec_uid = ?")
      .bind(1, cluster_id)
      .bind(2, uid)
      .run();
  if (db_.changes() == 0) return;  // not a member: nothing to do
  log_field(log_, actor, "cluster", id_text(cluster_id), "member", uid, std::nullopt);
}

std::vector<std::string> SqliteFollowup::members(std::int64_t cluster_id) {
  auto s = db_.prepare("SELECT rec_uid FROM cluster_member WHERE cluster_id = ? ORDER BY rec_uid");
  s.bind(1, cluster_id);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.text(0));
  return out;
}

std::vector<std::int64_t> SqliteFollowup::clusters_of(const std::string& uid) {
  auto s =
      db_.prepare("SELECT cluster_id FROM cluster_member WHERE rec_uid = ? ORDER BY cluster_id");
  s.bind(1, uid);
  std::vector<std::int64_t> out;
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> SqliteFollowup::all_members() {
  auto s =
      db_.prepare("SELECT rec_uid, cluster_id FROM cluster_member ORDER BY rec_uid, cluster_id");
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (s.step()) out.emplace_back(s.text(0), s.int64(1));
  return out;
}

// ---- assignments ----

std::int64_t SqliteFollowup::add_assignment(Assignment& a, const std::string& actor) {
  a.created_at = now_iso();
  a.id = insert_row(db_, "assignment",
                    {{"rec_uid", text_ref_value(a.rec_uid)},
                     {"cluster_id", ref_value(a.cluster_id)},
                     {"institution_id", a.institution_id},
                     {"role", std::string(to_string(a.role))},
                     {"created_at", a.created_at}});
  log_new("assignment", id_text(a.id), a, actor);
  return a.id;
}

void SqliteFollowup::remove_assignment(std::int64_t id, const std::string& actor) {
  auto old = assignment(id);
  if (!old) throw NotFound("no assignment with id " + id_text(id));
  delete_row(db_, "assignment", id);
  log_deleted(log_, actor, "assignment", id_text(id), to_json(*old));
}

std::optional<Assignment> SqliteFollowup::assignment(std::int64_t id) {
  auto s = db_.prepare(std::string("SELECT ") + kAssignmentCols + " FROM assignment WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_assignment(s);
}

std::vector<Assignment> SqliteFollowup::assignments_for(const std::string& uid) {
  // The COALESCE terms match the unique index assignment_target, so both halves search it.
  auto s = db_.prepare(std::string("SELECT ") + kAssignmentCols +
                       " FROM assignment WHERE COALESCE(rec_uid, '') = ? AND rec_uid IS NOT "
                       "NULL UNION SELECT " +
                       kAssignmentCols +
                       " FROM assignment WHERE COALESCE(rec_uid, '') = '' AND "
                       "COALESCE(cluster_id, 0) IN "
                       "(SELECT cluster_id FROM cluster_member WHERE rec_uid = ?) ORDER BY 1");
  s.bind(1, uid).bind(2, uid);
  return read_assignments(s);
}

std::vector<Assignment> SqliteFollowup::assignments_of_cluster(std::int64_t cluster_id) {
  auto s = db_.prepare(std::string("SELECT ") + kAssignmentCols +
                       " FROM assignment WHERE cluster_id = ? ORDER BY id");
  s.bind(1, cluster_id);
  return read_assignments(s);
}

std::vector<Assignment> SqliteFollowup::all_assignments() {
  auto s = db_.prepare(std::string("SELECT ") + kAssignmentCols + " FROM assignment ORDER BY id");
  return read_assignments(s);
}

// ---- national plans and their items ----

std::int64_t SqliteFollowup::add_policy_plan(PolicyPlan& p, const std::string& actor) {
  p.id = insert_row(db_, "policy_plan", {{"kind", p.kind}, {"name", p.name}, {"period", p.period}});
  log_new("policy_plan", id_text(p.id), p, actor);
  return p.id;
}

std::int64_t SqliteFollowup::add_policy_item(PolicyItem& i, const std::string& actor) {
  i.id = insert_row(db_, "policy_item",
                    {{"policy_plan_id", i.policy_plan_id}, {"code", i.code}, {"title", i.title}});
  log_new("policy_item", id_text(i.id), i, actor);
  return i.id;
}

void SqliteFollowup::update_policy_item(const PolicyItem& i, const std::string& actor) {
  std::optional<PolicyItem> old;
  for (auto& x : policy_items())
    if (x.id == i.id) old = x;
  if (!old) throw NotFound("no national plan item with id " + id_text(i.id));
  update_row(db_, "policy_item", i.id, {{"code", i.code}, {"title", i.title}});
  PolicyItem after = *old;
  after.code = i.code;
  after.title = i.title;
  log_change("policy_item", id_text(i.id), *old, after, actor);
}

std::vector<PolicyPlan> SqliteFollowup::policy_plans() {
  auto s = db_.prepare(
      "SELECT id, kind, name, period FROM policy_plan ORDER BY kind, name COLLATE NOCASE, id");
  std::vector<PolicyPlan> out;
  while (s.step()) out.push_back({s.int64(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

std::vector<PolicyItem> SqliteFollowup::policy_items() {
  auto s = db_.prepare(
      "SELECT id, policy_plan_id, code, title FROM policy_item ORDER BY policy_plan_id, code, id");
  std::vector<PolicyItem> out;
  while (s.step()) out.push_back({s.int64(0), s.int64(1), s.text(2), s.text(3)});
  return out;
}

std::unique_ptr<FollowupStore> make_sqlite_followup(Db& db, LogFn log) {
  return std::make_unique<SqliteFollowup>(db, std::move(log));
}

}  // namespace hrtrack::store
