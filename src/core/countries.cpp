#include "core/countries.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <map>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "core/text.h"

namespace hrtrack::embedded::states {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack {
namespace {

// The UN's names of one State (data/vocab/un_states.csv).
struct UnNames {
  std::string status, en_short, en_formal;
  std::map<std::string, std::string, std::less<>> by_lang;  // "fr" -> "Slovénie" (non-empty)
};

// Splits one line of the (simple, RFC 4180) CSV file into cells.
std::vector<std::string> csv_cells(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// iso3 -> the UN's names, read once from the compiled-in file. '#' lines are its header comment.
const std::map<std::string, UnNames, std::less<>>& un_names() {
  static const std::map<std::string, UnNames, std::less<>> names = [] {
    std::map<std::string, UnNames, std::less<>> out;
    const auto& files = embedded::states::files();
    auto it = files.find("un_states.csv");
    if (it == files.end()) throw Error("built-in file missing: un_states.csv");
    std::string_view text = it->second;
    std::vector<std::string> header;
    while (!text.empty()) {
      auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      auto cells = csv_cells(line);
      if (header.empty()) {
        header = std::move(cells);
        continue;
      }
      if (cells.size() != header.size())
        throw Error("un_states.csv: a row of " + std::to_string(cells.size()) +
                    " cells, the header has " + std::to_string(header.size()));
      UnNames n;
      std::string iso3;
      for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string& h = header[i];
        std::string v(trim(cells[i]));
        if (h == "iso3")
          iso3 = v;
        else if (h == "status")
          n.status = v;
        else if (h == "en_short")
          n.en_short = v;
        else if (h == "en_formal")
          n.en_formal = v;
        else if (!v.empty())
          n.by_lang[h] = v;
      }
      if (!n.en_short.empty()) n.by_lang["en"] = n.en_short;
      out.emplace(std::move(iso3), std::move(n));
    }
    return out;
  }();
  return names;
}

// Folds a name for lookup: case folding, accents removed, punctuation and "the" dropped.
std::string fold_name(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), s.size()));
  u = nfd->normalize(u.foldCase(), status);
  std::string out;
  bool space = false;
  for (int32_t i = 0; i < u.length(); ++i) {
    char16_t c = u.charAt(i);
    if (c >= 0x300 && c <= 0x36F) continue;  // combining accents
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += static_cast<char>(c);
    } else if (c == '\'' || c == 0x2019) {
      continue;  // "Côte d'Ivoire" == "Cote dIvoire" == "Côte d’Ivoire"
    } else if (c < 0x80 || c == 0x2013 || c == 0x2014) {
      space = true;
    } else {
      icu::UnicodeString one(c);
      std::string utf8;
      one.toUTF8String(utf8);
      if (space && !out.empty()) out += ' ';
      space = false;
      out += utf8;
    }
  }
  if (out.rfind("the ", 0) == 0) out.erase(0, 4);
  return out;
}

