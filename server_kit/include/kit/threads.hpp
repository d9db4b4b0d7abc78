#pragma once
// Threads on demand, for both servers' connections and the agent server's replies.
//
// cpp-httplib serves each connection on one task of its queue, and an open event
// stream holds that task for its whole life (docs/operator-guide.md). The library's
// fixed pool queues without bound: once every worker holds a stream, a POST waits
// silently. Here a worker is started whenever none is idle, up to a cap, so memory
// follows the load. Past the cap, connections go to a small "shed" lane whose
// requests are answered at once with 503 server_busy (the kit's pre-routing check).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include <httplib.h>

namespace kit {

struct ConnectionStats;
class Listener;

/// Gives back to the system the stack pages below the caller's frame, on a thread
/// this kit started (elsewhere it does nothing). A stack keeps every page it ever
/// touched, and httplib's std::regex routing recurses once per path character
/// (~300 bytes each: ~30 KB for a chat path, ~2.4 MB for the longest target it
/// accepts), so a thread about to hold an event stream for hours calls this first:
/// measured, it takes a held stream's stack from ~68 KB to a few KB of memory.
/// (The reserved size stays the default: the same recursion rules out small stacks.)
void trim_stack() noexcept;

/// Threads started when a job finds none idle, up to `max_threads`; an idle one
/// ends after 30 s unless it is among the `kept_idle` last.
class ElasticThreads {
 public:
  /// `on_change(threads, busy)` runs (under the lock) whenever either changes.
  using Report = std::function<void(std::size_t threads, std::size_t busy)>;
  ElasticThreads(std::size_t max_threads, std::size_t kept_idle, Report on_change = {});
  ~ElasticThreads();
  ElasticThreads(const ElasticThreads&) = delete;
  ElasticThreads& operator=(const ElasticThreads&) = delete;

  /// Hands `job` to an idle thread or a new one. At the cap (or when the system
  /// refuses a thread) the job is left with the caller and the answer is false,
  /// unless `queue_at_cap`: then it waits for a thread to come free.
  bool run(std::function<void()>& job, bool queue_at_cap = false);
  /// Runs queued jobs to their end, then ends every thread and waits for them.
  void shutdown();
  /// Calls `init` first thing on each thread this pool starts.
  void on_thread_start(std::function<void()> init) { init_ = std::move(init); }

 private:
  bool start_thread_locked();
  void work();
  void report_locked();

  const std::size_t max_threads_;
  const std::size_t kept_idle_;
  Report on_change_;
  std::function<void()> init_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::condition_variable all_ended_;
  std::deque<std::function<void()>> jobs_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

/// cpp-httplib's task queue: connections on elastic workers, 503 past the cap.
/// With a `listener`, each connection is watched for its deadlines and counted
/// per client (connections.hpp).
class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(std::size_t max_workers, ConnectionStats& stats, Listener* listener = nullptr);
  ~WorkerPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override;
  /// Waits for every connection to end (the server has stopped accepting).
  void shutdown() override;

  /// True on a thread serving a connection to be refused with 503 (every worker
  /// busy), so the request it reads is answered at once.
  static bool shedding() noexcept;

 private:
  ConnectionStats& stats_;
  Listener* listener_;
  ElasticThreads workers_;
  ElasticThreads shed_;  // a few threads, taking turns: each answer is immediate
};

}  // namespace kit
