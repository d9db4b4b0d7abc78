#include "kit/http.hpp"

#include <cctype>

#include "chat/random.hpp"
#include "chat/redact.hpp"
#include "kit/connections.hpp"
#include "kit/log.hpp"

namespace kit {

void send_json(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json");
}

void send_error(httplib::Response& res, const chat::Error& error) {
  if (error.retry_after) res.set_header("Retry-After", std::to_string(*error.retry_after));
  send_json(res, error.status(), error.body());
}

void send_failure(const httplib::Request& req, httplib::Response& res, const chat::Error& error) {
  if (error.code == chat::ErrorCode::internal_error) {
    log_event("error", "storage failure", {{"path", req.path}, {"error", chat::redact_secrets(error.message)}});
    return send_error(res, chat::Error(chat::ErrorCode::internal_error));
  }
  send_error(res, error);
}

std::optional<std::string> bearer_token(const httplib::Request& req) {
  if (req.get_header_value_count("Authorization") != 1) return std::nullopt;
  std::string value = req.get_header_value("Authorization");
  if (value.size() <= 7) return std::nullopt;
  std::string scheme = value.substr(0, 7);
  for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "bearer ") return std::nullopt;
  std::string token = value.substr(7);
  while (!token.empty() && token.front() == ' ') token.erase(token.begin());
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (token.empty()) return std::nullopt;
  return token;
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  // Always walk the longer length so the time does not tell the prefix.
  std::size_t n = a.size() > b.size() ? a.size() : b.size();
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff = static_cast<unsigned char>(diff | (x ^ y));
  }
  return diff == 0;
}

std::uint64_t declared_length(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return 0;
  std::string text = req.get_header_value("Content-Length");
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    return UINT64_MAX;
  }
  return std::stoull(text);
}

bool has_body(const httplib::Request& req) {
  return declared_length(req) > 0 || req.has_header("Transfer-Encoding");
}

chat::Result<std::string> read_body(const httplib::ContentReader& reader, std::size_t limit) {
  std::string body;
  bool too_large = false;
  BodyPhase reading;  // a slow body meets the request's deadline
  bool ok = reader([&](const char* data, std::size_t size) {
    if (body.size() + size > limit) {
      too_large = true;
      return false;
    }
    body.append(data, size);
    return true;
  });
  if (too_large) {
    return chat::Error(chat::ErrorCode::payload_too_large, "the body is over " + std::to_string(limit) + " bytes");
  }
  // cpp-httplib 0.11.4 reads chunked bodies without trailer fields: a body with one
  // ends here, refused as a bad request (never 413: its size is not the problem).
  if (!ok) {
    return chat::Error(chat::ErrorCode::invalid_request,
                       "the body could not be read (chunked bodies with trailer fields are not supported)");
  }
  return body;
}

httplib::Server::HandlerWithContentReader with_body(std::size_t limit, BodyHandler handler) {
  return [limit, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                               const httplib::ContentReader& reader) {
    auto body = read_body(reader, limit);
    if (!body) {
      // The rest of the body is still on the wire: this connection can't be reused.
      res.set_header("Connection", "close");
      return send_error(res, body.error());
    }
    handler(req, *body, res);
  };
}

chat::Result<void> require_json(const httplib::Request& req, const std::string& body) {
  if (body.empty()) return {};
  std::string type = req.get_header_value("Content-Type");
  if (auto semi = type.find(';'); semi != std::string::npos) type.resize(semi);
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "application/json") {
    return chat::Error(chat::ErrorCode::unsupported_media_type, "send the body as application/json");
  }
  return {};
}

bool is_sane_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

std::string request_id(const httplib::Request& req) {
  std::string id = req.get_header_value("X-Request-Id");
  return is_sane_request_id(id) ? id : chat::random_base64url(16);
}

}  // namespace kit
