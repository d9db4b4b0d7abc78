#pragma once
// The httplib server both servers run: workers on demand, a listen backlog that
// holds bursts, the edge's limits and deadlines (connections.hpp), request ids, the
// JSON error body for what the library answers itself, and one log line per request.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "chat/error.hpp"
#include "kit/connections.hpp"
#include "kit/cors.hpp"
#include "kit/metrics.hpp"

namespace kit {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;        ///< 0: any free port
  int threads = 5760;  ///< connection workers at most (each open stream holds one)
  EdgeLimits limits;
  TrustedProxies trusted;  ///< exempt from the per-client connection cap
};

class HttpServer {
 public:
  /// `stats` receives the workers' and the edge's counts (render it in /metrics).
  HttpServer(ServerOptions options, ConnectionStats& stats);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Routes are added here; the kit owns the pre-routing handler, logger and error
  /// handler (use the hooks below).
  httplib::Server& http() { return server_; }

  /// Runs in pre-routing after the kit's own checks, before any body is read:
  /// return true when it answered (e.g. 401 before a body is accepted).
  void on_pre_routing(std::function<bool(const httplib::Request&, httplib::Response&)> hook) {
    pre_routing_ = std::move(hook);
  }
  /// Cross-origin access (cors.hpp), checked first in pre-routing: a preflight is
  /// answered there, and every answer on the policy's paths, the kit's own refusals
  /// (server_busy...) included, carries the CORS headers a page needs to read it.
  void set_cors(CorsPolicy policy) { cors_ = std::make_unique<CorsPolicy>(std::move(policy)); }
  /// Runs when the library answers an error itself (bad request line, ...), after the
  /// kit wrote its JSON body.
  void on_library_error(std::function<void(const httplib::Response&)> hook) { library_error_ = std::move(hook); }
  /// Adds the app's fields (route, ...) to a request's log line.
  void on_request_logged(
      std::function<void(const httplib::Request&, const httplib::Response&, nlohmann::json&)> hook) {
    logged_ = std::move(hook);
  }

  /// Binds host:port with a listen backlog of 4096; returns the bound port.
  chat::Result<int> bind();
  /// Serves until stop(); false if the server failed.
  bool run();
  /// The first step of a graceful stop: the listening socket closes (new
  /// connections are refused), idle kept-alive connections end, and every later
  /// response says Connection: close. Responses in flight, streams included, go on.
  void stop_accepting();
  /// Lets the connections left finish their requests until `deadline`, then cuts
  /// them (shuts their sockets down). Returns how many were cut mid-request.
  std::size_t close_connections(std::chrono::steady_clock::time_point deadline);
  /// Stops the server: run() returns once every worker is done. The library ends
  /// every chunked response (streams) at its next write: drain first.
  void stop();
  bool draining() const { return draining_.load(); }

 private:
  void install();

  ServerOptions options_;
  ConnectionStats& stats_;
  std::unique_ptr<Listener> listener_;
  httplib::Server server_;
  int listen_fd_ = -1;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> draining_{false};
  std::function<bool(const httplib::Request&, httplib::Response&)> pre_routing_;
  std::unique_ptr<CorsPolicy> cors_;
  std::function<void(const httplib::Response&)> library_error_;
  std::function<void(const httplib::Request&, const httplib::Response&, nlohmann::json&)> logged_;
};

/// The id of the request this thread serves (X-Request-Id, kept or made).
const std::string& current_request_id();

/// Raises the open-file soft limit to the hard limit; warns when still under
/// `wanted`. Returns the limit (-1: unlimited or unknown).
long raise_open_file_limit(long wanted);

}  // namespace kit
