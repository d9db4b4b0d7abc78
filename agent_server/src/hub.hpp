#pragma once
// The in-process hub: wakes the open event streams of a session and keeps the
// reply being generated right now, so a stream that connects mid-reply can catch up.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chat/events.hpp"

namespace agent_server {

/// The reply being generated in a session.
struct ReplyInProgress {
  std::string message_id;
  std::string text;  ///< every delta so far, concatenated
};

class Hub;

/// One open stream's queue. Destroying it unsubscribes.
class Subscription {
 public:
  Subscription(Hub& hub, std::string session_id) : hub_(hub), session_id_(std::move(session_id)) {}
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  struct Batch {
    std::vector<chat::Event> events;  ///< empty when the wait timed out
    bool closed = false;              ///< the server is stopping
  };
  /// Waits until events are queued, the hub shuts down, or `timeout` passes.
  Batch wait(std::chrono::milliseconds timeout);

  /// The reply that was in progress when this subscription started, if any.
  std::optional<ReplyInProgress> snapshot;

 private:
  friend class Hub;
  void push(const chat::Event& event);
  void close();

  Hub& hub_;
  std::string session_id_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<chat::Event> queue_;
  bool closed_ = false;
};

class Hub {
 public:
  /// Registers a stream. Its snapshot holds the reply in progress; every event
  /// published after this call reaches it.
  std::unique_ptr<Subscription> subscribe(const std::string& session_id);

  /// Claims the session's one reply slot; false while another reply is in progress.
  bool begin_reply(const std::string& session_id, const std::string& message_id);
  /// Releases the slot without any event (the message was refused after all).
  void abandon_reply(const std::string& session_id);
  /// A piece of the reply: appended to the reply's text and sent as a delta.
  void publish_delta(const std::string& session_id, const std::string& piece);
  /// The reply is stored: sends its message then done, and frees the slot.
  void finish_reply(const std::string& session_id, const chat::Message& stored);
  /// The reply failed: sends the error and frees the slot.
  void fail_reply(const std::string& session_id, const chat::Error& error);
  /// Sends a stored message (a visitor's) to every stream of the session.
  void publish_message(const std::string& session_id, const chat::Message& message);

  bool reply_in_progress(const std::string& session_id);
  /// Closes every stream (server stop) and refuses new subscriptions' waits.
  void shutdown();
  std::size_t open_streams();

 private:
  friend class Subscription;
  void unsubscribe(Subscription* sub);
  void broadcast_locked(const std::string& session_id, const chat::Event& event);
  void drop_if_idle_locked(const std::string& session_id);

  struct Channel {
    std::set<Subscription*> subscribers;
    std::optional<ReplyInProgress> reply;
  };
  std::mutex mutex_;
  std::map<std::string, Channel> channels_;
  bool shutting_down_ = false;
  std::size_t open_streams_ = 0;
};

}  // namespace agent_server
