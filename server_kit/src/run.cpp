#include "kit/run.hpp"

#include <pthread.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "kit/log.hpp"

namespace kit {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_stop_signals() {
  sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

bool serve_until_signal(const std::function<bool()>& serve, const std::function<void()>& stop) {
  std::atomic<bool> done{false};
  std::thread waiter([&] {
    sigset_t set = stop_signals();
    int sig = 0;
    sigwait(&set, &sig);
    if (done) return;  // woken by ourselves below
    log_event("info", "stopping", {{"signal", sig}});
    stop();
  });
  bool ok = serve();
  stop();
  done = true;
  // Wake the waiter if the server ended on its own. SIGTERM is blocked in every thread
  // (block_stop_signals): it only ends the waiter's sigwait, it kills nothing.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  return ok;
}

}  // namespace kit
