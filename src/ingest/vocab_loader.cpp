#include "ingest/vocab_loader.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include <unistd.h>

#include "core/error.h"
#include "core/text.h"
#include "ingest/concepts.h"
#include "ingest/source.h"
#include "read/table.h"

namespace hrtrack::embedded::vocab {
const std::map<std::string, std::string_view>& files();
}

namespace hrtrack::ingest {

using namespace hrtrack::read;
namespace {

// Reads a whole (small) CSV into header-keyed rows; problems become an InvalidArgument.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string file;
  int col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (iequals(trim(header[i]), name)) return static_cast<int>(i);
    throw InvalidArgument(file + ": missing required column '" + name + "'");
  }
  std::string at(const std::vector<std::string>& r, int c) const {
    return c >= 0 && c < static_cast<int>(r.size())
               ? std::string(trim(r[static_cast<std::size_t>(c)]))
               : std::string();
  }
};

Csv read_csv_file(const std::string& path) {
  std::vector<Problem> problems;
  auto t = open_csv(path, problems);
  Csv c;
  c.file = std::filesystem::path(path).filename();
  c.header = t->header();
  Row row;
  while (t->next(row)) c.rows.push_back(row.cells);
  if (!problems.empty()) throw InvalidArgument(problems.front().to_string());
  return c;
}

Csv read_embedded(const std::string& name) {
  const auto& files = embedded::vocab::files();
  auto it = files.find(name);
  if (it == files.end()) throw Error("built-in vocabulary file missing: " + name);
  std::vector<Problem> problems;
  auto t = open_csv_text(std::string(it->second), name, problems);
  Csv c;
  c.header = t->header();
  Row row;
  while (t->next(row)) c.rows.push_back(row.cells);
  if (!problems.empty()) throw InvalidArgument(problems.front().to_string());
  c.file = name;
  return c;
}

void put_sdg_goals(Store& store, const Csv& c, const std::string& actor) {
  Vocabulary v{"sdg", "2015", "Sustainable Development Goals and targets", c.file, {}};
  int goal = c.col("goal");
  int title = c.col("short_title");
  for (const auto& r : c.rows) {
    VocabTerm t;
    t.code = c.at(r, goal);
    t.label = c.at(r, title);
    t.is_group = true;
    v.terms.push_back(t);
  }
  store.put_vocabulary(v, actor);
}

// The UPR calendar: one row per session held, with its cycle and dates (YYYY-MM-DD).
void put_upr_sessions_from(Store& store, const Csv& c, const std::string& actor) {
  std::vector<UprSession> ss;
  int s = c.col("session"), cy = c.col("cycle"), st = c.col("start_date"), en = c.col("end_date");
  if (s < 0 || cy < 0 || st < 0 || en < 0)
    throw InvalidArgument(c.file + ": the columns are session, cycle, start_date, end_date");
  long line = 1;
  for (const auto& r : c.rows) {
    ++line;
    auto where = c.file + " line " + std::to_string(line) + ": ";
    auto sn = parse_int(c.at(r, s)), cn = parse_int(c.at(r, cy));
    if (!sn || !cn || *sn <= 0 || *cn <= 0)
      throw InvalidArgument(where + "session and cycle must be positive numbers");
    auto start = c.at(r, st), end = c.at(r, en);
    if (!is_iso_date(start) || !is_iso_date(end) || end < start)
      throw InvalidArgument(where +
                            "start_date and end_date must be dates (YYYY-MM-DD), the end "
                            "not before the start");
    ss.push_back({static_cast<int>(*sn), static_cast<int>(*cn), start, end});
  }
  store.put_upr_sessions(ss, actor);
}

void put_mappings_from(Store& store, const Csv& c, const std::string& from_vocab,
                       const std::string& actor) {
  auto from_v = store.vocabulary(from_vocab);
  auto to_v = store.vocabulary("uhri-themes");
  std::vector<VocabMapping> maps;
  int fc = c.col("from_code"), tl = c.col("to_label");
  for (const auto& r : c.rows)
    maps.push_back({from_vocab, from_v ? from_v->version : "found", c.at(r, fc), "uhri-themes",
                    to_v ? to_v->version : "found", c.at(r, tl)});
  store.put_mappings(maps, actor);
}

}  // namespace

void load_builtin_vocabularies(Store& store, const std::string& actor) {
  auto txn = store.begin();
  auto before = store.data_version();
  Csv m = read_embedded("mechanisms.csv");
  std::vector<Mechanism> mechs;
  int code = m.col("code"), parent = m.col("parent"), level = m.col("level"), type = m.col("type"),
      name = m.col("name"), pre = m.col("symbol_prefixes"), al = m.col("aliases");
  for (const auto& r : m.rows)
    mechs.push_back({m.at(r, code), m.at(r, parent), m.at(r, level), m.at(r, type), m.at(r, name),
                     split_trim(m.at(r, pre), "|"), split_trim(m.at(r, al), "|")});
  store.put_mechanisms(mechs, actor);
  put_sdg_goals(store, read_embedded("sdg_goals.csv"), actor);
  put_upr_sessions_from(store, read_embedded("upr_sessions.csv"), actor);
  // The labels' concepts: on a new (or upgraded) database, and when the built-in data changed.
  if (store.data_version() != before || store.label_concepts().empty())
    refresh_label_concepts(store);
  txn->commit();
}

