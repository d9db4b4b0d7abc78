#include "conversation.hpp"

#include <algorithm>
#include <utility>

#include "chat/api/chat.hpp"
#include "chat/events.hpp"
#include "chat/random.hpp"
#include "chat/validation.hpp"
#include "json_body.hpp"

namespace widget {
namespace {

constexpr int kMaxBackoffMs = 30000;
// A few buttons; more would push the conversation out of the panel.
constexpr std::size_t kMaxSuggestions = 6;

// An error body when the server sent one; otherwise what the status alone says.
chat::Error error_from(int status, std::string_view body) {
  if (auto e = chat::decode_error(body)) {
    return *e;
  }
  switch (status) {
    case 0:
    case 502: return chat::ErrorCode::upstream_error;
    case 503: return chat::ErrorCode::server_busy;
    case 504: return chat::ErrorCode::upstream_timeout;
    case 404: return chat::ErrorCode::not_found;
    case 429: return chat::ErrorCode::rate_limited;
    default: return chat::ErrorCode::internal_error;
  }
}

// Worth trying again by itself: no answer, or the servers between us are down.
bool is_transient(int status, const chat::Error& e) {
  if (status == 0) {
    return true;
  }
  // Busy, or shutting down (a restart, a rolling update): a later try gets through,
  // whatever status a proxy between us gave it.
  if (e.code == chat::ErrorCode::server_busy || e.code == chat::ErrorCode::server_stopping) {
    return true;
  }
  if (status < 500) {
    return false;
  }
  return e.code != chat::ErrorCode::chat_unavailable;
}

// The chat can't work here at all: stop and say so.
bool is_fatal(const chat::Error& e) {
  using chat::ErrorCode;
  switch (e.code) {
    case ErrorCode::chat_disabled:
    case ErrorCode::chat_unavailable:
    case ErrorCode::restaurant_not_found:
    case ErrorCode::not_found:
    case ErrorCode::unauthorized:
    case ErrorCode::forbidden:
    case ErrorCode::invalid_path:
    case ErrorCode::origin_not_allowed: return true;
    default: return false;
  }
}

// The field the visitor types in, in each phase.
Field field_of(Phase phase) {
  return phase == Phase::phone_required ? Field::phone_input
         : phase == Phase::code_sent    ? Field::code_input
                                        : Field::input;
}

std::string digits_only(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '-' && c != '.') {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(Phase phase) noexcept {
  switch (phase) {
    case Phase::idle: return "idle";
    case Phase::opening: return "opening";
    case Phase::phone_required: return "phone_required";
    case Phase::code_sent: return "code_sent";
    case Phase::chatting: return "chatting";
    case Phase::reply_streaming: return "reply_streaming";
    case Phase::offline: return "offline";
    case Phase::error: return "error";
  }
  return "idle";
}

// ---- The phase table ------------------------------------------------------------------
//
// Every change of phase goes through here. A pair that can't happen says why; one
// that happens and changes nothing is there too, so each row reads whole. Read at
// compile time into kTable: the module holds the table, not this code.
namespace {

constexpr Step cell(Phase phase, Event event) {
  using E = Event;
  using P = Phase;
  switch (phase) {
    case P::idle:
      switch (event) {
        case E::start: return {P::opening, kStart};
        // The answer to an erasure asked for before the background resume found
        // the session gone.
        case E::erased: return {P::idle, kFocus};
        // Nothing else is in flight without a session (erasing drops what was; the
        // background resume's one request is what dropped it): no other answer comes.
        case E::unreachable:
        case E::fatal:
        case E::session_ready:
        case E::session_gated:
        case E::restart:
        case E::session_dropped:
        case E::phone_asked:
        case E::code_sent:
        case E::code_expired:
        case E::verified:
        case E::reply_pending:
        case E::reply_over:
        case E::answered:
        // The phone form is only shown in the phone steps.
        case E::number_changed: return {P::idle};
      }
      break;
    case P::opening:
      switch (event) {
        case E::session_ready: return {P::chatting, kOpenStream | kSettle};
        case E::session_gated: return {P::phone_required, kFocusIfOpen};
        case E::restart: return {P::opening, kStart};
        case E::session_dropped: return {P::idle};
        case E::erased: return {P::idle, kFocus};
        case E::unreachable: return {P::offline};
        case E::fatal: return {P::error, kCloseStream};
        // Already asked for.
        case E::start:
        // A late answer about a session since lost: the new session's answer says
        // whether a phone is wanted, and where its reply stands (kSettle).
        case E::phone_asked:
        case E::code_sent:
        case E::code_expired:
        case E::verified:
        case E::reply_pending:
        case E::reply_over:
        case E::answered:
        case E::number_changed: return {P::opening};
      }
      break;
    case P::phone_required:
    case P::code_sent:
      switch (event) {
        case E::session_ready: return {P::chatting, kOpenStream | kSettle};  // verified in another tab
        case E::session_gated: return {phase, kFocusIfOpen};                 // read again: a code sent still is
        case E::restart: return {P::opening, kStart};
        case E::session_dropped: return {P::idle};
        case E::phone_asked: return {P::phone_required, kFocus};
        case E::code_sent: return {P::code_sent, kFocus};
        case E::number_changed: return {P::phone_required, kFocus};
        case E::code_expired: return {P::phone_required};
        case E::verified: return {P::chatting, kOpenStream | kFocus | kSettle};
        case E::erased: return {P::idle, kFocus};
        case E::unreachable: return {P::offline};
        case E::fatal: return {P::error, kCloseStream};
        case E::start:
        case E::answered:
        // The phone step hides the reply; kSettle tells it once verified.
        case E::reply_pending:
        case E::reply_over: return {phase};
      }
      break;
    case P::chatting:
    case P::reply_streaming:
      switch (event) {
        case E::session_ready: return {P::chatting, kOpenStream | kSettle};  // read again, the stream reopened
        case E::session_gated: return {P::phone_required, kFocusIfOpen};
        case E::restart: return {P::opening, kStart};
        case E::session_dropped: return {P::idle};
        case E::phone_asked: return {P::phone_required, kFocus};
        // A late answer of the phone step (verified meanwhile in another tab).
        case E::verified: return {phase, kOpenStream | kFocus};
        case E::reply_pending: return {P::reply_streaming};
        case E::reply_over: return {P::chatting};
        case E::erased: return {P::idle, kFocus};
        case E::unreachable: return {P::offline};
        case E::fatal: return {P::error, kCloseStream};
        case E::start:
        case E::answered:
        // The phone form is only shown in the phone steps; a late answer of the
        // number sent there leaves the conversation as it is.
        case E::code_sent:
        case E::code_expired:
        case E::number_changed: return {phase};
      }
      break;
    case P::offline:
      switch (event) {
        case E::answered: return {P::offline, kBack};
        case E::unreachable: return {P::offline};
        case E::fatal: return {P::error, kCloseStream};
        case E::erased: return {P::idle, kFocus};
        // The rest moves the phase under offline, which the next answer brings
        // back. (An answer ends offline before its own event: session_ready,
        // session_gated and code_sent never come here; passed under all the same.)
        case E::start:
        case E::session_ready:
        case E::session_gated:
        case E::restart:
        case E::session_dropped:
        case E::phone_asked:
        case E::code_sent:
        case E::number_changed:
        case E::code_expired:
        case E::verified:
        case E::reply_pending:
        case E::reply_over: return {P::offline, kUnder};
      }
      break;
    case P::error:
      switch (event) {
        // Final: nothing leaves it. A second refusal closes the stream again; an
        // erasure asked for before is done (its focus, as everywhere).
        case E::fatal: return {P::error, kCloseStream};
        case E::erased: return {P::error, kFocus};
        case E::start:
        case E::session_ready:
        case E::session_gated:
        case E::restart:
        case E::session_dropped:
        case E::phone_asked:
        case E::code_sent:
        case E::number_changed:
        case E::code_expired:
        case E::verified:
        case E::reply_pending:
        case E::reply_over:
        case E::unreachable:
        case E::answered: return {P::error};
      }
      break;
  }
  return {phase};
}

constexpr int kPhases = static_cast<int>(Phase::error) + 1;
constexpr int kEvents = static_cast<int>(Event::erased) + 1;
struct Table {
  Step cells[kPhases][kEvents];
};
constexpr Table make_table() {
  Table t{};
  for (int p = 0; p < kPhases; ++p) {
    for (int e = 0; e < kEvents; ++e) {
      t.cells[p][e] = cell(static_cast<Phase>(p), static_cast<Event>(e));
    }
  }
  return t;
}
constexpr Table kTable = make_table();

}  // namespace

Step transition(Phase phase, Event event) noexcept {
  return kTable.cells[static_cast<int>(phase)][static_cast<int>(event)];
}

// Moves the phase by the table and carries out the transition's effects.
void Conversation::step(Event event) {
  Step s = transition(phase_, event);
  Phase& moved = s.fx & kUnder ? under_ : phase_;
  if (s.fx & kUnder) {
    s = transition(under_, event);
  } else if (s.fx & kBack) {
    s.next = under_;
  } else if (s.next == Phase::offline && phase_ != Phase::offline) {
    under_ = phase_;
  }
  moved = s.next;
  if (s.fx & kStart) {
    start_session();
  }
  if (s.fx & kCloseStream) {
    emit(CloseStream{});
  }
  if (s.fx & kOpenStream) {
    open_stream();
  }
  if (s.fx & kFocus || (s.fx & kFocusIfOpen && state_.open)) {
    emit(Focus{field_of(moved)});
  }
  if (s.fx & kSettle) {
    reply_changed();
  }
}

void Conversation::reply_changed() {
  step(state_.awaiting_reply || state_.draft ? Event::reply_pending : Event::reply_over);
}

Conversation::Conversation(Config config) : config_(std::move(config)) {
  if (!chat::is_valid_visitor_id(config_.stored_visitor_id)) {
    config_.stored_visitor_id.clear();
  }
  if (config_.stored_visitor_id.empty() || !chat::is_valid_uuid(config_.stored_session_id)) {
    config_.stored_session_id.clear();
  }
  state_.visitor_id = config_.stored_visitor_id;
  state_.session_id = config_.stored_session_id;
}

std::int64_t Conversation::last_seq() const noexcept {
  return state_.messages.empty() ? 0 : state_.messages.back().seq;
}

std::vector<Effect> Conversation::take_effects() { return std::exchange(effects_, {}); }

// ---- The visitor ---------------------------------------------------------------------

void Conversation::resume() {
  if (!state_.session_id.empty()) {
    step(Event::start);
  }
}

void Conversation::open() {
  state_.open = true;
  state_.unread = 0;
  step(Event::start);
  emit(Focus{field_of(phase_)});
}

void Conversation::close() {
  state_.open = false;
  emit(Focus{Field::launcher});
}

void Conversation::send(std::string_view text) { post_text(text, Op::post_message); }

void Conversation::choose_suggestion(std::size_t index) {
  if (index < state_.suggestions.size()) {
    post_text(std::string(state_.suggestions[index]), Op::post_suggestion);
    emit(Focus{Field::input});  // the buttons go once the message is in
  }
}

void Conversation::post_text(std::string_view text, Op op) {
  if (state_.busy || phase_ == Phase::error) {
    return;
  }
  if (in_phone_step()) {
    set_error(chat::ErrorCode::phone_verification_required);
    return;
  }
  auto valid = chat::validate_message_text(text);
  if (!valid) {
    if (valid.error().code != chat::ErrorCode::message_empty) {
      set_error(valid.error());
    }
    return;
  }
  state_.error.clear();
  if (!has_session()) {
    // Sent while the session is still being opened: it goes as soon as it exists,
    // rather than an Enter that silently does nothing. After an erasure nothing is
    // being opened: this message starts the new session.
    queued_text_ = std::move(valid.value());
    step(Event::start);
    return;
  }
  // The message's own id, kept by its retries: one sent again after a lost answer
  // is stored once (the server answers 200 with it).
  request(op, json_object({{"text", valid.value()}, {"id", chat::random_uuid()}}));
}

void Conversation::submit_phone(std::string_view text) {
  if (state_.busy || !has_session()) {
    return;
  }
  auto phone = chat::normalize_phone(text, to_string(config_.lang));
  if (!phone) {
    set_error(phone.error());
    return;
  }
  state_.error.clear();
  last_phone_body_ = json_object({{"phone", phone.value()}});
  request(Op::send_phone, last_phone_body_);
}

void Conversation::submit_code(std::string_view text) {
  if (state_.busy || base() != Phase::code_sent) {
    return;
  }
  std::string code = digits_only(text);
  if (!chat::is_valid_code(code)) {
    set_error(chat::ErrorCode::invalid_code);
    return;
  }
  state_.error.clear();
  request(Op::verify_code, json_object({{"code", code}}));
}

void Conversation::retry() {
  if (!state_.failed_reply || state_.busy || phase_ == Phase::error) {
    return;
  }
  const chat::Message* asked = find_message(state_.failed_reply->in_reply_to);
  if (!asked) {
    return;
  }
  // The same id and text: the server knows the message, stores nothing new and
  // starts a new reply to it.
  std::string body = json_object({{"text", asked->text}, {"id", asked->id}});
  retrying_ = std::exchange(state_.failed_reply, std::nullopt);
  retried_reply_ = retrying_->reply_id;
  state_.error.clear();
  request(Op::repost_message, std::move(body));
  emit(Focus{Field::input});  // the button is gone
}

void Conversation::change_number() {
  if (state_.busy) {
    return;
  }
  state_.error.clear();
  step(Event::number_changed);
}

void Conversation::resend_code() {
  if (state_.busy || last_phone_body_.empty()) {
    return;
  }
  state_.error.clear();
  request(Op::send_phone, last_phone_body_);
}

void Conversation::ask_erase() {
  if (!has_session()) {
    return;
  }
  state_.confirming_erase = true;
}

void Conversation::cancel_erase() { state_.confirming_erase = false; }

void Conversation::erase() {
  if (!state_.confirming_erase || state_.busy) {
    return;
  }
  state_.confirming_erase = false;
  state_.error.clear();
  request(Op::erase_session);
}

// The session is gone on the server: nothing of it stays here, in memory or in
// storage, and nothing in flight for it may come back into the fresh start.
void Conversation::erased() {
  in_flight_.clear();
  waiting_retry_.reset();
  queued_text_.reset();
  forget_session();
  state_.visitor_id.clear();
  emit(Store{"visitor", ""});
  stream_open_ = false;
  had_stream_ = false;
  failures_ = 0;
  state_.error.clear();
  state_.unread = 0;
  step(Event::erased);
}

// ---- Requests ---------------------------------------------------------------------------

void Conversation::start_session() {
  if (!state_.session_id.empty()) {
    request(Op::load_session);
    return;
  }
  std::string_view lang = to_string(config_.lang);
  request(Op::create_session, state_.visitor_id.empty()
                                  ? json_object({{"lang", lang}})
                                  : json_object({{"lang", lang}, {"visitorId", state_.visitor_id}}));
}

std::string Conversation::url_for(Op op) const {
  std::string sessions = config_.api_base + "/chat/sessions";
  switch (op) {
    case Op::create_session: return sessions;
    case Op::load_session:
    case Op::check_reply: return sessions + "/" + state_.session_id;
    case Op::post_message:
    case Op::post_suggestion:
    case Op::repost_message: return sessions + "/" + state_.session_id + "/messages";
    case Op::send_phone: return sessions + "/" + state_.session_id + "/phone";
    case Op::verify_code: return sessions + "/" + state_.session_id + "/verify";
    case Op::erase_session: return sessions + "/" + state_.session_id;
  }
  return sessions;
}

void Conversation::request(Op op, std::string body) {
  int id = next_id_++;
  HttpRequest r;
  r.id = id;
  r.method = op == Op::load_session || op == Op::check_reply ? "GET" : op == Op::erase_session ? "DELETE" : "POST";
  r.url = url_for(op);
  r.body = body;
  r.visitor_id = state_.visitor_id;
  in_flight_.push_back(Pending{op, std::move(body), id});
  refresh_busy();
  emit(std::move(r));
}

// The visitor's own requests lock the inputs; loading the session in the background doesn't.
bool Conversation::is_visitor_op(Op op) noexcept {
  return op == Op::post_message || op == Op::post_suggestion || op == Op::repost_message || op == Op::send_phone ||
         op == Op::verify_code || op == Op::erase_session;
}

void Conversation::refresh_busy() {
  bool busy = false;
  for (const auto& p : in_flight_) {
    busy = busy || is_visitor_op(p.op);
  }
  if (waiting_retry_) {
    busy = busy || is_visitor_op(waiting_retry_->op);
  }
  state_.busy = busy;
}

void Conversation::on_response(int request_id, int status, std::string_view body) {
  auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                         [&](const Pending& x) { return x.id == request_id; });
  if (it == in_flight_.end()) {
    return;
  }
  Pending p = std::move(*it);
  in_flight_.erase(it);
  if (status >= 200 && status < 300) {
    handle_success(p, status, body);
  } else {
    handle_failure(p, status, body);
  }
  refresh_busy();
}

void Conversation::handle_success(const Pending& p, int status, std::string_view body) {
  if (phase_ == Phase::offline) {
    state_.error.clear();
  }
  step(Event::answered);
  failures_ = 0;
  switch (p.op) {
    case Op::create_session:
    case Op::load_session:
      if (!apply_session(body)) {
        handle_failure(p, 502, {});
      }
      return;
    case Op::check_reply: {
      auto s = chat::api::decode_session(body);
      if (s && s->session_id == state_.session_id) {
        for (auto& m : s->messages) {
          add_message(std::move(m), true);
        }
        reply_checked_ = true;
        if (s->reply) {
          apply_reply(*s->reply);
        }
        reply_changed();
      }
      return;
    }
    case Op::post_message:
    case Op::post_suggestion:
    case Op::repost_message: {
      auto m = chat::api::decode_message(body);
      if (m) {
        add_message(std::move(m.value()), false);
      }
      clear_failed_reply();  // a new message, or the failed one asked again
      retrying_.reset();
      state_.awaiting_reply = true;
      step(Event::reply_pending);
      if (p.op == Op::post_message) {
        emit(ClearField{Field::input});  // a retry or a suggestion leaves alone what is being typed
      }
      if (status == 200) {
        // Stored before (a lost answer, or another tab asked again): no new reply
        // started. The session says whether the one it has streams or is done.
        request(Op::check_reply);
      }
      return;
    }
    case Op::send_phone: {
      auto r = chat::api::decode_phone_response(body);
      state_.code_sent_to = r ? r->phone : std::string();
      emit(ClearField{Field::code_input});
      step(Event::code_sent);
      return;
    }
    case Op::verify_code: step(Event::verified); return;
    case Op::erase_session: erased(); return;
  }
}

void Conversation::handle_failure(const Pending& p, int status, std::string_view body) {
  using chat::ErrorCode;
  if (p.op == Op::check_reply) {
    return;  // only a check: the stream, still open, tells the rest
  }
  chat::Error e = error_from(status, body);
  if (is_transient(status, e)) {
    schedule_retry(p, e.retry_after.value_or(0) * 1000);
    return;
  }
  if (p.op == Op::repost_message && retrying_) {
    // Refused (too fast, the phone step...): the visitor can ask again later.
    state_.failed_reply = std::exchange(retrying_, std::nullopt);
    retried_reply_.clear();
  }
  if (p.op == Op::erase_session && e.code == ErrorCode::session_not_found) {
    erased();  // gone already (retention, the restaurant, another tab): as asked
    return;
  }
  if (e.code == ErrorCode::session_not_found || (p.op == Op::load_session && status == 404 && !is_fatal(e))) {
    // A session the server no longer knows (expired, or a wiped database): start a
    // new one with the same visitor; a message being sent stays in the input.
    bool was_loading = p.op == Op::load_session;
    if (was_loading && !state_.open) {
      // Found by the background resume: forgotten, and nothing new until the
      // visitor opens the chat (no session made, nothing stored for them meanwhile).
      forget_session();
      step(Event::session_dropped);
      return;
    }
    forget_session();
    step(Event::restart);
    if (!was_loading) {
      state_.error = texts(config_.lang).session_restarted;
    }
    return;
  }
  if (p.op == Op::create_session && e.code == ErrorCode::invalid_visitor_id) {
    state_.visitor_id.clear();
    step(Event::restart);
    return;
  }
  // A route missing on one call (an older server without the phone step) is that
  // call's error; missing on the session itself means no chat here at all.
  bool session_op = p.op == Op::create_session || p.op == Op::load_session;
  if (is_fatal(e) && (session_op || e.code != ErrorCode::not_found)) {
    set_error(e);
    step(Event::fatal);
    return;
  }
  switch (e.code) {
    case ErrorCode::phone_verification_required: step(Event::phone_asked); break;
    case ErrorCode::already_verified: step(Event::verified); return;
    case ErrorCode::no_code_pending: step(Event::code_expired); break;
    default: break;
  }
  set_error(e);
}

bool Conversation::apply_session(std::string_view body) {
  auto s = chat::api::decode_session(body);
  if (!s || !chat::is_valid_uuid(s->session_id) || !chat::is_valid_visitor_id(s->visitor_id)) {
    return false;
  }
  bool fresh = state_.session_id != s->session_id;
  if (fresh) {
    state_.messages.clear();
    state_.draft.reset();
  }
  state_.session_id = s->session_id;
  state_.visitor_id = s->visitor_id;
  emit(Store{"visitor", state_.visitor_id});
  emit(Store{"session", state_.session_id});
  state_.greeting = s->greeting ? std::string(chat::trim(*s->greeting)) : std::string();
  offer_suggestions(s->suggestions);
  for (auto& m : s->messages) {
    add_message(std::move(m), false);
  }
  reply_checked_ = true;
  if (s->reply) {
    apply_reply(*s->reply);
  }
  step(s->phone_required && !s->verified ? Event::session_gated : Event::session_ready);
  if (auto queued = std::exchange(queued_text_, std::nullopt)) {
    send(*queued);
  }
  return true;
}

// Only what could be sent as typed: a suggestion the server would refuse is no use.
// add_message takes them away at the first visitor message.
void Conversation::offer_suggestions(const std::vector<std::string>& offered) {
  state_.suggestions.clear();
  for (const auto& text : offered) {
    auto valid = chat::validate_message_text(text);
    if (valid && state_.suggestions.size() < kMaxSuggestions) {
      state_.suggestions.push_back(std::move(valid.value()));
    }
  }
}

void Conversation::forget_session() {
  state_.session_id.clear();
  state_.messages.clear();
  state_.draft.reset();
  state_.awaiting_reply = false;
  state_.failed_reply.reset();
  retrying_.reset();
  emit(CloseStream{});
  emit(Store{"session", ""});
}

int Conversation::backoff_ms() {
  int ms = 1000 << std::min(failures_, 5);
  ++failures_;
  return std::min(ms, kMaxBackoffMs);
}

void Conversation::schedule_retry(Pending p, int at_least_ms) {
  step(Event::unreachable);
  state_.error = texts(config_.lang).offline;
  waiting_retry_ = std::move(p);
  retry_timer_ = next_id_++;
  // No sooner than the server asked (Retry-After), no later than the longest backoff.
  emit(StartTimer{retry_timer_, std::min(std::max(backoff_ms(), at_least_ms), kMaxBackoffMs)});
}

// ---- The stream ------------------------------------------------------------------------

void Conversation::open_stream() {
  std::string url = url_for(Op::load_session) + "/events?visitor=" + state_.visitor_id;
  if (auto seq = last_seq(); seq > 0) {
    url += "&lastEventId=" + std::to_string(seq);
  }
  stream_open_ = true;
  emit(OpenStream{std::move(url)});
}

void Conversation::on_stream_open() {
  stream_failures_ = 0;
  state_.reconnecting = false;
  // A reply in progress is sent again whole on connect (one delta with the text so
  // far), so a draft from before the drop would be doubled; one that ended during
  // the gap arrives as its message, one that failed or was cut off as an error
  // naming it. Until then it is awaited, typing dots shown.
  bool pending = state_.awaiting_reply || state_.draft;
  state_.draft.reset();
  state_.awaiting_reply = pending;
  // Reconnected by the browser, not after loading the session: a reply still
  // waiting for its first word sends nothing on connect, so ask where it stands.
  if (std::exchange(had_stream_, true) && pending && !reply_checked_) {
    request(Op::check_reply);
  }
}

void Conversation::on_stream_event(std::string_view name, std::string_view data) {
  chat::SseEvent sse;
  sse.event = std::string(name);
  sse.data = std::string(data);
  auto decoded = chat::event_from_sse(sse);
  if (!decoded) {
    return;  // an event from a newer server: ignore it rather than break
  }
  chat::Event& event = decoded.value();
  if (auto* m = std::get_if<chat::MessageEvent>(&event)) {
    add_message(std::move(m->message), true);
  } else if (auto* d = std::get_if<chat::DeltaEvent>(&event)) {
    if (find_message(d->message_id)) {
      return;
    }
    if (state_.draft && state_.draft->message_id == d->message_id) {
      state_.draft->text += d->text;
    } else {
      state_.draft = Draft{d->message_id, d->text};
      clear_failed_reply();  // asked again, maybe from another tab
    }
    state_.awaiting_reply = false;
  } else if (auto* done = std::get_if<chat::DoneEvent>(&event)) {
    if (state_.draft && state_.draft->message_id == done->message_id) {
      state_.draft.reset();
    }
    state_.awaiting_reply = false;
    ended_reply_ = done->message_id;
  } else if (auto* err = std::get_if<chat::ErrorEvent>(&event)) {
    if (!err->in_reply_to.empty()) {
      if (!superseded(err->in_reply_to) && err->message_id != retried_reply_) {
        reply_failed(err->message_id, err->in_reply_to, err->error);
      }
    } else if (err->error.code != chat::ErrorCode::server_stopping) {
      // (A server stopping ends the stream: the reconnect says where the reply stands.)
      state_.draft.reset();
      state_.awaiting_reply = false;
      set_error(err->error);
    }
  }
  reply_changed();
}

void Conversation::on_stream_error(bool closed) {
  if (!stream_open_) {
    return;
  }
  state_.reconnecting = true;
  reply_checked_ = false;
  if (closed) {
    stream_open_ = false;
    schedule_reconnect();
  }
}

void Conversation::schedule_reconnect() {
  reconnect_timer_ = next_id_++;
  int ms = std::min(kMaxBackoffMs, 1000 << std::min(stream_failures_, 5));
  ++stream_failures_;
  emit(StartTimer{reconnect_timer_, ms});
}

void Conversation::on_timer(int timer_id) {
  if (timer_id == retry_timer_ && waiting_retry_) {
    retry_timer_ = 0;
    Pending p = std::move(*waiting_retry_);
    waiting_retry_.reset();
    request(p.op, std::move(p.body));
  } else if (timer_id == reconnect_timer_ && reconnect_timer_ != 0) {
    reconnect_timer_ = 0;
    // Ask for the session first: it says whether it still exists (an EventSource
    // can't show the status), and it brings back what was missed.
    if (has_session() && !stream_open_) {
      request(Op::load_session);
    }
  }
}

void Conversation::on_wake() {
  if (waiting_retry_) {
    retry_timer_ = 0;
    Pending p = std::move(*waiting_retry_);
    waiting_retry_.reset();
    request(p.op, std::move(p.body));
  }
  if (wants_stream()) {
    reconnect_timer_ = 0;
    reply_checked_ = false;
    open_stream();
  }
}

// ---- Messages ---------------------------------------------------------------------------

void Conversation::add_message(chat::Message m, bool live) {
  if (find_message(m.id)) {
    return;
  }
  auto& list = state_.messages;
  if (state_.draft && state_.draft->message_id == m.id) {
    state_.draft.reset();
  }
  if (m.role == chat::Role::visitor) {
    state_.suggestions.clear();
  }
  if (m.role == chat::Role::agent) {
    state_.awaiting_reply = false;
    if (live && !state_.open) {
      ++state_.unread;
    }
  }
  auto at = std::upper_bound(list.begin(), list.end(), m.seq,
                             [](std::int64_t seq, const chat::Message& x) { return seq < x.seq; });
  list.insert(at, std::move(m));
}

// ---- Replies ----------------------------------------------------------------------------

// What the session says of its latest reply. The stream runs meanwhile, so it may
// be older than what the conversation knows: a visitor message sent since, a reply
// stored or ended since, a failure already asked again all win over it.
void Conversation::apply_reply(const chat::ReplyStatus& reply) {
  using chat::ReplyState;
  if (superseded(reply.in_reply_to) || reply.id == retried_reply_) {
    return;
  }
  switch (reply.state) {
    case ReplyState::streaming:
      if (!find_message(reply.id) && reply.id != ended_reply_) {
        state_.awaiting_reply = true;  // the stream brings its text, or its end
        clear_failed_reply();
      }
      break;
    case ReplyState::done:
      if (state_.draft && state_.draft->message_id == reply.id) {
        state_.draft.reset();
      }
      state_.awaiting_reply = false;
      clear_failed_reply();
      break;
    case ReplyState::failed:
    case ReplyState::interrupted:
      reply_failed(reply.id, reply.in_reply_to,
                   reply.error.value_or(chat::Error(reply.state == ReplyState::failed
                                                        ? chat::ErrorCode::model_error
                                                        : chat::ErrorCode::reply_interrupted)));
      break;
  }
}

void Conversation::reply_failed(const std::string& reply_id, const std::string& in_reply_to,
                                const chat::Error& e) {
  // The text a cut reply got to is no answer: it goes, and nothing waits any more.
  state_.draft.reset();
  state_.awaiting_reply = false;
  ended_reply_ = reply_id;
  set_error(e);
  const chat::Message* asked = find_message(in_reply_to);
  if (asked && asked->role == chat::Role::visitor) {
    state_.failed_reply = FailedReply{reply_id, in_reply_to};
  }
}

void Conversation::clear_failed_reply() {
  if (state_.failed_reply) {
    state_.failed_reply.reset();
    state_.error.clear();  // it was the failure's
  }
}

// A visitor message came after this one: what is said of this one's reply is past.
bool Conversation::superseded(const std::string& visitor_message_id) const {
  const chat::Message* asked = find_message(visitor_message_id);
  return asked && std::any_of(state_.messages.begin(), state_.messages.end(), [&](const chat::Message& x) {
           return x.role == chat::Role::visitor && x.seq > asked->seq;
         });
}

const chat::Message* Conversation::find_message(const std::string& id) const {
  auto it = std::find_if(state_.messages.begin(), state_.messages.end(),
                         [&](const chat::Message& x) { return x.id == id; });
  return it == state_.messages.end() ? nullptr : &*it;
}

void Conversation::set_error(const chat::Error& e) { state_.error = error_text(config_.lang, e); }

}  // namespace widget
