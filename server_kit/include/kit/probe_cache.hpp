#pragma once
/// \file The answer of a costly check (a database write probe, for /healthz), kept for
/// a short time: a flood of callers runs the check at most once per `ttl`. Callers
/// that arrive while it runs wait for it and share its answer. No I/O of its own.

#include <chrono>
#include <mutex>
#include <utility>

#include "chat/error.hpp"

namespace kit {

class ProbeCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ProbeCache(std::chrono::milliseconds ttl = std::chrono::seconds(1)) : ttl_(ttl) {}

  /// The last answer when it is younger than the ttl, else `probe()`'s (then kept).
  template <class Probe>
  chat::Result<void> get(Probe&& probe) {
    std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    if (has_answer_ && now - answered_at_ < ttl_) return last_;
    last_ = std::forward<Probe>(probe)();
    answered_at_ = Clock::now();
    has_answer_ = true;
    return last_;
  }

 private:
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  bool has_answer_ = false;
  Clock::time_point answered_at_{};
  chat::Result<void> last_;
};

}  // namespace kit
