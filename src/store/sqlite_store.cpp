// SQLite implementation of Store: WAL mode, foreign keys on, versioned migrations compiled into
// the binary (src/store/migrations/NNN_name.sql) applied in order on open, every write inside a
// transaction, every change appended to change_log.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include <signal.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>

#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"
#include "store/db.h"
#include "store/sqlite_parts.h"
#include "store/store.h"

namespace hrtrack::embedded::migrations {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack {

using nlohmann::json;
using store::Db;
using store::Stmt;

std::string now_iso() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms.count()));
  return out;
}

void RecordFilter::add(const std::string& expression) {
  auto eq = expression.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InvalidArgument("filter '" + expression + "' is not of the form field=value");
  std::string field = ascii_lower(trim(expression.substr(0, eq)));
  std::string value(trim(expression.substr(eq + 1)));
  static const char* known[] = {"kind", "level",     "mechanism",   "state", "response",
                                "year", "upr_cycle", "upr_session", "theme", "person",
                                "sdg",  "issue",     "symbol"};
  if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return field == k; }) ==
      std::end(known))
    throw InvalidArgument("filter field '" + field +
                          "' is unknown; use one of kind, level, mechanism, state, response, year, "
                          "upr_cycle, upr_session, theme, person, sdg, issue, symbol");
  if (value.empty()) throw InvalidArgument("filter '" + field + "' has an empty value");
  conditions.emplace_back(field, value);
}

namespace {

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

constexpr const char* kColumns =
    "id, uid, kind, level, mechanism, body, state_iso3, state_name, regions, state_orgs, symbol, "
    "paragraph, pub_date, year, upr_cycle, upr_session, recommending_states, "
    "recommending_regions, recommending_orgs, response, response_raw, response_doc, text, lang, "
    "variants, themes, persons, sdgs, issues, source_cluster, action_category, annotation_id, "
    "document_id, uhri_pub_date, import_id, source_format, source_file, source_row, deleted_at";

// Rows written by an import that has not committed (or never will) are invisible to every read
// (migration 005): the records it creates carry its id until it is done.
constexpr const char* kVisible =
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

constexpr const char* kFieldColumns =
    "kind, level, mechanism, body, state_iso3, state_name, regions, state_orgs, symbol, "
    "paragraph, pub_date, year, upr_cycle, upr_session, recommending_states, "
    "recommending_regions, recommending_orgs, response, response_raw, response_doc, text, lang, "
    "variants, themes, persons, sdgs, issues, source_cluster, action_category, annotation_id, "
    "document_id, uhri_pub_date";
constexpr int kFieldCount = 32;

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

// Translates a RecordFilter into a WHERE clause with positional parameters.
struct Where {
  std::string sql;
  std::vector<std::string> params;
};

Where build_where(const RecordFilter& f) {
  Where w;
  std::map<std::string, std::vector<std::string>> by_field;
  for (const auto& [k, v] : f.conditions) by_field[k].push_back(v);
  std::vector<std::string> clauses = {kVisible};
  if (!f.include_deleted) clauses.push_back("deleted_at IS NULL");
  for (const auto& [field, values] : by_field) {
    std::vector<std::string> ors;
    for (const auto& v : values) {
      static const std::map<std::string, std::string> scalar = {
          {"kind", "kind"},        {"level", "level"},         {"mechanism", "mechanism"},
          {"state", "state_iso3"}, {"response", "response"},   {"symbol", "symbol"},
          {"year", "year"},        {"upr_cycle", "upr_cycle"}, {"upr_session", "upr_session"}};
      static const std::map<std::string, std::string> lists = {
          {"theme", "themes"}, {"person", "persons"}, {"sdg", "sdgs"}, {"issue", "issues"}};
      if (auto it = scalar.find(field); it != scalar.end()) {
        auto dots = v.find("..");
        bool numeric = field == "year" || field == "upr_cycle" || field == "upr_session";
        if (numeric && dots != std::string::npos) {
          auto lo = parse_int(v.substr(0, dots)), hi = parse_int(v.substr(dots + 2));
          if (!lo || !hi) throw InvalidArgument("filter '" + field + "': '" + v + "' is not A..B");
          ors.push_back("(" + it->second + " BETWEEN ? AND ?)");
          w.params.push_back(std::to_string(*lo));
          w.params.push_back(std::to_string(*hi));
        } else if (numeric) {
          auto n = parse_int(v);
          if (!n) throw InvalidArgument("filter '" + field + "': '" + v + "' is not a number");
          ors.push_back(it->second + " = ?");
          w.params.push_back(std::to_string(*n));
        } else if (field == "response") {
          auto r = response_from_string(v);
          if (!r) throw InvalidArgument("filter 'response': unknown response '" + v + "'");
          ors.push_back("response = ?");
          w.params.emplace_back(to_string(*r));
        } else {
          ors.push_back(it->second + " = ? COLLATE NOCASE");
          w.params.push_back(v);
        }
      } else {
        const std::string& col = lists.at(field);
        if (field == "sdg") {
          // "16" matches goal 16 and all its targets; "16.2" matches the target.
          ors.push_back("EXISTS (SELECT 1 FROM json_each(" + col +
                        ") WHERE value = ? OR value LIKE ? || ' -%' OR value LIKE ? || '.%')");
          w.params.push_back(v);
          w.params.push_back(v);
          w.params.push_back(v.find('.') == std::string::npos ? v : v + "\x01");
        } else {
          ors.push_back("EXISTS (SELECT 1 FROM json_each(" + col +
                        ") WHERE value = ? COLLATE NOCASE)");
          w.params.push_back(v);
        }
      }
    }
    clauses.push_back("(" + join(ors, " OR ") + ")");
  }
  if (!clauses.empty()) w.sql = " WHERE " + join(clauses, " AND ");
  return w;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) : db_(path) {
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA foreign_keys=ON");
    db_.exec("PRAGMA synchronous=NORMAL");
    db_.exec("PRAGMA cache_size=-65536");
    db_.exec("PRAGMA temp_store=MEMORY");
    migrate();
  }

