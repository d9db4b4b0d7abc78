#include "metrics.hpp"

#include <cstdio>

namespace agent_server {
namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Histogram::observe(double seconds) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += seconds;
}

void Histogram::render(std::string& out, const std::string& name, const std::string& help) const {
  std::lock_guard lock(mutex_);
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    out += name + "_bucket{le=\"" + number(kBounds[i]) + "\"} " + std::to_string(buckets_[i]) + "\n";
  }
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
  out += name + "_sum " + number(sum_) + "\n";
  out += name + "_count " + std::to_string(count_) + "\n";
}

void Metrics::count_request(const std::string& route, int status) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

void Metrics::reply_finished(bool ok, double seconds) {
  (ok ? replies_ok_ : replies_failed_)++;
  if (ok) reply_seconds_.observe(seconds);
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
      out += "agent_http_requests_total{route=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
    }
    out += "# HELP agent_errors_total Error responses and events by code.\n";
    out += "# TYPE agent_errors_total counter\n";
    for (const auto& [code, n] : errors_) {
      out += "agent_errors_total{code=\"" + code + "\"} " + std::to_string(n) + "\n";
    }
  }
  out += "# HELP agent_open_streams Event streams open now.\n# TYPE agent_open_streams gauge\n";
  out += "agent_open_streams " + std::to_string(open_streams_.load()) + "\n";
  out += "# HELP agent_workers Connection workers started (each open stream holds one).\n"
         "# TYPE agent_workers gauge\n"
         "agent_workers " + std::to_string(workers_.load()) + "\n";
  out += "# HELP agent_workers_busy Connection workers serving a connection now.\n"
         "# TYPE agent_workers_busy gauge\n"
         "agent_workers_busy " + std::to_string(workers_busy_.load()) + "\n";
  out += "# HELP agent_connections_shed_total Connections answered 503 because every worker was busy.\n"
         "# TYPE agent_connections_shed_total counter\n"
         "agent_connections_shed_total " + std::to_string(connections_shed_.load()) + "\n";
  out += "# HELP agent_replies_total Agent replies by outcome.\n# TYPE agent_replies_total counter\n";
  out += "agent_replies_total{outcome=\"ok\"} " + std::to_string(replies_ok_.load()) + "\n";
  out += "agent_replies_total{outcome=\"error\"} " + std::to_string(replies_failed_.load()) + "\n";
  reply_seconds_.render(out, "agent_reply_seconds",
                        "Time from a visitor message to the stored reply.");
  first_delta_.render(out, "agent_first_delta_seconds",
                      "Time from a visitor message to the first delta of the reply.");
  return out;
}

}  // namespace agent_server
