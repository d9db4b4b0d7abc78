#include "http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

namespace test_support {

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

nlohmann::json HttpResponse::json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpResponse::error_code() const {
  auto j = json();
  if (j.is_object() && j.contains("error") && j["error"].is_object() && j["error"].contains("code") &&
      j["error"]["code"].is_string()) {
    return j["error"]["code"].get<std::string>();
  }
  return {};
}

HttpClient::HttpClient(int port, std::string host) : host_(std::move(host)), port_(port) {}

HttpClient& HttpClient::from(std::string source_ip) {
  source_ip_ = std::move(source_ip);
  return *this;
}

HttpClient& HttpClient::with_header(const std::string& name, const std::string& value) {
  defaults_.erase(name);
  defaults_.emplace(name, value);
  return *this;
}

HttpResponse HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                                 const httplib::Headers& headers, const std::string& content_type) const {
  httplib::Client cli(host_, port_);
  cli.set_connection_timeout(std::chrono::seconds(5));
  cli.set_read_timeout(std::chrono::seconds(30));
  cli.set_tcp_nodelay(true);
  if (!source_ip_.empty()) {
    cli.set_socket_options([source = source_ip_](socket_t fd) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
      ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local);
    });
  }
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = defaults_;
  for (const auto& [k, v] : headers) {
    req.headers.erase(k);
    req.headers.emplace(k, v);
  }
  if (!body.empty()) {
    req.body = body;
    if (!content_type.empty() && !req.headers.count("Content-Type")) {
      req.headers.emplace("Content-Type", content_type);
    }
  }
  auto result = cli.send(req);
  HttpResponse out;
  if (!result) return out;
  out.status = result->status;
  out.body = result->body;
  out.headers = result->headers;
  return out;
}

HttpResponse HttpClient::get(const std::string& path, const httplib::Headers& headers) const {
  return request("GET", path, "", headers);
}

HttpResponse HttpClient::post(const std::string& path, const std::string& body, const httplib::Headers& headers,
                              const std::string& content_type) const {
  return request("POST", path, body, headers, content_type);
}

HttpResponse HttpClient::post_json(const std::string& path, const nlohmann::json& body,
                                   const httplib::Headers& headers) const {
  return request("POST", path, body.dump(), headers);
}

HttpResponse HttpClient::patch_json(const std::string& path, const nlohmann::json& body,
                                    const httplib::Headers& headers) const {
  return request("PATCH", path, body.dump(), headers);
}

std::string raw_http(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return out;
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (e.g. a refused body): read its answer
    sent += static_cast<std::size_t>(n);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

int connect_from(const std::string& source_ip, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source_ip.c_str(), &local.sin_addr);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

long resident_kb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

int raw_status(const std::string& response) {
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.substr(9, 3).c_str());
}

std::string raw_body(const std::string& response) {
  auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : response.substr(end + 4);
}

}  // namespace test_support
