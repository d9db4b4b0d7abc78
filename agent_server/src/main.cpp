// agent-server: parse flags and env into a Config, build the App, serve until
// SIGINT or SIGTERM.

#include <cstdio>
#include <cstdlib>

#include "app.hpp"
#include "chat/redact.hpp"
#include "config.hpp"
#include "kit/log.hpp"
#include "kit/run.hpp"
#include "kit/server.hpp"

// An exception out of main is a bug: std::terminate's abort, with its core, reports it.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
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

  // Signals go to one waiting thread, never to a worker: blocked before any starts.
  kit::block_stop_signals();
  const auto& config = command->config;
  // A connection per worker (and the watch's copy of it), plus the database, the
  // model's connections and the log.
  long open_files = kit::raise_open_file_limit(2L * config.threads + 256);
  auto app = agent_server::App::create(config);
  if (!app) {
    kit::log_event("error", "start failed", {{"error", chat::redact_secrets(app.error().message)}});
    return 1;
  }
  auto port = app.value()->bind();
  if (!port) {
    kit::log_event("error", "start failed", {{"error", port.error().message}});
    return 1;
  }
  kit::log_event("info", "listening",
                 {{"host", config.listen_host},
                  {"port", port.value()},
                  {"db", std::string(app.value()->backend())},
                  {"threads", config.threads},
                  {"maxStreams", config.max_streams},
                  {"openFiles", open_files},
                  {"adminApi", !config.admin_token.empty()}});
  bool ok = kit::serve_until_signal([&] { return app.value()->run(); }, [&] { app.value()->stop(); });
  kit::log_event("info", "stopped");
  return ok ? 0 : 1;
}
