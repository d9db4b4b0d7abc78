// agent-server: parse flags and env into a Config, build the App, serve until
// SIGINT or SIGTERM.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <pthread.h>
#include <sys/resource.h>

#include "app.hpp"
#include "config.hpp"
#include "log.hpp"

namespace {

// Each connection is a file descriptor, and shells often start us with a soft
// limit of 1024: raise it to the hard limit, and say when that is still short.
long raise_open_file_limit(int wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  long open_files = limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long>(limit.rlim_cur);
  if (open_files >= 0 && open_files < wanted) {
    agent_server::log_event("warn", "open file limit under the thread limit",
                            {{"openFiles", open_files}, {"wanted", wanted}});
  }
  return open_files;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto command = agent_server::parse_command_line(args, [](const char* name) { return std::getenv(name); });
  if (!command) {
    std::fprintf(stderr, "agent-server: %s\n", command.error().message.c_str());
    return 2;
  }
  if (command->help) {
    std::fputs(agent_server::usage(), stdout);
    return 0;
  }

  // Signals go to the waiting thread below, never to a worker.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  const auto& config = command->config;
  // A connection per worker, plus the database, the model's connections and the log.
  long open_files = raise_open_file_limit(config.threads + 256);
  auto app = agent_server::App::create(config);
  if (!app) {
    agent_server::log_event("error", "start failed", {{"error", app.error().message}});
    return 1;
  }
  auto port = app.value()->bind();
  if (!port) {
    agent_server::log_event("error", "start failed", {{"error", port.error().message}});
    return 1;
  }

  std::atomic<bool> signalled{false};
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    signalled = true;
    agent_server::log_event("info", "stopping", {{"signal", sig}});
    app.value()->stop();
  });
  agent_server::log_event("info", "listening",
                          {{"host", config.listen_host}, {"port", port.value()},
                           {"db", std::string(app.value()->backend())}, {"threads", config.threads},
                           {"maxStreams", config.max_streams}, {"openFiles", open_files},
                           {"adminApi", !config.admin_token.empty()}});
  bool ok = app.value()->run();
  app.value()->stop();
  // Wake the waiter if the server ended on its own.
  if (!signalled) pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  agent_server::log_event("info", "stopped");
  return ok ? 0 : 1;
}
