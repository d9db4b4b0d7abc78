// The kit's graceful stop, in process: stop_accepting() refuses new connections
// while a response in flight (a stream) goes on to its end; close_connections()
// waits for the requests left and cuts those past the deadline.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "http.hpp"
#include "kit/server.hpp"
#include "sse_reader.hpp"

using namespace std::chrono_literals;

namespace {

// What the test hands the server's handlers: stream chunks, and the release of a
// request that blocks.
struct Feed {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::string> chunks;
  bool stream_ends = false;
  bool entered = false;  ///< the slow request is being handled
  bool release = false;

  void push(std::string chunk) {
    {
      std::lock_guard lock(mutex);
      chunks.push_back(std::move(chunk));
    }
    cv.notify_all();
  }
  void set(bool Feed::*flag) {
    {
      std::lock_guard lock(mutex);
      this->*flag = true;
    }
    cv.notify_all();
  }
};

struct Served {
  explicit Served(Feed& fed) : feed(fed), server(options(), stats) {
    server.http().Get("/stream", [&fed](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("text/event-stream", [&fed](std::size_t, httplib::DataSink& sink) {
        std::unique_lock lock(fed.mutex);
        fed.cv.wait(lock, [&] { return !fed.chunks.empty() || fed.stream_ends; });
        if (fed.chunks.empty()) {
          sink.done();
          return true;
        }
        std::string chunk = std::move(fed.chunks.front());
        fed.chunks.pop_front();
        return sink.write(chunk.data(), chunk.size());
      });
    });
    server.http().Get("/slow", [&fed](const httplib::Request&, httplib::Response& res) {
      fed.set(&Feed::entered);
      std::unique_lock lock(fed.mutex);
      fed.cv.wait(lock, [&] { return fed.release; });
      res.set_content("late", "text/plain");
    });
    auto bound = server.bind();
    REQUIRE(bound.ok());
    port = bound.value();
    serving = std::thread([this] { server.run(); });
  }
  ~Served() {
    feed.set(&Feed::release);  // never leave a handler waiting, even after a failed check
    feed.set(&Feed::stream_ends);
    server.stop();
    if (serving.joinable()) serving.join();
  }

  static kit::ServerOptions options() {
    kit::ServerOptions o;
    o.port = 0;
    o.threads = 16;
    return o;
  }

  Feed& feed;
  kit::ConnectionStats stats;
  kit::HttpServer server;
  int port = 0;
  std::thread serving;
};

}  // namespace

TEST_CASE("stop_accepting: new connections are refused, the stream in flight goes on to a clean end") {
  Feed feed;
  Served served(feed);
  test_support::SseReader stream(served.port, "/stream");
  feed.push("data: one\n\n");
  REQUIRE(stream.wait_for_event("message", "one"));

  served.server.stop_accepting();
  CHECK(served.server.draining());
  CHECK(test_support::connect_from("127.0.0.1", served.port) == -1);

  feed.push("data: two\n\n");  // after the stop began: still delivered
  CHECK(stream.wait_for_event("message", "two"));
  feed.set(&Feed::stream_ends);
  CHECK(stream.wait_closed(5s));
  CHECK(stream.events().size() == 2);
  // Nothing was left to cut: the stream had ended by itself.
  CHECK(served.server.close_connections(std::chrono::steady_clock::now() + 5s) == 0);
}

TEST_CASE("close_connections: a request still running at the deadline is cut, and the server stops") {
  Feed feed;
  Served served(feed);
  int status = 0;
  std::thread client([&] { status = test_support::HttpClient(served.port).get("/slow").status; });
  {
    std::unique_lock lock(feed.mutex);
    REQUIRE(feed.cv.wait_for(lock, 10s, [&] { return feed.entered; }));
  }

  served.server.stop_accepting();
  CHECK(served.server.close_connections(std::chrono::steady_clock::now() + 200ms) == 1);
  client.join();
  CHECK(status <= 0);  // no answer: the connection was cut
  feed.set(&Feed::release);
}
