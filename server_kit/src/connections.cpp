#include "kit/connections.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "chat/error.hpp"
#include "kit/log.hpp"

namespace kit {

enum class Phase { head, body, handling };

const char* reason_phrase(int status) {
  switch (status) {
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

struct Connection {
  int fd = -1;        // the library's
  int watch_fd = -1;  // ours (a dup): stays valid until release, whatever the library closes
  std::string client;
  const EdgeLimits* limits = nullptr;
  ConnectionStats* stats = nullptr;

  std::mutex mutex;  // phase, times, bytes and the cut, against the watchdog
  Phase phase = Phase::head;
  std::chrono::steady_clock::time_point since;  // when the current request's head was awaited
  std::size_t bytes = 0;                        // read in this phase
  bool answered = false;                        // a response was written on it
  bool cut = false;

  void await_head(bool after_answer) {
    std::lock_guard lock(mutex);
    phase = Phase::head;
    since = std::chrono::steady_clock::now();
    bytes = 0;
    answered = answered || after_answer;
  }
  void enter(Phase p) {
    std::lock_guard lock(mutex);
    phase = p;
    bytes = 0;
  }
  // Writes the error (when the client is owed an answer) and ends the connection:
  // from the watchdog, shut both ways, which wakes the worker's blocked read; from
  // the worker itself, only our side, so the caller can drain what the client sent
  // (closing with it unread would reset the connection and could lose the answer).
  void cut_locked(chat::ErrorCode code, const char* reason, bool answer, bool from_worker) {
    if (cut || watch_fd < 0) return;
    cut = true;
    if (answer) {
      chat::Error error(code);
      std::string body = error.body();
      std::string all = "HTTP/1.1 " + std::to_string(error.status()) + " " + reason_phrase(error.status()) +
                        "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body;
      [[maybe_unused]] auto sent = ::send(watch_fd, all.data(), all.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
    ::shutdown(watch_fd, from_worker ? SHUT_WR : SHUT_RDWR);
    if (!answer) return;  // an idle connection's end is no event
    stats->refused.add(reason);
    auto age = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since);
    log_event("warn", "connection cut", {{"reason", reason}, {"client", client}, {"afterMs", age.count()}});
  }
};

namespace {

// The connection this thread serves (set by the job Listener::watch wraps).
thread_local Connection* t_conn = nullptr;

// What accept() saw on this thread, taken by the task queue's enqueue right after.
struct Accepted {
  Listener* listener = nullptr;
  int fd = -1;
  std::string peer;
};
thread_local Accepted t_accepted;

std::mutex g_listeners_mutex;
std::map<int, Listener*> g_listeners;

std::string peer_text(const sockaddr_storage& peer) {
  char text[INET6_ADDRSTRLEN] = {};
  if (peer.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(peer);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
  } else if (peer.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(peer);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
  }
  return normalize_address(text);
}

// Reads and drops what the client still sends after our answer: until it pauses
// for 20 ms, 250 ms or 64 KB at most. Closing with its bytes unread would reset
// the connection; a client that keeps sending gets the reset anyway.
void drain(int fd) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(250);
  char sink[4096];
  for (std::size_t drained = 0; drained < 64 * 1024; drained += sizeof sink) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    int wait = static_cast<int>(std::min<long long>(left.count(), 20));
    pollfd p{fd, POLLIN, 0};
    if (wait <= 0 || ::poll(&p, 1, wait) <= 0) break;
    if (::recvfrom(fd, sink, sizeof sink, 0, nullptr, nullptr) <= 0) break;
  }
}

// Counts what the library reads on this thread's connection; false cuts it.
bool note_received(int fd, std::size_t n) {
  Connection* c = t_conn;
  if (!c || c->fd != fd) return true;
  {
    std::lock_guard lock(c->mutex);
    c->bytes += n;
    if (c->phase == Phase::head && c->bytes > c->limits->max_head_bytes) {
      c->cut_locked(chat::ErrorCode::headers_too_large, "head_too_large", true, true);
    } else if (c->phase == Phase::body && c->bytes > c->limits->max_body_bytes + 4096) {
      // The library reads a body before a plain handler runs; chunk framing aside, it
      // may not pass the body limit (a handler with a reader counts on its own).
      c->cut_locked(chat::ErrorCode::payload_too_large, "body_too_large", true, true);
    } else {
      return true;
    }
  }
  drain(fd);
  return false;
}

}  // namespace

Listener::Listener(EdgeLimits limits, TrustedProxies trusted, ConnectionStats& stats)
    : limits_(limits), trusted_(std::move(trusted)), stats_(stats), watchdog_([this] { watchdog(); }) {}

Listener::~Listener() { stop(); }

void Listener::attach(int listen_fd) {
  std::lock_guard lock(g_listeners_mutex);
  listen_fd_ = listen_fd;
  g_listeners[listen_fd] = this;
}

void Listener::stop() {
  // Both the signal's thread and the serving thread stop the server: once is enough.
  std::call_once(stopped_, [this] {
    {
      std::lock_guard lock(g_listeners_mutex);
      if (listen_fd_ >= 0) {
        auto it = g_listeners.find(listen_fd_);
        if (it != g_listeners.end() && it->second == this) g_listeners.erase(it);
        listen_fd_ = -1;
      }
    }
    {
      std::lock_guard lock(mutex_);
      cut_idle_locked();
      stopping_ = true;
    }
    wake_.notify_all();
    if (watchdog_.joinable()) watchdog_.join();
  });
}

void Listener::stop_accepting() {
  {
    std::lock_guard lock(mutex_);
    if (draining_ || stopping_) return;
    draining_ = true;
  }
  {
    // Wakes the library's blocked accept() (EINVAL), held below; the socket stays
    // open, so nothing else can get its descriptor before the library closes it.
    std::lock_guard lock(g_listeners_mutex);
    if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
  }
  cut_idle();
}

void Listener::hold_while_draining() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [&] { return !draining_ || stopping_; });
}

