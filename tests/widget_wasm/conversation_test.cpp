#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "chat/validation.hpp"
#include "conversation.hpp"

using widget::Conversation;
using widget::Effect;
using widget::Field;
using widget::Phase;

namespace {

constexpr const char* kSession = "6f1c2a1e-0b7d-4c3e-9a4f-1d2e3f4a5b6c";
constexpr const char* kVisitor = "AbCdEfGhIjKlMnOpQrStUvWx";
constexpr const char* kBase = "/api/chat/r1";

std::string message_json(const std::string& id, int seq, const std::string& role, const std::string& text) {
  return R"({"id":")" + id + R"(","seq":)" + std::to_string(seq) + R"(,"role":")" + role + R"(","text":")" + text +
         R"(","createdAt":"2026-11-24T20:18:52.123Z"})";
}

// The id of a message POST's body {"text":TEXT,"id":ID}, or "" when the body is not that.
std::string posted_id(const std::string& body, const std::string& text) {
  const std::string head = R"({"text":")" + text + R"(","id":")";
  if (body.rfind(head, 0) != 0 || body.size() < head.size() + 2 || body.substr(body.size() - 2) != "\"}")
    return "";
  return body.substr(head.size(), body.size() - head.size() - 2);
}

std::string uuid(int n) {
  std::string tail = std::to_string(n);
  return "00000000-0000-4000-8000-" + std::string(12 - tail.size(), '0') + tail;
}

std::string session_json(bool phone_required, bool verified, const std::string& messages = "",
                         const std::string& reply = "") {
  return R"({"sessionId":")" + std::string(kSession) + R"(","visitorId":")" + kVisitor +
         R"(","lang":"fr","phoneRequired":)" + (phone_required ? "true" : "false") + R"(,"verified":)" +
         (verified ? "true" : "false") + R"(,"messages":[)" + messages + "]" +
         (reply.empty() ? "" : R"(,"reply":)" + reply) + "}";
}

// A session's "reply": {"id","inReplyTo","state","error"?}.
std::string reply_json(const std::string& id, const std::string& in_reply_to, const std::string& state,
                       const std::string& code = "") {
  return R"({"id":")" + id + R"(","inReplyTo":")" + in_reply_to + R"(","state":")" + state + "\"" +
         (code.empty() ? "" : R"(,"error":{"code":")" + code + R"(","message":"server text"})") + "}";
}

// An `error` event about a reply.
std::string reply_error_json(const std::string& code, const std::string& reply, const std::string& in_reply_to) {
  return R"({"error":{"code":")" + code + R"(","message":"server text"},"messageId":")" + reply +
         R"(","inReplyTo":")" + in_reply_to + R"("})";
}

std::string delta_json(const std::string& reply, const std::string& text) {
  return R"({"messageId":")" + reply + R"(","text":")" + text + R"("})";
}

// Drives a Conversation the way the browser layer does and records what it asks for.
struct Harness {
  explicit Harness(widget::Config config = {kBase, widget::Lang::fr, "", ""}) : c(std::move(config)) {}

  std::vector<Effect> effects() { return c.take_effects(); }

  template <class T>
  static std::vector<T> only(const std::vector<Effect>& effects) {
    std::vector<T> out;
    for (const auto& e : effects) {
      if (auto* x = std::get_if<T>(&e)) {
        out.push_back(*x);
      }
    }
    return out;
  }

  // The one request the last action made.
  widget::HttpRequest request() {
    auto requests = only<widget::HttpRequest>(pending = effects());
    REQUIRE(requests.size() == 1);
    return requests.front();
  }

  // Opens the panel and answers the session creation.
  void open_chatting(bool phone_required = false, bool verified = false, const std::string& messages = "") {
    c.open();
    auto r = request();
    c.on_response(r.id, 201, session_json(phone_required, verified, messages));
    pending = effects();
  }

  Conversation c;
  std::vector<Effect> pending;  // effects taken by request(), for further checks
};

}  // namespace

TEST_CASE("the first open creates a session, keeps its ids and opens the stream") {
  Harness h;
  CHECK(h.c.phase() == Phase::idle);
  h.c.open();
  CHECK(h.c.phase() == Phase::opening);
  CHECK_FALSE(h.c.state().busy);  // the visitor may start typing
  auto r = h.request();
  h.c.send("too early");  // and send: it waits for the session
  CHECK(h.effects().empty());
  CHECK(r.method == "POST");
  CHECK(r.url == "/api/chat/r1/chat/sessions");
  CHECK(r.body == R"({"lang":"fr"})");
  CHECK(r.visitor_id.empty());

  h.c.on_response(r.id, 201, session_json(false, false));
  auto fx = h.effects();
  CHECK(h.c.phase() == Phase::chatting);
  auto stores = Harness::only<widget::Store>(fx);
  REQUIRE(stores.size() == 2);
  CHECK(stores[0].key == "visitor");
  CHECK(stores[0].value == kVisitor);
  CHECK(stores[1].key == "session");
  CHECK(stores[1].value == kSession);
  auto streams = Harness::only<widget::OpenStream>(fx);
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].url == std::string(kBase) + "/chat/sessions/" + kSession + "/events?visitor=" + kVisitor);
  auto posts = Harness::only<widget::HttpRequest>(fx);
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].url == std::string(kBase) + "/chat/sessions/" + kSession + "/messages");
  CHECK(chat::is_valid_uuid(posted_id(posts[0].body, "too early")));
  CHECK(h.c.state().busy);
}

TEST_CASE("a reload loads the stored session and resumes the stream after its last message") {
  Harness h({kBase, widget::Lang::en, kVisitor, kSession});
  h.c.resume();  // in the background: the panel stays closed
  CHECK_FALSE(h.c.state().open);
  auto r = h.request();
  CHECK(r.method == "GET");
  CHECK(r.url == std::string(kBase) + "/chat/sessions/" + kSession);
  CHECK(r.visitor_id == kVisitor);

  // Out of order on purpose: the list is kept by seq.
  h.c.on_response(r.id, 200,
                  session_json(false, false,
                               message_json(uuid(2), 2, "agent", "Hello") + "," +
                                   message_json(uuid(1), 1, "visitor", "Hi")));
  auto fx = h.effects();
  REQUIRE(h.c.state().messages.size() == 2);
  CHECK(h.c.state().messages[0].text == "Hi");
  CHECK(h.c.state().messages[1].text == "Hello");
  CHECK(h.c.last_seq() == 2);
  CHECK(h.c.state().unread == 0);  // history is not news
  auto streams = Harness::only<widget::OpenStream>(fx);
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].url.find("&lastEventId=2") != std::string::npos);
}

TEST_CASE("ids from storage that are not ids are dropped") {
  Harness h({kBase, widget::Lang::fr, "short", "not-a-uuid"});
  h.c.resume();
  CHECK(h.effects().empty());  // nothing to resume
  h.c.open();
  auto r = h.request();
  CHECK(r.method == "POST");
  CHECK(r.body.find("visitorId") == std::string::npos);
}

TEST_CASE("a session the server forgot is replaced, same visitor") {
  Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
  h.c.open();
  auto r = h.request();
  h.c.on_response(r.id, 404, R"({"error":{"code":"session_not_found","message":"no such session"}})");
  auto fx = h.effects();
  auto requests = Harness::only<widget::HttpRequest>(fx);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].url == std::string(kBase) + "/chat/sessions");
  CHECK(requests[0].body == std::string(R"({"lang":"fr","visitorId":")") + kVisitor + R"("})");
  CHECK(h.c.phase() == Phase::opening);
  CHECK(h.c.state().error.empty());
}

TEST_CASE("sending: validated first, one request at a time, echo deduplicated") {
  Harness h;
  h.open_chatting();

  h.c.send("   \n ");
  CHECK(h.effects().empty());
  CHECK(h.c.state().error.empty());

  h.c.send(std::string(2001, 'a'));
  CHECK(h.effects().empty());
  CHECK(h.c.state().error == "Votre message est trop long (2000 caractères au plus).");

  h.c.send("  Vous êtes ouverts ?  ");
  auto r = h.request();
  CHECK(r.url == std::string(kBase) + "/chat/sessions/" + kSession + "/messages");
  CHECK(chat::is_valid_uuid(posted_id(r.body, "Vous êtes ouverts ?")));  // kept by retries: stored once
  CHECK(r.visitor_id == kVisitor);
  CHECK(h.c.state().error.empty());
  CHECK(h.c.state().busy);

  h.c.send("again");  // a second click while the first is under way
  CHECK(h.effects().empty());

  auto visitor = message_json(uuid(1), 1, "visitor", "Vous êtes ouverts ?");
  h.c.on_response(r.id, 202, visitor);
  auto fx = h.effects();
  CHECK_FALSE(h.c.state().busy);
  REQUIRE(Harness::only<widget::ClearField>(fx).size() == 1);
  CHECK(Harness::only<widget::ClearField>(fx)[0].field == Field::input);
  CHECK(h.c.phase() == Phase::reply_streaming);
  CHECK(h.c.state().awaiting_reply);

  h.c.on_stream_event("message", visitor);  // the stream echoes it to every tab
  CHECK(h.c.state().messages.size() == 1);
}

