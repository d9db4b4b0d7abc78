#pragma once
/// \file One relayed request whose answer may be an event stream.
///
/// A reader thread runs the upstream request. Until the browser's side is attached
/// (the server's content provider starts), chunks are queued; from then on the reader
/// writes each chunk to the browser itself, the moment it arrives, with no hand-over
/// between threads. The provider meanwhile waits on a condition variable (with a
/// timeout, so it sees a shutdown) for the end. When a write to the browser fails,
/// or the provider gives up, cancel() shuts the upstream socket at once, so the
/// reader never waits for the next event.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace chat::proxy {

class StreamRelay {
 public:
  /// What the upstream said before its body.
  struct Head {
    int status = 0;
    httplib::Headers headers;
  };

  /// Starts the upstream request on its own thread at once.
  StreamRelay(std::unique_ptr<httplib::Client> client, httplib::Request request);
  ~StreamRelay();  ///< cancels and joins
  StreamRelay(const StreamRelay&) = delete;
  StreamRelay& operator=(const StreamRelay&) = delete;

  /// Waits for the response head; nullopt when the request failed or the deadline
  /// passed first (see error(), timed_out()).
  std::optional<Head> wait_head(std::chrono::steady_clock::time_point deadline);
  /// Waits for the whole body; false when the deadline passed.
  bool wait_finished(std::chrono::steady_clock::time_point deadline);
  /// Runs inside the content provider: writes what is queued, then lets the reader
  /// write to `sink` directly until the upstream ends or `stopping` is set (true,
  /// after sink.done(): a clean end the browser reconnects after), or a write
  /// fails (false). Re-checks `stopping` every `wait`.
  bool relay_to(httplib::DataSink& sink, const std::atomic<bool>& stopping,
                std::chrono::milliseconds wait);
  /// Everything queued so far, concatenated.
  std::string take_all();

  /// Stops the upstream request now; idempotent, safe from any thread.
  void cancel();
  /// The upstream error once finished (Success when the body ended normally).
  httplib::Error error();
  bool cancelled();

 private:
  void run(httplib::Request request);

  std::unique_ptr<httplib::Client> client_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Head> head_;
  std::deque<std::string> chunks_;
  httplib::DataSink* sink_ = nullptr;  ///< set only while relay_to() runs
  std::size_t queued_bytes_ = 0;
  bool finished_ = false;
  bool cancelled_ = false;
  httplib::Error error_ = httplib::Error::Success;
  std::thread reader_;
};

}  // namespace chat::proxy
