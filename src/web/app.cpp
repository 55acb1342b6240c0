#include "web/app.h"

#include <map>
#include <unordered_map>

#include "web/routes.h"

namespace hrtrack::web {

std::shared_ptr<const Catalogues> load_catalogues(const Assets& assets) {
  std::map<std::string, std::string> json_by_lang;
  for (const auto& l : languages())
    if (auto f = assets.find("i18n/" + l.code + ".json")) json_by_lang[l.code] = *f;
  return std::make_shared<const Catalogues>(Catalogues::parse(json_by_lang));
}

App::App(AppOptions opt) : opt_(std::move(opt)), assets_(opt_.assets_dir), holder_(opt_.db_path) {
  catalogues_ = load_catalogues(assets_);
  routes_ = route_table();
}

Store& App::store() {
  // One connection per worker thread and database (a Store is single-threaded).
  thread_local std::unordered_map<std::string, std::unique_ptr<Store>> stores;
  auto& s = stores[opt_.db_path];
  // A request waits at most a few seconds for another writer (then 503, Retry-After).
  if (!s) s = open_store(opt_.db_path, StoreOptions{5000});
  return *s;
}

std::shared_ptr<const Catalogues> App::catalogues() {
  if (assets_.from_disk()) return load_catalogues(assets_);
  return catalogues_;
}

bool App::try_start_export() {
  std::lock_guard<std::mutex> lock(mu_);
  if (exports_running_ >= opt_.max_concurrent_exports) return false;
  ++exports_running_;
  return true;
}

void App::end_export() {
  std::lock_guard<std::mutex> lock(mu_);
  --exports_running_;
}

}  // namespace hrtrack::web