  class SqliteTxn final : public Txn {
   public:
    explicit SqliteTxn(Db& db) : t_(db) {}
    void commit() override { t_.commit(); }

   private:
    store::Transaction t_;
  };

  std::unique_ptr<Txn> begin() override { return std::make_unique<SqliteTxn>(db_); }

  void set_busy_timeout(int ms) { db_.set_busy_timeout(ms); }

  AccessStore& access() override {
    if (!access_)
      access_ = store::make_sqlite_access(db_, [this](const ChangeEntry& e) { log_change(e); });
    return *access_;
  }

  FollowupStore& followup() override {
    if (!followup_)
      followup_ = store::make_sqlite_followup(db_, [this](const ChangeEntry& e) { log_change(e); });
    return *followup_;
  }

  void migrate() {
    db_.exec(
        "CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    int current = schema_version();
    for (const auto& [name, sql] : embedded::migrations::files()) {
      auto v = parse_int(name.substr(0, 3));
      if (!v) throw StoreError("migration file name must start with 3 digits: " + name);
      if (*v <= current) continue;
      store::Transaction t(db_);
      db_.exec(sql);
      db_.prepare("INSERT INTO schema_migration(version, name, applied_at) VALUES (?, ?, ?)")
          .bind(1, *v)
          .bind(2, name)
          .bind(3, now_iso())
          .run();
      t.commit();
    }
  }

  int schema_version() override {
    auto s = db_.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migration");
    s.step();
    return static_cast<int>(s.int64(0));
  }

  std::int64_t data_version() override {
    // Bumped by triggers on every table the search index reads (migration 003).
    auto& s = stmt("SELECT n FROM index_generation WHERE id = 1");
    std::int64_t n = s.step() ? s.int64(0) : 0;
    s.reset();
    return n;
  }

  // ---- identity lookup ----
  // The txt key is stored as the first 8 bytes of its BLAKE2b: an integer index is smaller and
  // faster than one on text, and 64 bits make a collision improbable below billions of records.
  static std::int64_t txt_hash(const std::string& txt) {
    unsigned char h[8];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(txt.data()), txt.size(),
                       nullptr, 0);
    std::uint64_t v = 0;
    for (unsigned char c : h) v = (v << 8) | c;
    return static_cast<std::int64_t>(v);
  }

