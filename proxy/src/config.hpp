#pragma once
/// \file chat-proxy's configuration: flags with environment fallbacks, parsed into
/// one value before anything starts.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "chat/error.hpp"
#include "kit/budgets.hpp"
#include "kit/client_address.hpp"
#include "kit/config.hpp"
#include "kit/connections.hpp"

namespace proxy {

/// What the command line asks for.
enum class Command { serve, backfill, conversations, help };

/// An http(s) origin without a path: "http://127.0.0.1:4000".
struct Origin {
  std::string scheme = "http";
  std::string host = "127.0.0.1";
  int port = 4000;
  std::string to_string() const;
};

/// How the proxy keeps connections to the agent server.
struct UpstreamOptions {
  std::size_t max_idle = 64;  ///< PROXY_UPSTREAM_KEEPALIVE: connections kept open between requests (0: none)
  std::chrono::milliseconds idle_life{4000};  ///< under the agent server's keep-alive wait (head timeout + 2 s)
  std::chrono::milliseconds connect_timeout{2000};  ///< on a LAN a connection is quick or hopeless
  std::size_t max_body_bytes = 16 << 20;            ///< a whole answer read into memory
};

/// Everything chat-proxy reads from flags and the environment.
struct Config {
  Command command = Command::serve;
  bool dry_run = false;       ///< backfill: report, change nothing
  std::string restaurant_id;  ///< conversations: whose
  bool csv = false;           ///< conversations: the CSV export instead of a table
  std::string listen_host = "127.0.0.1";
  int listen_port = 3000;  ///< 0 picks a free port
  std::string database_url = "sqlite:alloresto.db";
  Origin agent_server;
  std::optional<std::string> admin_token;               ///< ALLORESTO_ADMIN_TOKEN; none = admin off
  std::optional<std::string> agent_server_admin_token;  ///< AGENT_SERVER_ADMIN_TOKEN
  int threads = 5600;                  ///< PROXY_THREADS: at most; started on demand, one per open stream
  int upstream_timeout_ms = 30000;     ///< PROXY_UPSTREAM_TIMEOUT_MS: plain requests
  int stream_idle_timeout_ms = 60000;  ///< PROXY_STREAM_IDLE_MS: > the 15 s heartbeat gap
  UpstreamOptions upstream;
  kit::EdgeLimits edge;                 ///< deadlines and sizes of requests, connections per client
  kit::TrustedProxies trusted_proxies;  ///< PROXY_TRUSTED_PROXIES: a load balancer in front (none)
  kit::BudgetLimits budgets;            ///< per client address (CHAT_CLIENT_*)
};

using EnvLookup = kit::Env;
using kit::process_env;

/// Parses argv (without argv[0]) and the environment. Flags win over the environment.
/// Errors are invalid_request with a message fit for the terminal (exit 2).
chat::Result<Config> parse_config(const std::vector<std::string>& args, const EnvLookup& env);

/// Parses "http://host[:port][/]" or https; no path, query or credentials.
chat::Result<Origin> parse_origin(const std::string& text);

/// The --help text.
std::string usage();

}  // namespace proxy
