#include "ingest/importer.h"

#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/record_json.h"
#include "core/text.h"
#include "ingest/concepts.h"

namespace hrtrack::ingest {

std::string import_scope(const std::set<std::string>& states,
                         const std::set<std::string>& mechanisms) {
  if (states.empty() && mechanisms.empty()) return "";
  auto list = [](const std::set<std::string>& s) {
    return join(std::vector<std::string>(s.begin(), s.end()), ",");
  };
  return "states=" + list(states) + ";mechanisms=" + list(mechanisms);
}

long ImportReport::errors() const {
  long n = 0;
  for (const auto& p : problems) n += p.warning ? 0 : 1;
  return n;
}

namespace {

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    crypto_hash_sha256_update(&st, reinterpret_cast<unsigned char*>(buf.data()),
                              static_cast<unsigned long long>(in.gcount()));
  }
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  return to_hex(h, sizeof h);
}

// Known terms of the vocabularies, looked up case-insensitively; adds what is missing.
class TermChecker {
 public:
  struct Found {
    std::string vocab, version;
    VocabTerm term;
  };

  TermChecker(Store& store, std::vector<std::pair<std::string, std::string>>& found)
      : found_(found) {
    for (const char* name :
         {"uhri-themes", "uhri-themes-legacy", "uhri-persons", "sdg", "uprinfo-issues"}) {
      auto v = store.vocabulary(name);
      auto& set = known_[name];
      version_[name] = v ? v->version : "found";
      if (!v) continue;
      for (const auto& t : v->terms) {
        set.insert(ascii_lower(t.code));
        set.insert(ascii_lower(t.label));
      }
    }
  }

  void check(const Recommendation& r) {
    static const std::regex legacy(R"(^([A-H]\d{1,3})\s+(.+)$)");
    labels_["theme"].insert(r.themes.begin(), r.themes.end());
    labels_["person"].insert(r.persons.begin(), r.persons.end());
    labels_["region"].insert(r.regions.begin(), r.regions.end());
    labels_["issue"].insert(r.issues.begin(), r.issues.end());
    for (const auto& t : r.themes) {
      std::smatch m;
      if (std::regex_match(t, m, legacy))
        see("uhri-themes-legacy", m[1], m[2]);
      else
        see("uhri-themes", t, t);
    }
    for (const auto& p : r.persons) see("uhri-persons", p, p);
    for (const auto& i : r.issues) see("uprinfo-issues", i, i);
    for (const auto& s : r.sdgs) {
      std::string code = sdg_code_of(s);
      if (code.empty()) continue;
      auto dash = s.find(" - ");
      see("sdg", code, dash == std::string::npos ? code : s.substr(dash + 3));
    }
  }

 private:
  void see(const std::string& vocab, const std::string& code, const std::string& label) {
    auto& set = known_[vocab];
    std::string key = ascii_lower(code);
    if (set.count(key)) return;
    set.insert(key);
    VocabTerm t;
    t.code = code;
    t.label = label;
    if (vocab == "sdg") {
      auto dot = code.find('.');
      t.parent_code = dot == std::string::npos ? "" : code.substr(0, dot);
      t.is_group = dot == std::string::npos;
    }
    if (vocab == "uhri-themes-legacy") t.parent_code = code.substr(0, 1);
    terms_.push_back({vocab, version_[vocab], t});
    found_.emplace_back(vocab, code == label ? code : code + " " + label);
  }

 public:
  // The terms found, for the import's last transaction to add.
  const std::vector<Found>& terms() const { return terms_; }
  // Every label the records carry, per crosswalk field (ingest/concepts.h).
  const std::map<std::string, std::set<std::string>>& labels() const { return labels_; }

 private:
  std::vector<Found> terms_;
  std::map<std::string, std::set<std::string>> labels_;
  std::vector<std::pair<std::string, std::string>>& found_;
  std::map<std::string, std::unordered_set<std::string>> known_;
  std::map<std::string, std::string> version_;
};

class Progress {
 public:
  Progress(bool on, const char* phase)
      : on_(on && isatty(2)), phase_(phase), start_(clock::now()), last_(start_) {}
  void update(long rows, std::size_t done, std::size_t total, bool force = false) {
    if (!on_) return;
    auto now = clock::now();
    if (!force && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double frac = total ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 0;
    int width = 30, filled = static_cast<int>(frac * width);
    std::string bar(static_cast<std::size_t>(filled), '=');
    bar.resize(static_cast<std::size_t>(width), ' ');
    double rate = secs > 0 ? rows / secs : 0;
    double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
    std::fprintf(stderr, "\r%s [%s] %3d%% %ld rows  %.0f rows/s  ETA %.0fs ", phase_, bar.c_str(),
                 static_cast<int>(frac * 100), rows, rate, eta);
    std::fflush(stderr);
  }
  void done() {
    if (on_) std::fprintf(stderr, "\n");
  }

 private:
  using clock = std::chrono::steady_clock;
  bool on_;
  const char* phase_;
  clock::time_point start_, last_;
};

// Identity inside one file: exact duplicates are stored once; rows with the same external id
// but other content are rejected; rows that share State, session, recommending States and text
// but differ otherwise are kept apart by an occurrence number. Keys are held as 16-byte hashes,
// so memory stays small whatever the size of the texts.
class InFileIdentity {
 public:
  enum class Kind { First, Duplicate, ExtConflict, Occurrence };
  struct Verdict {
    Kind kind = Kind::First;
    long first_row = 0;
    int occurrence = 1;
    bool same_as_read =
        true;  // Duplicate: the rows were the same as read, not only once normalised
  };

