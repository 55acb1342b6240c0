// Implementation plans (expected results, costed actions, indicators, links to SDG targets and
// national plans) and the national plans themselves.
#include <algorithm>
#include <cctype>
#include <regex>

#include "followup/internal.h"

namespace hrtrack::followup {

using namespace detail;

namespace {

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

Plan editable_plan(Store& store, const Principal& p, std::int64_t plan_id) {
  auto x = load_plan(store, plan_id);
  access::require(p, "plan.edit", {x.institution_id});
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

Plan create_plan(Store& store, const Principal& p, Plan x) {
  if (!x.institution_id) x.institution_id = p.institution_id;
  validate_plan(store, x);
  require_responsible(store, p, "plan.edit", x.rec_uid, x.cluster_id, x.institution_id);
  x.id = 0;
  x.state = ItemState::Draft;
  x.author_id = author_id(p);
  auto txn = store.begin();
  store.followup().add_plan(x, actor(p));
  txn->commit();
  return x;
}

void edit_plan(Store& store, const Principal& p, const Plan& x) {
  auto old = load_plan(store, x.id);
  access::require(p, "plan.edit", {old.institution_id});
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

PlanAction add_action(Store& store, const Principal& p, PlanAction a) {
  auto x = editable_plan(store, p, a.plan_id);
  if (!a.institution_id) a.institution_id = x.institution_id;
  require_institution(store, a.institution_id, "institution");
  check_text("description", a.description, limits::kText, true);
  check_date("start_date", a.start_date, false);
  check_date("end_date", a.end_date, false);
  if (!a.start_date.empty() && !a.end_date.empty() && a.end_date < a.start_date)
    throw InvalidArgument("end_date: before the start date");
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

void remove_plan_part(Store& store, const Principal& p, PlanPart part, std::int64_t id) {
  // Find the part's plan among the plans (parts are few).
  for (const auto& x : store.followup().all_plans()) {
    bool found = false;
    for (const auto& a : x.actions) found = found || (part == PlanPart::Action && a.id == id);
    for (const auto& i : x.indicators) found = found || (part == PlanPart::Indicator && i.id == id);
    for (const auto& l : x.links) found = found || (part == PlanPart::Link && l.id == id);
    if (!found) continue;
    editable_plan(store, p, x.id);
    auto txn = store.begin();
    store.followup().delete_plan_part(part, id, actor(p));
    txn->commit();
    return;
  }
  throw NotFound("no " + std::string(to_string(part)) + " with id " + std::to_string(id));
}

// ---------------- national plans ----------------

void check_policy_plan(const PolicyPlan& pp) {
  if (pp.kind != "nhrap" && pp.kind != "ndp") bad_choice("kind", pp.kind, {"nhrap", "ndp"});
  check_text("name", pp.name, limits::kName, true);
  check_text("period", pp.period, 40, false);
}

void check_policy_item(const PolicyItem& item) {
  check_text("code", item.code, 40, true);
  check_text("title", item.title, 1000, true);
}

PolicyPlan create_policy_plan(Store& store, const Principal& p, PolicyPlan pp) {
  access::require(p, "policy.manage");
  check_policy_plan(pp);
  auto txn = store.begin();
  store.followup().add_policy_plan(pp, actor(p));
  txn->commit();
  return pp;
}

PolicyItem create_policy_item(Store& store, const Principal& p, PolicyItem item) {
  access::require(p, "policy.manage");
  check_policy_item(item);
  auto plans = store.followup().policy_plans();
  if (std::none_of(plans.begin(), plans.end(),
                   [&](const PolicyPlan& x) { return x.id == item.policy_plan_id; }))
    throw InvalidArgument("policy_plan: no national plan with id " +
                          std::to_string(item.policy_plan_id));
  for (const auto& x : store.followup().policy_items())
    if (x.policy_plan_id == item.policy_plan_id && x.code == item.code)
      throw InvalidArgument("code: '" + item.code + "' is already used in this national plan");
  auto txn = store.begin();
  store.followup().add_policy_item(item, actor(p));
  txn->commit();
  return item;
}

void edit_policy_item(Store& store, const Principal& p, const PolicyItem& item) {
  access::require(p, "policy.manage");
  check_policy_item(item);
  auto txn = store.begin();
  store.followup().update_policy_item(item, actor(p));
  txn->commit();
}

}  // namespace hrtrack::followup
