#include "privacy.hpp"

#include <algorithm>

#include "kit/log.hpp"
#include "storage_common.hpp"

namespace agent_server {

Eraser::Eraser(Storage& storage, int retention_days, std::chrono::seconds check_every)
    : storage_(storage), retention_days_(retention_days), check_every_(check_every) {}

Eraser::~Eraser() { stop(); }

void Eraser::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void Eraser::erased() {
  {
    std::lock_guard lock(mutex_);
    scrub_owed_ = true;
  }
  cv_.notify_one();
}

void Eraser::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Eraser::run() {
  using Clock = std::chrono::steady_clock;
  auto next_sweep = Clock::now();
  std::unique_lock lock(mutex_);
  while (true) {
    if (scrub_retry_at_ && Clock::now() >= *scrub_retry_at_) {
      scrub_retry_at_.reset();
      scrub_owed_ = true;
    }
    if (scrub_owed_) {
      scrub_owed_ = false;
      lock.unlock();
      const bool done = scrub();
      lock.lock();
      // A failed scrub (a reader held the WAL, PostgreSQL was down) is owed still.
      if (!done && !stopping_) scrub_retry_at_ = Clock::now() + kScrubRetry;
      continue;
    }
    if (stopping_) return;
    if (retention_days_ > 0 && Clock::now() >= next_sweep) {
      lock.unlock();
      sweep();
      lock.lock();
      next_sweep = Clock::now() + check_every_;
      continue;
    }
    auto wake = Clock::time_point::max();
    if (retention_days_ > 0) wake = next_sweep;
    if (scrub_retry_at_) wake = std::min(wake, *scrub_retry_at_);
    auto woken = [&] { return scrub_owed_ || stopping_; };
    if (wake == Clock::time_point::max()) {
      cv_.wait(lock, woken);
    } else {
      cv_.wait_until(lock, wake, woken);
    }
  }
}

void Eraser::sweep() {
  const auto now_ms = chat::parse_timestamp(now_timestamp()).value_or(0);
  const std::string cutoff = chat::format_timestamp(now_ms - std::int64_t{retention_days_} * 86'400'000);
  auto deleted = storage_.delete_sessions_idle_before(cutoff);
  if (!deleted) {
    kit::log_event("error", "retention sweep failed", {{"error", deleted.error().message}});
    return;
  }
  kit::log_event("info", "retention sweep",
                 {{"retentionDays", retention_days_}, {"cutoff", cutoff}, {"sessions", deleted.value()}});
  if (deleted.value() > 0) {
    std::lock_guard lock(mutex_);
    scrub_owed_ = true;
  }
}

bool Eraser::scrub() {
  const auto started = std::chrono::steady_clock::now();
  auto scrubbed = storage_.scrub_deleted();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                      .count();
  if (!scrubbed) {
    kit::log_event("error", "scrub of erased chats failed",
                   {{"backend", storage_.backend()}, {"error", scrubbed.error().message}});
    return false;
  }
  kit::log_event("info", "erased chats scrubbed", {{"backend", storage_.backend()}, {"ms", ms}});
  return true;
}

}  // namespace agent_server
