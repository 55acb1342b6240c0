#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "core/filters.h"
#include "core/record_json.h"
#include "ingest/vocab_loader.h"
#include "search/query.h"
#include "search/search.h"
#include "search/tokenizer.h"

using namespace hrtrack;
using namespace hrtrack::search;

namespace {

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("hrtrack-search-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    std::filesystem::remove(path_);
    store_ = open_store(path_);
    ingest::load_builtin_vocabularies(*store_, "test");
    auto txn = store_->begin();
    add("CHL", "Ratify the Optional Protocol to the Convention against Torture.", "supported", 5,
        {"Torture and other CID treatment"}, "en");
    add("CHL", "Abolish the death penalty; ratify the Second Optional Protocol.", "noted", 5,
        {"Death penalty"}, "en");
    add("FRA", "Lutter contre les violences faites aux femmes et éliminer la torture.", "supported",
        6, {"Women's rights"}, "fr");
    add("ESP", "Proteger a los niños contra la explotación.", "supported", 7,
        {"Rights of the Child"}, "es");
    add("PER", "Investigate torture by security forces and end impunity.", "noted", 9,
        {"Torture and other CID treatment", "Impunity"}, "en");
    add("PER", "Guarantee that human-rights defenders can work freely.", "", 9,
        {"Human rights defenders"}, "en", Kind::Pledge);
    txn->commit();
    index_ = Index::build(*store_);
  }
  void TearDown() override {
    store_.reset();
    for (auto ext : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + ext);
  }
  void add(const std::string& iso3, const std::string& text, const std::string& response,
           int session, std::vector<std::string> issues, const std::string& lang,
           Kind kind = Kind::Recommendation) {
    Recommendation r;
    r.mechanism = "UPR";
    r.state_iso3 = iso3;
    r.text = text;
    r.lang = lang;
    r.kind = kind;
    r.response = response_from_string(response).value();
    r.upr_session = session;
    r.upr_cycle = 1;
    r.year = 2008 + session / 3;
    r.issues = std::move(issues);
    auto k = identity_keys(r);
    store_->upsert_imported(r, k, imported_json(r), "test", 0);
  }
  long total(const std::string& q, std::map<std::string, std::vector<std::string>> f = {}) {
    SearchRequest r;
    r.q = q;
    r.filters = std::move(f);
    return index_->search(r).total;
  }
  std::string path_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const Index> index_;
};

}  // namespace

TEST(Tokenizer, FoldsCaseAndDiacriticsAndSplitsPunctuation) {
  std::vector<Token> t;
  tokenize("Éliminer l'EXCISION, «niños» human-rights 人权 Ω", t);
  std::vector<std::string> w;
  for (auto& x : t) w.push_back(x.word);
  EXPECT_EQ(w, (std::vector<std::string>{"eliminer", "l", "excision", "ninos", "human", "rights",
                                         "人", "权", "ω"}));
  EXPECT_EQ(t[0].begin, 0u);
  EXPECT_EQ(t[0].end, 9u);  // "Éliminer" is 9 bytes
}

