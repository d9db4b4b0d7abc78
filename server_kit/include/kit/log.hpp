#pragma once
// One JSON object per line on stdout: what every server event and request logs.
// Never pass a token or a verification code in the fields.

#include <string_view>

#include <nlohmann/json.hpp>

namespace kit {

/// Writes `{"ts":...,"level":...,<fields>}` as one line and flushes; thread-safe.
void log_line(std::string_view level, nlohmann::json fields);

/// Writes `{"ts":...,"level":...,"msg":...,<fields>}`.
void log_event(std::string_view level, std::string_view msg,
               const nlohmann::json& fields = nlohmann::json::object());

inline void log_info(const nlohmann::json& fields) { log_line("info", fields); }
inline void log_warn(const nlohmann::json& fields) { log_line("warn", fields); }
inline void log_error(const nlohmann::json& fields) { log_line("error", fields); }

}  // namespace kit
