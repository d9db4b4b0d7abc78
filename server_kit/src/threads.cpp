#include "kit/threads.hpp"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <system_error>
#include <thread>

#include "kit/connections.hpp"
#include "kit/log.hpp"
#include "kit/metrics.hpp"

namespace kit {
namespace {

thread_local bool t_shedding = false;
// The lowest address of this thread's stack, when this kit started the thread.
thread_local std::uintptr_t t_stack_low = 0;

// Kept below the caller's frame: the calls trim_stack() makes, a signal handler.
constexpr std::uintptr_t kStackMargin = 4 * 1024;

void note_stack() noexcept {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* low = nullptr;
  std::size_t size = 0;
  if (pthread_attr_getstack(&attr, &low, &size) == 0) t_stack_low = reinterpret_cast<std::uintptr_t>(low);
  pthread_attr_destroy(&attr);
}

// An idle thread above the kept number ends after this long without work.
constexpr auto kIdleLife = std::chrono::seconds(30);
// Threads that answer 503 past the worker cap.
constexpr std::size_t kShedThreads = 16;

}  // namespace

void trim_stack() noexcept {
  if (t_stack_low == 0) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  char here = 0;
  const auto top = (reinterpret_cast<std::uintptr_t>(&here) - kStackMargin) & ~(page - 1);
  const auto low = (t_stack_low + page - 1) & ~(page - 1);
  // Below the frame is dead: the pages read back as zeros if ever touched again.
  if (top > low) ::madvise(reinterpret_cast<void*>(low), top - low, MADV_DONTNEED);
}

ElasticThreads::ElasticThreads(std::size_t max_threads, std::size_t kept_idle, Report on_change)
    : max_threads_(max_threads), kept_idle_(kept_idle), on_change_(std::move(on_change)) {}

ElasticThreads::~ElasticThreads() { shutdown(); }

bool ElasticThreads::run(std::function<void()>& job, bool queue_at_cap) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_ <= jobs_.size()) {
    // Nobody free for it: a new thread, if the cap and the system allow.
    bool started = threads_ < max_threads_ && start_thread_locked();
    if (!started && !(queue_at_cap && threads_ > 0)) return false;
  }
  jobs_.push_back(std::move(job));
  ready_.notify_one();
  return true;
}

bool ElasticThreads::start_thread_locked() {
  try {
    std::thread([this] { work(); }).detach();
  } catch (const std::system_error& e) {
    log_event("warn", "cannot start a thread", {{"error", e.what()}, {"threads", threads_}});
    return false;
  }
  ++threads_;
  report_locked();
  return true;
}

void ElasticThreads::work() {
  note_stack();
  if (init_) init_();
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++idle_;
    report_locked();
    bool woke = ready_.wait_for(lock, kIdleLife, [&] { return !jobs_.empty() || stopping_; });
    --idle_;
    if (jobs_.empty()) {
      // Stopping, or idle for long: end unless this thread is among those kept.
      if (stopping_ || (!woke && idle_ >= kept_idle_)) break;
      continue;
    }
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    report_locked();
    lock.unlock();
    job();
    job = nullptr;  // what the job held goes now, not at the next job
    trim_stack();   // an idle thread holds no more memory than a fresh one
    lock.lock();
  }
  --threads_;
  report_locked();
  if (threads_ == 0) all_ended_.notify_all();
}

void ElasticThreads::report_locked() {
  // Busy: started and not waiting, i.e. running a job (or about to).
  if (on_change_) on_change_(threads_, threads_ - idle_);
}

void ElasticThreads::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  ready_.notify_all();
  all_ended_.wait(lock, [&] { return threads_ == 0; });
}

WorkerPool::WorkerPool(std::size_t max_workers, ConnectionStats& stats, Listener* listener)
    : stats_(stats),
      listener_(listener),
      workers_(max_workers, 8,
               [&stats](std::size_t threads, std::size_t busy) {
                 stats.workers = threads;
                 stats.workers_busy = busy;
               }),
      shed_(kShedThreads, kShedThreads) {
  shed_.on_thread_start([] { t_shedding = true; });
}

bool WorkerPool::shedding() noexcept { return t_shedding; }

void WorkerPool::enqueue(std::function<void()> fn) {
  bool over_cap = false;
  if (listener_) fn = listener_->watch(std::move(fn), over_cap);
  if (!over_cap && workers_.run(fn)) return;
  if (!over_cap) ++stats_.shed;
  if (!shed_.run(fn, true)) {
    // Not even a shed thread: serve it here rather than drop the socket unanswered.
    t_shedding = true;
    fn();
    t_shedding = false;
  }
}

void WorkerPool::shutdown() {
  workers_.shutdown();
  shed_.shutdown();
}

}  // namespace kit
