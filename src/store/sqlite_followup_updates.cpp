// Progress updates with their indicator values and evidence (SqliteFollowup, sqlite_followup.h).
#include "store/sqlite_followup.h"

namespace hrtrack::store {

namespace {

constexpr const char* kUpdateCols =
    "id, rec_uid, plan_id, institution_id, author_id, update_date, measure_type, description, "
    "state, created_at, updated_at";
constexpr const char* kEvidenceCols =
    "id, update_id, kind, url, filename, content_type, size, sha256, created_at";

ProgressUpdate read_update(const Stmt& s) {
  ProgressUpdate u;
  u.id = s.int64(0);
  u.rec_uid = s.text(1);
  u.plan_id = ref(s, 2);
  u.institution_id = s.int64(3);
  u.author_id = ref(s, 4);
  u.update_date = s.text(5);
  u.measure_type = column_enum(measure_type_from_string(s.text_view(6)), "measure type", s.text(6));
  u.description = s.text(7);
  u.state = column_enum(item_state_from_string(s.text_view(8)), "state", s.text(8));
  u.created_at = s.text(9);
  u.updated_at = s.text(10);
  return u;
}

Evidence read_evidence(const Stmt& s) {
  Evidence e;
  e.id = s.int64(0);
  e.update_id = s.int64(1);
  e.kind = column_enum(evidence_kind_from_string(s.text_view(2)), "evidence kind", s.text(2));
  e.url = s.text(3);
  e.filename = s.text(4);
  e.content_type = s.text(5);
  e.size = s.int64(6);
  e.sha256 = s.text(7);
  e.created_at = s.text(8);
  return e;
}

}  // namespace

// Reads the updates of `s` and, unless asked not to, fills their indicator values and evidence.
std::vector<ProgressUpdate> SqliteFollowup::read_updates(Stmt& s, bool with_children) {
  std::vector<ProgressUpdate> out;
  while (s.step()) out.push_back(read_update(s));
  if (out.empty() || !with_children) return out;
  auto values = db_.prepare("SELECT indicator_id, value FROM indicator_value WHERE update_id = ?");
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

void SqliteFollowup::save_values(std::int64_t update_id,
                                 const std::map<std::int64_t, std::string>& values) {
  auto s =
      db_.prepare("INSERT INTO indicator_value(update_id, indicator_id, value) VALUES (?, ?, ?)");
  for (const auto& [indicator, value] : values)
    s.bind(1, update_id).bind(2, indicator).bind(3, value).run();
}

std::int64_t SqliteFollowup::add_update(ProgressUpdate& u, const std::string& actor) {
  u.created_at = u.updated_at = now_iso();
  u.id = insert_row(db_, "progress_update",
                    {{"rec_uid", u.rec_uid},
                     {"plan_id", ref_value(u.plan_id)},
                     {"institution_id", u.institution_id},
                     {"author_id", ref_value(u.author_id)},
                     {"update_date", u.update_date},
                     {"measure_type", std::string(to_string(u.measure_type))},
                     {"description", u.description},
                     {"state", std::string(to_string(u.state))},
                     {"created_at", u.created_at},
                     {"updated_at", u.updated_at}});
  save_values(u.id, u.values);
  log_new("progress_update", id_text(u.id), u, actor);
  return u.id;
}

void SqliteFollowup::update_update(const ProgressUpdate& u, const std::string& actor) {
  auto old = update(u.id);
  if (!old) throw NotFound("no progress update with id " + id_text(u.id));
  update_row(db_, "progress_update", u.id,
             {{"update_date", u.update_date},
              {"measure_type", std::string(to_string(u.measure_type))},
              {"description", u.description},
              {"plan_id", ref_value(u.plan_id)},
              {"updated_at", now_iso()}});
  db_.prepare("DELETE FROM indicator_value WHERE update_id = ?").bind(1, u.id).run();
  save_values(u.id, u.values);
  ProgressUpdate after = *old;
  after.update_date = u.update_date;
  after.measure_type = u.measure_type;
  after.description = u.description;
  after.plan_id = u.plan_id;
  after.values = u.values;
  log_change("progress_update", id_text(u.id), *old, after, actor);
}

std::optional<ProgressUpdate> SqliteFollowup::update(std::int64_t id) {
  auto s = db_.prepare(std::string("SELECT ") + kUpdateCols + " FROM progress_update WHERE id = ?");
  s.bind(1, id);
  auto v = read_updates(s);
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

std::vector<ProgressUpdate> SqliteFollowup::updates_for(const std::string& uid) {
  auto s = db_.prepare(std::string("SELECT ") + kUpdateCols +
                       " FROM progress_update WHERE rec_uid = ? ORDER BY update_date, id");
  s.bind(1, uid);
  return read_updates(s);
}

std::vector<ProgressUpdate> SqliteFollowup::updates_of_plan(std::int64_t plan_id) {
  auto s = db_.prepare(std::string("SELECT ") + kUpdateCols +
                       " FROM progress_update WHERE plan_id = ? ORDER BY update_date, id");
  s.bind(1, plan_id);
  return read_updates(s);
}

std::vector<ProgressUpdate> SqliteFollowup::updates_in(ItemState state) {
  auto s = db_.prepare(std::string("SELECT ") + kUpdateCols +
                       " FROM progress_update WHERE state = ? ORDER BY update_date, id");
  s.bind(1, to_string(state));
  return read_updates(s, false);
}

std::int64_t SqliteFollowup::add_evidence(Evidence& e, const std::string& actor) {
  e.created_at = now_iso();
  e.id = insert_row(db_, "evidence",
                    {{"update_id", e.update_id},
                     {"kind", std::string(to_string(e.kind))},
                     {"url", e.url},
                     {"filename", e.filename},
                     {"content_type", e.content_type},
                     {"size", e.size},
                     {"sha256", e.sha256},
                     {"created_at", e.created_at}});
  log_new("evidence", id_text(e.id), e, actor);
  return e.id;
}

std::optional<Evidence> SqliteFollowup::evidence(std::int64_t id) {
  auto s = db_.prepare(std::string("SELECT ") + kEvidenceCols + " FROM evidence WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_evidence(s);
}

}  // namespace hrtrack::store
