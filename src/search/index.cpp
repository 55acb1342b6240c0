// The in-memory search index. Built from the store in one pass:
//  * a dictionary of folded words, each with a posting bitmap (CRoaring) of the documents that
//    contain it, and each document's word sequence (for phrases and term frequencies);
//  * a dictionary of stems (Snowball, by the document's language) with posting bitmaps;
//  * per facet: a bitmap per value (filters) and each document's value ids (facet counts).
// A search is bitmap algebra (AND/OR/ANDNOT) followed by one pass over the matching documents
// to count every facet exactly and to rank; no result window, no cache.
#include <roaring/roaring.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/countries.h"
#include "core/error.h"
#include "core/filters.h"
#include "core/text.h"
#include "followup/public.h"
#include "search/facet_table.h"
#include "search/query.h"
#include "search/search.h"
#include "search/tokenizer.h"

namespace hrtrack::search {

std::optional<Sort> sort_from_string(std::string_view s) {
  if (s.empty() || s == "relevance") return Sort::Relevance;
  if (s == "date" || s == "date_desc") return Sort::DateDesc;
  if (s == "date_asc") return Sort::DateAsc;
  if (s == "state") return Sort::State;
  return std::nullopt;
}

namespace {

// RAII owner of a roaring bitmap.
struct Bitmap {
  roaring_bitmap_t* b;
  Bitmap() : b(roaring_bitmap_create()) {}
  explicit Bitmap(roaring_bitmap_t* x) : b(x) {}
  Bitmap(Bitmap&& o) noexcept : b(o.b) { o.b = nullptr; }
  Bitmap& operator=(Bitmap&& o) noexcept {
    if (this != &o) {
      if (b) roaring_bitmap_free(b);
      b = o.b;
      o.b = nullptr;
    }
    return *this;
  }
  Bitmap(const Bitmap&) = delete;
  ~Bitmap() {
    if (b) roaring_bitmap_free(b);
  }
  static Bitmap copy(const roaring_bitmap_t* x) { return Bitmap(roaring_bitmap_copy(x)); }
  std::uint64_t count() const { return roaring_bitmap_get_cardinality(b); }
};

constexpr std::uint32_t kNone = UINT32_MAX;

struct Facet {
  Facet() = default;
  Facet(Facet&&) noexcept = default;
  Facet& operator=(Facet&&) noexcept = default;
  FacetDef def;
  std::vector<std::string> values, labels;
  std::unordered_map<std::string, std::uint32_t> by_key;  // lower-cased value and label
  std::vector<Bitmap> docs;                               // per value
  std::vector<std::uint32_t> single;                      // doc -> value (single-valued)
  std::vector<std::uint32_t> off, multi;                  // CSR (multi-valued)

