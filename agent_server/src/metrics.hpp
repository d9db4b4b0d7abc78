#pragma once
// Counters for /metrics, rendered in the Prometheus text format.

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace agent_server {

class Histogram {
 public:
  void observe(double seconds);
  void render(std::string& out, const std::string& name, const std::string& help) const;

 private:
  static constexpr std::array<double, 12> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                     0.5,   1,    2.5,   5,    10,  30};
  mutable std::mutex mutex_;
  std::array<std::uint64_t, kBounds.size()> buckets_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

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
  /// The connection workers: started, and serving a connection now.
  void workers(std::size_t started, std::size_t busy) {
    workers_ = started;
    workers_busy_ = busy;
  }
  /// A connection answered 503 because every worker was busy.
  void connection_shed() { ++connections_shed_; }
  /// A reply ended: "ok" (stored) or "error" (model or storage failed).
  void reply_finished(bool ok, double seconds);
  void first_delta(double seconds) { first_delta_.observe(seconds); }
  void error(const std::string& code);

  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> errors_;
  std::atomic<long> open_streams_{0};
  std::atomic<std::size_t> workers_{0};
  std::atomic<std::size_t> workers_busy_{0};
  std::atomic<std::size_t> connections_shed_{0};
  std::atomic<std::uint64_t> replies_ok_{0};
  std::atomic<std::uint64_t> replies_failed_{0};
  Histogram reply_seconds_;
  Histogram first_delta_;
};

}  // namespace agent_server
