// The storage interface. Everything above this floor (ingest, export, search, web, CLI) talks
// to `Store`, never to SQLite, so that a second engine (PostgreSQL) plugs in behind
// `open_store` without touching them. The SQLite implementation: sqlite_store.h.
//
// Contract, for every engine:
//  * Rows are only mapped. The rules (identity and precedence: core/identity.h; change diffing:
//    core/changes.h; what is valid, public or allowed: src/followup, src/access) are shared
//    code the engine calls, so two engines behave the same.
//  * Every change is appended to the change log (append-only, enforced by the database).
//  * Writes happen inside a Txn (begin()); destroying it without commit() rolls back. Methods that
//    say so open their own. Failures throw StoreError; StoreBusy when another writer held the
//    database longer than the busy timeout (nothing was written: retry); NotFound when a write
//    names a row that does not exist; reads return nullopt or empty for nothing.
//  * Ownership: values are returned by value; the AccessStore and FollowupStore parts are owned
//    by the Store and live as long as it does.
//  * Thread safety: a Store object is used by one thread at a time; open one per thread (several
//    processes and connections may use one database at once).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/crosswalk.h"
#include "core/identity.h"
#include "core/recommendation.h"
#include "core/vocabulary.h"
#include "store/access_store.h"
#include "store/followup_store.h"

namespace hrtrack {

// A field filter for export and stats: every condition must hold (AND); several values for one
// field are ORed. The fields are core/filters.h's (the search API's names; the old CLI names
// upr_cycle, upr_session and person are aliases), those of scope Both or Cli, with paragraph and
// parent_paragraph; numeric ones take a number or a range A..B, A.., ..B.
struct RecordFilter {
  std::vector<std::pair<std::string, std::string>> conditions;
  bool include_deleted = false;
  // Parses "field=value" ("field=A..B" for ranges) and stores it under the field's canonical
  // name; throws InvalidArgument naming the field (an unknown one: unknown_filter_message).
  void add(const std::string& expression);
  void add(const std::string& field, const std::string& value);
};

// Kept: the stored record came from a more authoritative source (core/identity.h
// source_rank) and was left as it is.
enum class UpsertOutcome { New, Changed, Unchanged, Kept };

struct ChangeEntry {
  std::int64_t id = 0;
  std::string at, actor, entity, entity_id, field;
  std::optional<std::string> before, after;
  std::int64_t import_id = 0;
};

struct ChangeFilter {
  std::string actor, entity, entity_id, field, since, until;  // since/until: ISO timestamps
  long limit = 0;                                             // 0 = no limit
  bool newest_first = false;
  std::int64_t before_id = 0;  // only entries with a smaller id (0 = no bound): paging
};

// A record the previous import of a source held and a newer import of it does not contain.
struct AbsentRecord {
  std::string uid, symbol, paragraph;
  bool operator==(const AbsentRecord&) const = default;
};

struct ImportSummary {
  std::int64_t id = 0;
  std::string started_at, finished_at, actor, format, file, file_sha256;
  std::string state;  // running | done | failed
  long rows_read = 0, new_count = 0, changed_count = 0, unchanged_count = 0, rejected_count = 0,
       duplicate_count = 0;
  // What the file covers (ingest/importer.h: format, States, mechanisms): two imports with the
  // same format and scope are two exports of one source.
  std::string scope;
  // The previous import of the same source (0: none) and the records it held that this one does
  // not contain (withdrawn or renumbered), none of them deleted.
  std::int64_t previous_import = 0;
  std::string previous_file;
  std::vector<AbsentRecord> absent;
};

struct Counts {
  long total = 0;
  long deleted = 0;
  // dimension -> [(value, count)], sorted by count descending then value
  std::map<std::string, std::vector<std::pair<std::string, long>>> by;
};

class Store {
 public:
  virtual ~Store() = default;

  // A write transaction. Destroying it without commit() rolls everything back.
  class Txn {
   public:
    virtual ~Txn() = default;
    virtual void commit() = 0;
  };
  virtual std::unique_ptr<Txn> begin() = 0;

  // --- recommendations ---
  // Finds the stored record that `keys` identifies (see core/identity.h), if any.
  virtual std::optional<Recommendation> find_by_identity(const IdentityKeys& keys) = 0;
  // Inserts or updates an imported record; records every change in the change log.
  // `content` is imported_json(rec) (core/record_json.h), computed once by the caller.
  // A soft-deleted record stays deleted (deletion is local data). Requires an open Txn.
  // With an `import_id` (start_import), nothing written is visible to any read (records,
  // counts, the change log) until finish_import; import_id 0 writes visibly at once.
  virtual UpsertOutcome upsert_imported(Recommendation& rec, const IdentityKeys& keys,
                                        const std::string& content, const std::string& actor,
                                        std::int64_t import_id) = 0;
  virtual std::optional<Recommendation> get(const std::string& uid) = 0;
  // Streams matching records in id order without loading them all.
  virtual void for_each(const RecordFilter& filter,
                        const std::function<void(const Recommendation&)>& fn) = 0;
  virtual long count(const RecordFilter& filter) = 0;
  virtual Counts counts(const RecordFilter& filter, int top_n) = 0;
  virtual void soft_delete(const std::string& uid, const std::string& actor) = 0;
  virtual void restore(const std::string& uid, const std::string& actor) = 0;