void Listener::cut_idle() {
  std::lock_guard lock(mutex_);
  cut_idle_locked();
}

// The library waits for a kept-alive connection's next request without looking at
// its own stop: end those waits, so stopping takes no longer than the requests in
// flight.
void Listener::cut_idle_locked() {
  for (const auto& conn : open_) {
    std::lock_guard conn_lock(conn->mutex);
    if (conn->phase == Phase::head && conn->watch_fd >= 0 && !conn->cut) {
      conn->cut = true;
      ::shutdown(conn->watch_fd, SHUT_RDWR);
    }
  }
}

std::size_t Listener::close_all(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  // Done when every connection is gone or idle (between requests). Polled as well
  // as woken: a connection turning idle does not signal.
  auto settled = [&] {
    for (const auto& conn : open_) {
      std::lock_guard conn_lock(conn->mutex);
      if (conn->phase != Phase::head || conn->bytes > 0) return false;
    }
    return true;
  };
  while (!settled() && std::chrono::steady_clock::now() < deadline) {
    ended_.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
  }
  std::size_t cut = 0;
  for (const auto& conn : open_) {
    std::lock_guard conn_lock(conn->mutex);
    if (conn->watch_fd < 0 || conn->cut) continue;
    if (conn->phase != Phase::head || conn->bytes > 0) ++cut;  // a request still running: counted
    conn->cut = true;
    ::shutdown(conn->watch_fd, SHUT_RDWR);
  }
  return cut;
}

std::function<void()> Listener::watch(std::function<void()> job, bool& over_cap) {
  Accepted accepted = std::move(t_accepted);
  t_accepted = Accepted{};
  if (accepted.listener != this) return job;  // not accepted through the hook below

  auto conn = std::make_shared<Connection>();
  conn->fd = accepted.fd;
  conn->watch_fd = ::dup(accepted.fd);
  conn->client = std::move(accepted.peer);
  conn->limits = &limits_;
  conn->stats = &stats_;
  conn->await_head(false);
  {
    std::lock_guard lock(mutex_);
    int held = ++per_client_[conn->client];
    if (limits_.max_connections_per_client > 0 && held > limits_.max_connections_per_client &&
        !trusted_.contains(conn->client)) {
      over_cap = true;
      stats_.refused.add("too_many_connections");
    }
    open_.insert(conn);
  }
  if (over_cap) {
    // Answered at once, without reading the request (it may never come), and the
    // library never sees the socket: it is closed here.
    return [this, conn] {
      refuse_at_once(*conn);
      release(conn);
    };
  }
  return [this, conn, job = std::move(job)] {
    t_conn = conn.get();
    job();
    t_conn = nullptr;
    release(conn);
  };
}

