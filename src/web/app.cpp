#include "web/app.h"

#include <map>
#include <unordered_map>

#include "access/auth.h"
#include "core/error.h"
#include "web/routes.h"

namespace hrtrack::web {

std::shared_ptr<const Catalogues> load_catalogues(const Assets& assets) {
  std::map<std::string, std::string> json_by_lang;
  for (const auto& l : languages())
    if (auto f = assets.find("i18n/" + l.code + ".json")) json_by_lang[l.code] = *f;
  return std::make_shared<const Catalogues>(Catalogues::parse(json_by_lang));
}

AppOptions sqlite_app_options(const std::string& path) {
  AppOptions o;
  // A request waits up to 10 s for another writer (then 503, Retry-After): an import batch on a
  // loaded machine can hold the database for several seconds.
  o.open_store = [path] { return open_store(path, StoreOptions{10000}); };
  o.evidence = followup::evidence_folder(path + "-evidence");
  return o;
}

App::App(AppOptions opt)
    : opt_(std::move(opt)), assets_(opt_.assets_dir), holder_(opt_.open_store) {
  if (!opt_.open_store || !opt_.evidence)
    throw InvalidArgument("the app needs a way to open the store and an evidence folder");
  catalogues_ = load_catalogues(assets_);
  routes_ = route_table();
  instance_id_ = access::random_token(16);
}

Store& App::store() {
  // One connection per worker thread and app (a Store is single-threaded).
  thread_local std::unordered_map<const App*, std::unique_ptr<Store>> stores;
  auto& s = stores[this];
  if (!s) s = opt_.open_store();
  return *s;
}

std::shared_ptr<const Catalogues> App::catalogues() {
  if (assets_.from_disk()) return load_catalogues(assets_);
  return catalogues_;
}

std::shared_ptr<const void> App::start_export() {
  std::lock_guard<std::mutex> lock(mu_);
  if (exports_running_ >= opt_.max_concurrent_exports) return nullptr;
  ++exports_running_;
  // One allocation whose deleter gives the slot back: copies share it, the last one ends it.
  return std::shared_ptr<const void>(new char(0), [this](const void* p) {
    delete static_cast<const char*>(p);
    std::lock_guard<std::mutex> l(mu_);
    --exports_running_;
  });
}

int App::exports_running() {
  std::lock_guard<std::mutex> lock(mu_);
  return exports_running_;
}

namespace {
thread_local std::int64_t request_floor = 0;  // the data version this request must see
}

std::shared_ptr<const search::Index> App::index() {
  return request_floor ? holder_.at_least(request_floor) : holder_.current();
}

void App::begin_request(std::int64_t user_id) {
  request_floor = 0;
  if (!user_id) return;
  std::lock_guard<std::mutex> lk(floors_mu_);
  if (auto it = floors_.find(user_id); it != floors_.end()) request_floor = it->second;
}

void App::after_write(std::int64_t user_id) {
  holder_.changed();
  if (!user_id) return;
  auto v = store().data_version();
  std::lock_guard<std::mutex> lk(floors_mu_);
  auto& f = floors_[user_id];
  f = std::max(f, v);
}

}  // namespace hrtrack::web
