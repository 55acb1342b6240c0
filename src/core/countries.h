// States: ISO 3166-1 alpha-3 codes and names. Names come from ICU's locale data (any display
// language), plus the UN-style names used by OHCHR and UPR Info that ICU spells differently.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

struct Country {
  std::string iso3;  // "SVN"
  std::string iso2;  // "SI"
  std::string name;  // English short name from ICU ("Slovenia")
};

// Finds a State by ISO alpha-3 or alpha-2 code, English name, or a known UN/source alias
// ("Iran (Islamic Republic of)", "Côte d'Ivoire", "Lao People's Democratic Republic", ...).
// Case- and diacritics-insensitive. Returns nullopt for an unknown name.
std::optional<Country> find_country(std::string_view name_or_code);

// The State's name in a display language ("fr" -> "Slovénie"), from ICU.
std::string country_display_name(std::string_view iso3, std::string_view lang);

// All ICU regions that have an alpha-3 code.
const std::vector<Country>& all_countries();

}  // namespace hrtrack
