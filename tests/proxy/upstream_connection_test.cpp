// The proxy's HTTP/1.1 client against a scripted peer on a real loopback socket:
// framing (lengths, chunks split anywhere, trailers, reading to the close), what it
// refuses, and how the pool reuses, checks and retries connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"
#include "upstream.hpp"

using namespace proxy;
using namespace std::chrono_literals;

namespace {

// A listening socket on loopback whose connections run `script` on a thread each:
// the script reads requests and writes whatever bytes the case needs.
class ScriptedPeer {
 public:
  using Script = std::function<void(int fd, int connection)>;
  explicit ScriptedPeer(Script script) : script_(std::move(script)) {
    listen_fd_ = test_support::listen_loopback(16, port_);
    REQUIRE(listen_fd_ >= 0);
    acceptor_ = std::thread([this] {
      for (int n = 0;; ++n) {
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) return;
        connections_ = n + 1;
        workers_.emplace_back([this, fd, n] {
          script_(fd, n);
          ::close(fd);
        });
      }
    });
  }
  ~ScriptedPeer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    for (auto& w : workers_) w.join();
  }
  Origin origin() const { return Origin{"http", "127.0.0.1", port_}; }
  int connections() const { return connections_; }

  // Reads one request head (and a Content-Length body): empty when the client closed.
  static std::string read_request(int fd) {
    std::string in;
    char c;
    while (in.find("\r\n\r\n") == std::string::npos) {
      if (::recv(fd, &c, 1, 0) != 1) return {};
      in.push_back(c);
    }
    auto at = in.find("Content-Length: ");
    if (at != std::string::npos) {
      std::size_t length = std::stoul(in.substr(at + 16));
      while (length-- > 0 && ::recv(fd, &c, 1, 0) == 1) in.push_back(c);
    }
    return in;
  }
  static void write(int fd, const std::string& bytes) { ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

 private:
  Script script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_;
};

UpstreamRequest get(std::string target) { return UpstreamRequest{"GET", std::move(target), {}, {}}; }

Clock::time_point soon() { return Clock::now() + 5s; }

}  // namespace

TEST_CASE("bodies framed by length, by chunks split anywhere, and by the close", "[upstream]") {
  ScriptedPeer peer([](int fd, int) {
    ScriptedPeer::read_request(fd);
    ScriptedPeer::write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: 1\r\n\r\nhello");
    ScriptedPeer::read_request(fd);
    // Chunks with an extension and a trailer, written a few bytes at a time.
    std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "4;ext=1\r\nwiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-Trailer: t\r\n\r\n";
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);  // a segment per write
    for (std::size_t i = 0; i < chunked.size(); i += 3) ScriptedPeer::write(fd, chunked.substr(i, 3));
    ScriptedPeer::read_request(fd);
    ScriptedPeer::write(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  });
  Upstream upstream(peer.origin());

  auto first = upstream.call(get("/a"), soon());
  REQUIRE(first.error == WireError::none);
  CHECK(first.head.status == 200);
  CHECK(first.body == "hello");
  CHECK(first.head.headers.find("x-a")->second == "1");  // names compare without case

  auto second = upstream.call(get("/b"), soon());
  REQUIRE(second.error == WireError::none);
  CHECK(second.body == "wikipedia in\r\n\r\nchunks.");

  auto third = upstream.call(get("/c"), soon());
  REQUIRE(third.error == WireError::none);
  CHECK(third.body == "until the end");
  // One connection carried all three; the last said close, so none is kept.
  CHECK(upstream.connections_opened() == 1);
  CHECK(upstream.connections_reused() == 2);
  CHECK(upstream.connections_idle() == 0);
}

TEST_CASE("answers that are not HTTP, or too big, are errors, never a crash", "[upstream]") {
  const std::vector<std::pair<std::string, WireError>> cases = {
      {"SSH-2.0-OpenSSH\r\n\r\n", WireError::protocol},
      {"HTTP/1.1 20 OK\r\n\r\n", WireError::protocol},
      {"HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n", WireError::protocol},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", WireError::protocol},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", WireError::protocol},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX\r\n", WireError::protocol},
      {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", WireError::protocol},
      {"HTTP/1.1 200 OK\r\nX-Big: " + std::string(70000, 'a') + "\r\n\r\n", WireError::too_large},
      {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", WireError::closed},
      {"HTTP/1.1 200 OK\r\n", WireError::closed},
  };
  for (const auto& [answer, expected] : cases) {
    CAPTURE(answer.substr(0, 60));
    ScriptedPeer peer([&answer = answer](int fd, int) {
      ScriptedPeer::read_request(fd);
      ScriptedPeer::write(fd, answer);
    });
    Upstream upstream(peer.origin());
    auto result = upstream.call(get("/"), soon());
    CHECK(result.error == expected);
  }
}

TEST_CASE("a body over the limit, and a peer that stays silent, end within the deadline", "[upstream]") {
  ScriptedPeer peer([](int fd, int connection) {
    ScriptedPeer::read_request(fd);
    if (connection == 0) {
      ScriptedPeer::write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'x'));
    } else {
      ScriptedPeer::read_request(fd);  // says nothing until the client leaves
    }
  });
  UpstreamOptions small;
  small.max_body_bytes = 10;
  Upstream upstream(peer.origin(), small);
  CHECK(upstream.call(get("/"), soon()).error == WireError::too_large);

  auto start = Clock::now();
  CHECK(upstream.call(get("/"), Clock::now() + 300ms).error == WireError::timeout);
  CHECK(Clock::now() - start < 3s);
}

