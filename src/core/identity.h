// How hrtrack decides that two records are the same recommendation (issue #2):
//   1. the external id (UHRI AnnotationId) when present, else
//   2. State + document symbol + paragraph, else
//   3. State + UPR session + recommending States + normalised text.
// A record can carry several keys (a UHRI record has all three); the store looks them up in
// that order, so a UHRI export and an OHCHR thematic list of the same report meet.
#pragma once
#include <string>

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

}  // namespace hrtrack
