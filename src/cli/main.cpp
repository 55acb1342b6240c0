// `hrtrack`: the command line. Each area registers its subcommands (cli/commands.h); the chosen
// one's work runs here, inside the one error handler of the command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace hrtrack;
  CLI::App app{"hrtrack: track the follow-up of human rights recommendations"};
  app.require_subcommand(1);
  cli::Context ctx;
  app.add_option("--db", ctx.db, "SQLite database file")->capture_default_str();
  cli::add_registry_commands(app, ctx);
  cli::add_serve_command(app, ctx);
  cli::add_user_commands(app, ctx);
  cli::add_institution_commands(app, ctx);
  cli::add_reminder_command(app, ctx);
  cli::add_policy_commands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return ctx.action ? ctx.action() : 0;
  } catch (const std::exception& e) {
    std::cerr << "hrtrack: error: " << e.what() << "\n";
    return 2;
  }
}
