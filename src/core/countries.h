// States: ISO 3166-1 alpha-3 codes and names. The 193 UN Member States and the 2 observer States
// have the UN's names (data/vocab/un_states.csv: UNTERM / M49, short and formal, in the six UN
// languages where the file gives them); other regions, and languages the file leaves empty, have
// ICU's names. Lookups also know the spellings sources use (UPR Info, OHCHR, UHRI).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

struct Country {
  std::string iso3;         // "SVN"
  std::string iso2;         // "SI"
  std::string name;         // English short name: the UN's for a UN State, else ICU's
  std::string formal_name;  // the UN's formal name ("the Republic of Slovenia"), "" if none
  bool un_state = false;    // a UN Member State or observer State
};

// Finds a State by ISO alpha-3 or alpha-2 code, English name, the UN's short or formal name in
// any of the six UN languages, or a known source alias ("Iran", "UK", "Côte d'Ivoire", "Lao
// PDR", ...). Case- and diacritics-insensitive. Returns nullopt for an unknown name.
std::optional<Country> find_country(std::string_view name_or_code);

// The State's short name in a display language ("fr" -> "Slovénie"; "fr-CH" as "fr"): the UN's
// where un_states.csv has it, else ICU's. An unknown code comes back as it is.
std::string country_display_name(std::string_view iso3, std::string_view lang);

// All ICU regions that have an alpha-3 code (and Kosovo, XKX).
const std::vector<Country>& all_countries();

}  // namespace hrtrack
