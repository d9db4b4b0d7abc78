#include "kit/config.hpp"

#include <charconv>
#include <cstdlib>

namespace kit {
namespace {

chat::Error bad(std::string message) { return chat::Error(chat::ErrorCode::invalid_request, std::move(message)); }

}  // namespace

std::optional<std::string> process_env(const char* name) {
  const char* value = std::getenv(name);  // read before threads start
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::optional<int> parse_int(const std::string& text, int min, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

chat::Result<std::pair<std::string, int>> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return bad("the listen address must be HOST:PORT, got '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = parse_int(text.substr(colon + 1), 0, 65535);
  if (!port) return bad("the listen port must be 0 to 65535, got '" + text.substr(colon + 1) + "'");
  return std::make_pair(host, *port);
}

chat::Result<void> env_int(const Env& env, const char* name, int min, int max, int& target) {
  auto text = env(name);
  if (!text || text->empty()) return {};
  auto value = parse_int(*text, min, max);
  if (!value) {
    return bad(std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
               std::to_string(max) + ", got '" + *text + "'");
  }
  target = *value;
  return {};
}

chat::Result<std::optional<std::string>> read_admin_token(const Env& env, const char* name) {
  constexpr std::size_t kMinLength = 32;
  auto value = env(name);
  if (!value || value->empty()) return std::optional<std::string>{};
  // Whitespace would only ever come from a copy-paste slip: refused, not trimmed.
  for (char c : *value) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return bad(std::string(name) + " must be printable ASCII without spaces");
  }
  if (value->size() < kMinLength) {
    return bad(std::string(name) +
               " is shorter than 32 characters; make one with `openssl rand -hex 32` (or leave it unset)");
  }
  return value;
}

chat::Result<void> read_edge_config(const Env& env, const std::string& prefix, EdgeLimits& limits,
                                    TrustedProxies& trusted, BudgetLimits& budgets) {
  auto name = [&](const char* suffix) { return prefix + "_" + suffix; };
  int head_ms = static_cast<int>(limits.head_timeout.count());
  int request_ms = static_cast<int>(limits.request_timeout.count());
  int drain_seconds = static_cast<int>(limits.drain_timeout.count() / 1000);
  for (const auto& r :
       {env_int(env, name("HEAD_TIMEOUT_MS").c_str(), 100, 600000, head_ms),
        env_int(env, name("REQUEST_TIMEOUT_MS").c_str(), 100, 600000, request_ms),
        env_int(env, name("MAX_CONNECTIONS_PER_CLIENT").c_str(), 0, 1000000, limits.max_connections_per_client),
        env_int(env, name("DRAIN_SECONDS").c_str(), 0, 3600, drain_seconds),
        env_int(env, "CHAT_CLIENT_SESSIONS_PER_HOUR", 0, 1000000, budgets.sessions_per_hour),
        env_int(env, "CHAT_CLIENT_MESSAGES_PER_MIN", 0, 1000000, budgets.messages_per_minute),
        env_int(env, "CHAT_CLIENT_SMS_PER_HOUR", 0, 1000000, budgets.sms_per_hour),
        env_int(env, "CHAT_CLIENT_PHONES_PER_HOUR", 0, 1000000, budgets.phones_per_hour)}) {
    if (!r) return r.error();
  }
  limits.head_timeout = std::chrono::milliseconds(head_ms);
  limits.request_timeout = std::chrono::milliseconds(request_ms);
  limits.drain_timeout = std::chrono::seconds(drain_seconds);
  if (auto text = env(name("TRUSTED_PROXIES").c_str())) {
    auto parsed = TrustedProxies::parse(*text == "none" ? "" : *text);
    if (!parsed) return bad(name("TRUSTED_PROXIES") + ": " + parsed.error().message);
    trusted = std::move(parsed).value();
  }
  return {};
}

std::string edge_usage(const std::string& prefix, const std::string& trusted_default) {
  return "Edge limits (docs/operator-guide.md, Security):\n"
         "  " +
         prefix + "_TRUSTED_PROXIES   CIDR list whose X-Forwarded-For is believed (default " + trusted_default +
         "; none = no one)\n"
         "  " +
         prefix +
         "_HEAD_TIMEOUT_MS   a request's head must arrive within (default 10000)\n"
         "  " +
         prefix +
         "_REQUEST_TIMEOUT_MS  head and body within (default 30000)\n"
         "  " +
         prefix +
         "_MAX_CONNECTIONS_PER_CLIENT  open at once per client address (default 256, 0 = off)\n"
         "  " +
         prefix +
         "_DRAIN_SECONDS   on SIGTERM: stop accepting, let the work in flight end within\n"
         "                                  this, then cut the rest and exit (default 10; operator guide)\n"
         "  CHAT_CLIENT_SESSIONS_PER_HOUR   new chat sessions per client (default 20, 0 = off)\n"
         "  CHAT_CLIENT_MESSAGES_PER_MIN    messages per client (default 12, 0 = off)\n"
         "  CHAT_CLIENT_SMS_PER_HOUR        verification codes sent per client (default 5, 0 = off)\n"
         "  CHAT_CLIENT_PHONES_PER_HOUR     distinct phone numbers per client (default 3, 0 = off)\n";
}

}  // namespace kit