TEST_CASE("a streamed reply builds a draft that its message replaces") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  h.c.on_stream_event("message", message_json(uuid(1), 1, "visitor", "Horaires ?"));
  const std::string reply = uuid(2);
  h.c.on_stream_event("delta", R"({"messageId":")" + reply + R"(","text":"Nous"})");
  CHECK_FALSE(h.c.state().awaiting_reply);
  h.c.on_stream_event("delta", R"({"messageId":")" + reply + R"(","text":" sommes"})");
  h.c.on_stream_event("delta", R"({"messageId":")" + reply + R"(","text":" ouverts"})");
  REQUIRE(h.c.state().draft);
  CHECK(h.c.state().draft->text == "Nous sommes ouverts");
  CHECK(h.c.phase() == Phase::reply_streaming);

  h.c.on_stream_event("message", message_json(reply, 2, "agent", "Nous sommes ouverts"));
  CHECK_FALSE(h.c.state().draft);
  CHECK(h.c.state().messages.size() == 2);
  h.c.on_stream_event("done", R"({"messageId":")" + reply + R"("})");
  CHECK(h.c.phase() == Phase::chatting);
  CHECK(h.c.last_seq() == 2);

  // A late delta of a stored reply must not resurrect a draft.
  h.c.on_stream_event("delta", R"({"messageId":")" + reply + R"(","text":" encore"})");
  CHECK_FALSE(h.c.state().draft);
}

TEST_CASE("a reconnect in the middle of a reply does not double the text") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  const std::string reply = uuid(2);
  h.c.on_stream_event("delta", R"({"messageId":")" + reply + R"(","text":"Nous"})");
  h.c.on_stream_error(false);  // the browser reconnects by itself
  CHECK(h.c.state().reconnecting);
  h.c.on_stream_open();
  CHECK_FALSE(h.c.state().reconnecting);
  h.c.on_stream_event("delta", R"({"messageId":")" + reply + R"(","text":"Nous sommes"})");
  REQUIRE(h.c.state().draft);
  CHECK(h.c.state().draft->text == "Nous sommes");
}

TEST_CASE("a model error ends the reply and says so") {
  Harness h({kBase, widget::Lang::en, "", ""});
  h.open_chatting();
  h.c.on_stream_event("delta", R"({"messageId":")" + uuid(2) + R"(","text":"We"})");
  h.c.on_stream_event("error", R"({"error":{"code":"model_error","message":"upstream 500"}})");
  CHECK_FALSE(h.c.state().draft);
  CHECK(h.c.phase() == Phase::chatting);
  CHECK(h.c.state().error == "Sorry, the reply could not be written. Please try again in a moment.");
}

TEST_CASE("offline: the message stays in the input and is retried with backoff") {
  Harness h;
  h.open_chatting();
  h.c.send("Une table pour 4");
  auto r = h.request();
  h.c.on_response(r.id, 0, "");
  auto fx = h.effects();
  CHECK(h.c.phase() == Phase::offline);
  CHECK(h.c.state().busy);
  CHECK(Harness::only<widget::ClearField>(fx).empty());
  CHECK(h.c.state().error.find("Connexion perdue") == 0);
  auto timers = Harness::only<widget::StartTimer>(fx);
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].delay_ms == 1000);

  h.c.on_timer(timers[0].id);
  auto again = h.request();
  CHECK(again.body == r.body);
  h.c.on_response(again.id, 502, "");  // the proxy is up, the agent server not yet
  timers = Harness::only<widget::StartTimer>(h.effects());
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].delay_ms == 2000);

  h.c.on_wake();  // the network is back: no need to wait
  auto third = h.request();
  h.c.on_timer(timers[0].id);  // the old timer is stale now
  CHECK(h.effects().empty());

  h.c.on_response(third.id, 202, message_json(uuid(1), 1, "visitor", "Une table pour 4"));
  fx = h.effects();
  CHECK(Harness::only<widget::ClearField>(fx).size() == 1);
  CHECK(h.c.phase() == Phase::reply_streaming);
  CHECK(h.c.state().error.empty());
}

TEST_CASE("backoff grows to 30 seconds and no further") {
  Harness h;
  h.c.open();
  auto r = h.request();
  std::vector<int> delays;
  for (int i = 0; i < 8; ++i) {
    h.c.on_response(r.id, 503, R"({"error":{"code":"server_busy","message":"busy"}})");
    auto timers = Harness::only<widget::StartTimer>(h.effects());
    REQUIRE(timers.size() == 1);
    delays.push_back(timers[0].delay_ms);
    h.c.on_timer(timers[0].id);
    r = h.request();
  }
  CHECK(delays == std::vector<int>{1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000});
}

TEST_CASE("chat not available is final: no retries") {
  Harness h({kBase, widget::Lang::en, "", ""});
  h.c.open();
  auto r = h.request();
  h.c.on_response(r.id, 503, R"({"error":{"code":"chat_unavailable","message":"no token"}})");
  auto fx = h.effects();
  CHECK(h.c.phase() == Phase::error);
  CHECK(Harness::only<widget::StartTimer>(fx).empty());
  CHECK(h.c.state().error == "Chat is not available right now. You can call the restaurant.");
  h.c.send("hello");
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
}

TEST_CASE("a site the agent does not allow (direct mode) is final, in plain words") {
  // What core.js reports when the preflight was refused but the server answers.
  Harness h;
  h.c.open();
  auto r = h.request();
  h.c.on_response(r.id, 403, R"({"error":{"code":"origin_not_allowed"}})");
  auto fx = h.effects();
  CHECK(h.c.phase() == Phase::error);
  CHECK(Harness::only<widget::StartTimer>(fx).empty());
  CHECK(h.c.state().error == "Le chat de ce restaurant n'est pas disponible sur ce site.");
  h.c.send("Bonjour");
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
}

TEST_CASE("the phone step: number, code, errors with attempts left, then chat") {
  Harness h;
  h.open_chatting(true, false);
  CHECK(h.c.phase() == Phase::phone_required);
  CHECK(Harness::only<widget::OpenStream>(h.pending).empty());
  auto focus = Harness::only<widget::Focus>(h.pending);
  REQUIRE_FALSE(focus.empty());
  CHECK(focus.back().field == Field::phone_input);

  h.c.send("hello");
  CHECK(h.effects().empty());
  CHECK(h.c.state().error == "Confirmez d'abord votre numéro de téléphone.");

  h.c.submit_phone("12");
  CHECK(h.effects().empty());
  CHECK(h.c.state().error == "Ce numéro de téléphone ne semble pas valide.");

  h.c.submit_phone("06 12 34 56 78");
  auto r = h.request();
  CHECK(r.url == std::string(kBase) + "/chat/sessions/" + kSession + "/phone");
  CHECK(r.body == R"({"phone":"+33612345678"})");
  h.c.on_response(r.id, 202, R"({"phone":"+33 •• •• •• •• 78","expiresIn":600,"sendsLeft":2})");
  auto fx = h.effects();
  CHECK(h.c.phase() == Phase::code_sent);
  CHECK(h.c.state().code_sent_to == "+33 •• •• •• •• 78");
  CHECK(Harness::only<widget::Focus>(fx).back().field == Field::code_input);

  h.c.submit_code("12 34 5");
  CHECK(h.effects().empty());
  h.c.submit_code("123 456");
  r = h.request();
  CHECK(r.body == R"({"code":"123456"})");
  h.c.on_response(r.id, 400, R"({"error":{"code":"invalid_code","message":"wrong code","attemptsLeft":2}})");
  CHECK(h.c.phase() == Phase::code_sent);
  CHECK(h.c.state().error == "Ce code n'est pas le bon. Il vous reste 2 essais.");

  h.c.submit_code("654321");
  r = h.request();
  h.c.on_response(r.id, 200, R"({"verified":true,"verifiedAt":"2026-11-24T20:18:52.123Z"})");
  fx = h.effects();
  CHECK(h.c.phase() == Phase::chatting);
  CHECK(h.c.state().error.empty());
  CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
  CHECK(Harness::only<widget::Focus>(fx).back().field == Field::input);
}

TEST_CASE("change number and resend go back through the phone request") {
  Harness h;
  h.open_chatting(true, false);
  h.c.submit_phone("0612345678");
  auto r = h.request();
  h.c.on_response(r.id, 202, R"({"phone":"+33 •• 78","expiresIn":600,"sendsLeft":2})");
  h.effects();
  h.c.resend_code();
  auto again = h.request();
  CHECK(again.body == r.body);
  h.c.on_response(again.id, 429, R"({"error":{"code":"too_many_attempts","message":"x","retryAfter":3600}})");
  CHECK(h.c.state().error == "Trop d'essais. Réessayez dans 60 minutes.");
  h.c.change_number();
  CHECK(h.c.phase() == Phase::phone_required);
}

