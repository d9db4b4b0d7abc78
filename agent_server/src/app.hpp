#pragma once
// The agent server: storage, hub, models and routes wired to a cpp-httplib server.

#include <httplib.h>

#include <atomic>
#include <functional>
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
#include "sms.hpp"
#include "storage.hpp"

namespace agent_server {

/// What the handlers work with.
struct Services {
  const Config& config;
  Storage& storage;
  Hub& hub;
  Metrics& metrics;
  RateLimiter& limiter;
  ReplyRunner& replies;
  SmsSender& sms;
  kit::ClientBudgets& budgets;        ///< per client address (X-Forwarded-For from trusted proxies)
  const std::string& instance_id;     ///< this process, as the replies it writes name it
  const std::atomic<bool>& draining;  ///< stopping: nothing new starts (503 server_stopping)
  Eraser& eraser;                     ///< told of every erasure (scrubs the files), runs retention
  AllowedOrigins& origins;            ///< every agent's chatAllowedOrigins (CORS); told of agent changes
};

/// One request as a handler sees it: the path's captures and the body, already read.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  std::vector<std::string> params;  ///< the values of the route's `:name` and `*` segments
  std::string body;
};

using Handler = void (*)(Services&, Call&);

struct Route {
  std::string method;   ///< GET also answers HEAD
  std::string pattern;  ///< e.g. "/api/agents/:id"; also the route's metrics label
  Handler handler;
};

/// Whether the (decoded) path matches the pattern, segment by segment: a `:name`
/// segment matches one non-empty segment, a final `*` the non-empty rest, any other
/// text itself. On a match, appends the captured values to params, in order.
bool match_route(std::string_view pattern, std::string_view path, std::vector<std::string>& params);

std::vector<Route> make_routes();

// Handlers, by file: agents_routes.cpp, chat_routes.cpp, widget_routes.cpp, ops_routes.cpp.
void post_agents(Services& s, Call& c);
void get_agent(Services& s, Call& c);
void patch_agent(Services& s, Call& c);
void rotate_tokens(Services& s, Call& c);
void post_sessions(Services& s, Call& c);
void get_session(Services& s, Call& c);
void post_message(Services& s, Call& c);
void get_events(Services& s, Call& c);
void post_phone(Services& s, Call& c);   // verify_routes.cpp
void post_verify(Services& s, Call& c);  // verify_routes.cpp
void delete_session(Services& s, Call& c);
// conversations_routes.cpp: the restaurant's view of its agent's chats
void list_chat_sessions(Services& s, Call& c);
void get_chat_session(Services& s, Call& c);
void delete_chat_session(Services& s, Call& c);
void get_widget(Services& s, Call& c);
void get_healthz(Services& s, Call& c);
void get_metrics(Services& s, Call& c);

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
