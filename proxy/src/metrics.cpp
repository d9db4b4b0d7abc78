#include "metrics.hpp"

namespace proxy {

void Metrics::count_request(const std::string& route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

void Metrics::count_upstream_error(const std::string& kind) {
  std::lock_guard lock(mutex_);
  ++upstream_errors_[kind];
}

std::string Metrics::render(const UpstreamPoolCounts& pool) const {
  std::string out;
  out += "# HELP chat_proxy_requests_total Requests answered, by route and status.\n";
  out += "# TYPE chat_proxy_requests_total counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : requests_) {
    out += "chat_proxy_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) +
           "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP chat_proxy_open_streams Event streams being relayed now.\n";
  out += "# TYPE chat_proxy_open_streams gauge\n";
  out += "chat_proxy_open_streams " + std::to_string(open_streams_.load()) + "\n";
  out += "# HELP chat_proxy_streams_total Event streams relayed since start.\n";
  out += "# TYPE chat_proxy_streams_total counter\n";
  out += "chat_proxy_streams_total " + std::to_string(streams_total_.load()) + "\n";
  out += "# HELP chat_proxy_upstream_errors_total Failed calls to the agent server, by kind.\n";
  out += "# TYPE chat_proxy_upstream_errors_total counter\n";
  for (const auto& [kind, count] : upstream_errors_) {
    out += "chat_proxy_upstream_errors_total{kind=\"" + kind + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP chat_proxy_upstream_connections_opened_total Connections opened to the agent server.\n";
  out += "# TYPE chat_proxy_upstream_connections_opened_total counter\n";
  out += "chat_proxy_upstream_connections_opened_total " + std::to_string(pool.opened) + "\n";
  out += "# HELP chat_proxy_upstream_connections_reused_total Requests sent on a kept-alive connection.\n";
  out += "# TYPE chat_proxy_upstream_connections_reused_total counter\n";
  out += "chat_proxy_upstream_connections_reused_total " + std::to_string(pool.reused) + "\n";
  out += "# HELP chat_proxy_upstream_connections_idle Kept-alive connections waiting for a request.\n";
  out += "# TYPE chat_proxy_upstream_connections_idle gauge\n";
  out += "chat_proxy_upstream_connections_idle " + std::to_string(pool.idle) + "\n";
  connections.render(out, "chat_proxy");
  return out;
}

}  // namespace proxy
