#pragma once
// HTTP plumbing both servers' handlers use: the JSON error reply, bodies read with a
// limit, bearer tokens, constant-time comparison, request ids.

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "chat/error.hpp"

namespace kit {

/// Answers `status` with a JSON body.
void send_json(httplib::Response& res, int status, const std::string& body);
/// The JSON error body (docs/design.md#errors), its status, and Retry-After when it has one.
void send_error(httplib::Response& res, const chat::Error& error);
/// Like send_error, but an internal_error (a storage failure) is logged in full and
/// answered without its details.
void send_failure(const httplib::Request& req, httplib::Response& res, const chat::Error& error);

/// The token of `Authorization: Bearer <token>` (scheme case-insensitive, one header).
std::optional<std::string> bearer_token(const httplib::Request& req);

/// Compares in time that depends only on the lengths, not on where they differ.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

/// The Content-Length header as a number: 0 when absent, UINT64_MAX when unparsable.
std::uint64_t declared_length(const httplib::Request& req);
/// True when the request announces a body (Content-Length > 0 or Transfer-Encoding).
bool has_body(const httplib::Request& req);

/// Reads the whole body, chunked or not, refusing it past `limit` bytes
/// (payload_too_large) without buffering the rest. The request's deadline applies
/// while it reads (server.hpp).
chat::Result<std::string> read_body(const httplib::ContentReader& reader, std::size_t limit);

/// A route with a body: reads it through read_body (its limit and the request's
/// deadline hold, chunked or not), answers a body it cannot take, then calls
/// `handler(req, body, res)`.
using BodyHandler = std::function<void(const httplib::Request&, const std::string& body, httplib::Response&)>;
httplib::Server::HandlerWithContentReader with_body(std::size_t limit, BodyHandler handler);

/// A non-empty body must be declared application/json (unsupported_media_type).
chat::Result<void> require_json(const httplib::Request& req, const std::string& body);

/// 1 to 128 of [A-Za-z0-9._-]: a client's X-Request-Id we keep and pass on.
bool is_sane_request_id(std::string_view id) noexcept;
/// X-Request-Id when it is sane, else a new random one.
std::string request_id(const httplib::Request& req);

}  // namespace kit
