#include "task_queue.hpp"

#include <chrono>
#include <system_error>
#include <thread>

#include "log.hpp"

namespace agent_server {
namespace {

thread_local bool t_shedding = false;

// An idle worker above the kept minimum exits after this long without work.
constexpr auto kIdleLife = std::chrono::seconds(30);

}  // namespace

WorkerPool::WorkerPool(Limits limits, Metrics& metrics) : limits_(limits), metrics_(metrics) {
  std::lock_guard<std::mutex> lock(mutex_);
  // One shed worker from the start: past the cap there is always someone to say 503.
  if (!start_worker_locked(shed_)) throw std::runtime_error("cannot start the shed worker");
}

WorkerPool::~WorkerPool() { shutdown(); }

bool WorkerPool::shedding() noexcept { return t_shedding; }

void WorkerPool::enqueue(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  Lane* lane = &main_;
  if (main_.idle <= main_.jobs.size()) {
    // Nobody free for this connection: a new worker, else the shed lane.
    if (main_.workers >= limits_.max_workers || !start_worker_locked(main_)) lane = &shed_;
  }
  if (lane == &shed_) {
    ++shed_total_;
    if (shed_.idle <= shed_.jobs.size() && shed_.workers < limits_.shed_workers) start_worker_locked(shed_);
  }
  lane->jobs.push_back(std::move(fn));
  lane->ready.notify_one();
  report_locked();
}

bool WorkerPool::start_worker_locked(Lane& lane) {
  try {
    std::thread([this, &lane] { work(lane); }).detach();
  } catch (const std::system_error& e) {
    log_event("warn", "cannot start a worker thread", {{"error", e.what()}, {"workers", main_.workers}});
    return false;
  }
  ++lane.workers;
  return true;
}

void WorkerPool::work(Lane& lane) {
  t_shedding = &lane == &shed_;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    ++lane.idle;
    report_locked();
    bool woke = lane.ready.wait_for(lock, kIdleLife, [&] { return !lane.jobs.empty() || stopping_; });
    --lane.idle;
    if (lane.jobs.empty()) {
      // Stopping, or idle for long: leave unless this worker is among those kept.
      if (stopping_ || (!woke && lane.idle >= limits_.min_idle_kept)) break;
      continue;
    }
    auto job = std::move(lane.jobs.front());
    lane.jobs.pop_front();
    report_locked();
    lock.unlock();
    job();
    job = nullptr;  // the connection's state goes with its task, not with the next wait
    lock.lock();
  }
  --lane.workers;
  report_locked();
  if (main_.workers == 0 && shed_.workers == 0) all_exited_.notify_all();
}

void WorkerPool::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  main_.ready.notify_all();
  shed_.ready.notify_all();
  all_exited_.wait(lock, [&] { return main_.workers == 0 && shed_.workers == 0; });
}

void WorkerPool::report_locked() {
  // Busy: started, not waiting, i.e. serving a connection (or about to).
  metrics_.workers(main_.workers, main_.workers - main_.idle, shed_total_);
}

}  // namespace agent_server
