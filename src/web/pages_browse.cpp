// The home page, the ways to browse (every value of a facet with its count) and the API page.
#include <unicode/coll.h>
#include <unicode/locid.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "access/permissions.h"
#include "core/countries.h"
#include "core/error.h"
#include "core/text.h"
#include "web/app.h"
#include "web/pages_common.h"
#include "web/render.h"
#include "web/routes.h"
#include "web/view.h"

namespace hrtrack::web {

using namespace pages;

Response page_home(const Request& rq) {
  auto cat = rq.app->catalogues();
  auto index = rq.app->index();
  const auto& lang = rq.lang;
  json data;
  data["nav"] = nav("home");
  long total = index->size();
  data["total"] = format_count(total, lang);
  json mechanisms = json::array();
  if (facet_def("mechanism")) {
    for (const auto& v : index->facet_values("mechanism"))
      mechanisms.push_back({{"label", value_label(*cat, lang, "mechanism", v.value, v.label)},
                            {"code", v.value},
                            {"count", format_count(v.count, lang)},
                            {"href", search_href({{"mechanism", v.value}})}});
  }
  data["mechanisms"] = mechanisms;
  data["has_mechanisms"] = !mechanisms.empty();
  long states = 0;
  if (facet_def("state")) states = static_cast<long>(index->facet_values("state").size());
  std::string from, to;
  if (facet_def("year")) {
    long lo = 0, hi = 0;
    for (const auto& v : index->facet_values("year")) {
      long y = to_long(v.value);
      if (y <= 0) continue;
      lo = lo ? std::min(lo, y) : y;
      hi = std::max(hi, y);
    }
    if (lo) from = std::to_string(lo), to = std::to_string(hi);
  }
  data["intro"] =
      total == 0
          ? cat->text(lang, "home.empty")
          : cat->format(lang, "home.intro",
                        {{"count", format_count(total, lang)},
                         {"states", format_count(states, lang)},
                         {"mechanisms", format_count(static_cast<long>(mechanisms.size()), lang)}});
  data["has_years"] = !from.empty();
  data["years"] = cat->format(lang, "home.years", {{"from", from}, {"to", to}});
  json browse = json::array();
  for (const char* f : {"mechanism", "state", "theme", "sdg"}) {
    std::string id = std::string("browse.by.") + f;
    browse.push_back({{"href", std::string("/browse/") + f}, {"label", cat->text(lang, id)}});
  }
  data["browse"] = browse;
  return render_page(rq, "home", cat->text(lang, "home.title"), data);
}

Response page_browse_index(const Request& rq) {
  auto cat = rq.app->catalogues();
  const auto& lang = rq.lang;
  auto index = rq.app->index();
  json data;
  data["nav"] = nav("browse");
  json items = json::array();
  auto add = [&](const std::string& name, const std::string& title, long n) {
    items.push_back(
        {{"href", "/browse/" + name},
         {"title", title},
         {"count", cat->format(lang, "browse.values", {{"count", format_count(n, lang)}})}});
  };
  bool has_sdg = false;
  for (const auto& f : search::facets()) {
    if (f.name.rfind("sdg", 0) == 0) {
      if (!has_sdg)
        add("sdg", cat->text(lang, "facet.sdg"),
            static_cast<long>(index->facet_values(f.name).size()));
      has_sdg = true;
      continue;
    }
    add(f.name, cat->text(lang, f.label_id), static_cast<long>(index->facet_values(f.name).size()));
  }
  data["facets"] = items;
  return render_page(rq, "browse_index", cat->text(lang, "browse.title"), data);
}

Response page_browse(const Request& rq) {
  auto cat = rq.app->catalogues();
  const auto& lang = rq.lang;
  const auto& name = rq.path_param("facet");
  auto index = rq.app->index();
  json data;
  data["nav"] = nav("browse");
  data["is_sdg"] = name == "sdg";
  std::string title;
  if (name == "sdg") {
    // Goals, each with its targets.
    std::string goal_f = facet_named({"sdg_goal", "sdg_goals"});
    std::string target_f = facet_named({"sdg_target", "sdg_targets"});
    if (goal_f.empty() && target_f.empty()) throw NotFound("this index has no SDG facet");
    std::vector<search::FacetValue> goals, targets;
    if (!goal_f.empty()) goals = index->facet_values(goal_f);
    if (!target_f.empty()) targets = index->facet_values(target_f);
    std::sort(goals.begin(), goals.end(),
              [](const auto& a, const auto& b) { return to_long(a.value) < to_long(b.value); });
    auto target_key = [](const std::string& v) {
      auto dot = v.find('.');
      long g = to_long(v.substr(0, dot));
      std::string t = dot == std::string::npos ? "" : v.substr(dot + 1);
      long tn = to_long(t);
      return std::make_tuple(g, tn < 0 ? 1000 : tn, t);  // 16.1 .. 16.10, then 16.a, 16.b
    };
    std::sort(targets.begin(), targets.end(), [&](const auto& a, const auto& b) {
      return target_key(sdg_code(a.value).value_or(a.value)) <
             target_key(sdg_code(b.value).value_or(b.value));
    });
    json gl = json::array();
    for (const auto& g : goals) {
      auto gcode = sdg_code(g.value).value_or(g.value);
      json ts = json::array();
      for (const auto& t : targets) {
        auto tcode = sdg_code(t.value).value_or(t.value);
        if (tcode.substr(0, tcode.find('.')) != gcode) continue;
        ts.push_back({{"label", t.label.empty() ? t.value : t.label},
                      {"count", format_count(t.count, lang)},
                      {"href", search_href({{"sdg", tcode}})}});
      }
      gl.push_back({{"label", g.label.empty() ? g.value : g.label},
                    {"count", format_count(g.count, lang)},
                    {"href", search_href({{"sdg", gcode}})},
                    {"targets", ts},
                    {"has_targets", !ts.empty()}});
    }
    data["goals"] = gl;
    data["values"] = json::array();
    data["has_values"] = !gl.empty();
    title = cat->text(lang, "facet.sdg");
  } else {
    const auto* def = facet_def(name);
    if (!def) throw NotFound("no facet named '" + name + "'");
    title = cat->text(lang, def->label_id);
    json values = json::array();
    for (const auto& v : index->facet_values(name))
      values.push_back({{"label", value_label(*cat, lang, name, v.value, v.label)},
                        {"value", v.value},
                        {"n", v.count},
                        {"count", format_count(v.count, lang)},
                        {"href", search_href({{name, v.value}})}});
    if (def->numeric) {
      std::sort(values.begin(), values.end(), [](const json& a, const json& b) {
        return to_long(a["value"]) > to_long(b["value"]);
      });
    } else if (name != "mechanism" && name != "response" && name != "kind" && name != "level") {
      sort_by_label(values, lang);
    }
    data["values"] = values;
    data["has_values"] = !values.empty();
    data["by_count"] = name == "mechanism";
  }
  data["heading"] = cat->format(lang, "browse.heading", {{"facet", title}});
  data["columns"] = !data["is_sdg"].get<bool>() && data["values"].size() > 12;
  return render_page(rq, "browse", data["heading"].get<std::string>(), data);
}

Response page_about_api(const Request& rq) {
  auto cat = rq.app->catalogues();
  json data;
  data["nav"] = nav("api");
  json routes = json::array();
  for (const auto& r : rq.app->routes()) {
    if (r.kind != RouteKind::Api) continue;
    routes.push_back({{"method", r.method}, {"pattern", r.pattern}, {"summary", r.summary}});
  }
  data["routes"] = routes;
  json facets = json::array();
  for (const auto& f : search::facets())
    facets.push_back(
        {{"name", f.name}, {"title", cat->text(rq.lang, f.label_id)}, {"numeric", f.numeric}});
  data["facets"] = facets;
  return render_page(rq, "api", cat->text(rq.lang, "api.title"), data);
}

}  // namespace hrtrack::web
