#include "core/crosswalk.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "core/text.h"

namespace hrtrack {

std::string concept_key(std::string_view label) {
  std::string folded = normalise_for_identity(label);
  std::string out, word;
  auto flush = [&] {
    out += word == "and" ? "&" : word;
    word.clear();
  };
  for (unsigned char c : folded) {
    // Bytes of a multi-byte UTF-8 letter (>= 0x80) are part of the word: "Équité" keeps them.
    if (std::isalnum(c) || c >= 0x80) {
      word += static_cast<char>(c);
    } else {
      flush();
      if (c == '&') out += '&';
    }
  }
  flush();
  return out;
}

ConceptNames::ConceptNames(const std::vector<LabelConcept>& answers) {
  for (const auto& x : answers) {
    auto& keys = by_key_[x.field == "issue" ? "theme" : x.field];
    keys.emplace(concept_key(x.term), x.term);
    if (x.field != "issue") keys.emplace(concept_key(x.raw), x.term);
  }
}

std::string ConceptNames::named(std::string_view field, std::string_view value) const {
  auto f = by_key_.find(field);
  if (f == by_key_.end()) return "";
  auto it = f->second.find(concept_key(value));
  return it == f->second.end() ? "" : it->second;
}

void Crosswalk::add_term(std::string_view field, std::string_view label) {
  std::string t(trim(label));
  if (!t.empty()) terms_[std::string(field)].try_emplace(concept_key(t), t);
}

void Crosswalk::add_variant(std::string_view field, std::string_view from, std::string_view to) {
  std::string t(trim(to));
  if (t.empty() || trim(from).empty()) return;
  auto& m = terms_[std::string(field)];
  m.try_emplace(concept_key(t), t);
  m[concept_key(from)] = t;  // a variant's key answers with its current term, whatever came first
}

void Crosswalk::add_legacy_code(std::string_view code, std::string_view to_theme) {
  std::string t(trim(to_theme));
  if (t.empty()) return;
  legacy_[ascii_upper(trim(code))] = t;
  terms_["theme"].try_emplace(concept_key(t), t);
}

void Crosswalk::add_issue_theme(std::string_view issue, std::string_view theme) {
  std::string t(trim(theme));
  if (t.empty()) return;
  auto& v = issue_themes_[concept_key(issue)];
  if (std::find(v.begin(), v.end(), t) == v.end()) v.push_back(t);
  terms_["theme"].try_emplace(concept_key(t), t);
}

std::string Crosswalk::resolve(std::string_view field, std::string_view raw) const {
  auto f = terms_.find(field);
  if (f != terms_.end())
    if (auto it = f->second.find(concept_key(raw)); it != f->second.end()) return it->second;
  if (field == "theme") {
    // A legacy coded theme: "B31 Equality & non-discrimination" -> the code's current theme,
    // else its label's.
    static const std::regex legacy(R"(^\s*([A-Ha-h]\d{1,3})\s+(.+)$)");
    std::match_results<std::string_view::const_iterator> m;
    if (std::regex_match(raw.begin(), raw.end(), m, legacy)) {
      if (auto it = legacy_.find(ascii_upper(m[1].str())); it != legacy_.end()) return it->second;
      return resolve(field,
                     std::string_view(&*m[2].first, static_cast<std::size_t>(m[2].length())));
    }
  }
  return "";
}

std::vector<std::string> Crosswalk::concepts_of(std::string_view field,
                                                std::string_view raw) const {
  if (field == "issue") {
    auto it = issue_themes_.find(concept_key(raw));
    return it == issue_themes_.end() ? std::vector<std::string>{} : it->second;
  }
  std::string c = resolve(field, raw);
  if (c.empty()) c = std::string(trim(raw));
  return {c};
}

std::vector<LabelConcept> Crosswalk::answers(std::string_view field,
                                             const std::vector<std::string>& raws) const {
  std::vector<LabelConcept> out;
  std::string f(field);
  if (field == "issue") {
    for (const auto& r : raws)
      for (const auto& t : concepts_of(field, r)) out.push_back({f, r, t, true});
    return out;
  }
  // Unknown labels: one spelling per key, the first capitalised one (else the first).
  std::vector<std::string> sorted = raws;
  std::sort(sorted.begin(), sorted.end());
  std::map<std::string, std::string> spelling;
  for (const auto& r : sorted) {
    if (!resolve(field, r).empty()) continue;
    std::string t(trim(r));
    if (t.empty()) continue;
    auto [it, fresh] = spelling.try_emplace(concept_key(t), t);
    bool cap = std::isupper(static_cast<unsigned char>(t[0]));
    if (!fresh && cap && !std::isupper(static_cast<unsigned char>(it->second[0]))) it->second = t;
  }
  for (const auto& r : raws) {
    std::string c = resolve(field, r);
    if (c.empty()) {
      auto it = spelling.find(concept_key(trim(r)));
      if (it == spelling.end()) continue;  // an empty label
      c = it->second;
    }
    out.push_back({f, r, c, false});
  }
  return out;
}

}  // namespace hrtrack
