// Helpers of the portal's pages (pages_common.h).
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

namespace hrtrack::web::pages {

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

}  // namespace hrtrack::web::pages
