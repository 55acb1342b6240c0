#include <gtest/gtest.h>

#include <sqlite3.h>
#include "temp_db.h"

#include <unistd.h>

#include <filesystem>

#include "core/error.h"
#include "core/filters.h"
#include "core/record_json.h"
#include "ingest/vocab_loader.h"
#include "store/store.h"

using namespace hrtrack;

namespace {
Recommendation sample(const std::string& text) {
  Recommendation r;
  r.mechanism = "UPR";
  r.state_iso3 = "CHL";
  r.state_name = "Chile";
  r.upr_session = 5;
  r.recommending_states = {"France"};
  r.text = text;
  r.issues = {"Justice"};
  return r;
}

long log_rows(const std::string& db) {
  auto s = open_store(db);
  long n = 0;
  s->for_each_change({}, [&](const ChangeEntry&) { ++n; });
  return n;
}
}  // namespace

TEST(Store, MigratesAndIsIdempotent) {
  TempDb t;
  // 001 registry, 002 access, 003 index generation, 004 follow-up, 005 staged imports, 006
  // generation bumps out of the triggers, 007 label concepts, 008 sub-paragraphs and re-sync:
  // applied once, then nothing more to do.
  { EXPECT_EQ(open_store(t.path)->schema_version(), 8); }
  { EXPECT_EQ(open_store(t.path)->schema_version(), 8); }
}

TEST(Store, UpsertNewChangedUnchangedAndLog) {
  TempDb t;
  auto s = open_store(t.path);
  auto r = sample("Adopt a law.");
  auto keys = identity_keys(r);
  {
    auto txn = s->begin();
    EXPECT_EQ(s->upsert_imported(r, keys, imported_json(r), "test", 0), UpsertOutcome::New);
    txn->commit();
  }
  EXPECT_EQ(r.uid, uid_for_key(keys.primary()));
  auto same = sample("Adopt a law.");
  {
    auto txn = s->begin();
    EXPECT_EQ(s->upsert_imported(same, keys, imported_json(same), "test", 0),
              UpsertOutcome::Unchanged);
    auto changed = sample("Adopt a law.");
    changed.issues = {"Justice", "Women's rights"};
    EXPECT_EQ(s->upsert_imported(changed, keys, imported_json(changed), "test", 0),
              UpsertOutcome::Changed);
    txn->commit();
  }
  std::vector<ChangeEntry> log;
  s->for_each_change({"", "recommendation", r.uid, "", "", "", 0},
                     [&](const ChangeEntry& e) { log.push_back(e); });
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].field, "*");
  EXPECT_EQ(log[1].field, "issues");
  EXPECT_EQ(log[1].before, R"(["Justice"])");
  EXPECT_EQ(log[1].after, R"(["Justice","Women's rights"])");
  EXPECT_EQ(s->get(r.uid)->issues.size(), 2u);
}

TEST(Store, PreviousImportOfTheSameSourceListsWhatIsAbsent) {
  TempDb t;
  auto s = open_store(t.path);
  auto run = [&](const std::vector<std::string>& texts, const std::string& scope) {
    ImportSummary sum;
    sum.started_at = now_iso();
    sum.actor = "test";
    sum.format = "csv";
    sum.file = "list.csv";
    sum.scope = scope;
    sum.id = s->start_import(sum);
    auto txn = s->begin();
    std::vector<std::int64_t> ids;
    for (const auto& text : texts) {
      auto r = sample(text);
      s->upsert_imported(r, identity_keys(r), imported_json(r), "test", sum.id);
      ids.push_back(r.id);
    }
    s->add_import_records(sum.id, ids);
    auto prev = s->previous_import_of(sum.id, sum.format, sum.scope);
    if (prev) {
      sum.previous_import = prev->id;
      sum.absent = prev->absent;
    }
    sum.finished_at = now_iso();
    s->finish_import(sum);
    txn->commit();
    return std::make_pair(sum.id, prev);
  };
  const std::string chl = "states=CHL;mechanisms=UPR";
  auto [first, none] = run({"Adopt a law.", "Ratify the OP.", "Train judges."}, chl);
  EXPECT_FALSE(none);
  auto [second, prev] = run({"Adopt a law.", "Train judges."}, chl);
  ASSERT_TRUE(prev);
  EXPECT_EQ(prev->id, first);
  auto gone = sample("Ratify the OP.");
  ASSERT_EQ(prev->absent.size(), 1u);
  EXPECT_EQ(prev->absent[0].uid, uid_for_key(identity_keys(gone).primary()));
  // Nothing deleted; the summary keeps the list.
  EXPECT_EQ(s->count({}), 3);
  auto imports = s->imports();
  ASSERT_EQ(imports.size(), 2u);
  EXPECT_EQ(imports[1].previous_import, first);
  EXPECT_EQ(imports[1].previous_file, "list.csv");
  EXPECT_EQ(imports[1].absent, prev->absent);
  // Another scope is another source: not compared.
  auto [third, other] = run({"Adopt a law."}, "states=FRA;mechanisms=UPR");
  EXPECT_FALSE(other);
  // The same source again: compared with the second import, which had the same records.
  auto [fourth, again] = run({"Adopt a law.", "Train judges."}, chl);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, second);
  EXPECT_TRUE(again->absent.empty());
}

