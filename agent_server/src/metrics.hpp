#pragma once
// Counters for /metrics, rendered in the Prometheus text format.

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "kit/metrics.hpp"

namespace agent_server {

class Metrics {
 public:
  void count_request(const std::string& route, int status);
  /// Counts a stream opening unless `limit` are open already (then false).
  bool try_open_stream(long limit) {
    long open = open_streams_.load();
    while (open < limit) {
      if (open_streams_.compare_exchange_weak(open, open + 1)) return true;
    }
    return false;
  }
  void stream_closed() { --open_streams_; }
  /// A reply ended: "ok" (stored) or "error" (model or storage failed).
  void reply_finished(bool ok, double seconds);
  void first_delta(double seconds) { first_delta_.observe(seconds); }
  void error(const std::string& code);

  std::string render() const;

  kit::ConnectionStats connections;  ///< workers, shedding, cuts (the kit's server)

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> errors_;
  std::atomic<long> open_streams_{0};
  std::atomic<std::uint64_t> replies_ok_{0};
  std::atomic<std::uint64_t> replies_failed_{0};
  kit::Histogram reply_seconds_;
  kit::Histogram first_delta_;
};

}  // namespace agent_server
