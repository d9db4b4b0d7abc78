// The chat API: sessions, messages and the event stream (docs/protocol.md).

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "auth.hpp"
#include "chat/api/chat.hpp"
#include "chat/events.hpp"
#include "chat/random.hpp"
#include "chat/sse.hpp"
#include "chat/validation.hpp"
#include "config.hpp"
#include "hub.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "kit/threads.hpp"
#include "metrics.hpp"
#include "phrases.hpp"
#include "privacy.hpp"
#include "rate_limiter.hpp"
#include "replies.hpp"
#include "routes.hpp"
#include "storage.hpp"
#include "storage_common.hpp"
#include "stream_ticket.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;

// What the visitor is told about a reply that did not come: its code, in their language.
chat::Error visitor_error(chat::ErrorCode code, const std::string& lang) {
  return chat::Error::localized(code, lang);
}

chat::ReplyStatus reply_status(const ReplyRecord& r) {
  chat::ReplyStatus status;
  status.id = r.reply_id;
  status.in_reply_to = r.in_reply_to;
  status.state = r.state;
  if (r.error) status.error = visitor_error(*r.error, r.lang);
  return status;
}

bool can_ask_again(const ReplyRecord& r) {
  return r.state == chat::ReplyState::failed || r.state == chat::ReplyState::interrupted;
}

// The server is stopping: refuse what would start something, so the client goes
// to another instance (or comes back after the restart).
bool refuse_while_draining(Services& s, Call& c) {
  if (!s.draining.load()) return false;
  c.res.set_header("Retry-After", "2");
  c.res.set_header("Connection", "close");
  chat::Error error(ErrorCode::server_stopping);
  error.retry_after = 2;
  kit::send_error(c.res, error);
  return true;
}

// The widget's greeting and suggestion buttons when the agent set none (null): in the
// session's language, about what the built-in model answers best. An empty greeting
// or list set by the agent means none, and stays empty.
std::string default_greeting(const AgentRecord& agent, const Phrases& t) {
  if (agent.name.empty()) return t.greeting;
  return fill(t.greeting_named, {{"name", agent.name}});
}

std::vector<std::string> default_suggestions(const Phrases& t) {
  return {t.suggestions.begin(), t.suggestions.end()};
}

chat::Session to_session(const SessionRecord& r, const AgentRecord& agent) {
  chat::Session s;
  s.session_id = r.id;
  s.visitor_id = r.visitor_id;
  s.lang = r.lang;
  s.phone_required = agent.chat_phone_required;
  s.verified = r.verified_at.has_value();
  s.verified_at = r.verified_at;
  s.messages = r.messages;
  if (r.reply) s.reply = reply_status(*r.reply);
  const Phrases& t = phrases(r.lang);
  std::string greeting = agent.chat_greeting.value_or(default_greeting(agent, t));
  if (!greeting.empty()) s.greeting = std::move(greeting);
  s.suggestions = agent.chat_suggestions.value_or(default_suggestions(t));
  return s;
}

