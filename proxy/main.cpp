// chat-proxy: flags and environment into a Config, then serve or backfill.
#include <csignal>
#include <iostream>
#include <thread>

#include "src/backfill.hpp"
#include "src/config.hpp"
#include "src/log.hpp"
#include "src/server.hpp"
#include "src/store.hpp"

using namespace chat::proxy;

namespace {

chat::Result<std::unique_ptr<RestaurantStore>> open_logged_store(const Config& config) {
  return open_store(config.database_url, [](std::string_view table, std::string_view change) {
    log_info({{"msg", "migrated"}, {"table", table}, {"change", change}});
  });
}

int serve(const Config& config) {
  // Signals go to one thread that stops the server; the pool's threads inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  auto store = open_logged_store(config);
  if (!store) {
    log_error({{"msg", "cannot open the database"}, {"error", store.error().message}});
    return 1;
  }
  ProxyServer server(config, std::move(*store));
  auto port = server.bind();
  if (!port) {
    log_error({{"msg", "cannot listen"}, {"error", port.error().message}});
    return 1;
  }
  std::thread([&server, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    log_info({{"msg", "stopping"}, {"signal", signal}});
    server.stop();
  }).detach();
  log_info({{"msg", "listening"},
            {"host", config.listen_host},
            {"port", *port},
            {"agentServer", config.agent_server.to_string()},
            {"admin", config.admin_token.has_value()}});
  bool ok = server.run();
  log_info({{"msg", "stopped"}});
  return ok ? 0 : 1;
}

int backfill(const Config& config) {
  auto store = open_logged_store(config);
  if (!store) {
    std::cerr << "chat-proxy backfill: cannot open the database: " << store.error().message << "\n";
    return 1;
  }
  auto summary = run_backfill(config, **store, std::cout);
  return summary.failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = parse_config(args, process_env);
  if (!config) {
    std::cerr << "chat-proxy: " << config.error().message << "\n";
    return 2;
  }
  switch (config->command) {
    case Command::help:
      std::cout << usage();
      return 0;
    case Command::backfill:
      return backfill(*config);
    case Command::serve:
      return serve(*config);
  }
  return 2;
}