  // The visible record the keys identify; during an import (`import_id`), also the records this
  // import has created so far.
  std::optional<std::int64_t> find_id(const IdentityKeys& k, std::int64_t txt,
                                      std::int64_t import_id = 0) {
    static const std::string seen =
        " AND (import_id IS NULL OR import_id = ? OR import_id NOT IN (SELECT id FROM import "
        "WHERE state <> 'done'))";
    if (!k.ext.empty()) {
      auto& s = stmt("SELECT id FROM recommendation WHERE ext_key = ?" + seen);
      s.bind(1, k.ext).bind(2, import_id);
      bool found = s.step();
      std::int64_t id = found ? s.int64(0) : 0;
      s.reset();
      if (found) return id;
    }
    // A candidate found by a weaker key must not already carry another external id.
    bool need_no_ext = !k.ext.empty();
    if (!k.doc.empty()) {
      auto& s = stmt(
          "SELECT id, ext_key IS NULL, txt_key = ? FROM recommendation WHERE doc_key = ?" + seen);
      s.bind(1, txt).bind(2, k.doc).bind(3, import_id);
      std::vector<std::pair<std::int64_t, bool>> cands;
      while (s.step())
        if (!need_no_ext || s.int64(1)) cands.emplace_back(s.int64(0), s.int64(2) != 0);
      s.reset();
      if (cands.size() == 1) return cands[0].first;
      for (auto& [id, same_text] : cands)
        if (same_text) return id;
      return std::nullopt;
    }
    auto& s = stmt(
        "SELECT id FROM recommendation WHERE txt_key = ? AND doc_key IS NULL "
        "AND (? = 0 OR ext_key IS NULL)" +
        seen + " ORDER BY id LIMIT 1");
    s.bind(1, txt).bind(2, need_no_ext ? 1 : 0).bind(3, import_id);
    std::optional<std::int64_t> out;
    if (s.step()) out = s.int64(0);
    s.reset();
    return out;
  }

  std::optional<Recommendation> by_id(std::int64_t id) {
    static const std::string sql =
        std::string("SELECT ") + kColumns + " FROM recommendation WHERE id = ?";
    auto& s = stmt(sql);
    s.bind(1, id);
    std::optional<Recommendation> out;
    if (s.step()) out = read_row(s);
    s.reset();
    return out;
  }

  std::optional<Recommendation> find_by_identity(const IdentityKeys& keys) override {
    if (auto id = find_id(keys, txt_hash(keys.txt))) return by_id(*id);
    return std::nullopt;
  }