TEST(Store, RollbackWritesNothing) {
  TempDb t;
  auto s = open_store(t.path);
  {
    auto txn = s->begin();
    auto r = sample("Never committed.");
    s->upsert_imported(r, identity_keys(r), imported_json(r), "test", 0);
  }  // no commit
  EXPECT_EQ(s->count({}), 0);
  long n = 0;
  s->for_each_change({}, [&](const ChangeEntry&) { ++n; });
  EXPECT_EQ(n, 0);
}

TEST(Store, ChangeLogIsAppendOnly) {
  TempDb t;
  {
    auto s = open_store(t.path);
    s->log_change({0, "", "a", "x", "1", "f", std::nullopt, "1", 0});
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(t.path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_NE(sqlite3_exec(db, "UPDATE change_log SET actor = 'mallory'", nullptr, nullptr, &err),
            SQLITE_OK);
  EXPECT_NE(std::string(err ? err : "").find("append-only"), std::string::npos);
  sqlite3_free(err);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM change_log", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(log_rows(t.path), 1);
}

TEST(Store, SoftDeleteAndRestoreAreLogged) {
  TempDb t;
  auto s = open_store(t.path);
  auto r = sample("Delete me.");
  {
    auto txn = s->begin();
    s->upsert_imported(r, identity_keys(r), imported_json(r), "test", 0);
    txn->commit();
  }
  s->soft_delete(r.uid, "alice");
  EXPECT_EQ(s->count({}), 0);
  RecordFilter all;
  all.include_deleted = true;
  EXPECT_EQ(s->count(all), 1);
  s->restore(r.uid, "bob");
  EXPECT_EQ(s->count({}), 1);
  std::vector<std::string> who;
  s->for_each_change({"", "", r.uid, "deleted", "", "", 0},
                     [&](const ChangeEntry& e) { who.push_back(e.actor + ":" + *e.after); });
  EXPECT_EQ(who, (std::vector<std::string>{"alice:true", "bob:false"}));
  EXPECT_THROW(s->soft_delete("R-nope", "x"), NotFound);
}

TEST(Store, FilterValidation) {
  RecordFilter f;
  EXPECT_THROW(f.add("colour=red"), InvalidArgument);
  EXPECT_THROW(f.add("state"), InvalidArgument);
  f.add("year=2010..2012");
  TempDb t;
  auto s = open_store(t.path);
  RecordFilter bad;
  EXPECT_THROW(bad.add("year=soon"), InvalidArgument);  // checked when given
  // The search API's names, and the old CLI names as aliases of them.
  RecordFilter names;
  names.add("upr_cycle=2");
  names.add("cycle=1..3");
  names.add("person=Women");
  names.add("sdg_goal=16");
  names.add("recommending_state=Iran");
  EXPECT_EQ(names.conditions[0].first, "cycle");
  EXPECT_EQ(names.conditions[2].first, "persons");
  EXPECT_EQ(s->count(names), 0);
  try {
    RecordFilter f2;
    f2.add("colour=red");
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()), unknown_filter_message("colour"));
  }
  RecordFilter followup;
  EXPECT_THROW(followup.add("status=in_progress"), InvalidArgument);  // the API's only
}

TEST(Store, BuiltinVocabulariesLoadOnceAndAreLogged) {
  TempDb t;
  auto s = open_store(t.path);
  ingest::load_builtin_vocabularies(*s, "system");
  long first = 0, second = 0;
  s->for_each_change({}, [&](const ChangeEntry&) { ++first; });
  ingest::load_builtin_vocabularies(*s, "system");
  s->for_each_change({}, [&](const ChangeEntry&) { ++second; });
  EXPECT_GT(first, 80);
  EXPECT_EQ(first, second);
  bool has_ced = false, has_grevio = false;
  for (const auto& m : s->mechanisms()) {
    has_ced |= m.code == "CED";
    has_grevio |= m.code == "GREVIO";
  }
  EXPECT_TRUE(has_ced && has_grevio);
  EXPECT_EQ(s->vocabulary("sdg")->terms.size(), 17u);
}

TEST(Store, ListFieldsSurviveEveryCharacter) {
  TempDb t;
  auto s = open_store(t.path);
  auto r = sample("Lists.");
  r.themes = {"a \"quoted\" \\ back/slash",
              "new\nline\ttab",
              std::string("ctl\x01") + "x",
              "人权 — «ñ»",
              "",
              "[not, json]"};
  r.recommending_states = {"Côte d'Ivoire", "Congo, Democratic Republic of"};
  {
    auto txn = s->begin();
    s->upsert_imported(r, identity_keys(r), imported_json(r), "test", 0);
    txn->commit();
  }
  auto back = s->get(r.uid);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->themes, r.themes);
  EXPECT_EQ(back->recommending_states, r.recommending_states);
}