TEST(Query, ParsesSyntaxAndRejectsBadInput) {
  auto q = parse_query(R"(torture "optional protocol" -death women OR girls child*)");
  ASSERT_EQ(q.clauses.size(), 5u);
  EXPECT_TRUE(q.clauses[1].any[0].phrase);
  EXPECT_TRUE(q.clauses[2].negate);
  EXPECT_EQ(q.clauses[3].any.size(), 2u);
  EXPECT_TRUE(q.clauses[4].any[0].prefix);
  EXPECT_THROW(parse_query(R"("open phrase)"), BadRequest);
  EXPECT_THROW(parse_query("OR torture"), BadRequest);
  EXPECT_THROW(parse_query("torture OR"), BadRequest);
  EXPECT_TRUE(parse_query("  ,;  ").empty());
}

TEST_F(SearchTest, WordsPhrasesExclusionOrPrefix) {
  EXPECT_EQ(total("torture"), 3);  // "Torture", "torture" (fr), "torture"
  EXPECT_EQ(total("TORTURE"), 3);
  EXPECT_EQ(total("\"optional protocol\""), 2);
  EXPECT_EQ(total("\"protocol optional\""), 0);
  EXPECT_EQ(total("torture -impunity"), 2);
  EXPECT_EQ(total("penalty OR impunity"), 2);
  EXPECT_EQ(total("protoc*"), 2);
  EXPECT_EQ(total("ninos"), 1);      // diacritics-insensitive
  EXPECT_EQ(total("niño"), 1);       // Spanish stem of niños
  EXPECT_EQ(total("violence"), 1);   // French stem of violences
  EXPECT_EQ(total("ratifying"), 2);  // English stem
  EXPECT_EQ(total("human-rights"), 1);
  EXPECT_EQ(total(""), 6);
}

TEST_F(SearchTest, FiltersAndExactFacets) {
  EXPECT_EQ(total("", {{"state", {"PER"}}}), 2);
  EXPECT_EQ(total("", {{"state", {"Peru"}}}), 2);
  EXPECT_EQ(total("", {{"state", {"PER", "CHL"}}}), 4);
  EXPECT_EQ(total("", {{"response", {"Accepted"}}}), 3);  // synonym of supported
  EXPECT_EQ(total("", {{"session", {"5..7"}}}), 4);
  EXPECT_EQ(total("torture", {{"issue", {"impunity"}}}), 1);
  EXPECT_EQ(total("", {{"kind", {"pledge"}}}), 1);
  EXPECT_EQ(total("", {{"state", {"Atlantis"}}}), 0);
  SearchRequest r;
  r.q = "torture";
  auto res = index_->search(r);
  std::map<std::string, long> states;
  for (auto& v : res.facets["state"]) states[v.value] = v.count;
  EXPECT_EQ(states, (std::map<std::string, long>{{"CHL", 1}, {"FRA", 1}, {"PER", 1}}));
  std::map<std::string, long> issues;
  for (auto& v : res.facets["issue"]) issues[v.value] = v.count;
  EXPECT_EQ(issues["Torture and other CID treatment"], 2);
  EXPECT_EQ(issues["Impunity"], 1);
}

// Recommending States: one value per State (ISO3, the UN's name) whatever the source's spelling,
// in the index's facet and in the store's counts and filter alike.
TEST_F(SearchTest, RecommendingStatesCountOncePerState) {
  auto txn = store_->begin();
  int n = 0;
  for (std::vector<std::string> from :
       {std::vector<std::string>{"UK"},
        {"United Kingdom of Great Britain and Northern Ireland", "Iran"},
        {"Iran (Islamic Republic of)", "Islamic Republic of Iran"},
        {"Congo - Kinshasa"}}) {
    Recommendation r;
    r.mechanism = "UPR";
    r.state_iso3 = "SVN";
    r.text = "Recommendation number " + std::to_string(++n) + " on something.";
    r.recommending_states = from;
    auto k = identity_keys(r);
    store_->upsert_imported(r, k, imported_json(r), "test", 0);
  }
  txn->commit();
  index_ = Index::build(*store_);
  std::map<std::string, std::pair<std::string, long>> facet;
  for (const auto& v : index_->facet_values("recommending_state"))
    facet[v.value] = {v.label, v.count};
  EXPECT_EQ(facet, (std::map<std::string, std::pair<std::string, long>>{
                       {"COD", {"Democratic Republic of the Congo", 1}},
                       {"GBR", {"United Kingdom of Great Britain and Northern Ireland", 2}},
                       {"IRN", {"Iran (Islamic Republic of)", 2}}}));
  EXPECT_EQ(total("", {{"recommending_state", {"United Kingdom"}}}), 2);
  EXPECT_EQ(total("", {{"recommending_state", {"IRN"}}}), 2);
  auto counts = store_->counts(RecordFilter{}, 0);
  EXPECT_EQ(counts.by["recommending_state"],
            (std::vector<std::pair<std::string, long>>{{"GBR", 2}, {"IRN", 2}, {"COD", 1}}));
  RecordFilter f;
  f.add("recommending_state=United Kingdom");
  EXPECT_EQ(store_->count(f), 2);
}

// The facets are the filter vocabulary's API fields (core/filters.h), with the same numeric-ness;
// every other field of the list is a filter the API or the CLI takes besides the facets.
TEST(FilterVocabulary, FacetsAreTheListsApiFields) {
  std::set<std::string> facet_names;
  for (const auto& f : facets()) {
    facet_names.insert(f.name);
    const FilterField* field = find_filter_field(f.name);
    ASSERT_NE(field, nullptr) << f.name;
    EXPECT_EQ(field->name, f.name);
    EXPECT_EQ(field->numeric, f.numeric) << f.name;
    EXPECT_NE(field->scope, FilterScope::Cli) << f.name;
  }
  std::set<std::string> others;
  for (const auto& f : filter_fields())
    if (!facet_names.count(f.name)) others.insert(f.name);
  EXPECT_EQ(others, (std::set<std::string>{"sdg", "no_update_months", "symbol", "paragraph",
                                           "parent_paragraph"}));
}

TEST_F(SearchTest, BadParametersNameTheParameter) {
  SearchRequest r;
  r.filters["colour"] = {"red"};
  try {
    index_->search(r);
    FAIL();
  } catch (const BadRequest& e) {
    EXPECT_EQ(e.param(), "colour");
  }
  r.filters.clear();
  r.filters["year"] = {"soon"};
  EXPECT_THROW(index_->search(r), BadRequest);
  r.filters.clear();
  r.per_page = 1000000000;
  EXPECT_THROW(index_->search(r), BadRequest);
  r.per_page = 10;
  r.page = -1;
  EXPECT_THROW(index_->search(r), BadRequest);
  r.page = 1;
  r.q = "acc\x8Fs";
  EXPECT_THROW(index_->search(r), BadRequest);
}

TEST_F(SearchTest, PagingCoversEveryHitOnceInEveryOrder) {
  for (Sort s : {Sort::Relevance, Sort::DateDesc, Sort::DateAsc, Sort::State}) {
    std::set<std::string> seen;
    for (long page = 1; page <= 4; ++page) {
      SearchRequest r;
      r.per_page = 2;
      r.page = page;
      r.sort = s;
      r.with_facets = false;
      for (auto& h : index_->search(r).hits) EXPECT_TRUE(seen.insert(h.uid).second);
    }
    EXPECT_EQ(seen.size(), 6u);
  }
  SearchRequest r;
  r.page = 10000;
  EXPECT_TRUE(index_->search(r).hits.empty());
  EXPECT_EQ(index_->search(r).total, 6);
}

TEST_F(SearchTest, SnippetMarksHitsWithoutMarkup) {
  SearchRequest r;
  r.q = "torture";
  auto res = index_->search(r);
  auto s = index_->snippet("<b>Torture</b> & tortured <script>", res.highlight_terms, 200);
  std::string joined;
  for (auto& p : s.pieces) joined += p.hit ? "[" + p.text + "]" : p.text;
  EXPECT_EQ(joined, "<b>[Torture]</b> & [tortured] <script>");
}

// Writes a record through a connection of its own (as an import or another user would) and
// returns the store's data version after it.
std::int64_t write_from_elsewhere(const std::string& path, const std::string& text) {
  auto other = open_store(path);
  auto txn = other->begin();
  Recommendation r;
  r.mechanism = "UPR";
  r.state_iso3 = "BRA";
  r.text = text;
  other->upsert_imported(r, identity_keys(r), imported_json(r), "test", 0);
  txn->commit();
  return other->data_version();
}

TEST_F(SearchTest, HolderRebuildsAfterAWrite) {
  IndexHolder holder([this] { return open_store(path_); });
  auto before = holder.current();
  EXPECT_EQ(before->size(), 6);
  EXPECT_EQ(holder.current().get(), before.get());  // nothing changed: same index
  std::int64_t version = write_from_elsewhere(path_, "A new recommendation on prisons.");
  // The writer's own view: an index with its change (waits for the background build).
  auto after = holder.at_least(version);
  EXPECT_EQ(after->size(), 7);
  SearchRequest q;
  q.q = "prisons";
  EXPECT_EQ(after->search(q).total, 1);
  // Anyone else sees the next write within the poll interval (250 ms) plus a build, unasked.
  write_from_elsewhere(path_, "Another recommendation on prisons.");
  auto t0 = std::chrono::steady_clock::now();
  while (holder.current()->size() != 8 &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(holder.current()->size(), 8) << "the watcher did not pick up a write by itself";
}

// Readers never wait for a build: while one is under way (held here until released), current()
// answers at once with the index there is, and searches run on it.
TEST_F(SearchTest, HolderReadersNeverWaitForABuild) {
  std::mutex m;
  std::condition_variable cv;
  bool release = false, building = false;
  int builds = 0;
  IndexHolder holder(
      [this] { return open_store(path_); },
      [&](Store& s) {
        {
          std::unique_lock<std::mutex> lk(m);
          if (builds++ > 0) {  // the first build runs free; the second waits for the test
            building = true;
            cv.notify_all();
            cv.wait(lk, [&] { return release; });
          }
        }
        return Index::build(s);
      },
      std::chrono::milliseconds(10));
  struct Release {  // however the test ends, the held build goes on (the holder joins it)
    std::mutex& m;
    std::condition_variable& cv;
    bool& release;
    ~Release() {
      {
        std::lock_guard<std::mutex> lk(m);
        release = true;
      }
      cv.notify_all();
    }
  } guard{m, cv, release};
  auto first = holder.current();
  ASSERT_EQ(first->size(), 6);
  std::int64_t version = write_from_elsewhere(path_, "A recommendation written during a build.");
  holder.changed();
  {
    std::unique_lock<std::mutex> lk(m);
    ASSERT_TRUE(cv.wait_for(lk, std::chrono::seconds(10), [&] { return building; }))
        << "the holder never started the second build";
  }
  // The build is held: 1,000 readers get the old index at once.
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 1000; ++i) {
    auto idx = holder.current();
    ASSERT_EQ(idx.get(), first.get());
    SearchRequest q;
    q.q = "torture";
    ASSERT_GT(idx->search(q).total, 0);
  }
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  EXPECT_LT(ms, 5000) << "1,000 searches took " << ms << " ms while a build was held";
  {
    std::lock_guard<std::mutex> lk(m);
    release = true;
  }
  cv.notify_all();
  auto after = holder.at_least(version);
  EXPECT_EQ(after->size(), 7);
  EXPECT_EQ(holder.builds(), 2);
}