  std::uint32_t intern(const std::string& v, const std::string& label) {
    auto key = ascii_lower(v);
    auto it = by_key.find(key);
    if (it != by_key.end()) return it->second;
    auto id = static_cast<std::uint32_t>(values.size());
    values.push_back(v);
    labels.push_back(label);
    docs.emplace_back();
    by_key.emplace(key, id);
    if (!label.empty()) by_key.emplace(ascii_lower(label), id);
    return id;
  }
};

class MemIndex final : public Index {
 public:
  explicit MemIndex(Store& store) {
    version_ = store.data_version();
    for (const auto& row : facet_rows()) {
      Facet f;
      f.def = row.def;
      fac_.push_back(std::move(f));
    }
    for (const auto& m : store.mechanisms()) ctx_.mechanism_names[m.code] = m.name;
    ctx_.add_concepts(store.label_concepts());
    // Follow-up facets: published follow-up, read once into memory (a few rows per followed
    // recommendation), with institution and cluster names for labels.
    for (const auto& i : store.access().institutions()) ctx_.institutions[i.id] = {i.code, i.name};
    for (const auto& c : store.followup().clusters()) ctx_.cluster_names[c.id] = c.name;
    followup_ = followup::public_followup(store);
    if (auto v = store.vocabulary("sdg"))
      for (const auto& t : v->terms) ctx_.sdg_labels[t.code] = t.label;
    Stemmer stemmer;
    std::vector<Token> toks;
    RecordFilter all;
    off_.push_back(0);
    for (auto& f : fac_) f.off.push_back(0);
    store.for_each(all, [&](const Recommendation& r) { add(r, stemmer, toks); });
    followup_.clear();
    for (auto& f : fac_)
      for (auto& b : f.docs) roaring_bitmap_run_optimize(b.b);
    for (auto& b : word_docs_) roaring_bitmap_run_optimize(b.b);
    for (auto& [symbol, b] : symbol_docs_) roaring_bitmap_run_optimize(b.b);
    for (auto& b : stem_docs_) roaring_bitmap_run_optimize(b.b);
    sorted_words_.resize(words_.size());
    for (std::uint32_t i = 0; i < words_.size(); ++i) sorted_words_[i] = i;
    std::sort(sorted_words_.begin(), sorted_words_.end(),
              [&](auto a, auto b) { return words_[a] < words_[b]; });
    all_ = Bitmap();
    roaring_bitmap_add_range(all_.b, 0, uids_.size());
    double total_len = 0;
    for (std::size_t d = 0; d + 1 < off_.size(); ++d) total_len += off_[d + 1] - off_[d];
    avg_len_ = uids_.empty() ? 1 : total_len / static_cast<double>(uids_.size());
    // Sort orders, as ranks per document.
    std::vector<std::uint32_t> order(uids_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return date_[a] > date_[b]; });
    date_rank_.resize(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) date_rank_[order[i]] = i;
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
      return state_key_[a] != state_key_[b] ? state_key_[a] < state_key_[b] : date_[a] > date_[b];
    });
    state_rank_.resize(order.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) state_rank_[order[i]] = i;
    state_key_.clear();
    state_key_.shrink_to_fit();
  }

  // ---------- building ----------
  std::uint32_t word_id(const std::string& w) {
    auto [it, fresh] = word_ids_.try_emplace(w, static_cast<std::uint32_t>(words_.size()));
    if (fresh) {
      words_.push_back(w);
      word_docs_.emplace_back();
      for (auto& s : stem_of_) s.push_back(kNone);
    }
    return it->second;
  }

  std::uint32_t stem_id(std::uint32_t word, Lang lang, Stemmer& stemmer) {
    auto& slot = stem_of_[static_cast<int>(lang)][word];
    if (slot != kNone) return slot;
    std::string s = stemmer.stem(words_[word], lang);
    auto [it, fresh] = stem_ids_.try_emplace(s, static_cast<std::uint32_t>(stems_.size()));
    if (fresh) {
      stems_.push_back(s);
      stem_docs_.emplace_back();
    }
    slot = it->second;
    return slot;
  }

  void add(const Recommendation& r, Stemmer& stemmer, std::vector<Token>& toks) {
    auto doc = static_cast<std::uint32_t>(uids_.size());
    uids_.push_back(r.uid);
    if (!r.symbol.empty()) roaring_bitmap_add(symbol_docs_[ascii_lower(trim(r.symbol))].b, doc);
    Lang lang = lang_of(r.lang);
    langs_.push_back(static_cast<std::uint8_t>(lang));
    toks.clear();
    tokenize(r.text, toks);
    // Other language versions are searchable too (their words follow the main text).
    std::vector<std::pair<std::size_t, Lang>> segments{{toks.size(), lang}};
    for (const auto& v : r.variants) {
      tokenize(v.text, toks);
      segments.emplace_back(toks.size(), lang_of(v.lang));
    }
    std::size_t seg = 0;
    for (std::size_t i = 0; i < toks.size(); ++i) {
      while (i >= segments[seg].first) ++seg;
      std::uint32_t w = word_id(toks[i].word);
      seq_.push_back(w);
      roaring_bitmap_add(word_docs_[w].b, doc);
      roaring_bitmap_add(stem_docs_[stem_id(w, segments[seg].second, stemmer)].b, doc);
    }
    off_.push_back(static_cast<std::uint32_t>(seq_.size()));
    date_.push_back(
        r.pub_date.size() >= 10
            ? static_cast<std::int32_t>(parse_int(r.pub_date.substr(0, 4)).value_or(0) * 10000 +
                                        parse_int(r.pub_date.substr(5, 2)).value_or(0) * 100 +
                                        parse_int(r.pub_date.substr(8, 2)).value_or(0))
            : r.year * 10000 + r.upr_session);
    state_key_.push_back(ascii_lower(state_display_label(r)));

    auto fu = followup_.find(r.uid);
    static const PublicFollowup none;
    const PublicFollowup& f = fu == followup_.end() ? none : fu->second;
    const auto& rows = facet_rows();
    thread_local FacetValues values;
    for (std::size_t fi = 0; fi < rows.size(); ++fi) {
      values.clear();
      rows[fi].extract(r, f, ctx_, values);
      Facet& facet = fac_[fi];
      if (!facet.def.multi) {
        if (values.empty()) {
          facet.single.push_back(kNone);
          continue;
        }
        std::uint32_t id = facet.intern(values[0].first, values[0].second);
        facet.single.push_back(id);
        roaring_bitmap_add(facet.docs[id].b, doc);
        continue;
      }
      std::unordered_set<std::uint32_t> seen;
      for (const auto& [v, label] : values) {
        std::uint32_t id = facet.intern(v, label);
        if (!seen.insert(id).second) continue;
        facet.multi.push_back(id);
        roaring_bitmap_add(facet.docs[id].b, doc);
      }
      facet.off.push_back(static_cast<std::uint32_t>(facet.multi.size()));
    }
  }

  // ---------- searching ----------
  Bitmap atom_docs(const Atom& a, Stemmer& stemmer) const {
    if (a.phrase) return phrase_docs(a.words);
    const std::string& w = a.words[0];
    if (a.prefix) {
      auto lo =
          std::lower_bound(sorted_words_.begin(), sorted_words_.end(), w,
                           [&](std::uint32_t id, const std::string& x) { return words_[id] < x; });
      std::vector<const roaring_bitmap_t*> parts;
      for (auto it = lo; it != sorted_words_.end() && words_[*it].compare(0, w.size(), w) == 0;
           ++it)
        parts.push_back(word_docs_[*it].b);
      if (parts.empty()) return Bitmap();
      return Bitmap(roaring_bitmap_or_many(parts.size(), parts.data()));
    }
    std::vector<const roaring_bitmap_t*> parts;
    if (auto it = word_ids_.find(w); it != word_ids_.end())
      parts.push_back(word_docs_[it->second].b);
    for (int l = 0; l < kLangs; ++l) {
      auto it = stem_ids_.find(stemmer.stem(w, static_cast<Lang>(l)));
      if (it != stem_ids_.end()) parts.push_back(stem_docs_[it->second].b);
    }
    if (parts.empty()) return Bitmap();
    return Bitmap(roaring_bitmap_or_many(parts.size(), parts.data()));
  }

  // Documents whose word sequence holds the phrase's words consecutively.
  Bitmap phrase_docs(const std::vector<std::string>& words) const {
    std::vector<std::uint32_t> ids;
    for (const auto& w : words) {
      auto it = word_ids_.find(w);
      if (it == word_ids_.end()) return Bitmap();
      ids.push_back(it->second);
    }
    // Candidates: documents with every word, rarest first.
    std::vector<std::uint32_t> by_rarity = ids;
    std::sort(by_rarity.begin(), by_rarity.end(),
              [&](auto a, auto b) { return word_docs_[a].count() < word_docs_[b].count(); });
    Bitmap cand = Bitmap::copy(word_docs_[by_rarity[0]].b);
    for (std::size_t i = 1; i < by_rarity.size(); ++i)
      roaring_bitmap_and_inplace(cand.b, word_docs_[by_rarity[i]].b);
    Bitmap out;
    roaring_uint32_iterator_t* it = roaring_create_iterator(cand.b);
    while (it->has_value) {
      std::uint32_t d = it->current_value;
      const std::uint32_t* s = seq_.data() + off_[d];
      std::size_t n = off_[d + 1] - off_[d];
      for (std::size_t p = 0; p + ids.size() <= n; ++p) {
        std::size_t k = 0;
        while (k < ids.size() && s[p + k] == ids[k]) ++k;
        if (k == ids.size()) {
          roaring_bitmap_add(out.b, d);
          break;
        }
      }
      roaring_advance_uint32_iterator(it);
    }
    roaring_free_uint32_iterator(it);
    return out;
  }

  const Facet& facet(const std::string& name) const {
    for (const auto& f : fac_)
      if (f.def.name == name) return f;
    throw BadRequest(name, "unknown filter '" + name + "'");
  }

  // Documents matching one facet filter value (codes, labels, ranges, synonyms).
  void add_filter_value(const Facet& f, const std::string& raw,
                        std::vector<const roaring_bitmap_t*>& parts) const {
    std::string v(trim(raw));
    if (v.empty()) throw BadRequest(f.def.name, "empty value for '" + f.def.name + "'");
    if (f.def.numeric) {
      FilterRange r{};
      try {
        r = parse_filter_range(f.def.name, v);  // the CLI's syntax and message (core/filters.h)
      } catch (const InvalidArgument& e) {
        throw BadRequest(f.def.name, e.what());
      }
      long lo = r.lo, hi = r.hi;
      for (std::size_t i = 0; i < f.values.size(); ++i) {
        long x = parse_int(f.values[i]).value_or(-1);
        if (x >= lo && x <= hi) parts.push_back(f.docs[i].b);
      }
      return;
    }
    std::string key = ascii_lower(v);
    static const std::map<std::string, std::string> crosswalked = {
        {"theme", "theme"}, {"persons", "person"}, {"region", "region"}};
    if (auto cw = crosswalked.find(f.def.name); cw != crosswalked.end()) {
      // A concept, or any label of one (legacy code, older label, other spelling).
      if (auto c = ctx_.concept_names.named(cw->second, v); !c.empty()) key = ascii_lower(c);
    } else if (f.def.name == "state" || f.def.name == "recommending_state") {
      if (auto c = find_country(v)) key = ascii_lower(c->iso3);
    } else if (f.def.name == "response") {
      auto r = response_from_string(v);
      if (!r)
        throw BadRequest("response", "unknown response '" + v +
                                         "'; use supported, noted, supported in part or pending");
      key = std::string(to_string(*r));
    } else if (f.def.name == "sdg_goal" || f.def.name == "sdg_target") {
      std::string code = sdg_code_of(v);
      if (!code.empty()) key = ascii_lower(code);
    }
    if (auto it = f.by_key.find(key); it != f.by_key.end()) parts.push_back(f.docs[it->second].b);
  }

  Bitmap filter_docs(const SearchRequest& req) const {
    Bitmap acc = Bitmap::copy(all_.b);
    for (const auto& [name, values] : req.filters) {
      if (values.empty()) continue;
      std::vector<const roaring_bitmap_t*> parts;
      if (name == "symbol") {  // a filter no facet has: the document symbol, exactly
        for (const auto& v : values)
          if (auto it = symbol_docs_.find(ascii_lower(trim(v))); it != symbol_docs_.end())
            parts.push_back(it->second.b);
      } else if (name == "sdg") {  // goal or target
        for (const auto& v : values) {
          std::string code = sdg_code_of(v);
          if (code.empty()) code = std::string(trim(v));
          add_filter_value(facet(code.find('.') == std::string::npos ? "sdg_goal" : "sdg_target"),
                           code, parts);
        }
      } else {
        const Facet& f = facet(name);
        for (const auto& v : values) add_filter_value(f, v, parts);
      }
      if (parts.empty()) return Bitmap();
      Bitmap any(roaring_bitmap_or_many(parts.size(), parts.data()));
      roaring_bitmap_and_inplace(acc.b, any.b);
    }
    return acc;
  }

  struct Evaluated {
    Bitmap docs;
    std::vector<std::uint32_t> scoring_stems[kLangs];  // per language: stem ids to score
    std::vector<double> idf;                           // per stem id entry order
    std::vector<std::string> highlight;
  };

  Evaluated evaluate(const SearchRequest& req) const {
    if (req.q.size() > 4096) throw BadRequest("q", "the query is longer than 4096 bytes");
    if (find_invalid_utf8(req.q)) throw BadRequest("q", "the query is not valid UTF-8");
    for (const auto& [name, values] : req.filters)
      for (const auto& v : values)
        if (find_invalid_utf8(v)) throw BadRequest(name, "'" + name + "' is not valid UTF-8");
    Query query = parse_query(req.q);
    thread_local Stemmer stemmer;
    Evaluated ev;
    ev.docs = filter_docs(req);
    bool any_positive = false;
    for (const auto& c : query.clauses) {
      std::vector<Bitmap> alts;
      for (const auto& a : c.any) alts.push_back(atom_docs(a, stemmer));
      Bitmap clause = std::move(alts[0]);
      for (std::size_t i = 1; i < alts.size(); ++i) roaring_bitmap_or_inplace(clause.b, alts[i].b);
      if (c.negate) {
        roaring_bitmap_andnot_inplace(ev.docs.b, clause.b);
      } else {
        any_positive = true;
        roaring_bitmap_and_inplace(ev.docs.b, clause.b);
        for (const auto& a : c.any)
          for (const auto& w : a.words) {
            ev.highlight.push_back(a.prefix ? w + "*" : w);
            for (int l = 0; l < kLangs; ++l) {
              auto it = stem_ids_.find(stemmer.stem(w, static_cast<Lang>(l)));
              if (it != stem_ids_.end()) ev.scoring_stems[l].push_back(it->second);
            }
          }
      }
    }
    (void)any_positive;
    return ev;
  }

  // BM25 over the words of the positive clauses, counted in each document's word sequence.
  // The query has a handful of stems: they sit in a small array scanned linearly, which is
  // much cheaper per token than a hash lookup.
  std::vector<double> scores(const Evaluated& ev, const std::vector<std::uint32_t>& docs) const {
    std::vector<double> out(docs.size(), 0.0);
    double n = static_cast<double>(uids_.size());
    std::vector<std::uint32_t> qs;
    std::vector<double> idf;
    for (int l = 0; l < kLangs; ++l)
      for (auto s : ev.scoring_stems[l])
        if (std::find(qs.begin(), qs.end(), s) == qs.end()) {
          qs.push_back(s);
          double df = static_cast<double>(stem_docs_[s].count());
          idf.push_back(std::log(1 + (n - df + 0.5) / (df + 0.5)));
        }
    if (qs.empty()) return out;
    const double k1 = 1.2, b = 0.75;
    std::vector<int> tf(qs.size());
    for (std::size_t i = 0; i < docs.size(); ++i) {
      std::uint32_t d = docs[i];
      const std::uint32_t* stem_of = stem_of_[langs_[d]].data();
      std::fill(tf.begin(), tf.end(), 0);
      for (std::uint32_t p = off_[d]; p < off_[d + 1]; ++p) {
        std::uint32_t s = stem_of[seq_[p]];
        for (std::size_t k = 0; k < qs.size(); ++k)
          if (qs[k] == s) ++tf[k];
      }
      double len = off_[d + 1] - off_[d];
      double norm = k1 * (1 - b + b * len / avg_len_);
      double score = 0;
      for (std::size_t k = 0; k < qs.size(); ++k)
        if (tf[k]) score += idf[k] * (tf[k] * (k1 + 1)) / (tf[k] + norm);
      out[i] = score;
    }
    return out;
  }

  // Puts into positions [from, to) of `v` the elements that belong there in `cmp` order,
  // sorted, without sorting the rest: a page costs O(n), not O(n log n), however deep.
  template <typename Cmp>
  static void order_range(std::vector<std::uint32_t>& v, std::size_t from, std::size_t to,
                          Cmp cmp) {
    auto at = [&](std::size_t i) { return v.begin() + static_cast<long>(i); };
    if (to < v.size()) std::nth_element(v.begin(), at(to), v.end(), cmp);
    if (from > 0) std::nth_element(v.begin(), at(from), at(to), cmp);
    std::sort(at(from), at(to), cmp);
  }

  // The documents of the result in the requested order, from position `from` (count `n`).
  std::vector<std::uint32_t> ordered(const Evaluated& ev, Sort sort, std::size_t from,
                                     std::size_t n, std::vector<double>* score_out) const {
    std::vector<std::uint32_t> docs(ev.docs.count());
    roaring_bitmap_to_uint32_array(ev.docs.b, docs.data());
    if (from >= docs.size()) return {};
    std::size_t to = std::min(docs.size(), from + n);
    bool relevance =
        sort == Sort::Relevance && (!ev.scoring_stems[0].empty() || !ev.scoring_stems[1].empty() ||
                                    !ev.scoring_stems[2].empty());
    if (relevance) {
      auto sc = scores(ev, docs);
      std::vector<std::uint32_t> idx(docs.size());
      for (std::uint32_t i = 0; i < idx.size(); ++i) idx[i] = i;
      auto cmp = [&](std::uint32_t a, std::uint32_t b) {
        if (sc[a] != sc[b]) return sc[a] > sc[b];
        return date_rank_[docs[a]] < date_rank_[docs[b]];
      };
      order_range(idx, from, to, cmp);
      std::vector<std::uint32_t> out;
      for (std::size_t i = from; i < to; ++i) {
        out.push_back(docs[idx[i]]);
        if (score_out) score_out->push_back(sc[idx[i]]);
      }
      return out;
    }
    const std::vector<std::uint32_t>& rank = sort == Sort::State ? state_rank_ : date_rank_;
    bool asc = sort == Sort::DateAsc;
    auto cmp = [&](std::uint32_t a, std::uint32_t b) {
      return asc ? rank[a] > rank[b] : rank[a] < rank[b];
    };
    order_range(docs, from, to, cmp);
    return std::vector<std::uint32_t>(docs.begin() + static_cast<long>(from),
                                      docs.begin() + static_cast<long>(to));
  }

  std::vector<FacetValue> listing(const Facet& f, const std::vector<long>& counts,
                                  int limit) const {
    std::vector<FacetValue> out;
    for (std::size_t i = 0; i < counts.size(); ++i)
      if (counts[i] > 0)
        out.push_back({f.values[i], f.labels[i].empty() ? f.values[i] : f.labels[i], counts[i]});
    if (f.def.numeric)
      std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
        return parse_int(a.value).value_or(0) < parse_int(b.value).value_or(0);
      });
    else
      std::sort(out.begin(), out.end(), [](const FacetValue& a, const FacetValue& b) {
        return a.count != b.count ? a.count > b.count : a.label < b.label;
      });
    if (limit > 0 && out.size() > static_cast<std::size_t>(limit))
      out.resize(static_cast<std::size_t>(limit));
    return out;
  }

  SearchResult search(const SearchRequest& req) const override {
    if (req.page < 1) throw BadRequest("page", "page must be 1 or more");
    if (req.per_page < 1 || req.per_page > 1000)
      throw BadRequest("per_page", "per_page must be between 1 and 1000");
    Evaluated ev = evaluate(req);
    SearchResult res;
    res.total = static_cast<long>(ev.docs.count());
    res.page = req.page;
    res.per_page = req.per_page;
    res.highlight_terms = ev.highlight;
    // A page past the end is an empty page, not an error.
    std::size_t from =
        static_cast<std::size_t>(req.page - 1) * static_cast<std::size_t>(req.per_page);
    std::vector<double> sc;
    auto page = ordered(ev, req.sort, from, static_cast<std::size_t>(req.per_page), &sc);
    for (std::size_t i = 0; i < page.size(); ++i)
      res.hits.push_back({page[i], uids_[page[i]], i < sc.size() ? sc[i] : 0.0});
    if (req.with_facets) {
      std::vector<std::vector<long>> counts(fac_.size());
      std::vector<bool> wanted(fac_.size(), req.facet_names.empty());
      for (const auto& name : req.facet_names) {
        bool found = false;
        for (std::size_t fi = 0; fi < fac_.size(); ++fi)
          if (fac_[fi].def.name == name) wanted[fi] = found = true;
        if (!found) throw BadRequest("facets", "unknown facet '" + name + "'");
      }
      for (std::size_t fi = 0; fi < fac_.size(); ++fi)
        if (wanted[fi]) counts[fi].assign(fac_[fi].values.size(), 0);
      roaring_uint32_iterator_t* it = roaring_create_iterator(ev.docs.b);
      std::vector<std::uint32_t> buf(4096);
      while (true) {
        std::uint32_t got =
            roaring_read_uint32_iterator(it, buf.data(), static_cast<std::uint32_t>(buf.size()));
        if (got == 0) break;
        for (std::size_t fi = 0; fi < fac_.size(); ++fi) {
          if (!wanted[fi]) continue;
          const Facet& f = fac_[fi];
          auto& c = counts[fi];
          if (!f.def.multi) {
            for (std::uint32_t k = 0; k < got; ++k) {
              std::uint32_t v = f.single[buf[k]];
              if (v != kNone) ++c[v];
            }
          } else {
            for (std::uint32_t k = 0; k < got; ++k)
              for (std::uint32_t p = f.off[buf[k]]; p < f.off[buf[k] + 1]; ++p) ++c[f.multi[p]];
          }
        }
      }
      roaring_free_uint32_iterator(it);
      for (std::size_t fi = 0; fi < fac_.size(); ++fi)
        if (wanted[fi])
          res.facets[fac_[fi].def.name] = listing(fac_[fi], counts[fi], req.facet_limit);
      if (req.disjunctive_facets)
        for (const auto& [name, values] : req.filters) {
          if (values.empty() || name == "sdg" ||
              (!req.facet_names.empty() && std::find(req.facet_names.begin(), req.facet_names.end(),
                                                     name) == req.facet_names.end()))
            continue;
          auto other = req;
          other.filters.erase(name);
          other.disjunctive_facets = false;
          other.page = 1;
          other.per_page = 1;
          other.facet_names = {name};
          auto r = search(other);
          if (auto it = r.facets.find(name); it != r.facets.end()) res.facets[name] = it->second;
        }
    }
    return res;
  }

  long for_each_match(const SearchRequest& req,
                      const std::function<void(const std::string&)>& fn) const override {
    Evaluated ev = evaluate(req);
    long n = 0;
    auto docs = ordered(ev, req.sort == Sort::Relevance ? Sort::DateDesc : req.sort, 0,
                        ev.docs.count(), nullptr);
    for (auto d : docs) {
      fn(uids_[d]);
      ++n;
    }
    return n;
  }

  Snippet snippet(const std::string& text, const std::vector<std::string>& terms,
                  std::size_t max_chars) const override {
    thread_local Stemmer stemmer;
    std::vector<Token> toks;
    tokenize(text, toks);
    // A word is a hit as it would be in a search: equal to a query word, starting with a
    // prefix, or with the same stem. Stems of indexed words come from the tables built with
    // the index (no stemmer call per word); only words the index never saw are stemmed here.
    std::unordered_set<std::string> exact, stems;
    std::unordered_set<std::uint32_t> stem_ids;
    std::vector<std::string> prefixes;
    for (const auto& t : terms) {
      if (!t.empty() && t.back() == '*') {
        prefixes.push_back(t.substr(0, t.size() - 1));
        continue;
      }
      exact.insert(t);
      for (int l = 0; l < kLangs; ++l) {
        std::string st = stemmer.stem(t, static_cast<Lang>(l));
        if (auto it = stem_ids_.find(st); it != stem_ids_.end()) stem_ids.insert(it->second);
        stems.insert(std::move(st));
      }
    }
    std::unordered_map<std::string, bool> memo;
    auto is_hit = [&](const std::string& w) {
      auto m = memo.find(w);
      if (m != memo.end()) return m->second;
      bool hit = exact.count(w) > 0;
      for (std::size_t i = 0; !hit && i < prefixes.size(); ++i)
        hit = w.compare(0, prefixes[i].size(), prefixes[i]) == 0;
      if (!hit) {
        if (auto id = word_ids_.find(w); id != word_ids_.end()) {
          for (int l = 0; !hit && l < kLangs; ++l) {
            std::uint32_t st = stem_of_[l][id->second];
            hit = st != kNone && stem_ids.count(st) > 0;
          }
        } else {
          for (int l = 0; !hit && l < kLangs; ++l)
            hit = stems.count(stemmer.stem(w, static_cast<Lang>(l))) > 0;
        }
      }
      memo.emplace(w, hit);
      return hit;
    };
    std::vector<std::pair<std::uint32_t, std::uint32_t>> hits;
    for (const auto& t : toks)
      if (is_hit(t.word)) hits.emplace_back(t.begin, t.end);
    // Window: start a little before the first hit, cut on UTF-8 boundaries and spaces.
    std::size_t start = 0;
    if (!hits.empty() && hits[0].first > max_chars / 3) start = hits[0].first - max_chars / 3;
    while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
    if (start > 0) {
      auto sp = text.find(' ', start);
      if (sp != std::string::npos && sp < hits[0].first) start = sp + 1;
    }
    std::size_t end = std::min(text.size(), start + max_chars);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    if (end < text.size()) {
      auto sp = text.rfind(' ', end);
      if (sp != std::string::npos && sp > start) end = sp;
    }
    Snippet s;
    s.cut_before = start > 0;
    s.cut_after = end < text.size();
    std::size_t pos = start;
    for (auto [b, e] : hits) {
      if (e <= start || b >= end) continue;
      if (b > pos) s.pieces.push_back({text.substr(pos, b - pos), false});
      s.pieces.push_back({text.substr(b, e - b), true});
      pos = e;
    }
    if (pos < end) s.pieces.push_back({text.substr(pos, end - pos), false});
    return s;
  }

  std::vector<FacetValue> facet_values(const std::string& name) const override {
    const Facet& f = facet(name);
    std::vector<long> counts(f.values.size());
    for (std::size_t i = 0; i < counts.size(); ++i)
      counts[i] = static_cast<long>(f.docs[i].count());
    return listing(f, counts, 0);
  }

  long size() const override { return static_cast<long>(uids_.size()); }
  std::int64_t data_version() const override { return version_; }

  std::size_t memory_bytes() const override {
    std::size_t n = seq_.capacity() * 4 + off_.capacity() * 4 + date_.capacity() * 4 +
                    date_rank_.capacity() * 4 + state_rank_.capacity() * 4 + langs_.capacity();
    for (const auto& u : uids_) n += sizeof(std::string) + u.capacity();
    for (const auto& w : words_) n += sizeof(std::string) + w.capacity() + 16;
    for (const auto& b : word_docs_) n += roaring_bitmap_size_in_bytes(b.b);
    for (const auto& b : stem_docs_) n += roaring_bitmap_size_in_bytes(b.b);
    for (const auto& [symbol, b] : symbol_docs_)
      n += symbol.capacity() + roaring_bitmap_size_in_bytes(b.b);
    for (const auto& f : fac_) {
      n += f.single.capacity() * 4 + f.multi.capacity() * 4 + f.off.capacity() * 4;
      for (const auto& b : f.docs) n += roaring_bitmap_size_in_bytes(b.b);
    }
    return n;
  }

 private:
  std::int64_t version_ = 0;
  std::vector<std::string> uids_;
  std::vector<std::uint8_t> langs_;
  std::vector<std::uint32_t> seq_, off_;
  std::vector<std::int32_t> date_;
  std::vector<std::string> state_key_;
  std::vector<std::uint32_t> date_rank_, state_rank_;
  std::unordered_map<std::string, std::uint32_t> word_ids_, stem_ids_;
  std::vector<std::string> words_, stems_;
  std::vector<std::uint32_t> sorted_words_;
  std::vector<Bitmap> word_docs_, stem_docs_;
  std::unordered_map<std::string, Bitmap> symbol_docs_;  // lower-cased document symbol
  std::vector<std::uint32_t> stem_of_[kLangs];
  std::vector<Facet> fac_;
  Bitmap all_;
  double avg_len_ = 1;
  FacetContext ctx_;                                // names for facet labels
  std::map<std::string, PublicFollowup> followup_;  // used while building
};

}  // namespace

std::shared_ptr<const Index> Index::build(Store& store) {
  return std::make_shared<MemIndex>(store);
}

}  // namespace hrtrack::search
