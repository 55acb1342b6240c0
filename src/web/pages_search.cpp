// The search page: results with snippets, facets counted disjunctively, filters that can be
// removed one by one, exports of the whole result, the coordinator's cluster and assignment forms.
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

namespace {

// The page's view model, section by section (page_search below calls them in order).
struct SearchPage {
  const Request& rq;
  const Catalogues& cat;
  const std::string& lang;
  const search::SearchRequest& req;
  const search::SearchResult& res;
  const Params& base;  // the query as parameters, for links that keep it
  std::optional<std::string> expand;
};

// Sort and page size controls.
void sort_controls(const SearchPage& sp, json& data) {
  const auto& rq = sp.rq;
  const auto& lang = sp.lang;
  const auto* cat = &sp.cat;
  const auto& req = sp.req;
  std::string sort_now = single(rq.query, "sort").value_or("relevance");
  json sorts = json::array();
  for (const char* s : {"relevance", "date", "date_asc", "state"})
    sorts.push_back({{"value", s},
                     {"label", cat->text(lang, std::string("sort.") + s)},
                     {"selected", sort_now == s}});
  data["sorts"] = sorts;
  json sizes = json::array();
  std::vector<long> size_options = {10, 20, 50, 100};
  if (std::find(size_options.begin(), size_options.end(), req.per_page) == size_options.end()) {
    size_options.push_back(req.per_page);  // a size given in the address stays selectable
    std::sort(size_options.begin(), size_options.end());
  }
  for (long n : size_options)
    sizes.push_back({{"value", std::to_string(n)},
                     {"label", std::to_string(n)},
                     {"selected", n == req.per_page}});
  data["per_pages"] = sizes;
}

// The results of this page, with their snippets, and the summary and pagination.
void results(const SearchPage& sp, const search::Index& index, json& data) {
  const auto& rq = sp.rq;
  const auto& lang = sp.lang;
  const auto* cat = &sp.cat;
  const auto& res = sp.res;
  const auto& base = sp.base;
  json items = json::array();
  auto& store = rq.app->store();
  for (const auto& hit : res.hits) {
    auto r = store.get(hit.uid);
    if (!r || r->deleted) continue;
    items.push_back(result_item(*cat, lang, *r, index, res.highlight_terms));
  }
  data["results"] = items;
  data["has_results"] = !items.empty();
  long first = (res.page - 1) * res.per_page + 1;
  long last = std::min(res.total, first + static_cast<long>(items.size()) - 1);
  data["first_index"] = std::to_string(first);
  data["total"] = format_count(res.total, lang);
  data["summary"] = res.total == 0  ? cat->text(lang, "search.no_results")
                    : items.empty() ? cat->format(lang, "search.summary_none_here",
                                                  {{"total", format_count(res.total, lang)}})
                                    : cat->format(lang, "search.summary",
                                                  {{"from", format_count(first, lang)},
                                                   {"to", format_count(last, lang)},
                                                   {"total", format_count(res.total, lang)}});
  data["pagination"] =
      pagination(params_without(base, {}), res.page, res.per_page, res.total, *cat, lang);
}

// Active filters, each with a link that removes it.
void active_filters(const SearchPage& sp, json& data) {
  const auto& lang = sp.lang;
  const auto* cat = &sp.cat;
  const auto& req = sp.req;
  const auto& res = sp.res;
  const auto& base = sp.base;
  json active = json::array();
  for (const auto& [name, values] : req.filters) {
    for (const auto& v : values) {
      Params without;
      bool removed = false;
      for (const auto& kv : base) {
        if (!removed && kv.first == name && kv.second == v) {
          removed = true;
          continue;
        }
        without.push_back(kv);
      }
      std::string shown = v;
      if (auto it = res.facets.find(name); it != res.facets.end() && name != "sdg") {
        if (const auto* m = matching_value(name, it->second, v))
          shown = value_label(*cat, lang, name, m->value, m->label);
      }
      std::string title =
          name == "sdg" ? cat->text(lang, "facet.sdg") : facet_title(*cat, lang, name);
      active.push_back({{"facet", title},
                        {"label", shown},
                        {"remove_href", search_href(without)},
                        {"remove_label", cat->format(lang, "search.remove_filter",
                                                     {{"filter", title + ": " + shown}})}});
    }
  }
  data["active"] = active;
  data["has_active"] = !active.empty();
  Params cleared;
  if (!req.q.empty()) cleared.emplace_back("q", req.q);
  data["clear_href"] = search_href(cleared);
}

// The facet sidebar: the 10 values with most results, every value when expanded, and the
// values already chosen even when they are not among those.
void facet_sidebar(const SearchPage& sp, json& data) {
  const auto& lang = sp.lang;
  const auto* cat = &sp.cat;
  const auto& req = sp.req;
  const auto& res = sp.res;
  const auto& base = sp.base;
  const auto& expand = sp.expand;
  const auto& facets = search::facets();
  json sidebar = json::array();
  int shown_facets = 0;
  for (const auto& def : facets) {
    auto it = res.facets.find(def.name);
    std::vector<search::FacetValue> values =
        it == res.facets.end() ? std::vector<search::FacetValue>{} : it->second;
    auto chosen_it = req.filters.find(def.name);
    std::vector<std::string> chosen =
        chosen_it == req.filters.end() ? std::vector<std::string>{} : chosen_it->second;
    if (values.empty() && chosen.empty()) continue;
    if (def.numeric)
      std::stable_sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
        return to_long(a.value) > to_long(b.value);
      });
    bool expanded = expand && *expand == def.name;
    std::size_t limit = expanded ? values.size() : 10;
    json vals = json::array();
    std::set<std::string> listed, checked_values;
    auto add_value = [&](const std::string& value, const std::string& label, long count) {
      vals.push_back({{"id", "f-" + def.name + "-" + std::to_string(vals.size())},
                      {"value", value},
                      {"label", value_label(*cat, lang, def.name, value, label)},
                      {"count", count < 0 ? std::string() : format_count(count, lang)},
                      {"checked", checked_values.count(value) > 0}});
      listed.insert(value);
    };
    for (const auto& c : chosen) {
      // Filters also take labels, State names and response synonyms ("Afghanistan",
      // "Accepted"); the facet lists codes: tick the value the filter means.
      const search::FacetValue* match = matching_value(def.name, values, c);
      checked_values.insert(match ? match->value : c);
      if (match)
        add_value(match->value, match->label, match->count);
      else
        add_value(c, c, -1);  // a range ("2010..2012") or a value with no result
    }
    for (std::size_t i = 0; i < values.size() && listed.size() < limit + chosen.size(); ++i)
      if (!listed.count(values[i].value))
        add_value(values[i].value, values[i].label, values[i].count);
    bool has_more = !expanded && values.size() > 10;
    Params more_params = params_without(base, {"more"});
    if (!expanded) more_params.emplace_back("more", def.name);
    // Open the first few facets that offer a choice, and every facet in use.
    bool open = !chosen.empty() || expanded || (values.size() > 1 && shown_facets < 4);
    if (values.size() > 1 && chosen.empty() && !expanded) ++shown_facets;
    std::string title = cat->text(lang, def.label_id);
    sidebar.push_back(
        {{"name", def.name},
         {"title", title},
         {"values", vals},
         {"open", open},
         {"has_more", has_more},
         {"expanded", expanded},
         {"more_href", search_href(more_params) + "#facet-" + def.name},
         {"more_label",
          cat->format(lang, "facet.more",
                      {{"facet", title},
                       {"count", format_count(static_cast<long>(values.size()), lang)}})}});
  }
  data["facets"] = sidebar;
  data["has_facets"] = !sidebar.empty();
}

