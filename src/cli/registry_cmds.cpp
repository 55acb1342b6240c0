// The registry's commands: init, import, export, stats, vocab, log, show, delete, restore.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "core/filters.h"
#include "core/record_json.h"
#include "core/text.h"
#include "export/exporter.h"
#include "ingest/concepts.h"
#include "ingest/importer.h"
#include "ingest/vocab_loader.h"

namespace hrtrack::cli {

using nlohmann::json;

std::unique_ptr<Store> open_db(const std::string& path) {
  check_store_address(path);  // before a folder is made for it
  auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir);
  auto store = open_store(path);
  ingest::load_builtin_vocabularies(*store, "system");
  return store;
}

namespace {

// The --where help: the filters of core/filters.h the stored records have.
std::string where_help() {
  std::string names;
  for (const auto& f : filter_fields())
    if (f.scope != FilterScope::Api) {
      names += (names.empty() ? "" : ", ") + f.name;
      for (const auto& a : f.aliases) names += " (or " + a + ")";
    }
  return "Filter field=value, repeatable (the search API's names, docs/search.md): " + names +
         "; numbers take ranges A..B, A.., ..B";
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
    if (rep.incomplete)
      std::cerr << "nothing imported: the file could not be read to its end (see above), so "
                   "its rows are not all known. Fix or replace the file; --skip-invalid "
                   "imports the valid rows of a file read whole\n";
    else
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
  if (!rep.absent.empty()) {
    std::cout << rep.absent.size() << " record" << (rep.absent.size() == 1 ? "" : "s")
              << " of the previous import of " << opt.source.format << " '" << rep.previous_file
              << "' (import " << rep.previous_import << ", " << rep.scope << ") "
              << (rep.absent.size() == 1 ? "is" : "are")
              << " absent from this file: withdrawn or renumbered? Kept, not deleted:\n";
    long listed = 0;
    for (const auto& a : rep.absent) {
      if (max_shown > 0 && listed++ >= max_shown) {
        std::cout << "  ... and " << rep.absent.size() - static_cast<std::size_t>(max_shown)
                  << " more (all with --max-problems 0)\n";
        break;
      }
      std::cout << "  " << a.uid << "  " << (a.symbol.empty() ? "-" : a.symbol) << "  "
                << (a.paragraph.empty() ? "-" : a.paragraph) << "\n";
    }
    if (rep.rejected > 0)
      std::cout << "  (" << rep.rejected << " rows of this file were rejected: records they "
                << "would have matched are among these)\n";
  }
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

void print_vocabulary(Store& store, const std::string& name) {
  if (name.empty()) {
    for (const auto& v : store.vocabularies(false))
      std::printf("%-22s %-10s %6zu terms  %s\n", v.name.c_str(), v.version.c_str(), v.terms.size(),
                  v.title.c_str());
    std::printf("%-22s %-10s %6zu\n", "mechanisms", "built-in", store.mechanisms().size());
  } else if (name == "mechanisms") {
    for (const auto& m : store.mechanisms())
      std::printf("%-24s %-14s %-20s %s\n", m.code.c_str(), m.level.c_str(), m.type.c_str(),
                  m.name.c_str());
  } else if (name == "mappings") {
    for (const auto& m : store.mappings())
      std::cout << m.from_vocab << ":" << m.from_code << " -> " << m.to_vocab << ":" << m.to_code
                << "\n";
  } else if (name == "sessions") {
    for (const auto& s : store.upr_sessions())
      std::printf("%3d  cycle %d  %s .. %s\n", s.session, s.cycle, s.start_date.c_str(),
                  s.end_date.c_str());
  } else {
    auto v = store.vocabulary(name);
    if (!v) throw NotFound("no vocabulary named '" + name + "' (see `hrtrack vocab list`)");
    std::cout << v->name << " " << v->version << ": " << v->title << "\n";
    for (const auto& t : v->terms)
      std::cout << (t.parent_code.empty() ? "" : "  ") << t.code
                << (t.label != t.code ? "  " + t.label : "")
                << (t.added_by_import
                        ? "  [found in import " + std::to_string(t.added_by_import) + "]"
                        : "")
                << "\n";
  }
}

void print_log(Store& store, const ChangeFilter& filter, bool csv) {
  if (csv) std::cout << "id,at,actor,entity,entity_id,field,before,after,import_id\r\n";
  store.for_each_change(filter, [&](const ChangeEntry& e) {
    if (csv) {
      std::cout << e.id << "," << e.at << "," << csv_quote(e.actor) << "," << e.entity << ","
                << csv_quote(e.entity_id) << "," << csv_quote(e.field) << ","
                << csv_quote(e.before.value_or("")) << "," << csv_quote(e.after.value_or("")) << ","
                << e.import_id << "\r\n";
    } else {
      std::cout << e.at << "  " << e.actor << "  " << e.entity << " " << e.entity_id << "  "
                << e.field << ": " << shorten_for_display(e.before.value_or("-"), 80) << " -> "
                << shorten_for_display(e.after.value_or("-"), 80) << "\n";
    }
  });
}

}  // namespace

void add_registry_commands(CLI::App& app, Context& ctx) {
  app.add_subcommand("init",
                     "Create the database (or migrate it) and load the built-in vocabularies")
      ->callback([&ctx] {
        ctx.action = [&ctx] {
          auto store = open_db(ctx.db);
          std::cout << "database " << ctx.db << " ready (schema version " << store->schema_version()
                    << ")\n";
          return 0;
        };
      });

  struct ImportOpts {
    ingest::ImportOptions opt;
    bool quiet = false;
    long max_problems = 200;
  };
  auto io = std::make_shared<ImportOpts>();
  auto* imp = app.add_subcommand("import", "Import recommendations from a file");
  imp->add_option("--format,-f", io->opt.source.format, "File format")
      ->required()
      ->check(CLI::IsMember(ingest::import_formats()));
  imp->add_option("file", io->opt.source.path, "File to import")->required();
  imp->add_option("--mapping", io->opt.source.mapping_path, "Column mapping file (csv, xlsx)");
  imp->add_flag("--skip-invalid", io->opt.skip_invalid,
                "Import the valid rows and write rejected ones to a rejects file");
  imp->add_option("--rejects", io->opt.rejects_path, "Where to write rejected rows");
  imp->add_option("--max-field-bytes", io->opt.source.max_field_bytes, "Largest field accepted")
      ->capture_default_str();
  imp->add_option("--max-problems", io->max_problems, "Problems to print (0 = all)")
      ->capture_default_str();
  imp->add_option("--actor", io->opt.actor, "Who is importing (for the change log)")
      ->capture_default_str();
  imp->add_flag("--quiet,-q", io->quiet, "No progress bar");
  imp->callback([&ctx, io] {
    ctx.action = [&ctx, io] { return run_import(ctx.db, io->opt, io->quiet, io->max_problems); };
  });

  struct ExportOpts {
    std::string format, out;
    std::vector<std::string> where;
    exporter::ExportOptions opt;
  };
  auto eo = std::make_shared<ExportOpts>();
  auto* exp = app.add_subcommand("export", "Export recommendations (streamed, no row cap)");
  exp->add_option("--format,-f", eo->format, "csv, xlsx, json or uhri-json")
      ->required()
      ->check(CLI::IsMember(exporter::export_formats()));
  exp->add_option("--where,-w", eo->where, where_help());
  exp->add_option("--out,-o", eo->out, "Output file")->required();
  exp->add_flag("--bom", eo->opt.bom,
                "csv only: start with a UTF-8 byte-order mark, so that Excel reads the file as "
                "UTF-8");
  exp->callback([&ctx, eo] {
    ctx.action = [&ctx, eo] {
      auto store = open_db(ctx.db);
      RecordFilter f;
      for (const auto& w : eo->where) f.add(w);
      ingest::name_concepts(*store, f);
      auto r = exporter::export_to_file(*store, eo->format, f, eo->out, eo->opt);
      for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
      std::cout << r.rows << " recommendations written to " << eo->out << "\n";
      return 0;
    };
  });

  struct StatsOpts {
    bool json = false;
    int top = 15;
    std::vector<std::string> where;
  };
  auto so = std::make_shared<StatsOpts>();
  auto* stats = app.add_subcommand("stats", "Counts by mechanism, State, response, theme, year");
  stats->add_flag("--json", so->json, "Print JSON");
  stats->add_option("--top", so->top, "Rows per dimension (0 = all)")->capture_default_str();
  stats->add_option("--where,-w", so->where, where_help());
  stats->callback([&ctx, so] {
    ctx.action = [&ctx, so] {
      auto store = open_db(ctx.db);
      RecordFilter f;
      for (const auto& w : so->where) f.add(w);
      ingest::name_concepts(*store, f);
      print_counts(store->counts(f, so->top), so->json);
      return 0;
    };
  });

  struct VocabOpts {
    std::string kind, file, dir, name;
  };
  auto vo = std::make_shared<VocabOpts>();
  auto* vocab = app.add_subcommand("vocab", "Vocabularies: themes, affected persons, SDGs, issues");
  vocab->require_subcommand(1);
  auto* vimp = vocab->add_subcommand("import", "Import vocabulary files");
  vimp->add_option("--kind", vo->kind, "Kind of file")->check(CLI::IsMember(ingest::vocab_kinds()));
  vimp->add_option("file", vo->file, "Vocabulary CSV file");
  vimp->add_option("--dir", vo->dir, "Import every known vocabulary file in this folder");
  vimp->callback([&ctx, vo] {
    ctx.action = [&ctx, vo] {
      auto store = open_db(ctx.db);
      if (!vo->dir.empty()) {
        auto done = ingest::import_vocab_dir(*store, vo->dir, "cli");
        for (const auto& [k, p] : done) std::cout << k << ": " << p << "\n";
        if (done.empty()) std::cerr << "no known vocabulary files in " << vo->dir << "\n";
      } else if (!vo->file.empty() && !vo->kind.empty()) {
        long n = ingest::import_vocab_file(*store, vo->kind, vo->file, "cli");
        std::cout << vo->kind << ": " << n << " rows read from " << vo->file << "\n";
      } else {
        throw InvalidArgument("give --kind KIND FILE, or --dir FOLDER");
      }
      return 0;
    };
  });
  auto* vlist = vocab->add_subcommand("list", "List vocabularies, or the terms of one");
  vlist->add_option("name", vo->name, "Vocabulary name (or 'mechanisms', 'mappings', 'sessions')");
  vlist->callback([&ctx, vo] {
    ctx.action = [&ctx, vo] {
      auto store = open_db(ctx.db);
      print_vocabulary(*store, vo->name);
      return 0;
    };
  });

  struct LogOpts {
    ChangeFilter filter;
    std::string format = "text";
  };
  auto lo = std::make_shared<LogOpts>();
  auto* logc = app.add_subcommand("log", "The change log (append-only)");
  logc->add_option("--actor", lo->filter.actor, "Only changes by this actor");
  logc->add_option("--entity", lo->filter.entity,
                   "recommendation, vocab_term, mechanism, import, ...");
  logc->add_option("--id", lo->filter.entity_id, "Only changes of this entity id");
  logc->add_option("--field", lo->filter.field, "Only changes of this field");
  logc->add_option("--since", lo->filter.since, "From this time (ISO 8601)");
  logc->add_option("--until", lo->filter.until, "Before this time (ISO 8601)");
  logc->add_option("--limit", lo->filter.limit, "At most this many entries");
  logc->add_option("--format", lo->format, "text or csv")->check(CLI::IsMember({"text", "csv"}));
  logc->callback([&ctx, lo] {
    ctx.action = [&ctx, lo] {
      auto store = open_db(ctx.db);
      print_log(*store, lo->filter, lo->format == "csv");
      return 0;
    };
  });

  struct RecordOpts {
    std::string uid, actor = "cli";
  };
  auto ro = std::make_shared<RecordOpts>();
  auto* del = app.add_subcommand("delete", "Soft-delete a recommendation (restorable)");
  auto* res = app.add_subcommand("restore", "Restore a soft-deleted recommendation");
  for (auto* c : {del, res}) {
    bool deleting = c == del;
    c->add_option("uid", ro->uid, "Recommendation id (R-...)")->required();
    c->add_option("--actor", ro->actor, "Who (for the change log)")->capture_default_str();
    c->callback([&ctx, ro, deleting] {
      ctx.action = [&ctx, ro, deleting] {
        auto store = open_db(ctx.db);
        if (deleting)
          store->soft_delete(ro->uid, ro->actor);
        else
          store->restore(ro->uid, ro->actor);
        std::cout << ro->uid << (deleting ? " deleted" : " restored") << "\n";
        return 0;
      };
    });
  }
  auto* show = app.add_subcommand("show", "Print one recommendation as JSON");
  show->add_option("uid", ro->uid, "Recommendation id (R-...)")->required();
  show->callback([&ctx, ro] {
    ctx.action = [&ctx, ro] {
      auto store = open_db(ctx.db);
      auto r = store->get(ro->uid);
      if (!r) throw NotFound("no recommendation with id " + ro->uid);
      std::cout << to_json(*r).dump(2) << "\n";
      return 0;
    };
  });
}

}  // namespace hrtrack::cli
