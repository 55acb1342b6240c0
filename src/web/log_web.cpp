// The change log (/log, /api/log) and a recommendation's history, masked for the viewer
// (access::IdentityMask).
#include <algorithm>

#include "access/auth.h"
#include "access/directory.h"
#include "core/error.h"
#include "core/text.h"
#include "followup/followup.h"
#include "web/admin_common.h"
#include "web/app.h"
#include "web/render.h"
#include "web/routes.h"

namespace hrtrack::web {

using namespace adm;

namespace {

ChangeFilter log_filter(const Request& rq) {
  ChangeFilter f;
  f.actor = single(rq.query, "actor").value_or("");
  f.entity = single(rq.query, "entity").value_or("");
  f.entity_id = single(rq.query, "entity_id").value_or("");
  f.since = single(rq.query, "since").value_or("");
  f.until = single(rq.query, "until").value_or("");
  // "2026-11-27" as `until` means up to the end of that day.
  if (f.until.size() == 10) f.until += "T99";
  if (auto b = single(rq.query, "before_id"))
    f.before_id = parse_bounded("before_id", *b, 1, 1L << 62);
  f.limit = 100;
  if (auto l = single(rq.query, "limit")) f.limit = parse_bounded("limit", *l, 1, 1000);
  f.newest_first = true;
  return f;
}

std::vector<ChangeEntry> read_log(const Request& rq, const ChangeFilter& f) {
  auto& store = rq.app->store();
  access::IdentityMask mask(store, rq.principal);
  std::vector<ChangeEntry> out;
  store.for_each_change(f, [&](const ChangeEntry& e) {
    out.push_back(e);
    mask.apply(out.back());
  });
  return out;
}

// Every change of a recommendation (followup::history_of says what belongs to it), newest
// first, masked for the viewer.
std::vector<ChangeEntry> record_history(const Request& rq, const std::string& uid) {
  std::vector<ChangeEntry> out;
  for (const auto& [entity, id] : followup::history_of(rq.app->store(), uid)) {
    ChangeFilter cf;
    cf.entity = entity;
    cf.entity_id = id;
    auto part = read_log(rq, cf);
    out.insert(out.end(), part.begin(), part.end());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  return out;
}

json entries_json(const std::vector<ChangeEntry>& entries) {
  json out = json::array();
  for (const auto& e : entries)
    out.push_back({{"at", e.at.substr(0, 19)},
                   {"actor", e.actor},
                   {"entity", e.entity},
                   {"entity_id", e.entity_id},
                   {"field", e.field},
                   {"before", shorten_for_display(e.before.value_or(""), 300)},
                   {"after", shorten_for_display(e.after.value_or(""), 300)}});
  return out;
}

ojson entries_api(const std::vector<ChangeEntry>& entries) {
  ojson out = ojson::array();
  for (const auto& e : entries)
    out.push_back({{"id", e.id},
                   {"at", e.at},
                   {"actor", e.actor},
                   {"entity", e.entity},
                   {"entity_id", e.entity_id},
                   {"field", e.field},
                   {"before", e.before ? ojson(*e.before) : ojson(nullptr)},
                   {"after", e.after ? ojson(*e.after) : ojson(nullptr)}});
  return out;
}

}  // namespace

Response page_log(const Request& rq) {
  auto f = log_filter(rq);
  auto entries = read_log(rq, f);
  json d;
  d["heading"] = text(rq, "log.heading");
  d["has_filters"] = true;
  d["f"] = {{"actor", f.actor},
            {"entity", f.entity},
            {"entity_id", f.entity_id},
            {"since", f.since},
            {"until", single(rq.query, "until").value_or("")}};
  d["entries"] = entries_json(entries);
  d["has_entries"] = !entries.empty();
  if (static_cast<long>(entries.size()) == f.limit) {
    auto p = params_without(rq.query, {"before_id"});
    p.emplace_back("before_id", std::to_string(entries.back().id));
    d["older_href"] = url_with("/log", p);
  }
  d["nav"] = {{"log", true}};
  return render_page(rq, "log", text(rq, "log.title"), d);
}

Response page_history(const Request& rq) {
  auto uid = rq.path_param("uid");
  auto r = rq.app->store().get(uid);
  if (!r) throw NotFound("no recommendation with id " + uid);
  auto entries = record_history(rq, uid);
  json d;
  d["heading"] = rq.app->catalogues()->format(rq.lang, "history.heading", {{"uid", uid}});
  d["record"] = {{"href", "/recommendations/" + uid}, {"label", text(rq, "history.back")}};
  d["entries"] = entries_json(entries);
  d["has_entries"] = !entries.empty();
  return render_page(rq, "log", d["heading"], d);
}

Response api_log(const Request& rq) {
  auto f = log_filter(rq);
  auto entries = read_log(rq, f);
  return Response::json({{"entries", entries_api(entries)}});
}

Response api_history(const Request& rq) {
  auto uid = rq.path_param("uid");
  if (!rq.app->store().get(uid)) throw NotFound("no recommendation with id " + uid);
  return Response::json({{"uid", uid}, {"entries", entries_api(record_history(rq, uid))}});
}

}  // namespace hrtrack::web
