#include "search/search.h"

namespace hrtrack::search {

IndexHolder::IndexHolder(StoreFactory open) : open_(std::move(open)) {}

std::shared_ptr<const Index> IndexHolder::current() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!probe_) probe_ = open_();
  if (!index_ || index_->data_version() != probe_->data_version()) index_ = Index::build(*probe_);
  return index_;
}

}  // namespace hrtrack::search
