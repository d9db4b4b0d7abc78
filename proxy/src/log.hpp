#pragma once
/// \file One JSON line per event on stdout. Callers never pass tokens.

#include <nlohmann/json.hpp>

namespace chat::proxy {

/// Writes `fields` plus "ts" and "level" as one line; thread-safe.
void log_line(const char* level, nlohmann::json fields);
inline void log_info(nlohmann::json fields) { log_line("info", std::move(fields)); }
inline void log_warn(nlohmann::json fields) { log_line("warn", std::move(fields)); }
inline void log_error(nlohmann::json fields) { log_line("error", std::move(fields)); }

}  // namespace chat::proxy
