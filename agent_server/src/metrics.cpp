#include "metrics.hpp"

namespace agent_server {
void Metrics::count_request(const std::string& route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

void Metrics::reply_finished(bool ok, double seconds) {
  // The histogram first: a reader that sees the reply counted sees its time too.
  if (ok) reply_seconds_.observe(seconds);
  (ok ? replies_ok_ : replies_failed_)++;
}

void Metrics::error(const std::string& code) {
  std::lock_guard lock(mutex_);
  ++errors_[code];
}

std::string Metrics::render() const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP agent_http_requests_total HTTP requests by route and status.\n";
    out += "# TYPE agent_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out += "agent_http_requests_total{route=\"" + key.first + "\",status=\"" + std::to_string(key.second) +
             "\"} " + std::to_string(n) + "\n";
    }
    out += "# HELP agent_errors_total Error responses and events by code.\n";
    out += "# TYPE agent_errors_total counter\n";
    for (const auto& [code, n] : errors_) {
      out += "agent_errors_total{code=\"" + code + "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP agent_open_streams Event streams open now.\n# TYPE agent_open_streams gauge\n";
  out += "agent_open_streams " + std::to_string(open_streams_.load()) + "\n";
  connections.render(out, "agent");
  out += "# HELP agent_replies_total Agent replies by outcome.\n# TYPE agent_replies_total counter\n";
  out += "agent_replies_total{outcome=\"ok\"} " + std::to_string(replies_ok_.load()) + "\n";
  out += "agent_replies_total{outcome=\"error\"} " + std::to_string(replies_failed_.load()) + "\n";
  reply_seconds_.render(out, "agent_reply_seconds", "Time from a visitor message to the stored reply.");
  first_delta_.render(out, "agent_first_delta_seconds",
                      "Time from a visitor message to the first delta of the reply.");
  return out;
}

}  // namespace agent_server
