// Recommendations in SQLite: the table's mapping, identity lookups (the cascade is
// core/identity.h), writes, reads and counts (SqliteStore, sqlite_store.h).
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "core/countries.h"
#include "core/error.h"
#include "core/filters.h"
#include "core/identity.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/sqlite_store.h"

namespace hrtrack::store {

using nlohmann::json;

namespace rows {

std::string list_json(const std::vector<std::string>& v) {
  return json(v).dump();
}

// Reads a JSON array of strings as this store writes it (json_string_array). A direct scan:
// every record read (index build, each page of results) parses nine of these, and going through
// nlohmann::json cost more than the SQL. Anything unusual (\u escapes, other JSON) falls back
// to nlohmann, so any valid JSON array of strings is still read correctly.
std::vector<std::string> json_list(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty() || s == "[]") return out;
  auto slow = [&] { return json::parse(s).get<std::vector<std::string>>(); };
  std::size_t i = 0, n = s.size();
  if (s[i++] != '[') return slow();
  while (i < n) {
    if (s[i] != '"') return slow();
    ++i;
    std::string v;
    while (true) {
      if (i >= n) return slow();
      char c = s[i++];
      if (c == '"') break;
      if (c != '\\') {
        v += c;
        continue;
      }
      if (i >= n) return slow();
      switch (s[i++]) {
        case '"':
          v += '"';
          break;
        case '\\':
          v += '\\';
          break;
        case '/':
          v += '/';
          break;
        case 'b':
          v += '\b';
          break;
        case 'f':
          v += '\f';
          break;
        case 'n':
          v += '\n';
          break;
        case 'r':
          v += '\r';
          break;
        case 't':
          v += '\t';
          break;
        default:
          return slow();  // \uXXXX and anything else
      }
    }
    out.push_back(std::move(v));
    if (i < n && s[i] == ',') {
      ++i;
      continue;
    }
    if (i + 1 == n && s[i] == ']') return out;
    return slow();
  }
  return slow();
}

const char* const kColumns =
    "id, uid, kind, level, mechanism, body, state_iso3, state_name, regions, state_orgs, symbol, "
    "paragraph, parent_paragraph, pub_date, year, upr_cycle, upr_session, recommending_states, "
    "recommending_regions, recommending_orgs, response, response_raw, response_doc, text, lang, "
    "variants, themes, persons, sdgs, issues, source_cluster, action_category, annotation_id, "
    "document_id, uhri_pub_date, import_id, source_format, source_file, source_row, deleted_at";

// Rows written by an import that has not committed (or never will) are invisible to every read
// (migration 005): the records it creates carry its id until it is done.
const char* const kVisible =
    "(import_id IS NULL OR import_id NOT IN (SELECT id FROM import WHERE state <> 'done'))";

Recommendation read_row(const Stmt& s) {
  Recommendation r;
  int c = 0;
  r.id = s.int64(c++);
  r.uid = s.text(c++);
  r.kind = kind_from_string(s.text_view(c++)).value_or(Kind::Recommendation);
  r.level = level_from_string(s.text_view(c++)).value_or(Level::International);
  r.mechanism = s.text(c++);
  r.body = s.text(c++);
  r.state_iso3 = s.text(c++);
  r.state_name = s.text(c++);
  r.regions = json_list(s.text_view(c++));
  r.state_orgs = json_list(s.text_view(c++));
  r.symbol = s.text(c++);
  r.paragraph = s.text(c++);
  r.parent_paragraph = s.text(c++);
  r.pub_date = s.text(c++);
  r.year = static_cast<int>(s.int64(c++));
  r.upr_cycle = static_cast<int>(s.int64(c++));
  r.upr_session = static_cast<int>(s.int64(c++));
  r.recommending_states = json_list(s.text_view(c++));
  r.recommending_regions = json_list(s.text_view(c++));
  r.recommending_orgs = json_list(s.text_view(c++));
  r.response = response_from_string(s.text_view(c++)).value_or(Response::None);
  r.response_raw = s.text(c++);
  r.response_doc = s.text(c++);
  r.text = s.text(c++);
  r.lang = s.text(c++);
  for (const auto& v : json::parse(s.text_view(c++)))
    r.variants.push_back({v.value("lang", ""), v.value("text", "")});
  r.themes = json_list(s.text_view(c++));
  r.persons = json_list(s.text_view(c++));
  r.sdgs = json_list(s.text_view(c++));
  r.issues = json_list(s.text_view(c++));
  r.source_cluster = s.text(c++);
  r.action_category = static_cast<int>(s.int64(c++));
  r.annotation_id = s.text(c++);
  r.document_id = s.text(c++);
  r.uhri_pub_date = s.text(c++);
  r.provenance.import_id = s.int64(c++);
  r.provenance.format = s.text(c++);
  r.provenance.file = s.text(c++);
  r.provenance.row = static_cast<long>(s.int64(c++));
  r.deleted = !s.is_null(c++);
  derive_sdg_codes(r);
  return r;
}

std::string variants_json(const std::vector<TextVariant>& v) {
  if (v.empty()) return "[]";  // the common case, without building a json value
  json a = json::array();
  for (const auto& tv : v) a.push_back(json{{"lang", tv.lang}, {"text", tv.text}});
  return a.dump();
}

// Binds the imported fields in the order used by INSERT and UPDATE below (from index `i`).
// Strings are bound without copies: `r` and `scratch` (which holds the JSON of list fields)
// must outlive the statement's run().
int bind_fields(Stmt& s, int i, const Recommendation& r, std::deque<std::string>& scratch) {
  scratch.clear();  // a deque: push_back never moves the strings already bound
  auto list = [&](const std::vector<std::string>& v) -> std::string_view {
    scratch.push_back(list_json(v));
    return scratch.back();
  };
  s.bind_static(i++, to_string(r.kind));
  s.bind_static(i++, to_string(r.level));
  s.bind_static(i++, r.mechanism);
  s.bind_static(i++, r.body);
  s.bind_static(i++, r.state_iso3);
  s.bind_static(i++, r.state_name);
  s.bind_static(i++, list(r.regions));
  s.bind_static(i++, list(r.state_orgs));
  s.bind_static(i++, r.symbol);
  s.bind_static(i++, r.paragraph);
  s.bind_static(i++, r.parent_paragraph);
  s.bind_static(i++, r.pub_date);
  s.bind(i++, r.year);
  s.bind(i++, r.upr_cycle);
  s.bind(i++, r.upr_session);
  s.bind_static(i++, list(r.recommending_states));
  s.bind_static(i++, list(r.recommending_regions));
  s.bind_static(i++, list(r.recommending_orgs));
  s.bind_static(i++, to_string(r.response));
  s.bind_static(i++, r.response_raw);
  s.bind_static(i++, r.response_doc);
  s.bind_static(i++, r.text);
  s.bind_static(i++, r.lang);
  scratch.push_back(variants_json(r.variants));
  s.bind_static(i++, scratch.back());
  s.bind_static(i++, list(r.themes));
  s.bind_static(i++, list(r.persons));
  s.bind_static(i++, list(r.sdgs));
  s.bind_static(i++, list(r.issues));
  s.bind_static(i++, r.source_cluster);
  s.bind(i++, r.action_category);
  s.bind_static(i++, r.annotation_id);
  s.bind_static(i++, r.document_id);
  s.bind_static(i++, r.uhri_pub_date);
  return i;
}

const char* const kFieldColumns =
    "kind, level, mechanism, body, state_iso3, state_name, regions, state_orgs, symbol, "
    "paragraph, parent_paragraph, pub_date, year, upr_cycle, upr_session, recommending_states, "
    "recommending_regions, recommending_orgs, response, response_raw, response_doc, text, lang, "
    "variants, themes, persons, sdgs, issues, source_cluster, action_category, annotation_id, "
    "document_id, uhri_pub_date";

std::string placeholders(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

std::string set_list() {
  std::string cols = kFieldColumns, out;
  for (auto& c : split_trim(cols, ",")) out += (out.empty() ? "" : ", ") + c + " = ?";
  return out;
}

// The SQL of one filter value; its meaning is the search index's (search/index.cpp
// add_filter_value), so that the CLI and the API select the same records for the same filter.
std::string filter_sql(const std::string& field, const std::string& v,
                       std::vector<std::string>& params) {
  static const std::map<std::string, std::string> numeric = {
      {"year", "year"}, {"cycle", "upr_cycle"}, {"session", "upr_session"}};
  static const std::map<std::string, std::string> text = {{"level", "level"},
                                                          {"kind", "kind"},
                                                          {"symbol", "symbol"},
                                                          {"paragraph", "paragraph"},
                                                          {"parent_paragraph", "parent_paragraph"}};
  static const std::map<std::string, std::string> lists = {{"issue", "issues"}};
  // Concepts (label_concept, core/crosswalk.h; ingest::name_concepts turns a label into its
  // concept first): every label of the concept matches, and for themes the UPR Info issues that
  // yield it. The label sets are uncorrelated subqueries, built once per query.
  static const std::map<std::string, std::pair<std::string, std::string>> concepts = {
      {"region", {"regions", "region"}},
      {"theme", {"themes", "theme"}},
      {"persons", {"persons", "person"}}};
  auto in_list = [&](const std::string& col, const std::string& cond) {
    return "EXISTS (SELECT 1 FROM json_each(" + col + ") WHERE " + cond + ")";
  };
  if (auto it = concepts.find(field); it != concepts.end()) {
    const auto& [col, cf] = it->second;
    std::string sql = in_list(col,
                              "value = ? COLLATE NOCASE OR value IN (SELECT raw FROM label_concept "
                              "WHERE field = '" +
                                  cf + "' AND concept = ? COLLATE NOCASE)");
    params.insert(params.end(), {v, v});
    if (field == "theme") {
      sql += " OR " + in_list("issues",
                              "value IN (SELECT raw FROM label_concept WHERE field = 'issue' AND "
                              "concept = ? COLLATE NOCASE)");
      params.push_back(v);
    }
    return "(" + sql + ")";
  }
  if (auto it = numeric.find(field); it != numeric.end()) {
    auto r = parse_filter_range(field, v);  // a record without the value (0) matches no range
    params.push_back(std::to_string(r.lo));
    params.push_back(std::to_string(r.hi));
    return "(" + it->second + " > 0 AND " + it->second + " BETWEEN ? AND ?)";
  }
  if (auto it = text.find(field); it != text.end()) {
    params.push_back(v);
    return it->second + " = ? COLLATE NOCASE";
  }
  if (auto it = lists.find(field); it != lists.end()) {
    params.push_back(v);
    return in_list(it->second, "value = ? COLLATE NOCASE");
  }
  if (field == "mechanism") {  // its code, or its name as the facet labels it
    params.push_back(v);
    params.push_back(v);
    return "(mechanism = ? COLLATE NOCASE OR mechanism IN (SELECT code FROM mechanism WHERE name "
           "= ? COLLATE NOCASE))";
  }
  if (field == "state") {
    if (auto c = find_country(v)) {
      params.push_back(c->iso3);
      return "state_iso3 = ?";
    }
    params.push_back(v);
    return "(state_iso3 = '' AND state_name = ? COLLATE NOCASE)";
  }
  if (field == "recommending_state") {
    auto c = find_country(v);
    params.push_back(c ? c->iso3 : v);
    return in_list("recommending_states", "hr_state_iso3(value) = ? COLLATE NOCASE");
  }
  if (field == "response") {
    auto r = response_from_string(v);
    if (!r)
      throw InvalidArgument("filter 'response': unknown response '" + v +
                            "'; use supported, noted, supported in part or pending");
    params.emplace_back(to_string(*r));
    return "response = ?";
  }
  if (field == "sdg" || field == "sdg_goal" || field == "sdg_target") {
    // Labels are stored as the source gives them ("16.2 - Protect ..."); a goal matches its
    // own label ("16 - ...") and its targets' ("16.x - ..."), a target its own.
    std::string code = sdg_code_of(v);
    if (code.empty()) code = std::string(trim(v));
    bool target = code.find('.') != std::string::npos;
    if ((field == "sdg_goal" && target) || (field == "sdg_target" && !target)) return "0";
    params.push_back(code);
    params.push_back(code);
    if (target) return in_list("sdgs", "value = ? OR value LIKE ? || ' -%'");
    params.push_back(code);
    return in_list("sdgs", "value = ? OR value LIKE ? || ' -%' OR value LIKE ? || '.%'");
  }
  throw InvalidArgument(unknown_filter_message(field));
}

Where build_where(const RecordFilter& f) {
  Where w;
  std::map<std::string, std::vector<std::string>> by_field;
  for (const auto& [k, v] : f.conditions) by_field[k].push_back(v);
  std::vector<std::string> clauses = {kVisible};
  if (!f.include_deleted) clauses.push_back("deleted_at IS NULL");
  for (const auto& [field, values] : by_field) {
    std::vector<std::string> ors;
    for (const auto& v : values) ors.push_back(filter_sql(field, v, w.params));
    clauses.push_back("(" + join(ors, " OR ") + ")");
  }
  if (!clauses.empty()) w.sql = " WHERE " + join(clauses, " AND ");
  return w;
}

}  // namespace rows

using namespace rows;

// The txt key is stored as the first 8 bytes of its BLAKE2b: an integer index is smaller and
// faster than one on text, and 64 bits make a collision improbable below billions of records.
std::int64_t SqliteStore::txt_hash(const std::string& txt) {
  unsigned char h[8];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(txt.data()), txt.size(),
                     nullptr, 0);
  std::uint64_t v = 0;
  for (unsigned char c : h) v = (v << 8) | c;
  return static_cast<std::int64_t>(v);
}

