// Plans with their actions, indicators and links (SqliteFollowup, sqlite_followup.h).
#include "store/sqlite_followup.h"

namespace hrtrack::store {

namespace {

constexpr const char* kPlanCols =
    "id, rec_uid, cluster_id, institution_id, title, expected_results, state, author_id, "
    "created_at, updated_at";
constexpr const char* kActionCols =
    "id, plan_id, institution_id, description, start_date, end_date, cost, currency, "
    "funding_source, budget_line";
constexpr const char* kIndicatorCols =
    "id, plan_id, name, baseline, target, unit, means_of_verification, disaggregation, "
    "frequency_months";
constexpr const char* kLinkCols = "id, plan_id, policy_item_id, sdg_target";

Plan read_plan(const Stmt& s) {
  Plan p;
  p.id = s.int64(0);
  p.rec_uid = s.text(1);
  p.cluster_id = ref(s, 2);
  p.institution_id = s.int64(3);
  p.title = s.text(4);
  p.expected_results = s.text(5);
  p.state = column_enum(item_state_from_string(s.text_view(6)), "state", s.text(6));
  p.author_id = ref(s, 7);
  p.created_at = s.text(8);
  p.updated_at = s.text(9);
  return p;
}

PlanAction read_action(const Stmt& s) {
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

Indicator read_indicator(const Stmt& s) {
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

PlanLink read_link(const Stmt& s) {
  PlanLink l;
  l.id = s.int64(0);
  l.plan_id = s.int64(1);
  l.policy_item_id = ref(s, 2);
  l.sdg_target = s.text(3);
  return l;
}

}  // namespace

// Reads the plans of `s` and fills their actions, indicators and links (three statements, each
// prepared once and run per plan on its index).
std::vector<Plan> SqliteFollowup::read_plans(Stmt& s) {
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

std::int64_t SqliteFollowup::add_plan(Plan& p, const std::string& actor) {
  p.created_at = p.updated_at = now_iso();
  p.id = insert_row(db_, "plan",
                    {{"rec_uid", text_ref_value(p.rec_uid)},
                     {"cluster_id", ref_value(p.cluster_id)},
                     {"institution_id", p.institution_id},
                     {"title", p.title},
                     {"expected_results", p.expected_results},
                     {"state", std::string(to_string(p.state))},
                     {"author_id", ref_value(p.author_id)},
                     {"created_at", p.created_at},
                     {"updated_at", p.updated_at}});
  log_new("plan", id_text(p.id), p, actor);
  return p.id;
}

void SqliteFollowup::update_plan(const Plan& p, const std::string& actor) {
  auto old = plan_row(p.id);
  if (!old) throw NotFound("no plan with id " + id_text(p.id));
  update_row(db_, "plan", p.id,
             {{"title", p.title},
              {"expected_results", p.expected_results},
              {"institution_id", p.institution_id},
              {"updated_at", now_iso()}});
  Plan after = *old;
  after.title = p.title;
  after.expected_results = p.expected_results;
  after.institution_id = p.institution_id;
  log_change("plan", id_text(p.id), *old, after, actor);
}

// The plan's own row, without children.
std::optional<Plan> SqliteFollowup::plan_row(std::int64_t id) {
  auto s = db_.prepare(std::string("SELECT ") + kPlanCols + " FROM plan WHERE id = ?");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  return read_plan(s);
}

std::optional<Plan> SqliteFollowup::plan(std::int64_t id) {
  auto s = db_.prepare(std::string("SELECT ") + kPlanCols + " FROM plan WHERE id = ?");
  s.bind(1, id);
  auto v = read_plans(s);
  if (v.empty()) return std::nullopt;
  return std::move(v.front());
}

std::vector<Plan> SqliteFollowup::plans_for(const std::string& uid) {
  auto s = db_.prepare(std::string("SELECT ") + kPlanCols +
                       " FROM plan WHERE rec_uid = ? OR cluster_id IN "
                       "(SELECT cluster_id FROM cluster_member WHERE rec_uid = ?) ORDER BY id");
  s.bind(1, uid).bind(2, uid);
  return read_plans(s);
}

std::vector<Plan> SqliteFollowup::plans_of_cluster(std::int64_t cluster_id) {
  auto s = db_.prepare(std::string("SELECT ") + kPlanCols +
                       " FROM plan WHERE cluster_id = ? ORDER BY id");
  s.bind(1, cluster_id);
  return read_plans(s);
}

std::vector<Plan> SqliteFollowup::all_plans() {
  auto s = db_.prepare(std::string("SELECT ") + kPlanCols + " FROM plan ORDER BY id");
  return read_plans(s);
}

std::int64_t SqliteFollowup::add_action(PlanAction& a, const std::string& actor) {
  a.id = insert_row(db_, "plan_action",
                    {{"plan_id", a.plan_id},
                     {"description", a.description},
                     {"institution_id", a.institution_id},
                     {"start_date", a.start_date},
                     {"end_date", a.end_date},
                     {"cost", a.cost},
                     {"currency", a.currency},
                     {"funding_source", a.funding_source},
                     {"budget_line", a.budget_line}});
  log_new("plan_action", id_text(a.id), a, actor);
  return a.id;
}

std::int64_t SqliteFollowup::add_indicator(Indicator& i, const std::string& actor) {
  i.id = insert_row(db_, "indicator",
                    {{"plan_id", i.plan_id},
                     {"name", i.name},
                     {"baseline", i.baseline},
                     {"target", i.target},
                     {"unit", i.unit},
                     {"means_of_verification", i.means_of_verification},
                     {"frequency_months", std::int64_t{i.frequency_months}},
                     {"disaggregation", i.disaggregation}});
  log_new("indicator", id_text(i.id), i, actor);
  return i.id;
}

std::int64_t SqliteFollowup::add_link(PlanLink& l, const std::string& actor) {
  l.id = insert_row(db_, "plan_link",
                    {{"plan_id", l.plan_id},
                     {"policy_item_id", ref_value(l.policy_item_id)},
                     {"sdg_target", text_ref_value(l.sdg_target)}});
  log_new("plan_link", id_text(l.id), l, actor);
  return l.id;
}

void SqliteFollowup::delete_plan_part(PlanPart part, std::int64_t id, const std::string& actor) {
  ojson before;
  const char* table = "";
  switch (part) {
    case PlanPart::Action: {
      auto s = db_.prepare(std::string("SELECT ") + kActionCols + " FROM plan_action WHERE id = ?");
      s.bind(1, id);
      if (!s.step()) throw NotFound("no plan action with id " + id_text(id));
      before = to_json(read_action(s));
      table = "plan_action";
      break;
    }
    case PlanPart::Indicator: {
      auto s =
          db_.prepare(std::string("SELECT ") + kIndicatorCols + " FROM indicator WHERE id = ?");
      s.bind(1, id);
      if (!s.step()) throw NotFound("no indicator with id " + id_text(id));
      before = to_json(read_indicator(s));
      table = "indicator";
      db_.prepare("DELETE FROM indicator_value WHERE indicator_id = ?").bind(1, id).run();
      break;
    }
    case PlanPart::Link: {
      auto s = db_.prepare(std::string("SELECT ") + kLinkCols + " FROM plan_link WHERE id = ?");
      s.bind(1, id);
      if (!s.step()) throw NotFound("no plan link with id " + id_text(id));
      before = to_json(read_link(s));
      table = "plan_link";
      break;
    }
  }
  delete_row(db_, table, id);
  log_deleted(log_, actor, std::string(to_string(part)), id_text(id), before);
}

}  // namespace hrtrack::store
