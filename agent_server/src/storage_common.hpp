#pragma once
// Helpers both storage backends share.

#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "chat/message.hpp"

namespace agent_server {

/// The `messages` column: a JSON array of Message objects.
std::string encode_messages(const std::vector<chat::Message>& messages);
chat::Result<std::vector<chat::Message>> decode_messages(std::string_view json);

/// Now, as stored and sent: "2026-11-24T20:18:52.123Z".
std::string now_timestamp();

/// A database failure as an internal_error that names the operation (never data).
chat::Error db_error(std::string_view operation, std::string_view detail);

}  // namespace agent_server
