#include "cli/serve.h"

#include "cli/commands.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "followup/evidence.h"
#include "web/server.h"

namespace hrtrack::cli {

void add_serve_options(CLI::App& cmd, ServeOptions& opt) {
  cmd.add_option("--host", opt.host, "Address to listen on")->capture_default_str();
  cmd.add_option("--port", opt.port, "Port (0 = any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  cmd.add_option("--threads", opt.threads, "Worker threads (0 = default)")
      ->check(CLI::Range(0, 1024));
  cmd.add_flag("--access-log", opt.access_log, "Log every request");
  cmd.add_option("--evidence-dir", opt.evidence_dir,
                 "Where evidence files are kept (default: the database file's name + -evidence; "
                 "a folder all app nodes share)");
  cmd.add_flag("--secure-cookies", opt.secure_cookies,
               "Mark cookies Secure (when a TLS proxy serves the portal over https)");
  cmd.add_flag("--trust-proxy", opt.trust_proxy,
               "Behind a reverse proxy: take the client address from X-Forwarded-For and https "
               "from X-Forwarded-Proto");
}

int run_serve(const std::string& db, const ServeOptions& opt) {
  // SIGINT and SIGTERM are taken synchronously by this thread (sigwait), so the server stops
  // cleanly instead of dying mid-response; the worker threads inherit the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  web::ServerOptions so;
  so.app = web::sqlite_app_options(db);
  if (!opt.evidence_dir.empty()) so.app.evidence = followup::evidence_folder(opt.evidence_dir);
  so.host = opt.host;
  so.port = opt.port;
  so.threads = opt.threads;
  so.access_log = opt.access_log;
  so.secure_cookies = opt.secure_cookies;
  so.trust_proxy = opt.trust_proxy;
  if (const char* dir = std::getenv("HRTRACK_ASSETS_DIR"); dir && *dir) so.app.assets_dir = dir;
  web::Server server(so);
  int port = server.start();
  std::string host = opt.host.find(':') != std::string::npos ? "[" + opt.host + "]" : opt.host;
  std::cout << "hrtrack serving http://" << host << ":" << port << "/" << std::endl;
  if (!so.app.assets_dir.empty())
    std::cout << "assets read from " << so.app.assets_dir << " on every request" << std::endl;

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cout << "stopping (" << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ")" << std::endl;
  server.stop();
  server.wait();
  return 0;
}

void add_serve_command(CLI::App& app, Context& ctx) {
  auto opt = std::make_shared<ServeOptions>();
  auto* serve = app.add_subcommand("serve", "Serve the web portal and the JSON API");
  add_serve_options(*serve, *opt);
  serve->callback([&ctx, opt] {
    ctx.action = [&ctx, opt] {
      open_db(ctx.db);  // creates or migrates it and loads the built-in vocabularies
      return run_serve(ctx.db, *opt);
    };
  });
}

}  // namespace hrtrack::cli
