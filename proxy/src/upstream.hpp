#pragma once
/// \file The agent server as the relay reaches it: a bounded pool of kept-alive
/// connections (none shared by two requests at once, checked before reuse, closed on
/// any error), whole calls, and responses whose body the caller reads itself (event
/// streams, on the thread that serves the browser). And what a failure means to a
/// browser.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "config.hpp"
#include "upstream_connection.hpp"

namespace proxy {

/// A request for the agent server, its target already canonical.
struct UpstreamRequest {
  std::string method;
  std::string target;
  httplib::Headers headers;
  std::string body;
};

/// A whole answer, or the error that stopped it.
struct UpstreamAnswer {
  WireError error = WireError::none;
  ResponseHead head;
  std::string body;
};

/// An answer whose head is read; its body is the caller's to read from `connection`.
struct UpstreamOpened {
  WireError error = WireError::none;
  ResponseHead head;
  std::unique_ptr<UpstreamConnection> connection;
};

class Upstream {
 public:
  explicit Upstream(Origin origin, UpstreamOptions options = {});
  ~Upstream();
  Upstream(const Upstream&) = delete;
  Upstream& operator=(const Upstream&) = delete;

  /// Sends `request` and reads the head before `deadline`, on an idle kept-alive
  /// connection or a new one. A request a kept-alive connection lost before any byte
  /// of an answer (the agent server closed it meanwhile: it read nothing) goes once
  /// more, on a new connection.
  UpstreamOpened open(const UpstreamRequest& request, Clock::time_point deadline);
  /// open(), the body read, the connection kept for the next request when it can be.
  UpstreamAnswer call(const UpstreamRequest& request, Clock::time_point deadline);
  /// Takes back a connection whose answer was read to its end: kept while there is
  /// room and the agent server keeps it open, closed otherwise.
  void release(std::unique_ptr<UpstreamConnection> connection);

  std::uint64_t connections_opened() const { return opened_.load(); }
  std::uint64_t connections_reused() const { return reused_.load(); }
  std::size_t connections_idle();

 private:
  std::unique_ptr<UpstreamConnection> take(bool fresh, Clock::time_point deadline, WireError& error);
  /// Closes the idle connections past their life (the oldest are at the front).
  // The idle connections past their life, out of the pool; the caller closes them
  // (destroys them) once the lock is released.
  std::vector<std::unique_ptr<UpstreamConnection>> take_expired_locked(Clock::time_point now);

  const Origin origin_;
  const UpstreamOptions options_;
  std::unique_ptr<TlsContext> tls_;  ///< https only
  std::mutex mutex_;
  std::vector<std::unique_ptr<UpstreamConnection>> idle_;  ///< the most recent last
  std::atomic<std::uint64_t> opened_{0};
  std::atomic<std::uint64_t> reused_{0};
};

/// What a failed upstream call becomes: 502 upstream_error, or 504 upstream_timeout.
/// `kind` names it for metrics and logs.
struct UpstreamFailure {
  chat::Error error;
  std::string kind;
};
UpstreamFailure classify_upstream_error(WireError error);

}  // namespace proxy