TEST_CASE("a message refused for lack of a verified phone leads to the phone step") {
  Harness h;
  h.open_chatting();
  h.c.send("Bonjour");
  auto r = h.request();
  h.c.on_response(r.id, 403, R"({"error":{"code":"phone_verification_required","message":"verify first"}})");
  auto fx = h.effects();
  CHECK(h.c.phase() == Phase::phone_required);
  CHECK(Harness::only<widget::ClearField>(fx).empty());  // the text waits in the input
  CHECK(Harness::only<widget::Focus>(fx).back().field == Field::phone_input);
}

TEST_CASE("replies that come while the panel is closed count as unread") {
  Harness h;
  h.open_chatting();
  h.c.close();
  CHECK(Harness::only<widget::Focus>(h.effects()).back().field == Field::launcher);
  h.c.on_stream_event("message", message_json(uuid(1), 1, "visitor", "from another tab"));
  h.c.on_stream_event("message", message_json(uuid(2), 2, "agent", "one"));
  h.c.on_stream_event("message", message_json(uuid(3), 3, "agent", "two"));
  h.c.on_stream_event("message", message_json(uuid(3), 3, "agent", "two"));  // replayed
  CHECK(h.c.state().unread == 2);
  h.c.open();
  CHECK(h.c.state().unread == 0);
}

TEST_CASE("a stream the browser gave up on is reopened after checking the session") {
  Harness h;
  h.open_chatting(false, false, message_json(uuid(1), 1, "visitor", "a"));
  h.c.on_stream_open();
  h.c.on_stream_error(true);
  auto timers = Harness::only<widget::StartTimer>(h.effects());
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].delay_ms == 1000);
  h.c.on_timer(timers[0].id);
  auto r = h.request();
  CHECK(r.method == "GET");
  h.c.on_response(r.id, 200,
                  session_json(false, false,
                               message_json(uuid(1), 1, "visitor", "a") + "," +
                                   message_json(uuid(2), 2, "agent", "b")));
  auto streams = Harness::only<widget::OpenStream>(h.effects());
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].url.find("&lastEventId=2") != std::string::npos);
  CHECK(h.c.state().messages.size() == 2);
}

TEST_CASE("waking up reopens the stream from the last message") {
  Harness h;
  h.open_chatting(false, false, message_json(uuid(1), 1, "visitor", "a"));
  h.c.on_stream_open();
  h.c.on_wake();
  auto streams = Harness::only<widget::OpenStream>(h.effects());
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].url.find("lastEventId=1") != std::string::npos);
}

TEST_CASE("unknown responses, events and bad bodies change nothing") {
  Harness h;
  h.open_chatting();
  h.c.on_response(999, 200, "{}");
  h.c.on_stream_event("typing", "{}");
  h.c.on_stream_event("message", "not json");
  h.c.on_stream_event("delta", R"({"text":"no id"})");
  CHECK(h.effects().empty());
  CHECK(h.c.state().messages.empty());
  CHECK_FALSE(h.c.state().draft);
  CHECK(h.c.phase() == Phase::chatting);
}

TEST_CASE("a garbled session answer is retried, not trusted") {
  Harness h;
  h.c.open();
  auto r = h.request();
  h.c.on_response(r.id, 201, R"({"sessionId":"../../admin","visitorId":"x"})");
  CHECK(h.c.phase() == Phase::offline);
  CHECK(Harness::only<widget::Store>(h.effects()).empty());
}

// ---- Replies that fail or are cut off (issue 12) ------------------------------------------

namespace {

// Sends `text` and answers the POST with 202 and the stored message (seq 1); returns its id.
std::string send_accepted(Harness& h, const std::string& text, int seq = 1) {
  h.c.send(text);
  auto r = h.request();
  std::string id = posted_id(r.body, text);
  REQUIRE(chat::is_valid_uuid(id));
  h.c.on_response(r.id, 202, message_json(id, seq, "visitor", text));
  h.pending = h.effects();
  return id;
}

int count_id(const Conversation& c, const std::string& id) {
  int n = 0;
  for (const auto& m : c.state().messages) n += m.id == id ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("a reply cut off mid-stream: ask again posts the same message, the new reply completes") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  const std::string asked = send_accepted(h, "Horaires ?");
  h.c.on_stream_event("message", message_json(asked, 1, "visitor", "Horaires ?"));  // the echo
  const std::string cut = uuid(50);
  h.c.on_stream_event("delta", delta_json(cut, "Nous sommes"));
  REQUIRE(h.c.state().draft);

  h.c.on_stream_event("error", reply_error_json("reply_interrupted", cut, asked));
  CHECK_FALSE(h.c.state().draft);  // no half reply left as if it were one
  CHECK_FALSE(h.c.state().awaiting_reply);
  CHECK(h.c.phase() == Phase::chatting);
  CHECK(h.c.state().messages.size() == 1);
  CHECK(h.c.state().error == "La réponse a été interrompue.");
  REQUIRE(h.c.state().failed_reply);
  CHECK(h.c.state().failed_reply->reply_id == cut);
  CHECK(h.c.state().failed_reply->in_reply_to == asked);

  h.c.retry();
  auto r = h.request();
  CHECK(r.method == "POST");
  CHECK(r.url == std::string(kBase) + "/chat/sessions/" + kSession + "/messages");
  CHECK(r.body == R"({"text":"Horaires ?","id":")" + asked + R"("})");
  CHECK(Harness::only<widget::Focus>(h.pending).back().field == Field::input);
  CHECK_FALSE(h.c.state().failed_reply);
  CHECK(h.c.state().error.empty());
  CHECK(h.c.state().busy);
  h.c.retry();  // a second tap while it is on its way
  CHECK(h.effects().empty());

  h.c.on_response(r.id, 202, message_json(asked, 1, "visitor", "Horaires ?"));
  auto fx = h.effects();
  CHECK(Harness::only<widget::ClearField>(fx).empty());  // what is being typed stays
  CHECK_FALSE(h.c.state().busy);
  CHECK(h.c.state().awaiting_reply);
  CHECK(h.c.phase() == Phase::reply_streaming);
  CHECK(h.c.state().messages.size() == 1);

  // The old failure told again (a replay) is old news.
  h.c.on_stream_event("error", reply_error_json("reply_interrupted", cut, asked));
  CHECK(h.c.state().awaiting_reply);
  CHECK(h.c.state().error.empty());
  CHECK_FALSE(h.c.state().failed_reply);

  const std::string fresh = uuid(51);
  h.c.on_stream_event("delta", delta_json(fresh, "Nous"));
  h.c.on_stream_event("delta", delta_json(fresh, " sommes ouverts"));
  h.c.on_stream_event("message", message_json(fresh, 2, "agent", "Nous sommes ouverts"));
  h.c.on_stream_event("done", R"({"messageId":")" + fresh + R"("})");
  CHECK(h.c.phase() == Phase::chatting);
  CHECK_FALSE(h.c.state().draft);
  CHECK_FALSE(h.c.state().awaiting_reply);
  REQUIRE(h.c.state().messages.size() == 2);
  CHECK(h.c.state().messages[1].text == "Nous sommes ouverts");
  CHECK(h.c.state().error.empty());
}

TEST_CASE("a failed reply (model error) offers to ask again too") {
  Harness h({kBase, widget::Lang::en, "", ""});
  h.open_chatting();
  h.c.on_stream_open();
  const std::string asked = send_accepted(h, "Menu?");
  h.c.on_stream_event("delta", delta_json(uuid(60), "We"));
  h.c.on_stream_event("error", reply_error_json("model_error", uuid(60), asked));
  CHECK(h.c.state().error == "Sorry, the reply could not be written. Please try again in a moment.");
  CHECK_FALSE(h.c.state().draft);
  REQUIRE(h.c.state().failed_reply);

  h.c.retry();
  auto r = h.request();
  CHECK(r.body == R"({"text":"Menu?","id":")" + asked + R"("})");
  h.c.on_response(r.id, 202, message_json(asked, 1, "visitor", "Menu?"));
  CHECK(h.c.phase() == Phase::reply_streaming);
}

TEST_CASE("asking again refused by the server gives the button back; offline, it is retried by itself") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  const std::string asked = send_accepted(h, "Horaires ?");
  h.c.on_stream_event("error", reply_error_json("reply_interrupted", uuid(70), asked));

  h.c.retry();
  auto r = h.request();
  h.c.on_response(r.id, 0, "");  // no network: kept and tried again with backoff
  auto timers = Harness::only<widget::StartTimer>(h.effects());
  REQUIRE(timers.size() == 1);
  CHECK(h.c.phase() == Phase::offline);
  CHECK_FALSE(h.c.state().failed_reply);
  h.c.on_timer(timers[0].id);
  auto again = h.request();
  CHECK(again.body == r.body);

