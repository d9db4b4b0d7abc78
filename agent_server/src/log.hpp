#pragma once
// One JSON object per line on stdout: what every server event and request logs.
// Never pass a token or a verification code in the fields.

#include <string_view>

#include <nlohmann/json.hpp>

namespace agent_server {

/// Writes `{"ts":...,"level":...,"msg":...,<fields>}` and flushes, thread-safe.
void log_event(std::string_view level, std::string_view msg,
               const nlohmann::json& fields = nlohmann::json::object());

}  // namespace agent_server
