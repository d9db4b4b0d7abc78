#include "storage_common.hpp"

#include <algorithm>
#include <chrono>
#include <set>

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

std::optional<std::string> encode_suggestions(const std::optional<std::vector<std::string>>& suggestions) {
  if (!suggestions) return std::nullopt;
  return nlohmann::json(*suggestions).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<std::vector<std::string>> decode_suggestions(const std::optional<std::string>& column) {
  if (!column) return std::nullopt;
  auto parsed = nlohmann::json::parse(*column, nullptr, false);
  if (!parsed.is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : parsed) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<std::string> encode_origins(const std::vector<std::string>& origins) {
  if (origins.empty()) return std::nullopt;
  return encode_suggestions(origins);
}

std::vector<std::string> decode_origins(const std::optional<std::string>& column) {
  return decode_suggestions(column).value_or(std::vector<std::string>{});
}

std::vector<std::string> union_of_origins(const std::vector<std::string>& columns) {
  std::set<std::string> all;
  for (const auto& column : columns) {
    for (auto& origin : decode_origins(column)) all.insert(std::move(origin));
  }
  return {all.begin(), all.end()};
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

ReplyRecord reply_from_columns(std::string session_id, std::string in_reply_to, std::string reply_id,
                               std::string_view state, std::string instance_id,
                               const std::optional<std::string>& error_code, std::string lang) {
  ReplyRecord r;
  r.session_id = std::move(session_id);
  r.in_reply_to = std::move(in_reply_to);
  r.reply_id = std::move(reply_id);
  r.state = chat::reply_state_from_string(state).value_or(chat::ReplyState::interrupted);
  r.instance_id = std::move(instance_id);
  if (error_code) r.error = chat::error_code_from_string(*error_code).value_or(chat::ErrorCode::internal_error);
  r.lang = std::move(lang);
  return r;
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