// Downloads of the whole result set, and the same search in the API.
void export_links(const SearchPage& sp, json& data) {
  const auto& rq = sp.rq;
  const auto& res = sp.res;
  auto export_href = [&](const char* format) {
    Params p = params_without(rq.query, {"page", "per_page", "lang", "more", "facet_limit"});
    p.emplace_back("format", format);
    return url_with("/api/export", p);
  };
  data["export_csv"] = export_href("csv");
  data["export_xlsx"] = export_href("xlsx");
  data["export_json"] = export_href("json");
  data["api_href"] = url_with("/api/recommendations", params_without(rq.query, {"more"}));
  data["can_export"] = res.total > 0;
}

// "No progress update for N months": offered when followed recommendations are in the result.
void stale_links(const SearchPage& sp, json& data) {
  const auto& rq = sp.rq;
  const auto& lang = sp.lang;
  const auto* cat = &sp.cat;
  const auto& res = sp.res;
  bool followed = false;
  if (auto it = res.facets.find("last_update"); it != res.facets.end())
    followed = !it->second.empty();
  auto current_stale = single(rq.query, "no_update_months").value_or("");
  if (followed || !current_stale.empty()) {
    json links = json::array();
    for (int months : {6, 12, 24}) {
      auto p = params_without(rq.query, {"no_update_months", "page"});
      p.emplace_back("no_update_months", std::to_string(months));
      links.push_back(
          {{"href", url_with("/search", p)},
           {"label", cat->format(lang, "search.no_update_months", {{"n", std::to_string(months)}})},
           {"current", current_stale == std::to_string(months)}});
    }
    data["stale"] = true;
    data["stale_open"] = !current_stale.empty();
    data["stale_links"] = links;
  }
}

}  // namespace

Response page_search(const Request& rq) {
  auto cat = rq.app->catalogues();
  const auto& lang = rq.lang;
  const auto& facets = search::facets();
  auto expand = single(rq.query, "more");
  if (expand && !facet_def(*expand))
    throw search::BadRequest(
        "more", "more names a facet; '" + shorten_for_display(*expand, 40) + "' is not one");
  auto req = parse_search_request(rq.query, facets, true);
  req.with_facets = true;  // the sidebar shows every facet, whatever the address says
  req.facet_names.clear();
  req.facet_limit = 0;
  // The sidebar counts a facet that has a filter as if that filter were not set, so its other
  // values show what choosing them too would add; the API's facets count the result itself.
  req.disjunctive_facets = true;
  auto index = rq.app->index();

  json data;
  data["nav"] = nav("search");
  data["q"] = req.q;
  data["keep_lang"] = rq.lang_from_query;
  data["more"] = expand.value_or("");
  data["has_more_param"] = expand.has_value();

  search::SearchResult res;
  std::string error;
  int status = 200;
  try {
    res = index->search(req);
  } catch (const search::BadRequest& e) {
    // Show the form again with the message, so the query can be fixed where it was typed.
    error = e.what();
    status = 400;
    res.page = req.page;
    res.per_page = req.per_page;
  }
  data["has_error"] = !error.empty();
  data["error"] = error;

  // The query as parameters, for links that keep it (pagination, facets, exports).
  Params base = params_without(rq.query, {"page", "lang", "facet_limit"});

  SearchPage sp{rq, *cat, lang, req, res, base, expand};
  sort_controls(sp, data);
  results(sp, *index, data);
  active_filters(sp, data);
  facet_sidebar(sp, data);
  export_links(sp, data);
  stale_links(sp, data);
  std::string title = req.q.empty() ? cat->text(lang, "search.title")
                                    : cat->format(lang, "search.title_q", {{"q", req.q}});
  data["manage"] = search_manage_json(rq, res.total);
  return render_page(rq, "search", title, data, status);
}

}  // namespace hrtrack::web
