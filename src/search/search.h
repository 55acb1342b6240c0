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
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
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

// Keeps the current index of a store, rebuilt in the background when the store has changed:
// readers never wait for a build nor for the store. A thread of the holder's own watches the
// store's data_version (through a connection of its own, opened with `open`: any engine) every
// `poll` and at once when told of a write (changed()); it builds a new index and swaps it in
// atomically. Searches keep the index they hold until they finish.
//
// current() costs one atomic load: no lock, no store call. The first call waits for the first
// build. at_least(v) waits until an index of data version v or later is in place: the web layer
// uses it for the user who made a change, so that their own change shows at once.
//
// Thread safety: every member may be called from any thread; callers hold the returned pointer
// for a whole request.
class IndexHolder {
 public:
  using StoreFactory = std::function<std::unique_ptr<Store>()>;
  using Builder = std::function<std::shared_ptr<const Index>(Store&)>;
  explicit IndexHolder(StoreFactory open, Builder build = Index::build,
                       std::chrono::milliseconds poll = std::chrono::milliseconds(250));
  ~IndexHolder();
  IndexHolder(const IndexHolder&) = delete;
  IndexHolder& operator=(const IndexHolder&) = delete;

  std::shared_ptr<const Index> current();
  std::shared_ptr<const Index> at_least(std::int64_t data_version);
  // A write happened (in this process): look at the store now rather than at the next poll.
  void changed();
  // How many indexes were built (tests, /api/health).
  long builds() const { return builds_.load(); }

 private:
  void run();
  void start();  // the first build and the watcher thread, on first use

  StoreFactory open_;
  Builder build_;
  std::chrono::milliseconds poll_;
  std::atomic<std::shared_ptr<const Index>> index_;
  std::atomic<long> builds_{0};
  std::mutex mu_;  // guards the fields below; never held while searching or building
  std::condition_variable wake_, built_;
  bool started_ = false, stop_ = false, poke_ = false;
  std::int64_t wanted_ = 0;  // the highest version a caller of at_least waits for
  std::string error_;        // the last build's failure, for at_least's callers
  std::thread thread_;
};

}  // namespace hrtrack::search
