// `hrtrack` command line: each subcommand parses its options and calls one function of the
// layers below (store, ingest, export). No domain logic here.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/access_cmds.h"
#include "cli/serve.h"
#include "core/error.h"
#include "core/record_json.h"
#include "core/text.h"
#include "export/exporter.h"
#include "ingest/importer.h"
#include "ingest/vocab_loader.h"
#include "store/store.h"

using namespace hrtrack;
using nlohmann::json;

namespace {

std::unique_ptr<Store> open_db(const std::string& path) {
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  auto store = open_store(path);
  ingest::load_builtin_vocabularies(*store, "system");
  return store;
}

int run_import(const std::string& db, ingest::ImportOptions opt, bool quiet, long max_shown) {
  auto store = open_db(db);
  opt.progress = !quiet;
  auto rep = ingest::import_file(*store, opt);
  long shown = 0, errors = 0, warnings = 0;
  for (const auto& p : rep.problems) {
    (p.warning ? warnings : errors)++;
    if (max_shown <= 0 || shown < max_shown) {
      std::cerr << p.to_string() << "\n";
      ++shown;
    }
  }
  if (shown < static_cast<long>(rep.problems.size()))
    std::cerr << "... and " << rep.problems.size() - static_cast<std::size_t>(shown)
              << " more problems (show all with --max-problems 0)\n";
  if (!rep.committed) {
    // Nothing was written: no counts of new or changed records to give.
    std::cout << opt.source.path << ": " << rep.rows << " rows read, " << rep.duplicates
              << " duplicates in file, " << rep.rejected << " rejected\n";
    std::cerr << "nothing imported: " << errors << " problem" << (errors == 1 ? "" : "s")
              << " found. Fix the file, or import the valid rows with --skip-invalid\n";
    return 1;
  }
  std::cout << opt.source.path << ": " << rep.rows << " rows read, " << rep.new_count << " new, "
            << rep.changed << " changed, " << rep.unchanged << " unchanged, " << rep.duplicates
            << " duplicates in file, " << rep.rejected << " rejected\n";
  if (rep.kept > 0)
    std::cout << rep.kept << " matched records already held from a more authoritative source "
              << "(UHRI > OHCHR list > UPR Info) were kept as they are\n";
  if (!rep.new_terms.empty()) {
    std::cout << rep.new_terms.size() << " terms not in a vocabulary were added:\n";
    for (const auto& [v, t] : rep.new_terms) std::cout << "  " << v << ": " << t << "\n";
  }
  if (!rep.rejects_path.empty())
    std::cerr << rep.rejected << " rejected rows written to " << rep.rejects_path << "\n";
  return rep.rejected > 0 ? 1 : 0;
}

void print_counts(const Counts& c, bool as_json) {
  if (as_json) {
    json j;
    j["total"] = c.total;
    j["deleted"] = c.deleted;
    for (const auto& [dim, rows] : c.by) {
      json a = json::array();
      for (const auto& [v, n] : rows) a.push_back({{"value", v}, {"count", n}});
      j["by_" + dim] = a;
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "recommendations: " << c.total << " (" << c.deleted << " deleted, not counted)\n";
  for (const auto& [dim, rows] : c.by) {
    std::cout << "\nby " << dim << ":\n";
    for (const auto& [v, n] : rows) std::printf("  %8ld  %s\n", n, v.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hrtrack: track the follow-up of human rights recommendations"};
  app.require_subcommand(1);
  std::string db = "data/hrtrack.db";
  app.add_option("--db", db, "SQLite database file")->capture_default_str();

  // init
  auto* init = app.add_subcommand("init",
                                  "Create the database (or migrate it) and load the "
                                  "built-in vocabularies");

  // import
  auto* imp = app.add_subcommand("import", "Import recommendations from a file");
  ingest::ImportOptions iopt;
  bool quiet = false;
  long max_problems = 200;
  imp->add_option("--format,-f", iopt.source.format, "File format")
      ->required()
      ->check(CLI::IsMember(ingest::import_formats()));
  imp->add_option("file", iopt.source.path, "File to import")->required();
  imp->add_option("--mapping", iopt.source.mapping_path, "Column mapping file (csv, xlsx)");
  imp->add_flag("--skip-invalid", iopt.skip_invalid,
                "Import the valid rows and write rejected ones to a rejects file");
  imp->add_option("--rejects", iopt.rejects_path, "Where to write rejected rows");
  imp->add_option("--max-field-bytes", iopt.source.max_field_bytes, "Largest field accepted")
      ->capture_default_str();
  imp->add_option("--max-problems", max_problems, "Problems to print (0 = all)")
      ->capture_default_str();
  imp->add_option("--actor", iopt.actor, "Who is importing (for the change log)")
      ->capture_default_str();
  imp->add_flag("--quiet,-q", quiet, "No progress bar");

  // export
  auto* exp = app.add_subcommand("export", "Export recommendations (streamed, no row cap)");
  std::string eformat, eout;
  std::vector<std::string> where;
  exp->add_option("--format,-f", eformat, "csv, xlsx, json or uhri-json")
      ->required()
      ->check(CLI::IsMember(exporter::export_formats()));
  exp->add_option("--where,-w", where,
                  "Filter field=value (repeatable; kind, level, mechanism, state, response, "
                  "year, upr_cycle, upr_session, theme, person, sdg, issue, symbol; ranges A..B)");
  exp->add_option("--out,-o", eout, "Output file")->required();

  // stats
  auto* stats = app.add_subcommand("stats", "Counts by mechanism, State, response, theme, year");
  bool stats_json = false;
  int top = 15;
  std::vector<std::string> swhere;
  stats->add_flag("--json", stats_json, "Print JSON");
  stats->add_option("--top", top, "Rows per dimension (0 = all)")->capture_default_str();
  stats->add_option("--where,-w", swhere, "Filter field=value (as in export)");

  // vocab
  auto* vocab = app.add_subcommand("vocab", "Vocabularies: themes, affected persons, SDGs, issues");
  vocab->require_subcommand(1);
  auto* vimp = vocab->add_subcommand("import", "Import vocabulary files");
  std::string vkind, vfile, vdir;
  vimp->add_option("--kind", vkind, "Kind of file")->check(CLI::IsMember(ingest::vocab_kinds()));
  vimp->add_option("file", vfile, "Vocabulary CSV file");
  vimp->add_option("--dir", vdir, "Import every known vocabulary file in this folder");
  auto* vlist = vocab->add_subcommand("list", "List vocabularies, or the terms of one");
  std::string vname;
  vlist->add_option("name", vname, "Vocabulary name (or 'mechanisms', 'mappings', 'sessions')");

  // log
  auto* logc = app.add_subcommand("log", "The change log (append-only)");
  ChangeFilter cf;
  std::string log_format = "text";
  logc->add_option("--actor", cf.actor, "Only changes by this actor");
  logc->add_option("--entity", cf.entity, "recommendation, vocab_term, mechanism, import, ...");
  logc->add_option("--id", cf.entity_id, "Only changes of this entity id");
  logc->add_option("--field", cf.field, "Only changes of this field");
  logc->add_option("--since", cf.since, "From this time (ISO 8601)");
  logc->add_option("--until", cf.until, "Before this time (ISO 8601)");
  logc->add_option("--limit", cf.limit, "At most this many entries");
  logc->add_option("--format", log_format, "text or csv")->check(CLI::IsMember({"text", "csv"}));

  // delete / restore
  auto* del = app.add_subcommand("delete", "Soft-delete a recommendation (restorable)");
  auto* res = app.add_subcommand("restore", "Restore a soft-deleted recommendation");
  std::string uid, actor = "cli";
  for (auto* c : {del, res}) {
    c->add_option("uid", uid, "Recommendation id (R-...)")->required();
    c->add_option("--actor", actor, "Who (for the change log)")->capture_default_str();
  }

  // show
  auto* show = app.add_subcommand("show", "Print one recommendation as JSON");
  show->add_option("uid", uid, "Recommendation id (R-...)")->required();

  // serve
  auto* serve = app.add_subcommand("serve", "Serve the web portal and the JSON API");
  cli::ServeOptions sopt;
  cli::add_serve_options(*serve, sopt);

  // user, institution
  std::function<int()> action;
  cli::add_access_commands(app, db, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    if (action) {
      return action();
    } else if (*init) {
      auto store = open_db(db);
      std::cout << "database " << db << " ready (schema version " << store->schema_version()
                << ")\n";
    } else if (*imp) {
      return run_import(db, iopt, quiet, max_problems);
    } else if (*exp) {
      auto store = open_db(db);
      RecordFilter f;
      for (const auto& w : where) f.add(w);
      auto r = exporter::export_to_file(*store, eformat, f, eout);
      for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
      std::cout << r.rows << " recommendations written to " << eout << "\n";
    } else if (*stats) {
      auto store = open_db(db);
      RecordFilter f;
      for (const auto& w : swhere) f.add(w);
      print_counts(store->counts(f, top), stats_json);
    } else if (*vimp) {
      auto store = open_db(db);
      if (!vdir.empty()) {
        auto done = ingest::import_vocab_dir(*store, vdir, "cli");
        for (const auto& [k, p] : done) std::cout << k << ": " << p << "\n";
        if (done.empty()) std::cerr << "no known vocabulary files in " << vdir << "\n";
      } else if (!vfile.empty() && !vkind.empty()) {
        long n = ingest::import_vocab_file(*store, vkind, vfile, "cli");
        std::cout << vkind << ": " << n << " rows read from " << vfile << "\n";
      } else {
        throw InvalidArgument("give --kind KIND FILE, or --dir FOLDER");
      }
    } else if (*vlist) {
      auto store = open_db(db);
      if (vname.empty()) {
        for (const auto& v : store->vocabularies(false))
          std::printf("%-22s %-10s %6zu terms  %s\n", v.name.c_str(), v.version.c_str(),
                      v.terms.size(), v.title.c_str());
        std::printf("%-22s %-10s %6zu\n", "mechanisms", "built-in", store->mechanisms().size());
      } else if (vname == "mechanisms") {
        for (const auto& m : store->mechanisms())
          std::printf("%-24s %-14s %-20s %s\n", m.code.c_str(), m.level.c_str(), m.type.c_str(),
                      m.name.c_str());
      } else if (vname == "mappings") {
        for (const auto& m : store->mappings())
          std::cout << m.from_vocab << ":" << m.from_code << " -> " << m.to_vocab << ":"
                    << m.to_code << "\n";
      } else if (vname == "sessions") {
        for (const auto& s : store->upr_sessions())
          std::printf("%3d  cycle %d  %s .. %s\n", s.session, s.cycle, s.start_date.c_str(),
                      s.end_date.c_str());
      } else {
        auto v = store->vocabulary(vname);
        if (!v) throw NotFound("no vocabulary named '" + vname + "' (see `hrtrack vocab list`)");
        std::cout << v->name << " " << v->version << ": " << v->title << "\n";
        for (const auto& t : v->terms)
          std::cout << (t.parent_code.empty() ? "" : "  ") << t.code
                    << (t.label != t.code ? "  " + t.label : "")
                    << (t.added_by_import
                            ? "  [found in import " + std::to_string(t.added_by_import) + "]"
                            : "")
                    << "\n";
      }
    } else if (*logc) {
      auto store = open_db(db);
      if (log_format == "csv")
        std::cout << "id,at,actor,entity,entity_id,field,before,after,import_id\r\n";
      store->for_each_change(cf, [&](const ChangeEntry& e) {
        if (log_format == "csv") {
          std::cout << e.id << "," << e.at << "," << csv_quote(e.actor) << "," << e.entity << ","
                    << csv_quote(e.entity_id) << "," << csv_quote(e.field) << ","
                    << csv_quote(e.before.value_or("")) << "," << csv_quote(e.after.value_or(""))
                    << "," << e.import_id << "\r\n";
        } else {
          std::cout << e.at << "  " << e.actor << "  " << e.entity << " " << e.entity_id << "  "
                    << e.field << ": " << shorten_for_display(e.before.value_or("-"), 80) << " -> "
                    << shorten_for_display(e.after.value_or("-"), 80) << "\n";
        }
      });
    } else if (*del || *res) {
      auto store = open_db(db);
      if (*del)
        store->soft_delete(uid, actor);
      else
        store->restore(uid, actor);
      std::cout << uid << (*del ? " deleted" : " restored") << "\n";
    } else if (*serve) {
      open_db(db);  // creates or migrates it and loads the built-in vocabularies
      return cli::run_serve(db, sopt);
    } else if (*show) {
      auto store = open_db(db);
      auto r = store->get(uid);
      if (!r) throw NotFound("no recommendation with id " + uid);
      std::cout << to_json(*r).dump(2) << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "hrtrack: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
