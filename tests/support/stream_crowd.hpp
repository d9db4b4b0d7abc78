#pragma once
// Many raw HTTP connections at once, served by one thread with poll(): enough to
// hold thousands of event streams open without a client thread per stream.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace test_support {

class StreamCrowd {
 public:
  /// Opens `count` connections to 127.0.0.1:`port` (every connect first, so the
  /// server sees them arrive at once), then sends `request` on each.
  StreamCrowd(int port, std::size_t count, const std::string& request);
  ~StreamCrowd();
  StreamCrowd(const StreamCrowd&) = delete;
  StreamCrowd& operator=(const StreamCrowd&) = delete;

  std::size_t size() const { return received_.size(); }
  /// Reads until every connection has received `needle` (searched from the start
  /// of what it received), or `timeout` passes. Returns how many have it.
  std::size_t wait_all(const std::string& needle, std::chrono::milliseconds timeout);
  /// What connection `i` received so far.
  const std::string& received(std::size_t i) const { return received_.at(i); }
  /// Raises this process's open-file soft limit to the hard one; false when it
  /// stays under `wanted`.
  static bool allow_open_files(std::size_t wanted);

 private:
  std::vector<int> fds_;
  std::vector<std::string> received_;
};

}  // namespace test_support
