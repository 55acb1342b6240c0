#include "ingest/importer.h"

#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "core/record_json.h"
#include "core/text.h"

namespace hrtrack::ingest {

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
  TermChecker(Store& store, std::int64_t import_id, const std::string& actor,
              std::vector<std::pair<std::string, std::string>>& found)
      : store_(store), import_id_(import_id), actor_(actor), found_(found) {
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
    store_.add_found_term(vocab, version_[vocab], t, import_id_, actor_);
    found_.emplace_back(vocab, code == label ? code : code + " " + label);
  }

  Store& store_;
  std::int64_t import_id_;
  std::string actor_;
  std::vector<std::pair<std::string, std::string>>& found_;
  std::map<std::string, std::unordered_set<std::string>> known_;
  std::map<std::string, std::string> version_;
};

class Progress {
 public:
  explicit Progress(bool on) : on_(on && isatty(2)), start_(clock::now()), last_(start_) {}
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
    std::fprintf(stderr, "\r[%s] %3d%% %ld rows  %.0f rows/s  ETA %.0fs ", bar.c_str(),
                 static_cast<int>(frac * 100), rows, rate, eta);
    std::fflush(stderr);
  }
  void done() {
    if (on_) std::fprintf(stderr, "\n");
  }

 private:
  using clock = std::chrono::steady_clock;
  bool on_;
  clock::time_point start_, last_;
};

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

  auto source = open_source(opt.source, ctx, rep.problems);
  auto txn = store.begin();
  sum.id = rep.import_id = store.start_import(sum);
  TermChecker terms(store, sum.id, opt.actor, rep.new_terms);

  // In-file identity: dedupe key -> (content hash, first row, occurrences).
  struct Seen {
    std::string hash;
    long row;
    int count;
  };
  std::unordered_map<std::string, Seen> seen;
  std::vector<SourceItem> rejects;  // raw rejected rows only (small strings)
  Progress progress(opt.progress);

  source->each([&](SourceItem& item) {
    ++rep.rows;
    progress.update(rep.rows, source->bytes_read(), source->bytes_total());
    if (!item.ok) {
      ++rep.rejected;
      if (opt.skip_invalid) rejects.push_back({item.row, {}, false, std::move(item.raw)});
      return;
    }
    IdentityKeys keys = identity_keys(item.rec);
    std::string content = imported_json(item.rec);
    std::string hash = hash_hex(content);
    std::string dedupe = keys.ext.empty() ? keys.doc + "\n" + keys.txt : keys.ext;
    auto [it, fresh] = seen.try_emplace(dedupe, Seen{hash, item.row, 1});
    if (!fresh) {
      if (it->second.hash == hash) {
        ++rep.duplicates;
        rep.problems.push_back(
            {file, item.row, "", "",
             "exact duplicate of row " + std::to_string(it->second.row) + "; stored once", true});
        return;
      }
      if (!keys.ext.empty()) {
        rep.problems.push_back({file, item.row, "AnnotationId", item.rec.annotation_id,
                                "the same external id appears in row " +
                                    std::to_string(it->second.row) + " with different content",
                                false});
        ++rep.rejected;
        if (opt.skip_invalid) rejects.push_back({item.row, {}, false, std::move(item.raw)});
        return;
      }
      // Same State, session, recommending States and text, but other fields differ: two
      // records. The occurrence number keeps their identities apart and stable on re-import.
      int n = ++it->second.count;
      keys.txt += "#" + std::to_string(n);
      rep.problems.push_back({file, item.row, "", "",
                              "same identity as row " + std::to_string(it->second.row) +
                                  " (State, session, recommending State, text) but other fields "
                                  "differ; kept as a separate record",
                              true});
    }
    terms.check(item.rec);
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
  });
  progress.update(rep.rows, source->bytes_total(), source->bytes_total(), true);
  progress.done();

  // File-level problems (row 0 or header row 1 without a row of data) always stop the import.
  bool file_level = false;
  for (const auto& p : rep.problems)
    if (!p.warning && (p.row == 0 || (p.row == 1 && source->raw_kind() == "csv")))
      file_level = true;
  if (file_level || (rep.errors() > 0 && !opt.skip_invalid)) return rep;  // rolls back

  sum.finished_at = now_iso();
  sum.rows_read = rep.rows;
  sum.new_count = rep.new_count;
  sum.changed_count = rep.changed;
  sum.unchanged_count = rep.unchanged + rep.kept;
  sum.rejected_count = rep.rejected;
  sum.duplicate_count = rep.duplicates;
  store.finish_import(sum);
  txn->commit();
  rep.committed = true;

  if (!rejects.empty()) {
    bool json = source->raw_kind() == "json";
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
      out << source->raw_header() << "\n";
      for (const auto& r : rejects) out << r.raw << "\n";
    }
  }
  return rep;
}

}  // namespace hrtrack::ingest