  h.c.on_response(again.id, 429, R"({"error":{"code":"rate_limited","message":"slow down"}})");
  REQUIRE(h.c.state().failed_reply);
  CHECK(h.c.state().failed_reply->in_reply_to == asked);
  CHECK(h.c.state().error == "Vous écrivez un peu vite.");
  CHECK_FALSE(h.c.state().busy);
  // And the failure, told again by the stream, still shows.
  h.c.on_stream_event("error", reply_error_json("reply_interrupted", uuid(70), asked));
  CHECK(h.c.state().error == "La réponse a été interrompue.");
  CHECK(h.c.state().failed_reply);
}

TEST_CASE("a new message instead of asking again puts the failure behind") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  const std::string first = send_accepted(h, "Horaires ?");
  h.c.on_stream_event("error", reply_error_json("model_error", uuid(80), first));
  REQUIRE(h.c.state().failed_reply);

  send_accepted(h, "Adresse ?", 2);
  CHECK_FALSE(h.c.state().failed_reply);
  CHECK(h.c.state().error.empty());
  CHECK(h.c.state().awaiting_reply);
  // What is said of the first message's reply is past now.
  h.c.on_stream_event("error", reply_error_json("model_error", uuid(80), first));
  CHECK(h.c.state().awaiting_reply);
  CHECK_FALSE(h.c.state().failed_reply);
  CHECK(h.c.state().error.empty());
}

TEST_CASE("loading a session whose reply was cut off says so and offers to ask again") {
  Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
  h.c.resume();
  auto r = h.request();
  const std::string asked = uuid(1);
  h.c.on_response(r.id, 200,
                  session_json(false, false, message_json(asked, 1, "visitor", "Horaires ?"),
                               reply_json(uuid(90), asked, "interrupted", "reply_interrupted")));
  auto fx = h.effects();
  CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
  CHECK(h.c.phase() == Phase::chatting);
  CHECK_FALSE(h.c.state().awaiting_reply);
  CHECK(h.c.state().error == "La réponse a été interrompue.");
  REQUIRE(h.c.state().failed_reply);
  CHECK(h.c.state().failed_reply->reply_id == uuid(90));

  // The stream says it too, after the messages: the same failure, shown once.
  h.c.on_stream_open();
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
  h.c.on_stream_event("error", reply_error_json("reply_interrupted", uuid(90), asked));
  CHECK(h.c.state().error == "La réponse a été interrompue.");
  CHECK(h.c.state().messages.size() == 1);

  h.c.open();
  h.c.retry();
  auto post = h.request();
  CHECK(post.body == R"({"text":"Horaires ?","id":")" + asked + R"("})");
}

TEST_CASE("a failed reply without an error of its own gets the words of its state") {
  Harness h({kBase, widget::Lang::en, kVisitor, kSession});
  h.c.resume();
  auto r = h.request();
  h.c.on_response(r.id, 200,
                  session_json(false, false, message_json(uuid(1), 1, "visitor", "Hi"),
                               reply_json(uuid(2), uuid(1), "failed")));
  CHECK(h.c.state().error == "Sorry, the reply could not be written. Please try again in a moment.");
  CHECK(h.c.state().failed_reply);
}

TEST_CASE("loading a session whose reply still streams shows the typing dots until the stream brings it") {
  Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
  h.c.resume();
  auto r = h.request();
  const std::string reply = uuid(2);
  h.c.on_response(r.id, 200,
                  session_json(false, false, message_json(uuid(1), 1, "visitor", "Horaires ?"),
                               reply_json(reply, uuid(1), "streaming")));
  h.effects();
  CHECK(h.c.state().awaiting_reply);
  CHECK(h.c.phase() == Phase::reply_streaming);
  CHECK_FALSE(h.c.state().failed_reply);
  h.c.on_stream_open();
  CHECK(h.c.state().awaiting_reply);
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());  // just loaded: no check

  h.c.on_stream_event("delta", delta_json(reply, "Nous sommes"));  // the text so far, whole
  CHECK_FALSE(h.c.state().awaiting_reply);
  REQUIRE(h.c.state().draft);
  h.c.on_stream_event("message", message_json(reply, 2, "agent", "Nous sommes ouverts"));
  h.c.on_stream_event("done", R"({"messageId":")" + reply + R"("})");
  CHECK(h.c.phase() == Phase::chatting);
}

TEST_CASE("loading a session whose reply is done leaves nothing waiting") {
  Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
  h.c.resume();
  auto r = h.request();
  h.c.on_response(r.id, 200,
                  session_json(false, false,
                               message_json(uuid(1), 1, "visitor", "a") + "," +
                                   message_json(uuid(2), 2, "agent", "b"),
                               reply_json(uuid(2), uuid(1), "done")));
  CHECK_FALSE(h.c.state().awaiting_reply);
  CHECK(h.c.phase() == Phase::chatting);
  CHECK(h.c.state().error.empty());
}

TEST_CASE("a stream reconnected by the browser mid-reply: each message once, no dots once it is done") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  const std::string asked = send_accepted(h, "Horaires ?");
  h.c.on_stream_event("message", message_json(asked, 1, "visitor", "Horaires ?"));
  const std::string reply = uuid(2);
  h.c.on_stream_event("delta", delta_json(reply, "Nous"));

  h.c.on_stream_error(false);
  h.c.on_stream_open();
  CHECK_FALSE(h.c.state().draft);     // sent again whole by the server
  CHECK(h.c.state().awaiting_reply);  // meanwhile, the dots
  auto check = h.request();           // and where the reply stands
  CHECK(check.method == "GET");
  CHECK(check.url == std::string(kBase) + "/chat/sessions/" + kSession);

  // The reply ended during the gap: replayed, some of it twice.
  h.c.on_stream_event("message", message_json(asked, 1, "visitor", "Horaires ?"));
  h.c.on_stream_event("message", message_json(reply, 2, "agent", "Nous sommes ouverts"));
  h.c.on_stream_event("message", message_json(reply, 2, "agent", "Nous sommes ouverts"));
  h.c.on_stream_event("done", R"({"messageId":")" + reply + R"("})");
  // The check's answer is older than that: it must not bring the dots back.
  h.c.on_response(check.id, 200,
                  session_json(false, false, message_json(asked, 1, "visitor", "Horaires ?"),
                               reply_json(reply, asked, "streaming")));
  CHECK_FALSE(h.c.state().awaiting_reply);
  CHECK(h.c.phase() == Phase::chatting);
  REQUIRE(h.c.state().messages.size() == 2);
  CHECK(count_id(h.c, asked) == 1);
  CHECK(count_id(h.c, reply) == 1);
}

TEST_CASE("a stream reconnected while the first word is awaited: the session says the reply is done") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  const std::string asked = send_accepted(h, "Horaires ?");
  h.c.on_stream_error(false);
  h.c.on_stream_open();
  auto check = h.request();
  CHECK(h.c.state().awaiting_reply);
  h.c.on_response(check.id, 200,
                  session_json(false, false,
                               message_json(asked, 1, "visitor", "Horaires ?") + "," +
                                   message_json(uuid(2), 2, "agent", "Ouvert"),
                               reply_json(uuid(2), asked, "done")));
  CHECK_FALSE(h.c.state().awaiting_reply);
  CHECK(h.c.state().messages.size() == 2);
  // The stream's replay of the same message adds nothing.
  h.c.on_stream_event("message", message_json(uuid(2), 2, "agent", "Ouvert"));
  CHECK(h.c.state().messages.size() == 2);
  CHECK(h.c.phase() == Phase::chatting);

  // Nothing pending: a reconnect asks nothing.
  h.c.on_stream_error(false);
  h.c.on_stream_open();
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
}

TEST_CASE("a check that fails is quiet: the stream still tells") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  send_accepted(h, "Horaires ?");
  h.c.on_stream_error(false);
  h.c.on_stream_open();
  auto check = h.request();
  h.c.on_response(check.id, 502, "");
  CHECK(h.effects().empty());
  CHECK(h.c.state().error.empty());
  CHECK(h.c.phase() == Phase::reply_streaming);
}

TEST_CASE("a stream reopened after the session's load: messages once, the cut reply offered again") {
  Harness h;
  const std::string asked = uuid(1);
  h.open_chatting(false, false, message_json(asked, 1, "visitor", "Horaires ?"));
  h.c.on_stream_open();
  h.c.on_stream_event("delta", delta_json(uuid(2), "Nous"));
  h.c.on_stream_error(true);  // the agent server died: the proxy refused the stream
  auto timers = Harness::only<widget::StartTimer>(h.effects());
  REQUIRE(timers.size() == 1);
  h.c.on_timer(timers[0].id);
  auto load = h.request();
  h.c.on_response(load.id, 503, R"({"error":{"code":"server_stopping","message":"x","retryAfter":3}})");
  timers = Harness::only<widget::StartTimer>(h.effects());
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].delay_ms == 3000);  // as the server asked, more than the backoff's 1 s
  CHECK(h.c.phase() == Phase::offline);
  h.c.on_timer(timers[0].id);
  load = h.request();
  h.c.on_response(load.id, 200,
                  session_json(false, false, message_json(asked, 1, "visitor", "Horaires ?"),
                               reply_json(uuid(2), asked, "interrupted", "reply_interrupted")));
  auto fx = h.effects();
  auto streams = Harness::only<widget::OpenStream>(fx);
  REQUIRE(streams.size() == 1);
  CHECK(streams[0].url.find("&lastEventId=1") != std::string::npos);
  CHECK_FALSE(h.c.state().draft);
  CHECK(h.c.state().messages.size() == 1);
  CHECK(h.c.phase() == Phase::chatting);
  CHECK(h.c.state().error == "La réponse a été interrompue.");
  CHECK(h.c.state().failed_reply);
  h.c.on_stream_open();
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
}

