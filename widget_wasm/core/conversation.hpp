#pragma once
/// \file The widget's conversation: a state machine with no I/O, driven by the
/// visitor's actions and by what the network and the clock report. The same code
/// runs in the browser (through widget_wasm/browser) and natively in the unit tests.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "chat/message.hpp"
#include "effects.hpp"
#include "texts.hpp"

namespace widget {

/// Where the conversation stands. Whether the panel is open is separate
/// (State::open): a reply keeps streaming, and counts as unread, while it is closed.
/// Stored by Conversation and changed only through transition() below. (The order
/// matters: phone_required to reply_streaming are the phases with a session.)
enum class Phase : std::uint8_t {
  idle,             ///< never opened: no session yet, nothing loaded
  opening,          ///< creating or loading the session
  phone_required,   ///< the agent wants a verified phone: asking for the number
  code_sent,        ///< asking for the code sent by SMS
  chatting,         ///< ready to send
  reply_streaming,  ///< the agent's reply is awaited or coming in (State::awaiting_reply, State::draft)
  offline,          ///< the network failed: retrying with backoff; the phase under it goes on
  error,            ///< chat not available (disabled, no token, unknown restaurant): final
};
std::string_view to_string(Phase phase) noexcept;

/// What moves the phase: the visitor, the server's answers, the stream.
enum class Event : std::uint8_t {
  start,            ///< the session is wanted: the panel opened, a stored one resumed, a message typed
  session_ready,    ///< the session's answer, no phone step (not required, or verified)
  session_gated,    ///< the session's answer: a verified phone is required
  restart,          ///< the session (or its visitor id) is unknown to the server: a new one is asked for
  session_dropped,  ///< the same, found while the panel is closed: nothing more until it opens
  phone_asked,      ///< a message refused for want of a verified phone
  code_sent,        ///< the number accepted: a code is on its way
  number_changed,   ///< the visitor wants to give another number
  code_expired,     ///< the server has no code pending any more: the number again
  verified,         ///< the code accepted, or the phone verified already
  reply_pending,    ///< a reply is awaited or streaming (State::awaiting_reply or State::draft)
  reply_over,       ///< no reply is awaited or streaming any more
  unreachable,      ///< no answer, or the servers between us are down: retried with backoff
  answered,         ///< an answer came (any 2xx)
  fatal,            ///< the chat can't work here
  erased,           ///< the session was erased: a fresh start
};

/// What a transition does besides moving the phase (bits of Step::fx).
enum Fx : std::uint8_t {
  kStart = 1,         ///< ask for the session (load the stored one, or create one)
  kOpenStream = 2,    ///< open the event stream from the last message
  kCloseStream = 4,   ///< close it
  kFocus = 8,         ///< focus the phase's field: the number, the code, else the input
  kFocusIfOpen = 16,  ///< the same, when the panel is open
  kSettle = 32,       ///< then the reply's data says: reply_pending or reply_over
  kUnder = 64,        ///< (offline) the event moves the phase under offline instead
  kBack = 128,        ///< (offline) back to the phase under it
};

/// One cell of the table.
struct Step {
  Phase next;
  std::uint8_t fx = 0;  ///< Fx bits
};

/// The conversation's phase table: (phase, event) -> (next phase, effects). A pair
/// the phase ignores (it can't happen there, or means nothing there) returns the
/// phase unchanged and no effect. docs/widget.md has it as a table.
Step transition(Phase phase, Event event) noexcept;

struct Config {
  std::string api_base;  ///< e.g. "/api/chat/<restaurantId>", no trailing slash
  Lang lang = Lang::fr;
  std::string stored_visitor_id;  ///< what Store{"visitor"} saved before, if anything
  std::string stored_session_id;  ///< what Store{"session"} saved before, if anything
};

/// The agent's reply while it streams in.
struct Draft {
  std::string message_id;
  std::string text;
};

/// A reply that failed or was cut off (a crash, a restart): the visitor can ask
/// again, which posts the same visitor message (same id, same text).
struct FailedReply {
  std::string reply_id;     ///< the failed reply's id
  std::string in_reply_to;  ///< the visitor's message it answered
};

/// Everything the renderer needs.
struct State {
  bool open = false;
  std::vector<chat::Message> messages;  ///< sorted by seq, unique ids
  std::optional<Draft> draft;
  bool awaiting_reply = false;              ///< typing indicator: sent, no piece of the reply yet
  bool busy = false;                        ///< a request of the visitor is under way: no double send
                                            ///< (while opening, typing is fine but sending waits)
  bool reconnecting = false;                ///< the stream dropped; the browser or we reconnect
  std::string error;                        ///< localised, empty when none
  std::optional<FailedReply> failed_reply;  ///< offers "ask again" (data-part=retry)
  /// The agent's first words, shown above the messages once the session is known
  /// (Markdown, like a reply): the session's `greeting` (the agent's chatGreeting or
  /// the server's default; none when the agent wants none). Never stored, never sent.
  std::string greeting;
  /// The session's `suggestions`, offered as buttons until the conversation has a
  /// visitor message; a tap sends one (choose_suggestion).
  std::vector<std::string> suggestions;
  bool confirming_erase = false;  ///< "erase this conversation?" is asked
  std::string code_sent_to;       ///< the masked number, in the code step
  int unread = 0;                 ///< agent messages that came while closed
  std::string session_id;
  std::string visitor_id;
};

class Conversation {
 public:
  explicit Conversation(Config config);

