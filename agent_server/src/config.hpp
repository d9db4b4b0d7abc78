#pragma once
// The agent server's settings: flags first, then environment variables, then defaults.

#include <functional>
#include <string>
#include <vector>

#include "chat/error.hpp"
#include "kit/budgets.hpp"
#include "kit/client_address.hpp"
#include "kit/connections.hpp"

namespace agent_server {

struct Config {
  std::string listen_host = "127.0.0.1";
  int listen_port = 4000;
  std::string database_url = "sqlite:agent-server.db";
  std::string admin_token;  ///< empty: the admin API is off
  std::string widget_dir;   ///< empty: /widget/* answers 404
  int local_model_word_ms = 30;
  int heartbeat_ms = 15000;
  int session_messages_per_minute = 20;  ///< 0: no limit
  int agent_messages_per_minute = 600;   ///< 0: no limit
  /// Connections served at once (worker threads, started on demand); each open
  /// event stream holds one for its whole life. Past it: 503 server_busy.
  int threads = 5760;
  /// Open event streams at once; 0: threads less a spare of max(8, threads / 8),
  /// so other requests always find a worker. Past it: 503 server_busy.
  int max_streams = 0;
  std::string llm_base_url;  ///< the OpenAI-compatible server of every chat_model but `local`
  std::string llm_api_key;
  int llm_connect_timeout_ms = 5000;
  int llm_idle_timeout_ms = 30000;  ///< longest silence of a model's stream, first token included
  std::string sms_webhook_url;      ///< empty: the dev sender logs the codes
  std::string sms_webhook_token;
  int code_ttl_seconds = 600;          ///< a verification code's life
  int code_resend_seconds = 60;        ///< the least time between two codes sent to a session
  int retention_days = 365;            ///< CHAT_RETENTION_DAYS: chats idle longer are erased; 0 keeps them
  int retention_check_seconds = 3600;  ///< CHAT_RETENTION_CHECK_SECONDS: between two retention sweeps
  int stream_ticket_seconds = 300;     ///< CHAT_STREAM_TICKET_SECONDS: life of an event stream's ticket
  kit::EdgeLimits edge;                ///< deadlines and sizes of requests, connections per client
  kit::TrustedProxies trusted_proxies = kit::TrustedProxies::loopback();  ///< AGENT_SERVER_TRUSTED_PROXIES
  kit::BudgetLimits budgets;                                              ///< per client address (CHAT_CLIENT_*)
};

struct CommandLine {
  bool help = false;
  Config config;
};

/// Parses argv (without the program name) with `getenv` for the fallbacks. Errors
/// (unknown flag, bad value) come back as invalid_request with a message for humans.
chat::Result<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                             const std::function<const char*(const char*)>& getenv);

/// The --help text.
const char* usage();

}  // namespace agent_server
