#include "ingest/policy_csv.h"

#include <filesystem>
#include <map>
#include <optional>

#include "core/text.h"
#include "followup/followup.h"
#include "read/table.h"

namespace hrtrack::ingest {

using namespace hrtrack::read;

PolicyImport import_policy_csv(Store& store, const access::Principal& p, const std::string& path) {
  access::require(p, "policy.manage");
  PolicyImport res;
  auto t = open_csv(path, res.problems);
  std::string file = std::filesystem::path(path).filename().string();
  std::map<std::string, std::size_t> col;
  for (std::size_t c = 0; c < t->header().size(); ++c) col[std::string(trim(t->header()[c]))] = c;
  for (const char* need : {"kind", "plan", "code", "title"})
    if (!col.count(need))
      res.problems.push_back({file, 1, need, "", "required column missing", false});
  if (!res.problems.empty()) return res;
  auto cell = [&](const Row& r, const char* name) {
    auto it = col.find(name);
    if (it == col.end() || it->second >= r.cells.size()) return std::string();
    return std::string(trim(r.cells[it->second]));
  };
  auto txn = store.begin();
  auto& f = store.followup();
  Row r;
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
      followup::check_policy_plan(pp);
      followup::check_policy_item(item);
    } catch (const InvalidArgument& e) {
      // "field: reason" -> the column and the reason; the plan's name is the column "plan".
      std::string m = e.what();
      auto colon = m.find(": ");
      std::string column = m.substr(0, colon);
      if (column == "name") column = "plan";
      res.problems.push_back({file, r.number, column, "", m.substr(colon + 2), false});
      continue;
    }
    std::int64_t plan_id = 0;
    for (const auto& x : f.policy_plans())
      if (x.kind == pp.kind && x.name == pp.name) plan_id = x.id;
    if (!plan_id) {
      plan_id = f.add_policy_plan(pp, p.username);
      ++res.plans_created;
    }
    std::optional<PolicyItem> existing;
    for (const auto& x : f.policy_items())
      if (x.policy_plan_id == plan_id && x.code == item.code) existing = x;
    if (!existing) {
      item.policy_plan_id = plan_id;
      f.add_policy_item(item, p.username);
      ++res.items_created;
    } else if (existing->title != item.title) {
      existing->title = item.title;
      f.update_policy_item(*existing, p.username);
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

}  // namespace hrtrack::ingest
