#pragma once
// What keeps a visitor's data no longer than it should: the retention sweep
// (CHAT_RETENTION_DAYS) and the scrub of the database's files after an erasure
// (Storage::scrub_deleted), both on one background thread, off the request path.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "storage.hpp"

namespace agent_server {

class Eraser {
 public:
  /// `retention_days` 0 keeps sessions forever; otherwise a sweep runs at start()
  /// and every `check_every`.
  Eraser(Storage& storage, int retention_days, std::chrono::seconds check_every);
  ~Eraser();
  Eraser(const Eraser&) = delete;
  Eraser& operator=(const Eraser&) = delete;

  void start();
  /// A session was deleted: scrub the files soon. Erasures that come while a scrub
  /// runs share the next one.
  void erased();
  /// Ends the thread, after the scrub still owed, if any.
  void stop();

 private:
  void run();
  void sweep();
  bool scrub();  ///< false when it failed (logged): tried again after kScrubRetry

  static constexpr std::chrono::seconds kScrubRetry{30};

  Storage& storage_;
  const int retention_days_;
  const std::chrono::seconds check_every_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool scrub_owed_ = false;
  bool stopping_ = false;
  std::optional<std::chrono::steady_clock::time_point> scrub_retry_at_;
  std::thread thread_;
};

}  // namespace agent_server
