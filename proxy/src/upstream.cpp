#include "upstream.hpp"

namespace chat::proxy {
namespace {
// Connecting on a LAN is quick or hopeless: a refused connection fails at once anyway.
constexpr int kConnectTimeoutMs = 2000;
constexpr int kWriteTimeoutMs = 5000;

void set_ms(httplib::Client& cli, void (httplib::Client::*setter)(time_t, time_t), int ms) {
  (cli.*setter)(ms / 1000, static_cast<time_t>(ms % 1000) * 1000);
}
}  // namespace

std::unique_ptr<httplib::Client> make_upstream_client(const Origin& origin, int read_timeout_ms) {
  // The (host, port) constructor skips the std::regex that parses a URL string, which
  // showed in the benchmark; https needs the URL form.
  auto cli = origin.scheme == "http" ? std::make_unique<httplib::Client>(origin.host, origin.port)
                                     : std::make_unique<httplib::Client>(origin.to_string());
  cli->set_url_encode(false);
  cli->set_tcp_nodelay(true);
  cli->set_keep_alive(false);
  // The browser's Accept-Encoding never passes, so bodies come as they are.
  cli->set_decompress(false);
  set_ms(*cli, &httplib::Client::set_connection_timeout, std::min(kConnectTimeoutMs, read_timeout_ms));
  set_ms(*cli, &httplib::Client::set_read_timeout, read_timeout_ms);
  set_ms(*cli, &httplib::Client::set_write_timeout, kWriteTimeoutMs);
  return cli;
}

UpstreamFailure classify_upstream_error(httplib::Error error, std::chrono::milliseconds elapsed,
                                        int read_timeout_ms) {
  using httplib::Error;
  if (error == Error::ConnectionTimeout) {
    return {chat::Error(ErrorCode::upstream_timeout, "the agent server did not accept the connection in time"), "timeout"};
  }
  if (error == Error::Read && elapsed.count() >= read_timeout_ms * 9 / 10) {
    return {chat::Error(ErrorCode::upstream_timeout, "the agent server did not answer in time"), "timeout"};
  }
  if (error == Error::Connection) {
    return {chat::Error(ErrorCode::upstream_error, "the agent server is unreachable"), "connect"};
  }
  return {chat::Error(ErrorCode::upstream_error, "the agent server failed: " + httplib::to_string(error)),
          error == Error::Read ? "read" : "other"};
}

}  // namespace chat::proxy
