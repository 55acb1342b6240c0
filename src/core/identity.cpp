#include "core/identity.h"

#include <sodium.h>

#include <map>

#include "core/record_json.h"
#include "core/text.h"

namespace hrtrack {

IdentityKeys identity_keys(const Recommendation& r) {
  IdentityKeys k;
  const std::string& state = r.state_iso3.empty() ? r.state_name : r.state_iso3;
  if (!r.annotation_id.empty()) k.ext = "ext:" + ascii_lower(r.annotation_id);
  // The paragraph in one form, so that "24(a)", "24 (a)" and "24 a)" are one key and "24 (a)"
  // and "24 (b)" two. The text's language plays no part in the ext and doc keys.
  if (!r.symbol.empty() && !r.paragraph.empty())
    k.doc =
        "doc:" + state + "|" + std::string(trim(r.symbol)) + "|" + normalise_paragraph(r.paragraph);
  k.txt = "txt:" + state + "|" + std::to_string(r.upr_session) + "|" +
          join(r.recommending_states, ";") + "|" + normalise_for_identity(r.text);
  return k;
}

int source_rank(std::string_view format) {
  if (format == "uhri-json" || format == "uhri-xlsx") return 3;
  if (format == "ohchr-thematic-csv") return 2;
  if (format == "uprinfo-csv") return 1;
  return 0;
}

std::string uid_for_key(const std::string& key) {
  unsigned char h[8];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(key.data()), key.size(),
                     nullptr, 0);
  return "R-" + to_hex(h, sizeof h);
}

std::optional<std::int64_t> resolve_identity(const IdentityKeys& k, const IdentityLookup& look) {
  if (!k.ext.empty())
    if (auto id = look.by_ext(k.ext)) return id;
  // A candidate found by a weaker key must not already carry another external id.
  bool need_no_ext = !k.ext.empty();
  if (!k.doc.empty()) {
    std::vector<IdentityMatch> cands;
    for (const auto& m : look.by_doc(k.doc))
      if (!need_no_ext || !m.has_ext) cands.push_back(m);
    if (cands.size() == 1) return cands[0].id;
    for (const auto& m : cands)
      if (m.same_text) return m.id;
    return std::nullopt;
  }
  for (const auto& m : look.by_txt(k))
    if (!need_no_ext || !m.has_ext) return m.id;
  return std::nullopt;
}

namespace {

std::string lang_of(const Recommendation& r) {
  return r.lang.empty() ? "en" : r.lang;
}

// The text versions of `winner` and `other` in one: every language either carries, each once.
// For a language both carry, the text a record holds as its main text beats a variant (a newer
// export in that language is read as its main text), then the winner's. The main text is the
// winner's (the other's when the winner has none); the variants are sorted by language.
void merge_texts(Recommendation& m, const Recommendation& winner, const Recommendation& other) {
  struct Version {
    std::string text;
    int strength = 0;  // 4 winner's main, 3 other's main, 2 winner's variant, 1 other's variant
  };
  std::map<std::string, Version> by_lang;
  auto put = [&](const std::string& lang, const std::string& text, int strength) {
    if (text.empty() || lang.empty()) return;
    auto& v = by_lang[lang];
    if (strength > v.strength) v = {text, strength};
  };
  put(lang_of(winner), winner.text, 4);
  put(lang_of(other), other.text, 3);
  for (const auto& v : winner.variants) put(v.lang, v.text, 2);
  for (const auto& v : other.variants) put(v.lang, v.text, 1);
  m.lang = !winner.text.empty() ? lang_of(winner) : lang_of(other);
  m.text.clear();
  m.variants.clear();
  for (auto& [lang, v] : by_lang) {
    if (lang == m.lang)
      m.text = std::move(v.text);
    else
      m.variants.push_back({lang, std::move(v.text)});
  }
}

}  // namespace

Recommendation merge_fields(const Recommendation& winner, const Recommendation& other) {
  Recommendation m = winner;
  auto fill = [](auto& into, const auto& from) {
    if (into.empty()) into = from;
  };
  auto fill_int = [](int& into, int from) {
    if (into == 0) into = from;
  };
  fill(m.mechanism, other.mechanism);
  fill(m.body, other.body);
  fill(m.state_iso3, other.state_iso3);
  fill(m.state_name, other.state_name);
  fill(m.regions, other.regions);
  fill(m.state_orgs, other.state_orgs);
  fill(m.symbol, other.symbol);
  fill(m.paragraph, other.paragraph);
  fill(m.pub_date, other.pub_date);
  fill_int(m.year, other.year);
  fill_int(m.upr_cycle, other.upr_cycle);
  fill_int(m.upr_session, other.upr_session);
  fill(m.recommending_states, other.recommending_states);
  fill(m.recommending_regions, other.recommending_regions);
  fill(m.recommending_orgs, other.recommending_orgs);
  if (m.response == Response::None) {
    m.response = other.response;
    fill(m.response_raw, other.response_raw);
  }
  fill(m.response_doc, other.response_doc);
  merge_texts(m, winner, other);
  fill(m.themes, other.themes);
  fill(m.persons, other.persons);
  fill(m.sdgs, other.sdgs);
  fill(m.issues, other.issues);
  fill(m.source_cluster, other.source_cluster);
  fill_int(m.action_category, other.action_category);
  fill(m.annotation_id, other.annotation_id);
  fill(m.document_id, other.document_id);
  fill(m.uhri_pub_date, other.uhri_pub_date);
  derive_sdg_codes(m);
  return m;
}

Merge merge_incoming(const Recommendation& stored, const Recommendation& incoming) {
  Merge out;
  std::string stored_hash = content_hash(stored);
  if (content_hash(incoming) == stored_hash) return out;  // Unchanged
  // The same record in another language (an export in French of a record held in English): a
  // language version, whatever the sources' ranks. English is the main text when there is one,
  // else the record's first language stays main; the main language's record wins every other
  // field too (its labels are in that language), the other fills only what it lacks.
  bool translation = lang_of(stored) != lang_of(incoming);
  bool stored_wins =
      translation ? lang_of(incoming) != "en"
                  : source_rank(stored.provenance.format) > source_rank(incoming.provenance.format);
  out.merged = stored_wins ? merge_fields(stored, incoming) : merge_fields(incoming, stored);
  out.merged.id = stored.id;
  out.merged.uid = stored.uid;
  out.merged.deleted = stored.deleted;
  if (content_hash(out.merged) == stored_hash)
    out.decision = stored_wins && !translation ? MergeDecision::Kept : MergeDecision::Unchanged;
  else
    out.decision = MergeDecision::Changed;
  return out;
}

bool adds_keys(bool stored_has_ext, bool stored_has_doc, const IdentityKeys& keys) {
  return (!stored_has_ext && !keys.ext.empty()) || (!stored_has_doc && !keys.doc.empty());
}

}  // namespace hrtrack
