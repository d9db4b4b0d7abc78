#pragma once
// Token buckets for visitor messages: one per session and one per agent.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace agent_server {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// Limits per minute; 0 turns one off. A bucket holds a minute's worth, so a
  /// burst of `per_minute` passes, then one more every 60/per_minute seconds.
  RateLimiter(int session_per_minute, int agent_per_minute);

  /// Takes one token from both buckets, or none: nullopt when allowed, else the
  /// whole seconds to wait (>= 1) before the next message would pass.
  std::optional<int> try_acquire(const std::string& session_id, const std::string& agent_id,
                                 Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  double refill(Bucket& bucket, int per_minute, Clock::time_point now);
  void prune_locked(Clock::time_point now);

  int session_per_minute_;
  int agent_per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> sessions_;
  std::unordered_map<std::string, Bucket> agents_;
};

}  // namespace agent_server
