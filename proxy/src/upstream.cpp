#include "upstream.hpp"

#include <algorithm>

namespace proxy {

using chat::Error;
using chat::ErrorCode;

Upstream::Upstream(Origin origin, UpstreamOptions options)
    : origin_(std::move(origin)),
      options_(options),
      tls_(origin_.scheme == "https" ? std::make_unique<TlsContext>() : nullptr) {}

Upstream::~Upstream() = default;

std::size_t Upstream::connections_idle() {
  std::lock_guard lock(mutex_);
  return idle_.size();
}

std::vector<std::unique_ptr<UpstreamConnection>> Upstream::take_expired_locked(Clock::time_point now) {
  auto live = std::find_if(idle_.begin(), idle_.end(),
                           [&](const auto& conn) { return now - conn->idle_since() < options_.idle_life; });
  std::vector<std::unique_ptr<UpstreamConnection>> expired(std::make_move_iterator(idle_.begin()),
                                                           std::make_move_iterator(live));
  idle_.erase(idle_.begin(), live);
  return expired;
}

std::unique_ptr<UpstreamConnection> Upstream::take(bool fresh, Clock::time_point deadline, WireError& error) {
  while (!fresh) {
    std::unique_ptr<UpstreamConnection> conn;
    {
      std::vector<std::unique_ptr<UpstreamConnection>> expired;
      std::lock_guard lock(mutex_);
      expired = take_expired_locked(Clock::now());
      if (idle_.empty()) break;
      conn = std::move(idle_.back());
      idle_.pop_back();
    }  // what expired is closed here, after the lock: no other request waits on a close
    // Closed by the agent server (or holding bytes nobody asked for): not reusable.
    // Checked outside the lock, which every request takes twice.
    if (conn->at_rest_and_open()) {
      reused_.fetch_add(1, std::memory_order_relaxed);
      return conn;
    }
  }
  auto conn = UpstreamConnection::open(origin_, tls_.get(),
                                       std::min(deadline, Clock::now() + options_.connect_timeout), error);
  if (conn) opened_.fetch_add(1, std::memory_order_relaxed);
  return conn;
}

UpstreamOpened Upstream::open(const UpstreamRequest& request, Clock::time_point deadline) {
  UpstreamOpened out;
  for (bool fresh = false;; fresh = true) {
    out.connection = take(fresh, deadline, out.error);
    if (!out.connection) return out;
    const bool reused = out.connection->requests() > 0;
    out.error = out.connection->send(request.method, request.target, request.headers, request.body, deadline);
    if (out.error == WireError::none) out.error = out.connection->read_head(out.head, deadline);
    if (out.error == WireError::none) return out;
    const bool unanswered = out.connection->nothing_received() && out.error == WireError::closed;
    out.connection.reset();
    if (fresh || !reused || !unanswered) return out;
  }
}

UpstreamAnswer Upstream::call(const UpstreamRequest& request, Clock::time_point deadline) {
  UpstreamAnswer answer;
  auto opened = open(request, deadline);
  answer.error = opened.error;
  if (!opened.connection) return answer;
  answer.head = std::move(opened.head);
  answer.error = opened.connection->read_body_to_end(answer.body, options_.max_body_bytes, deadline);
  if (answer.error == WireError::none) release(std::move(opened.connection));
  return answer;
}

void Upstream::release(std::unique_ptr<UpstreamConnection> connection) {
  if (!connection || !connection->reusable() || options_.max_idle == 0) return;
  std::vector<std::unique_ptr<UpstreamConnection>> closing;  // closed after the lock
  std::lock_guard lock(mutex_);
  closing = take_expired_locked(Clock::now());
  if (idle_.size() >= options_.max_idle) {  // the oldest goes
    closing.push_back(std::move(idle_.front()));
    idle_.erase(idle_.begin());
  }
  idle_.push_back(std::move(connection));
}

UpstreamFailure classify_upstream_error(WireError error) {
  switch (error) {
    case WireError::connect_timeout:
      return {Error(ErrorCode::upstream_timeout, "the agent server did not accept the connection in time"),
              "timeout"};
    case WireError::timeout:
      return {Error(ErrorCode::upstream_timeout, "the agent server did not answer in time"), "timeout"};
    case WireError::connect:
      return {Error(ErrorCode::upstream_error, "the agent server is unreachable"), "connect"};
    case WireError::tls:
      return {Error(ErrorCode::upstream_error, "the TLS handshake with the agent server failed"), "connect"};
    case WireError::closed:
      return {Error(ErrorCode::upstream_error, "the agent server closed the connection"), "read"};
    default:
      return {Error(ErrorCode::upstream_error, std::string("the agent server failed: ") + to_string(error)),
              "other"};
  }
}

}  // namespace proxy
