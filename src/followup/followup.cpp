#include "followup/followup.h"

#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "core/error.h"
#include "core/limits.h"
#include "core/text.h"
#include "ingest/table.h"

namespace hrtrack::followup {

using access::allowed;
using access::require;
using access::Target;

const char* const kProtectedAuthor = "a civil society organisation";

const std::vector<std::string>& measure_types() {
  static const std::vector<std::string> v = {"legislative", "policy",         "budgetary",
                                             "judicial",    "administrative", "institutional",
                                             "training",    "data_collection"};
  return v;
}
const std::vector<std::string>& statuses() {
  static const std::vector<std::string> v = {"not_started", "in_progress", "partially_implemented",
                                             "fully_implemented", "not_applicable"};
  return v;
}
const std::vector<std::string>& parties() {
  static const std::vector<std::string> v = {"government", "nhri", "civil_society"};
  return v;
}
const std::vector<std::string>& states() {
  static const std::vector<std::string> v = {"draft",     "submitted", "returned",
                                             "validated", "approved",  "published"};
  return v;
}

std::string party_of(const Principal& p) {
  if (p.has_role("civil_society")) return "civil_society";
  if (p.has_role("nhri")) return "nhri";
  return "government";
}

std::string complied_scale(const std::string& status) {
  if (status == "fully_implemented") return "fully_complied";
  if (status == "partially_implemented") return "partially_complied";
  if (status == "not_started" || status == "in_progress") return "not_complied";
  return "";
}

namespace {

bool one_of(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Follow-up texts are written by people in text areas: line breaks are fine.
void check_text(const std::string& field, const std::string& v, std::size_t max, bool required) {
  require_text(field, v, max, required, true);
}

void check_choice(const std::string& field, const std::string& v,
                  const std::vector<std::string>& allowed_values) {
  if (!one_of(allowed_values, v))
    throw InvalidArgument(field + ": one of " + join(allowed_values, ", ") + " (got '" +
                          shorten_for_display(v, 40) + "')");
}

// YYYY-MM-DD with a real day; "" allowed when not required.
void check_date(const std::string& field, const std::string& v, bool required) {
  if (v.empty()) {
    if (required) throw InvalidArgument(field + ": required (YYYY-MM-DD)");
    return;
  }
  static const std::regex re("(\\d{4})-(\\d{2})-(\\d{2})");
  std::smatch m;
  if (!std::regex_match(v, m, re))
    throw InvalidArgument(field + ": a date as YYYY-MM-DD (got '" + shorten_for_display(v, 20) +
                          "')");
  int y = std::stoi(m[1]), mo = std::stoi(m[2]), d = std::stoi(m[3]);
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1945 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > days[mo - 1] ||
      (mo == 2 && d == 29 && !leap))
    throw InvalidArgument(field + ": no such date '" + v + "'");
}

Recommendation require_record(Store& store, const std::string& uid) {
  auto r = store.get(uid);
  if (!r || r->deleted) throw NotFound("no recommendation with id " + shorten_for_display(uid, 40));
  return *r;
}

Institution require_institution(Store& store, std::int64_t id, const std::string& field) {
  auto i = store.access().institution(id);
  if (!i) throw InvalidArgument(field + ": no institution with id " + std::to_string(id));
  return *i;
}

// An institution may act on a recommendation or cluster it is assigned to; a principal with
// scope `any` for the action may act on anything.
bool assigned(Store& store, const std::string& uid, std::int64_t cluster_id,
              std::int64_t institution_id) {
  std::vector<Assignment> as = cluster_id ? store.followup().assignments_of_cluster(cluster_id)
                                          : store.followup().assignments_for(uid);
  return std::any_of(as.begin(), as.end(),
                     [&](const Assignment& a) { return a.institution_id == institution_id; });
}

void require_responsible(Store& store, const Principal& p, const std::string& action,
                         const std::string& uid, std::int64_t cluster_id,
                         std::int64_t institution_id) {
  require(p, action, {institution_id});
  if (access::scope_of(p, action) == access::Scope::Any) return;
  if (!assigned(store, uid, cluster_id, institution_id))
    throw access::Forbidden(
        "your institution is not assigned to this recommendation; ask the coordinator to assign "
        "it");
}

std::string actor(const Principal& p) {
  return p.username;
}

std::int64_t author_id(const Principal& p) {
  return p.user_id > 0 ? p.user_id : 0;
}

bool editable(const std::string& state) {
  return state == "draft" || state == "returned";
}

void require_editable(const std::string& what, const std::string& state) {
  if (!editable(state))
    throw InvalidArgument(what + " is " + state +
                          ": only a draft or a returned item can be changed");
}

Plan load_plan(Store& store, std::int64_t id) {
  auto x = store.followup().plan(id);
  if (!x) throw NotFound("no plan with id " + std::to_string(id));
  return *x;
}

ProgressUpdate load_update(Store& store, std::int64_t id) {
  auto x = store.followup().update(id);
  if (!x) throw NotFound("no progress update with id " + std::to_string(id));
  return *x;
}

Assessment load_assessment(Store& store, std::int64_t id) {
  auto x = store.followup().assessment(id);
  if (!x) throw NotFound("no assessment with id " + std::to_string(id));
  return *x;
}

std::string assessment_action(const std::string& party) {
  return "assessment." + party;
}

void validate_plan(Store& store, const Plan& x) {
  check_text("title", x.title, limits::kTitle, true);
  check_text("expected_results", x.expected_results, limits::kLongText, false);
  require_institution(store, x.institution_id, "institution");
  if (x.rec_uid.empty() == (x.cluster_id == 0))
    throw InvalidArgument("a plan is for one recommendation or for one cluster");
  if (!x.rec_uid.empty()) require_record(store, x.rec_uid);
  if (x.cluster_id && !store.followup().cluster(x.cluster_id))
    throw InvalidArgument("cluster: no cluster with id " + std::to_string(x.cluster_id));
}

}  // namespace

bool may_start(Store& store, const Principal& p, const std::string& action, const std::string& uid,
               std::int64_t cluster_id) {
  if (!p.institution_id || !allowed(p, action, {p.institution_id})) return false;
  if (action == "assessment.nhri" || action == "assessment.civil_society") return true;
  return access::scope_of(p, action) == access::Scope::Any ||
         assigned(store, uid, cluster_id, p.institution_id);
}

// ---------------- clusters ----------------

Cluster create_cluster(Store& store, const Principal& p, const std::string& name,
                       const std::string& description, const std::vector<std::string>& uids) {
  require(p, "cluster.manage");
  check_text("name", name, limits::kName, true);
  check_text("description", description, limits::kText, false);
  Cluster c;
  c.name = std::string(trim(name));
  c.description = description;
  c.created_by = actor(p);
  auto txn = store.begin();
  store.followup().add_cluster(c, actor(p));
  c.size = store.followup().add_members(c.id, uids, actor(p));
  txn->commit();
  return c;
}

void edit_cluster(Store& store, const Principal& p, std::int64_t id, const std::string& name,
                  const std::string& description) {
  require(p, "cluster.manage");
  auto c = store.followup().cluster(id);
  if (!c) throw NotFound("no cluster with id " + std::to_string(id));
  check_text("name", name, limits::kName, true);
  check_text("description", description, limits::kText, false);
  c->name = std::string(trim(name));
  c->description = description;
  auto txn = store.begin();
  store.followup().update_cluster(*c, actor(p));
  txn->commit();
}

long add_to_cluster(Store& store, const Principal& p, std::int64_t id,
                    const std::vector<std::string>& uids) {
  require(p, "cluster.manage");
  if (!store.followup().cluster(id)) throw NotFound("no cluster with id " + std::to_string(id));
  auto txn = store.begin();
  long n = store.followup().add_members(id, uids, actor(p));
  txn->commit();
  return n;
}

void remove_from_cluster(Store& store, const Principal& p, std::int64_t id,
                         const std::string& uid) {
  require(p, "cluster.manage");
  auto txn = store.begin();
  store.followup().remove_member(id, uid, actor(p));
  txn->commit();
}

// ---------------- assignments ----------------

Assignment assign(Store& store, const Principal& p, const std::string& uid, std::int64_t cluster_id,
                  std::int64_t institution_id, const std::string& role) {
  require(p, "assignment.manage");
  check_choice("role", role, {"lead", "support"});
  auto inst = require_institution(store, institution_id, "institution");
  if (inst.type == "civil_society" || inst.type == "nhri")
    throw InvalidArgument(
        "institution: the NHRI and civil-society organisations assess; they are not assigned");
  if (uid.empty() == (cluster_id == 0))
    throw InvalidArgument("assign to one recommendation or to one cluster");
  if (!uid.empty()) require_record(store, uid);
  if (cluster_id && !store.followup().cluster(cluster_id))
    throw NotFound("no cluster with id " + std::to_string(cluster_id));
  Assignment a;
  a.rec_uid = uid;
  a.cluster_id = cluster_id;
  a.institution_id = institution_id;
  a.role = role;
  auto txn = store.begin();
  store.followup().add_assignment(a, actor(p));
  txn->commit();
  return a;
}

long assign_many(Store& store, const Principal& p, const std::vector<std::string>& uids,
                 std::int64_t institution_id, const std::string& role) {
  require(p, "assignment.manage");
  check_choice("role", role, {"lead", "support"});
  auto inst = require_institution(store, institution_id, "institution");
  if (inst.type == "civil_society" || inst.type == "nhri")
    throw InvalidArgument(
        "institution: the NHRI and civil-society organisations assess; they are not assigned");
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
  txn->commit();
  return added;
}

void unassign(Store& store, const Principal& p, std::int64_t assignment_id) {
  require(p, "assignment.manage");
  auto txn = store.begin();
  store.followup().remove_assignment(assignment_id, actor(p));
  txn->commit();
}

std::vector<std::int64_t> responsible_institutions(Store& store, const std::string& uid) {
  std::set<std::int64_t> s;
  for (const auto& a : store.followup().assignments_for(uid)) s.insert(a.institution_id);
  return {s.begin(), s.end()};
}

// ---------------- plans ----------------

Plan create_plan(Store& store, const Principal& p, Plan x) {
  if (!x.institution_id) x.institution_id = p.institution_id;
  validate_plan(store, x);
  require_responsible(store, p, "plan.edit", x.rec_uid, x.cluster_id, x.institution_id);
  x.id = 0;
  x.state = "draft";
  x.author_id = author_id(p);
  auto txn = store.begin();
  store.followup().add_plan(x, actor(p));
  txn->commit();
  return x;
}

void edit_plan(Store& store, const Principal& p, const Plan& x) {
  auto old = load_plan(store, x.id);
  require(p, "plan.edit", {old.institution_id});
  require_editable("the plan", old.state);
  Plan y = old;
  y.title = x.title;
  y.expected_results = x.expected_results;
  if (x.institution_id && x.institution_id != old.institution_id) {
    require_responsible(store, p, "plan.edit", old.rec_uid, old.cluster_id, x.institution_id);
    y.institution_id = x.institution_id;
  }
  validate_plan(store, y);
  auto txn = store.begin();
  store.followup().update_plan(y, actor(p));
  txn->commit();
}

namespace {

Plan editable_plan(Store& store, const Principal& p, std::int64_t plan_id) {
  auto x = load_plan(store, plan_id);
  require(p, "plan.edit", {x.institution_id});
  require_editable("the plan", x.state);
  return x;
}

void check_cost(const std::string& cost, const std::string& currency) {
  if (cost.empty()) return;
  static const std::regex num("\\d{1,15}(\\.\\d{1,2})?");
  if (!std::regex_match(cost, num))
    throw InvalidArgument("cost: a positive amount like 125000 or 125000.50 (got '" +
                          shorten_for_display(cost, 30) + "')");
  static const std::regex cur("[A-Z]{3}");
  if (!std::regex_match(currency, cur))
    throw InvalidArgument("currency: an ISO 4217 code like USD, EUR, PYG (got '" +
                          shorten_for_display(currency, 10) + "')");
}

}  // namespace

PlanAction add_action(Store& store, const Principal& p, PlanAction a) {
  auto x = editable_plan(store, p, a.plan_id);
  if (!a.institution_id) a.institution_id = x.institution_id;
  require_institution(store, a.institution_id, "institution");
  check_text("description", a.description, limits::kText, true);
  check_date("start_date", a.start_date, false);
  check_date("end_date", a.end_date, false);
  if (!a.start_date.empty() && !a.end_date.empty() && a.end_date < a.start_date)
    throw InvalidArgument("end_date: before the start date");
  a.currency = ascii_lower(a.currency);
  std::transform(a.currency.begin(), a.currency.end(), a.currency.begin(), [](char c) {
    return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  check_cost(a.cost, a.currency);
  check_text("funding_source", a.funding_source, limits::kName, false);
  check_text("budget_line", a.budget_line, limits::kName, false);
  auto txn = store.begin();
  store.followup().add_action(a, actor(p));
  txn->commit();
  return a;
}

Indicator add_indicator(Store& store, const Principal& p, Indicator i) {
  editable_plan(store, p, i.plan_id);
  check_text("name", i.name, limits::kTitle, true);
  for (auto [f, v] : {std::pair<const char*, const std::string*>{"baseline", &i.baseline},
                      {"target", &i.target},
                      {"unit", &i.unit},
                      {"means_of_verification", &i.means_of_verification},
                      {"disaggregation", &i.disaggregation}})
    check_text(f, *v, limits::kShortText, false);
  if (i.frequency_months < 1 || i.frequency_months > 60)
    throw InvalidArgument("frequency_months: 1 to 60 (how often a value is due)");
  auto txn = store.begin();
  store.followup().add_indicator(i, actor(p));
  txn->commit();
  return i;
}

PlanLink add_link(Store& store, const Principal& p, PlanLink l) {
  editable_plan(store, p, l.plan_id);
  if ((l.policy_item_id == 0) == l.sdg_target.empty())
    throw InvalidArgument("link: give a national plan item or an SDG target");
  if (!l.sdg_target.empty()) {
    static const std::regex re("(1[0-7]|[1-9])\\.([0-9]{1,2}|[a-d])");
    if (!std::regex_match(l.sdg_target, re))
      throw InvalidArgument("sdg_target: an SDG target like 16.2 or 5.a (got '" +
                            shorten_for_display(l.sdg_target, 10) + "')");
  } else {
    auto items = store.followup().policy_items();
    if (std::none_of(items.begin(), items.end(),
                     [&](const PolicyItem& it) { return it.id == l.policy_item_id; }))
      throw InvalidArgument("policy_item: no national plan item with id " +
                            std::to_string(l.policy_item_id));
  }
  auto txn = store.begin();
  store.followup().add_link(l, actor(p));
  txn->commit();
  return l;
}

void remove_plan_part(Store& store, const Principal& p, const std::string& entity,
                      std::int64_t id) {
  check_choice("part", entity, {"plan_action", "indicator", "plan_link"});
  // Find the part's plan among the plans (parts are few).
  for (const auto& x : store.followup().all_plans()) {
    bool found = false;
    for (const auto& a : x.actions) found = found || (entity == "plan_action" && a.id == id);
    for (const auto& i : x.indicators) found = found || (entity == "indicator" && i.id == id);
    for (const auto& l : x.links) found = found || (entity == "plan_link" && l.id == id);
    if (!found) continue;
    editable_plan(store, p, x.id);
    auto txn = store.begin();
    store.followup().delete_plan_part(entity, id, actor(p));
    txn->commit();
    return;
  }
  throw NotFound("no " + entity + " with id " + std::to_string(id));
}

PolicyPlan create_policy_plan(Store& store, const Principal& p, PolicyPlan pp) {
  require(p, "policy.manage");
  check_choice("kind", pp.kind, {"nhrap", "ndp"});
  check_text("name", pp.name, limits::kName, true);
  check_text("period", pp.period, 40, false);
  auto txn = store.begin();
  store.followup().add_policy_plan(pp, actor(p));
  txn->commit();
  return pp;
}

PolicyItem create_policy_item(Store& store, const Principal& p, PolicyItem item) {
  require(p, "policy.manage");
  check_text("code", item.code, 40, true);
  check_text("title", item.title, 1000, true);
  auto plans = store.followup().policy_plans();
  if (std::none_of(plans.begin(), plans.end(),
                   [&](const PolicyPlan& x) { return x.id == item.policy_plan_id; }))
    throw InvalidArgument("policy_plan: no national plan with id " +
                          std::to_string(item.policy_plan_id));
  auto txn = store.begin();
  store.followup().add_policy_item(item, actor(p));
  txn->commit();
  return item;
}

void edit_policy_item(Store& store, const Principal& p, const PolicyItem& item) {
  require(p, "policy.manage");
  check_text("code", item.code, 40, true);
  check_text("title", item.title, 1000, true);
  auto txn = store.begin();
  store.followup().update_policy_item(item, actor(p));
  txn->commit();
}

PolicyImport import_policy_csv(Store& store, const Principal& p, const std::string& path) {
  require(p, "policy.manage");
  PolicyImport res;
  auto t = ingest::open_csv(path, res.problems);
  std::string file = std::filesystem::path(path).filename().string();
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < t->header().size(); ++c) col[std::string(trim(t->header()[c]))] = c;
  for (const char* need : {"kind", "plan", "code", "title"})
    if (!col.count(need))
      res.problems.push_back({file, 1, need, "", "required column missing", false});
  if (!res.problems.empty()) return res;
  auto cell = [&](const ingest::Row& r, const char* name) {
    auto it = col.find(name);
    if (it == col.end() || it->second >= r.cells.size()) return std::string();
    return std::string(trim(r.cells[it->second]));
  };
  auto txn = store.begin();
  auto& f = store.followup();
  ingest::Row r;
  while (t->next(r)) {
    if (r.bad) continue;
    PolicyPlan pp;
    pp.kind = ascii_lower(cell(r, "kind"));
    pp.name = cell(r, "plan");
    pp.period = cell(r, "period");
    PolicyItem item;
    item.code = cell(r, "code");
    item.title = cell(r, "title");
    try {
      check_choice("kind", pp.kind, {"nhrap", "ndp"});
      check_text("plan", pp.name, limits::kName, true);
      check_text("period", pp.period, 40, false);
      check_text("code", item.code, 40, true);
      check_text("title", item.title, 1000, true);
    } catch (const InvalidArgument& e) {
      std::string m = e.what();
      auto colon = m.find(": ");
      res.problems.push_back({file, r.number, m.substr(0, colon), "", m.substr(colon + 2), false});
      continue;
    }
    std::int64_t plan_id = 0;
    for (const auto& x : f.policy_plans())
      if (x.kind == pp.kind && x.name == pp.name) plan_id = x.id;
    if (!plan_id) {
      plan_id = f.add_policy_plan(pp, actor(p));
      ++res.plans_created;
    }
    std::optional<PolicyItem> existing;
    for (const auto& x : f.policy_items())
      if (x.policy_plan_id == plan_id && x.code == item.code) existing = x;
    if (!existing) {
      item.policy_plan_id = plan_id;
      f.add_policy_item(item, actor(p));
      ++res.items_created;
    } else if (existing->title != item.title) {
      existing->title = item.title;
      f.update_policy_item(*existing, actor(p));
      ++res.items_updated;
    }
  }
  if (!res.problems.empty()) {
    res = PolicyImport{0, 0, 0, res.problems};
    return res;  // rolled back
  }
  txn->commit();
  return res;
}

// ---------------- progress updates ----------------

namespace {

void validate_update(Store& store, const ProgressUpdate& u) {
  require_record(store, u.rec_uid);
  check_date("date", u.update_date, true);
  check_choice("measure_type", u.measure_type, measure_types());
  check_text("description", u.description, limits::kLongText, true);
  require_institution(store, u.institution_id, "institution");
  if (u.values.size() > limits::kIndicatorValues)
    throw InvalidArgument("indicator: at most " + std::to_string(limits::kIndicatorValues) +
                          " indicator values in one update");
  if (u.plan_id) {
    auto x = load_plan(store, u.plan_id);
    bool ok = x.rec_uid == u.rec_uid;
    if (!ok && x.cluster_id) {
      auto cs = store.followup().clusters_of(u.rec_uid);
      ok = std::find(cs.begin(), cs.end(), x.cluster_id) != cs.end();
    }
    if (!ok) throw InvalidArgument("plan: that plan is not for this recommendation");
    for (const auto& [ind, value] : u.values) {
      if (std::none_of(x.indicators.begin(), x.indicators.end(),
                       [&](const Indicator& i) { return i.id == ind; }))
        throw InvalidArgument("indicator " + std::to_string(ind) +
                              ": not an indicator of the plan");
      check_text("indicator " + std::to_string(ind), value, limits::kIndicatorValue, false);
    }
  } else if (!u.values.empty()) {
    throw InvalidArgument("indicator values need the plan they belong to");
  }
}

}  // namespace

ProgressUpdate create_update(Store& store, const Principal& p, ProgressUpdate u) {
  if (!u.institution_id) u.institution_id = p.institution_id;
  if (!u.institution_id) throw InvalidArgument("institution: required");
  validate_update(store, u);
  require_responsible(store, p, "update.edit", u.rec_uid, 0, u.institution_id);
  u.id = 0;
  u.state = "draft";
  u.author_id = author_id(p);
  auto txn = store.begin();
  store.followup().add_update(u, actor(p));
  txn->commit();
  return u;
}

void edit_update(Store& store, const Principal& p, const ProgressUpdate& u) {
  auto old = load_update(store, u.id);
  require(p, "update.edit", {old.institution_id});
  require_editable("the update", old.state);
  ProgressUpdate y = old;
  y.update_date = u.update_date;
  y.measure_type = u.measure_type;
  y.description = u.description;
  y.plan_id = u.plan_id;
  y.values = u.values;
  validate_update(store, y);
  auto txn = store.begin();
  store.followup().update_update(y, actor(p));
  txn->commit();
}

namespace {

struct FileType {
  const char* ext;
  const char* mime;
  std::string_view magic;  // "" = text
};

const std::vector<FileType>& file_types() {
  static const std::vector<FileType> t = {
      {"pdf", "application/pdf", "%PDF-"},
      {"png", "image/png", "\x89PNG\r\n\x1a\n"},
      {"jpg", "image/jpeg", "\xFF\xD8\xFF"},
      {"jpeg", "image/jpeg", "\xFF\xD8\xFF"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
       "PK\x03\x04"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
      {"odt", "application/vnd.oasis.opendocument.text", "PK\x03\x04"},
      {"ods", "application/vnd.oasis.opendocument.spreadsheet", "PK\x03\x04"},
      {"txt", "text/plain; charset=utf-8", ""},
      {"csv", "text/csv; charset=utf-8", ""},
  };
  return t;
}

std::string sha256_hex(const std::string& data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return to_hex(h, sizeof h);
}

ProgressUpdate editable_update(Store& store, const Principal& p, std::int64_t id) {
  auto u = load_update(store, id);
  require(p, "update.edit", {u.institution_id});
  require_editable("the update", u.state);
  return u;
}

}  // namespace

Evidence attach_file(Store& store, const Principal& p, std::int64_t update_id, const Upload& f,
                     const std::string& dir, const EvidenceLimits& limits) {
  editable_update(store, p, update_id);
  // The name: its last path part, valid UTF-8, no control characters.
  std::string name = f.filename;
  if (auto slash = name.find_last_of("/\\"); slash != std::string::npos)
    name = name.substr(slash + 1);
  check_text("file name", name, 200, true);
  if (name.find_first_of("\r\n\t") != std::string::npos)
    throw InvalidArgument("file name: line breaks are not allowed");
  if (find_display_control(name))
    throw InvalidArgument(
        "file name: it holds an invisible character that changes how the name is displayed "
        "(such as a right-to-left override); rename the file and send it again");
  if (f.content.empty()) throw InvalidArgument("file: it is empty");
  if (f.content.size() > limits.max_bytes)
    throw InvalidArgument("file: " + std::to_string(f.content.size()) + " bytes; at most " +
                          std::to_string(limits.max_bytes / (1024 * 1024)) + " MB");
  auto dot = name.rfind('.');
  std::string ext = dot == std::string::npos ? "" : ascii_lower(name.substr(dot + 1));
  const FileType* type = nullptr;
  for (const auto& t : file_types())
    if (ext == t.ext) type = &t;
  if (!type) {
    std::vector<std::string> exts;
    for (const auto& t : file_types()) exts.push_back(t.ext);
    throw InvalidArgument("file: ." + shorten_for_display(ext, 10) +
                          " files are not accepted; send " + join(exts, ", "));
  }
  if (type->magic.empty()) {
    if (find_invalid_utf8(f.content) || f.content.find('\0') != std::string::npos)
      throw InvalidArgument("file: a ." + ext + " file must be UTF-8 text");
  } else if (f.content.compare(0, type->magic.size(), type->magic) != 0) {
    throw InvalidArgument("file: the content is not a ." + ext +
                          " file (its first bytes do not match)");
  }
  Evidence e;
  e.update_id = update_id;
  e.kind = "file";
  e.filename = name;
  e.content_type = type->mime;
  e.size = static_cast<std::int64_t>(f.content.size());
  e.sha256 = sha256_hex(f.content);
  // Stored by content hash outside any served folder: written to a temporary name and renamed,
  // so a crash leaves either no file or the whole file, never part of one. The row is committed
  // after the file is in place.
  std::filesystem::create_directories(dir);
  auto final_path = std::filesystem::path(dir) / e.sha256;
  if (!std::filesystem::exists(final_path)) {
    // A name of its own for every upload (mkstemp), so parallel uploads of one file never share
    // a temporary file; rename() then replaces atomically, so they all end with the whole file.
    std::string tmpl = (std::filesystem::path(dir) / ".upload-XXXXXX").string();
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw Error("cannot create a file under " + dir + ": " + std::strerror(errno));
    const char* data = f.content.data();
    std::size_t left = f.content.size();
    bool ok = true;
    while (left > 0 && ok) {
      ssize_t n = ::write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) {
        data += n;
        left -= static_cast<std::size_t>(n);
      }
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    std::error_code ec;
    if (ok) std::filesystem::rename(tmpl, final_path, ec);
    if (!ok || ec) {
      std::filesystem::remove(tmpl, ec);
      throw Error("cannot write the evidence file under " + dir);
    }
  }
  auto txn = store.begin();
  store.followup().add_evidence(e, actor(p));
  txn->commit();
  return e;
}

Evidence attach_link(Store& store, const Principal& p, std::int64_t update_id,
                     const std::string& url) {
  editable_update(store, p, update_id);
  check_text("url", url, limits::kShortText, true);
  static const std::regex re("https?://[^\\s<>\"]+", std::regex::icase);
  if (!std::regex_match(url, re))
    throw InvalidArgument("url: a web address starting with http:// or https://");
  Evidence e;
  e.update_id = update_id;
  e.kind = "link";
  e.url = url;
  auto txn = store.begin();
  store.followup().add_evidence(e, actor(p));
  txn->commit();
  return e;
}

// ---------------- assessments and the official status ----------------

namespace {

void validate_assessment(Store& store, const Assessment& a) {
  require_record(store, a.rec_uid);
  check_choice("status", a.status, statuses());
  check_date("assessed_on", a.assessed_on, true);
  check_text("justification", a.justification, limits::kLongText, true);
}

}  // namespace

Assessment create_assessment(Store& store, const Principal& p, Assessment a,
                             std::optional<bool> protect) {
  a.party = party_of(p);
  a.institution_id = p.institution_id;
  if (a.party == "government" && !a.institution_id)
    throw InvalidArgument("institution: you belong to no institution");
  validate_assessment(store, a);
  if (a.party == "government")
    require_responsible(store, p, "assessment.government", a.rec_uid, 0, a.institution_id);
  else
    require(p, assessment_action(a.party), {a.institution_id});
  a.is_protected = a.party == "civil_society" && protect.value_or(true);
  a.id = 0;
  a.state = "draft";
  a.author_id = author_id(p);
  auto txn = store.begin();
  store.followup().add_assessment(a, actor(p));
  txn->commit();
  return a;
}

void edit_assessment(Store& store, const Principal& p, const Assessment& a) {
  auto old = load_assessment(store, a.id);
  require(p, assessment_action(old.party), {old.institution_id});
  require_editable("the assessment", old.state);
  Assessment y = old;
  y.status = a.status;
  y.assessed_on = a.assessed_on;
  y.justification = a.justification;
  y.is_protected = old.party == "civil_society" && a.is_protected;
  validate_assessment(store, y);
  auto txn = store.begin();
  store.followup().update_assessment(y, actor(p));
  txn->commit();
}

void set_official_status(Store& store, const Principal& p, const std::string& uid,
                         const std::string& status, const std::string& justification) {
  require(p, "status.official");
  require_record(store, uid);
  check_choice("status", status, statuses());
  check_text("justification", justification, limits::kLongText, false);
  OfficialStatus s;
  s.rec_uid = uid;
  s.status = status;
  s.justification = justification;
  s.set_by = actor(p);
  s.set_at = now_iso();
  auto txn = store.begin();
  store.followup().set_official_status(s, actor(p));
  txn->commit();
}

// ---------------- the workflow ----------------

namespace {

struct Transition {
  const char* name;
  const char* from;
  const char* to;
  const char* action;  // permission-table action ("" = the assessing party's own action)
};

// Plans, progress updates and the government's assessments go through the review. The NHRI's
// and civil society's assessments are their own voice: their authors publish them.
const std::vector<Transition>& review_transitions() {
  static const std::vector<Transition> t = {
      {"submit", "draft", "submitted", "followup.submit"},
      {"submit", "returned", "submitted", "followup.submit"},
      {"validate", "submitted", "validated", "followup.validate"},
      {"return", "submitted", "returned", "followup.validate"},
      {"approve", "validated", "approved", "followup.approve"},
      {"return", "validated", "returned", "followup.approve"},
      {"publish", "approved", "published", "followup.publish"},
      {"return", "approved", "returned", "followup.publish"},
  };
  return t;
}
const std::vector<Transition>& own_voice_transitions() {
  static const std::vector<Transition> t = {
      {"publish", "draft", "published", ""},
      {"withdraw", "published", "draft", ""},
  };
  return t;
}

const std::vector<Transition>& transitions_of(const std::string& entity, const std::string& party) {
  if (entity == "assessment" && party != "government") return own_voice_transitions();
  return review_transitions();
}

}  // namespace

std::vector<std::string> transitions_for(const Principal& p, const std::string& entity,
                                         const std::string& state, std::int64_t institution_id,
                                         const std::string& party) {
  std::vector<std::string> out;
  for (const auto& t : transitions_of(entity, party)) {
    if (state != t.from) continue;
    std::string action = *t.action ? t.action : assessment_action(party);
    if (allowed(p, action, {institution_id}) &&
        std::find(out.begin(), out.end(), t.name) == out.end())
      out.push_back(t.name);
  }
  return out;
}

void transition(Store& store, const Principal& p, const std::string& entity, std::int64_t id,
                const std::string& name, const std::string& comment) {
  check_choice("entity", entity, {"plan", "progress_update", "assessment"});
  std::string state, party;
  std::int64_t institution = 0;
  if (entity == "plan") {
    auto x = load_plan(store, id);
    state = x.state;
    institution = x.institution_id;
  } else if (entity == "progress_update") {
    auto x = load_update(store, id);
    state = x.state;
    institution = x.institution_id;
  } else {
    auto x = load_assessment(store, id);
    state = x.state;
    institution = x.institution_id;
    party = x.party;
  }
  check_text("comment", comment, limits::kText, name == "return");
  const Transition* found = nullptr;
  bool name_known = false;
  for (const auto& t : transitions_of(entity, party)) {
    if (name != t.name) continue;
    name_known = true;
    if (state == t.from) found = &t;
  }
  if (!name_known)
    throw InvalidArgument("transition: '" + shorten_for_display(name, 20) + "' does not apply to " +
                          (party.empty() || party == "government" ? entity : party + " " + entity));
  if (!found)
    throw InvalidArgument("this " + entity + " is " + state + ": it cannot be '" + name +
                          "'ed now");
  std::string action = *found->action ? found->action : assessment_action(party);
  require(p, action, {institution});
  auto txn = store.begin();
  store.followup().set_state(entity, id, found->to, actor(p));
  if (!trim(comment).empty()) {
    ReviewComment c;
    c.entity = entity;
    c.entity_id = id;
    c.author_id = author_id(p);
    c.author_name = p.display_name;
    c.transition = name;
    c.text = comment;
    store.followup().add_comment(c, actor(p));
  }
  txn->commit();
}

std::vector<ReviewItem> review_queue(Store& store, const Principal& p) {
  std::vector<ReviewItem> out;
  for (auto& it :
       store.followup().review_items({"submitted", "validated", "approved", "returned"}, 0)) {
    std::string party;
    if (it.entity == "assessment")
      if (auto a = store.followup().assessment(it.id)) party = a->party;
    if (party == "nhri" || party == "civil_society") continue;
    bool act = !transitions_for(p, it.entity, it.state, it.institution_id, party).empty();
    // A returned item waits for its institution's focal point (submit again).
    if (act) out.push_back(std::move(it));
  }
  return out;
}

// ---------------- what a viewer sees ----------------

namespace {

std::string institution_name(Store& store, std::int64_t id) {
  auto i = store.access().institution(id);
  return i ? i->name : "";
}

std::string person_name(Store& store, std::int64_t id) {
  if (!id) return "";
  auto u = store.access().user(id);
  return u ? u->display_name : "";
}

}  // namespace

bool can_see_comments(const Principal& p, std::int64_t institution_id) {
  return allowed(p, "followup.view_internal", {institution_id});
}

ItemView view_plan(Store& store, const Principal& p, const Plan& x) {
  ItemView v;
  v.visible = x.state == "published" || allowed(p, "followup.view_internal", {x.institution_id});
  v.author = institution_name(store, x.institution_id);
  if (p.signed_in() && allowed(p, "followup.view_internal", {x.institution_id}))
    v.person = person_name(store, x.author_id);
  return v;
}

ItemView view_update(Store& store, const Principal& p, const ProgressUpdate& x) {
  ItemView v;
  v.visible = x.state == "published" || allowed(p, "followup.view_internal", {x.institution_id});
  v.author = institution_name(store, x.institution_id);
  if (p.signed_in() && allowed(p, "followup.view_internal", {x.institution_id}))
    v.person = person_name(store, x.author_id);
  return v;
}

ItemView view_assessment(Store& store, const Principal& p, const Assessment& x) {
  ItemView v;
  bool own_party = allowed(p, assessment_action(x.party), {x.institution_id});
  if (x.party == "government")
    v.visible = x.state == "published" || allowed(p, "followup.view_internal", {x.institution_id});
  else
    v.visible = x.state == "published" || own_party;
  bool identity =
      x.party != "civil_society" || allowed(p, "identity.protected", {x.institution_id});
  if (x.party == "civil_society" && x.is_protected && !identity) {
    v.author = kProtectedAuthor;
    return v;  // no organisation, no person
  }
  v.author = institution_name(store, x.institution_id);
  bool internal =
      x.party == "government"
          ? allowed(p, "followup.view_internal", {x.institution_id})
          : own_party || (x.party == "civil_society" && identity && p.signed_in() &&
                          p.user_id != 0 && allowed(p, "identity.protected", {x.institution_id}));
  if (p.signed_in() && internal) v.person = person_name(store, x.author_id);
  return v;
}

}  // namespace hrtrack::followup

namespace hrtrack::followup {

std::optional<std::pair<Evidence, std::string>> evidence_for(Store& store, const Principal& p,
                                                             std::int64_t id,
                                                             const std::string& dir) {
  auto e = store.followup().evidence(id);
  if (!e) return std::nullopt;
  auto u = store.followup().update(e->update_id);
  // What the viewer may not see does not exist for them (404, not 403).
  if (!u || !view_update(store, p, *u).visible) return std::nullopt;
  std::string path =
      e->kind == "file" ? (std::filesystem::path(dir) / e->sha256).string() : std::string();
  return std::make_pair(*e, path);
}

}  // namespace hrtrack::followup