  // `lang`: the text's language; one file may hold a record in several languages (a language
  // version each, core/identity.h merge_incoming), under one external id.
  Verdict classify(const IdentityKeys& keys, const std::string& lang, const std::string& hash,
                   std::size_t raw, long row) {
    std::string dedupe = keys.ext.empty() ? keys.doc + "\n" + keys.txt : keys.ext + "\n" + lang;
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(dedupe.data()),
                       dedupe.size(), nullptr, 0);
    auto [it, fresh] = seen_.try_emplace(std::string(reinterpret_cast<char*>(h), sizeof h),
                                         Seen{hash, raw, row, 1});
    if (fresh) return {};
    if (it->second.hash == hash) return {Kind::Duplicate, it->second.row, 0, it->second.raw == raw};
    if (!keys.ext.empty()) return {Kind::ExtConflict, it->second.row, 0};
    return {Kind::Occurrence, it->second.row, ++it->second.count};
  }

 private:
  struct Seen {
    std::string hash;
    std::size_t raw;
    long row;
    int count;
  };
  std::unordered_map<std::string, Seen> seen_;
};

// Rows written per transaction: other writers (sign-ins, the follow-up) wait at most for one.
constexpr long kBatchRows = 1000;

}  // namespace

ImportReport import_file(Store& store, const ImportOptions& opt) {
  ImportReport rep;
  const std::string file = std::filesystem::path(opt.source.path).filename();
  if (!std::filesystem::exists(opt.source.path))
    throw InvalidArgument("no such file: '" + opt.source.path + "'");

  Context ctx;
  ctx.mechanisms = store.mechanisms();
  for (const auto& s : store.upr_sessions()) ctx.sessions[s.session] = s;

  ImportSummary sum;
  sum.started_at = now_iso();
  sum.actor = opt.actor;
  sum.format = opt.source.format;
  sum.file = file;
  sum.file_sha256 = file_sha256(opt.source.path);

  // ---- Pass 1: read and check the whole file, writing nothing ----
  std::vector<SourceItem> rejects;  // raw rejected rows only (small strings)
  std::unordered_set<long> rejected_rows;
  TermChecker terms(store, rep.new_terms);
  std::string raw_kind, raw_header;
  std::set<std::string> scope_states, scope_mechanisms;
  {
    auto source = open_source(opt.source, ctx, rep.problems);
    InFileIdentity identity;
    Progress progress(opt.progress, "checking");
    auto reject = [&](SourceItem& item) {
      ++rep.rejected;
      rejected_rows.insert(item.row);
      if (opt.skip_invalid) rejects.push_back({item.row, {}, false, std::move(item.raw)});
    };
    source->each([&](SourceItem& item) {
      ++rep.rows;
      progress.update(rep.rows, source->bytes_read(), source->bytes_total());
      if (!item.ok) return reject(item);
      IdentityKeys keys = identity_keys(item.rec);
      auto v = identity.classify(keys, item.rec.lang, hash_hex(imported_json(item.rec)),
                                 item.raw_digest, item.row);
      switch (v.kind) {
        case InFileIdentity::Kind::Duplicate:
          ++rep.duplicates;
          rep.problems.push_back(
              {file, item.row, "", "",
               v.same_as_read
                   ? "exact duplicate of row " + std::to_string(v.first_row) + "; stored once"
                   : "the same record as row " + std::to_string(v.first_row) +
                         " (they differ only in white space or in how a character is "
                         "encoded); stored once",
               true});
          return;
        case InFileIdentity::Kind::ExtConflict:
          rep.problems.push_back({file, item.row, "AnnotationId", item.rec.annotation_id,
                                  "the same external id appears in row " +
                                      std::to_string(v.first_row) + " with different content",
                                  false});
          return reject(item);
        case InFileIdentity::Kind::Occurrence:
          rep.problems.push_back({file, item.row, "", "",
                                  "same identity as row " + std::to_string(v.first_row) +
                                      " (State, session, recommending State, text) but other "
                                      "fields differ; kept as a separate record",
                                  true});
          break;
        case InFileIdentity::Kind::First:
          break;
      }
      terms.check(item.rec);
      scope_states.insert(item.rec.state_iso3.empty() ? item.rec.state_name : item.rec.state_iso3);
      scope_mechanisms.insert(item.rec.mechanism);
    });
    progress.update(rep.rows, source->bytes_total(), source->bytes_total(), true);
    progress.done();
    raw_kind = source->raw_kind();
    raw_header = source->raw_header();
    rep.incomplete = source->stopped();
  }

  // File-level problems (row 0 or header row 1 without a row of data) always stop the import,
  // and so does a file that could not be read to its end: its later rows were never seen, and
  // importing the first ones would look like a whole file imported.
  bool file_level = rep.incomplete;
  for (const auto& p : rep.problems)
    if (!p.warning && (p.row == 0 || (p.row == 1 && raw_kind == "csv"))) file_level = true;
  if (file_level || (rep.errors() > 0 && !opt.skip_invalid)) return rep;  // nothing written

  // ---- Pass 2: write, in batches of short transactions, invisible until finish_import ----
  sum.scope = rep.scope = import_scope(scope_states, scope_mechanisms);
  sum.id = rep.import_id = store.start_import(sum);
  try {
    std::vector<Problem> again;  // the file read a second time: must say the same
    auto source = open_source(opt.source, ctx, again);
    InFileIdentity identity;
    Progress progress(opt.progress, "writing ");
    bool file_changed = false;
    long row_count = 0, in_batch = 0;
    std::vector<std::int64_t> batch_ids;  // the records this batch read (re-sync)
    auto txn = store.begin();
    source->each([&](SourceItem& item) {
      ++row_count;
      progress.update(row_count, source->bytes_read(), source->bytes_total());
      if (rejected_rows.count(item.row)) return;
      if (!item.ok) {
        file_changed = true;
        return;
      }
      IdentityKeys keys = identity_keys(item.rec);
      std::string content = imported_json(item.rec);
      auto v = identity.classify(keys, item.rec.lang, hash_hex(content), item.raw_digest, item.row);
      if (v.kind == InFileIdentity::Kind::Duplicate) return;
      if (v.kind == InFileIdentity::Kind::ExtConflict) {
        file_changed = true;  // pass 1 rejected this row
        return;
      }
      if (v.kind == InFileIdentity::Kind::Occurrence)
        keys.txt += "#" + std::to_string(v.occurrence);
      switch (store.upsert_imported(item.rec, keys, content, opt.actor, sum.id)) {
        case UpsertOutcome::New:
          ++rep.new_count;
          break;
        case UpsertOutcome::Changed:
          ++rep.changed;
          break;
        case UpsertOutcome::Kept:
          ++rep.kept;
          break;
        case UpsertOutcome::Unchanged:
          ++rep.unchanged;
          break;
      }
      batch_ids.push_back(item.rec.id);
      if (++in_batch >= kBatchRows) {
        store.add_import_records(sum.id, batch_ids);
        batch_ids.clear();
        store.touch_import(sum.id);
        txn->commit();
        txn = store.begin();
        in_batch = 0;
      }
    });
    progress.update(row_count, source->bytes_total(), source->bytes_total(), true);
    progress.done();
    if (file_changed || row_count != rep.rows || file_sha256(opt.source.path) != sum.file_sha256)
      throw Error("'" + file + "' changed while it was being imported; nothing was imported: " +
                  "import it again once it is complete");
    store.add_import_records(sum.id, batch_ids);
    if (auto prev = store.previous_import_of(sum.id, sum.format, sum.scope)) {
      sum.previous_import = rep.previous_import = prev->id;
      sum.previous_file = rep.previous_file = prev->file;
      sum.absent = prev->absent;
    }
    for (const auto& t : terms.terms())
      store.add_found_term(t.vocab, t.version, t.term, sum.id, opt.actor);
    sum.finished_at = now_iso();
    sum.rows_read = rep.rows;
    sum.new_count = rep.new_count;
    sum.changed_count = rep.changed;
    sum.unchanged_count = rep.unchanged + rep.kept;
    sum.rejected_count = rep.rejected;
    sum.duplicate_count = rep.duplicates;
    store.finish_import(sum);
    add_label_concepts(store, terms.labels());
    txn->commit();
  } catch (...) {
    rep.new_count = rep.changed = rep.unchanged = rep.kept = 0;
    try {
      store.abort_import(sum.id);
    } catch (const std::exception&) {
      // The next import finds this one failed (its process gone) and removes what it wrote.
    }
    throw;
  }
  rep.committed = true;
  rep.absent = std::move(sum.absent);

  if (!rejects.empty()) {
    bool json = raw_kind == "json";
    rep.rejects_path = !opt.rejects_path.empty()
                           ? opt.rejects_path
                           : opt.source.path + (json ? ".rejects.json" : ".rejects.csv");
    std::ofstream out(rep.rejects_path, std::ios::binary);
    if (!out) throw Error("cannot write rejects file '" + rep.rejects_path + "'");
    if (json) {
      out << "[\n";
      for (std::size_t i = 0; i < rejects.size(); ++i) out << (i ? ",\n" : "") << rejects[i].raw;
      out << "\n]\n";
    } else {
      out << raw_header << "\n";
      for (const auto& r : rejects) out << r.raw << "\n";
    }
  }
  return rep;
}

}  // namespace hrtrack::ingest