  // --- imports: written in batches of short transactions, all or nothing ---
  // Starts an import in a transaction of its own: removes what imports whose process has gone
  // (killed, crashed) left, refuses with InvalidArgument while another import is running, and
  // records this one as running. Returns its id.
  virtual std::int64_t start_import(const ImportSummary& s) = 0;
  // Keeps a running import marked alive for other processes (call at least once a minute).
  virtual void touch_import(std::int64_t id) = 0;
  // Makes everything the import wrote visible at once, in the caller's transaction, records
  // its summary in the change log and marks it done.
  virtual void finish_import(const ImportSummary& s) = 0;
  // Removes everything the import wrote (none of it was ever visible) and marks it failed, in a
  // transaction of its own. Safe to call for an import that wrote nothing.
  virtual void abort_import(std::int64_t id) = 0;
  virtual std::vector<ImportSummary> imports() = 0;
  // Records that the running import `import_id` has read these records (store ids); requires an
  // open Txn. What finish_import compares with the previous import of the same source.
  virtual void add_import_records(std::int64_t import_id, const std::vector<std::int64_t>& ids) = 0;
  // The last done import before `import_id` with the same format and scope (nullopt: none), with
  // the records it held that `import_id` has not read (in `absent`, by store id order).
  virtual std::optional<ImportSummary> previous_import_of(std::int64_t import_id,
                                                          const std::string& format,
                                                          const std::string& scope) = 0;

  // --- vocabularies and mechanisms ---
  // Creates or updates a vocabulary version and its terms (changes logged).
  virtual void put_vocabulary(const Vocabulary& v, const std::string& actor) = 0;
  virtual void put_mappings(const std::vector<VocabMapping>& m, const std::string& actor) = 0;
  // Adds a term found in an imported record to a vocabulary (logged, flagged with import id).
  virtual void add_found_term(const std::string& vocab, const std::string& version,
                              const VocabTerm& t, std::int64_t import_id,
                              const std::string& actor) = 0;
  virtual std::vector<Vocabulary> vocabularies(bool with_terms) = 0;
  virtual std::optional<Vocabulary> vocabulary(const std::string& name,
                                               const std::string& version = "") = 0;
  virtual std::vector<VocabMapping> mappings() = 0;
  virtual void put_mechanisms(const std::vector<Mechanism>& m, const std::string& actor) = 0;
  virtual std::vector<Mechanism> mechanisms() = 0;
  virtual void put_upr_sessions(const std::vector<UprSession>& s, const std::string& actor) = 0;
  virtual std::vector<UprSession> upr_sessions() = 0;

  // --- label concepts (the crosswalk's answers, core/crosswalk.h; see ingest/concepts.h) ---
  // Every distinct label of a field ("theme", "person", "region", "issue") in the records,
  // including those an open import has written but not yet finished.
  virtual std::vector<std::string> distinct_labels(const std::string& field) = 0;
  // Replaces the answers for the (field, raw) pairs in `rows`; with `all`, every stored answer
  // first. Bumps the data version when something changed. Requires an open Txn.
  virtual void put_label_concepts(const std::vector<LabelConcept>& rows, bool all) = 0;
  virtual std::vector<LabelConcept> label_concepts() = 0;

  // --- change log (append-only) ---
  virtual void log_change(const ChangeEntry& e) = 0;
  virtual void for_each_change(const ChangeFilter& f,
                               const std::function<void(const ChangeEntry&)>& fn) = 0;

  // A counter bumped by every committed change to data the search index reads (recommendations,
  // vocabularies, mechanisms, sessions), from any process: the index compares it to know whether
  // to rebuild. Sign-ins and edits of users do not change it.
  virtual std::int64_t data_version() = 0;
  // Marks that data the public index shows has changed (the follow-up rules call it when they
  // change something public: src/followup/public.h). Requires an open Txn.
  virtual void bump_data_version() = 0;
  virtual int schema_version() = 0;

  // --- institutions, users, sessions, tokens (store/access_store.h) ---
  virtual AccessStore& access() = 0;
  // --- clusters, assignments, plans, updates, assessments, reminders (followup_store.h) ---
  virtual FollowupStore& followup() = 0;
};

struct StoreOptions {
  // How long a write waits for another writer (an import in another process) before it fails
  // with StoreBusy. Imports commit in batches (ingest/importer.h), so waits are short.
  int busy_timeout_ms = 10000;
};

// Opens (creating if needed) the store at `path` and applies pending migrations. `path` is an
// SQLite file; a database address ("postgresql://…", any "scheme://") throws InvalidArgument
// saying this build has no such engine (check_store_address), before anything is created.
std::unique_ptr<Store> open_store(const std::string& path, const StoreOptions& opt = {});
// Throws InvalidArgument for a database address this build cannot open (see open_store).
void check_store_address(const std::string& path);

// Current UTC time as ISO 8601 with milliseconds ("2026-11-27T14:32:00.123Z").
std::string now_iso();

}  // namespace hrtrack
