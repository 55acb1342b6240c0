// Assessments, the official status, the review workflow's states and comments, the review
// queue's rows and notifications (SqliteFollowup, sqlite_followup.h).
#include "store/sqlite_followup.h"

namespace hrtrack::store {

namespace {

constexpr const char* kAssessmentCols =
    "id, rec_uid, party, institution_id, author_id, status, assessed_on, justification, "
    "protected, state, created_at, updated_at";

Assessment read_assessment(const Stmt& s) {
  Assessment a;
  a.id = s.int64(0);
  a.rec_uid = s.text(1);
  a.party = column_enum(party_from_string(s.text_view(2)), "party", s.text(2));
  a.institution_id = s.int64(3);
  a.author_id = ref(s, 4);
  a.status = column_enum(impl_status_from_string(s.text_view(5)), "status", s.text(5));
  a.assessed_on = s.text(6);
  a.justification = s.text(7);
  a.is_protected = s.int64(8) != 0;
  a.state = column_enum(item_state_from_string(s.text_view(9)), "state", s.text(9));
  a.created_at = s.text(10);
  a.updated_at = s.text(11);
  return a;
}

std::vector<Assessment> read_assessments(Stmt& s) {
  std::vector<Assessment> out;
  while (s.step()) out.push_back(read_assessment(s));
  return out;
}

OfficialStatus read_official(const Stmt& s) {
  OfficialStatus o;
  o.rec_uid = s.text(0);
  o.status = column_enum(impl_status_from_string(s.text_view(1)), "status", s.text(1));
  o.justification = s.text(2);
  o.set_by = s.text(3);
  o.set_at = s.text(4);
  return o;
}

// The tables whose rows go through the review workflow.
const char* table_of(ReviewEntity e) {
  switch (e) {
    case ReviewEntity::Plan:
      return "plan";
    case ReviewEntity::ProgressUpdate:
      return "progress_update";
    case ReviewEntity::Assessment:
      return "assessment";
  }
  return "plan";
}

constexpr const char* kNotificationCols =
    "n.id, n.user_id, n.kind, n.key, n.message, n.link, n.created_at, n.emailed_at, n.read_at";

Notification read_notification(const Stmt& s) {
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

}  // namespace

// ---- assessments and the official status ----

std::int64_t SqliteFollowup::add_assessment(Assessment& a, const std::string& actor) {
  a.created_at = a.updated_at = now_iso();
  a.id = insert_row(db_, "assessment",
                    {{"rec_uid", a.rec_uid},
                     {"party", std::string(to_string(a.party))},
                     {"institution_id", a.institution_id},
                     {"author_id", ref_value(a.author_id)},
                     {"status", std::string(to_string(a.status))},
                     {"assessed_on", a.assessed_on},
                     {"justification", a.justification},
                     {"protected", std::int64_t{a.is_protected ? 1 : 0}},
                     {"state", std::string(to_string(a.state))},
                     {"created_at", a.created_at},
                     {"updated_at", a.updated_at}});
  log_new("assessment", id_text(a.id), a, actor);
  return a.id;
}

void SqliteFollowup::update_assessment(const Assessment& a, const std::string& actor) {
  auto old = assessment(a.id);
  if (!old) throw NotFound("no assessment with id " + id_text(a.id));
  update_row(db_, "assessment", a.id,
             {{"status", std::string(to_string(a.status))},
              {"assessed_on", a.assessed_on},
              {"justification", a.justification},
              {"protected", std::int64_t{a.is_protected ? 1 : 0}},
              {"updated_at", now_iso()}});
  Assessment after = *old;
  after.status = a.status;
  after.assessed_on = a.assessed_on;
  after.justification = a.justification;
  after.is_protected = a.is_protected;
  log_change("assessment", id_text(a.id), *old, after, actor);
}

std::optional<Assessment> SqliteFollowup::assessment(std::int64_t id) {
  auto s = db_.prepare(std::string("SELECT ") + kAssessmentCols + " FROM assessment WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_assessment(s);
}

std::vector<Assessment> SqliteFollowup::assessments_for(const std::string& uid) {
  auto s = db_.prepare(std::string("SELECT ") + kAssessmentCols +
                       " FROM assessment WHERE rec_uid = ? ORDER BY assessed_on, id");
  s.bind(1, uid);
  return read_assessments(s);
}

std::vector<Assessment> SqliteFollowup::assessments_in(ItemState state) {
  auto s = db_.prepare(std::string("SELECT ") + kAssessmentCols +
                       " FROM assessment WHERE state = ? ORDER BY assessed_on, id");
  s.bind(1, to_string(state));
  return read_assessments(s);
}

void SqliteFollowup::set_official_status(const OfficialStatus& st, const std::string& actor) {
  auto old = official_status(st.rec_uid);
  OfficialStatus now = st;
  if (now.set_by.empty()) now.set_by = actor;
  if (now.set_at.empty()) now.set_at = now_iso();
  db_.prepare(
         "INSERT INTO official_status(rec_uid, status, justification, set_by, set_at) "
         "VALUES (?, ?, ?, ?, ?) ON CONFLICT(rec_uid) DO UPDATE SET status = excluded.status, "
         "justification = excluded.justification, set_by = excluded.set_by, "
         "set_at = excluded.set_at")
      .bind(1, now.rec_uid)
      .bind(2, to_string(now.status))
      .bind(3, now.justification)
      .bind(4, now.set_by)
      .bind(5, now.set_at)
      .run();
  if (old)
    log_change("official_status", st.rec_uid, *old, now, actor);
  else
    log_new("official_status", st.rec_uid, now, actor);
}

std::optional<OfficialStatus> SqliteFollowup::official_status(const std::string& uid) {
  auto s = db_.prepare(
      "SELECT rec_uid, status, justification, set_by, set_at FROM official_status "
      "WHERE rec_uid = ?");
  s.bind(1, uid);
  if (!s.step()) return std::nullopt;
  return read_official(s);
}

std::vector<OfficialStatus> SqliteFollowup::all_official_statuses() {
  auto s = db_.prepare(
      "SELECT rec_uid, status, justification, set_by, set_at FROM official_status "
      "ORDER BY rec_uid");
  std::vector<OfficialStatus> out;
  while (s.step()) out.push_back(read_official(s));
  return out;
}

// ---- the review workflow ----

void SqliteFollowup::set_state(ReviewEntity entity, std::int64_t id, ItemState state,
                               const std::string& actor) {
  const std::string table = table_of(entity);
  std::string before;
  {
    auto s = db_.prepare("SELECT state FROM " + table + " WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) throw NotFound("no " + table + " with id " + id_text(id));
    before = s.text(0);
  }
  update_row(db_, table.c_str(), id,
             {{"state", std::string(to_string(state))}, {"updated_at", now_iso()}});
  if (before != to_string(state))
    log_field(log_, actor, table, id_text(id), "state", before, std::string(to_string(state)));
}

std::int64_t SqliteFollowup::add_comment(ReviewComment& c, const std::string& actor) {
  c.created_at = now_iso();
  c.id = insert_row(db_, "review_comment",
                    {{"entity", std::string(to_string(c.entity))},
                     {"entity_id", c.entity_id},
                     {"author_id", ref_value(c.author_id)},
                     {"author_name", c.author_name},
                     {"transition", c.transition},
                     {"text", c.text},
                     {"created_at", c.created_at}});
  log_new("review_comment", id_text(c.id), c, actor);
  return c.id;
}

std::vector<ReviewComment> SqliteFollowup::comments(ReviewEntity entity, std::int64_t id) {
  auto s = db_.prepare(
      "SELECT id, entity_id, author_id, author_name, transition, text, created_at "
      "FROM review_comment WHERE entity = ? AND entity_id = ? ORDER BY id");
  s.bind(1, to_string(entity)).bind(2, id);
  std::vector<ReviewComment> out;
  while (s.step()) {
    ReviewComment c;
    c.id = s.int64(0);
    c.entity = entity;
    c.entity_id = s.int64(1);
    c.author_id = ref(s, 2);
    c.author_name = s.text(3);
    c.transition = s.text(4);
    c.text = s.text(5);
    c.created_at = s.text(6);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<ReviewItem> SqliteFollowup::review_items(const std::vector<ItemState>& states,
                                                     std::int64_t institution_id) {
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
      " UNION ALL SELECT 'assessment', id, rec_uid, 0, institution_id, state, '', updated_at "
      "FROM assessment" +
      where + " ORDER BY 8, 1, 2");
  for (int i = 0; i < n; ++i) s.bind(i + 1, to_string(states[static_cast<std::size_t>(i)]));
  s.bind(n + 1, institution_id);
  std::vector<ReviewItem> out;
  while (s.step()) {
    ReviewItem r;
    r.entity = column_enum(review_entity_from_string(s.text_view(0)), "entity", s.text(0));
    r.id = s.int64(1);
    r.rec_uid = s.text(2);
    r.cluster_id = s.int64(3);
    r.institution_id = s.int64(4);
    r.state = column_enum(item_state_from_string(s.text_view(5)), "state", s.text(5));
    r.title = s.text(6);
    r.updated_at = s.text(7);
    out.push_back(std::move(r));
  }
  return out;
}

// ---- reminders (derived data: not logged) ----

bool SqliteFollowup::add_notification(Notification& n) {
  std::string created = now_iso();
  // ON CONFLICT (rather than OR IGNORE): only the (user, key) duplicate is skipped, a bad kind
  // still fails.
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

std::vector<Notification> SqliteFollowup::notifications_of(std::int64_t user_id, bool unread_only) {
  auto s = db_.prepare(std::string("SELECT ") + kNotificationCols +
                       " FROM notification n WHERE n.user_id = ? AND (? = 0 OR n.read_at IS "
                       "NULL) ORDER BY n.created_at DESC, n.id DESC");
  s.bind(1, user_id).bind(2, unread_only ? 1 : 0);
  std::vector<Notification> out;
  while (s.step()) out.push_back(read_notification(s));
  return out;
}

std::vector<Notification> SqliteFollowup::unemailed() {
  auto s = db_.prepare(std::string("SELECT ") + kNotificationCols +
                       " FROM notification n JOIN app_user u ON u.id = n.user_id "
                       "WHERE n.emailed_at IS NULL AND u.email <> '' AND u.disabled_at IS NULL "
                       "ORDER BY n.id");
  std::vector<Notification> out;
  while (s.step()) out.push_back(read_notification(s));
  return out;
}

void SqliteFollowup::mark_emailed(std::int64_t id, const std::string& at) {
  db_.prepare("UPDATE notification SET emailed_at = ? WHERE id = ?").bind(1, at).bind(2, id).run();
}

void SqliteFollowup::mark_read(std::int64_t user_id, std::int64_t id, const std::string& at) {
  db_.prepare(
         "UPDATE notification SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL")
      .bind(1, at)
      .bind(2, id)
      .bind(3, user_id)
      .run();
}

}  // namespace hrtrack::store
