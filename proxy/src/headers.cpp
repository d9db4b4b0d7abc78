#include "headers.hpp"

#include <array>

namespace proxy {
namespace {

// Header values from the client are copied only when they hold no CR, LF or NUL
// (httplib already refuses those, but the copy must not depend on it).
bool is_safe_value(std::string_view value) noexcept {
  if (value.size() > 1024) return false;
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

void copy_allowed(const httplib::Headers& from, httplib::Headers& to, const std::array<const char*, 4>& names) {
  for (const char* name : names) {
    if (name == nullptr) continue;
    auto it = from.find(name);
    if (it != from.end() && is_safe_value(it->second)) to.emplace(name, it->second);
  }
}

void add_forwarding(httplib::Headers& headers, const std::string& client_addr, const std::string& request_id) {
  // The client as this proxy determined it (kit::client_address): a browser's own
  // X-Forwarded-For is believed only from a trusted load balancer in front.
  headers.emplace("X-Forwarded-For", client_addr);
  headers.emplace("X-Forwarded-Proto", "http");
  headers.emplace("X-Request-Id", request_id);
}

}  // namespace

httplib::Headers chat_upstream_headers(const httplib::Headers& client, const std::string& client_addr,
                                       const std::string& request_id, const std::string& token) {
  httplib::Headers headers;
  copy_allowed(client, headers, {"X-Chat-Visitor", "Last-Event-ID", "Content-Type", "Accept"});
  add_forwarding(headers, client_addr, request_id);
  headers.emplace("Authorization", "Bearer " + token);
  return headers;
}

httplib::Headers widget_upstream_headers(const httplib::Headers& client, const std::string& client_addr,
                                         const std::string& request_id) {
  httplib::Headers headers;
  copy_allowed(client, headers, {"If-None-Match", "If-Modified-Since", nullptr, nullptr});
  add_forwarding(headers, client_addr, request_id);
  return headers;
}

void copy_downstream_headers(const httplib::Headers& upstream, httplib::Response& res) {
  for (const char* name : {"Cache-Control", "ETag", "Last-Modified", "Retry-After"}) {
    auto it = upstream.find(name);
    if (it != upstream.end() && is_safe_value(it->second)) res.set_header(name, it->second);
  }
}

}  // namespace proxy
