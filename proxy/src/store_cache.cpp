#include "store_cache.hpp"

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace proxy {

using chat::Result;

namespace {

using Clock = std::chrono::steady_clock;

// Past this many rows the cache starts over rather than grow without bound.
constexpr std::size_t kMaxRows = 10000;

class CachedStore final : public RestaurantStore {
 public:
  CachedStore(std::unique_ptr<RestaurantStore> store, std::chrono::milliseconds ttl)
      : store_(std::move(store)), ttl_(ttl) {}

  Result<std::optional<RestaurantRow>> find(std::string_view id) override {
    const auto now = Clock::now();
    std::uint64_t writes_before = 0;
    {
      std::shared_lock lock(mutex_);
      auto it = rows_.find(std::string(id));
      if (it != rows_.end() && now - it->second.read_at < ttl_)
        return std::optional<RestaurantRow>(it->second.row);
      writes_before = writes_;
    }
    auto found = store_->find(id);
    if (!found || !*found) return found;
    std::unique_lock lock(mutex_);
    // A write meanwhile may have made what was read stale: not kept.
    if (writes_ != writes_before) return found;
    if (rows_.size() >= kMaxRows) rows_.clear();
    rows_.insert_or_assign(std::string(id), Entry{**found, now});
    return found;
  }

  Result<void> insert(const RestaurantRow& row) override { return forget(row.id, store_->insert(row)); }
  Result<bool> set_token(std::string_view id, std::string_view token) override {
    return forget(id, store_->set_token(id, token));
  }
  Result<bool> set_token_if_missing(std::string_view id, std::string_view token) override {
    return forget(id, store_->set_token_if_missing(id, token));
  }
  Result<bool> replace_token(std::string_view id, std::string_view expected, std::string_view token) override {
    return forget(id, store_->replace_token(id, expected, token));
  }
  Result<std::vector<RestaurantRow>> missing_tokens() override { return store_->missing_tokens(); }
  Result<std::vector<RestaurantRow>> with_agents() override { return store_->with_agents(); }
  Result<void> check_writable() override { return store_->check_writable(); }

 private:
  struct Entry {
    RestaurantRow row;
    Clock::time_point read_at;
  };

  // After a write (whatever its outcome), the next find reads the store.
  template <typename R>
  R forget(std::string_view id, R result) {
    std::unique_lock lock(mutex_);
    rows_.erase(std::string(id));
    ++writes_;
    return result;
  }

  std::unique_ptr<RestaurantStore> store_;
  const std::chrono::milliseconds ttl_;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> rows_;
  std::uint64_t writes_ = 0;  ///< writes made through this store so far
};

}  // namespace

std::unique_ptr<RestaurantStore> with_cache(std::unique_ptr<RestaurantStore> store,
                                            std::chrono::milliseconds ttl) {
  return std::make_unique<CachedStore>(std::move(store), ttl);
}

}  // namespace proxy