// The visible record the keys identify (core/identity.h resolve_identity decides; these are
// its three lookups); during an import (`import_id`), also the records this import has
// created so far.
std::optional<std::int64_t> SqliteStore::find_id(const IdentityKeys& k, std::int64_t txt,
                                                 std::int64_t import_id) {
  static const std::string seen =
      " AND (import_id IS NULL OR import_id = ? OR import_id NOT IN (SELECT id FROM import "
      "WHERE state <> 'done'))";
  IdentityLookup look;
  look.by_ext = [&](const std::string& ext) -> std::optional<std::int64_t> {
    auto& s = stmt("SELECT id FROM recommendation WHERE ext_key = ?" + seen);
    s.bind(1, ext).bind(2, import_id);
    std::optional<std::int64_t> out;
    if (s.step()) out = s.int64(0);
    s.reset();
    return out;
  };
  auto matches = [&](Stmt& s) {
    std::vector<IdentityMatch> out;
    while (s.step()) out.push_back({s.int64(0), s.int64(1) == 0, s.int64(2) != 0});
    s.reset();
    return out;
  };
  look.by_doc = [&](const std::string& doc) {
    auto& s = stmt("SELECT id, ext_key IS NULL, txt_key = ? FROM recommendation WHERE doc_key = ?" +
                   seen);
    s.bind(1, txt).bind(2, doc).bind(3, import_id);
    return matches(s);
  };
  look.by_txt = [&](const IdentityKeys&) {
    auto& s = stmt(
        "SELECT id, ext_key IS NULL, 1 FROM recommendation WHERE txt_key = ? AND doc_key IS "
        "NULL" +
        seen + " ORDER BY id");
    s.bind(1, txt).bind(2, import_id);
    return matches(s);
  };
  return resolve_identity(k, look);
}