TEST_CASE("a message the server already had (200) asks where its reply stands") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  h.c.send("Horaires ?");
  auto r = h.request();
  const std::string id = posted_id(r.body, "Horaires ?");
  h.c.on_response(r.id, 0, "");  // the answer was lost; the message was stored
  auto timers = Harness::only<widget::StartTimer>(h.effects());
  REQUIRE(timers.size() == 1);
  h.c.on_timer(timers[0].id);
  auto again = h.request();
  h.c.on_response(again.id, 200, message_json(id, 1, "visitor", "Horaires ?"));
  auto check = h.request();
  CHECK(check.method == "GET");
  CHECK(h.c.state().awaiting_reply);
  h.c.on_response(check.id, 200,
                  session_json(false, false,
                               message_json(id, 1, "visitor", "Horaires ?") + "," +
                                   message_json(uuid(2), 2, "agent", "Ouvert"),
                               reply_json(uuid(2), id, "done")));
  CHECK_FALSE(h.c.state().awaiting_reply);
  CHECK(h.c.state().messages.size() == 2);
}

TEST_CASE("a server shutting down is retried like a busy one, and ends no reply") {
  Harness h;
  h.open_chatting();
  h.c.on_stream_open();
  h.c.send("Horaires ?");
  auto r = h.request();
  h.c.on_response(r.id, 503, R"({"error":{"code":"server_stopping","message":"bye"}})");
  auto fx = h.effects();
  CHECK(h.c.phase() == Phase::offline);
  CHECK(Harness::only<widget::ClearField>(fx).empty());
  auto timers = Harness::only<widget::StartTimer>(fx);
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].delay_ms == 1000);
  h.c.on_timer(timers[0].id);
  auto again = h.request();
  CHECK(again.body == r.body);
  h.c.on_response(again.id, 202, message_json(posted_id(r.body, "Horaires ?"), 1, "visitor", "Horaires ?"));
  CHECK(h.c.phase() == Phase::reply_streaming);

  // A stream closing because its server stops: the reply goes on elsewhere.
  h.c.on_stream_event("error", R"({"error":{"code":"server_stopping","message":"bye"}})");
  CHECK(h.c.state().awaiting_reply);
  CHECK(h.c.state().error.empty());
}

namespace {

// A session with the agent's greeting and suggestions (issue 14) as extra fields.
std::string session_with(const std::string& extra, const std::string& messages = "") {
  std::string s = session_json(false, false, messages);
  return s.substr(0, s.size() - 1) + "," + extra + "}";
}

Harness opened_with(const std::string& session) {
  Harness h;
  h.c.open();
  auto r = h.request();
  h.c.on_response(r.id, 201, session);
  h.pending = h.effects();
  return h;
}

}  // namespace

TEST_CASE("the greeting is the session's, shown once the session is known; none without one") {
  Harness h;
  h.c.open();
  auto r = h.request();
  CHECK(h.c.state().greeting.empty());  // nothing while connecting
  h.c.on_response(r.id, 201, session_with(R"("greeting":"Bonjour ! Je suis **Zinc**.")"));
  CHECK(h.c.state().greeting == "Bonjour ! Je suis **Zinc**.");
  CHECK(h.c.state().messages.empty());  // shown, never a stored message

  // The agent wants none (the server leaves the field out), or a blank one: no bubble.
  CHECK(opened_with(session_json(false, false)).c.state().greeting.empty());
  CHECK(opened_with(session_with(R"("greeting":"  ")")).c.state().greeting.empty());
  // Nothing about it goes to the server.
  Harness g = opened_with(session_with(R"("greeting":"Salut")"));
  CHECK(Harness::only<widget::HttpRequest>(g.pending).empty());
}

TEST_CASE("suggestions are offered until the first visitor message; a tap sends one as typed") {
  Harness h = opened_with(session_with(
      R"("suggestions":["Vos horaires ?","  Le menu  ","","bad\u0001","Adresse","Réserver","Terrasse ?","Parking","Chiens"])"));
  // Trimmed; empty and invalid ones dropped; six at most.
  CHECK(h.c.state().suggestions ==
        std::vector<std::string>{"Vos horaires ?", "Le menu", "Adresse", "Réserver", "Terrasse ?", "Parking"});

  h.c.choose_suggestion(1);
  auto r = h.request();
  CHECK(r.method == "POST");
  CHECK(r.url == std::string(kBase) + "/chat/sessions/" + kSession + "/messages");
  const std::string id = posted_id(r.body, "Le menu");
  REQUIRE_FALSE(id.empty());
  CHECK(h.c.state().busy);  // no second tap, no send, while it is on its way
  CHECK(Harness::only<widget::Focus>(h.pending).size() == 1);
  h.c.choose_suggestion(0);
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());

  h.c.on_response(r.id, 202, message_json(id, 1, "visitor", "Le menu"));
  auto fx = h.effects();
  CHECK(h.c.state().suggestions.empty());
  CHECK(h.c.state().awaiting_reply);
  // What the visitor may have typed in the input stays there.
  CHECK(Harness::only<widget::ClearField>(fx).empty());
  h.c.choose_suggestion(0);  // gone: nothing to send
  CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
}

TEST_CASE("no suggestions in a session that has a visitor message, or without the field") {
  CHECK(opened_with(session_with(R"("suggestions":["Menu ?"])", message_json(uuid(1), 1, "visitor", "Bonjour")))
            .c.state()
            .suggestions.empty());
  // An agent message alone (a greeting stored by an older server) leaves them.
  CHECK(opened_with(session_with(R"("suggestions":["Menu ?"])", message_json(uuid(1), 1, "agent", "Bonjour")))
            .c.state()
            .suggestions == std::vector<std::string>{"Menu ?"});
  CHECK(opened_with(session_json(false, false)).c.state().suggestions.empty());
  // A message typed and sent takes them away too.
  Harness h = opened_with(session_with(R"("suggestions":["Menu ?"])"));
  h.c.send("Bonsoir");
  auto r = h.request();
  h.c.on_response(r.id, 202, message_json(posted_id(r.body, "Bonsoir"), 1, "visitor", "Bonsoir"));
  CHECK(h.c.state().suggestions.empty());
}

TEST_CASE("erasing the conversation: asked, confirmed, DELETE with the visitor id, then a fresh start") {
  Harness h;
  h.open_chatting(false, false, message_json(uuid(1), 1, "visitor", "Bonjour"));
  REQUIRE(h.c.state().messages.size() == 1);

  h.c.erase();  // not without the confirmation
  CHECK(h.effects().empty());
  h.c.ask_erase();
  CHECK(h.c.state().confirming_erase);
  h.c.cancel_erase();
  CHECK_FALSE(h.c.state().confirming_erase);
  CHECK(h.effects().empty());

  h.c.ask_erase();
  h.c.erase();
  CHECK_FALSE(h.c.state().confirming_erase);
  auto r = h.request();
  CHECK(r.method == "DELETE");
  CHECK(r.url == std::string(kBase) + "/chat/sessions/" + kSession);
  CHECK(r.visitor_id == kVisitor);
  CHECK(r.body.empty());
  CHECK(h.c.state().busy);

  h.c.on_response(r.id, 204, "");
  auto fx = h.effects();
  auto stores = Harness::only<widget::Store>(fx);
  REQUIRE(stores.size() == 2);
  CHECK(stores[0].key == "session");
  CHECK(stores[0].value.empty());
  CHECK(stores[1].key == "visitor");
  CHECK(stores[1].value.empty());
  CHECK(Harness::only<widget::CloseStream>(fx).size() == 1);
  CHECK(h.c.state().messages.empty());
  CHECK(h.c.state().session_id.empty());
  CHECK(h.c.state().visitor_id.empty());
  CHECK_FALSE(h.c.state().busy);
  CHECK(h.c.state().open);
  CHECK(h.c.phase() == Phase::idle);

  // The next message starts a new session, under a new visitor id (the server's).
  h.c.send("Une table pour ce soir ?");
  auto created = h.request();
  CHECK(created.method == "POST");
  CHECK(created.url == std::string(kBase) + "/chat/sessions");
  CHECK(created.body == R"({"lang":"fr"})");
  CHECK(created.visitor_id.empty());
  h.c.on_response(created.id, 201, session_json(false, false));
  auto posts = Harness::only<widget::HttpRequest>(h.effects());
  REQUIRE(posts.size() == 1);
  CHECK(chat::is_valid_uuid(posted_id(posts[0].body, "Une table pour ce soir ?")));
}

