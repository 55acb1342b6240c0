// Full-text and faceted search over every recommendation, held in memory and rebuilt from the
// store (Store::for_each), so it can always be thrown away: the store is the only truth.
//
// Query language (parse_query): words are ANDed; "double quotes" make a phrase (consecutive
// words, case- and diacritics-insensitive, punctuation between words ignored); OR between two
// terms; -word or -"phrase" excludes; word* matches every word starting with it. Words are
// stemmed (English, French and Spanish stems are all tried), case- and diacritics-insensitive.
//
// Totals and facet counts are exact over the whole result set; any page can be asked for.
//
// Thread safety: an Index is immutable once built; any number of threads may search it.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/recommendation.h"
#include "store/store.h"

namespace hrtrack::search {

// A facet (and filter) field. The list is data: facets() below; pages and the API iterate it.
struct FacetDef {
  std::string name;      // API parameter and JSON key: "state", "theme", "sdg_goal", ...
  std::string label_id;  // message id for its title in the UI catalogues ("facet.state")
  bool multi;            // several values per record (themes) or one (state)
  bool numeric;          // values are numbers and take ranges "A..B" (year, session, cycle)
};
const std::vector<FacetDef>& facets();

struct FacetValue {
  std::string value;  // the code used in filters (ISO3, mechanism code, label for themes)
  std::string label;  // what to show (State name, mechanism name, ...)
  long count = 0;
};

enum class Sort { Relevance, DateDesc, DateAsc, State };
std::optional<Sort> sort_from_string(std::string_view);  // relevance|date|date_asc|state

struct SearchRequest {
  std::string q;
  // facet name -> values (ORed within a facet, ANDed across facets). Values are codes or
  // labels as shown in the facets; a State also by ISO3 or source name; response synonyms
  // count ("Accepted" = supported). Numeric facets take "A..B".
  std::map<std::string, std::vector<std::string>> filters;
  long page = 1;       // 1-based
  long per_page = 20;  // 1..1000
  Sort sort = Sort::Relevance;
  bool with_facets = true;
  std::vector<std::string> facet_names;  // which facets to count (empty = every facet)
  int facet_limit = 0;                   // values per facet in the response (0 = all)
  // Count a facet that has a filter as if that filter were not set ("disjunctive" facets, as
  // a sidebar shows them: its other values say how many results choosing them too (OR) would
  // add). Off: every facet counts the result set itself (the API).
  bool disjunctive_facets = false;
};

// A bad request (unknown facet, bad range, unbalanced quote, empty query part...): the
// message names the parameter; the HTTP layer answers 400.
class BadRequest : public std::runtime_error {
 public:
  BadRequest(std::string param, const std::string& msg)
      : std::runtime_error(msg), param_(std::move(param)) {}
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

struct Hit {
  std::uint32_t doc;  // index-internal document number
  std::string uid;
  double score = 0;
};

struct SearchResult {
  long total = 0;
  long page = 1, per_page = 20;
  std::vector<Hit> hits;                                  // the requested page
  std::map<std::string, std::vector<FacetValue>> facets;  // facet name -> values by count
  std::vector<std::string> highlight_terms;               // folded query words/stems, for snippets
};

// A text cut into pieces for display: highlighted pieces are query matches. The caller (the
// template engine) escapes every piece; nothing here produces HTML.
struct Snippet {
  struct Piece {
    std::string text;
    bool hit;
  };
  std::vector<Piece> pieces;
  bool cut_before = false, cut_after = false;
};

class Index {
 public:
  // Builds the index from every (non-deleted) record of the store.
  static std::shared_ptr<const Index> build(Store& store);
  virtual ~Index() = default;

  virtual SearchResult search(const SearchRequest& req) const = 0;
  // Every matching document in the requested sort order (for exports): calls fn(uid) per hit.
  virtual long for_each_match(const SearchRequest& req,
                              const std::function<void(const std::string& uid)>& fn) const = 0;
  // A snippet of about `max_chars` characters around the first hit of the query in `text`.
  virtual Snippet snippet(const std::string& text, const std::vector<std::string>& terms,
                          std::size_t max_chars) const = 0;
  // All values of a facet with their counts over the whole index (browse pages).
  virtual std::vector<FacetValue> facet_values(const std::string& facet) const = 0;
  virtual long size() const = 0;
  virtual std::int64_t data_version() const = 0;  // the store's data_version at build time
  virtual std::size_t memory_bytes() const = 0;
};

// Keeps the current index of a store and rebuilds it when the store has changed, so that a
// write is visible to the next search. `current()` is cheap when nothing changed. It reads the
// store through a connection of its own, opened with `open` (any engine).
//
// Thread safety: current() may be called from any thread; callers hold the returned pointer
// for a whole request.
class IndexHolder {
 public:
  using StoreFactory = std::function<std::unique_ptr<Store>()>;
  explicit IndexHolder(StoreFactory open);
  std::shared_ptr<const Index> current();

 private:
  StoreFactory open_;
  std::mutex mu_;
  std::shared_ptr<const Index> index_;
  std::unique_ptr<Store> probe_;  // the holder's own connection: data_version and rebuilds
};

}  // namespace hrtrack::search