std::optional<Recommendation> SqliteStore::by_id(std::int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM recommendation WHERE id = ?";
  auto& s = stmt(sql);
  s.bind(1, id);
  std::optional<Recommendation> out;
  if (s.step()) out = read_row(s);
  s.reset();
  return out;
}

std::optional<Recommendation> SqliteStore::find_by_identity(const IdentityKeys& keys) {
  if (auto id = find_id(keys, txt_hash(keys.txt))) return by_id(*id);
  return std::nullopt;
}

UpsertOutcome SqliteStore::upsert_imported(Recommendation& rec, const IdentityKeys& keys,
                                           const std::string& content, const std::string& actor,
                                           std::int64_t import_id) {
  std::string hash = hash_hex(content);
  std::string now = now_iso();
  std::int64_t txt = txt_hash(keys.txt);
  auto existing_id = find_id(keys, txt, import_id);
  if (!existing_id) {
    if (rec.uid.empty()) rec.uid = uid_for_key(keys.primary());
    static const std::string sql =
        std::string("INSERT INTO recommendation (uid, ext_key, doc_key, txt_key, content_hash, ") +
        kFieldColumns +
        ", import_id, source_format, source_file, source_row, created_at, updated_at) VALUES (" +
        placeholders(5 + kFieldCount + 6) + ")";
    auto& s = stmt(sql);
    int i = 1;
    s.bind(i++, rec.uid);
    keys.ext.empty() ? s.bind_null(i++) : s.bind(i++, keys.ext);
    keys.doc.empty() ? s.bind_null(i++) : s.bind(i++, keys.doc);
    s.bind(i++, txt);
    s.bind(i++, hash);
    i = bind_fields(s, i, rec, scratch_);
    import_id ? s.bind(i++, import_id) : s.bind_null(i++);
    s.bind(i++, rec.provenance.format);
    s.bind(i++, rec.provenance.file);
    s.bind(i++, rec.provenance.row);
    s.bind(i++, now);
    s.bind(i++, now);
    s.run();
    rec.id = db_.last_insert_rowid();
    // In an import, the row and this entry stay invisible until the import is done.
    log_change({0, now, actor, "recommendation", rec.uid, "*", std::nullopt, content, import_id});
    if (!import_id) bump_generation();
    return UpsertOutcome::New;
  }
  // The record as it stands for this import: a change this import already staged for it, else
  // the stored row. A record this import created is changed in place (it is not visible yet);
  // a visible one gets its change staged in import_change, applied when the import is done.
  std::optional<Recommendation> staged =
      import_id ? staged_change(import_id, *existing_id) : std::nullopt;
  bool in_place = !import_id;
  std::string old_hash, old_format, ext_key, doc_key;
  {
    auto& s = stmt(
        "SELECT content_hash, uid, source_format, COALESCE(import_id, 0), COALESCE(ext_key, ''), "
        "COALESCE(doc_key, '') FROM recommendation WHERE id = ?");
    s.bind(1, *existing_id);
    s.step();
    old_hash = s.text(0);
    rec.uid = s.text(1);
    old_format = s.text(2);
    in_place = in_place || s.int64(3) == import_id;
    ext_key = s.text(4);
    doc_key = s.text(5);
    s.reset();
  }
  rec.id = *existing_id;
  if (staged) {
    old_hash = content_hash(*staged);
    old_format = staged->provenance.format;
  }
  // The same content: nothing to do. Otherwise field by field (core/identity.h merge_incoming):
  // the more authoritative source's values, and the other's where it carries none.
  std::optional<Recommendation> old;
  MergeDecision decision = MergeDecision::Unchanged;
  if (old_hash != hash) {
    old = staged ? staged : by_id(*existing_id);
    if (!old) throw StoreError("record vanished during import");
    old->provenance.format = old_format;
    auto merge = merge_incoming(*old, rec);
    decision = merge.decision;
    if (decision == MergeDecision::Changed) {
      rec = std::move(merge.merged);
      hash = content_hash(rec);
    }
  }
  if (decision != MergeDecision::Changed) {
    // Keys may still be new (a UHRI record meeting an OHCHR list row already matched).
    if (adds_keys(!ext_key.empty(), !doc_key.empty(), keys)) {
      if (in_place)
        update_keys(rec.id, keys);
      else if (!staged)
        stage_change(import_id, rec, keys, hash, now, "keys");
      else
        stage_keys(import_id, rec.id, keys);
    }
    return decision == MergeDecision::Unchanged ? UpsertOutcome::Unchanged : UpsertOutcome::Kept;
  }
  auto before = imported_fields(*old), after = imported_fields(rec);
  for (auto it = after.begin(); it != after.end(); ++it) {
    const auto& b = before[it.key()];
    if (b != it.value())
      log_change({0, now, actor, "recommendation", rec.uid, it.key(), b.dump(), it.value().dump(),
                  import_id});
  }
  if (!in_place) {
    stage_change(import_id, rec, keys, hash, now, "update");
    return UpsertOutcome::Changed;
  }
  static const std::string sql = std::string("UPDATE recommendation SET ") + set_list() +
                                 ", content_hash = ?, import_id = ?, source_format = ?, "
                                 "source_file = ?, source_row = ?, updated_at = ? WHERE id = ?";
  auto& s = stmt(sql);
  int i = bind_fields(s, 1, rec, scratch_);
  s.bind(i++, hash);
  import_id ? s.bind(i++, import_id) : s.bind_null(i++);
  s.bind(i++, rec.provenance.format);
  s.bind(i++, rec.provenance.file);
  s.bind(i++, rec.provenance.row);
  s.bind(i++, now);
  s.bind(i++, rec.id);
  s.run();
  update_keys(rec.id, keys);
  if (!import_id) bump_generation();
  return UpsertOutcome::Changed;
}