const std::vector<std::string>& vocab_kinds() {
  static const std::vector<std::string> k = {"uhri-themes", "uhri-persons", "uhri-themes-legacy",
                                             "sdg-goals",   "sdg-targets",  "uprinfo-issues",
                                             "upr-sessions"};
  return k;
}

namespace {

long put_vocab_file(Store& store, const std::string& kind, const std::string& path,
                    const std::string& actor) {
  Csv c = read_csv_file(path);
  long n = static_cast<long>(c.rows.size());
  auto simple = [&](const std::string& name, const std::string& version, const std::string& title,
                    const std::string& column) {
    Vocabulary v{name, version, title, c.file, {}};
    int col = c.col(column);
    for (const auto& r : c.rows) {
      VocabTerm t;
      t.code = t.label = c.at(r, col);
      if (!t.code.empty()) v.terms.push_back(t);
    }
    store.put_vocabulary(v, actor);
  };
  // A version in the file name ("..._2026-02.csv") names the vocabulary version.
  std::smatch vm;
  std::string fname = c.file;
  std::string version =
      std::regex_search(fname, vm, std::regex(R"((\d{4}-\d{2}))")) ? vm[1].str() : "1";
  if (kind == "uhri-themes") {
    simple("uhri-themes", version, "UHRI themes", "theme");
  } else if (kind == "uhri-persons") {
    simple("uhri-persons", version, "UHRI affected persons", "affected_person");
  } else if (kind == "uhri-themes-legacy") {
    Vocabulary v{"uhri-themes-legacy", "pre-2019", "UHRI coded themes (before 2019)", c.file, {}};
    int code = c.col("code"), letter = c.col("code_letter"), label = c.col("label");
    std::map<std::string, bool> groups;
    for (const auto& r : c.rows) {
      if (c.at(r, code).empty()) continue;  // legacy lower-case affected persons: not themes
      groups[c.at(r, letter)] = true;
    }
    for (const auto& [g, _] : groups) v.terms.push_back({g, "", "Group " + g, {}, true, 0});
    for (const auto& r : c.rows)
      if (!c.at(r, code).empty())
        v.terms.push_back({c.at(r, code), c.at(r, letter), c.at(r, label), {}, false, 0});
    store.put_vocabulary(v, actor);
  } else if (kind == "sdg-goals") {
    put_sdg_goals(store, c, actor);
  } else if (kind == "sdg-targets") {
    Vocabulary v{"sdg", "2015", "Sustainable Development Goals and targets", c.file, {}};
    int target = c.col("target"), goal = c.col("goal"), title = c.col("title");
    for (const auto& r : c.rows)
      v.terms.push_back({c.at(r, target), c.at(r, goal), c.at(r, title), {}, false, 0});
    store.put_vocabulary(v, actor);
  } else if (kind == "uprinfo-issues") {
    simple("uprinfo-issues", "2008", "UPR Info issues", "issue");
  } else if (kind == "upr-sessions") {
    put_upr_sessions_from(store, c, actor);
  } else {
    throw InvalidArgument("unknown vocabulary kind '" + kind + "'; use one of " +
                          join(vocab_kinds(), ", "));
  }
  return n;
}

}  // namespace

long import_vocab_file(Store& store, const std::string& kind, const std::string& path,
                       const std::string& actor) {
  auto txn = store.begin();
  long n = put_vocab_file(store, kind, path, actor);
  refresh_label_concepts(store);
  txn->commit();
  return n;
}

std::vector<std::pair<std::string, std::string>> import_vocab_dir(Store& store,
                                                                  const std::string& dir,
                                                                  const std::string& actor) {
  static const std::pair<const char*, const char*> known[] = {
      {"uhri_themes_with_counts_2026-02.csv", "uhri-themes"},
      {"uhri_affected_persons_partial.csv", "uhri-persons"},
      {"uhri_legacy_coded_themes_partial_from_slovenia_cycle2.csv", "uhri-themes-legacy"},
      {"sdg_goals_opensdg.csv", "sdg-goals"},
      {"sdg_targets_opensdg.csv", "sdg-targets"},
      {"uprinfo_issue_list_derived_terman.csv", "uprinfo-issues"},
      {"upr_sessions_01-20.csv", "upr-sessions"},
  };
  std::vector<std::pair<std::string, std::string>> done;
  auto txn = store.begin();
  for (auto [file, kind] : known) {
    auto p = std::filesystem::path(dir) / file;
    if (!std::filesystem::exists(p)) continue;
    put_vocab_file(store, kind, p.string(), actor);
    done.emplace_back(kind, p.string());
  }
  put_mappings_from(store, read_embedded("map_uhri-legacy_to_uhri-themes.csv"),
                    "uhri-themes-legacy", actor);
  put_mappings_from(store, read_embedded("map_uprinfo-issues_to_uhri-themes.csv"), "uprinfo-issues",
                    actor);
  refresh_label_concepts(store);
  txn->commit();
  return done;
}

}  // namespace hrtrack::ingest