TEST_CASE("erasing a session the server no longer has ends as erased; a failed erase says so and keeps it") {
  Harness h;
  h.open_chatting();
  h.c.ask_erase();
  h.c.erase();
  auto r = h.request();
  h.c.on_response(r.id, 429, R"({"error":{"code":"rate_limited","message":"slow down"}})");
  CHECK(h.c.state().session_id == kSession);
  CHECK_FALSE(h.c.state().busy);
  CHECK_FALSE(h.c.state().error.empty());
  CHECK(Harness::only<widget::Store>(h.effects()).empty());

  h.c.ask_erase();
  h.c.erase();
  r = h.request();
  h.c.on_response(r.id, 404, R"({"error":{"code":"session_not_found","message":"gone"}})");
  CHECK(h.c.state().session_id.empty());
  CHECK(h.c.state().error.empty());
  CHECK(Harness::only<widget::Store>(h.effects()).size() == 2);
}

TEST_CASE("a forgotten session found by the background resume: dropped, nothing new until the visitor opens") {
  Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
  h.c.resume();
  auto r = h.request();
  h.c.on_response(r.id, 404, R"({"error":{"code":"session_not_found","message":"no such session"}})");
  auto fx = h.effects();
  CHECK(Harness::only<widget::HttpRequest>(fx).empty());  // no session made behind the visitor's back
  for (const auto& s : Harness::only<widget::Store>(fx)) CHECK(s.value.empty());  // only removals
  CHECK(h.c.phase() == Phase::idle);
  h.c.open();
  auto created = h.request();
  CHECK(created.method == "POST");
  CHECK(created.body == std::string(R"({"lang":"fr","visitorId":")") + kVisitor + R"("})");
}

// ---- The phase table (issue 17) ---------------------------------------------------------

namespace {

using widget::Event;
using widget::Step;

const char* event_name(Event e) {
  static const char* const names[] = {"start",           "session_ready", "session_gated", "restart",
                                      "session_dropped", "phone_asked",   "code_sent",     "number_changed",
                                      "code_expired",    "verified",      "reply_pending", "reply_over",
                                      "unreachable",     "answered",      "fatal",         "erased"};
  return names[static_cast<int>(e)];
}

std::string err(const std::string& code) { return R"({"error":{"code":")" + code + R"(","message":"x"}})"; }

// Chatting with the stream open.
void reach_chatting(Harness& h) {
  h.open_chatting();
  h.c.on_stream_open();
  h.effects();
  REQUIRE(h.c.phase() == Phase::chatting);
}

// The phone step entered from the chat (a message refused), so the stream is open.
void reach_phone_step(Harness& h) {
  reach_chatting(h);
  h.c.send("Bonjour");
  auto r = h.request();
  h.c.on_response(r.id, 403, err("phone_verification_required"));
  h.effects();
  REQUIRE(h.c.phase() == Phase::phone_required);
}

void reach_code_step(Harness& h) {
  reach_phone_step(h);
  h.c.submit_phone("0612345678");
  auto r = h.request();
  h.c.on_response(r.id, 202, R"({"phone":"+33 •• 78","expiresIn":600,"sendsLeft":2})");
  h.effects();
  REQUIRE(h.c.phase() == Phase::code_sent);
}

// The stream given up, the reconnect timer fired: the session read again, answered so.
std::vector<Effect> reload(Harness& h, int status, const std::string& body) {
  h.c.on_stream_error(true);
  auto timers = Harness::only<widget::StartTimer>(h.effects());
  REQUIRE(timers.size() == 1);
  h.c.on_timer(timers[0].id);
  auto r = h.request();
  REQUIRE(r.method == "GET");
  h.c.on_response(r.id, status, body);
  return h.effects();
}

// The visitor's request answered so: returns the effects.
template <class Act>
std::vector<Effect> answered(Harness& h, Act act, int status, const std::string& body) {
  act();
  auto r = h.request();
  h.c.on_response(r.id, status, body);
  return h.effects();
}

std::vector<widget::Field> focus_of(const std::vector<Effect>& fx) {
  std::vector<widget::Field> out;
  for (const auto& f : Harness::only<widget::Focus>(fx)) out.push_back(f.field);
  return out;
}

}  // namespace

TEST_CASE("the phase table: each transition as listed, every other pair ignored") {
  using P = Phase;
  using E = Event;
  using namespace widget;
  struct Row {
    Phase from;
    Event event;
    Phase to;
    int fx;
  };
  const int stream = kOpenStream | kSettle;
  // Phases that share a row in the table are listed one by one here.
  const std::vector<Row> live = {
      {P::idle, E::start, P::opening, kStart},
      {P::idle, E::erased, P::idle, kFocus},
      {P::opening, E::session_ready, P::chatting, stream},
      {P::opening, E::session_gated, P::phone_required, kFocusIfOpen},
      {P::opening, E::restart, P::opening, kStart},
      {P::opening, E::session_dropped, P::idle, 0},
      {P::opening, E::erased, P::idle, kFocus},
      {P::opening, E::unreachable, P::offline, 0},
      {P::opening, E::fatal, P::error, kCloseStream},
  };
  std::vector<Row> rows = live;
  for (P p : {P::phone_required, P::code_sent}) {
    rows.insert(rows.end(), {
                                {p, E::session_ready, P::chatting, stream},
                                {p, E::session_gated, p, kFocusIfOpen},
                                {p, E::restart, P::opening, kStart},
                                {p, E::session_dropped, P::idle, 0},
                                {p, E::phone_asked, P::phone_required, kFocus},
                                {p, E::code_sent, P::code_sent, kFocus},
                                {p, E::number_changed, P::phone_required, kFocus},
                                {p, E::code_expired, P::phone_required, 0},
                                {p, E::verified, P::chatting, stream | kFocus},
                                {p, E::erased, P::idle, kFocus},
                                {p, E::unreachable, P::offline, 0},
                                {p, E::fatal, P::error, kCloseStream},
                            });
  }
  for (P p : {P::chatting, P::reply_streaming}) {
    rows.insert(rows.end(), {
                                {p, E::session_ready, P::chatting, stream},
                                {p, E::session_gated, P::phone_required, kFocusIfOpen},
                                {p, E::restart, P::opening, kStart},
                                {p, E::session_dropped, P::idle, 0},
                                {p, E::phone_asked, P::phone_required, kFocus},
                                {p, E::verified, p, kOpenStream | kFocus},
                                {p, E::reply_pending, P::reply_streaming, 0},
                                {p, E::reply_over, P::chatting, 0},
                                {p, E::erased, P::idle, kFocus},
                                {p, E::unreachable, P::offline, 0},
                                {p, E::fatal, P::error, kCloseStream},
                            });
  }
  rows.insert(rows.end(), {
                              {P::offline, E::answered, P::offline, kBack},
                              {P::offline, E::fatal, P::error, kCloseStream},
                              {P::offline, E::erased, P::idle, kFocus},
                              {P::error, E::fatal, P::error, kCloseStream},
                              {P::error, E::erased, P::error, kFocus},
                          });
  for (E e : {E::start, E::session_ready, E::session_gated, E::restart, E::session_dropped, E::phone_asked,
              E::code_sent, E::number_changed, E::code_expired, E::verified, E::reply_pending, E::reply_over}) {
    rows.push_back({P::offline, e, P::offline, kUnder});
  }

  int listed = 0;
  for (int p = 0; p <= static_cast<int>(P::error); ++p) {
    for (int e = 0; e <= static_cast<int>(E::erased); ++e) {
      Row want{static_cast<P>(p), static_cast<E>(e), static_cast<P>(p), 0};  // ignored
      for (const Row& r : rows) {
        if (r.from == want.from && r.event == want.event) {
          want = r;
          ++listed;
        }
      }
      Step got = transition(want.from, want.event);
      INFO(to_string(want.from) << " x " << event_name(want.event));
      CHECK(std::string(to_string(got.next)) == std::string(to_string(want.to)));
      CHECK(int(got.fx) == want.fx);
    }
  }
  CHECK(listed == static_cast<int>(rows.size()));  // no row listed twice
}

TEST_CASE("from idle") {
  SECTION("start: opening the panel asks for a session") {
    Harness h;
    h.c.open();
    auto r = h.request();
    CHECK(h.c.phase() == Phase::opening);
    CHECK(r.url == std::string(kBase) + "/chat/sessions");
    CHECK(focus_of(h.pending) == std::vector<Field>{Field::input});
  }
  SECTION("start: a stored session resumed in the background") {
    Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
    h.c.resume();
    CHECK(h.request().method == "GET");
    CHECK(h.c.phase() == Phase::opening);
  }
  SECTION("start: a message typed with no session (after an erasure)") {
    Harness h;
    reach_chatting(h);
    h.c.ask_erase();
    answered(
        h, [&] { h.c.erase(); }, 204, "");
    REQUIRE(h.c.phase() == Phase::idle);
    h.c.send("Bonsoir");
    CHECK(h.request().url == std::string(kBase) + "/chat/sessions");
    CHECK(h.c.phase() == Phase::opening);
  }
  SECTION("ignored: no stored session to resume, no form but the composer") {
    Harness h;
    h.c.resume();
    h.c.change_number();
    h.c.submit_code("123456");
    CHECK(h.effects().empty());
    CHECK(h.c.phase() == Phase::idle);
  }
  SECTION("erased: an erasure answered after the background resume dropped the session") {
    Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
    h.c.resume();
    auto r = h.request();
    h.c.on_response(r.id, 200, session_json(false, false));
    h.c.on_stream_open();
    h.effects();
    h.c.ask_erase();
    h.c.erase();
    auto erase = h.request();
    reload(h, 404, err("session_not_found"));  // closed panel: dropped
    REQUIRE(h.c.phase() == Phase::idle);
    h.c.on_response(erase.id, 204, "");
    CHECK(h.c.phase() == Phase::idle);
    CHECK(focus_of(h.effects()) == std::vector<Field>{Field::input});
  }
}

TEST_CASE("from opening") {
  Harness h({kBase, widget::Lang::fr, kVisitor, ""});
  h.c.open();
  auto r = h.request();
  REQUIRE(h.c.phase() == Phase::opening);
  SECTION("session_ready: chatting, the stream opened") {
    h.c.on_response(r.id, 201, session_json(false, false));
    auto fx = h.effects();
    CHECK(h.c.phase() == Phase::chatting);
    CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
  }
  SECTION("session_ready with a reply still streaming: reply_streaming") {
    h.c.on_response(r.id, 201,
                    session_json(false, false, message_json(uuid(1), 1, "visitor", "Hi"),
                                 reply_json(uuid(2), uuid(1), "streaming")));
    CHECK(h.c.phase() == Phase::reply_streaming);
  }
  SECTION("session_gated: the phone step, its field focused, no stream") {
    h.c.on_response(r.id, 201, session_json(true, false));
    auto fx = h.effects();
    CHECK(h.c.phase() == Phase::phone_required);
    CHECK(Harness::only<widget::OpenStream>(fx).empty());
    CHECK(focus_of(fx) == std::vector<Field>{Field::phone_input});
  }
  SECTION("restart: a visitor id refused, a session asked for without it") {
    h.c.on_response(r.id, 400, err("invalid_visitor_id"));
    auto again = h.request();
    CHECK(again.body == R"({"lang":"fr"})");
    CHECK(h.c.phase() == Phase::opening);
  }
  SECTION("unreachable: offline") {
    h.c.on_response(r.id, 0, "");
    CHECK(h.c.phase() == Phase::offline);
  }
  SECTION("fatal: error, the stream closed") {
    h.c.on_response(r.id, 404, err("restaurant_not_found"));
    CHECK(h.c.phase() == Phase::error);
    CHECK(Harness::only<widget::CloseStream>(h.effects()).size() == 1);
  }
  SECTION("ignored: opening again asks nothing more") {
    h.c.open();
    CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
    CHECK(h.c.phase() == Phase::opening);
  }
}

TEST_CASE("from opening, in the background") {
  Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
  h.c.resume();
  auto r = h.request();
  SECTION("session_gated with the panel closed: nothing focused") {
    h.c.on_response(r.id, 200, session_json(true, false));
    CHECK(h.c.phase() == Phase::phone_required);
    CHECK(focus_of(h.effects()).empty());
  }
  SECTION("session_dropped: idle, nothing asked") {
    h.c.on_response(r.id, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::idle);
    CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
  }
}

TEST_CASE("from the phone step (phone_required)") {
  Harness h;
  reach_phone_step(h);
  SECTION("code_sent: the code asked for, its field cleared and focused") {
    auto fx = answered(
        h, [&] { h.c.submit_phone("0612345678"); }, 202, R"({"phone":"+33 •• 78"})");
    CHECK(h.c.phase() == Phase::code_sent);
    CHECK(Harness::only<widget::ClearField>(fx).size() == 1);
    CHECK(focus_of(fx) == std::vector<Field>{Field::code_input});
  }
  SECTION("verified: the phone verified already, chatting, the stream opened") {
    auto fx = answered(
        h, [&] { h.c.submit_phone("0612345678"); }, 409, err("already_verified"));
    CHECK(h.c.phase() == Phase::chatting);
    CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
    CHECK(focus_of(fx) == std::vector<Field>{Field::input});
  }
  SECTION("number_changed: the number's field focused") {
    h.c.change_number();
    CHECK(h.c.phase() == Phase::phone_required);
    CHECK(focus_of(h.effects()) == std::vector<Field>{Field::phone_input});
  }
  SECTION("session_ready: verified meanwhile (another tab), the stream reopened") {
    auto fx = reload(h, 200, session_json(true, true));
    CHECK(h.c.phase() == Phase::chatting);
    CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
  }
  SECTION("session_gated: still the phone step, its field focused") {
    auto fx = reload(h, 200, session_json(true, false));
    CHECK(h.c.phase() == Phase::phone_required);
    CHECK(focus_of(fx) == std::vector<Field>{Field::phone_input});
  }
  SECTION("restart: a session forgotten, a new one asked for") {
    auto fx = reload(h, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::opening);
    CHECK(Harness::only<widget::HttpRequest>(fx).at(0).url == std::string(kBase) + "/chat/sessions");
  }
  SECTION("session_dropped: forgotten while the panel is closed") {
    h.c.close();
    reload(h, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::idle);
  }
  SECTION("unreachable: offline") {
    answered(
        h, [&] { h.c.submit_phone("0612345678"); }, 0, "");
    CHECK(h.c.phase() == Phase::offline);
  }
  SECTION("fatal: error") {
    answered(
        h, [&] { h.c.submit_phone("0612345678"); }, 403, err("chat_disabled"));
    CHECK(h.c.phase() == Phase::error);
  }
  SECTION("erased: idle") {
    h.c.ask_erase();
    answered(
        h, [&] { h.c.erase(); }, 204, "");
    CHECK(h.c.phase() == Phase::idle);
  }
  SECTION("ignored: a reply streaming meanwhile stays behind the step until verified") {
    h.c.on_stream_event("delta", delta_json(uuid(9), "Nous"));
    CHECK(h.c.phase() == Phase::phone_required);
    answered(
        h, [&] { h.c.submit_phone("0612345678"); }, 409, err("already_verified"));
    CHECK(h.c.phase() == Phase::reply_streaming);
  }
}

TEST_CASE("from the code step (code_sent)") {
  Harness h;
  reach_code_step(h);
  SECTION("verified: chatting, the stream opened, the input focused") {
    auto fx = answered(
        h, [&] { h.c.submit_code("123456"); }, 200, R"({"verified":true})");
    CHECK(h.c.phase() == Phase::chatting);
    CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
    CHECK(focus_of(fx) == std::vector<Field>{Field::input});
  }
  SECTION("code_sent: sent again, still the code step") {
    auto fx = answered(
        h, [&] { h.c.resend_code(); }, 202, R"({"phone":"+33 •• 78"})");
    CHECK(h.c.phase() == Phase::code_sent);
    CHECK(focus_of(fx) == std::vector<Field>{Field::code_input});
  }
  SECTION("number_changed: back to the number") {
    h.c.change_number();
    CHECK(h.c.phase() == Phase::phone_required);
    CHECK(focus_of(h.effects()) == std::vector<Field>{Field::phone_input});
  }
  SECTION("code_expired: no code pending, back to the number") {
    answered(
        h, [&] { h.c.submit_code("123456"); }, 400, err("no_code_pending"));
    CHECK(h.c.phase() == Phase::phone_required);
  }
  SECTION("phone_asked: back to the number, focused") {
    auto fx = answered(
        h, [&] { h.c.submit_code("123456"); }, 403, err("phone_verification_required"));
    CHECK(h.c.phase() == Phase::phone_required);
    CHECK(focus_of(fx) == std::vector<Field>{Field::phone_input});
  }
  SECTION("session_gated: read again, the code step stays") {
    auto fx = reload(h, 200, session_json(true, false));
    CHECK(h.c.phase() == Phase::code_sent);
    CHECK(focus_of(fx) == std::vector<Field>{Field::code_input});
  }
  SECTION("unreachable: offline, and the code step back once answered") {
    h.c.submit_code("123456");
    auto r = h.request();
    h.c.on_response(r.id, 0, "");
    CHECK(h.c.phase() == Phase::offline);
    auto timers = Harness::only<widget::StartTimer>(h.effects());
    REQUIRE(timers.size() == 1);
    h.c.on_timer(timers[0].id);
    h.c.on_response(h.request().id, 400, R"({"error":{"code":"invalid_code","message":"x","attemptsLeft":2}})");
    CHECK(h.c.phase() == Phase::offline);  // a refusal is no sign the network is back
    h.c.resend_code();
    h.c.on_response(h.request().id, 202, R"({"phone":"+33 •• 78"})");
    CHECK(h.c.phase() == Phase::code_sent);
  }
}

TEST_CASE("from chatting") {
  Harness h;
  reach_chatting(h);
  SECTION("reply_pending: a message accepted, its reply awaited") {
    answered(
        h, [&] { h.c.send("Horaires ?"); }, 202, message_json(uuid(1), 1, "visitor", "Horaires ?"));
    CHECK(h.c.phase() == Phase::reply_streaming);
  }
  SECTION("reply_pending: a reply from another tab streams in") {
    h.c.on_stream_event("delta", delta_json(uuid(2), "Nous"));
    CHECK(h.c.phase() == Phase::reply_streaming);
  }
  SECTION("session_ready: read again after the stream gave up, reopened") {
    auto fx = reload(h, 200, session_json(false, false));
    CHECK(h.c.phase() == Phase::chatting);
    CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
  }
  SECTION("session_gated: the agent now wants a phone") {
    auto fx = reload(h, 200, session_json(true, false));
    CHECK(h.c.phase() == Phase::phone_required);
    CHECK(focus_of(fx) == std::vector<Field>{Field::phone_input});
  }
  SECTION("restart: the session forgotten, a new one asked for, the visitor told") {
    reload(h, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::opening);
  }
  SECTION("session_dropped: forgotten while the panel is closed") {
    h.c.close();
    reload(h, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::idle);
  }
  SECTION("phone_asked: a message refused, the phone step") {
    answered(
        h, [&] { h.c.send("Bonjour"); }, 403, err("phone_verification_required"));
    CHECK(h.c.phase() == Phase::phone_required);
  }
  SECTION("verified: a late answer of the phone step (verified in another tab meanwhile)") {
    h.c.send("Bonjour");
    h.c.on_response(h.request().id, 403, err("phone_verification_required"));
    h.c.submit_phone("0612345678");
    auto phone = h.request();
    reload(h, 200, session_json(true, true));
    REQUIRE(h.c.phase() == Phase::chatting);
    h.c.on_response(phone.id, 409, err("already_verified"));
    auto fx = h.effects();
    CHECK(h.c.phase() == Phase::chatting);
    CHECK(Harness::only<widget::OpenStream>(fx).size() == 1);
    CHECK(focus_of(fx) == std::vector<Field>{Field::input});
  }
  SECTION("unreachable: offline") {
    answered(
        h, [&] { h.c.send("Bonjour"); }, 0, "");
    CHECK(h.c.phase() == Phase::offline);
  }
  SECTION("fatal: error, the stream closed") {
    auto fx = answered(
        h, [&] { h.c.send("Bonjour"); }, 403, err("chat_disabled"));
    CHECK(h.c.phase() == Phase::error);
    CHECK(Harness::only<widget::CloseStream>(fx).size() == 1);
  }
  SECTION("erased: idle, the input focused") {
    h.c.ask_erase();
    auto fx = answered(
        h, [&] { h.c.erase(); }, 204, "");
    CHECK(h.c.phase() == Phase::idle);
    CHECK(focus_of(fx) == std::vector<Field>{Field::input});
  }
  SECTION("ignored: the phone step's forms and answers mean nothing here") {
    h.c.change_number();
    h.c.submit_code("123456");
    CHECK(h.effects().empty());
    CHECK(h.c.phase() == Phase::chatting);
  }
}

TEST_CASE("from reply_streaming") {
  Harness h;
  reach_chatting(h);
  const std::string asked = send_accepted(h, "Horaires ?");
  REQUIRE(h.c.phase() == Phase::reply_streaming);
  SECTION("reply_pending: its first words, still streaming") {
    h.c.on_stream_event("delta", delta_json(uuid(2), "Nous"));
    CHECK(h.c.phase() == Phase::reply_streaming);
  }
  SECTION("reply_over: its message and its end") {
    h.c.on_stream_event("delta", delta_json(uuid(2), "Nous"));
    h.c.on_stream_event("message", message_json(uuid(2), 2, "agent", "Nous sommes ouverts"));
    h.c.on_stream_event("done", R"({"messageId":")" + uuid(2) + R"("})");
    CHECK(h.c.phase() == Phase::chatting);
  }
  SECTION("reply_over: cut off") {
    h.c.on_stream_event("error", reply_error_json("reply_interrupted", uuid(2), asked));
    CHECK(h.c.phase() == Phase::chatting);
  }
  SECTION("session_ready: read again, the reply done meanwhile") {
    reload(h, 200,
           session_json(false, false,
                        message_json(asked, 1, "visitor", "Horaires ?") + "," +
                            message_json(uuid(2), 2, "agent", "Ouvert"),
                        reply_json(uuid(2), asked, "done")));
    CHECK(h.c.phase() == Phase::chatting);
  }
  SECTION("session_ready: read again, the reply still streaming") {
    reload(h, 200,
           session_json(false, false, message_json(asked, 1, "visitor", "Horaires ?"),
                        reply_json(uuid(2), asked, "streaming")));
    CHECK(h.c.phase() == Phase::reply_streaming);
  }
  SECTION("restart: the session forgotten") {
    reload(h, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::opening);
  }
  SECTION("unreachable: offline, and the reply under it goes on") {
    answered(
        h, [&] { h.c.send("Et demain ?"); }, 0, "");
    REQUIRE(h.c.phase() == Phase::offline);
    h.c.on_stream_event("message", message_json(uuid(2), 2, "agent", "Ouvert"));
    h.c.on_stream_event("done", R"({"messageId":")" + uuid(2) + R"("})");
    CHECK(h.c.phase() == Phase::offline);
    h.c.on_wake();  // the message is sent again
    h.c.on_response(h.request().id, 403, err("phone_verification_required"));
    CHECK(h.c.phase() == Phase::offline);  // a refusal: offline still, the phone step under it
    answered(
        h, [&] { h.c.submit_phone("0612345678"); }, 202, R"({"phone":"+33 •• 78"})");
    CHECK(h.c.phase() == Phase::code_sent);
  }
}

TEST_CASE("from offline") {
  SECTION("answered: back to the phase under it, moved meanwhile (a session dropped, then opened)") {
    Harness h({kBase, widget::Lang::fr, kVisitor, kSession});
    h.c.resume();
    h.c.on_response(h.request().id, 0, "");
    auto timers = Harness::only<widget::StartTimer>(h.effects());
    REQUIRE(timers.size() == 1);
    h.c.on_timer(timers[0].id);
    h.c.on_response(h.request().id, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::offline);  // idle under it: nothing asked
    CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
    h.c.open();  // start, passed under: a new session asked for
    auto created = h.request();
    CHECK(created.url == std::string(kBase) + "/chat/sessions");
    CHECK(h.c.phase() == Phase::offline);
    h.c.on_response(created.id, 201, session_json(false, false));
    CHECK(h.c.phase() == Phase::chatting);
  }
  SECTION("unreachable: offline still, retried later") {
    Harness h;
    h.c.open();
    h.c.on_response(h.request().id, 503, err("server_busy"));
    auto timers = Harness::only<widget::StartTimer>(h.effects());
    h.c.on_timer(timers.at(0).id);
    h.c.on_response(h.request().id, 0, "");
    CHECK(h.c.phase() == Phase::offline);
    CHECK(Harness::only<widget::StartTimer>(h.effects()).size() == 1);
  }
  SECTION("fatal: error") {
    Harness h;
    h.c.open();
    h.c.on_response(h.request().id, 0, "");
    h.c.on_wake();
    h.c.on_response(h.request().id, 503, err("chat_unavailable"));
    CHECK(h.c.phase() == Phase::error);
  }
  SECTION("erased: the erasure retried found the session gone: idle") {
    Harness h;
    reach_chatting(h);
    h.c.ask_erase();
    answered(
        h, [&] { h.c.erase(); }, 0, "");
    REQUIRE(h.c.phase() == Phase::offline);
    h.c.on_wake();
    h.c.on_response(h.request().id, 404, err("session_not_found"));
    CHECK(h.c.phase() == Phase::idle);
    CHECK(h.c.state().error.empty());
  }
}

TEST_CASE("from error") {
  Harness h;
  reach_chatting(h);
  h.c.ask_erase();  // asked before the chat was refused
  answered(
      h, [&] { h.c.send("Bonjour"); }, 403, err("chat_disabled"));
  REQUIRE(h.c.phase() == Phase::error);
  SECTION("erased: done, the phase stays") {
    auto fx = answered(
        h, [&] { h.c.erase(); }, 204, "");
    CHECK(h.c.phase() == Phase::error);
    CHECK(focus_of(fx) == std::vector<Field>{Field::input});
  }
  SECTION("ignored: nothing leaves it") {
    h.c.open();
    h.c.send("Encore");
    h.c.on_wake();
    h.c.on_stream_event("delta", delta_json(uuid(2), "Nous"));
    CHECK(Harness::only<widget::HttpRequest>(h.effects()).empty());
    CHECK(h.c.phase() == Phase::error);
  }
}