void SqliteStore::update_keys(std::int64_t id, const IdentityKeys& keys) {
  auto& s = stmt(
      "UPDATE recommendation SET ext_key = COALESCE(ext_key, ?), "
      "doc_key = COALESCE(doc_key, ?) WHERE id = ? AND "
      "((ext_key IS NULL AND ? IS NOT NULL) OR (doc_key IS NULL AND ? IS NOT NULL))");
  auto bind_opt = [&](int i, const std::string& v) { v.empty() ? s.bind_null(i) : s.bind(i, v); };
  bind_opt(1, keys.ext);
  bind_opt(2, keys.doc);
  s.bind(3, id);
  bind_opt(4, keys.ext);
  bind_opt(5, keys.doc);
  s.run();
}

std::optional<Recommendation> SqliteStore::get(const std::string& uid) {
  auto& s = stmt(std::string("SELECT ") + kColumns + " FROM recommendation WHERE uid = ? AND " +
                 kVisible);
  s.bind(1, uid);
  std::optional<Recommendation> out;
  if (s.step()) out = read_row(s);
  s.reset();
  return out;
}

void SqliteStore::for_each(const RecordFilter& filter,
                           const std::function<void(const Recommendation&)>& fn) {
  Where w = build_where(filter);
  auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM recommendation" + w.sql +
                       " ORDER BY id");
  for (std::size_t i = 0; i < w.params.size(); ++i) s.bind(static_cast<int>(i + 1), w.params[i]);
  while (s.step()) fn(read_row(s));
}

