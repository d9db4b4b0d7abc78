// kit::ElasticThreads: threads on demand, reused, capped.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "kit/threads.hpp"

using kit::ElasticThreads;

namespace {

// A gate jobs wait on until the test opens it.
struct Gate {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  void wait() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return open; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("a job finds an idle thread again instead of starting one") {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t most_threads = 0, busy_now = 0;
  kit::ElasticThreads threads(16, 4, [&](std::size_t started, std::size_t busy) {
    std::lock_guard lock(mutex);
    most_threads = std::max(most_threads, started);
    busy_now = busy;
    changed.notify_all();
  });
  std::set<std::thread::id> ran_on;
  for (int i = 0; i < 20; ++i) {
    std::promise<std::thread::id> ran;
    std::function<void()> job = [&] { ran.set_value(std::this_thread::get_id()); };
    REQUIRE(threads.run(job));
    ran_on.insert(ran.get_future().get());
    // Once the thread is back to waiting, the next job must find it.
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return busy_now == 0; });
  }
  CHECK(ran_on.size() == 1);
  CHECK(most_threads == 1);
}

TEST_CASE("at the cap a job is refused, or queued when asked, and runs once a thread frees") {
  Gate gate;
  std::size_t busy_now = 0;
  std::mutex report_mutex;
  kit::ElasticThreads threads(3, 3, [&](std::size_t, std::size_t busy) {
    std::lock_guard lock(report_mutex);
    busy_now = busy;
  });
  std::atomic<int> done{0};
  for (int i = 0; i < 3; ++i) {
    std::function<void()> job = [&] {
      gate.wait();
      ++done;
    };
    REQUIRE(threads.run(job));
  }
  std::function<void()> refused = [&] { ++done; };
  CHECK_FALSE(threads.run(refused));
  CHECK(refused);  // left with the caller
  std::function<void()> queued = [&] { ++done; };
  CHECK(threads.run(queued, /*queue_at_cap=*/true));
  gate.release();
  threads.shutdown();  // runs what is queued, then ends the threads
  CHECK(done == 4);
  CHECK(busy_now == 0);
}
