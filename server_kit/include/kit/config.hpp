#pragma once
// Helpers for both servers' flags and environment variables.

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "chat/error.hpp"
#include "kit/budgets.hpp"
#include "kit/connections.hpp"

namespace kit {

/// Reads one environment variable; nullopt when unset or empty.
using Env = std::function<std::optional<std::string>(const char* name)>;
/// The process environment.
std::optional<std::string> process_env(const char* name);

/// A decimal integer in [min, max]; nullopt otherwise.
std::optional<int> parse_int(const std::string& text, int min, int max);
/// "host:port" (port 0 allowed; [v6] brackets removed).
chat::Result<std::pair<std::string, int>> parse_listen(const std::string& text);

/// `target` from the integer variable `name` when set; an error names the range.
chat::Result<void> env_int(const Env& env, const char* name, int min, int max, int& target);
/// An admin token from `name`: nullopt when unset or empty; refused (naming the
/// variable, never its value) when it is not printable ASCII without spaces or is
/// shorter than 32 characters, which could be guessed.
chat::Result<std::optional<std::string>> read_admin_token(const Env& env, const char* name);

/// The edge's limits and budgets, from `<PREFIX>_HEAD_TIMEOUT_MS`,
/// `<PREFIX>_REQUEST_TIMEOUT_MS`, `<PREFIX>_MAX_CONNECTIONS_PER_CLIENT`,
/// `<PREFIX>_TRUSTED_PROXIES` (`trusted` keeps its default when unset) and the
/// per-client budgets `CHAT_CLIENT_*` (operator guide).
chat::Result<void> read_edge_config(const Env& env, const std::string& prefix, EdgeLimits& limits,
                                    TrustedProxies& trusted, BudgetLimits& budgets);

/// The edge's part of --help.
std::string edge_usage(const std::string& prefix, const std::string& trusted_default);

}  // namespace kit
