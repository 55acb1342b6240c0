// HTML page handlers: each builds a view model (JSON) and renders a template. Everything shown
// is text escaped by the template engine; URLs are built here with every part percent-encoded.
#include <unicode/coll.h>
#include <unicode/locid.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "access/permissions.h"
#include "core/countries.h"
#include "core/error.h"
#include "core/text.h"
#include "web/app.h"
#include "web/render.h"
#include "web/routes.h"
#include "web/view.h"

namespace hrtrack::web {

using json = nlohmann::json;

namespace {

const search::FacetDef* facet_def(const std::string& name) {
  for (const auto& f : search::facets())
    if (f.name == name) return &f;
  return nullptr;
}

// The first of `candidates` that is a facet of the index ("" if none): pages link record fields
// to searches only through facets that exist.
std::string facet_named(std::initializer_list<const char*> candidates) {
  for (const char* c : candidates)
    if (facet_def(c)) return c;
  return "";
}

std::string search_href(const Params& p) {
  return url_with("/search", p);
}

// Sorts labels by the rules of the UI language (ICU collation: "Égypte" near "Equateur").
void sort_by_label(json& values, const std::string& lang) {
  thread_local std::map<std::string, std::unique_ptr<icu::Collator>> collators;
  auto& c = collators[lang];
  if (!c) {
    UErrorCode err = U_ZERO_ERROR;
    c.reset(icu::Collator::createInstance(icu::Locale(lang.c_str()), err));
    if (U_FAILURE(err)) c.reset();
  }
  std::stable_sort(values.begin(), values.end(), [&](const json& a, const json& b) {
    const auto& la = a["label"].get_ref<const std::string&>();
    const auto& lb = b["label"].get_ref<const std::string&>();
    if (!c) return la < lb;
    UErrorCode err = U_ZERO_ERROR;
    return c->compareUTF8(la, lb, err) == UCOL_LESS;
  });
}

long to_long(const std::string& s) {
  auto v = parse_int(s);
  return v ? *v : -1;
}

// The facet value a filter value means: the same code or label (ASCII case aside), the same
// State (ISO code or any name find_country knows), the same response (synonyms).
const search::FacetValue* matching_value(const std::string& facet,
                                         const std::vector<search::FacetValue>& values,
                                         const std::string& raw) {
  for (const auto& v : values)
    if (v.value == raw) return &v;
  std::string iso, response;
  if (is_state_facet(facet))
    if (auto c = find_country(raw)) iso = c->iso3;
  if (facet == "response")
    if (auto r = response_from_string(raw)) response = std::string(to_string(*r));
  for (const auto& v : values) {
    if (iequals(v.value, raw) || iequals(v.label, raw) ||
        (!response.empty() && v.value == response))
      return &v;
    if (!iso.empty()) {
      auto c = find_country(v.value);
      if (c && c->iso3 == iso) return &v;
    }
  }
  return nullptr;
}

json nav(const std::string& current) {
  return {{"home", current == "home"},
          {"search", current == "search"},
          {"browse", current == "browse"},
          {"api", current == "api"}};
}

// A result's heading in parts: "Slovenia", "A/HRC/28/15 ¶ 115.1" or "Slovenia", "UPR",
// "session 8", "2010". The template isolates each part (<bdi>), so a document symbol keeps its
// order inside an Arabic heading.
std::vector<std::string> record_heading_parts(const Catalogues& cat, const std::string& lang,
                                              const Recommendation& r) {
  std::vector<std::string> parts;
  std::string state = state_label(r.state_iso3, r.state_name, lang);
  parts.push_back(state.empty() ? cat.text(lang, "record.unknown_state") : state);
  if (!r.symbol.empty()) {
    parts.push_back(r.paragraph.empty() ? r.symbol : r.symbol + " ¶ " + r.paragraph);
  } else {
    parts.push_back(r.mechanism);
    if (r.upr_session)
      parts.push_back(cat.format(lang, "record.session_n", {{"n", std::to_string(r.upr_session)}}));
    if (r.year) parts.push_back(std::to_string(r.year));
  }
  return parts;
}

std::string record_heading(const Catalogues& cat, const std::string& lang,
                           const Recommendation& r) {
  return join(record_heading_parts(cat, lang, r), " · ");
}

json heading_parts_json(const Catalogues& cat, const std::string& lang, const Recommendation& r) {
  json out = json::array();
  for (const auto& p : record_heading_parts(cat, lang, r))
    out.push_back({{"text", p}, {"sep", !out.empty()}});
  return out;
}

json response_badge(const Catalogues& cat, const std::string& lang, const Recommendation& r) {
  std::string code(to_string(r.response));
  if (code.empty()) {
    if (r.kind == Kind::Pledge)
      return {{"has", true},
              {"label", value_label(cat, lang, "kind", "pledge", "pledge")},
              {"class", "pledge"}};
    return {{"has", false}, {"label", ""}, {"class", ""}};
  }
  std::string cls = code == "supported" ? "supported" : code == "noted" ? "noted" : "other";
  return {{"has", true}, {"label", value_label(cat, lang, "response", code, code)}, {"class", cls}};
}

json text_block(const std::string& text, const std::string& text_lang) {
  const Language* l = find_language(text_lang);
  return {{"text", text}, {"lang", text_lang}, {"dir", l && l->rtl ? "rtl" : "ltr"}};
}

// One result of a search, for the list.
json result_item(const Catalogues& cat, const std::string& lang, const Recommendation& r,
                 const search::Index& index, const std::vector<std::string>& terms) {
  std::string text_lang;
  const auto& text = text_for(r, lang, text_lang);
  search::Snippet snip;
  if (!terms.empty()) {
    snip = index.snippet(text, terms, 320);
  } else {
    // No query words: the beginning of the text, cut on a word boundary.
    std::string t = text;
    if (t.size() > 320) {
      std::size_t cut = 320;
      while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
      auto space = t.rfind(' ', cut);
      if (space != std::string::npos && space > 200) cut = space;
      t.resize(cut);
      snip.cut_after = true;
    }
    snip.pieces.push_back({t, false});
  }
  json pieces = json::array();
  for (const auto& p : snip.pieces) pieces.push_back({{"text", p.text}, {"hit", p.hit}});
  const Language* tl = find_language(text_lang);
  json by = json::array();
  for (const auto& s : r.recommending_states) by.push_back(s);
  std::string from;
  if (!r.recommending_states.empty() && r.kind != Kind::Pledge) {
    std::vector<std::string> names;
    for (const auto& st : r.recommending_states) names.push_back(state_label(st, st, lang));
    from = cat.format(lang, "record.recommended_by", {{"states", join(names, ", ")}});
  }
  return {{"href", "/recommendations/" + r.uid},
          {"heading", record_heading(cat, lang, r)},
          {"heading_parts", heading_parts_json(cat, lang, r)},
          {"pieces", pieces},
          {"cut_before", snip.cut_before},
          {"cut_after", snip.cut_after},
          {"text_lang", text_lang},
          {"text_dir", tl && tl->rtl ? "rtl" : "ltr"},
          {"response", response_badge(cat, lang, r)},
          {"from", from},
          {"has_from", !from.empty()}};
}

json pagination(const Params& base, long page, long per_page, long total, const Catalogues& cat,
                const std::string& lang) {
  long last = total == 0 ? 1 : (total + per_page - 1) / per_page;
  auto href = [&](long p) {
    auto params = base;
    if (p > 1) params.emplace_back("page", std::to_string(p));
    return search_href(params);
  };
  json pages = json::array();
  auto add = [&](long p) {
    pages.push_back(
        {{"number", format_count(p, lang)},
         {"href", href(p)},
         {"current", p == page},
         {"gap", false},
         {"label", cat.format(lang, "pagination.page_n", {{"n", format_count(p, lang)}})}});
  };
  auto gap = [&] {
    pages.push_back(
        {{"number", ""}, {"href", ""}, {"current", false}, {"gap", true}, {"label", ""}});
  };
  long lo = std::max(1L, page - 2), hi = std::min(last, page + 2);
  if (lo > 1) add(1);
  if (lo > 2) gap();
  for (long p = lo; p <= hi; ++p) add(p);
  if (hi < last - 1) gap();
  if (hi < last) add(last);
  return {{"show", last > 1 || page > 1},
          {"has_prev", page > 1},
          {"prev_href", href(std::min(page - 1, last))},
          {"has_next", page < last},
          {"next_href", href(page + 1)},
          {"pages", pages},
          {"beyond", page > last && total > 0},
          {"last_href", href(last)}};
}

}  // namespace

// ----------------------------------------------------------------------------------------------

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

