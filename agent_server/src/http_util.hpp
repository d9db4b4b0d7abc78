#pragma once
// HTTP plumbing shared by the handlers: error bodies, bodies read with a limit,
// bearer tokens, constant-time comparison.

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>

#include "chat/error.hpp"

namespace agent_server {

/// The JSON error body of DESIGN.md, its status, and Retry-After when it has one.
void send_error(httplib::Response& res, const chat::Error& error);
/// Like send_error, but an internal_error (a storage failure) is logged in full
/// and answered without its details.
void send_failure(const httplib::Request& req, httplib::Response& res, const chat::Error& error);
void send_json(httplib::Response& res, int status, const std::string& body);

/// The token of `Authorization: Bearer <token>`, if the header has that shape.
std::optional<std::string> bearer_token(const httplib::Request& req);

/// Compares in time that depends only on the lengths, not on where they differ.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

/// Reads the whole body, chunked or not, refusing it past `limit` bytes
/// (payload_too_large) without buffering the rest.
chat::Result<std::string> read_body(const httplib::ContentReader& reader, std::size_t limit);

/// A non-empty body must be declared application/json (unsupported_media_type).
chat::Result<void> require_json(const httplib::Request& req, const std::string& body);

/// The request id: X-Request-Id when it is sane (1-128 of [A-Za-z0-9._-]), else a new one.
std::string request_id(const httplib::Request& req);

}  // namespace agent_server
