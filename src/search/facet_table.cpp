#include "search/facet_table.h"

#include "core/countries.h"
#include "core/text.h"

namespace hrtrack::search {

namespace {

using Extract = decltype(FacetRow::extract);

FacetRow row(const char* name, bool multi, bool numeric, Extract extract) {
  return {{name, std::string("facet.") + name, multi, numeric}, std::move(extract)};
}

void add_if(FacetValues& out, const std::string& v, const std::string& label = "") {
  if (!v.empty()) out.emplace_back(v, label);
}

Extract number(int Recommendation::*field) {
  return [field](const Recommendation& r, const PublicFollowup&, const FacetContext&,
                 FacetValues& out) {
    if (r.*field > 0) out.emplace_back(std::to_string(r.*field), "");
  };
}

Extract list(std::vector<std::string> Recommendation::*field) {
  return [field](const Recommendation& r, const PublicFollowup&, const FacetContext&,
                 FacetValues& out) {
    for (const auto& v : r.*field) add_if(out, v);
  };
}

Extract sdg(std::vector<std::string> Recommendation::*field) {
  return [field](const Recommendation& r, const PublicFollowup&, const FacetContext& ctx,
                 FacetValues& out) {
    for (const auto& code : r.*field) {
      auto it = ctx.sdg_labels.find(code);
      add_if(out, code, it == ctx.sdg_labels.end() ? code : code + " " + it->second);
    }
  };
}

// A crosswalk field's values: the concepts of the record's labels (each once, in order).
void add_concepts_of(const std::vector<std::string>& labels, const std::string& field,
                     const FacetContext& ctx, FacetValues& out) {
  auto f = ctx.concepts.find(field);
  for (const auto& raw : labels) {
    const std::vector<std::string>* cs = nullptr;
    if (f != ctx.concepts.end())
      if (auto it = f->second.find(raw); it != f->second.end()) cs = &it->second;
    if (!cs) {
      if (field != "issue") add_if(out, std::string(trim(raw)));
      continue;
    }
    for (const auto& c : *cs) add_if(out, c);
  }
}

Extract concepts(std::vector<std::string> Recommendation::*field, const char* name) {
  return [field, name](const Recommendation& r, const PublicFollowup&, const FacetContext& ctx,
                       FacetValues& out) { add_concepts_of(r.*field, name, ctx, out); };
}

Extract assessment_of(Party party) {
  return [party](const Recommendation&, const PublicFollowup& f, const FacetContext&,
                 FacetValues& out) {
    if (auto it = f.assessment.find(party); it != f.assessment.end())
      out.emplace_back(std::string(to_string(it->second)), "");
  };
}

}  // namespace

void FacetContext::add_concepts(const std::vector<LabelConcept>& rows) {
  for (const auto& x : rows) concepts[x.field][x.raw].push_back(x.term);
  concept_names = ConceptNames(rows);
}

std::string state_display_label(const Recommendation& r) {
  if (auto c = find_country(r.state_iso3.empty() ? r.state_name : r.state_iso3)) return c->name;
  return r.state_name;
}

const std::vector<FacetRow>& facet_rows() {
  using R = Recommendation;
  static const std::vector<FacetRow> rows = {
      row("state", false, false,
          [](const R& r, const PublicFollowup&, const FacetContext&, FacetValues& out) {
            add_if(out, r.state_iso3.empty() ? r.state_name : r.state_iso3, state_display_label(r));
          }),
      row("region", true, false, concepts(&R::regions, "region")),
      row("mechanism", false, false,
          [](const R& r, const PublicFollowup&, const FacetContext& ctx, FacetValues& out) {
            auto it = ctx.mechanism_names.find(r.mechanism);
            add_if(out, r.mechanism, it == ctx.mechanism_names.end() ? r.mechanism : it->second);
          }),
      row("level", false, false,
          [](const R& r, const PublicFollowup&, const FacetContext&, FacetValues& out) {
            add_if(out, std::string(to_string(r.level)));
          }),
      row("kind", false, false,
          [](const R& r, const PublicFollowup&, const FacetContext&, FacetValues& out) {
            add_if(out, std::string(to_string(r.kind)));
          }),
      row("year", false, true, number(&R::year)),
      row("cycle", false, true, number(&R::upr_cycle)),
      row("session", false, true, number(&R::upr_session)),
      // One value per State (ISO3, the UN's name), whatever spelling the source used.
      row("recommending_state", true, false,
          [](const R& r, const PublicFollowup&, const FacetContext&, FacetValues& out) {
            for (const auto& s : r.recommending_states) {
              if (auto c = find_country(s))
                out.emplace_back(c->iso3, c->name);
              else
                add_if(out, s);
            }
          }),
      row("response", false, false,
          [](const R& r, const PublicFollowup&, const FacetContext&, FacetValues& out) {
            add_if(out, std::string(to_string(r.response)));
          }),
      // A source's own themes, then the themes derived from its UPR Info issues.
      row("theme", true, false,
          [](const R& r, const PublicFollowup&, const FacetContext& ctx, FacetValues& out) {
            add_concepts_of(r.themes, "theme", ctx, out);
            add_concepts_of(r.issues, "issue", ctx, out);
          }),
      row("persons", true, false, concepts(&R::persons, "person")),
      row("sdg_goal", true, false, sdg(&R::sdg_goals)),
      row("sdg_target", true, false, sdg(&R::sdg_targets)),
      row("issue", true, false, list(&R::issues)),
      // Follow-up (published data only; see followup/public.h).
      row("institution", true, false,
          [](const R&, const PublicFollowup& f, const FacetContext& ctx, FacetValues& out) {
            for (auto id : f.institutions)
              if (auto it = ctx.institutions.find(id); it != ctx.institutions.end())
                out.emplace_back(it->second.first, it->second.second);
          }),
      row("status", false, false,
          [](const R&, const PublicFollowup& f, const FacetContext&, FacetValues& out) {
            if (f.official_status) out.emplace_back(std::string(to_string(*f.official_status)), "");
          }),
      row("assessment_government", false, false, assessment_of(Party::Government)),
      row("assessment_nhri", false, false, assessment_of(Party::Nhri)),
      row("assessment_civil_society", false, false, assessment_of(Party::CivilSociety)),
      row("cluster", true, false,
          [](const R&, const PublicFollowup& f, const FacetContext& ctx, FacetValues& out) {
            for (auto id : f.clusters) {
              auto it = ctx.cluster_names.find(id);
              out.emplace_back(std::to_string(id),
                               it == ctx.cluster_names.end() ? std::to_string(id) : it->second);
            }
          }),
      // YYYYMM of the latest published progress update; 0 = assigned but never updated.
      row("last_update", false, true,
          [](const R&, const PublicFollowup& f, const FacetContext&, FacetValues& out) {
            if (f.last_update.size() >= 7)
              out.emplace_back(f.last_update.substr(0, 4) + f.last_update.substr(5, 2),
                               f.last_update.substr(0, 7));
            else if (!f.institutions.empty())
              out.emplace_back("0", "");
          }),
  };
  return rows;
}

const std::vector<FacetDef>& facets() {
  static const std::vector<FacetDef> defs = [] {
    std::vector<FacetDef> out;
    for (const auto& r : facet_rows()) out.push_back(r.def);
    return out;
  }();
  return defs;
}

}  // namespace hrtrack::search
