#pragma once
// The agent server's connection workers: a pool that grows on demand up to a cap,
// and past it turns connections away with a 503 instead of queueing them.
//
// cpp-httplib serves each connection on one task of its queue, and an open event
// stream holds that task for its whole life (NOTES.md). The library's fixed pool
// queues without bound: once every worker holds a stream, a POST waits silently.
// Here a worker is started whenever none is idle, up to `max_workers`, so memory
// follows the load (about 20 KB per idle stream, most of it the thread's stack
// pages). Past the cap, connections go to a small "shed" lane whose requests are
// answered at once with 503 server_busy (see App's pre-routing handler).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include <httplib.h>

#include "metrics.hpp"

namespace agent_server {

class WorkerPool final : public httplib::TaskQueue {
 public:
  struct Limits {
    std::size_t max_workers = 2304;  ///< connections served at once (streams included)
    std::size_t shed_workers = 4;    ///< threads that answer 503 past the cap
    std::size_t min_idle_kept = 8;   ///< idle workers kept when the load goes down
  };
  /// `metrics` receives the workers' counts as they change.
  WorkerPool(Limits limits, Metrics& metrics);
  ~WorkerPool() override;

  void enqueue(std::function<void()> fn) override;
  /// Waits for every task to end (the server has stopped accepting).
  void shutdown() override;

  /// True on a shed-lane thread: the request it serves is to be refused with 503.
  static bool shedding() noexcept;


 private:
  struct Lane {
    std::deque<std::function<void()>> jobs;
    std::condition_variable ready;
    std::size_t workers = 0;
    std::size_t idle = 0;
  };
  /// Starts a thread for `lane`; false when the system refuses one. Needs mutex_.
  bool start_worker_locked(Lane& lane);
  void work(Lane& lane);
  void report_locked();

  const Limits limits_;
  Metrics& metrics_;
  std::mutex mutex_;
  std::condition_variable all_exited_;
  Lane main_;
  Lane shed_;
  std::size_t shed_total_ = 0;
  bool stopping_ = false;
};

}  // namespace agent_server
