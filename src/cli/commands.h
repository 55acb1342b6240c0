// The `hrtrack` subcommands, grouped by area, all in one style: each registers its options on
// the CLI11 app, and when chosen its callback sets ctx.action to the work to do, which main runs
// inside the one error handler (a message and exit status 2). Commands only parse, call one
// function of the layers below and print: no domain logic here.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "store/store.h"

namespace hrtrack::cli {

struct Context {
  std::string db = "data/hrtrack.db";  // --db
  std::function<int()> action;         // set by the chosen subcommand's callback
};

// Opens (creating its folder, migrating it) the database and loads the built-in vocabularies.
std::unique_ptr<Store> open_db(const std::string& path);

// init, import, export, stats, vocab, log, show, delete, restore (registry_cmds.cpp)
void add_registry_commands(CLI::App& app, Context& ctx);
// user ..., institution ... (access_cmds.cpp)
void add_user_commands(CLI::App& app, Context& ctx);
void add_institution_commands(CLI::App& app, Context& ctx);
// reminders, policy ... (followup_cmds.cpp)
void add_reminder_command(CLI::App& app, Context& ctx);
void add_policy_commands(CLI::App& app, Context& ctx);
// serve (serve.cpp)
void add_serve_command(CLI::App& app, Context& ctx);

}  // namespace hrtrack::cli
