#include "web/i18n.h"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/text.h"

namespace hrtrack::web {

const std::vector<Language>& languages() {
  static const std::vector<Language> l = {
      {"en", "English", false}, {"fr", "Français", false}, {"es", "Español", false},
      {"ar", "العربية", true},  {"zh", "中文", false},     {"ru", "Русский", false},
  };
  return l;
}

const Language* find_language(std::string_view code) {
  for (const auto& l : languages())
    if (l.code == code) return &l;
  return nullptr;
}

std::optional<std::string> match_language(std::string_view tag) {
  tag = trim(tag);
  // The primary subtag: letters up to the first '-' or '_'.
  auto end = tag.find_first_of("-_");
  auto primary = ascii_lower(tag.substr(0, end));
  if (primary.size() < 2 || primary.size() > 3) return std::nullopt;
  for (char c : primary)
    if (c < 'a' || c > 'z') return std::nullopt;
  if (find_language(primary)) return primary;
  return std::nullopt;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  for (const auto& part : split_trim(header, ";")) {
    auto eq = part.find('=');
    if (eq == std::string::npos) continue;
    if (trim(std::string_view(part).substr(0, eq)) == name) {
      auto v = std::string(trim(std::string_view(part).substr(eq + 1)));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return std::nullopt;
}

std::vector<std::string> accept_language(std::string_view header) {
  struct Choice {
    std::string lang;
    double q;
    std::size_t pos;
  };
  std::vector<Choice> choices;
  std::size_t pos = 0;
  for (const auto& item : split_trim(header, ",")) {
    auto parts = split_trim(item, ";");
    if (parts.empty()) continue;
    double q = 1.0;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      std::string_view p = parts[i];
      if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
        // q-values are 0, 1 or a decimal with up to three digits (RFC 9110 section 12.4.2).
        auto v = std::string(p.substr(2));
        char* end = nullptr;
        double d = std::strtod(v.c_str(), &end);
        q = (end && *end == '\0' && d >= 0 && d <= 1) ? d : 0;
      }
    }
    if (q <= 0) continue;
    auto lang = match_language(parts[0]);
    if (!lang) continue;
    choices.push_back({*lang, q, pos++});
  }
  std::stable_sort(choices.begin(), choices.end(),
                   [](const Choice& a, const Choice& b) { return a.q > b.q; });
  std::vector<std::string> out;
  for (const auto& c : choices)
    if (std::find(out.begin(), out.end(), c.lang) == out.end()) out.push_back(c.lang);
  return out;
}

std::string negotiate_language(const std::optional<std::string>& query_lang,
                               std::string_view cookie_header, std::string_view accept_lang) {
  if (query_lang && find_language(*query_lang)) return *query_lang;
  if (auto c = cookie_value(cookie_header, "lang"); c && find_language(*c)) return *c;
  auto acc = accept_language(accept_lang);
  if (!acc.empty()) return acc.front();
  return "en";
}

std::string format_message(std::string_view pattern, const MessageArgs& args) {
  std::string out;
  out.reserve(pattern.size() + 16);
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i + 1);
      if (close != std::string_view::npos) {
        auto name = pattern.substr(i + 1, close - i - 1);
        auto it =
            std::find_if(args.begin(), args.end(), [&](const auto& a) { return a.first == name; });
        if (it != args.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += pattern[i++];
  }
  return out;
}

Catalogues::Catalogues(std::map<std::string, std::map<std::string, std::string>> by_lang) {
  static std::atomic<std::uint64_t> next{1};
  id_ = next++;
  if (!by_lang.count("en")) throw Error("the English message catalogue is missing");
  for (auto& [lang, msgs] : by_lang) own_.emplace(lang, std::move(msgs));
  const auto& en = own_.at("en");
  for (const auto& l : languages()) {
    auto merged = en;
    if (auto it = own_.find(l.code); it != own_.end())
      for (const auto& [id, text] : it->second) merged[id] = text;
    merged_.emplace(l.code, std::move(merged));
  }
}

Catalogues Catalogues::parse(const std::map<std::string, std::string>& json_by_lang) {
  std::map<std::string, std::map<std::string, std::string>> by_lang;
  for (const auto& [lang, text] : json_by_lang) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw Error("message catalogue '" + lang + "' is not valid JSON: " + e.what());
    }
    if (!j.is_object()) throw Error("message catalogue '" + lang + "' is not a JSON object");
    auto& msgs = by_lang[lang];
    for (const auto& [id, v] : j.items()) {
      if (!id.empty() && id[0] == '@') continue;  // "@metadata": authors, notes
      if (!v.is_string())
        throw Error("message catalogue '" + lang + "': '" + id + "' is not a string");
      msgs[id] = v.get<std::string>();
    }
  }
  return Catalogues(std::move(by_lang));
}

const std::map<std::string, std::string>& Catalogues::merged(std::string_view lang) const {
  auto it = merged_.find(lang);
  return it != merged_.end() ? it->second : merged_.at("en");
}

const std::map<std::string, std::string>& Catalogues::own(std::string_view lang) const {
  static const std::map<std::string, std::string> empty;
  auto it = own_.find(lang);
  return it != own_.end() ? it->second : empty;
}

const std::string& Catalogues::text(std::string_view lang, const std::string& id) const {
  const auto& m = merged(lang);
  auto it = m.find(id);
  return it != m.end() ? it->second : id;
}

std::string Catalogues::format(std::string_view lang, const std::string& id,
                               const MessageArgs& args) const {
  return format_message(text(lang, id), args);
}

bool Catalogues::has(std::string_view lang, const std::string& id) const {
  return own(lang).count(id) > 0;
}

}  // namespace hrtrack::web
