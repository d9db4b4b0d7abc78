#include "storage_common.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace agent_server {

std::string encode_messages(const std::vector<chat::Message>& messages) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& m : messages) {
    nlohmann::json j;
    to_json(j, m);
    array.push_back(std::move(j));
  }
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

chat::Result<std::vector<chat::Message>> decode_messages(std::string_view json) {
  auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_array()) {
    return chat::Error(chat::ErrorCode::internal_error, "stored messages are not a JSON array");
  }
  std::vector<chat::Message> messages;
  messages.reserve(parsed.size());
  for (const auto& item : parsed) {
    auto message = chat::message_from_json(item);
    if (!message) return chat::Error(chat::ErrorCode::internal_error, "stored message is malformed");
    messages.push_back(std::move(message).value());
  }
  return messages;
}

std::string now_timestamp() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return chat::format_timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

chat::Error db_error(std::string_view operation, std::string_view detail) {
  std::string message = "database error while ";
  message.append(operation);
  if (!detail.empty()) {
    message.append(": ");
    message.append(detail);
  }
  return chat::Error(chat::ErrorCode::internal_error, std::move(message));
}

}  // namespace agent_server
