#pragma once
// HTTP for tests: a small client over httplib::Client (one connection per call) and
// raw bytes on a socket for what a well-behaved client would never send.

#include <httplib.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

namespace test_support {

struct HttpResponse {
  int status = 0;  ///< 0 when the connection failed
  std::string body;
  httplib::Headers headers;

  std::string header(const std::string& name) const;
  /// The body parsed as JSON (discarded value when it is not JSON).
  nlohmann::json json() const;
  /// The `error.code` of a JSON error body, or "".
  std::string error_code() const;
};

class HttpClient {
 public:
  explicit HttpClient(int port, std::string host = "127.0.0.1");

  /// Connects from `source_ip` (127.0.0.2, 127.0.0.3...: distinct clients on loopback).
  HttpClient& from(std::string source_ip);
  /// Headers sent with every request (e.g. Authorization).
  HttpClient& with_header(const std::string& name, const std::string& value);

  HttpResponse get(const std::string& path, const httplib::Headers& headers = {}) const;
  HttpResponse post(const std::string& path, const std::string& body, const httplib::Headers& headers = {},
                    const std::string& content_type = "application/json") const;
  HttpResponse post_json(const std::string& path, const nlohmann::json& body,
                         const httplib::Headers& headers = {}) const;
  HttpResponse patch_json(const std::string& path, const nlohmann::json& body,
                          const httplib::Headers& headers = {}) const;
  /// Any method; the body is sent with `content_type` when not empty.
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body,
                       const httplib::Headers& headers = {},
                       const std::string& content_type = "application/json") const;

 private:
  std::string host_;
  int port_;
  std::string source_ip_;
  httplib::Headers defaults_;
};

/// Sends `bytes` on a new connection and returns all it reads until the server
/// closes or `timeout` passes.
std::string raw_http(int port, const std::string& bytes,
                     std::chrono::milliseconds timeout = std::chrono::seconds(5));
/// A connected TCP socket to 127.0.0.1:`port` from `source_ip` (any port); -1 on failure.
int connect_from(const std::string& source_ip, int port);
/// The resident memory of process `pid`, in KB (0 when unknown).
long resident_kb(int pid);
/// The status code of a raw HTTP response ("HTTP/1.1 404 ..."), or 0.
int raw_status(const std::string& response);
/// The body of a raw response (after the blank line; chunked encoding not decoded).
std::string raw_body(const std::string& response);

}  // namespace test_support
