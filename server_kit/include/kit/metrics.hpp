#pragma once
// Metrics primitives for /metrics (Prometheus text format), shared by both servers.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace kit {

/// Appends "# HELP" and "# TYPE" lines.
void metric_head(std::string& out, std::string_view name, std::string_view type, std::string_view help);
/// Appends `name{labels} value`; `labels` without braces, may be empty.
void metric_value(std::string& out, std::string_view name, std::string_view labels, double value);

/// Latency buckets from 5 ms to 30 s.
class Histogram {
 public:
  void observe(double seconds);
  void render(std::string& out, const std::string& name, const std::string& help) const;

 private:
  static constexpr std::array<double, 12> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  mutable std::mutex mutex_;
  std::array<std::uint64_t, kBounds.size()> buckets_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

/// Counters keyed by one label value (route, error code, budget...).
class LabelledCounter {
 public:
  void add(const std::string& label, std::uint64_t n = 1);
  /// Renders `name{<label_name>="..."} n` for every label seen.
  void render(std::string& out, std::string_view name, std::string_view label_name, std::string_view help) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> counts_;
};

/// What the kit's server counts about connections: workers, shedding, cuts.
struct ConnectionStats {
  std::atomic<std::size_t> workers{0};       ///< connection workers started
  std::atomic<std::size_t> workers_busy{0};  ///< serving a connection now
  std::atomic<std::uint64_t> shed{0};        ///< answered 503: every worker busy
  LabelledCounter refused;                   ///< refused or cut, by reason

  /// `<prefix>_workers`, `<prefix>_workers_busy`, `<prefix>_connections_shed_total`,
  /// `<prefix>_connections_refused_total{reason=...}`.
  void render(std::string& out, std::string_view prefix) const;
};

}  // namespace kit
