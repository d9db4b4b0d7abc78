#pragma once
// The origins some agent allows (direct mode), for the CORS preflights, which come
// before any token: read from the database at most every `ttl`, so a flood of
// preflights costs it nothing more. Other instances see a change within `ttl`.

#include <chrono>
#include <mutex>
#include <set>
#include <string>

#include "storage.hpp"

namespace agent_server {

class AllowedOrigins {
 public:
  AllowedOrigins(Storage& storage, std::chrono::milliseconds ttl) : storage_(storage), ttl_(ttl) {}

  /// Whether some agent lists `origin` in its chatAllowedOrigins. A database
  /// failure keeps the last list read (logged).
  bool contains(const std::string& origin);
  /// An agent changed here: the next question reads the database again.
  void changed();

 private:
  Storage& storage_;
  const std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::set<std::string> origins_;
  std::chrono::steady_clock::time_point read_at_{};
  bool fresh_ = false;
};

}  // namespace agent_server