  UpsertOutcome upsert_imported(Recommendation& rec, const IdentityKeys& keys,
                                const std::string& content, const std::string& actor,
                                std::int64_t import_id) override {
    std::string hash = hash_hex(content);
    std::string now = now_iso();
    std::int64_t txt = txt_hash(keys.txt);
    auto existing_id = find_id(keys, txt, import_id);
    if (!existing_id) {
      if (rec.uid.empty()) rec.uid = uid_for_key(keys.primary());
      static const std::string sql =
          std::string(
              "INSERT INTO recommendation (uid, ext_key, doc_key, txt_key, content_hash, ") +
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
    bool same = old_hash == hash;
    bool outranked = source_rank(old_format) > source_rank(rec.provenance.format);
    bool new_keys =
        (ext_key.empty() && !keys.ext.empty()) || (doc_key.empty() && !keys.doc.empty());
    if (same || outranked) {
      // Keys may still be new (a UHRI record meeting an OHCHR list row already matched).
      if (new_keys) {
        if (in_place)
          update_keys(rec.id, keys);
        else if (!staged)
          stage_change(import_id, rec, keys, hash, now, "keys");
        else
          stage_keys(import_id, rec.id, keys);
      }
      return same ? UpsertOutcome::Unchanged : UpsertOutcome::Kept;
    }
    auto old = staged ? staged : by_id(*existing_id);
    if (!old) throw StoreError("record vanished during import");
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

  // ---- staged changes of an import (migration 005) ----
  static constexpr const char* kChangeColumns =
      "import_id, rec_id, mode, ext_key, doc_key, content_hash, kind, level, mechanism, body, "
      "state_iso3, state_name, regions, state_orgs, symbol, paragraph, pub_date, year, "
      "upr_cycle, upr_session, recommending_states, recommending_regions, recommending_orgs, "
      "response, response_raw, response_doc, text, lang, variants, themes, persons, sdgs, "
      "issues, source_cluster, action_category, annotation_id, document_id, uhri_pub_date, "
      "source_format, source_file, source_row, updated_at";

  // A staged change replaces an earlier one of the same import for the same record (two rows
  // of a file matching one stored record): the later row wins, as it would when applied in turn.
  void stage_change(std::int64_t import_id, const Recommendation& rec, const IdentityKeys& keys,
                    const std::string& hash, const std::string& now, const char* mode) {
    static const std::string sql = std::string("INSERT OR REPLACE INTO import_change (") +
                                   kChangeColumns + ") VALUES (" +
                                   placeholders(6 + kFieldCount + 4) + ")";
    auto& s = stmt(sql);
    int i = 1;
    s.bind(i++, import_id);
    s.bind(i++, rec.id);
    s.bind(i++, mode);
    keys.ext.empty() ? s.bind_null(i++) : s.bind(i++, keys.ext);
    keys.doc.empty() ? s.bind_null(i++) : s.bind(i++, keys.doc);
    s.bind(i++, hash);
    i = bind_fields(s, i, rec, scratch_);
    s.bind(i++, rec.provenance.format);
    s.bind(i++, rec.provenance.file);
    s.bind(i++, rec.provenance.row);
    s.bind(i++, now);
    s.run();
  }

  void stage_keys(std::int64_t import_id, std::int64_t rec_id, const IdentityKeys& keys) {
    auto& s = stmt(
        "UPDATE import_change SET ext_key = COALESCE(ext_key, ?), doc_key = COALESCE(doc_key, ?) "
        "WHERE import_id = ? AND rec_id = ?");
    keys.ext.empty() ? s.bind_null(1) : s.bind(1, keys.ext);
    keys.doc.empty() ? s.bind_null(2) : s.bind(2, keys.doc);
    s.bind(3, import_id).bind(4, rec_id);
    s.run();
  }

  // The record as this import's staged full change leaves it (nullopt: none staged, or keys
  // only).
  std::optional<Recommendation> staged_change(std::int64_t import_id, std::int64_t rec_id) {
    static const std::string sql =
        std::string("SELECT r.id, r.uid, ") + kFieldColumns +
        ", c.import_id, c.source_format, c.source_file, c.source_row, r.deleted_at FROM "
        "import_change c JOIN recommendation r ON r.id = c.rec_id WHERE c.import_id = ? AND "
        "c.rec_id = ? AND c.mode = 'update'";
    // The columns of kFieldColumns are ambiguous between the two tables: qualify them.
    static const std::string qualified = [] {
      std::string out = sql, cols = kFieldColumns, q;
      for (auto& col : split_trim(cols, ",")) q += (q.empty() ? "c." : ", c.") + col;
      out.replace(out.find(kFieldColumns), std::string(kFieldColumns).size(), q);
      return out;
    }();
    auto& s = stmt(qualified);
    s.bind(1, import_id).bind(2, rec_id);
    std::optional<Recommendation> out;
    if (s.step()) out = read_row(s);
    s.reset();
    return out;
  }

  void bump_generation() { stmt("UPDATE index_generation SET n = n + 1 WHERE id = 1").run(); }
  void bump_data_version() override { bump_generation(); }

  void update_keys(std::int64_t id, const IdentityKeys& keys) {
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

  std::optional<Recommendation> get(const std::string& uid) override {
    auto& s = stmt(std::string("SELECT ") + kColumns + " FROM recommendation WHERE uid = ? AND " +
                   kVisible);
    s.bind(1, uid);
    std::optional<Recommendation> out;
    if (s.step()) out = read_row(s);
    s.reset();
    return out;
  }

  void for_each(const RecordFilter& filter,
                const std::function<void(const Recommendation&)>& fn) override {
    Where w = build_where(filter);
    auto s = db_.prepare(std::string("SELECT ") + kColumns + " FROM recommendation" + w.sql +
                         " ORDER BY id");
    for (std::size_t i = 0; i < w.params.size(); ++i) s.bind(static_cast<int>(i + 1), w.params[i]);
    while (s.step()) fn(read_row(s));
  }

  long count(const RecordFilter& filter) override {
    Where w = build_where(filter);
    auto s = db_.prepare("SELECT COUNT(*) FROM recommendation" + w.sql);
    for (std::size_t i = 0; i < w.params.size(); ++i) s.bind(static_cast<int>(i + 1), w.params[i]);
    s.step();
    return static_cast<long>(s.int64(0));
  }

  Counts counts(const RecordFilter& filter, int top_n) override {
    Counts c;
    Where w = build_where(filter);
    auto run = [&](const std::string& name, const std::string& sql) {
      auto s = db_.prepare(sql);
      for (std::size_t i = 0; i < w.params.size(); ++i)
        s.bind(static_cast<int>(i + 1), w.params[i]);
      auto& out = c.by[name];
      while (s.step()) out.emplace_back(s.text(0), static_cast<long>(s.int64(1)));
    };
    std::string lim = top_n > 0 ? " LIMIT " + std::to_string(top_n) : "";
    auto scalar = [&](const std::string& name, const std::string& expr) {
      run(name, "SELECT " + expr + " AS v, COUNT(*) AS n FROM recommendation" + w.sql +
                    " GROUP BY v ORDER BY n DESC, v" + lim);
    };
    auto list = [&](const std::string& name, const std::string& col) {
      run(name,
          "SELECT j.value AS v, COUNT(*) AS n FROM recommendation, json_each(recommendation." +
              col + ") AS j" + w.sql + " GROUP BY v ORDER BY n DESC, v" + lim);
    };
    scalar("mechanism", "mechanism");
    scalar("kind", "kind");
    scalar("state", "CASE WHEN state_iso3 = '' THEN state_name ELSE state_iso3 END");
    scalar("response", "CASE WHEN response = '' THEN '(none)' ELSE response END");
    scalar("year", "year");
    list("theme", "themes");
    list("issue", "issues");
    c.total = count(filter);
    auto s = db_.prepare(
        std::string("SELECT COUNT(*) FROM recommendation WHERE deleted_at IS NOT NULL AND ") +
        kVisible);
    s.step();
    c.deleted = static_cast<long>(s.int64(0));
    return c;
  }

  void set_deleted(const std::string& uid, const std::string& actor, bool del) {
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
  void soft_delete(const std::string& uid, const std::string& actor) override {
    set_deleted(uid, actor, true);
  }
  void restore(const std::string& uid, const std::string& actor) override {
    set_deleted(uid, actor, false);
  }

  // ---- imports ----
  // The process that runs an import, as "host:pid": another process on the same host knows at
  // once whether it is still alive; elsewhere the heartbeat tells.
  static std::string owner_id() {
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    return std::string(host) + ":" + std::to_string(::getpid());
  }

  static bool owner_alive(const std::string& owner, const std::string& heartbeat_at) {
    auto colon = owner.rfind(':');
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    if (colon != std::string::npos && owner.substr(0, colon) == host) {
      auto pid = parse_int(owner.substr(colon + 1));
      return pid && (::kill(static_cast<pid_t>(*pid), 0) == 0 || errno == EPERM);
    }
    // Another host: alive while it has touched the import in the last two minutes.
    auto now = std::chrono::system_clock::now();
    std::tm tm{};
    if (heartbeat_at.size() < 19 || !strptime(heartbeat_at.c_str(), "%Y-%m-%dT%H:%M:%S", &tm))
      return false;
    auto beat = std::chrono::system_clock::from_time_t(timegm(&tm));
    return now - beat < std::chrono::minutes(2);
  }

  std::int64_t start_import(const ImportSummary& s) override {
    store::Transaction t(db_);
    std::vector<std::int64_t> dead;
    {
      auto q = db_.prepare(
          "SELECT id, COALESCE(owner, ''), COALESCE(heartbeat_at, ''), file, started_at "
          "FROM import WHERE state = 'running'");
      while (q.step()) {
        if (!owner_alive(q.text(1), q.text(2))) {
          dead.push_back(q.int64(0));
          continue;
        }
        throw InvalidArgument("another import is running (import " + q.text(0) + " of '" +
                              q.text(3) + "', started at " + q.text(4) +
                              "); imports run one at a time: try again when it has finished");
      }
    }
    for (auto id : dead) discard_import(id);
    auto& st = stmt(
        "INSERT INTO import(started_at, actor, format, file, file_sha256, state, owner, "
        "heartbeat_at) VALUES (?, ?, ?, ?, ?, 'running', ?, ?)");
    st.bind(1, s.started_at)
        .bind(2, s.actor)
        .bind(3, s.format)
        .bind(4, s.file)
        .bind(5, s.file_sha256)
        .bind(6, owner_id())
        .bind(7, now_iso());
    st.run();
    auto id = db_.last_insert_rowid();
    t.commit();
    // An import commits every batch: checkpointing the WAL into the database file (with an
    // fsync) whenever it passes 1,000 pages would make it I/O-bound (263k rows: 25,000 waits on
    // the disk, twice the time). This connection checkpoints every 64 MB instead, and once at the
    // end. (Leaving all checkpoints to the server's connections made their writes wait over 5 s.)
    db_.exec("PRAGMA wal_autocheckpoint = 16384");
    return id;
  }

  void end_import_io() { db_.exec("PRAGMA wal_autocheckpoint = 1000"); }

  void touch_import(std::int64_t id) override {
    stmt("UPDATE import SET heartbeat_at = ? WHERE id = ?").bind(1, now_iso()).bind(2, id).run();
  }

  // What an import that will never be done wrote: its records (none visible), its staged
  // changes. Its change-log rows stay (the log is append-only) but are never shown.
  void discard_import(std::int64_t id) {
    stmt("DELETE FROM import_change WHERE import_id = ?").bind(1, id).run();
    stmt("DELETE FROM recommendation WHERE import_id = ?").bind(1, id).run();
    stmt("UPDATE import SET state = 'failed', finished_at = ?, owner = NULL WHERE id = ?")
        .bind(1, now_iso())
        .bind(2, id)
        .run();
  }

  void abort_import(std::int64_t id) override {
    end_import_io();
    store::Transaction t(db_);
    discard_import(id);
    t.commit();
  }

  void finish_import(const ImportSummary& s) override {
    end_import_io();  // the last commit checkpoints what the import wrote
    // The staged changes to records that were visible before the import, then the import done:
    // from here on its new records and change-log rows are visible too.
    static const std::string apply = [] {
      std::string cols = kFieldColumns, set;
      for (auto& col : split_trim(cols, ","))
        set += (set.empty() ? "" : ", ") + col + " = c." + col;
      return "UPDATE recommendation SET " + set +
             ", content_hash = c.content_hash, import_id = c.import_id, source_format = "
             "c.source_format, source_file = c.source_file, source_row = c.source_row, "
             "updated_at = c.updated_at, ext_key = COALESCE(recommendation.ext_key, c.ext_key), "
             "doc_key = COALESCE(recommendation.doc_key, c.doc_key) FROM import_change c WHERE "
             "c.import_id = ? AND c.mode = 'update' AND c.rec_id = recommendation.id";
    }();
    stmt(apply).bind(1, s.id).run();
    stmt(
        "UPDATE recommendation SET ext_key = COALESCE(recommendation.ext_key, c.ext_key), "
        "doc_key = COALESCE(recommendation.doc_key, c.doc_key) FROM import_change c WHERE "
        "c.import_id = ? AND c.mode = 'keys' AND c.rec_id = recommendation.id")
        .bind(1, s.id)
        .run();
    stmt("DELETE FROM import_change WHERE import_id = ?").bind(1, s.id).run();
    auto& st = stmt(
        "UPDATE import SET finished_at = ?, rows_read = ?, new_count = ?, "
        "changed_count = ?, unchanged_count = ?, rejected_count = ?, "
        "duplicate_count = ?, state = 'done', owner = NULL WHERE id = ?");
    st.bind(1, s.finished_at).bind(2, s.rows_read).bind(3, s.new_count).bind(4, s.changed_count);
    st.bind(5, s.unchanged_count)
        .bind(6, s.rejected_count)
        .bind(7, s.duplicate_count)
        .bind(8, s.id);
    st.run();
    bump_generation();
    log_change({0, s.finished_at, s.actor, "import", std::to_string(s.id), "*", std::nullopt,
                json{{"format", s.format},
                     {"file", s.file},
                     {"sha256", s.file_sha256},
                     {"rows", s.rows_read},
                     {"new", s.new_count},
                     {"changed", s.changed_count},
                     {"unchanged", s.unchanged_count},
                     {"rejected", s.rejected_count},
                     {"duplicates", s.duplicate_count}}
                    .dump(),
                s.id});
  }

  std::vector<ImportSummary> imports() override {
    std::vector<ImportSummary> out;
    auto s = db_.prepare(
        "SELECT id, started_at, COALESCE(finished_at, ''), actor, format, file, "
        "COALESCE(file_sha256, ''), rows_read, new_count, changed_count, unchanged_count, "
        "rejected_count, duplicate_count, state FROM import ORDER BY id");
    while (s.step()) {
      ImportSummary i;
      i.id = s.int64(0);
      i.started_at = s.text(1);
      i.finished_at = s.text(2);
      i.actor = s.text(3);
      i.format = s.text(4);
      i.file = s.text(5);
      i.file_sha256 = s.text(6);
      i.rows_read = s.int64(7);
      i.new_count = s.int64(8);
      i.changed_count = s.int64(9);
      i.unchanged_count = s.int64(10);
      i.rejected_count = s.int64(11);
      i.duplicate_count = s.int64(12);
      i.state = s.text(13);
      out.push_back(i);
    }
    return out;
  }

  // ---- vocabularies ----
  std::int64_t vocab_id(const std::string& name, const std::string& version, bool create,
                        const std::string& title = "", const std::string& source = "") {
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

  static std::string term_json(const VocabTerm& t) {
    return json{{"code", t.code},
                {"parent", t.parent_code},
                {"label", t.label},
                {"labels", t.labels},
                {"group", t.is_group}}
        .dump();
  }

  void put_term(std::int64_t vid, const std::string& vname, const VocabTerm& t,
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

  void put_vocabulary(const Vocabulary& v, const std::string& actor) override {
    std::int64_t vid = vocab_id(v.name, v.version, true, v.title, v.source);
    for (const auto& t : v.terms) put_term(vid, v.name + "@" + v.version, t, 0, actor);
  }

  void add_found_term(const std::string& vocab, const std::string& version, const VocabTerm& t,
                      std::int64_t import_id, const std::string& actor) override {
    std::int64_t vid = vocab_id(vocab, version, true, vocab, "found in imported records");
    put_term(vid, vocab + "@" + version, t, import_id, actor);
  }

  void put_mappings(const std::vector<VocabMapping>& m, const std::string& actor) override {
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

  std::vector<Vocabulary> vocabularies(bool with_terms) override {
    std::vector<Vocabulary> out;
    auto s = db_.prepare(
        "SELECT id, name, version, title, source FROM vocabulary ORDER BY name, version");
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

  std::vector<VocabTerm> terms_of(std::int64_t vid) {
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

  std::optional<Vocabulary> vocabulary(const std::string& name,
                                       const std::string& version) override {
    auto s = db_.prepare(
        "SELECT id, name, version, title, source FROM vocabulary WHERE name = ? AND "
        "(? = '' OR version = ?) ORDER BY version DESC LIMIT 1");
    s.bind(1, name).bind(2, version).bind(3, version);
    if (!s.step()) return std::nullopt;
    Vocabulary v{s.text(1), s.text(2), s.text(3), s.text(4), terms_of(s.int64(0))};
    return v;
  }

  std::vector<VocabMapping> mappings() override {
    std::vector<VocabMapping> out;
    auto s = db_.prepare(
        "SELECT f.name, f.version, m.from_code, t.name, t.version, m.to_code FROM vocab_mapping m "
        "JOIN vocabulary f ON f.id = m.from_vocab_id JOIN vocabulary t ON t.id = m.to_vocab_id "
        "ORDER BY m.id");
    while (s.step())
      out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5)});
    return out;
  }

  void put_mechanisms(const std::vector<Mechanism>& ms, const std::string& actor) override {
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

  std::vector<Mechanism> mechanisms() override {
    std::vector<Mechanism> out;
    auto s = db_.prepare(
        "SELECT code, parent, level, type, name, symbol_prefixes, aliases "
        "FROM mechanism ORDER BY rowid");
    while (s.step())
      out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4),
                     json_list(s.text_view(5)), json_list(s.text_view(6))});
    return out;
  }

  void put_upr_sessions(const std::vector<UprSession>& ss, const std::string& actor) override {
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
        log_change(
            {0, now_iso(), actor, "upr_session", std::to_string(x.session), "*", std::nullopt,
             json{{"cycle", x.cycle}, {"start", x.start_date}, {"end", x.end_date}}.dump(), 0});
      }
    }
  }

  std::vector<UprSession> upr_sessions() override {
    std::vector<UprSession> out;
    auto s = db_.prepare(
        "SELECT session, cycle, start_date, end_date FROM upr_session ORDER BY session");
    while (s.step())
      out.push_back(
          {static_cast<int>(s.int64(0)), static_cast<int>(s.int64(1)), s.text(2), s.text(3)});
    return out;
  }

  // ---- change log ----
  void log_change(const ChangeEntry& e) override {
    auto& s = stmt(
        "INSERT INTO change_log(at, actor, entity, entity_id, field, before, after, "
        "import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, e.at.empty() ? now_iso() : e.at).bind(2, e.actor).bind(3, e.entity);
    s.bind(4, e.entity_id).bind(5, e.field).bind_opt(6, e.before).bind_opt(7, e.after);
    e.import_id ? s.bind(8, e.import_id) : s.bind_null(8);
    s.run();
  }

  void for_each_change(const ChangeFilter& f,
                       const std::function<void(const ChangeEntry&)>& fn) override {
    // Two fixed statements (the order cannot be a bound value); every value is bound.
    constexpr const char* base =
        "SELECT id, at, actor, entity, entity_id, field, before, after, COALESCE(import_id, 0) "
        "FROM change_log WHERE (? = '' OR actor = ?) AND (? = '' OR entity = ?) AND "
        "(? = '' OR entity_id = ?) AND (? = '' OR field = ?) AND (? = '' OR at >= ?) AND "
        "(? = '' OR at < ?) AND (? = 0 OR id < ?) AND (import_id IS NULL OR import_id NOT IN "
        "(SELECT id FROM import WHERE state <> 'done')) ";
    auto s = db_.prepare(std::string(base) +
                         (f.newest_first ? "ORDER BY id DESC LIMIT ?" : "ORDER BY id LIMIT ?"));
    int i = 1;
    for (const auto* v : {&f.actor, &f.entity, &f.entity_id, &f.field, &f.since, &f.until}) {
      s.bind(i++, *v);
      s.bind(i++, *v);
    }
    s.bind(i++, f.before_id);
    s.bind(i++, f.before_id);
    s.bind(i++, f.limit > 0 ? static_cast<std::int64_t>(f.limit) : -1);
    while (s.step()) {
      ChangeEntry e;
      e.id = s.int64(0);
      e.at = s.text(1);
      e.actor = s.text(2);
      e.entity = s.text(3);
      e.entity_id = s.text(4);
      e.field = s.text(5);
      if (!s.is_null(6)) e.before = s.text(6);
      if (!s.is_null(7)) e.after = s.text(7);
      e.import_id = s.int64(8);
      fn(e);
    }
  }

 private:
  // Prepared statements cached by SQL text: the import loop reuses them for every row.
  Stmt& stmt(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, db_.prepare(sql)).first;
    return it->second;
  }
  Stmt& stmt(const char* sql) { return stmt(std::string(sql)); }

  Db db_;
  std::unordered_map<std::string, Stmt> cache_;
  std::unique_ptr<AccessStore> access_;
  std::unique_ptr<FollowupStore> followup_;
  std::deque<std::string> scratch_;  // list JSON bound by bind_fields
};

}  // namespace

std::unique_ptr<Store> open_store(const std::string& path, const StoreOptions& opt) {
  auto s = std::make_unique<SqliteStore>(path);
  s->set_busy_timeout(opt.busy_timeout_ms);
  return s;
}

}  // namespace hrtrack
