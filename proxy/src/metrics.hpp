#pragma once
/// \file Counters for /metrics (Prometheus text format).

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "kit/metrics.hpp"

namespace proxy {

/// The upstream pool's connections (Upstream's counters).
struct UpstreamPoolCounts {
  std::uint64_t opened = 0;
  std::uint64_t reused = 0;
  std::size_t idle = 0;
};

/// Process-wide counters; every method is thread-safe.
class Metrics {
 public:
  void count_request(const std::string& route, int status);
  void count_upstream_error(const std::string& kind);
  void stream_opened() {
    ++open_streams_;
    ++streams_total_;
  }
  void stream_closed() { --open_streams_; }
  std::int64_t open_streams() const { return open_streams_.load(); }
  /// The whole exposition, "# HELP"/"# TYPE" lines included, with the upstream
  /// pool's counts.
  std::string render(const UpstreamPoolCounts& pool) const;

  kit::ConnectionStats connections;  ///< workers, shedding, cuts (the kit's server)

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, std::uint64_t> upstream_errors_;
  std::atomic<std::int64_t> open_streams_{0};
  std::atomic<std::uint64_t> streams_total_{0};
};

}  // namespace proxy