void Listener::refuse_at_once(Connection& conn) {
  chat::Error error(chat::ErrorCode::too_many_connections);
  error.retry_after = 5;
  std::string body = error.body();
  std::string all = "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
                    "Connection: close\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
  ::send(conn.fd, all.data(), all.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  // Closing with the request unread would reset the connection and could lose the
  // answer: end our side, then read what comes for a moment.
  ::shutdown(conn.fd, SHUT_WR);
  drain(conn.fd);
  ::close(conn.fd);
}

void Listener::release(const std::shared_ptr<Connection>& conn) {
  {
    std::lock_guard lock(mutex_);
    open_.erase(conn);
    auto it = per_client_.find(conn->client);
    if (it != per_client_.end() && --it->second <= 0) per_client_.erase(it);
    std::lock_guard conn_lock(conn->mutex);
    if (conn->watch_fd >= 0) ::close(conn->watch_fd);
    conn->watch_fd = -1;
  }
  ended_.notify_all();
}

void Listener::watchdog() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(250));
    auto now = std::chrono::steady_clock::now();
    for (const auto& conn : open_) {
      std::lock_guard conn_lock(conn->mutex);
      if (conn->phase == Phase::head && now - conn->since > limits_.head_timeout) {
        // An idle kept-alive connection is closed quietly; a client that connected
        // and never finished its first request gets an answer, never silence.
        bool idle = conn->answered && conn->bytes == 0;
        conn->cut_locked(chat::ErrorCode::request_timeout, idle ? "idle" : "head_timeout", !idle, false);
      } else if (conn->phase == Phase::body && now - conn->since > limits_.request_timeout) {
        conn->cut_locked(chat::ErrorCode::request_timeout, "body_timeout", true, false);
      }
    }
  }
}

BodyPhase::BodyPhase() {
  if (t_conn) t_conn->enter(Phase::body);
}

BodyPhase::~BodyPhase() {
  if (t_conn) t_conn->enter(Phase::handling);
}

void connection_head_read(bool has_body) {
  if (t_conn) t_conn->enter(has_body ? Phase::body : Phase::handling);
}

void connection_response_written() {
  if (t_conn) t_conn->await_head(true);
}

}  // namespace kit

// The two socket calls cpp-httplib's compiled listen loop and request reader make,
// seen by the kit (the executable's definitions come first for the library's
// calls). Every other caller gets the plain call: the hooks act only on the
// listening sockets and connections of a kit::Listener.
namespace {

// accept() errors of one connection, or of a passing shortage: the next accept()
// may well succeed. Linux passes a pending connection's network errors through
// accept() (accept(2): "treat them like EAGAIN by retrying").
bool is_transient_accept_error(int error) {
  switch (error) {
    case EINTR:
    case EAGAIN:
    case ECONNABORTED:
    case EPROTO:
    case EPERM:
    case ENOBUFS:
    case ENOMEM:
    case ENFILE:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH: return true;
    default: return false;
  }
}

}  // namespace

extern "C" int accept(int fd, sockaddr* __restrict addr, socklen_t* __restrict len) {
  sockaddr_storage peer{};
  socklen_t peer_len = sizeof peer;
  int conn = ::accept4(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len, 0);
  if (conn < 0) {
    int error = errno;
    kit::Listener* owner = nullptr;
    {
      std::lock_guard lock(kit::g_listeners_mutex);
      auto it = kit::g_listeners.find(fd);
      if (it != kit::g_listeners.end()) owner = it->second;
    }
    if (owner) {
      owner->hold_while_draining();
      // httplib 0.11.4's listen loop ends the server on any accept() error but
      // EMFILE, which it retries after 1 ms: one client resetting its connection
      // before it was accepted would stop the server taking any other. A stopped
      // listener's error (EBADF, EINVAL) still ends the loop.
      if (is_transient_accept_error(error)) error = EMFILE;
    }
    errno = error;
    return conn;
  }
  if (addr && len) {
    socklen_t n = *len < peer_len ? *len : peer_len;
    std::memcpy(addr, &peer, n);
    *len = peer_len;
  }
  std::lock_guard lock(kit::g_listeners_mutex);
  auto it = kit::g_listeners.find(fd);
  if (it != kit::g_listeners.end()) kit::t_accepted = kit::Accepted{it->second, conn, kit::peer_text(peer)};
  return conn;
}

extern "C" ssize_t recv(int fd, void* buf, size_t n, int flags) {
  ssize_t got = ::recvfrom(fd, buf, n, flags, nullptr, nullptr);
  if (got > 0 && !(flags & MSG_PEEK) && !kit::note_received(fd, static_cast<std::size_t>(got))) {
    errno = ECONNRESET;
    return -1;
  }
  return got;
}
