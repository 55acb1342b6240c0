// SQLite part of the store for the follow-up of recommendations: clusters, assignments, plans
// (actions, indicators, links), progress updates (indicator values, evidence), assessments, the
// official status, review comments and reminders (schema: migrations/004_followup.sql). Every
// value is bound; every write of follow-up data goes to the change log (notifications are
// derived data and are not logged). No method opens a transaction: the callers in src/followup
// wrap their calls in one Store::begin().
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "store/sqlite_parts.h"

namespace hrtrack::store {

namespace {

using ojson = nlohmann::ordered_json;

// At most about `max` bytes of `s`, cut after a whole word (never inside a UTF-8 sequence),
// with "…" when something was left out.
std::string utf8_prefix(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  auto space = s.rfind(' ', cut);
  if (space != std::string::npos && space > max / 2) cut = space;
  return s.substr(0, cut) + "…";
}

// ---- what the change log shows of each row ----

ojson cluster_json(const Cluster& c) {
  ojson j;
  j["name"] = c.name;
  j["description"] = c.description;
  return j;
}

ojson assignment_json(const Assignment& a) {
  ojson j;
  j["rec_uid"] = a.rec_uid;
  j["cluster_id"] = a.cluster_id;
  j["institution_id"] = a.institution_id;
  j["role"] = a.role;
  return j;
}

ojson plan_json(const Plan& p) {
  ojson j;
  j["rec_uid"] = p.rec_uid;
  j["cluster_id"] = p.cluster_id;
  j["institution_id"] = p.institution_id;
  j["title"] = p.title;
  j["expected_results"] = p.expected_results;
  j["state"] = p.state;
  j["author_id"] = p.author_id;
  return j;
}

// The fields update_plan saves.
ojson plan_edit_json(const Plan& p) {
  ojson j;
  j["title"] = p.title;
  j["expected_results"] = p.expected_results;
  j["institution_id"] = p.institution_id;
  return j;
}

ojson action_json(const PlanAction& a) {
  ojson j;
  j["plan_id"] = a.plan_id;
  j["description"] = a.description;
  j["institution_id"] = a.institution_id;
  j["start_date"] = a.start_date;
  j["end_date"] = a.end_date;
  j["cost"] = a.cost;
  j["currency"] = a.currency;
  j["funding_source"] = a.funding_source;
  j["budget_line"] = a.budget_line;
  return j;
}

ojson indicator_json(const Indicator& i) {
  ojson j;
  j["plan_id"] = i.plan_id;
  j["name"] = i.name;
  j["baseline"] = i.baseline;
  j["target"] = i.target;
  j["unit"] = i.unit;
  j["means_of_verification"] = i.means_of_verification;
  j["frequency_months"] = i.frequency_months;
  j["disaggregation"] = i.disaggregation;
  return j;
}

ojson link_json(const PlanLink& l) {
  ojson j;
  j["plan_id"] = l.plan_id;
  j["policy_item_id"] = l.policy_item_id;
  j["sdg_target"] = l.sdg_target;
  return j;
}

ojson values_json(const std::map<std::int64_t, std::string>& values) {
  ojson j = ojson::object();
  for (const auto& [k, v] : values) j[id_text(k)] = v;
  return j;
}

ojson update_json(const ProgressUpdate& u) {
  ojson j;
  j["rec_uid"] = u.rec_uid;
  j["plan_id"] = u.plan_id;
  j["institution_id"] = u.institution_id;
  j["author_id"] = u.author_id;
  j["update_date"] = u.update_date;
  j["measure_type"] = u.measure_type;
  j["description"] = u.description;
  j["state"] = u.state;
  j["values"] = values_json(u.values);
  return j;
}

// The fields update_update saves.
ojson update_edit_json(const ProgressUpdate& u) {
  ojson j;
  j["update_date"] = u.update_date;
  j["measure_type"] = u.measure_type;
  j["description"] = u.description;
  j["plan_id"] = u.plan_id;
  j["values"] = values_json(u.values);
  return j;
}

ojson evidence_json(const Evidence& e) {
  ojson j;
  j["update_id"] = e.update_id;
  j["kind"] = e.kind;
  j["url"] = e.url;
  j["filename"] = e.filename;
  j["content_type"] = e.content_type;
  j["size"] = e.size;
  j["sha256"] = e.sha256;
  return j;
}

ojson assessment_json(const Assessment& a) {
  ojson j;
  j["rec_uid"] = a.rec_uid;
  j["party"] = a.party;
  j["institution_id"] = a.institution_id;
  j["author_id"] = a.author_id;
  j["status"] = a.status;
  j["assessed_on"] = a.assessed_on;
  j["justification"] = a.justification;
  j["protected"] = a.is_protected;
  j["state"] = a.state;
  return j;
}

// The fields update_assessment saves.
ojson assessment_edit_json(const Assessment& a) {
  ojson j;
  j["status"] = a.status;
  j["assessed_on"] = a.assessed_on;
  j["justification"] = a.justification;
  j["protected"] = a.is_protected;
  return j;
}

// The tables whose rows go through the review workflow: fixed SQL, never built from input.
struct StateTable {
  const char* entity;
  const char* select_state;
  const char* update_state;
};
constexpr StateTable kStateTables[] = {
    {"plan", "SELECT state FROM plan WHERE id = ?",
     "UPDATE plan SET state = ?, updated_at = ? WHERE id = ?"},
    {"progress_update", "SELECT state FROM progress_update WHERE id = ?",
     "UPDATE progress_update SET state = ?, updated_at = ? WHERE id = ?"},
    {"assessment", "SELECT state FROM assessment WHERE id = ?",
     "UPDATE assessment SET state = ?, updated_at = ? WHERE id = ?"},
};

const StateTable* state_table(const std::string& entity) {
  for (const auto& t : kStateTables)
    if (entity == t.entity) return &t;
  return nullptr;
}

class SqliteFollowup final : public FollowupStore {
 public:
  SqliteFollowup(Db& db, LogFn log) : db_(db), log_(std::move(log)) {}

