// The SQLite Store (store.h): the class, defined over sqlite_store.cpp (connection, migrations,
// transactions, the index generation), sqlite_records.cpp (recommendations: identity lookups,
// writes, reads, counts), sqlite_imports.cpp (staged imports), sqlite_vocab.cpp (vocabularies,
// mechanisms, UPR sessions) and sqlite_log.cpp (the change log). Internal to src/store.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/db.h"
#include "store/sqlite_parts.h"
#include "store/store.h"

namespace hrtrack::store {

// The recommendation table's columns and their mapping (sqlite_records.cpp).
namespace rows {
// The columns read_row reads, in order.
extern const char* const kColumns;
// The imported fields' columns, in the order bind_fields binds them.
extern const char* const kFieldColumns;
constexpr int kFieldCount = 33;
// Rows written by an import that has not committed (or never will) are invisible to every read
// (migration 005): the records it creates carry its id until it is done.
extern const char* const kVisible;
Recommendation read_row(const Stmt& s);
// Binds the imported fields in kFieldColumns order from index `i`; returns the next index.
// Strings are bound without copies: `r` and `scratch` must outlive the statement's run().
int bind_fields(Stmt& s, int i, const Recommendation& r, std::deque<std::string>& scratch);
std::string placeholders(int n);
// "col = ?, ..." for kFieldColumns.
std::string set_list();
std::vector<std::string> json_list(std::string_view s);
std::string list_json(const std::vector<std::string>& v);
// A RecordFilter as a WHERE clause with positional parameters.
struct Where {
  std::string sql;
  std::vector<std::string> params;
};
Where build_where(const RecordFilter& f);
}  // namespace rows

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path);

  class SqliteTxn final : public Txn {
   public:
    explicit SqliteTxn(Db& db) : t_(db) {}
    void commit() override { t_.commit(); }

   private:
    store::Transaction t_;
  };

  std::unique_ptr<Txn> begin() override { return std::make_unique<SqliteTxn>(db_); }

  void set_busy_timeout(int ms) { db_.set_busy_timeout(ms); }

  AccessStore& access() override;

  FollowupStore& followup() override;

  void migrate();

  int schema_version() override;

  std::int64_t data_version() override;

  // The txt key is stored as the first 8 bytes of its BLAKE2b: an integer index is smaller and
  // faster than one on text, and 64 bits make a collision improbable below billions of records.
  static std::int64_t txt_hash(const std::string& txt);

  // The visible record the keys identify (core/identity.h resolve_identity decides; these are
  // its three lookups); during an import (`import_id`), also the records this import has
  // created so far.
  std::optional<std::int64_t> find_id(const IdentityKeys& k, std::int64_t txt,
                                      std::int64_t import_id = 0);

  std::optional<Recommendation> by_id(std::int64_t id);

  std::optional<Recommendation> find_by_identity(const IdentityKeys& keys) override;

  UpsertOutcome upsert_imported(Recommendation& rec, const IdentityKeys& keys,
                                const std::string& content, const std::string& actor,
                                std::int64_t import_id) override;

  static constexpr const char* kChangeColumns =
      "import_id, rec_id, mode, ext_key, doc_key, content_hash, kind, level, mechanism, body, "
      "state_iso3, state_name, regions, state_orgs, symbol, paragraph, parent_paragraph, "
      "pub_date, year, upr_cycle, upr_session, recommending_states, recommending_regions, "
      "recommending_orgs, "
      "response, response_raw, response_doc, text, lang, variants, themes, persons, sdgs, "
      "issues, source_cluster, action_category, annotation_id, document_id, uhri_pub_date, "
      "source_format, source_file, source_row, updated_at";

  // A staged change replaces an earlier one of the same import for the same record (two rows
  // of a file matching one stored record): the later row wins, as it would when applied in turn.
  void stage_change(std::int64_t import_id, const Recommendation& rec, const IdentityKeys& keys,
                    const std::string& hash, const std::string& now, const char* mode);

  void stage_keys(std::int64_t import_id, std::int64_t rec_id, const IdentityKeys& keys);

  // The record as this import's staged full change leaves it (nullopt: none staged, or keys
  // only).
  std::optional<Recommendation> staged_change(std::int64_t import_id, std::int64_t rec_id);

  void bump_generation() { stmt("UPDATE index_generation SET n = n + 1 WHERE id = 1").run(); }

  void bump_data_version() override { bump_generation(); }

  void update_keys(std::int64_t id, const IdentityKeys& keys);

  std::optional<Recommendation> get(const std::string& uid) override;

  void for_each(const RecordFilter& filter,
                const std::function<void(const Recommendation&)>& fn) override;

  long count(const RecordFilter& filter) override;

  Counts counts(const RecordFilter& filter, int top_n) override;

  void set_deleted(const std::string& uid, const std::string& actor, bool del);

  void soft_delete(const std::string& uid, const std::string& actor) override;

  void restore(const std::string& uid, const std::string& actor) override;

  // The process that runs an import, as "host:pid": another process on the same host knows at
  // once whether it is still alive; elsewhere the heartbeat tells.
  static std::string owner_id();

  static bool owner_alive(const std::string& owner, const std::string& heartbeat_at);

  std::int64_t start_import(const ImportSummary& s) override;

  void add_import_records(std::int64_t import_id, const std::vector<std::int64_t>& ids) override;

  std::optional<ImportSummary> previous_import_of(std::int64_t import_id, const std::string& format,
                                                  const std::string& scope) override;

  void end_import_io() { db_.exec("PRAGMA wal_autocheckpoint = 1000"); }

  void touch_import(std::int64_t id) override;

  // What an import that will never be done wrote: its records (none visible), its staged
  // changes. Its change-log rows stay (the log is append-only) but are never shown.
  void discard_import(std::int64_t id);

  void abort_import(std::int64_t id) override;

  void finish_import(const ImportSummary& s) override;

  std::vector<ImportSummary> imports() override;

  std::int64_t vocab_id(const std::string& name, const std::string& version, bool create,
                        const std::string& title = "", const std::string& source = "");

  static std::string term_json(const VocabTerm& t);

  void put_term(std::int64_t vid, const std::string& vname, const VocabTerm& t,
                std::int64_t import_id, const std::string& actor);

  void put_vocabulary(const Vocabulary& v, const std::string& actor) override;

  void add_found_term(const std::string& vocab, const std::string& version, const VocabTerm& t,
                      std::int64_t import_id, const std::string& actor) override;

  void put_mappings(const std::vector<VocabMapping>& m, const std::string& actor) override;

  std::vector<Vocabulary> vocabularies(bool with_terms) override;

  std::vector<VocabTerm> terms_of(std::int64_t vid);

  std::optional<Vocabulary> vocabulary(const std::string& name,
                                       const std::string& version) override;

  std::vector<VocabMapping> mappings() override;

  void put_mechanisms(const std::vector<Mechanism>& ms, const std::string& actor) override;

  std::vector<Mechanism> mechanisms() override;

  void put_upr_sessions(const std::vector<UprSession>& ss, const std::string& actor) override;

  std::vector<UprSession> upr_sessions() override;
  std::vector<std::string> distinct_labels(const std::string& field) override;
  void put_label_concepts(const std::vector<LabelConcept>& rows, bool all) override;
  std::vector<LabelConcept> label_concepts() override;

  void log_change(const ChangeEntry& e) override;

  void for_each_change(const ChangeFilter& f,
                       const std::function<void(const ChangeEntry&)>& fn) override;

 private:
  // Prepared statements cached by SQL text: the import loop reuses them for every row.
  Stmt& stmt(const std::string& sql);

  Stmt& stmt(const char* sql) { return stmt(std::string(sql)); }

  Db db_;

  std::unordered_map<std::string, Stmt> cache_;

  std::unique_ptr<AccessStore> access_;

  std::unique_ptr<FollowupStore> followup_;

  std::deque<std::string> scratch_;  // list JSON bound by bind_fields
};

}  // namespace hrtrack::store