long SqliteStore::count(const RecordFilter& filter) {
  Where w = build_where(filter);
  auto s = db_.prepare("SELECT COUNT(*) FROM recommendation" + w.sql);
  for (std::size_t i = 0; i < w.params.size(); ++i) s.bind(static_cast<int>(i + 1), w.params[i]);
  s.step();
  return static_cast<long>(s.int64(0));
}

Counts SqliteStore::counts(const RecordFilter& filter, int top_n) {
  Counts c;
  Where w = build_where(filter);
  // `copies`: how many times the query holds the WHERE clause (its parameters bound each time).
  auto run = [&](const std::string& name, const std::string& sql, int copies = 1) {
    auto s = db_.prepare(sql);
    int at = 1;
    for (int k = 0; k < copies; ++k)
      for (const auto& p : w.params) s.bind(at++, p);
    auto& out = c.by[name];
    while (s.step()) out.emplace_back(s.text(0), static_cast<long>(s.int64(1)));
  };
  std::string lim = top_n > 0 ? " LIMIT " + std::to_string(top_n) : "";
  auto scalar = [&](const std::string& name, const std::string& expr) {
    run(name, "SELECT " + expr + " AS v, COUNT(*) AS n FROM recommendation" + w.sql +
                  " GROUP BY v ORDER BY n DESC, v" + lim);
  };
  auto list = [&](const std::string& name, const std::string& col) {
    run(name, "SELECT j.value AS v, COUNT(*) AS n FROM recommendation, json_each(recommendation." +
                  col + ") AS j" + w.sql + " GROUP BY v ORDER BY n DESC, v" + lim);
  };
  scalar("mechanism", "mechanism");
  scalar("kind", "kind");
  scalar("state", "CASE WHEN state_iso3 = '' THEN state_name ELSE state_iso3 END");
  scalar("response", "CASE WHEN response = '' THEN '(none)' ELSE response END");
  scalar("year", "year");
  // Themes by concept (core/crosswalk.h), each record once per concept: its own themes' concepts
  // and the themes derived from its UPR Info issues.
  run("theme",
      "SELECT v, COUNT(DISTINCT rid) AS n FROM (SELECT recommendation.id AS rid, "
      "COALESCE(c.concept, j.value) AS v FROM recommendation, json_each(recommendation.themes) AS "
      "j LEFT JOIN label_concept c ON c.field = 'theme' AND c.raw = j.value" +
          w.sql +
          " UNION ALL SELECT recommendation.id, c.concept FROM recommendation, "
          "json_each(recommendation.issues) AS j JOIN label_concept c ON c.field = 'issue' AND "
          "c.raw = j.value" +
          w.sql + ") GROUP BY v ORDER BY n DESC, v" + lim,
      2);
  list("issue", "issues");
  // One count per State a record names, whatever spellings it uses ("UK", "United Kingdom").
  run("recommending_state",
      "SELECT v, COUNT(*) AS n FROM (SELECT DISTINCT recommendation.id, "
      "hr_state_iso3(j.value) AS v FROM recommendation, json_each(recommendation."
      "recommending_states) AS j" +
          w.sql + ") GROUP BY v ORDER BY n DESC, v" + lim);
  c.total = count(filter);
  auto s = db_.prepare(
      std::string("SELECT COUNT(*) FROM recommendation WHERE deleted_at IS NOT NULL AND ") +
      kVisible);
  s.step();
  c.deleted = static_cast<long>(s.int64(0));
  return c;
}

void SqliteStore::set_deleted(const std::string& uid, const std::string& actor, bool del) {
  auto t = begin();
  auto rec = get(uid);
  if (!rec) throw NotFound("no recommendation with id " + uid);
  if (rec->deleted == del) {
    t->commit();
    return;
  }
  std::string now = now_iso();
  auto s =
      db_.prepare(del ? "UPDATE recommendation SET deleted_at = ?, updated_at = ? WHERE uid = ?"
                      : "UPDATE recommendation SET deleted_at = NULL, updated_at = ? "
                        "WHERE uid = ? AND ? IS NOT NULL");
  if (del)
    s.bind(1, now).bind(2, now).bind(3, uid);
  else
    s.bind(1, now).bind(2, uid).bind(3, now);
  s.run();
  log_change({0, now, actor, "recommendation", uid, "deleted", del ? "false" : "true",
              del ? "true" : "false", 0});
  bump_generation();
  t->commit();
}

void SqliteStore::soft_delete(const std::string& uid, const std::string& actor) {
  set_deleted(uid, actor, true);
}

void SqliteStore::restore(const std::string& uid, const std::string& actor) {
  set_deleted(uid, actor, false);
}

}  // namespace hrtrack::store
