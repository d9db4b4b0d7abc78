#include "config.hpp"

namespace proxy {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

namespace {

Error bad(std::string message) { return Error(ErrorCode::invalid_request, std::move(message)); }

Result<void> check_database_url(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0 && url.size() > 7) return {};
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) return {};
  return bad("database URL must be sqlite:PATH or postgres://...");
}

}  // namespace

std::string Origin::to_string() const { return scheme + "://" + host + ":" + std::to_string(port); }

Result<Origin> parse_origin(const std::string& text) {
  Origin origin;
  std::string rest;
  if (text.rfind("http://", 0) == 0) {
    origin.scheme = "http";
    origin.port = 80;
    rest = text.substr(7);
  } else if (text.rfind("https://", 0) == 0) {
    origin.scheme = "https";
    origin.port = 443;
    rest = text.substr(8);
  } else {
    return bad("AGENT_SERVER_URL must start with http:// or https://");
  }
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find_first_of("/?#@ ") != std::string::npos) {
    return bad("AGENT_SERVER_URL must be an origin (scheme, host, port) without a path");
  }
  auto colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    auto port = kit::parse_int(rest.substr(colon + 1), 1, 65535);
    if (!port) return bad("AGENT_SERVER_URL has an invalid port");
    origin.port = *port;
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad("AGENT_SERVER_URL has no host");
  origin.host = rest;
  return origin;
}

Result<Config> parse_config(const std::vector<std::string>& args, const EnvLookup& env) {
  Config config;
  std::optional<std::string> listen = env("PROXY_LISTEN");
  std::optional<std::string> db = env("DATABASE_URL");

  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    auto next = [&](const char* flag) -> Result<std::string> {
      if (i + 1 >= args.size()) return bad(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      config.command = Command::help;
      return config;
    } else if (arg == "backfill" && i == 0) {
      config.command = Command::backfill;
    } else if (arg == "--dry-run" && config.command == Command::backfill) {
      config.dry_run = true;
    } else if (arg == "conversations" && i == 0) {
      config.command = Command::conversations;
      auto id = next("conversations");
      if (!id) return bad("conversations needs a restaurant id");
      config.restaurant_id = *id;
    } else if (arg == "--csv" && config.command == Command::conversations) {
      config.csv = true;
    } else if (arg == "--listen") {
      auto value = next("--listen");
      if (!value) return value.error();
      listen = *value;
    } else if (arg == "--db") {
      auto value = next("--db");
      if (!value) return value.error();
      db = *value;
    } else {
      return bad("unknown argument: " + arg + " (see --help)");
    }
  }

  if (listen && !listen->empty()) {
    auto parsed = kit::parse_listen(*listen);
    if (!parsed) return parsed.error();
    config.listen_host = parsed->first;
    config.listen_port = parsed->second;
  }
  if (db && !db->empty()) config.database_url = *db;
  if (auto ok = check_database_url(config.database_url); !ok) return ok.error();

  if (auto url = env("AGENT_SERVER_URL"); url && !url->empty()) {
    auto origin = parse_origin(*url);
    if (!origin) return origin.error();
    config.agent_server = *origin;
  }
  auto admin = kit::read_admin_token(env, "ALLORESTO_ADMIN_TOKEN");
  if (!admin) return admin.error();
  config.admin_token = *admin;
  auto agent_admin = kit::read_admin_token(env, "AGENT_SERVER_ADMIN_TOKEN");
  if (!agent_admin) return agent_admin.error();
  config.agent_server_admin_token = *agent_admin;

  for (const auto& r : {kit::env_int(env, "PROXY_THREADS", 4, 20000, config.threads),
                        kit::env_int(env, "PROXY_UPSTREAM_TIMEOUT_MS", 50, 600000, config.upstream_timeout_ms),
                        kit::env_int(env, "PROXY_STREAM_IDLE_MS", 100, 3600000, config.stream_idle_timeout_ms)}) {
    if (!r) return r.error();
  }
  int keepalive = static_cast<int>(config.upstream.max_idle);
  if (auto r = kit::env_int(env, "PROXY_UPSTREAM_KEEPALIVE", 0, 4096, keepalive); !r) return r.error();
  config.upstream.max_idle = static_cast<std::size_t>(keepalive);
  if (auto r = kit::read_edge_config(env, "PROXY", config.edge, config.trusted_proxies, config.budgets); !r) {
    return r.error();
  }
  return config;
}

std::string usage() {
  return R"(chat-proxy: the site-side proxy of the restaurant chat.

Usage:
  chat-proxy [--listen HOST:PORT] [--db URL]      serve
  chat-proxy backfill [--dry-run] [--db URL]     store missing agent tokens, upgrade to publicTokens
  chat-proxy conversations RESTAURANT_ID [--csv] [--db URL]
                                                 print a restaurant's chat conversations (all
                                                 pages), or their CSV export (one row per message);
                                                 reads them with AGENT_SERVER_ADMIN_TOKEN (else
                                                 the stored token, if it is the agent's apiToken)
  chat-proxy --help

Flags and environment (flags win):
  --listen / PROXY_LISTEN        default 127.0.0.1:3000 (port 0: any free port)
  --db / DATABASE_URL            sqlite:PATH (default sqlite:alloresto.db) or postgres://...
  AGENT_SERVER_URL               default http://127.0.0.1:4000
  ALLORESTO_ADMIN_TOKEN          opens /api/restaurants (unset: admin routes off)
  AGENT_SERVER_ADMIN_TOKEN       the agent server's admin API (provisioning, backfill,
                                 conversations)
                                 (both: 32 characters or more, else refused at start, exit 2)
  PROXY_THREADS                  worker threads, one per open stream (default 5600)
  PROXY_UPSTREAM_TIMEOUT_MS      plain requests to the agent server (default 30000)
  PROXY_STREAM_IDLE_MS           silence allowed on a relayed stream (default 60000)
  PROXY_UPSTREAM_KEEPALIVE       connections to the agent server kept open between
                                 requests (default 64; 0: a new one per request)

)" + kit::edge_usage("PROXY", "none");
}

}  // namespace proxy
