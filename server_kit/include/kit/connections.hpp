#pragma once
// Every connection a kit server accepts, watched for its deadlines and sizes, and
// counted per client.
//
// cpp-httplib 0.11.4 reads a request's head with a 5 s timeout per read and no
// deadline for the whole, keeps every header line it is sent, and gives no hook on
// an accepted socket. So the kit sees each connection as it is accepted (the
// accept() below, which the library's listen loop calls), follows what its
// worker is doing (waiting for a head, reading a body, handling), and:
//   - cuts a head that is not complete within head_timeout (408), and a body not
//     read within request_timeout of the head's start (408);
//   - cuts a head past max_head_bytes (431) and a body past the body limit (413),
//     counted as the library reads them (the recv() below);
//   - answers 429 too_many_connections to a client holding more than
//     max_connections_per_client at once (trusted proxies excepted).
// A cut writes the JSON error when nothing was answered yet, then shuts the socket
// down, which ends the library's blocking read at once.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

#include "chat/validation.hpp"
#include "kit/client_address.hpp"
#include "kit/metrics.hpp"

namespace kit {

/// The edge's limits; the defaults are the documented ones (operator guide).
struct EdgeLimits {
  std::chrono::milliseconds head_timeout{10000};     ///< from accept, or the end of the last response
  std::chrono::milliseconds request_timeout{30000};  ///< head and body, same start
  std::size_t max_head_bytes = 32 * 1024;            ///< request line and headers
  std::size_t max_headers = 100;                     ///< header lines
  std::size_t max_body_bytes = chat::kMaxBodyBytes;
  int max_connections_per_client = 256;            ///< 0: no cap
  std::chrono::milliseconds drain_timeout{10000};  ///< on SIGTERM, for the work in flight to end
};

struct Connection;

/// One listening socket's connections.
class Listener {
 public:
  Listener(EdgeLimits limits, TrustedProxies trusted, ConnectionStats& stats);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  /// From now on the connections accepted on `listen_fd` are this listener's.
  void attach(int listen_fd);
  /// Called by the task queue on the accepting thread, right after accept: wraps
  /// the connection's job so its worker is followed. `over_cap` is set when the
  /// client holds too many connections already.
  std::function<void()> watch(std::function<void()> job, bool& over_cap);
  /// Stops the deadline thread (the server has stopped).
  void stop();
  /// The first step of a graceful stop: the listening socket stops accepting (new
  /// connections are refused by the kernel) and the idle kept-alive connections
  /// end; the library's listen loop is held (see the accept() hook) until stop().
  void stop_accepting();
  /// Ends the connections waiting for their next request (kept alive, idle).
  void cut_idle();
  /// Called by the accept() hook when accept failed on this listener's socket:
  /// while draining, waits for stop(), so the library's loop (which closes its
  /// socket and returns on a failed accept) ends only once the server is stopped.
  void hold_while_draining();
  /// Waits until every connection has ended or waits for its next request, or
  /// `deadline` passed, then shuts down every one left (their workers' reads and
  /// writes fail at once). Returns how many were cut in the middle of a request.
  std::size_t close_all(std::chrono::steady_clock::time_point deadline);

 private:
  void release(const std::shared_ptr<Connection>& conn);
  void cut_idle_locked();
  static void refuse_at_once(Connection& conn);
  void watchdog();

  const EdgeLimits limits_;
  const TrustedProxies trusted_;
  ConnectionStats& stats_;
  int listen_fd_ = -1;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable ended_;  ///< a connection ended
  bool draining_ = false;
  bool stopping_ = false;
  std::once_flag stopped_;
  std::unordered_set<std::shared_ptr<Connection>> open_;
  std::map<std::string, int> per_client_;
  std::thread watchdog_;
};

/// What the current thread's request does, for its deadline: `body` while its body
/// is read (the request deadline applies), `handling` once it ends.
class BodyPhase {
 public:
  BodyPhase();
  ~BodyPhase();
  BodyPhase(const BodyPhase&) = delete;
  BodyPhase& operator=(const BodyPhase&) = delete;
};

// The kit server's hooks on the current worker thread's connection; no-ops on a
// thread that serves no watched connection.
/// The head is read: the body comes next, or the handler runs.
void connection_head_read(bool has_body);
/// The response is written: the next head is awaited.
void connection_response_written();

}  // namespace kit
