// One current term per concept. Sources name the same theme, group of persons or region in
// several ways: a legacy UHRI code ("B31 Equality & non-discrimination"), an older label
// ("Prohibition of slavery, trafficking"), other spacing, case or punctuation ("Budget &resources",
// "children"), an abbreviation ("EEG"). The crosswalk maps each of them to the current term, so
// that facets, filters, counts and reports count a concept once, while records keep the source's
// label verbatim. UPR Info issues yield UHRI themes through the shipped mapping: those themes are
// derived (LabelConcept::derived), never mixed with a source's own labels.
//
// Plain data and rules, no I/O: ingest/concepts.h builds one from the vocabularies and the
// mapping files, and stores its answers for every label found in the records (label_concept).
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack {

// The fields the crosswalk knows: "theme", "person", "region" (own labels) and "issue" (a UPR
// Info issue, whose concepts are derived themes).
inline constexpr const char* kConceptFields[] = {"theme", "person", "region", "issue"};

// The key two labels of one concept share: Unicode case folding, the word "and" read as "&",
// every character other than a letter, a digit or "&" dropped. "Budget &resources" and
// "budget & Resources" have one key; "Children: juvenile justice" keeps its words.
std::string concept_key(std::string_view label);

// A stored answer of the crosswalk: the label as a record carries it, and its concept.
struct LabelConcept {
  std::string field;     // one of kConceptFields
  std::string raw;       // verbatim, as in the record
  std::string term;      // its concept: the current term (an unknown label is its own)
  bool derived = false;  // true for themes derived from a UPR Info issue
  bool operator==(const LabelConcept&) const = default;
};

// What a filter value names, read off the stored answers: a concept, or any label of one (a
// legacy code, an older label, another spelling), matched by concept_key. The search index and
// the CLI's filters use the same lookup. Derived themes (issues) are named as themes.
class ConceptNames {
 public:
  explicit ConceptNames(const std::vector<LabelConcept>& answers);
  // The concept `value` names in `field` ("theme", "person", "region"), or "" if none.
  std::string named(std::string_view field, std::string_view value) const;

 private:
  std::map<std::string, std::map<std::string, std::string>, std::less<>> by_key_;
};

class Crosswalk {
 public:
  // A current term of a field's vocabulary (its own concept).
  void add_term(std::string_view field, std::string_view label);
  // An older label or abbreviation of a current term ("EEG" -> "Eastern European States").
  void add_variant(std::string_view field, std::string_view from, std::string_view to);
  // A legacy UHRI theme code ("B31") and the current theme it maps to.
  void add_legacy_code(std::string_view code, std::string_view to_theme);
  // A UPR Info issue and a UHRI theme it yields (an issue may yield several).
  void add_issue_theme(std::string_view issue, std::string_view theme);

  // The concepts of one label as a record carries it. For "theme", "person" and "region": one
  // concept, the current term it is, or is a variant, legacy code or spelling of; an unknown
  // label is its own concept (trimmed). For "issue": the derived themes (none when unmapped).
  std::vector<std::string> concepts_of(std::string_view field, std::string_view raw) const;

  // The answers for a set of labels of a field. Unknown labels sharing a key become one concept,
  // spelt as the first of them that starts with a capital letter (else the first in order).
  std::vector<LabelConcept> answers(std::string_view field,
                                    const std::vector<std::string>& raws) const;

 private:
  // field -> concept key -> current term
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> terms_;
  std::map<std::string, std::string, std::less<>> legacy_;  // upper-case code -> theme
  std::map<std::string, std::vector<std::string>, std::less<>> issue_themes_;  // key -> themes
  std::string resolve(std::string_view field, std::string_view raw) const;     // "" = unknown
};

}  // namespace hrtrack
