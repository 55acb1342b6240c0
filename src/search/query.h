// The search query language, parsed into clauses (see search.h for the syntax).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hrtrack::search {

struct Atom {
  std::vector<std::string> words;  // folded; one word unless a phrase
  bool phrase = false;
  bool prefix = false;  // word*
};

// Alternatives ORed; a clause is ANDed with the others, or excluded when negated.
struct Clause {
  std::vector<Atom> any;
  bool negate = false;
};

struct Query {
  std::vector<Clause> clauses;
  bool empty() const { return clauses.empty(); }
};

// Throws BadRequest("q", ...) for an unbalanced quote, a dangling OR or an empty exclusion.
Query parse_query(std::string_view q);

}  // namespace hrtrack::search
