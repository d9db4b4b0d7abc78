#pragma once
/// \file Error codes, the one JSON error body, and Result<T>: errors are values.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <nlohmann/json_fwd.hpp>

namespace chat {

/// Every error the system reports, on the wire as snake_case strings.
enum class ErrorCode {
  invalid_json,                 ///< 400 body is not JSON
  invalid_request,              ///< 400 wrong type, missing or unknown field
  invalid_path,                 ///< 400 a path the proxy refuses to forward
  unauthorized,                 ///< 401 missing or wrong bearer token
  stream_ticket_expired,        ///< 401 the event stream's ticket is past its time: load the session for a new one
  forbidden,                    ///< 403 token valid but not for this route
  chat_disabled,                ///< 403 the agent's chat is off
  phone_verification_required,  ///< 403 the agent requires a verified phone
  origin_not_allowed,           ///< 403 a browser call from a site the agent does not allow (chatAllowedOrigins)
  not_found,                    ///< 404 no such route
  session_not_found,            ///< 404 unknown session, or not this visitor's
  agent_not_found,              ///< 404
  restaurant_not_found,         ///< 404
  method_not_allowed,           ///< 405
  request_timeout,              ///< 408 the request's head or body came too slowly
  already_verified,             ///< 409
  code_expired,                 ///< 400 verification code too old, ask a new one
  invalid_code,                 ///< 400 wrong verification code (attemptsLeft)
  no_code_pending,              ///< 409 verify before any code was sent
  payload_too_large,            ///< 413 body over the limit
  unsupported_media_type,       ///< 415 not application/json
  headers_too_large,            ///< 431 too many header lines or bytes
  message_empty,                ///< 422 nothing left after trimming
  message_too_long,             ///< 422 over 2000 characters
  invalid_utf8,                 ///< 422
  invalid_phone,                ///< 422 not a phone number
  invalid_visitor_id,           ///< 422
  reply_in_progress,            ///< 429 one reply at a time per session
  rate_limited,                 ///< 429 with Retry-After
  too_many_connections,         ///< 429 one client holds too many connections
  too_many_attempts,            ///< 429 verification attempts or sends exhausted
  internal_error,               ///< 500
  upstream_error,               ///< 502 the agent server or the model failed
  model_error,                  ///< 502 the model failed while replying
  model_unavailable,            ///< 503 the model server could not be reached or refused the request
  chat_unavailable,             ///< 503 restaurant has no agent token
  server_busy,                  ///< 503 too many open streams
  database_unavailable,         ///< 503 the database cannot be written (/healthz)
  reply_interrupted,            ///< 503 the reply was cut off (a crash, a restart): ask again
  server_stopping,              ///< 503 the server is shutting down: try again shortly (another instance)
  upstream_timeout,             ///< 504
};

/// The snake_case name of a code, as sent on the wire.
std::string_view to_string(ErrorCode code) noexcept;
/// Parses a wire name back; nullopt for an unknown name.
std::optional<ErrorCode> error_code_from_string(std::string_view name) noexcept;
/// The HTTP status that goes with a code.
int http_status(ErrorCode code) noexcept;
/// A plain English message for a code, used when no better one is at hand.
std::string_view default_message(ErrorCode code) noexcept;
/// The short message for a code in a session's language: French for "fr" (and
/// "fr-CA"...), Italian for "it", English for any other. Says nothing about
/// internals: safe for visitors.
std::string_view localized_message(ErrorCode code, std::string_view lang) noexcept;

/// One error: `{"error":{"code":"...","message":"...", "attemptsLeft"?: n, "retryAfter"?: s}}`.
struct Error {
  ErrorCode code = ErrorCode::internal_error;
  std::string message;
  std::optional<int> attempts_left;  ///< verification attempts remaining
  std::optional<int> retry_after;    ///< seconds, also sent as Retry-After

  Error() = default;
  // Implicit on purpose: an ErrorCode is an Error with its default message.
  Error(ErrorCode c) : code(c), message(default_message(c)) {}  // NOLINT(google-explicit-constructor)
  Error(ErrorCode c, std::string msg) : code(c), message(std::move(msg)) {}
  /// The code with its short message in `lang` (localized_message): what a visitor sees.
  static Error localized(ErrorCode c, std::string_view lang) {
    return Error(c, std::string(localized_message(c, lang)));
  }

  int status() const noexcept { return http_status(code); }
  /// The whole JSON body as a string.
  std::string body() const;
  friend bool operator==(const Error& a, const Error& b) {
    return a.code == b.code && a.message == b.message && a.attempts_left == b.attempts_left &&
           a.retry_after == b.retry_after;
  }
};

void to_json(nlohmann::json& j, const Error& e);
/// Decodes an error body (`{"error":{...}}`); unknown codes decode to internal_error.
std::optional<Error> decode_error(std::string_view body);

/// A value or an Error: what crosses every boundary (HTTP, database, WASM).
template <class T>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose: `return value;`, `return error;` and `return ErrorCode::x;`.
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)
  Result(ErrorCode code) : v_(std::in_place_index<1>, Error(code)) {}    // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const& { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

/// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  // Implicit on purpose: `return error;` and `return ErrorCode::x;`.
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  Result(ErrorCode code) : error_(Error(code)) {}    // NOLINT(google-explicit-constructor)
  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& { return *error_; }

 private:
  std::optional<Error> error_;
};

}  // namespace chat
