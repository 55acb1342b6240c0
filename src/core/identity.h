// How hrtrack decides that two records are the same recommendation (issue #2):
//   1. the external id (UHRI AnnotationId) when present, else
//   2. State + document symbol + paragraph, else
//   3. State + UPR session + recommending States + normalised text.
// A record can carry several keys (a UHRI record has all three); the store looks them up in
// that order, so a UHRI export and an OHCHR thematic list of the same report meet.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/recommendation.h"

namespace hrtrack {

struct IdentityKeys {
  std::string ext;  // "ext:<annotation id>" or ""
  std::string doc;  // "doc:<state>|<symbol>|<paragraph>" or ""
  std::string txt;  // "txt:<state>|<session>|<recommending states>|<normalised text>"
  // The strongest key present (ext, else doc, else txt): what a new record's uid derives from.
  const std::string& primary() const { return !ext.empty() ? ext : !doc.empty() ? doc : txt; }
};

IdentityKeys identity_keys(const Recommendation& r);

// When two sources describe the same recommendation, the more authoritative one wins: the UHRI
// export (OHCHR's annotated record) over an OHCHR thematic list over UPR Info's database over
// other files. A record last written from a source of higher rank is not overwritten by a
// lower-ranked one, so importing both files of one report again and again changes nothing.
int source_rank(std::string_view format);

// "R-" followed by 16 hex digits of BLAKE2b(key): stable across databases and re-imports.
std::string uid_for_key(const std::string& key);

// --- the identity cascade, for every storage engine ---
// What a store knows of a stored record that a key finds.
struct IdentityMatch {
  std::int64_t id = 0;
  bool has_ext = false;    // it carries an external id already
  bool same_text = false;  // its txt key equals the incoming record's
};
// The store's three lookups (an engine implements them as indexed queries).
struct IdentityLookup {
  std::function<std::optional<std::int64_t>(const std::string& ext)> by_ext;
  std::function<std::vector<IdentityMatch>(const std::string& doc)> by_doc;
  // Records with this txt key and no doc key, lowest id first.
  std::function<std::vector<IdentityMatch>(const IdentityKeys& keys)> by_txt;
};
// The stored record `keys` identify: by the external id; else by State + symbol + paragraph
// (the only candidate, or the one with the same text; never one that carries another external
// id when the incoming record has one); else by the txt key, among records without a doc key.
std::optional<std::int64_t> resolve_identity(const IdentityKeys& keys, const IdentityLookup& look);

// What an import does with a record that is already stored: nothing (the same content), keep
// the stored one (it came from a more authoritative source: source_rank), or change it.
enum class MergeDecision { Unchanged, Kept, Changed };
// Field by field (issue #10): each field keeps the value of the more authoritative source
// (`winner`) when that source carries it, else the other source's. "Carries" means not empty
// (text, list), not 0 (year, cycle, session, action category), not Response::None. The identity,
// provenance and deletion are the winner's; the SDG codes are derived again. The texts are
// merged by language: every language either carries is kept once (the winner's main text is the
// main one; for a language both carry, a main text beats a variant, then the winner's).
Recommendation merge_fields(const Recommendation& winner, const Recommendation& other);
// The whole merge of an incoming record into the stored one it matched: which source wins (the
// higher source_rank; the incoming one on a tie), the merged record, and what that means. When
// the two are in different languages (`lang`), the incoming one is a language version: the
// English one wins (else the stored one: the record's first language stays main), so a French
// export after the English one, or before it, gives the same record.
struct Merge {
  MergeDecision decision = MergeDecision::Unchanged;
  Recommendation merged;  // what the record becomes (Changed), with the winner's provenance
};
Merge merge_incoming(const Recommendation& stored, const Recommendation& incoming);
// Whether the incoming keys add an external id or a doc key the stored record lacks (they are
// added whatever the decision, so that the next source of the same report meets the record).
bool adds_keys(bool stored_has_ext, bool stored_has_doc, const IdentityKeys& keys);

}  // namespace hrtrack
