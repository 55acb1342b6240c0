#include "core/identity.h"

#include <sodium.h>

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

}  // namespace hrtrack
