#pragma once
// The agent server: storage, hub, models and routes (routes.hpp) wired to a cpp-httplib
// server. main.cpp builds one; the route files include routes.hpp, not this.

#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "allowed_origins.hpp"
#include "chat/error.hpp"
#include "config.hpp"
#include "hub.hpp"
#include "kit/budgets.hpp"
#include "kit/server.hpp"
#include "metrics.hpp"
#include "model.hpp"
#include "privacy.hpp"
#include "rate_limiter.hpp"
#include "replies.hpp"
#include "routes.hpp"
#include "sms.hpp"
#include "storage.hpp"

namespace agent_server {

class App {
 public:
  /// Opens the database and applies the missing migrations (each one logged).
  static chat::Result<std::unique_ptr<App>> create(Config config);
  ~App();

  /// Binds the listening socket; returns the port (useful with port 0).
  chat::Result<int> bind();
  /// Serves until stop(); returns false if the server failed.
  bool run();
  /// The graceful stop (SIGTERM), thread-safe: stops accepting, lets the replies
  /// in flight finish within the drain deadline, ends the rest as interrupted (an
  /// error on their streams), then ends every stream cleanly and lets run() return.
  void stop();
  /// "sqlite" or "postgres".
  std::string_view backend() const noexcept { return storage_->backend(); }

 private:
  App(Config config, std::unique_ptr<Storage> storage, std::unique_ptr<SmsSender> sms);
  void install_handlers();
  void count_once(const httplib::Response& res);
  void route_request(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader);
  void dispatch(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader);

  Config config_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<SmsSender> sms_;
  Hub hub_;
  Metrics metrics_;
  RateLimiter limiter_;
  ModelRegistry models_;
  ReplyRunner replies_;
  kit::ClientBudgets budgets_;
  std::string instance_id_;
  std::atomic<bool> draining_{false};
  Eraser eraser_;
  AllowedOrigins origins_;
  Services services_;
  std::vector<Route> routes_;
  kit::HttpServer server_;
  std::atomic<bool> stopped_{false};
};

}  // namespace agent_server
