#pragma once
// Reads an event stream in the background with chat::SseParser, as a browser's
// EventSource would, and lets a test wait (with a deadline) for what it expects.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chat/sse.hpp"

namespace test_support {

class SseReader {
 public:
  /// Opens `GET path` on 127.0.0.1:port with `headers` at once.
  SseReader(int port, std::string path, httplib::Headers headers = {});
  /// Closes the connection and joins the reading thread.
  ~SseReader();
  SseReader(const SseReader&) = delete;
  SseReader& operator=(const SseReader&) = delete;

  using Predicate = std::function<bool(const std::vector<chat::SseEvent>&)>;
  /// Waits until `done(events)` holds; false when the stream ends or time runs out first.
  bool wait_for(const Predicate& done, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Waits for an event named `name` (optionally whose data contains `data_part`).
  bool wait_for_event(const std::string& name, const std::string& data_part = "",
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Waits until the response headers arrived; false on timeout or failure.
  bool wait_connected(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Waits until the raw bytes contain `text` (comments such as ": ping" included).
  bool wait_for_raw(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// Waits until the server ends the stream.
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(20));

  std::vector<chat::SseEvent> events() const;
  std::string raw() const;
  int status() const;
  std::string header(const std::string& name) const;
  bool closed() const;
  void stop();

 private:
  void run(std::string path, httplib::Headers headers);
  template <class Pred>
  bool wait_until(Pred pred, std::chrono::milliseconds timeout);

  int port_;
  std::unique_ptr<httplib::Client> client_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<chat::SseEvent> events_;
  std::string raw_;
  int status_ = 0;
  httplib::Headers headers_;
  bool connected_ = false;
  bool closed_ = false;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace test_support
