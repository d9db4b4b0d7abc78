#include "config.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include "kit/config.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;

Error bad(std::string message) { return Error(ErrorCode::invalid_request, std::move(message)); }

chat::Result<void> parse_listen(const std::string& text, Config& config) {
  auto parsed = kit::parse_listen(text);
  if (!parsed) return bad("--listen: " + parsed.error().message);
  config.listen_host = parsed->first;
  config.listen_port = parsed->second;
  return {};
}

}  // namespace

const char* usage() {
  static const std::string text = std::string(R"(Usage: agent-server [options]

The chat API of the restaurant agent server (see docs/protocol.md).

Options (each falls back to an environment variable, then to a default):
  --listen HOST:PORT   AGENT_SERVER_LISTEN   default 127.0.0.1:4000 (port 0: any free port)
  --db URL             DATABASE_URL          sqlite:PATH (default sqlite:agent-server.db)
                                             or postgres://user@host:port/db
  --widget-dir DIR     WIDGET_DIR            files served under /widget/ (unset: none)
  --threads N          AGENT_SERVER_THREADS  connections served at once, each open stream
                                             holding one (default 5760; past it: 503)
  --max-streams N      AGENT_SERVER_MAX_STREAMS  open event streams at once (default: threads
                                             less max(8, threads/8), i.e. 5040; past it: 503)
  --help               this text

Environment only:
  AGENT_SERVER_ADMIN_TOKEN    bearer token of the admin API, 32 characters or more
                              (unset: admin API off; shorter: refused at start, exit 2)
  LOCAL_MODEL_WORD_MS         pace of the built-in model, ms per word (default 30, 0 = none)
  TZDIR                       where the agents' time zones are read (default /usr/share/zoneinfo,
                              Debian's tzdata)
  CHAT_HEARTBEAT_MS           SSE heartbeat after this much silence (default 15000)
  CHAT_SESSION_MESSAGES_PER_MIN  visitor messages per session per minute (default 20, 0 = off)
  CHAT_AGENT_MESSAGES_PER_MIN    visitor messages per agent per minute (default 600, 0 = off)
  LLM_BASE_URL, LLM_API_KEY   OpenAI-compatible server for every chat_model but `local`:
                              posts to $LLM_BASE_URL/chat/completions with stream:true; the
                              base may end in /v1 or not (http://host:11434 = http://host:11434/v1)
  LLM_CONNECT_TIMEOUT_MS      connecting to it (default 5000)
  LLM_IDLE_TIMEOUT_MS         longest silence in its stream, first token included (default 30000)
  SMS_WEBHOOK_URL             where verification codes are POSTed as {"to":"+33...","text":"..."}
                              (unset: the dev sender writes each code in the log)
  SMS_WEBHOOK_TOKEN           sent as Authorization: Bearer <token> to SMS_WEBHOOK_URL
  CHAT_CODE_TTL_SECONDS       life of a verification code (default 600)
  CHAT_CODE_RESEND_SECONDS    least time between two codes for a session (default 60)
  CHAT_RETENTION_DAYS         chat sessions whose last message is older are erased, with
                              their replies (default 365; 0 = keep them forever)
  CHAT_RETENTION_CHECK_SECONDS  between two retention sweeps; one runs at start (default 3600)
  CHAT_STREAM_TICKET_SECONDS  how long the streamTicket of a session answer opens its event
                              stream (default 300; direct mode, docs/protocol.md)

Exit codes: 0 after a clean stop (SIGINT, SIGTERM), 1 when start fails, 2 on bad config.
)") + kit::edge_usage("AGENT_SERVER", "127.0.0.0/8,::1");
  return text.c_str();
}

chat::Result<CommandLine> parse_command_line(const std::vector<std::string>& args,
                                             const std::function<const char*(const char*)>& getenv) {
  CommandLine out;
  Config& config = out.config;
  kit::Env env = [&](const char* name) -> std::optional<std::string> {
    const char* value = getenv(name);
    if (!value || !*value) return std::nullopt;
    return std::string(value);
  };
  auto env_int = [&](const char* name, int min, int max, int& target) {
    return kit::env_int(env, name, min, max, target);
  };
  if (auto r = kit::read_edge_config(env, "AGENT_SERVER", config.edge, config.trusted_proxies, config.budgets);
      !r) {
    return r.error();
  }

  std::optional<std::string> listen = env("AGENT_SERVER_LISTEN");
  if (auto v = env("DATABASE_URL")) config.database_url = *v;
  if (auto v = env("WIDGET_DIR")) config.widget_dir = *v;
  // It opens every agent (unset: the admin API is off).
  auto admin = kit::read_admin_token(env, "AGENT_SERVER_ADMIN_TOKEN");
  if (!admin) return admin.error();
  config.admin_token = admin->value_or("");
  if (auto v = env("LLM_BASE_URL")) config.llm_base_url = *v;
  if (auto v = env("LLM_API_KEY")) config.llm_api_key = *v;
  if (auto v = env("SMS_WEBHOOK_URL")) config.sms_webhook_url = *v;
  if (auto v = env("SMS_WEBHOOK_TOKEN")) config.sms_webhook_token = *v;
  for (const auto& r : {env_int("LOCAL_MODEL_WORD_MS", 0, 60000, config.local_model_word_ms),
                        env_int("CHAT_HEARTBEAT_MS", 10, 3600000, config.heartbeat_ms),
                        env_int("CHAT_SESSION_MESSAGES_PER_MIN", 0, 1000000, config.session_messages_per_minute),
                        env_int("CHAT_AGENT_MESSAGES_PER_MIN", 0, 1000000, config.agent_messages_per_minute),
                        env_int("AGENT_SERVER_THREADS", 16, 20000, config.threads),
                        env_int("AGENT_SERVER_MAX_STREAMS", 1, 20000, config.max_streams),
                        env_int("LLM_CONNECT_TIMEOUT_MS", 1, 600000, config.llm_connect_timeout_ms),
                        env_int("LLM_IDLE_TIMEOUT_MS", 1, 3600000, config.llm_idle_timeout_ms),
                        env_int("CHAT_CODE_TTL_SECONDS", 1, 3600, config.code_ttl_seconds),
                        env_int("CHAT_CODE_RESEND_SECONDS", 0, 3600, config.code_resend_seconds),
                        env_int("CHAT_RETENTION_DAYS", 0, 36500, config.retention_days),
                        env_int("CHAT_RETENTION_CHECK_SECONDS", 1, 86400, config.retention_check_seconds),
                        env_int("CHAT_STREAM_TICKET_SECONDS", 1, 86400, config.stream_ticket_seconds)}) {
    if (!r) return r.error();
  }

  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::optional<std::string> value;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
    }
    if (flag == "--help" || flag == "-h") {
      out.help = true;
      return out;
    }
    auto take = [&]() -> chat::Result<std::string> {
      if (value) return *value;
      if (i + 1 >= args.size()) return bad(flag + " needs a value");
      return args[++i];
    };
    if (flag == "--listen") {
      auto v = take();
      if (!v) return v.error();
      listen = v.value();
    } else if (flag == "--db") {
      auto v = take();
      if (!v) return v.error();
      config.database_url = v.value();
    } else if (flag == "--widget-dir") {
      auto v = take();
      if (!v) return v.error();
      config.widget_dir = v.value();
    } else if (flag == "--threads" || flag == "--max-streams") {
      bool threads = flag == "--threads";
      int min = threads ? 16 : 1;
      auto v = take();
      if (!v) return v.error();
      auto n = kit::parse_int(v.value(), min, 20000);
      if (!n) return bad(flag + " must be " + std::to_string(min) + " to 20000, got '" + v.value() + "'");
      (threads ? config.threads : config.max_streams) = *n;
    } else {
      return bad("unknown option '" + flag + "' (see --help)");
    }
  }
  if (listen) {
    if (auto r = parse_listen(*listen, config); !r) return r.error();
  }
  const int spare = std::max(8, config.threads / 8);
  if (config.max_streams == 0) {
    config.max_streams = config.threads - spare;
  } else if (config.max_streams > config.threads - 8) {
    return bad("the stream limit (" + std::to_string(config.max_streams) + ") must stay at least 8 under " +
               "the thread limit (" + std::to_string(config.threads) +
               "), so requests other than streams always find a worker");
  }
  auto url = config.database_url;
  if (url.rfind("sqlite:", 0) != 0 && url.rfind("postgres://", 0) != 0 && url.rfind("postgresql://", 0) != 0) {
    // Not echoed: a postgres URL may carry a password.
    return bad("the database URL must be sqlite:PATH or postgres://...");
  }
  if (url == "sqlite:") return bad("sqlite: needs a path, e.g. sqlite:agent-server.db");
  return out;
}

}  // namespace agent_server