// With the ticket that opens its event stream without headers (direct mode): every
// load of the session gives a fresh one, which is how a client renews it.
void send_session(Services& s, Call& c, int status, const SessionRecord& r, const AgentRecord& agent) {
  nlohmann::json j;
  to_json(j, to_session(r, agent));
  j["streamTicket"] = make_stream_ticket(agent.api_token, r.id, r.visitor_id,
                                         unix_seconds_now() + s.config.stream_ticket_seconds);
  kit::send_json(c.res, status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string visitor_header(const httplib::Request& req) { return req.get_header_value("X-Chat-Visitor"); }

// Last-Event-ID (header) or lastEventId (query): a message seq, 0 when absent.
chat::Result<std::int64_t> resume_point(const httplib::Request& req) {
  std::string text = req.get_header_value("Last-Event-ID");
  if (text.empty()) text = req.get_param_value("lastEventId");
  if (text.empty()) return std::int64_t{0};
  if (text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Error(ErrorCode::invalid_request, "Last-Event-ID must be a message seq");
  }
  return static_cast<std::int64_t>(std::stoll(text));
}

// One open stream: what was replayed, and the ids already complete, so that an
// event both replayed and queued is written once.
// How often a silent stream checks that its client is still there.
constexpr std::chrono::milliseconds kLivenessCheck{1000};

struct Stream {
  explicit Stream(Services& s) : services(&s) {}
  ~Stream() { services->metrics.stream_closed(); }  // its slot was taken before it was made
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  Services* services;
  std::unique_ptr<Subscription> subscription;
  std::vector<chat::Message> replay;
  std::optional<chat::ErrorEvent> reply_ended;  ///< the latest reply failed or was cut off
  std::int64_t last_seq = 0;
  std::set<std::string> complete;
  bool started = false;
  std::chrono::milliseconds heartbeat{15000};

  // Appends an event unless the client has it already.
  void append(const chat::Event& event, std::string& out) {
    if (auto* m = std::get_if<chat::MessageEvent>(&event)) {
      if (m->message.seq <= last_seq) return;
      last_seq = m->message.seq;
      complete.insert(m->message.id);
    } else if (auto* d = std::get_if<chat::DeltaEvent>(&event)) {
      if (complete.count(d->message_id)) return;
    }
    out += chat::encode_event(event);
  }

  std::string first_bytes() {
    std::string out = "retry: 2000\n\n";
    for (const auto& m : replay) append(chat::MessageEvent{m}, out);
    replay.clear();
    // Told on every connection, so a visitor who was away learns it and can ask again.
    if (reply_ended) append(*reply_ended, out);
    if (const auto& reply = subscription->snapshot; reply && !reply->text.empty()) {
      append(chat::DeltaEvent{reply->message_id, reply->text}, out);
    }
    return out;
  }
};

}  // namespace

void post_sessions(Services& s, Call& c) {
  auto caller = authenticate_chat(s, c.req);
  if (!caller) return kit::send_failure(c.req, c.res, caller.error());
  const auto& agent = caller->agent;
  if (!agent.chat_enabled) return kit::send_error(c.res, Error(ErrorCode::chat_disabled));
  if (auto r = kit::require_json(c.req, c.body); !r) return kit::send_error(c.res, r.error());
  if (auto refused = spend_client_budget(s, c.req, kit::Budget::sessions)) return kit::send_error(c.res, *refused);
  chat::api::CreateSessionRequest request;
  if (!c.body.empty()) {
    auto decoded = chat::api::decode_create_session(c.body);
    if (!decoded) return kit::send_error(c.res, decoded.error());
    request = std::move(decoded).value();
  }
  SessionRecord record;
  record.id = chat::random_uuid();
  record.agent_id = agent.id;
  record.visitor_id = request.visitor_id.value_or(chat::random_visitor_id());
  record.lang = request.lang.value_or(std::string(chat::to_string(chat::kDefaultLang)));
  record.started_at = now_timestamp();
  if (auto r = s.storage.insert_session(record); !r) return kit::send_failure(c.req, c.res, r.error());
  send_session(s, c, 201, record, agent);
}

void get_session(Services& s, Call& c) {
  auto caller = authenticate_chat(s, c.req);
  if (!caller) return kit::send_failure(c.req, c.res, caller.error());
  auto session = load_owned_session(s, caller->agent, c.params.at(0), visitor_header(c.req));
  if (!session) return kit::send_failure(c.req, c.res, session.error());
  send_session(s, c, 200, session.value(), caller->agent);
}

// The visitor erases their own conversation: the session, its messages and its
// replies. The visitor id is the proof, as for every other call on the session.
void delete_session(Services& s, Call& c) {
  auto caller = authenticate_chat(s, c.req);
  if (!caller) return kit::send_failure(c.req, c.res, caller.error());
  auto session = load_owned_session(s, caller->agent, c.params.at(0), visitor_header(c.req));
  if (!session) return kit::send_failure(c.req, c.res, session.error());
  auto deleted = s.storage.delete_session(caller->agent.id, session->id);
  if (!deleted) return kit::send_failure(c.req, c.res, deleted.error());
  if (!deleted.value()) return kit::send_error(c.res, Error(ErrorCode::session_not_found));
  s.eraser.erased();
  kit::log_event("info", "chat session erased",
                 {{"session", session->id}, {"agent", caller->agent.id}, {"by", "visitor"}});
  c.res.status = 204;
}

namespace {

void start_reply(Services& s, const VisitorPost& post, const std::string& reply_id, const chat::Message& visitor,
                 std::vector<chat::Message> history, std::chrono::steady_clock::time_point posted_at) {
  ReplyJob job;
  job.session_id = post.session.id;
  job.reply_id = reply_id;
  job.in_reply_to = visitor.id;
  job.model = post.agent.chat_model;
  job.request.prompt = post.agent.prompt;
  job.request.prompt_extra = post.agent.chat_prompt_extra;
  job.request.agent_name = post.agent.name;
  job.request.timezone = post.agent.timezone;
  job.request.history = std::move(history);
  job.request.lang = post.session.lang;
  job.posted_at = posted_at;
  s.replies.start(std::move(job));
}

// The visitor's message again after its reply failed or was cut off: a new reply,
// once. Two retries racing (here or on another instance) start one: the hub's slot
// here, the row's state in the database across instances; the other gets 200.
void ask_again(Services& s, Call& c, const VisitorPost& post, const chat::Message& visitor,
               std::chrono::steady_clock::time_point posted_at) {
  const std::string& session_id = post.session.id;
  if (auto refused = spend_client_budget(s, c.req, kit::Budget::messages)) return kit::send_error(c.res, *refused);
  const std::string reply_id = chat::random_uuid();
  if (!s.hub.begin_reply(session_id, reply_id, visitor.id)) {
    return kit::send_json(c.res, 200, chat::api::encode(visitor));  // a reply is coming already
  }
  if (auto wait = s.limiter.try_acquire(session_id, post.agent.id)) {
    s.hub.abandon_reply(session_id);
    Error error(ErrorCode::rate_limited, "too many messages, try again in " + std::to_string(*wait) + " s");
    error.retry_after = *wait;
    return kit::send_error(c.res, error);
  }
  auto claimed = s.storage.restart_reply(session_id, visitor.id, reply_id, s.instance_id);
  if (!claimed || !claimed.value()) {
    s.hub.abandon_reply(session_id);
    if (!claimed) return kit::send_failure(c.req, c.res, claimed.error());
    return kit::send_json(c.res, 200, chat::api::encode(visitor));  // another retry won
  }
  kit::log_event("info", "reply asked again", {{"session", session_id}, {"message", visitor.id}});
  // The history as the model saw it the first time: up to the visitor's message.
  std::vector<chat::Message> history;
  for (const auto& m : post.session.messages) {
    history.push_back(m);
    if (m.id == visitor.id) break;
  }
  start_reply(s, post, reply_id, visitor, std::move(history), posted_at);
  kit::send_json(c.res, 202, chat::api::encode(visitor));
}

}  // namespace

void post_message(Services& s, Call& c) {
  auto posted_at = std::chrono::steady_clock::now();
  auto post = begin_visitor_post(s, c);
  if (!post) return;
  const auto& agent = post->agent;
  const auto& session = post->session;
  auto request = chat::api::decode_post_message(c.body);
  if (!request) return kit::send_error(c.res, request.error());
  auto text = chat::validate_message_text(request->text);
  if (!text) return kit::send_error(c.res, text.error());
  if (agent.chat_phone_required && !session.verified_at) {
    return kit::send_error(c.res, Error(ErrorCode::phone_verification_required));
  }
  if (refuse_while_draining(s, c)) return;
  if (request->id) {
    // The same message sent again (its answer was lost on the way): it is stored
    // already. Its reply came or is coming: say so and start nothing. Its reply
    // failed or was cut off: this is the visitor asking again.
    const auto& messages = session.messages;
    auto same = std::find_if(messages.begin(), messages.end(),
                             [&](const chat::Message& m) { return m.id == *request->id; });
    if (same != messages.end()) {
      if (same->role != chat::Role::visitor || same->text != text.value()) {
        return kit::send_error(c.res, Error(ErrorCode::invalid_request, "this id belongs to another message"));
      }
      if (session.reply && session.reply->in_reply_to == same->id && can_ask_again(*session.reply)) {
        return ask_again(s, c, *post, *same, posted_at);
      }
      return kit::send_json(c.res, 200, chat::api::encode(*same));
    }
  }

  // One client's flood is refused here, before the agent's own budget (the last
  // resort) is touched.
  if (auto refused = spend_client_budget(s, c.req, kit::Budget::messages)) return kit::send_error(c.res, *refused);

  const std::string& session_id = session.id;
  NewMessage visitor_message{request->id ? *request->id : chat::random_uuid(), chat::Role::visitor, text.value(),
                             now_timestamp()};
  const std::string reply_id = chat::random_uuid();
  if (!s.hub.begin_reply(session_id, reply_id, visitor_message.id)) {
    return kit::send_error(c.res, Error(ErrorCode::reply_in_progress, "wait for the current reply to finish"));
  }
  if (auto wait = s.limiter.try_acquire(session_id, agent.id)) {
    s.hub.abandon_reply(session_id);
    Error error(ErrorCode::rate_limited, "too many messages, try again in " + std::to_string(*wait) + " s");
    error.retry_after = *wait;
    return kit::send_error(c.res, error);
  }
  ReplyRecord reply;
  reply.reply_id = reply_id;
  reply.instance_id = s.instance_id;
  auto stored = s.storage.append_visitor_message(session_id, visitor_message, reply);
  if (!stored) {
    s.hub.abandon_reply(session_id);
    return kit::send_failure(c.req, c.res, stored.error());
  }
  // Stored first, then sent: a stream that resumes later finds it in the database.
  s.hub.publish_message(session_id, stored.value());

  auto history = session.messages;
  history.push_back(stored.value());
  start_reply(s, *post, reply_id, stored.value(), std::move(history), posted_at);
  kit::send_json(c.res, 202, chat::api::encode(stored.value()));
}

void get_events(Services& s, Call& c) {
  AgentRecord agent;
  std::string visitor;
  if (const std::string ticket = c.req.get_param_value("ticket"); !ticket.empty() && !kit::bearer_token(c.req)) {
    // Direct mode: EventSource sends no header; the ticket names the session and visitor.
    auto holder = authenticate_ticket(s, c.req, ticket, c.params.at(0));
    if (!holder) return kit::send_failure(c.req, c.res, holder.error());
    agent = std::move(holder->agent);
    visitor = std::move(holder->visitor_id);
  } else {
    auto caller = authenticate_chat(s, c.req);
    if (!caller) return kit::send_failure(c.req, c.res, caller.error());
    agent = std::move(caller->agent);
    visitor = c.req.get_param_value("visitor");
    if (visitor.empty()) visitor = visitor_header(c.req);
  }
  auto last_seq = resume_point(c.req);
  if (!last_seq) return kit::send_error(c.res, last_seq.error());
  if (refuse_while_draining(s, c)) return;

  // Each open stream holds a worker for its whole life: past the limit, refuse it
  // now with a clear error rather than let it take the workers other requests need.
  if (!s.metrics.try_open_stream(s.config.max_streams)) {
    c.res.set_header("Retry-After", "5");
    return kit::send_error(c.res, Error(ErrorCode::server_busy, "too many open event streams (" +
                                                                    std::to_string(s.config.max_streams) +
                                                                    "); try again shortly"));
  }
  auto stream = std::make_shared<Stream>(s);
  stream->heartbeat = std::chrono::milliseconds(s.config.heartbeat_ms);
  stream->last_seq = last_seq.value();
  // Subscribe before reading the stored messages: a message stored in between is
  // then both replayed and queued, and append() writes it once.
  stream->subscription = s.hub.subscribe(c.params.at(0));
  auto session = load_owned_session(s, agent, c.params.at(0), visitor);
  if (!session) return kit::send_failure(c.req, c.res, session.error());
  stream->replay = std::move(session->messages);
  if (const auto& reply = session->reply; reply && can_ask_again(*reply) && reply->error) {
    stream->reply_ended = chat::ErrorEvent{visitor_error(*reply->error, session->lang), reply->reply_id,
                                           reply->in_reply_to};
  }

  c.res.set_header("Cache-Control", "no-cache");
  c.res.set_header("X-Accel-Buffering", "no");
  // Exactly text/event-stream: with a charset the library compresses and buffers.
  c.res.set_chunked_content_provider(
      "text/event-stream",
      [stream](std::size_t, httplib::DataSink& sink) {
        std::string out;
        if (!stream->started) {
          kit::trim_stack();  // this worker now waits here for the stream's whole life
          stream->started = true;
          out = stream->first_bytes();
        } else {
          // Block until something happens; a timeout becomes a heartbeat, never a
          // return without writing (the library would call again at once). Every
          // second of silence, look whether the client has gone: its worker and
          // its stream slot are then free at once, not at the next heartbeat.
          const auto heartbeat_at = std::chrono::steady_clock::now() + stream->heartbeat;
          while (out.empty()) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(heartbeat_at -
                                                                              std::chrono::steady_clock::now());
            if (left.count() <= 0) {
              out = chat::encode_sse_comment("ping");
              break;
            }
            auto batch = stream->subscription->wait(std::min(left, kLivenessCheck));
            for (const auto& event : batch.events) stream->append(event, out);
            if (batch.closed && out.empty()) {
              sink.done();
              return true;
            }
            // is_writable() peeks at the socket: false once the client closed it.
            if (out.empty() && !sink.is_writable()) return false;
          }
        }
        return sink.write(out.data(), out.size());
      },
      [stream](bool) { stream->subscription.reset(); });
}

}  // namespace agent_server
