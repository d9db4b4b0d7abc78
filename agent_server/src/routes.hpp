#pragma once
// The routes: the table (method, pattern, handler), the matcher, and what a handler
// works with. Services only names its parts: each route file includes the headers of
// the parts it uses, so a change to one (the SMS sender, the hub) rebuilds only its
// routes. app.hpp owns the parts and serves the table.

#include <httplib.h>

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

namespace kit {
class ClientBudgets;
}  // namespace kit

namespace agent_server {

struct Config;
class Storage;
class Hub;
class Metrics;
class RateLimiter;
class ReplyRunner;
class SmsSender;
class Eraser;
class AllowedOrigins;

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

}  // namespace agent_server