  // Sort and page size controls.
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

  // The query as parameters, for links that keep it (pagination, facets, exports).
  Params base = params_without(rq.query, {"page", "lang", "facet_limit"});

  // Results.
  json items = json::array();
  auto& store = rq.app->store();
  for (const auto& hit : res.hits) {
    auto r = store.get(hit.uid);
    if (!r || r->deleted) continue;
    items.push_back(result_item(*cat, lang, *r, *index, res.highlight_terms));
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

  // Active filters, each with a link that removes it.
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

  // Facet sidebar: the 10 values with most results, every value when expanded, and the values
  // already chosen even when they are not among those.
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

  // Downloads of the whole result set.
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

  std::string title = req.q.empty() ? cat->text(lang, "search.title")
                                    : cat->format(lang, "search.title_q", {{"q", req.q}});
  data["manage"] = search_manage_json(rq, res.total);
  // "No progress update for N months": offered when followed recommendations are in the result.
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
  return render_page(rq, "search", title, data, status);
}

Response page_record(const Request& rq) {
  auto cat = rq.app->catalogues();
  const auto& lang = rq.lang;
  const auto& uid = rq.path_param("uid");
  auto& store = rq.app->store();
  auto found = store.get(uid);
  if (!found || found->deleted) throw NotFound("no recommendation with id " + uid);
  const auto& r = *found;

  json data;
  data["nav"] = nav("search");
  data["uid"] = r.uid;
  data["heading"] = record_heading(*cat, lang, r);
  data["heading_parts"] = heading_parts_json(*cat, lang, r);
  data["kind"] = value_label(*cat, lang, "kind", std::string(to_string(r.kind)),
                             std::string(to_string(r.kind)));
  std::string text_lang;
  const auto& text = text_for(r, lang, text_lang);
  data["text"] = text_block(text, text_lang);
  data["response"] = response_badge(*cat, lang, r);
  // The text as issued, when another language is shown.
  data["has_original"] = text_lang != r.lang;
  data["original"] = text_block(r.text, r.lang.empty() ? "en" : r.lang);
  json variants = json::array();
  for (const auto& v : r.variants) {
    if (v.lang == text_lang) continue;
    auto b = text_block(v.text, v.lang);
    b["label"] = cat->format(lang, "record.text_in", {{"lang", v.lang}});
    variants.push_back(b);
  }
  data["variants"] = variants;
  data["has_variants"] = !variants.empty();

  // Fields: label, and values that link to a search where a facet exists.
  json fields = json::array();
  auto field = [&](const std::string& id, json values) {
    if (values.empty()) return;
    fields.push_back({{"label", cat->text(lang, "field." + id)}, {"values", values}});
  };
  auto value = [](const std::string& text, const std::string& href) {
    return json{{"text", text}, {"href", href}, {"link", !href.empty()}};
  };
  auto linked = [&](const std::string& facet, const std::string& v, const std::string& shown) {
    return value(shown, facet.empty() ? "" : search_href({{facet, v}}));
  };
  auto list = [&](const std::string& facet, const std::vector<std::string>& vs) {
    json out = json::array();
    for (const auto& v : vs) out.push_back(linked(facet, v, value_label(*cat, lang, facet, v, v)));
    return out;
  };
  auto one = [&](const std::string& s) {
    return s.empty() ? json::array() : json::array({value(s, "")});
  };

  std::string mech_name = r.mechanism;
  for (const auto& m : store.mechanisms())
    if (m.code == r.mechanism) mech_name = m.name;
  field("kind", json::array({linked(facet_named({"kind"}), std::string(to_string(r.kind)),
                                    data["kind"].get<std::string>())}));
  field("mechanism",
        json::array({linked(facet_named({"mechanism"}), r.mechanism,
                            value_label(*cat, lang, "mechanism", r.mechanism, mech_name))}));
  if (!r.body.empty() && r.body != r.mechanism) field("body", one(r.body));
  if (!r.state_iso3.empty() || !r.state_name.empty())
    field("state",
          json::array({linked(r.state_iso3.empty() ? "" : facet_named({"state"}), r.state_iso3,
                              state_label(r.state_iso3, r.state_name, lang))}));
  field("regions", list(facet_named({"region"}), r.regions));
  field("symbol", one(r.symbol));
  field("paragraph", one(r.paragraph));
  field("pub_date", one(r.pub_date));
  if (r.year)
    field("year", json::array({linked(facet_named({"year"}), std::to_string(r.year),
                                      std::to_string(r.year))}));
  if (r.upr_cycle)
    field("upr_cycle",
          json::array({linked(facet_named({"cycle", "upr_cycle"}), std::to_string(r.upr_cycle),
                              std::to_string(r.upr_cycle))}));
  if (r.upr_session)
    field("upr_session",
          json::array({linked(facet_named({"session", "upr_session"}),
                              std::to_string(r.upr_session), std::to_string(r.upr_session))}));
  {
    json states = json::array();
    std::string f = facet_named({"recommending_state", "recommending_states", "from"});
    for (const auto& s : r.recommending_states) {
      auto c = find_country(s);
      states.push_back(linked(f, s, c ? state_label(c->iso3, s, lang) : s));
    }
    field("recommending_states", states);
  }
  field("recommending_regions", list("", r.recommending_regions));
  std::string response(to_string(r.response));
  if (!response.empty())
    field("response",
          json::array({linked(facet_named({"response"}), response,
                              value_label(*cat, lang, "response", response, response))}));
  if (!r.response_raw.empty() && !iequals(r.response_raw, response))
    field("response_raw", one(r.response_raw));
  field("response_doc", one(r.response_doc));
  field("themes", list(facet_named({"theme", "themes"}), r.themes));
  field("persons", list(facet_named({"persons", "person"}), r.persons));
  {
    json sdgs = json::array();
    for (const auto& s : r.sdgs) {
      auto code = sdg_code(s);
      sdgs.push_back(value(s, code ? search_href({{"sdg", *code}}) : ""));
    }
    field("sdgs", sdgs);
  }
  field("issues", list(facet_named({"issue", "issues"}), r.issues));
  field("source_cluster", one(r.source_cluster));
  if (r.action_category)
    field("action_category",
          json::array({value(
              cat->text(lang, "value.action_category." + std::to_string(r.action_category)), "")}));
  field("state_orgs", list("", r.state_orgs));
  field("recommending_orgs", list("", r.recommending_orgs));
  field("annotation_id", one(r.annotation_id));
  field("document_id", one(r.document_id));
  field("source",
        one(r.provenance.file.empty() ? ""
                                      : cat->format(lang, "record.source_value",
                                                    {{"file", r.provenance.file},
                                                     {"row", std::to_string(r.provenance.row)},
                                                     {"format", r.provenance.format}})));
  field("uid", one(r.uid));
  data["fields"] = fields;
  data["json_href"] = "/api/recommendations/" + r.uid;
  if (access::allowed(rq.principal, "record.history"))
    data["history_href"] = "/recommendations/" + r.uid + "/history";
  data["self_href"] = "/recommendations/" + r.uid;
  {
    // The public follow-up: what anyone sees (published only), whoever is signed in.
    Request pub = rq;
    pub.principal = access::Principal{};
    auto fu = followup_public_json(pub, r.uid);
    if (rq.principal.signed_in() && !rq.principal.via_token)
      fu["workspace_href"] = "/followup/" + r.uid;
    data["followup"] = fu;
  }

  // Related: the same State on the same themes (UPR Info issues when there are no themes).
  json related = json::array();
  std::string related_href;
  long related_total = 0;
  std::string state_f = facet_named({"state"});
  std::string theme_f = facet_named({"theme", "themes"});
  std::string issue_f = facet_named({"issue", "issues"});
  search::SearchRequest rel;
  bool can_relate = !state_f.empty() && !r.state_iso3.empty();
  if (can_relate) {
    rel.filters[state_f] = {r.state_iso3};
    if (!r.themes.empty() && !theme_f.empty())
      rel.filters[theme_f] = r.themes;
    else if (!r.issues.empty() && !issue_f.empty())
      rel.filters[issue_f] = r.issues;
    else
      can_relate = false;
  }
  if (can_relate) {
    rel.per_page = 6;
    rel.sort = search::Sort::DateDesc;
    rel.with_facets = false;
    auto index = rq.app->index();
    try {
      auto res = index->search(rel);
      related_total = std::max(0L, res.total - 1);
      for (const auto& hit : res.hits) {
        if (hit.uid == r.uid || related.size() >= 5) continue;
        auto o = store.get(hit.uid);
        if (!o || o->deleted) continue;
        related.push_back(result_item(*cat, lang, *o, *index, {}));
      }
    } catch (const search::BadRequest&) {
      // A theme label the index does not know: no related list rather than an error page.
    }
    Params p;
    for (const auto& [f, vs] : rel.filters)
      for (const auto& v : vs) p.emplace_back(f, v);
    related_href = search_href(p);
  }
  data["related"] = related;
  data["has_related"] = !related.empty();
  data["related_href"] = related_href;
  data["related_all"] =
      cat->format(lang, "record.related_all", {{"count", format_count(related_total, lang)}});
  return render_page(rq, "record", data["heading"].get<std::string>(), data);
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
