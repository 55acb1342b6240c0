#include "core/error.h"
#include "search/search.h"

namespace hrtrack::search {

IndexHolder::IndexHolder(StoreFactory open, Builder build, std::chrono::milliseconds poll)
    : open_(std::move(open)), build_(std::move(build)), poll_(poll) {}

IndexHolder::~IndexHolder() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  built_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void IndexHolder::start() {
  // With mu_ held.
  if (started_) return;
  started_ = true;
  thread_ = std::thread(&IndexHolder::run, this);
}

// The watcher: the only code that asks the store for its version or builds an index.
void IndexHolder::run() {
  std::unique_ptr<Store> store;
  std::unique_lock<std::mutex> lk(mu_);
  while (!stop_) {
    poke_ = false;
    lk.unlock();
    std::string failure;
    try {
      if (!store) store = open_();
      auto have = index_.load();
      if (!have || have->data_version() != store->data_version()) {
        index_.store(build_(*store));
        ++builds_;
      }
    } catch (const std::exception& e) {
      failure = e.what();
      store.reset();  // a fresh connection for the next try
    }
    lk.lock();
    error_ = failure;
    built_.notify_all();
    if (stop_) break;
    // A waiter for a newer version than the store had a moment ago: look again at once (its
    // write may have committed after our look), else at the next poll or poke.
    auto have = index_.load();
    if (wanted_ > (have ? have->data_version() : 0) && failure.empty() && !poke_) {
      wake_.wait_for(lk, std::chrono::milliseconds(20), [&] { return stop_ || poke_; });
      continue;
    }
    wake_.wait_for(lk, poll_, [&] { return stop_ || poke_; });
  }
}

std::shared_ptr<const Index> IndexHolder::current() {
  if (auto p = index_.load()) return p;  // the path of every search: one atomic load
  std::unique_lock<std::mutex> lk(mu_);
  start();
  built_.wait(lk, [&] { return index_.load() || !error_.empty() || stop_; });
  if (auto p = index_.load()) return p;
  throw Error("the search index could not be built: " + error_);
}

std::shared_ptr<const Index> IndexHolder::at_least(std::int64_t version) {
  auto p = current();
  if (p->data_version() >= version) return p;
  std::unique_lock<std::mutex> lk(mu_);
  wanted_ = std::max(wanted_, version);
  poke_ = true;
  wake_.notify_all();
  // Bounded: a build that fails or takes too long leaves the caller with the index there is.
  built_.wait_for(lk, std::chrono::seconds(30), [&] {
    auto q = index_.load();
    return stop_ || !error_.empty() || (q && q->data_version() >= version);
  });
  return index_.load();
}

void IndexHolder::changed() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    poke_ = true;
  }
  wake_.notify_all();
}

}  // namespace hrtrack::search
