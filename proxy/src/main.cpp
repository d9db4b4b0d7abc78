// chat-proxy: flags and environment into a Config, then serve or backfill.
#include <iostream>

#include "backfill.hpp"
#include "chat/redact.hpp"
#include "config.hpp"
#include "conversations.hpp"
#include "kit/log.hpp"
#include "kit/run.hpp"
#include "kit/server.hpp"
#include "server.hpp"
#include "store.hpp"

using namespace proxy;

namespace {

chat::Result<std::unique_ptr<RestaurantStore>> open_logged_store(const Config& config) {
  return open_store(config.database_url, [](std::string_view migration) {
    kit::log_info({{"msg", "migration applied"}, {"migration", migration}});
  });
}

int serve(const Config& config) {
  // Signals go to one waiting thread, never to a worker: blocked before any starts.
  kit::block_stop_signals();
  // A browser's connection (and the watch's copy of it) and an upstream one per worker.
  long open_files = kit::raise_open_file_limit(3L * config.threads + 256);
  auto store = open_logged_store(config);
  if (!store) {
    kit::log_error({{"msg", "cannot open the database"}, {"error", chat::redact_secrets(store.error().message)}});
    return 1;
  }
  ProxyServer server(config, std::move(*store));
  auto port = server.bind();
  if (!port) {
    kit::log_error({{"msg", "cannot listen"}, {"error", port.error().message}});
    return 1;
  }
  kit::log_info({{"msg", "listening"},
                 {"host", config.listen_host},
                 {"port", *port},
                 {"agentServer", config.agent_server.to_string()},
                 {"threads", config.threads},
                 {"openFiles", open_files},
                 {"admin", config.admin_token.has_value()}});
  bool ok = kit::serve_until_signal([&] { return server.run(); }, [&] { server.stop(); });
  kit::log_info({{"msg", "stopped"}});
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

int conversations(const Config& config) {
  // stdout is the listing (or the CSV): a migration is told on stderr.
  auto store = open_store(config.database_url, [](std::string_view migration) {
    std::cerr << "chat-proxy conversations: migration applied: " << migration << "\n";
  });
  if (!store) {
    std::cerr << "chat-proxy conversations: cannot open the database: " << store.error().message << "\n";
    return 1;
  }
  return run_conversations(config, **store, std::cout, std::cerr);
}

}  // namespace

// An exception out of main is a bug: std::terminate's abort, with its core, reports it.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = parse_config(args, process_env);
  if (!config) {
    std::cerr << "chat-proxy: " << config.error().message << "\n";
    return 2;
  }
  switch (config->command) {
    case Command::help: std::cout << usage(); return 0;
    case Command::backfill: return backfill(*config);
    case Command::conversations: return conversations(*config);
    case Command::serve: return serve(*config);
  }
  return 2;
}