TEST_CASE("a kept-alive connection the peer closed at rest is not reused", "[upstream]") {
  std::atomic<bool> closed{false};
  ScriptedPeer peer([&](int fd, int connection) {
    ScriptedPeer::read_request(fd);
    ScriptedPeer::write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    if (connection > 0) return;
    // Keep-alive promised, then the connection closes at rest (an idle timeout).
    ::shutdown(fd, SHUT_RDWR);
    closed = true;
  });
  Upstream upstream(peer.origin());
  REQUIRE(upstream.call(get("/1"), soon()).error == WireError::none);
  REQUIRE(upstream.connections_idle() == 1);
  while (!closed) std::this_thread::sleep_for(1ms);
  auto second = upstream.call(get("/2"), soon());
  REQUIRE(second.error == WireError::none);
  CHECK(second.body == "ok");
  // The check before reuse saw the close: no request was sent on it.
  CHECK(upstream.connections_reused() == 0);
  CHECK(upstream.connections_opened() == 2);
}

TEST_CASE("a request a kept-alive connection lost unanswered goes once more, on a new connection", "[upstream]") {
  std::atomic<int> requests_seen{0};
  ScriptedPeer peer([&](int fd, int connection) {
    for (int i = 0;; ++i) {
      if (ScriptedPeer::read_request(fd).empty()) return;
      ++requests_seen;
      // The first connection answers once, then closes as the next request arrives:
      // the race between a server's idle close and a client's reuse.
      if (connection == 0 && i == 1) return;
      ScriptedPeer::write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  });
  Upstream upstream(peer.origin());
  REQUIRE(upstream.call(get("/1"), soon()).error == WireError::none);
  UpstreamRequest post{"POST", "/2", {{"Content-Type", "application/json"}}, "{}"};
  auto second = upstream.call(post, soon());
  REQUIRE(second.error == WireError::none);
  CHECK(second.body == "ok");
  CHECK(requests_seen == 3);  // /1, /2 lost, /2 again
  CHECK(peer.connections() == 2);

  // A connection that fails after an answer began is never retried.
  ScriptedPeer half([](int fd, int) {
    ScriptedPeer::read_request(fd);
    ScriptedPeer::write(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhal");
  });
  Upstream other(half.origin());
  CHECK(other.call(get("/"), soon()).error == WireError::closed);
  CHECK(half.connections() == 1);
}

TEST_CASE("a header value with CR or LF is never sent", "[upstream]") {
  ScriptedPeer peer([](int fd, int) { ScriptedPeer::read_request(fd); });
  Upstream upstream(peer.origin());
  UpstreamRequest bad{"GET", "/", {{"X-Injected", "a\r\nAuthorization: Bearer x"}}, {}};
  CHECK(upstream.call(bad, soon()).error == WireError::protocol);
}

TEST_CASE("nothing listening: connect errors, and the pool stays bounded", "[upstream]") {
  Upstream refused(Origin{"http", "127.0.0.1", test_support::free_tcp_port()});  // free a moment ago
  CHECK(refused.call(get("/"), soon()).error == WireError::connect);
  CHECK(classify_upstream_error(WireError::connect).error.code == chat::ErrorCode::upstream_error);
  CHECK(classify_upstream_error(WireError::timeout).error.code == chat::ErrorCode::upstream_timeout);

  // Eight answers on eight connections at once, two kept: the oldest go.
  std::atomic<int> waiting{0};
  ScriptedPeer peer([&](int conn, int) {
    ScriptedPeer::read_request(conn);
    ++waiting;
    while (waiting < 8) std::this_thread::sleep_for(1ms);  // all eight are in use at once
    ScriptedPeer::write(conn, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    ScriptedPeer::read_request(conn);
  });
  UpstreamOptions two;
  two.max_idle = 2;
  Upstream pool(peer.origin(), two);
  std::vector<std::thread> callers;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] { ok += pool.call(get("/"), soon()).error == WireError::none; });
  }
  for (auto& t : callers) t.join();
  CHECK(ok == 8);
  CHECK(pool.connections_opened() == 8);
  CHECK(pool.connections_idle() == 2);
}
