// `hrtrack serve`: the web portal and JSON API (src/web) on one port.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace hrtrack::cli {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 0;
  bool access_log = false;
  bool secure_cookies = false;
  bool trust_proxy = false;
  std::string evidence_dir;  // "" = <db>-evidence
};

// Adds serve's options to its subcommand.
void add_serve_options(CLI::App& cmd, ServeOptions& opt);

// Serves `db` until SIGINT or SIGTERM; returns the exit status. HRTRACK_ASSETS_DIR, if set,
// points at src/web/assets so templates, CSS and catalogues are re-read on every request.
int run_serve(const std::string& db, const ServeOptions& opt);

}  // namespace hrtrack::cli
