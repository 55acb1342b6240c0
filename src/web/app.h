// What every handler shares: the search index (kept current), one Store per worker thread, the
// assets and the message catalogues. The Server owns one App; handlers reach it via Request::app.
//
// Thread safety: every member function may be called from any worker thread.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "followup/evidence.h"
#include "search/search.h"
#include "store/store.h"
#include "web/assets.h"
#include "web/http.h"
#include "web/i18n.h"

namespace hrtrack::web {

struct AppOptions {
  // Opens a connection to the database (one per worker thread, one for the index); any engine.
  std::function<std::unique_ptr<Store>()> open_store;
  // Where evidence files are kept (followup/evidence.h).
  std::shared_ptr<followup::EvidenceFiles> evidence;
  std::string assets_dir;  // "" = compiled-in assets (HRTRACK_ASSETS_DIR sets it)
  int max_concurrent_exports = 2;
};

// The options of an app on an SQLite file: its connections and the evidence folder next to it
// ("<path>-evidence").
AppOptions sqlite_app_options(const std::string& path);

class App {
 public:
  explicit App(AppOptions opt);

  const AppOptions& options() const { return opt_; }
  // The index for this thread's request: the current one (rebuilt in the background when the
  // store changes, search::IndexHolder), or, when the request's user has just changed something,
  // one that holds that change. Hold the pointer for the whole request.
  std::shared_ptr<const search::Index> index();
  // Called by dispatch: a request of `user_id` (0: anonymous) begins on this thread; a write of
  // theirs succeeded (their next requests see an index with it; the holder looks at once).
  void begin_request(std::int64_t user_id);
  void after_write(std::int64_t user_id);
  // This thread's Store, opened on first use. Never share it with another thread.
  Store& store();
  followup::EvidenceFiles& evidence() { return *opt_.evidence; }
  const Assets& assets() const { return assets_; }
  // The catalogues; re-read from disk on every call when assets come from a folder.
  std::shared_ptr<const Catalogues> catalogues();
  const std::vector<Route>& routes() const { return routes_; }

  // Exports are the only long requests: at most max_concurrent_exports at a time, so they
  // cannot take every worker. start_export() takes a slot, or returns nullptr when every slot
  // is taken. The slot is given back when the last copy of the pointer is gone: a streamed
  // export keeps one in its stream function, so the slot lasts until the body has been sent
  // (or the client has gone).
  std::shared_ptr<const void> start_export();
  int exports_running();

  // Random, drawn when the app starts: versions of data that are only counters (the store's
  // data_version) are told apart from those of another run or another database with it.
  const std::string& instance_id() const { return instance_id_; }

 private:
  AppOptions opt_;
  Assets assets_;
  search::IndexHolder holder_;
  std::mutex mu_;
  // user id -> the data version after their latest write: a short lock taken only for
  // signed-in users (public searches never touch it).
  std::mutex floors_mu_;
  std::map<std::int64_t, std::int64_t> floors_;
  std::shared_ptr<const Catalogues> catalogues_;
  std::vector<Route> routes_;
  int exports_running_ = 0;
  std::string instance_id_;
};

// Loads every i18n/{lang}.json catalogue from the assets.
std::shared_ptr<const Catalogues> load_catalogues(const Assets& assets);

}  // namespace hrtrack::web
