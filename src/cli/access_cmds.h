// `hrtrack user ...` and `hrtrack institution ...`: parse options, call access/directory.h and
// access/auth.h as the command-line principal (access::system_principal()), print the result.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace hrtrack::cli {

// Registers the subcommands on `app`. When one of them is chosen, parsing sets `action` to the
// work to do (main runs it inside its error handling); `db` is read when it runs.
void add_access_commands(CLI::App& app, const std::string& db, std::function<int()>& action);

}  // namespace hrtrack::cli