  // ---- checks giving clearer errors than a failed foreign key ----
  void require_recommendation(const std::string& uid) {
    // Visible records only: not one an import is still writing (store/sqlite_store.cpp).
    auto s = db_.prepare(
        "SELECT 1 FROM recommendation WHERE uid = ? AND (import_id IS NULL OR import_id NOT IN "
        "(SELECT id FROM import WHERE state <> 'done'))");
    s.bind(1, uid);
    if (!s.step()) throw InvalidArgument("'" + uid + "' is not a recommendation");
  }

  void require_cluster(std::int64_t id) {
    auto s = db_.prepare("SELECT 1 FROM cluster WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw NotFound("no cluster with id " + id_text(id));
  }

  // A row is about one recommendation or one cluster, never both, never neither.
  void require_target(const std::string& rec_uid, std::int64_t cluster_id,
                      const std::string& what) {
    if (rec_uid.empty() == (cluster_id == 0))
      throw InvalidArgument(what + " must be for one recommendation or for one cluster");
    if (!rec_uid.empty()) {
      require_recommendation(rec_uid);
    } else {
      require_cluster(cluster_id);
    }
  }

  // ---- clusters ----
  static constexpr const char* kClusterSelect =
      "SELECT c.id, c.name, c.description, c.created_by, c.created_at, c.updated_at, "
      "(SELECT COUNT(*) FROM cluster_member m WHERE m.cluster_id = c.id) FROM cluster c ";

  static Cluster read_cluster(const Stmt& s) {
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

  std::int64_t add_cluster(Cluster& c, const std::string& actor) override {
    c.created_at = c.updated_at = now_iso();
    if (c.created_by.empty()) c.created_by = actor;
    db_.prepare(
           "INSERT INTO cluster(name, description, created_by, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?)")
        .bind(1, c.name)
        .bind(2, c.description)
        .bind(3, c.created_by)
        .bind(4, c.created_at)
        .bind(5, c.updated_at)
        .run();
    c.id = db_.last_insert_rowid();
    c.size = 0;
    log_created(log_, actor, "cluster", id_text(c.id), cluster_json(c));
    return c.id;
  }

  void update_cluster(const Cluster& c, const std::string& actor) override {
    auto old = cluster(c.id);
    if (!old) throw NotFound("no cluster with id " + id_text(c.id));
    db_.prepare("UPDATE cluster SET name = ?, description = ?, updated_at = ? WHERE id = ?")
        .bind(1, c.name)
        .bind(2, c.description)
        .bind(3, now_iso())
        .bind(4, c.id)
        .run();
    log_diff(log_, actor, "cluster", id_text(c.id), cluster_json(*old), cluster_json(c));
  }

  std::optional<Cluster> cluster(std::int64_t id) override {
    auto s = db_.prepare(std::string(kClusterSelect) + "WHERE c.id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_cluster(s);
  }

  std::vector<Cluster> clusters() override {
    auto s = db_.prepare(std::string(kClusterSelect) + "ORDER BY c.name COLLATE NOCASE, c.id");
    std::vector<Cluster> out;
    while (s.step()) out.push_back(read_cluster(s));
    return out;
  }

  long add_members(std::int64_t cluster_id, const std::vector<std::string>& uids,
                   const std::string& actor) override {
    require_cluster(cluster_id);
    for (const auto& uid : uids) require_recommendation(uid);
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

  void remove_member(std::int64_t cluster_id, const std::string& uid,
                     const std::string& actor) override {
    db_.prepare("DELETE FROM cluster_member WHERE cluster_id = ? AND rec_uid = ?")
        .bind(1, cluster_id)
        .bind(2, uid)
        .run();
    if (db_.changes() == 0) return;  // not a member: nothing to do
    log_field(log_, actor, "cluster", id_text(cluster_id), "member", uid, std::nullopt);
  }

  std::vector<std::string> members(std::int64_t cluster_id) override {
    auto s =
        db_.prepare("SELECT rec_uid FROM cluster_member WHERE cluster_id = ? ORDER BY rec_uid");
    s.bind(1, cluster_id);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
  }

  std::vector<std::int64_t> clusters_of(const std::string& uid) override {
    auto s =
        db_.prepare("SELECT cluster_id FROM cluster_member WHERE rec_uid = ? ORDER BY cluster_id");
    s.bind(1, uid);
    std::vector<std::int64_t> out;
    while (s.step()) out.push_back(s.int64(0));
    return out;
  }

  // ---- assignments ----
  static constexpr const char* kAssignmentCols =
      "id, rec_uid, cluster_id, institution_id, role, created_at";

  static Assignment read_assignment(const Stmt& s) {
    Assignment a;
    a.id = s.int64(0);
    a.rec_uid = s.text(1);
    a.cluster_id = ref(s, 2);
    a.institution_id = s.int64(3);
    a.role = s.text(4);
    a.created_at = s.text(5);
    return a;
  }

  std::vector<Assignment> read_assignments(Stmt& s) {
    std::vector<Assignment> out;
    while (s.step()) out.push_back(read_assignment(s));
    return out;
  }

  std::int64_t add_assignment(Assignment& a, const std::string& actor) override {
    require_target(a.rec_uid, a.cluster_id, "an assignment");
    {
      // The same test as the unique index assignment_target.
      auto s = db_.prepare(
          "SELECT 1 FROM assignment WHERE COALESCE(rec_uid, '') = ? AND "
          "COALESCE(cluster_id, 0) = ? AND institution_id = ?");
      s.bind(1, a.rec_uid).bind(2, a.cluster_id).bind(3, a.institution_id);
      if (s.step())
        throw InvalidArgument(std::string("that institution is already assigned to this ") +
                              (a.rec_uid.empty() ? "cluster" : "recommendation"));
    }
    a.created_at = now_iso();
    auto s = db_.prepare(
        "INSERT INTO assignment(rec_uid, cluster_id, institution_id, role, created_at) "
        "VALUES (?, ?, ?, ?, ?)");
    bind_text_ref(s, 1, a.rec_uid);
    bind_ref(s, 2, a.cluster_id);
    s.bind(3, a.institution_id).bind(4, a.role).bind(5, a.created_at);
    s.run();
    a.id = db_.last_insert_rowid();
    log_created(log_, actor, "assignment", id_text(a.id), assignment_json(a));
    return a.id;
  }

  void remove_assignment(std::int64_t id, const std::string& actor) override {
    auto old = assignment(id);
    if (!old) throw NotFound("no assignment with id " + id_text(id));
    db_.prepare("DELETE FROM assignment WHERE id = ?").bind(1, id).run();
    log_deleted(log_, actor, "assignment", id_text(id), assignment_json(*old));
  }

  std::optional<Assignment> assignment(std::int64_t id) override {
    auto s =
        db_.prepare(std::string("SELECT ") + kAssignmentCols + " FROM assignment WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_assignment(s);
  }

  std::vector<Assignment> assignments_for(const std::string& uid) override {
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

  std::vector<Assignment> assignments_of_cluster(std::int64_t cluster_id) override {
    auto s = db_.prepare(std::string("SELECT ") + kAssignmentCols +
                         " FROM assignment WHERE cluster_id = ? ORDER BY id");
    s.bind(1, cluster_id);
    return read_assignments(s);
  }

  // ---- national plans and their items ----
  std::int64_t add_policy_plan(PolicyPlan& p, const std::string& actor) override {
    db_.prepare("INSERT INTO policy_plan(kind, name, period) VALUES (?, ?, ?)")
        .bind(1, p.kind)
        .bind(2, p.name)
        .bind(3, p.period)
        .run();
    p.id = db_.last_insert_rowid();
    ojson j;
    j["kind"] = p.kind;
    j["name"] = p.name;
    j["period"] = p.period;
    log_created(log_, actor, "policy_plan", id_text(p.id), j);
    return p.id;
  }

  std::int64_t add_policy_item(PolicyItem& i, const std::string& actor) override {
    {
      auto s = db_.prepare("SELECT 1 FROM policy_item WHERE policy_plan_id = ? AND code = ?");
      s.bind(1, i.policy_plan_id).bind(2, i.code);
      if (s.step())
        throw InvalidArgument("the code '" + i.code + "' is already used in this national plan");
    }
    db_.prepare("INSERT INTO policy_item(policy_plan_id, code, title) VALUES (?, ?, ?)")
        .bind(1, i.policy_plan_id)
        .bind(2, i.code)
        .bind(3, i.title)
        .run();
    i.id = db_.last_insert_rowid();
    ojson j;
    j["policy_plan_id"] = i.policy_plan_id;
    j["code"] = i.code;
    j["title"] = i.title;
    log_created(log_, actor, "policy_item", id_text(i.id), j);
    return i.id;
  }

  void update_policy_item(const PolicyItem& i, const std::string& actor) override {
    auto s = db_.prepare("SELECT code, title FROM policy_item WHERE id = ?");
    s.bind(1, i.id);
    if (!s.step()) throw NotFound("no national plan item with id " + id_text(i.id));
    ojson before;
    before["code"] = s.text(0);
    before["title"] = s.text(1);
    db_.prepare("UPDATE policy_item SET code = ?, title = ? WHERE id = ?")
        .bind(1, i.code)
        .bind(2, i.title)
        .bind(3, i.id)
        .run();
    ojson after;
    after["code"] = i.code;
    after["title"] = i.title;
    log_diff(log_, actor, "policy_item", id_text(i.id), before, after);
  }

  std::vector<PolicyPlan> policy_plans() override {
    auto s = db_.prepare(
        "SELECT id, kind, name, period FROM policy_plan ORDER BY kind, name COLLATE NOCASE, id");
    std::vector<PolicyPlan> out;
    while (s.step()) {
      PolicyPlan p;
      p.id = s.int64(0);
      p.kind = s.text(1);
      p.name = s.text(2);
      p.period = s.text(3);
      out.push_back(std::move(p));
    }
    return out;
  }

  std::vector<PolicyItem> policy_items() override {
    auto s = db_.prepare(
        "SELECT id, policy_plan_id, code, title FROM policy_item ORDER BY policy_plan_id, code, "
        "id");
    std::vector<PolicyItem> out;
    while (s.step()) {
      PolicyItem i;
      i.id = s.int64(0);
      i.policy_plan_id = s.int64(1);
      i.code = s.text(2);
      i.title = s.text(3);
      out.push_back(std::move(i));
    }
    return out;
  }

  // ---- plans ----
  static constexpr const char* kPlanCols =
      "id, rec_uid, cluster_id, institution_id, title, expected_results, state, author_id, "
      "created_at, updated_at";
  static constexpr const char* kActionCols =
      "id, plan_id, institution_id, description, start_date, end_date, cost, currency, "
      "funding_source, budget_line";
  static constexpr const char* kIndicatorCols =
      "id, plan_id, name, baseline, target, unit, means_of_verification, disaggregation, "
      "frequency_months";
  static constexpr const char* kLinkCols = "id, plan_id, policy_item_id, sdg_target";

  static Plan read_plan(const Stmt& s) {
    Plan p;
    p.id = s.int64(0);
    p.rec_uid = s.text(1);
    p.cluster_id = ref(s, 2);
    p.institution_id = s.int64(3);
    p.title = s.text(4);
    p.expected_results = s.text(5);
    p.state = s.text(6);
    p.author_id = ref(s, 7);
    p.created_at = s.text(8);
    p.updated_at = s.text(9);
    return p;
  }

  static PlanAction read_action(const Stmt& s) {
    PlanAction a;
    a.id = s.int64(0);
    a.plan_id = s.int64(1);
    a.institution_id = s.int64(2);
    a.description = s.text(3);
    a.start_date = s.text(4);
    a.end_date = s.text(5);
    a.cost = s.text(6);
    a.currency = s.text(7);
    a.funding_source = s.text(8);
    a.budget_line = s.text(9);
    return a;
  }

  static Indicator read_indicator(const Stmt& s) {
    Indicator i;
    i.id = s.int64(0);
    i.plan_id = s.int64(1);
    i.name = s.text(2);
    i.baseline = s.text(3);
    i.target = s.text(4);
    i.unit = s.text(5);
    i.means_of_verification = s.text(6);
    i.disaggregation = s.text(7);
    i.frequency_months = static_cast<int>(s.int64(8));
    return i;
  }

  static PlanLink read_link(const Stmt& s) {
    PlanLink l;
    l.id = s.int64(0);
    l.plan_id = s.int64(1);
    l.policy_item_id = ref(s, 2);
    l.sdg_target = s.text(3);
    return l;
  }

  // Reads the plans of `s` and fills their actions, indicators and links (three statements,
  // each prepared once and run per plan on its index).
  std::vector<Plan> read_plans(Stmt& s) {
    std::vector<Plan> out;
    while (s.step()) out.push_back(read_plan(s));
    if (out.empty()) return out;
    auto actions = db_.prepare(std::string("SELECT ") + kActionCols +
                               " FROM plan_action WHERE plan_id = ? ORDER BY id");
    auto indicators = db_.prepare(std::string("SELECT ") + kIndicatorCols +
                                  " FROM indicator WHERE plan_id = ? ORDER BY id");
    auto links = db_.prepare(std::string("SELECT ") + kLinkCols +
                             " FROM plan_link WHERE plan_id = ? ORDER BY id");
    for (auto& p : out) {
      actions.bind(1, p.id);
      while (actions.step()) p.actions.push_back(read_action(actions));
      actions.reset();
      indicators.bind(1, p.id);
      while (indicators.step()) p.indicators.push_back(read_indicator(indicators));
      indicators.reset();
      links.bind(1, p.id);
      while (links.step()) p.links.push_back(read_link(links));
      links.reset();
    }
    return out;
  }

  std::int64_t add_plan(Plan& p, const std::string& actor) override {
    require_target(p.rec_uid, p.cluster_id, "a plan");
    if (p.state.empty()) p.state = "draft";
    p.created_at = p.updated_at = now_iso();
    auto s = db_.prepare(
        "INSERT INTO plan(rec_uid, cluster_id, institution_id, title, expected_results, state, "
        "author_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    bind_text_ref(s, 1, p.rec_uid);
    bind_ref(s, 2, p.cluster_id);
    s.bind(3, p.institution_id).bind(4, p.title).bind(5, p.expected_results).bind(6, p.state);
    bind_ref(s, 7, p.author_id);
    s.bind(8, p.created_at).bind(9, p.updated_at);
    s.run();
    p.id = db_.last_insert_rowid();
    log_created(log_, actor, "plan", id_text(p.id), plan_json(p));
    return p.id;
  }

  void update_plan(const Plan& p, const std::string& actor) override {
    auto old = plan_row(p.id);
    if (!old) throw NotFound("no plan with id " + id_text(p.id));
    db_.prepare(
           "UPDATE plan SET title = ?, expected_results = ?, institution_id = ?, updated_at = ? "
           "WHERE id = ?")
        .bind(1, p.title)
        .bind(2, p.expected_results)
        .bind(3, p.institution_id)
        .bind(4, now_iso())
        .bind(5, p.id)
        .run();
    log_diff(log_, actor, "plan", id_text(p.id), plan_edit_json(*old), plan_edit_json(p));
  }

  // The plan's own row, without children.
  std::optional<Plan> plan_row(std::int64_t id) {
    auto s = db_.prepare(std::string("SELECT ") + kPlanCols + " FROM plan WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_plan(s);
  }

  std::optional<Plan> plan(std::int64_t id) override {
    auto s = db_.prepare(std::string("SELECT ") + kPlanCols + " FROM plan WHERE id = ?");
    s.bind(1, id);
    auto v = read_plans(s);
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
  }

  std::vector<Plan> plans_for(const std::string& uid) override {
    auto s = db_.prepare(std::string("SELECT ") + kPlanCols +
                         " FROM plan WHERE rec_uid = ? OR cluster_id IN "
                         "(SELECT cluster_id FROM cluster_member WHERE rec_uid = ?) ORDER BY id");
    s.bind(1, uid).bind(2, uid);
    return read_plans(s);
  }

  std::vector<Plan> plans_of_cluster(std::int64_t cluster_id) override {
    auto s = db_.prepare(std::string("SELECT ") + kPlanCols +
                         " FROM plan WHERE cluster_id = ? ORDER BY id");
    s.bind(1, cluster_id);
    return read_plans(s);
  }

  std::vector<Plan> all_plans() override {
    auto s = db_.prepare(std::string("SELECT ") + kPlanCols + " FROM plan ORDER BY id");
    return read_plans(s);
  }

  std::int64_t add_action(PlanAction& a, const std::string& actor) override {
    db_.prepare(
           "INSERT INTO plan_action(plan_id, description, institution_id, start_date, end_date, "
           "cost, currency, funding_source, budget_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, a.plan_id)
        .bind(2, a.description)
        .bind(3, a.institution_id)
        .bind(4, a.start_date)
        .bind(5, a.end_date)
        .bind(6, a.cost)
        .bind(7, a.currency)
        .bind(8, a.funding_source)
        .bind(9, a.budget_line)
        .run();
    a.id = db_.last_insert_rowid();
    log_created(log_, actor, "plan_action", id_text(a.id), action_json(a));
    return a.id;
  }

  std::int64_t add_indicator(Indicator& i, const std::string& actor) override {
    db_.prepare(
           "INSERT INTO indicator(plan_id, name, baseline, target, unit, means_of_verification, "
           "frequency_months, disaggregation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, i.plan_id)
        .bind(2, i.name)
        .bind(3, i.baseline)
        .bind(4, i.target)
        .bind(5, i.unit)
        .bind(6, i.means_of_verification)
        .bind(7, i.frequency_months)
        .bind(8, i.disaggregation)
        .run();
    i.id = db_.last_insert_rowid();
    log_created(log_, actor, "indicator", id_text(i.id), indicator_json(i));
    return i.id;
  }

  std::int64_t add_link(PlanLink& l, const std::string& actor) override {
    if ((l.policy_item_id == 0) == l.sdg_target.empty())
      throw InvalidArgument("a link is to one national plan item or to one SDG target");
    auto s =
        db_.prepare("INSERT INTO plan_link(plan_id, policy_item_id, sdg_target) VALUES (?, ?, ?)");
    s.bind(1, l.plan_id);
    bind_ref(s, 2, l.policy_item_id);
    bind_text_ref(s, 3, l.sdg_target);
    s.run();
    l.id = db_.last_insert_rowid();
    log_created(log_, actor, "plan_link", id_text(l.id), link_json(l));
    return l.id;
  }

  void delete_plan_part(const std::string& entity, std::int64_t id,
                        const std::string& actor) override {
    ojson before;
    if (entity == "plan_action") {
      auto s = db_.prepare(std::string("SELECT ") + kActionCols + " FROM plan_action WHERE id = ?");
      s.bind(1, id);
      if (!s.step()) throw NotFound("no plan action with id " + id_text(id));
      before = action_json(read_action(s));
      s.reset();
      db_.prepare("DELETE FROM plan_action WHERE id = ?").bind(1, id).run();
    } else if (entity == "indicator") {
      auto s =
          db_.prepare(std::string("SELECT ") + kIndicatorCols + " FROM indicator WHERE id = ?");
      s.bind(1, id);
      if (!s.step()) throw NotFound("no indicator with id " + id_text(id));
      before = indicator_json(read_indicator(s));
      s.reset();
      db_.prepare("DELETE FROM indicator_value WHERE indicator_id = ?").bind(1, id).run();
      db_.prepare("DELETE FROM indicator WHERE id = ?").bind(1, id).run();
    } else if (entity == "plan_link") {
      auto s = db_.prepare(std::string("SELECT ") + kLinkCols + " FROM plan_link WHERE id = ?");
      s.bind(1, id);
      if (!s.step()) throw NotFound("no plan link with id " + id_text(id));
      before = link_json(read_link(s));
      s.reset();
      db_.prepare("DELETE FROM plan_link WHERE id = ?").bind(1, id).run();
    } else {
      throw InvalidArgument("'" + entity + "' is not a part of a plan");
    }
    log_deleted(log_, actor, entity, id_text(id), before);
  }

  // ---- progress updates ----
  static constexpr const char* kUpdateCols =
      "id, rec_uid, plan_id, institution_id, author_id, update_date, measure_type, description, "
      "state, created_at, updated_at";
  static constexpr const char* kEvidenceCols =
      "id, update_id, kind, url, filename, content_type, size, sha256, created_at";

  static ProgressUpdate read_update(const Stmt& s) {
    ProgressUpdate u;
    u.id = s.int64(0);
    u.rec_uid = s.text(1);
    u.plan_id = ref(s, 2);
    u.institution_id = s.int64(3);
    u.author_id = ref(s, 4);
    u.update_date = s.text(5);
    u.measure_type = s.text(6);
    u.description = s.text(7);
    u.state = s.text(8);
    u.created_at = s.text(9);
    u.updated_at = s.text(10);
    return u;
  }

  static Evidence read_evidence(const Stmt& s) {
    Evidence e;
    e.id = s.int64(0);
    e.update_id = s.int64(1);
    e.kind = s.text(2);
    e.url = s.text(3);
    e.filename = s.text(4);
    e.content_type = s.text(5);
    e.size = s.int64(6);
    e.sha256 = s.text(7);
    e.created_at = s.text(8);
    return e;
  }

  // Reads the updates of `s` and fills their indicator values and evidence.
  std::vector<ProgressUpdate> read_updates(Stmt& s) {
    std::vector<ProgressUpdate> out;
    while (s.step()) out.push_back(read_update(s));
    if (out.empty()) return out;
    auto values =
        db_.prepare("SELECT indicator_id, value FROM indicator_value WHERE update_id = ?");
    auto evidence = db_.prepare(std::string("SELECT ") + kEvidenceCols +
                                " FROM evidence WHERE update_id = ? ORDER BY id");
    for (auto& u : out) {
      values.bind(1, u.id);
      while (values.step()) u.values[values.int64(0)] = values.text(1);
      values.reset();
      evidence.bind(1, u.id);
      while (evidence.step()) u.evidence.push_back(read_evidence(evidence));
      evidence.reset();
    }
    return out;
  }

  void save_values(std::int64_t update_id, const std::map<std::int64_t, std::string>& values) {
    auto s =
        db_.prepare("INSERT INTO indicator_value(update_id, indicator_id, value) VALUES (?, ?, ?)");
    for (const auto& [indicator, value] : values)
      s.bind(1, update_id).bind(2, indicator).bind(3, value).run();
  }

  std::int64_t add_update(ProgressUpdate& u, const std::string& actor) override {
    require_recommendation(u.rec_uid);
    if (u.state.empty()) u.state = "draft";
    u.created_at = u.updated_at = now_iso();
    auto s = db_.prepare(
        "INSERT INTO progress_update(rec_uid, plan_id, institution_id, author_id, update_date, "
        "measure_type, description, state, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, u.rec_uid);
    bind_ref(s, 2, u.plan_id);
    s.bind(3, u.institution_id);
    bind_ref(s, 4, u.author_id);
    s.bind(5, u.update_date).bind(6, u.measure_type).bind(7, u.description).bind(8, u.state);
    s.bind(9, u.created_at).bind(10, u.updated_at);
    s.run();
    u.id = db_.last_insert_rowid();
    save_values(u.id, u.values);
    log_created(log_, actor, "progress_update", id_text(u.id), update_json(u));
    return u.id;
  }

  void update_update(const ProgressUpdate& u, const std::string& actor) override {
    auto old = update(u.id);
    if (!old) throw NotFound("no progress update with id " + id_text(u.id));
    auto s = db_.prepare(
        "UPDATE progress_update SET update_date = ?, measure_type = ?, description = ?, "
        "plan_id = ?, updated_at = ? WHERE id = ?");
    s.bind(1, u.update_date).bind(2, u.measure_type).bind(3, u.description);
    bind_ref(s, 4, u.plan_id);
    s.bind(5, now_iso()).bind(6, u.id);
    s.run();
    db_.prepare("DELETE FROM indicator_value WHERE update_id = ?").bind(1, u.id).run();
    save_values(u.id, u.values);
    log_diff(log_, actor, "progress_update", id_text(u.id), update_edit_json(*old),
             update_edit_json(u));
  }

  std::optional<ProgressUpdate> update(std::int64_t id) override {
    auto s =
        db_.prepare(std::string("SELECT ") + kUpdateCols + " FROM progress_update WHERE id = ?");
    s.bind(1, id);
    auto v = read_updates(s);
    if (v.empty()) return std::nullopt;
    return std::move(v.front());
  }

  std::vector<ProgressUpdate> updates_for(const std::string& uid) override {
    auto s = db_.prepare(std::string("SELECT ") + kUpdateCols +
                         " FROM progress_update WHERE rec_uid = ? ORDER BY update_date, id");
    s.bind(1, uid);
    return read_updates(s);
  }

  std::vector<ProgressUpdate> updates_of_plan(std::int64_t plan_id) override {
    auto s = db_.prepare(std::string("SELECT ") + kUpdateCols +
                         " FROM progress_update WHERE plan_id = ? ORDER BY update_date, id");
    s.bind(1, plan_id);
    return read_updates(s);
  }

  std::int64_t add_evidence(Evidence& e, const std::string& actor) override {
    e.created_at = now_iso();
    db_.prepare(
           "INSERT INTO evidence(update_id, kind, url, filename, content_type, size, sha256, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, e.update_id)
        .bind(2, e.kind)
        .bind(3, e.url)
        .bind(4, e.filename)
        .bind(5, e.content_type)
        .bind(6, e.size)
        .bind(7, e.sha256)
        .bind(8, e.created_at)
        .run();
    e.id = db_.last_insert_rowid();
    log_created(log_, actor, "evidence", id_text(e.id), evidence_json(e));
    return e.id;
  }

  std::optional<Evidence> evidence(std::int64_t id) override {
    auto s = db_.prepare(std::string("SELECT ") + kEvidenceCols + " FROM evidence WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_evidence(s);
  }

  // ---- assessments and the official status ----
  static constexpr const char* kAssessmentCols =
      "id, rec_uid, party, institution_id, author_id, status, assessed_on, justification, "
      "protected, state, created_at, updated_at";

  static Assessment read_assessment(const Stmt& s) {
    Assessment a;
    a.id = s.int64(0);
    a.rec_uid = s.text(1);
    a.party = s.text(2);
    a.institution_id = s.int64(3);
    a.author_id = ref(s, 4);
    a.status = s.text(5);
    a.assessed_on = s.text(6);
    a.justification = s.text(7);
    a.is_protected = s.int64(8) != 0;
    a.state = s.text(9);
    a.created_at = s.text(10);
    a.updated_at = s.text(11);
    return a;
  }

  std::int64_t add_assessment(Assessment& a, const std::string& actor) override {
    require_recommendation(a.rec_uid);
    if (a.state.empty()) a.state = "draft";
    a.created_at = a.updated_at = now_iso();
    auto s = db_.prepare(
        "INSERT INTO assessment(rec_uid, party, institution_id, author_id, status, assessed_on, "
        "justification, protected, state, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, a.rec_uid).bind(2, a.party).bind(3, a.institution_id);
    bind_ref(s, 4, a.author_id);
    s.bind(5, a.status).bind(6, a.assessed_on).bind(7, a.justification);
    s.bind(8, a.is_protected ? 1 : 0).bind(9, a.state).bind(10, a.created_at);
    s.bind(11, a.updated_at);
    s.run();
    a.id = db_.last_insert_rowid();
    log_created(log_, actor, "assessment", id_text(a.id), assessment_json(a));
    return a.id;
  }

  void update_assessment(const Assessment& a, const std::string& actor) override {
    auto old = assessment(a.id);
    if (!old) throw NotFound("no assessment with id " + id_text(a.id));
    db_.prepare(
           "UPDATE assessment SET status = ?, assessed_on = ?, justification = ?, protected = ?, "
           "updated_at = ? WHERE id = ?")
        .bind(1, a.status)
        .bind(2, a.assessed_on)
        .bind(3, a.justification)
        .bind(4, a.is_protected ? 1 : 0)
        .bind(5, now_iso())
        .bind(6, a.id)
        .run();
    log_diff(log_, actor, "assessment", id_text(a.id), assessment_edit_json(*old),
             assessment_edit_json(a));
  }

  std::optional<Assessment> assessment(std::int64_t id) override {
    auto s =
        db_.prepare(std::string("SELECT ") + kAssessmentCols + " FROM assessment WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return read_assessment(s);
  }

  std::vector<Assessment> assessments_for(const std::string& uid) override {
    auto s = db_.prepare(std::string("SELECT ") + kAssessmentCols +
                         " FROM assessment WHERE rec_uid = ? ORDER BY assessed_on, id");
    s.bind(1, uid);
    std::vector<Assessment> out;
    while (s.step()) out.push_back(read_assessment(s));
    return out;
  }

  void set_official_status(const OfficialStatus& st, const std::string& actor) override {
    require_recommendation(st.rec_uid);
    auto old = official_status(st.rec_uid);
    db_.prepare(
           "INSERT INTO official_status(rec_uid, status, justification, set_by, set_at) "
           "VALUES (?, ?, ?, ?, ?) ON CONFLICT(rec_uid) DO UPDATE SET status = excluded.status, "
           "justification = excluded.justification, set_by = excluded.set_by, "
           "set_at = excluded.set_at")
        .bind(1, st.rec_uid)
        .bind(2, st.status)
        .bind(3, st.justification)
        .bind(4, st.set_by.empty() ? actor : st.set_by)
        .bind(5, st.set_at.empty() ? now_iso() : st.set_at)
        .run();
    auto as_json = [](const OfficialStatus& o) {
      ojson j;
      j["status"] = o.status;
      j["justification"] = o.justification;
      return j;
    };
    if (old) {
      log_diff(log_, actor, "official_status", st.rec_uid, as_json(*old), as_json(st));
    } else {
      log_created(log_, actor, "official_status", st.rec_uid, as_json(st));
    }
  }

  std::optional<OfficialStatus> official_status(const std::string& uid) override {
    auto s = db_.prepare(
        "SELECT rec_uid, status, justification, set_by, set_at FROM official_status "
        "WHERE rec_uid = ?");
    s.bind(1, uid);
    if (!s.step()) return std::nullopt;
    OfficialStatus o;
    o.rec_uid = s.text(0);
    o.status = s.text(1);
    o.justification = s.text(2);
    o.set_by = s.text(3);
    o.set_at = s.text(4);
    return o;
  }

  // ---- the review workflow ----
  void set_state(const std::string& entity, std::int64_t id, const std::string& state,
                 const std::string& actor) override {
    const StateTable* t = state_table(entity);
    if (!t) throw InvalidArgument("'" + entity + "' has no review state");
    std::string before;
    {
      auto s = db_.prepare(t->select_state);
      s.bind(1, id);
      if (!s.step()) throw NotFound("no " + entity + " with id " + id_text(id));
      before = s.text(0);
    }
    db_.prepare(t->update_state).bind(1, state).bind(2, now_iso()).bind(3, id).run();
    if (before != state) log_field(log_, actor, entity, id_text(id), "state", before, state);
  }

  std::int64_t add_comment(ReviewComment& c, const std::string& actor) override {
    if (!state_table(c.entity))
      throw InvalidArgument("'" + c.entity + "' cannot have review comments");
    c.created_at = now_iso();
    auto s = db_.prepare(
        "INSERT INTO review_comment(entity, entity_id, author_id, author_name, transition, text, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, c.entity).bind(2, c.entity_id);
    bind_ref(s, 3, c.author_id);
    s.bind(4, c.author_name).bind(5, c.transition).bind(6, c.text).bind(7, c.created_at);
    s.run();
    c.id = db_.last_insert_rowid();
    ojson j;
    j["entity"] = c.entity;
    j["entity_id"] = c.entity_id;
    j["transition"] = c.transition;
    j["text"] = c.text;
    j["author_name"] = c.author_name;
    log_created(log_, actor, "review_comment", id_text(c.id), j);
    return c.id;
  }

  std::vector<ReviewComment> comments(const std::string& entity, std::int64_t id) override {
    auto s = db_.prepare(
        "SELECT id, entity, entity_id, author_id, author_name, transition, text, created_at "
        "FROM review_comment WHERE entity = ? AND entity_id = ? ORDER BY id");
    s.bind(1, entity).bind(2, id);
    std::vector<ReviewComment> out;
    while (s.step()) {
      ReviewComment c;
      c.id = s.int64(0);
      c.entity = s.text(1);
      c.entity_id = s.int64(2);
      c.author_id = ref(s, 3);
      c.author_name = s.text(4);
      c.transition = s.text(5);
      c.text = s.text(6);
      c.created_at = s.text(7);
      out.push_back(std::move(c));
    }
    return out;
  }

  std::vector<ReviewItem> review_items(const std::vector<std::string>& states,
                                       std::int64_t institution_id) override {
    if (states.empty()) return {};
    // Numbered parameters: ?1..?n the states, ?n+1 the institution; only the count shapes the
    // SQL, every value is bound.
    const int n = static_cast<int>(states.size());
    std::string in;
    for (int i = 1; i <= n; ++i) in += (i > 1 ? ", ?" : "?") + std::to_string(i);
    const std::string inst = "?" + std::to_string(n + 1);
    const std::string where =
        " WHERE state IN (" + in + ") AND (" + inst + " = 0 OR institution_id = " + inst + ")";
    auto s = db_.prepare(
        "SELECT 'plan', id, COALESCE(rec_uid, ''), COALESCE(cluster_id, 0), institution_id, "
        "state, title, updated_at FROM plan" +
        where +
        " UNION ALL SELECT 'progress_update', id, rec_uid, 0, institution_id, state, "
        "description, updated_at FROM progress_update" +
        where +
        " UNION ALL SELECT 'assessment', id, rec_uid, 0, institution_id, state, "
        "party || ' assessment', updated_at FROM assessment" +
        where + " ORDER BY 8, 1, 2");
    for (int i = 0; i < n; ++i) s.bind(i + 1, states[static_cast<std::size_t>(i)]);
    s.bind(n + 1, institution_id);
    std::vector<ReviewItem> out;
    while (s.step()) {
      ReviewItem r;
      r.entity = s.text(0);
      r.id = s.int64(1);
      r.rec_uid = s.text(2);
      r.cluster_id = s.int64(3);
      r.institution_id = s.int64(4);
      r.state = s.text(5);
      r.title = s.text(6);
      if (r.entity == "progress_update") r.title = utf8_prefix(r.title, 80);
      r.updated_at = s.text(7);
      out.push_back(std::move(r));
    }
    return out;
  }

  // ---- reminders (derived data: not logged) ----
  static constexpr const char* kNotificationCols =
      "n.id, n.user_id, n.kind, n.key, n.message, n.link, n.created_at, n.emailed_at, n.read_at";

  static Notification read_notification(const Stmt& s) {
    Notification n;
    n.id = s.int64(0);
    n.user_id = s.int64(1);
    n.kind = s.text(2);
    n.key = s.text(3);
    n.message = s.text(4);
    n.link = s.text(5);
    n.created_at = s.text(6);
    n.emailed_at = opt_text(s, 7);
    n.read_at = opt_text(s, 8);
    return n;
  }

  bool add_notification(Notification& n) override {
    std::string created = now_iso();
    // ON CONFLICT (rather than OR IGNORE): only the (user, key) duplicate is skipped, a bad
    // kind still fails.
    db_.prepare(
           "INSERT INTO notification(user_id, kind, key, message, link, created_at, emailed_at, "
           "read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(user_id, key) DO NOTHING")
        .bind(1, n.user_id)
        .bind(2, n.kind)
        .bind(3, n.key)
        .bind(4, n.message)
        .bind(5, n.link)
        .bind(6, created)
        .bind_opt(7, n.emailed_at)
        .bind_opt(8, n.read_at)
        .run();
    if (db_.changes() == 0) return false;
    n.id = db_.last_insert_rowid();
    n.created_at = created;
    return true;
  }

  std::vector<Notification> notifications_of(std::int64_t user_id, bool unread_only) override {
    auto s = db_.prepare(std::string("SELECT ") + kNotificationCols +
                         " FROM notification n WHERE n.user_id = ? AND (? = 0 OR n.read_at IS "
                         "NULL) ORDER BY n.created_at DESC, n.id DESC");
    s.bind(1, user_id).bind(2, unread_only ? 1 : 0);
    std::vector<Notification> out;
    while (s.step()) out.push_back(read_notification(s));
    return out;
  }

  std::vector<Notification> unemailed() override {
    auto s = db_.prepare(std::string("SELECT ") + kNotificationCols +
                         " FROM notification n JOIN app_user u ON u.id = n.user_id "
                         "WHERE n.emailed_at IS NULL AND u.email <> '' AND u.disabled_at IS NULL "
                         "ORDER BY n.id");
    std::vector<Notification> out;
    while (s.step()) out.push_back(read_notification(s));
    return out;
  }

  void mark_emailed(std::int64_t id, const std::string& at) override {
    db_.prepare("UPDATE notification SET emailed_at = ? WHERE id = ?")
        .bind(1, at)
        .bind(2, id)
        .run();
  }

  void mark_read(std::int64_t user_id, std::int64_t id, const std::string& at) override {
    db_.prepare(
           "UPDATE notification SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL")
        .bind(1, at)
        .bind(2, id)
        .bind(3, user_id)
        .run();
  }

  // ---- the public search index ----
  void for_each_public(
      const std::function<void(const std::string& uid, const PublicFollowup&)>& fn) override {
    std::map<std::string, PublicFollowup> all;
    {  // responsible institutions, directly
      auto s =
          db_.prepare("SELECT rec_uid, institution_id FROM assignment WHERE rec_uid IS NOT NULL");
      while (s.step()) all[s.text(0)].institutions.insert(s.int64(1));
    }
    {  // responsible institutions, through clusters
      auto s = db_.prepare(
          "SELECT m.rec_uid, a.institution_id FROM assignment a "
          "JOIN cluster_member m ON m.cluster_id = a.cluster_id WHERE a.cluster_id IS NOT NULL");
      while (s.step()) all[s.text(0)].institutions.insert(s.int64(1));
    }
    {
      auto s = db_.prepare("SELECT rec_uid, cluster_id FROM cluster_member");
      while (s.step()) all[s.text(0)].clusters.insert(s.int64(1));
    }
    {
      auto s = db_.prepare("SELECT rec_uid, status FROM official_status");
      while (s.step()) all[s.text(0)].official_status = s.text(1);
    }
    {  // the latest published assessment of each party wins: read oldest first, overwrite
      auto s = db_.prepare(
          "SELECT rec_uid, party, status FROM assessment WHERE state = 'published' "
          "ORDER BY rec_uid, party, assessed_on, id");
      while (s.step()) all[s.text(0)].assessment[s.text(1)] = s.text(2);
    }
    {
      auto s = db_.prepare(
          "SELECT rec_uid, MAX(update_date) FROM progress_update WHERE state = 'published' "
          "GROUP BY rec_uid");
      while (s.step()) all[s.text(0)].last_update = s.text(1);
    }
    for (const auto& [uid, f] : all) fn(uid, f);
  }

 private:
  Db& db_;
  LogFn log_;
};

}  // namespace

std::unique_ptr<FollowupStore> make_sqlite_followup(Db& db, LogFn log) {
  return std::make_unique<SqliteFollowup>(db, std::move(log));
}

}  // namespace hrtrack::store
