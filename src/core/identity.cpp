#include "core/identity.h"

#include <sodium.h>

#include "core/record_json.h"
#include "core/text.h"

namespace hrtrack {

IdentityKeys identity_keys(const Recommendation& r) {
  IdentityKeys k;
  const std::string& state = r.state_iso3.empty() ? r.state_name : r.state_iso3;
  if (!r.annotation_id.empty()) k.ext = "ext:" + ascii_lower(r.annotation_id);
  if (!r.symbol.empty() && !r.paragraph.empty())
    k.doc =
        "doc:" + state + "|" + std::string(trim(r.symbol)) + "|" + std::string(trim(r.paragraph));
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
  fill(m.text, other.text);
  fill(m.variants, other.variants);
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
  bool stored_wins =
      source_rank(stored.provenance.format) > source_rank(incoming.provenance.format);
  out.merged = stored_wins ? merge_fields(stored, incoming) : merge_fields(incoming, stored);
  out.merged.id = stored.id;
  out.merged.uid = stored.uid;
  out.merged.deleted = stored.deleted;
  if (content_hash(out.merged) == stored_hash)
    out.decision = stored_wins ? MergeDecision::Kept : MergeDecision::Unchanged;
  else
    out.decision = MergeDecision::Changed;
  return out;
}

bool adds_keys(bool stored_has_ext, bool stored_has_doc, const IdentityKeys& keys) {
  return (!stored_has_ext && !keys.ext.empty()) || (!stored_has_doc && !keys.doc.empty());
}

}  // namespace hrtrack
