#pragma once
// Helpers both storage backends share.

#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "chat/message.hpp"
#include "storage.hpp"

namespace agent_server {

/// The `messages` column: a JSON array of Message objects.
std::string encode_messages(const std::vector<chat::Message>& messages);
chat::Result<std::vector<chat::Message>> decode_messages(std::string_view json);

/// A chat_replies row from its text columns (state and error code by name); an
/// unknown state reads as interrupted, an unknown code as internal_error.
ReplyRecord reply_from_columns(std::string session_id, std::string in_reply_to, std::string reply_id,
                               std::string_view state, std::string instance_id,
                               const std::optional<std::string>& error_code, std::string lang);

/// The `chat_suggestions` column: a JSON array of strings, NULL for the defaults.
std::optional<std::string> encode_suggestions(const std::optional<std::vector<std::string>>& suggestions);
/// A column that does not read as an array of strings reads as NULL (the defaults).
std::optional<std::vector<std::string>> decode_suggestions(const std::optional<std::string>& column);
/// The `chat_allowed_origins` column: a JSON array of origins, NULL when there is none.
std::optional<std::string> encode_origins(const std::vector<std::string>& origins);
std::vector<std::string> decode_origins(const std::optional<std::string>& column);
/// Every origin of several `chat_allowed_origins` columns, each once, sorted.
std::vector<std::string> union_of_origins(const std::vector<std::string>& columns);

/// Now, as stored and sent: "2026-11-24T20:18:52.123Z".
std::string now_timestamp();

/// A database failure as an internal_error that names the operation (never data).
chat::Error db_error(std::string_view operation, std::string_view detail);

}  // namespace agent_server
