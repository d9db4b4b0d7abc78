#include "chat/error.hpp"

#include <array>
#include <limits>

#include <nlohmann/json.hpp>

#include "json_fields.hpp"

namespace chat {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
  std::string_view message;
};

// One row per code, in the enum's order: the wire name, the status and the default
// text live together so adding a code is one line.
constexpr std::array<CodeInfo, 33> kCodes{{
    {ErrorCode::invalid_json, "invalid_json", 400, "The request body is not valid JSON."},
    {ErrorCode::invalid_request, "invalid_request", 400, "The request is not valid."},
    {ErrorCode::invalid_path, "invalid_path", 400, "This path is not allowed."},
    {ErrorCode::unauthorized, "unauthorized", 401, "A valid bearer token is required."},
    {ErrorCode::forbidden, "forbidden", 403, "This token may not use this route."},
    {ErrorCode::chat_disabled, "chat_disabled", 403, "Chat is turned off for this agent."},
    {ErrorCode::phone_verification_required, "phone_verification_required", 403,
     "Verify your phone number before sending messages."},
    {ErrorCode::not_found, "not_found", 404, "No such route."},
    {ErrorCode::session_not_found, "session_not_found", 404, "No such chat session."},
    {ErrorCode::agent_not_found, "agent_not_found", 404, "No such agent."},
    {ErrorCode::restaurant_not_found, "restaurant_not_found", 404, "No such restaurant."},
    {ErrorCode::method_not_allowed, "method_not_allowed", 405, "This method is not allowed here."},
    {ErrorCode::already_verified, "already_verified", 409, "This session is already verified."},
    {ErrorCode::code_expired, "code_expired", 400, "The code has expired; ask for a new one."},
    {ErrorCode::invalid_code, "invalid_code", 400, "The code is not correct."},
    {ErrorCode::no_code_pending, "no_code_pending", 409, "No code was sent; ask for one first."},
    {ErrorCode::payload_too_large, "payload_too_large", 413, "The request body is too large."},
    {ErrorCode::unsupported_media_type, "unsupported_media_type", 415,
     "The request body must be application/json."},
    {ErrorCode::message_empty, "message_empty", 422, "The message is empty."},
    {ErrorCode::message_too_long, "message_too_long", 422,
     "The message is longer than 2000 characters."},
    {ErrorCode::invalid_utf8, "invalid_utf8", 422, "The text is not valid UTF-8."},
    {ErrorCode::invalid_phone, "invalid_phone", 422, "This is not a valid phone number."},
    {ErrorCode::invalid_visitor_id, "invalid_visitor_id", 422, "The visitor id is not valid."},
    {ErrorCode::reply_in_progress, "reply_in_progress", 429,
     "Please wait for the reply before sending another message."},
    {ErrorCode::rate_limited, "rate_limited", 429, "Too many requests; try again later."},
    {ErrorCode::too_many_attempts, "too_many_attempts", 429, "Too many attempts; try again later."},
    {ErrorCode::internal_error, "internal_error", 500, "Something went wrong on our side."},
    {ErrorCode::upstream_error, "upstream_error", 502, "The chat service failed to answer."},
    {ErrorCode::model_error, "model_error", 502, "The assistant failed while replying."},
    {ErrorCode::chat_unavailable, "chat_unavailable", 503,
     "Chat is not available for this restaurant."},
    {ErrorCode::server_busy, "server_busy", 503, "The server is busy; try again shortly."},
    {ErrorCode::database_unavailable, "database_unavailable", 503, "The database cannot be written."},
    {ErrorCode::upstream_timeout, "upstream_timeout", 504, "The chat service took too long to answer."},
}};

static_assert(kCodes.size() == static_cast<std::size_t>(ErrorCode::upstream_timeout) + 1,
              "one row per ErrorCode");

const CodeInfo& info(ErrorCode code) noexcept {
  const auto index = static_cast<std::size_t>(code);
  // The table follows the enum's order; an out-of-range value (a cast from garbage)
  // reads as internal_error rather than past the end.
  if (index < kCodes.size() && kCodes[index].code == code) return kCodes[index];
  return kCodes[static_cast<std::size_t>(ErrorCode::internal_error)];
}

}  // namespace

std::string_view to_string(ErrorCode code) noexcept { return info(code).name; }

std::optional<ErrorCode> error_code_from_string(std::string_view name) noexcept {
  for (const auto& row : kCodes) {
    if (row.name == name) return row.code;
  }
  return std::nullopt;
}

int http_status(ErrorCode code) noexcept { return info(code).status; }

std::string_view default_message(ErrorCode code) noexcept { return info(code).message; }

void to_json(nlohmann::json& j, const Error& e) {
  nlohmann::json inner = nlohmann::json::object();
  inner["code"] = std::string(to_string(e.code));
  inner["message"] = e.message;
  if (e.attempts_left) inner["attemptsLeft"] = *e.attempts_left;
  if (e.retry_after) inner["retryAfter"] = *e.retry_after;
  j = nlohmann::json::object();
  j["error"] = std::move(inner);
}

std::string Error::body() const {
  nlohmann::json j;
  to_json(j, *this);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

std::optional<int> int_field(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_integer()) return std::nullopt;
  // Stored as int64/uint64; values past int's range are not a count we sent.
  if (it->is_number_unsigned()) {
    const auto v = it->get_ref<const nlohmann::json::number_unsigned_t&>();
    if (v > static_cast<nlohmann::json::number_unsigned_t>(std::numeric_limits<int>::max())) return std::nullopt;
    return static_cast<int>(v);
  }
  const auto v = it->get_ref<const nlohmann::json::number_integer_t&>();
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) return std::nullopt;
  return static_cast<int>(v);
}

}  // namespace

std::optional<Error> decode_error(std::string_view body) {
  const auto j = detail::parse_json(body).value_or(nlohmann::json(nlohmann::json::value_t::discarded));
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  const auto outer = j.find("error");
  if (outer == j.end() || !outer->is_object()) return std::nullopt;
  const auto code = outer->find("code");
  if (code == outer->end() || !code->is_string()) return std::nullopt;

  Error e;
  const auto parsed = error_code_from_string(code->get_ref<const std::string&>());
  e.code = parsed.value_or(ErrorCode::internal_error);
  const auto message = outer->find("message");
  if (message != outer->end() && message->is_string()) {
    e.message = message->get_ref<const std::string&>();
  } else {
    e.message = std::string(default_message(e.code));
  }
  e.attempts_left = int_field(*outer, "attemptsLeft");
  e.retry_after = int_field(*outer, "retryAfter");
  return e;
}

}  // namespace chat
