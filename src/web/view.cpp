#include "web/view.h"

#include "core/record_json.h"

#include <map>
#include <mutex>

#include <unordered_map>

#include "core/countries.h"
#include "core/text.h"

namespace hrtrack::web {

bool is_state_facet(const std::string& facet) {
  return facet == "state" || facet == "recommending_state" || facet == "recommending_states";
}

std::string state_label(const std::string& code, const std::string& source_name,
                        const std::string& lang) {
  if (code.empty()) return source_name;
  // ICU display names cost a few microseconds each; a facet lists ~200 States per request.
  static std::mutex mu;
  static std::map<std::string, std::string, std::less<>> cache;
  std::string key = lang + ":" + code;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(key); it != cache.end())
      return it->second.empty() ? (source_name.empty() ? code : source_name) : it->second;
  }
  std::string name;
  if (auto c = find_country(code)) name = country_display_name(c->iso3, lang);
  std::lock_guard<std::mutex> lock(mu);
  if (cache.size() < 20000) cache.emplace(key, name);
  return name.empty() ? (source_name.empty() ? code : source_name) : name;
}

namespace {

// What the UI shows instead of the index's label for a facet value in a language, or "" to keep
// the index's label. Cached per thread (no lock on the hot path) and per catalogue object, so a
// reloaded catalogue (HRTRACK_ASSETS_DIR) is seen at once.
const std::string& label_override(const Catalogues& cat, const std::string& lang,
                                  const std::string& facet, const std::string& value) {
  struct Cache {
    std::uint64_t catalogues = 0;
    std::unordered_map<std::string, std::string> by_key;
  };
  thread_local Cache cache;
  thread_local std::string key;
  if (cache.catalogues != cat.id() || cache.by_key.size() > 50000) {
    cache.by_key.clear();
    cache.catalogues = cat.id();
  }
  key.assign(lang);
  key += '\x1f';
  key += facet;
  key += '\x1f';
  key += value;
  if (auto it = cache.by_key.find(key); it != cache.by_key.end()) return it->second;
  std::string label;
  if (is_state_facet(facet)) {
    if (auto c = find_country(value)) label = state_label(c->iso3, value, lang);
  } else {
    const auto& m = cat.merged(lang);
    // The three parties' assessments share the status labels ("value.status.in_progress").
    std::string group = facet.rfind("assessment_", 0) == 0 ? "status" : facet;
    if (auto it = m.find("value." + group + "." + value); it != m.end()) label = it->second;
  }
  return cache.by_key.emplace(key, std::move(label)).first->second;
}

}  // namespace

std::string value_label(const Catalogues& cat, const std::string& lang, const std::string& facet,
                        const std::string& value, const std::string& index_label) {
  const auto& o = label_override(cat, lang, facet, value);
  if (!o.empty()) return o;
  return index_label.empty() ? value : index_label;
}

void append_json_string(std::string& out, std::string_view s) {
  if (find_invalid_utf8(s)) {
    out += nlohmann::json(std::string(s))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  hrtrack::append_json_string(out, s);
}

void append_facets_json(std::string& out,
                        const std::map<std::string, std::vector<search::FacetValue>>& facets,
                        const Catalogues& cat, const std::string& lang) {
  out += '{';
  bool first_facet = true;
  auto write = [&](const std::string& name, const std::vector<search::FacetValue>& values) {
    if (!first_facet) out += ',';
    first_facet = false;
    append_json_string(out, name);
    out += ":[";
    bool first = true;
    for (const auto& v : values) {
      if (!first) out += ',';
      first = false;
      out += "{\"value\":";
      append_json_string(out, v.value);
      out += ",\"label\":";
      const auto& o = label_override(cat, lang, name, v.value);
      append_json_string(out, !o.empty() ? o : v.label.empty() ? v.value : v.label);
      out += ",\"count\":";
      out += std::to_string(v.count);
      out += '}';
    }
    out += ']';
  };
  // In the order of the facet list, then any other.
  for (const auto& def : search::facets())
    if (auto it = facets.find(def.name); it != facets.end()) write(def.name, it->second);
  for (const auto& [name, values] : facets) {
    bool known = false;
    for (const auto& def : search::facets()) known = known || def.name == name;
    if (!known) write(name, values);
  }
  out += '}';
}

std::string facet_title(const Catalogues& cat, const std::string& lang, const std::string& facet) {
  for (const auto& f : search::facets())
    if (f.name == facet) return cat.text(lang, f.label_id);
  return cat.text(lang, "facet." + facet);
}

const std::string& text_for(const Recommendation& r, const std::string& lang,
                            std::string& text_lang) {
  if (r.lang != lang) {
    for (const auto& v : r.variants) {
      if (v.lang == lang && !v.text.empty()) {
        text_lang = v.lang;
        return v.text;
      }
    }
  }
  text_lang = r.lang.empty() ? "en" : r.lang;
  return r.text;
}

nlohmann::ordered_json snippet_json(const search::Snippet& s) {
  auto pieces = nlohmann::ordered_json::array();
  for (const auto& p : s.pieces) pieces.push_back({{"text", p.text}, {"hit", p.hit}});
  return {{"pieces", pieces}, {"cut_before", s.cut_before}, {"cut_after", s.cut_after}};
}

nlohmann::ordered_json api_item(const Recommendation& r, const std::string& lang,
                                const search::Snippet* snippet) {
  // The one JSON form of a record (core/record_json.h), then what reads in `lang`.
  std::string text_lang;
  const auto& text = text_for(r, lang, text_lang);
  nlohmann::ordered_json j = to_json(r);
  j["url"] = "/recommendations/" + r.uid;
  j["state_label"] = state_label(r.state_iso3, r.state_name, lang);
  j["text"] = text;
  j["text_lang"] = text_lang;
  if (snippet) j["snippet"] = snippet_json(*snippet);
  return j;
}

nlohmann::ordered_json facets_json(
    const std::map<std::string, std::vector<search::FacetValue>>& facets, const Catalogues& cat,
    const std::string& lang) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  // In the order of the facet list, not alphabetically.
  for (const auto& def : search::facets()) {
    auto it = facets.find(def.name);
    if (it == facets.end()) continue;
    auto arr = nlohmann::ordered_json::array();
    for (const auto& v : it->second)
      arr.push_back({{"value", v.value},
                     {"label", value_label(cat, lang, def.name, v.value, v.label)},
                     {"count", v.count}});
    out[def.name] = arr;
  }
  for (const auto& [name, values] : facets) {
    if (out.contains(name)) continue;
    auto arr = nlohmann::ordered_json::array();
    for (const auto& v : values)
      arr.push_back({{"value", v.value},
                     {"label", value_label(cat, lang, name, v.value, v.label)},
                     {"count", v.count}});
    out[name] = arr;
  }
  return out;
}

}  // namespace hrtrack::web
