#pragma once
// The in-process hub: wakes the open event streams of a session and keeps the
// reply being generated right now, so a stream that connects mid-reply can catch up.
// With a relay (PostgreSQL: pg_events.hpp) it also hears the other instances.

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

#include "chat/error.hpp"
#include "chat/events.hpp"

namespace agent_server {

/// The reply being generated in a session.
struct ReplyInProgress {
  std::string message_id;
  std::string in_reply_to;  ///< the visitor message it answers (empty if unknown here)
  std::string text;         ///< every delta so far, concatenated
  /// Set when another instance makes the reply: when to give up on it if it stays silent.
  std::optional<std::chrono::steady_clock::time_point> remote_deadline;
  /// This instance missed the reply's first deltas, so it has no snapshot of it.
  bool partial = false;
  /// Its text is whole and being stored: the slot frees as soon as it is.
  bool storing = false;
};

/// What happened in a session, as another instance needs to hear it.
struct HubEvent {
  enum class Kind { message, begun, delta, finished, failed, abandoned };
  Kind kind = Kind::message;
  std::string session_id;
  std::string reply_id;     ///< begun, delta, failed, abandoned: the reply's message id
  std::string in_reply_to;  ///< begun, failed: the visitor message the reply answers
  std::string text;         ///< delta: the piece
  chat::Message message;    ///< message: a visitor's; finished: the stored reply
  chat::Error error;        ///< failed
};

/// Carries the hub's local events to the other instances.
class HubRelay {
 public:
  virtual ~HubRelay() = default;
  /// Queues the event; never blocks on the network. Events of one session keep their order.
  virtual void send(HubEvent event) = 0;
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
  Hub() = default;
  /// Stops the relay first (it may still be applying remote events).
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  /// Sends every local event through `relay` too, and lets a reply of another
  /// instance hold its session's slot until it ends or stays silent for
  /// `remote_ttl`. Call before serving; the hub owns the relay from then on.
  void set_relay(std::unique_ptr<HubRelay> relay, std::chrono::milliseconds remote_ttl);
  /// An event of another instance: reaches this instance's streams and slots,
  /// never sent back through the relay.
  void apply_remote(const HubEvent& event);
  /// Ends the replies of other instances that stayed silent past the TTL: their
  /// streams get an error and the slot is free.
  void expire_remote();
  /// The sessions with a stream open here.
  std::vector<std::string> watched_sessions();

  /// Registers a stream. Its snapshot holds the reply in progress; every event
  /// published after this call reaches it.
  std::unique_ptr<Subscription> subscribe(const std::string& session_id);

  /// Claims the session's one reply slot for the reply `message_id` to the
  /// visitor's `in_reply_to`; false while another reply is in progress. A reply
  /// being stored is waited for (up to kStoringWait): once stored, a client can read
  /// it, and its next message must not be refused because the slot is not free yet.
  bool begin_reply(const std::string& session_id, const std::string& message_id, const std::string& in_reply_to);
  static constexpr std::chrono::seconds kStoringWait{2};
  /// The reply's text is whole and about to be stored (then finish_reply or fail_reply).
  void storing_reply(const std::string& session_id);
  /// Releases the slot without any event (the message was refused after all).
  void abandon_reply(const std::string& session_id);
  /// A piece of the reply: appended to the reply's text and sent as a delta.
  void publish_delta(const std::string& session_id, const std::string& piece);
  /// The reply is stored: sends its message then done, and frees the slot.
  void finish_reply(const std::string& session_id, const chat::Message& stored);
  /// The reply failed: sends the error (naming the reply) and frees the slot.
  void fail_reply(const std::string& session_id, const chat::Error& error);
  /// A reply whose instance is gone was marked interrupted in the database: its
  /// streams here and on the other instances get the error, and its slot is free.
  void interrupt_orphan(const std::string& session_id, const std::string& reply_id, const std::string& in_reply_to,
                        const chat::Error& error);
  /// Sends a stored message (a visitor's) to every stream of the session.
  void publish_message(const std::string& session_id, const chat::Message& message);

  bool reply_in_progress(const std::string& session_id);
  /// Closes every stream (server stop) and refuses new subscriptions' waits.
  void shutdown();
  std::size_t open_streams();

 private:
  friend class Subscription;
  void unsubscribe(Subscription* sub);
  struct Channel {
    std::set<Subscription*> subscribers;
    std::optional<ReplyInProgress> reply;
  };
  using Clock = std::chrono::steady_clock;
  void broadcast_locked(const std::string& session_id, const chat::Event& event);
  void drop_if_idle_locked(const std::string& session_id);
  /// Sends a local event to the other instances when there is a relay; `fill`
  /// completes the event (so nothing is copied without a relay).
  template <class Fill>
  void relay_locked(HubEvent::Kind kind, const std::string& session_id, const std::string& reply_id, Fill fill);
  /// Ends the channel's reply if it is another instance's and silent past its deadline.
  void expire_locked(const std::string& session_id, Channel& channel, Clock::time_point now);

  std::mutex mutex_;
  std::condition_variable reply_ended_;  ///< a slot whose reply was being stored is free
  std::map<std::string, Channel> channels_;
  bool shutting_down_ = false;
  std::size_t open_streams_ = 0;
  std::unique_ptr<HubRelay> relay_;
  std::chrono::milliseconds remote_ttl_{0};
};

}  // namespace agent_server