// UN short names and source spellings that ICU's English names do not match.
// Kept by hand: no Debian package ships the UN M49 / UNTERM name list.
constexpr std::pair<const char*, const char*> kAliases[] = {
    {"Bolivia (Plurinational State of)", "BOL"},
    {"Bolivia", "BOL"},
    {"Plurinational State of Bolivia", "BOL"},
    {"Iran (Islamic Republic of)", "IRN"},
    {"Iran", "IRN"},
    {"Islamic Republic of Iran", "IRN"},
    {"Venezuela (Bolivarian Republic of)", "VEN"},
    {"Venezuela", "VEN"},
    {"Bolivarian Republic of Venezuela", "VEN"},
    {"Republic of Moldova", "MDA"},
    {"Moldova", "MDA"},
    {"Republic of Korea", "KOR"},
    {"South Korea", "KOR"},
    {"Korea, Republic of", "KOR"},
    {"Democratic People's Republic of Korea", "PRK"},
    {"North Korea", "PRK"},
    {"DPR Korea", "PRK"},
    {"DPRK", "PRK"},
    {"Lao People's Democratic Republic", "LAO"},
    {"Laos", "LAO"},
    {"Lao PDR", "LAO"},
    {"Syrian Arab Republic", "SYR"},
    {"Syria", "SYR"},
    {"United Republic of Tanzania", "TZA"},
    {"Tanzania", "TZA"},
    {"Tanzania (United Republic of)", "TZA"},
    {"United Kingdom of Great Britain and Northern Ireland", "GBR"},
    {"United Kingdom", "GBR"},
    {"UK", "GBR"},
    {"Great Britain", "GBR"},
    {"United States of America", "USA"},
    {"United States", "USA"},
    {"USA", "USA"},
    {"Russian Federation", "RUS"},
    {"Russia", "RUS"},
    {"Viet Nam", "VNM"},
    {"Vietnam", "VNM"},
    {"Côte d'Ivoire", "CIV"},
    {"Cote d'Ivoire", "CIV"},
    {"Ivory Coast", "CIV"},
    {"Czech Republic", "CZE"},
    {"Czechia", "CZE"},
    {"Democratic Republic of the Congo", "COD"},
    {"DR Congo", "COD"},
    {"DRC", "COD"},
    {"Congo (Democratic Republic of the)", "COD"},
    {"Congo, Democratic Republic of", "COD"},
    {"Republic of the Congo", "COG"},
    {"Congo", "COG"},
    {"Congo (Republic of the)", "COG"},
    {"Congo-Brazzaville", "COG"},
    {"The former Yugoslav Republic of Macedonia", "MKD"},
    {"Former Yugoslav Republic of Macedonia", "MKD"},
    {"Macedonia", "MKD"},
    {"North Macedonia", "MKD"},
    {"FYROM", "MKD"},
    {"Micronesia (Federated States of)", "FSM"},
    {"Micronesia", "FSM"},
    {"Federated States of Micronesia", "FSM"},
    {"Holy See", "VAT"},
    {"Vatican", "VAT"},
    {"State of Palestine", "PSE"},
    {"Palestine", "PSE"},
    {"Palestinian Territories", "PSE"},
    {"Occupied Palestinian Territory", "PSE"},
    {"Brunei Darussalam", "BRN"},
    {"Brunei", "BRN"},
    {"Cabo Verde", "CPV"},
    {"Cape Verde", "CPV"},
    {"Eswatini", "SWZ"},
    {"Swaziland", "SWZ"},
    {"Kingdom of Eswatini", "SWZ"},
    {"Timor-Leste", "TLS"},
    {"East Timor", "TLS"},
    {"Myanmar", "MMR"},
    {"Burma", "MMR"},
    {"Türkiye", "TUR"},
    {"Turkey", "TUR"},
    {"Saint Kitts and Nevis", "KNA"},
    {"St. Kitts and Nevis", "KNA"},
    {"Saint Lucia", "LCA"},
    {"St. Lucia", "LCA"},
    {"Saint Vincent and the Grenadines", "VCT"},
    {"St. Vincent and the Grenadines", "VCT"},
    {"Sao Tome and Principe", "STP"},
    {"São Tomé and Príncipe", "STP"},
    {"Libyan Arab Jamahiriya", "LBY"},
    {"Libya", "LBY"},
    {"Gambia", "GMB"},
    {"The Gambia", "GMB"},
    {"Gambia (Republic of The)", "GMB"},
    {"Bahamas", "BHS"},
    {"The Bahamas", "BHS"},
    {"Netherlands", "NLD"},
    {"Netherlands (Kingdom of the)", "NLD"},
    {"Kingdom of the Netherlands", "NLD"},
    {"Bosnia and Herzegovina", "BIH"},
    {"Bosnia-Herzegovina", "BIH"},
    {"Antigua and Barbuda", "ATG"},
    {"Trinidad and Tobago", "TTO"},
    {"Guinea-Bissau", "GNB"},
    {"Guinea Bissau", "GNB"},
    {"Myanmar (Burma)", "MMR"},
    {"Hong Kong", "HKG"},
    {"Macao", "MAC"},
    {"Macau", "MAC"},
    {"Kosovo", "XKX"},
    {"Taiwan", "TWN"},
    {"Democratic Republic of Congo", "COD"},
    {"Republic of Congo", "COG"},
    {"Macedonia FYR", "MKD"},
    {"St Vincent & the Grenadines", "VCT"},
    {"St Vincent and the Grenadines", "VCT"},
    {"St Kitts & Nevis", "KNA"},
    {"St Kitts and Nevis", "KNA"},
    {"St Lucia", "LCA"},
    {"Antigua & Barbuda", "ATG"},
    {"Trinidad & Tobago", "TTO"},
    {"Bosnia & Herzegovina", "BIH"},
    {"Sao Tome & Principe", "STP"},
};

