// JSON API handlers. Parameters are validated in params.cpp before anything reaches the index;
// errors are thrown and turned into JSON by the dispatcher (server.cpp).
#include "core/error.h"
#include "core/record_json.h"
#include "web/app.h"
#include "web/routes.h"
#include "web/view.h"

namespace hrtrack::web {

using ojson = nlohmann::ordered_json;

Response Response::json(const ojson& j, int status) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::text(std::string body, std::string content_type) {
  Response r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

namespace {

// A search result's page of records, read from the store in page order.
ojson items_json(App& app, const search::Index& index, const search::SearchResult& res,
                 const std::string& lang) {
  auto items = ojson::array();
  auto& store = app.store();
  for (const auto& hit : res.hits) {
    auto r = store.get(hit.uid);
    if (!r || r->deleted) continue;  // deleted since the index was built
    if (res.highlight_terms.empty()) {
      items.push_back(api_item(*r, lang, nullptr));
    } else {
      std::string text_lang;
      auto snip = index.snippet(text_for(*r, lang, text_lang), res.highlight_terms, 240);
      items.push_back(api_item(*r, lang, &snip));
    }
  }
  return items;
}

const search::FacetDef* find_facet(const std::string& name) {
  for (const auto& f : search::facets())
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace

Response api_search(const Request& rq) {
  auto req = parse_search_request(rq.query, search::facets(), true);
  auto index = rq.app->index();
  auto res = index->search(req);
  auto cat = rq.app->catalogues();
  // Written directly (see append_facets_json); same shape as Response::json would give.
  Response out;
  out.content_type = "application/json; charset=utf-8";
  auto& b = out.body;
  b.reserve(16384);
  b += "{\"total\":" + std::to_string(res.total) + ",\"page\":" + std::to_string(res.page) +
       ",\"per_page\":" + std::to_string(res.per_page) + ",\"items\":";
  b += items_json(*rq.app, *index, res, rq.lang)
           .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  b += ",\"facets\":";
  append_facets_json(b, res.facets, *cat, rq.lang);
  b += '}';
  return out;
}

Response api_record(const Request& rq) {
  const auto& uid = rq.path_param("uid");
  auto r = rq.app->store().get(uid);
  if (!r || r->deleted) throw NotFound("no recommendation with id " + uid);
  auto j = to_json(*r);
  j["state_label"] = state_label(r->state_iso3, r->state_name, rq.lang);
  j["url"] = "/recommendations/" + r->uid;
  return Response::json(j);
}

Response api_vocabularies(const Request& rq) {
  auto& store = rq.app->store();
  auto arr = ojson::array();
  for (const auto& v : store.vocabularies(false))
    arr.push_back({{"name", v.name},
                   {"version", v.version},
                   {"title", v.title},
                   {"source", v.source},
                   {"url", "/api/vocabularies/" + v.name}});
  arr.push_back({{"name", "mechanisms"},
                 {"version", "built-in"},
                 {"title", "Mechanisms"},
                 {"source", "hrtrack"},
                 {"url", "/api/vocabularies/mechanisms"}});
  return Response::json({{"vocabularies", arr}});
}

Response api_vocabulary(const Request& rq) {
  const auto& name = rq.path_param("name");
  auto& store = rq.app->store();
  if (name == "mechanisms") {
    auto arr = ojson::array();
    for (const auto& m : store.mechanisms())
      arr.push_back({{"code", m.code},
                     {"parent", m.parent},
                     {"level", m.level},
                     {"type", m.type},
                     {"name", m.name},
                     {"symbol_prefixes", m.symbol_prefixes},
                     {"aliases", m.aliases}});
    return Response::json({{"name", "mechanisms"}, {"terms", arr}});
  }
  auto v = store.vocabulary(name);
  if (!v) throw NotFound("no vocabulary named '" + name + "' (see /api/vocabularies)");
  auto terms = ojson::array();
  for (const auto& t : v->terms) {
    ojson tj;
    tj["code"] = t.code;
    tj["parent"] = t.parent_code;
    tj["label"] = t.label;
    auto it = t.labels.find(rq.lang);
    tj["label_" + rq.lang] = it != t.labels.end() ? it->second : t.label;
    if (rq.lang == "en") tj.erase("label_en");
    tj["labels"] = t.labels;
    tj["group"] = t.is_group;
    if (t.added_by_import) tj["added_by_import"] = t.added_by_import;
    terms.push_back(tj);
  }
  return Response::json({{"name", v->name},
                         {"version", v->version},
                         {"title", v->title},
                         {"source", v->source},
                         {"terms", terms}});
}

Response api_facet(const Request& rq) {
  const auto& name = rq.path_param("name");
  if (!find_facet(name)) throw NotFound("no facet named '" + name + "'");
  auto index = rq.app->index();
  auto cat = rq.app->catalogues();
  auto values = index->facet_values(name);
  std::map<std::string, std::vector<search::FacetValue>> one{{name, std::move(values)}};
  auto j = facets_json(one, *cat, rq.lang);
  return Response::json(
      {{"name", name}, {"title", facet_title(*cat, rq.lang, name)}, {"values", j[name]}});
}

Response api_openapi(const Request& rq) {
  return Response::json(openapi_document(rq.app->routes(), search::facets()));
}

Response api_health(const Request& rq) {
  auto index = rq.app->index();
  return Response::json({{"status", "ok"},
                         {"records", index->size()},
                         {"data_version", index->data_version()},
                         {"index_bytes", index->memory_bytes()}});
}

}  // namespace hrtrack::web
