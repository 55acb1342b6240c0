// A recommendation's permanent page: every field in the page's language, related records, and
// its published follow-up.
#include <unicode/coll.h>
#include <unicode/locid.h>

#include <algorithm>
#include <functional>
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
  // A sub-paragraph ("24 (a)"): its paragraph, and the sub-paragraphs of that paragraph (or of
  // this one, when it is the paragraph), all in the same document of the same State.
  json family = json::array();
  std::string family_of = r.parent_paragraph.empty() ? r.paragraph : r.parent_paragraph;
  if (!r.symbol.empty() && !family_of.empty()) {
    RecordFilter f;
    f.conditions = {{"symbol", r.symbol}};
    if (!r.state_iso3.empty()) f.conditions.emplace_back("state", r.state_iso3);
    auto in_family = [&](const char* key, const std::string& v,
                         const std::function<void(const Recommendation&)>& fn) {
      RecordFilter g = f;
      g.conditions.emplace_back(key, v);
      store.for_each(g, [&](const Recommendation& o) {
        if (o.state_iso3 == r.state_iso3 && (!r.state_iso3.empty() || o.state_name == r.state_name))
          fn(o);
      });
    };
    if (!r.parent_paragraph.empty()) {
      json parent = json::array();
      in_family("paragraph", r.parent_paragraph, [&](const Recommendation& o) {
        if (parent.empty()) parent.push_back(value(o.paragraph, "/recommendations/" + o.uid));
      });
      field("parent_paragraph", parent.empty() ? one(r.parent_paragraph) : parent);
    }
    in_family("parent_paragraph", family_of, [&](const Recommendation& o) {
      family.push_back({{"paragraph", o.paragraph},
                        {"href", "/recommendations/" + o.uid},
                        {"current", o.uid == r.uid}});
    });
  }
  data["family"] = family;
  data["has_family"] = !family.empty();
  data["family_heading"] = cat->format(lang, "record.subparagraphs", {{"paragraph", family_of}});
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
      auto c = find_country(s);  // linked by ISO3: the facet's value (search/facet_table.cpp)
      states.push_back(linked(f, c ? c->iso3 : s, c ? state_label(c->iso3, s, lang) : s));
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
  {
    // Themes derived from the issues through the shipped mapping (core/crosswalk.h): shown apart
    // from the source's own themes.
    std::vector<std::string> derived;
    for (const auto& x : store.label_concepts())
      if (x.field == "issue" &&
          std::find(r.issues.begin(), r.issues.end(), x.raw) != r.issues.end() &&
          std::find(derived.begin(), derived.end(), x.term) == derived.end())
        derived.push_back(x.term);
    field("derived_themes", list(facet_named({"theme", "themes"}), derived));
  }
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

}  // namespace hrtrack::web