  /// Loads a stored session in the background (a reload), so the stream runs and
  /// unread replies show on the launcher before the panel is opened. No-op without one.
  void resume();

  // ---- The visitor -------------------------------------------------------------
  void open();
  void close();
  /// Sends a message; on success the shell is told to clear the input.
  void send(std::string_view text);
  /// Sends State::suggestions[index] as a message; what is typed in the input stays.
  void choose_suggestion(std::size_t index);
  void submit_phone(std::string_view text);
  void submit_code(std::string_view text);
  void change_number();
  void resend_code();
  /// Asks again for the reply in State::failed_reply; then awaits it as after a send.
  void retry();
  /// "Erase this conversation": ask_erase shows the confirmation, cancel_erase hides
  /// it, erase deletes the session on the server (DELETE, with the visitor id), then
  /// forgets it here and in storage: a fresh start, the next message opens a new
  /// session under a new visitor id.
  void ask_erase();
  void cancel_erase();
  void erase();

  // ---- The network and the clock ----------------------------------------------------
  void on_response(int request_id, int status, std::string_view body);
  void on_stream_open();
  /// One event of the stream, by name (message, delta, done, error) with its data.
  /// Its SSE id needs no handling: a message carries its seq, the resume point.
  void on_stream_event(std::string_view name, std::string_view data);
  /// The stream failed; closed = the browser gave up (else it reconnects by itself).
  void on_stream_error(bool closed);
  void on_timer(int timer_id);
  /// The network came back or the device woke up: retry now, and reopen the
  /// stream (a connection from before a sleep may be dead without knowing it).
  void on_wake();

  /// The effects produced since the last call, in order.
  std::vector<Effect> take_effects();
  const State& state() const noexcept { return state_; }
  Phase phase() const noexcept { return phase_; }
  Lang lang() const noexcept { return config_.lang; }
  /// The highest seq received: the stream's resume point.
  std::int64_t last_seq() const noexcept;

 private:
  // check_reply: the session read again while its stream runs, for the state of the
  // reply (after the stream reconnected by itself, or a message already stored).
  // repost_message: a visitor message asked again after its reply failed.
  // post_suggestion: a suggestion tapped, which leaves the input alone.
  enum class Op {
    create_session,
    load_session,
    check_reply,
    post_message,
    post_suggestion,
    repost_message,
    send_phone,
    verify_code,
    erase_session,
  };
  struct Pending {
    Op op;
    std::string body;
    int id = 0;  // in in_flight_: the request's id
  };

  void step(Event event);
  void reply_changed();
  Phase base() const noexcept { return phase_ == Phase::offline ? under_ : phase_; }
  bool has_session() const noexcept { return base() >= Phase::phone_required && base() <= Phase::reply_streaming; }
  bool in_phone_step() const noexcept { return base() == Phase::phone_required || base() == Phase::code_sent; }
  bool wants_stream() const noexcept { return base() == Phase::chatting || base() == Phase::reply_streaming; }
  void post_text(std::string_view text, Op op);
  void offer_suggestions(const std::vector<std::string>& offered);
  void start_session();
  void request(Op op, std::string body = {});
  std::string url_for(Op op) const;
  void handle_success(const Pending& p, int status, std::string_view body);
  void handle_failure(const Pending& p, int status, std::string_view body);
  bool apply_session(std::string_view body);
  void apply_reply(const chat::ReplyStatus& reply);
  void reply_failed(const std::string& reply_id, const std::string& in_reply_to, const chat::Error& e);
  void clear_failed_reply();
  bool superseded(const std::string& visitor_message_id) const;
  const chat::Message* find_message(const std::string& id) const;
  void forget_session();
  void erased();
  void refresh_busy();
  static bool is_visitor_op(Op op) noexcept;
  void open_stream();
  void schedule_retry(Pending p, int at_least_ms = 0);
  void schedule_reconnect();
  void add_message(chat::Message m, bool live);
  void set_error(const chat::Error& e);
  void emit(Effect e) { effects_.push_back(std::move(e)); }
  int backoff_ms();

  Config config_;
  State state_;
  std::vector<Effect> effects_;
  std::vector<Pending> in_flight_;  // a few at most: a std::map's tree code cost ~0.9 KB gzipped
  std::optional<Pending> waiting_retry_;
  int next_id_ = 1;
  int retry_timer_ = 0;
  int reconnect_timer_ = 0;
  int failures_ = 0;
  int stream_failures_ = 0;
  std::string last_phone_body_;
  Phase phase_ = Phase::idle;
  Phase under_ = Phase::idle;  // offline's data: the phase it hides, which the next answer brings back
  std::optional<std::string> queued_text_;  // sent before the session existed
  bool stream_open_ = false;
  bool had_stream_ = false;
  bool reply_checked_ = false;           // the reply's state is known since the stream last dropped
  std::string ended_reply_;              // the last reply the stream said ended (done, error)
  std::string retried_reply_;            // the last failed reply asked again: its failure is old news
  std::optional<FailedReply> retrying_;  // the one asked again, offered again if the post is refused
};

}  // namespace widget
