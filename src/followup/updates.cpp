// Progress updates: what was done, on which date, with values for the plan's indicators.
#include <algorithm>

#include "followup/internal.h"

namespace hrtrack::followup {

using namespace detail;

namespace {

void validate_update(Store& store, const ProgressUpdate& u) {
  require_record(store, u.rec_uid);
  check_date("date", u.update_date, true);
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
  u.state = ItemState::Draft;
  u.author_id = author_id(p);
  auto txn = store.begin();
  store.followup().add_update(u, actor(p));
  txn->commit();
  return u;
}

void edit_update(Store& store, const Principal& p, const ProgressUpdate& u) {
  auto old = load_update(store, u.id);
  access::require(p, "update.edit", {old.institution_id});
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

}  // namespace hrtrack::followup