struct Index {
  std::vector<Country> countries;
  std::unordered_map<std::string, std::size_t> by_key;
};

const Index& index() {
  static const Index idx = [] {
    Index ix;
    for (const char* const* p = uloc_getISOCountries(); *p; ++p) {
      std::string iso2 = *p;
      std::string loc = "und_" + iso2;
      std::string iso3 = uloc_getISO3Country(loc.c_str());
      if (iso3.size() != 3) continue;
      icu::Locale l("", iso2.c_str());
      icu::UnicodeString dn;
      l.getDisplayCountry(icu::Locale::getEnglish(), dn);
      std::string name;
      dn.toUTF8String(name);
      ix.countries.push_back({iso3, iso2, name, "", false});
    }
    // ICU has no alpha-3 for Kosovo; the code in use by the EU and UN agencies is XKX.
    ix.countries.push_back({"XKX", "XK", "Kosovo", "", false});
    const auto& un = un_names();
    for (std::size_t i = 0; i < ix.countries.size(); ++i) {
      auto& c = ix.countries[i];
      ix.by_key.emplace(ascii_lower(c.iso3), i);
      ix.by_key.emplace(ascii_lower(c.iso2), i);
      ix.by_key.emplace(fold_name(c.name), i);  // ICU's English name stays a spelling
      if (auto it = un.find(c.iso3); it != un.end()) {
        c.name = it->second.en_short;
        c.formal_name = it->second.en_formal;
        c.un_state = true;
      }
    }
    for (auto [alias, iso3] : kAliases) {
      auto it = ix.by_key.find(ascii_lower(iso3));
      if (it != ix.by_key.end()) ix.by_key[fold_name(alias)] = it->second;
    }
    // The UN's English names win over any other spelling; its names in the other languages
    // are spellings too, where they do not already name something.
    for (std::size_t i = 0; i < ix.countries.size(); ++i) {
      auto it = un.find(ix.countries[i].iso3);
      if (it == un.end()) continue;
      ix.by_key[fold_name(it->second.en_short)] = i;
      ix.by_key[fold_name(it->second.en_formal)] = i;
      for (const auto& [lang, name] : it->second.by_lang) ix.by_key.emplace(fold_name(name), i);
    }
    return ix;
  }();
  return idx;
}

std::optional<Country> find_country_uncached(std::string_view name_or_code);

}  // namespace

std::optional<Country> find_country(std::string_view name_or_code) {
  // Imports ask for the same few hundred names hundreds of thousands of times: remember answers.
  static std::mutex mu;
  static std::unordered_map<std::string, std::optional<Country>> memo;
  std::string key(name_or_code);
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
  }
  auto found = find_country_uncached(name_or_code);
  std::lock_guard<std::mutex> lock(mu);
  if (memo.size() < 100000) memo.emplace(std::move(key), found);
  return found;
}

namespace {
std::optional<Country> find_country_uncached(std::string_view name_or_code) {
  auto t = trim(name_or_code);
  if (t.empty()) return std::nullopt;
  const auto& ix = index();
  if (t.size() <= 3) {
    auto it = ix.by_key.find(ascii_lower(t));
    if (it != ix.by_key.end()) return ix.countries[it->second];
  }
  auto it = ix.by_key.find(fold_name(t));
  if (it != ix.by_key.end()) return ix.countries[it->second];
  return std::nullopt;
}
}  // namespace

std::string country_display_name(std::string_view iso3, std::string_view lang) {
  auto c = find_country(iso3);
  if (!c) return std::string(iso3);
  std::string primary = ascii_lower(lang.substr(0, lang.find_first_of("-_")));
  if (primary.empty()) primary = "en";
  if (auto un = un_names().find(c->iso3); un != un_names().end()) {
    if (auto it = un->second.by_lang.find(primary); it != un->second.by_lang.end())
      return it->second;
  }
  icu::Locale l("", c->iso2.c_str());
  icu::UnicodeString dn;
  l.getDisplayCountry(icu::Locale(std::string(lang).c_str()), dn);
  std::string out;
  dn.toUTF8String(out);
  return out.empty() || out == c->iso2 ? c->name : out;
}

const std::vector<Country>& all_countries() {
  return index().countries;
}

}  // namespace hrtrack
