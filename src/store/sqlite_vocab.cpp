// Vocabularies, mappings, mechanisms and UPR sessions in SQLite (SqliteStore, sqlite_store.h).
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/sqlite_store.h"

namespace hrtrack::store {

using nlohmann::json;

using namespace rows;

std::int64_t SqliteStore::vocab_id(const std::string& name, const std::string& version, bool create,
                                   const std::string& title, const std::string& source) {
  auto& s = stmt("SELECT id FROM vocabulary WHERE name = ? AND version = ?");
  s.bind(1, name).bind(2, version);
  std::int64_t id = 0;
  if (s.step()) id = s.int64(0);
  s.reset();
  if (id || !create) return id;
  auto& ins = stmt("INSERT INTO vocabulary(name, version, title, source) VALUES (?, ?, ?, ?)");
  ins.bind(1, name).bind(2, version).bind(3, title).bind(4, source);
  ins.run();
  return db_.last_insert_rowid();
}

std::string SqliteStore::term_json(const VocabTerm& t) {
  return json{{"code", t.code},
              {"parent", t.parent_code},
              {"label", t.label},
              {"labels", t.labels},
              {"group", t.is_group}}
      .dump();
}

void SqliteStore::put_term(std::int64_t vid, const std::string& vname, const VocabTerm& t,
                           std::int64_t import_id, const std::string& actor) {
  auto& s = stmt(
      "SELECT code, parent_code, label, labels, is_group FROM vocab_term "
      "WHERE vocab_id = ? AND code = ?");
  s.bind(1, vid).bind(2, t.code);
  std::optional<std::string> before;
  if (s.step()) {
    VocabTerm old;
    old.code = s.text(0);
    old.parent_code = s.text(1);
    old.label = s.text(2);
    old.labels = json::parse(s.text_view(3)).get<std::map<std::string, std::string>>();
    old.is_group = s.int64(4) != 0;
    before = term_json(old);
  }
  s.reset();
  std::string after = term_json(t);
  if (before == after) return;
  auto& up = stmt(
      "INSERT INTO vocab_term(vocab_id, code, parent_code, label, labels, is_group, "
      "added_by_import) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(vocab_id, code) DO "
      "UPDATE SET parent_code = excluded.parent_code, label = excluded.label, "
      "labels = excluded.labels, is_group = excluded.is_group");
  up.bind(1, vid).bind(2, t.code).bind(3, t.parent_code).bind(4, t.label);
  up.bind(5, json(t.labels).dump()).bind(6, t.is_group ? 1 : 0);
  import_id ? up.bind(7, import_id) : up.bind_null(7);
  up.run();
  log_change(
      {0, now_iso(), actor, "vocab_term", vname + ":" + t.code, "*", before, after, import_id});
  // A term found by an import becomes visible with the import (finish_import bumps).
  if (!import_id) bump_generation();
}

void SqliteStore::put_vocabulary(const Vocabulary& v, const std::string& actor) {
  std::int64_t vid = vocab_id(v.name, v.version, true, v.title, v.source);
  for (const auto& t : v.terms) put_term(vid, v.name + "@" + v.version, t, 0, actor);
}

void SqliteStore::add_found_term(const std::string& vocab, const std::string& version,
                                 const VocabTerm& t, std::int64_t import_id,
                                 const std::string& actor) {
  std::int64_t vid = vocab_id(vocab, version, true, vocab, "found in imported records");
  put_term(vid, vocab + "@" + version, t, import_id, actor);
}

void SqliteStore::put_mappings(const std::vector<VocabMapping>& m, const std::string& actor) {
  for (const auto& x : m) {
    auto from = vocab_id(x.from_vocab, x.from_version, true);
    auto to = vocab_id(x.to_vocab, x.to_version, true);
    auto& s = stmt(
        "INSERT OR IGNORE INTO vocab_mapping(from_vocab_id, from_code, to_vocab_id, "
        "to_code) VALUES (?, ?, ?, ?)");
    s.bind(1, from).bind(2, x.from_code).bind(3, to).bind(4, x.to_code);
    s.run();
    if (db_.changes() > 0) {
      bump_generation();
      log_change({0, now_iso(), actor, "vocab_mapping",
                  x.from_vocab + ":" + x.from_code + "->" + x.to_vocab + ":" + x.to_code, "*",
                  std::nullopt, "true", 0});
    }
  }
}

std::vector<Vocabulary> SqliteStore::vocabularies(bool with_terms) {
  std::vector<Vocabulary> out;
  auto s =
      db_.prepare("SELECT id, name, version, title, source FROM vocabulary ORDER BY name, version");
  while (s.step()) {
    Vocabulary v{s.text(1), s.text(2), s.text(3), s.text(4), {}};
    if (with_terms)
      v.terms = terms_of(s.int64(0));
    else {
      // Count only: fill placeholder terms vector size via a count query.
      auto c = db_.prepare("SELECT COUNT(*) FROM vocab_term WHERE vocab_id = ?");
      c.bind(1, s.int64(0));
      c.step();
      v.terms.resize(static_cast<std::size_t>(c.int64(0)));
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<VocabTerm> SqliteStore::terms_of(std::int64_t vid) {
  std::vector<VocabTerm> out;
  auto t = db_.prepare(
      "SELECT code, parent_code, label, labels, is_group, "
      "COALESCE(added_by_import, 0) FROM vocab_term WHERE vocab_id = ? ORDER BY id");
  t.bind(1, vid);
  while (t.step()) {
    VocabTerm term;
    term.code = t.text(0);
    term.parent_code = t.text(1);
    term.label = t.text(2);
    term.labels = json::parse(t.text_view(3)).get<std::map<std::string, std::string>>();
    term.is_group = t.int64(4) != 0;
    term.added_by_import = t.int64(5);
    out.push_back(std::move(term));
  }
  return out;
}

std::optional<Vocabulary> SqliteStore::vocabulary(const std::string& name,
                                                  const std::string& version) {
  auto s = db_.prepare(
      "SELECT id, name, version, title, source FROM vocabulary WHERE name = ? AND "
      "(? = '' OR version = ?) ORDER BY version DESC LIMIT 1");
  s.bind(1, name).bind(2, version).bind(3, version);
  if (!s.step()) return std::nullopt;
  Vocabulary v{s.text(1), s.text(2), s.text(3), s.text(4), terms_of(s.int64(0))};
  return v;
}

std::vector<VocabMapping> SqliteStore::mappings() {
  std::vector<VocabMapping> out;
  auto s = db_.prepare(
      "SELECT f.name, f.version, m.from_code, t.name, t.version, m.to_code FROM vocab_mapping m "
      "JOIN vocabulary f ON f.id = m.from_vocab_id JOIN vocabulary t ON t.id = m.to_vocab_id "
      "ORDER BY m.id");
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  return out;
}

void SqliteStore::put_mechanisms(const std::vector<Mechanism>& ms, const std::string& actor) {
  for (const auto& m : ms) {
    json after{{"parent", m.parent},
               {"level", m.level},
               {"type", m.type},
               {"name", m.name},
               {"symbol_prefixes", m.symbol_prefixes},
               {"aliases", m.aliases}};
    auto& s = stmt(
        "SELECT parent, level, type, name, symbol_prefixes, aliases FROM mechanism "
        "WHERE code = ?");
    s.bind(1, m.code);
    std::optional<std::string> before;
    if (s.step())
      before = json{{"parent", s.text(0)},
                    {"level", s.text(1)},
                    {"type", s.text(2)},
                    {"name", s.text(3)},
                    {"symbol_prefixes", json_list(s.text_view(4))},
                    {"aliases", json_list(s.text_view(5))}}
                   .dump();
    s.reset();
    if (before == after.dump()) continue;
    auto& up = stmt(
        "INSERT INTO mechanism(code, parent, level, type, name, symbol_prefixes, "
        "aliases) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO UPDATE SET "
        "parent = excluded.parent, level = excluded.level, type = excluded.type, "
        "name = excluded.name, symbol_prefixes = excluded.symbol_prefixes, "
        "aliases = excluded.aliases");
    up.bind(1, m.code).bind(2, m.parent).bind(3, m.level).bind(4, m.type).bind(5, m.name);
    up.bind(6, list_json(m.symbol_prefixes)).bind(7, list_json(m.aliases));
    up.run();
    log_change({0, now_iso(), actor, "mechanism", m.code, "*", before, after.dump(), 0});
    bump_generation();
  }
}

std::vector<Mechanism> SqliteStore::mechanisms() {
  std::vector<Mechanism> out;
  auto s = db_.prepare(
      "SELECT code, parent, level, type, name, symbol_prefixes, aliases "
      "FROM mechanism ORDER BY rowid");
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), json_list(s.text_view(5)),
                   json_list(s.text_view(6))});
  return out;
}

void SqliteStore::put_upr_sessions(const std::vector<UprSession>& ss, const std::string& actor) {
  for (const auto& x : ss) {
    auto& s = stmt(
        "INSERT INTO upr_session(session, cycle, start_date, end_date) VALUES "
        "(?, ?, ?, ?) ON CONFLICT(session) DO UPDATE SET cycle = excluded.cycle, "
        "start_date = excluded.start_date, end_date = excluded.end_date WHERE "
        "cycle != excluded.cycle OR start_date != excluded.start_date OR "
        "end_date != excluded.end_date");
    s.bind(1, x.session).bind(2, x.cycle).bind(3, x.start_date).bind(4, x.end_date);
    s.run();
    if (db_.changes() > 0) {
      bump_generation();
      log_change({0, now_iso(), actor, "upr_session", std::to_string(x.session), "*", std::nullopt,
                  json{{"cycle", x.cycle}, {"start", x.start_date}, {"end", x.end_date}}.dump(),
                  0});
    }
  }
}

std::vector<UprSession> SqliteStore::upr_sessions() {
  std::vector<UprSession> out;
  auto s =
      db_.prepare("SELECT session, cycle, start_date, end_date FROM upr_session ORDER BY session");
  while (s.step())
    out.push_back(
        {static_cast<int>(s.int64(0)), static_cast<int>(s.int64(1)), s.text(2), s.text(3)});
  return out;
}

// The crosswalk's answers are derived data (like the search index): not logged themselves; the
// vocabulary and mapping changes that cause them are.
std::vector<std::string> SqliteStore::distinct_labels(const std::string& field) {
  static const std::map<std::string, std::string> column = {
      {"theme", "themes"}, {"person", "persons"}, {"region", "regions"}, {"issue", "issues"}};
  auto it = column.find(field);
  if (it == column.end()) throw InvalidArgument("no labels of field '" + field + "'");
  std::vector<std::string> out;
  auto s = db_.prepare("SELECT DISTINCT j.value FROM recommendation, json_each(recommendation." +
                       it->second + ") AS j WHERE j.value <> '' ORDER BY 1");
  while (s.step()) out.push_back(s.text(0));
  return out;
}

void SqliteStore::put_label_concepts(const std::vector<LabelConcept>& rows, bool all) {
  std::map<std::pair<std::string, std::string>, std::set<std::pair<std::string, bool>>> want;
  for (const auto& r : rows) want[{r.field, r.raw}].insert({r.term, r.derived});
  std::map<std::pair<std::string, std::string>, std::set<std::pair<std::string, bool>>> have;
  {
    auto s = db_.prepare("SELECT field, raw, concept, derived FROM label_concept");
    while (s.step()) have[{s.text(0), s.text(1)}].insert({s.text(2), s.int64(3) != 0});
  }
  bool changed = false;
  for (const auto& [k, v] : have) {
    auto w = want.find(k);
    if ((w == want.end() && !all) || (w != want.end() && w->second == v)) continue;
    stmt("DELETE FROM label_concept WHERE field = ? AND raw = ?")
        .bind(1, k.first)
        .bind(2, k.second)
        .run();
    changed = true;
  }
  for (const auto& [k, v] : want) {
    auto h = have.find(k);
    if (h != have.end() && h->second == v) continue;
    for (const auto& [term, derived] : v) {
      stmt("INSERT INTO label_concept(field, raw, concept, derived) VALUES (?, ?, ?, ?)")
          .bind(1, k.first)
          .bind(2, k.second)
          .bind(3, term)
          .bind(4, derived ? 1 : 0)
          .run();
    }
    changed = true;
  }
  if (changed) bump_generation();
}

std::vector<LabelConcept> SqliteStore::label_concepts() {
  std::vector<LabelConcept> out;
  auto s = db_.prepare(
      "SELECT field, raw, concept, derived FROM label_concept ORDER BY field, raw, concept");
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.int64(3) != 0});
  return out;
}

}  // namespace hrtrack::store
