#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace agent_server {

RateLimiter::RateLimiter(int session_per_minute, int agent_per_minute)
    : session_per_minute_(session_per_minute), agent_per_minute_(agent_per_minute) {}

double RateLimiter::refill(Bucket& bucket, int per_minute, Clock::time_point now) {
  if (bucket.updated == Clock::time_point{}) {
    bucket.tokens = per_minute;
  } else {
    double seconds = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min<double>(per_minute, bucket.tokens + seconds * per_minute / 60.0);
  }
  bucket.updated = now;
  return bucket.tokens;
}

std::optional<int> RateLimiter::try_acquire(const std::string& session_id, const std::string& agent_id,
                                            Clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune_locked(now);
  double wait = 0;
  Bucket* session = nullptr;
  Bucket* agent = nullptr;
  if (session_per_minute_ > 0) {
    session = &sessions_[session_id];
    double tokens = refill(*session, session_per_minute_, now);
    if (tokens < 1) wait = std::max(wait, (1 - tokens) * 60.0 / session_per_minute_);
  }
  if (agent_per_minute_ > 0) {
    agent = &agents_[agent_id];
    double tokens = refill(*agent, agent_per_minute_, now);
    if (tokens < 1) wait = std::max(wait, (1 - tokens) * 60.0 / agent_per_minute_);
  }
  if (wait > 0) return std::max(1, static_cast<int>(std::ceil(wait)));
  if (session) session->tokens -= 1;
  if (agent) agent->tokens -= 1;
  return std::nullopt;
}

// Full buckets carry no information: drop them when the maps grow.
void RateLimiter::prune_locked(Clock::time_point now) {
  auto prune = [&](auto& map, int per_minute) {
    if (map.size() < 10000) return;
    for (auto it = map.begin(); it != map.end();) {
      if (refill(it->second, per_minute, now) >= per_minute) {
        it = map.erase(it);
      } else {
        ++it;
      }
    }
  };
  prune(sessions_, session_per_minute_);
  prune(agents_, agent_per_minute_);
}

}  // namespace agent_server
