// Controlled vocabularies (themes, affected persons, SDGs, UPR Info issues), mechanisms and
// UPR sessions as plain data. Vocabularies are versioned and two-level: a term's parent_code
// names its group (itself a term with is_group = true).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hrtrack {

struct VocabTerm {
  std::string code;         // stable code ("A12", "16.2") or the label when the source has none
  std::string parent_code;  // group, "" for top level
  std::string label;        // English label
  std::map<std::string, std::string> labels;  // other languages: lang -> label
  bool is_group = false;
  std::int64_t added_by_import = 0;  // non-zero: found in that import, not in a vocabulary file
};

struct Vocabulary {
  std::string name;     // "uhri-themes", "uhri-themes-legacy", "uhri-persons", "sdg", ...
  std::string version;  // "2026-02"
  std::string title;
  std::string source;
  std::vector<VocabTerm> terms;
};

struct VocabMapping {
  std::string from_vocab, from_version, from_code;
  std::string to_vocab, to_version, to_code;
};

struct Mechanism {
  std::string code, parent, level, type, name;
  std::vector<std::string> symbol_prefixes, aliases;
};

struct UprSession {
  int session = 0, cycle = 0;
  std::string start_date, end_date;
};

}  // namespace hrtrack
