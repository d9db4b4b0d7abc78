#include "kit/metrics.hpp"

#include <cstdio>

namespace kit {

void metric_head(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void metric_value(std::string& out, std::string_view name, std::string_view labels, double value) {
  char number[32];
  std::snprintf(number, sizeof number, "%.17g", value);
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(number).append("\n");
}

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
  metric_head(out, name, "histogram", help);
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    char bound[32];
    std::snprintf(bound, sizeof bound, "%g", kBounds[i]);
    metric_value(out, name + "_bucket", std::string("le=\"") + bound + "\"", static_cast<double>(buckets_[i]));
  }
  metric_value(out, name + "_bucket", "le=\"+Inf\"", static_cast<double>(count_));
  metric_value(out, name + "_sum", "", sum_);
  metric_value(out, name + "_count", "", static_cast<double>(count_));
}

void LabelledCounter::add(const std::string& label, std::uint64_t n) {
  std::lock_guard lock(mutex_);
  counts_[label] += n;
}

void LabelledCounter::render(std::string& out, std::string_view name, std::string_view label_name,
                             std::string_view help) const {
  metric_head(out, name, "counter", help);
  std::lock_guard lock(mutex_);
  for (const auto& [label, count] : counts_) {
    metric_value(out, name, std::string(label_name) + "=\"" + label + "\"", static_cast<double>(count));
  }
}

void ConnectionStats::render(std::string& out, std::string_view prefix) const {
  std::string p(prefix);
  metric_head(out, p + "_workers", "gauge", "Connection workers started (they start on demand).");
  metric_value(out, p + "_workers", "", static_cast<double>(workers.load()));
  metric_head(out, p + "_workers_busy", "gauge", "Connection workers serving a connection now.");
  metric_value(out, p + "_workers_busy", "", static_cast<double>(workers_busy.load()));
  metric_head(out, p + "_connections_shed_total", "counter",
              "Connections answered 503 server_busy because every worker was busy.");
  metric_value(out, p + "_connections_shed_total", "", static_cast<double>(shed.load()));
  refused.render(out, p + "_connections_refused_total", "reason",
                 "Connections refused or cut: too many from one client, too slow, headers or body too large.");
}

}  // namespace kit
