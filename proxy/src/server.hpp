#pragma once
/// \file The chat-proxy HTTP server: routes, thread pool, listen backlog, shutdown.

#include <httplib.h>

#include <memory>

#include "context.hpp"
#include "kit/server.hpp"

namespace proxy {

/// Listens, answers, stops. Handlers are the plain functions of relay.hpp, admin.hpp
/// and page.hpp; this class only wires them to httplib.
class ProxyServer {
 public:
  ProxyServer(Config config, std::unique_ptr<RestaurantStore> store);
  ~ProxyServer();
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  /// Binds config.listen_host:listen_port (0 = any free port) with a listen backlog
  /// of 4096; returns the bound port.
  chat::Result<int> bind();
  /// Serves until stop(); false when the server failed.
  bool run();
  /// Ends every relayed stream and stops the server; safe from any thread.
  void stop();

 private:
  void add_routes();

  std::unique_ptr<RestaurantStore> store_;
  Context ctx_;
  kit::HttpServer server_;
};

}  // namespace proxy
