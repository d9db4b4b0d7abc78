// The chat flow over real HTTP against the real binary, on SQLite and PostgreSQL.
#include <catch2/catch.hpp>

#include <thread>

#include "chat/sse.hpp"
#include "server_fixture.hpp"
#include "sse_reader.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using test_support::SseReader;
using namespace std::chrono_literals;

namespace {

// The reply is complete once a done event arrived.
bool has_done(const std::vector<chat::SseEvent>& events, std::size_t count = 1) {
  std::size_t n = 0;
  for (const auto& e : events) n += e.event == "done" ? 1 : 0;
  return n >= count;
}

std::string deltas_of(const std::vector<chat::SseEvent>& events, const std::string& message_id) {
  std::string text;
  for (const auto& e : events) {
    if (e.event != "delta") continue;
    auto j = json::parse(e.data);
    if (j.at("messageId") == message_id) text += j.at("text").get<std::string>();
  }
  return text;
}

std::vector<json> messages_of(const std::vector<chat::SseEvent>& events) {
  std::vector<json> out;
  for (const auto& e : events) {
    if (e.event == "message") out.push_back(json::parse(e.data));
  }
  return out;
}

// Polls GET session until it holds `count` messages (the reply is stored).
json wait_for_messages(const Chat& chat, std::size_t count, std::chrono::milliseconds timeout = 20s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  json session;
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = chat.get();
    REQUIRE(res.status == 200);
    session = res.json();
    if (session.at("messages").size() >= count) return session;
    std::this_thread::sleep_for(10ms);
  }
  FAIL("the session never reached " << count << " messages: " << session.dump());
  return session;
}

}  // namespace

TEST_CASE("a visitor message streams a reply whose deltas make the stored reply") {
  std::string backend = GENERATE("sqlite", "postgres");
  test_support::TempDir dir;
  std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  INFO(backend);
  AgentServer server({db, {{"LOCAL_MODEL_WORD_MS", "2"}}});
  Chat chat = open_chat(server);
  SseReader stream(server.port(), chat.events_path(), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream.wait_for_raw("retry: 2000"));

  auto posted = chat.post("Quels sont vos horaires ?");
  INFO(posted.body);
  REQUIRE(posted.status == 202);
  auto visitor = posted.json();
  CHECK(visitor.at("seq") == 1);
  CHECK(visitor.at("role") == "visitor");
  CHECK(visitor.at("text") == "Quels sont vos horaires ?");

  REQUIRE(stream.wait_for([](const auto& events) { return has_done(events); }));
  auto events = stream.events();
  auto messages = messages_of(events);
  REQUIRE(messages.size() == 2);
  CHECK(messages[0] == visitor);
  const json& reply = messages[1];
  CHECK(reply.at("role") == "agent");
  CHECK(reply.at("seq") == 2);
  CHECK(reply.at("text").get<std::string>().find("de 12h à 14h30") != std::string::npos);
  CHECK(deltas_of(events, reply.at("id")) == reply.at("text"));

  // message ids are the seqs; deltas and done carry no id; done names the reply.
  for (const auto& e : events) {
    if (e.event == "message") {
      CHECK(e.id == std::to_string(json::parse(e.data).at("seq").get<int>()));
    } else {
      CHECK_FALSE(e.id.has_value());
    }
  }
  CHECK(events.back().event == "done");
  CHECK(json::parse(events.back().data) == json{{"messageId", reply.at("id")}});
  CHECK_FALSE(stream.closed());

  auto session = chat.get().json();
  CHECK(session.at("messages") == json::array({visitor, reply}));
}

TEST_CASE("Last-Event-ID and lastEventId replay only the later messages") {
  AgentServer server;
  Chat chat = open_chat(server);
  REQUIRE(chat.post("Bonjour").status == 202);
  wait_for_messages(chat, 2);
  REQUIRE(chat.post("Où êtes-vous ?").status == 202);
  auto all = wait_for_messages(chat, 4).at("messages");

  auto ids_after = [&](httplib::Headers headers, const std::string& path) {
    headers.emplace("Authorization", "Bearer " + chat.token);
    SseReader stream(server.port(), path, headers);
    REQUIRE(stream.wait_for_event("message", "\"seq\":4"));
    // The messages' ids (a `done` may follow when the stream opened as the last reply
    // was being stored: the hub still held it).
    std::vector<std::string> ids;
    for (const auto& e : stream.events()) {
      if (e.event == "message") ids.push_back(e.id.value_or("-"));
    }
    return ids;
  };
  CHECK(ids_after({}, chat.events_path()) == std::vector<std::string>{"1", "2", "3", "4"});
  CHECK(ids_after({{"Last-Event-ID", "2"}}, chat.events_path()) == std::vector<std::string>{"3", "4"});
  CHECK(ids_after({}, chat.events_path(3)) == std::vector<std::string>{"4"});
  // The header wins over the query (a browser's own reconnect sends the header).
  CHECK(ids_after({{"Last-Event-ID", "3"}}, chat.events_path(1)) == std::vector<std::string>{"4"});
  // The X-Chat-Visitor header works as well as ?visitor=.
  CHECK(ids_after({{"X-Chat-Visitor", chat.visitor}},
                  "/api/chat/sessions/" + chat.session_id + "/events?lastEventId=3") ==
        std::vector<std::string>{"4"});

  SseReader stream(server.port(), chat.events_path(1), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream.wait_for_event("message", "\"seq\":4"));
  auto replayed = messages_of(stream.events());
  CHECK(replayed == std::vector<json>(all.begin() + 1, all.end()));
}

TEST_CASE("nothing is lost across a restart of the server") {
  std::string backend = GENERATE("sqlite", "postgres");
  test_support::TempDir dir;
  std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  INFO(backend);
  AgentServer server({db, {}});
  Chat chat = open_chat(server);
  REQUIRE(chat.post("Quelle est votre adresse ?").status == 202);
  auto before = wait_for_messages(chat, 2).at("messages");

  server.restart();  // SIGKILL: no chance to flush anything more
  SseReader stream(server.port(), chat.events_path(1), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream.wait_for_event("message", "\"seq\":2"));
  CHECK(messages_of(stream.events()) == std::vector<json>{before[1]});

  // The conversation goes on after the restart, on the same stream.
  auto posted = chat.post("Et le téléphone ?");
  REQUIRE(posted.status == 202);
  CHECK(posted.json().at("seq") == 3);
  REQUIRE(stream.wait_for([](const auto& events) { return has_done(events); }));
  auto messages = messages_of(stream.events());
  REQUIRE(messages.size() == 3);
  CHECK(messages[2].at("text").get<std::string>().find("01 23 45 67 89") != std::string::npos);
}

TEST_CASE("a server killed mid-reply keeps the visitor message and stores no partial reply") {
  AgentServer server({"", {{"LOCAL_MODEL_WORD_MS", "200"}}});
  Chat chat = open_chat(server);
  SseReader stream(server.port(), chat.events_path(), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(chat.post("Quels sont vos horaires ?").status == 202);
  REQUIRE(stream.wait_for_event("delta"));
  server.restart();

  auto session = chat.get().json();
  REQUIRE(session.at("messages").size() == 1);
  CHECK(session.at("messages")[0].at("role") == "visitor");
  // The reply slot died with the process: the session takes messages again.
  CHECK(chat.post("Quels sont vos horaires ?").status == 202);
}

TEST_CASE("one reply at a time: a message during a reply gets 429 reply_in_progress") {
  AgentServer server({"", {{"LOCAL_MODEL_WORD_MS", "40"}}});
  Chat chat = open_chat(server);
  REQUIRE(chat.post("Quels sont vos horaires ?").status == 202);
  auto second = chat.post("Et votre adresse ?");
  CHECK(second.status == 429);
  CHECK(second.error_code() == "reply_in_progress");
  wait_for_messages(chat, 2);
  CHECK(chat.post("Et votre adresse ?").status == 202);
  // The refused message was never stored.
  auto messages = wait_for_messages(chat, 4).at("messages");
  CHECK(messages.size() == 4);
}

TEST_CASE("a message sent again with its id is stored once, and answered 200 with the stored one") {
  AgentServer server;
  Chat chat = open_chat(server);
  const std::string id = "3f2b8c1e-5d4a-4b6f-8e7d-2a1c9b0f4e3d";
  auto post = [&](const nlohmann::json& body) {
    return server.anonymous().post_json("/api/chat/sessions/" + chat.session_id + "/messages", body,
                                        chat.headers());
  };
  auto first = post({{"text", "Quels sont vos horaires ?"}, {"id", id}});
  REQUIRE(first.status == 202);
  CHECK(first.json().at("id") == id);
  wait_for_messages(chat, 2);

  // Its answer was lost: the widget sends the same body again.
  auto again = post({{"text", "Quels sont vos horaires ?"}, {"id", id}});
  CHECK(again.status == 200);
  CHECK(again.json() == first.json());
  auto messages = chat.get().json().at("messages");
  CHECK(messages.size() == 2);  // no second copy, no second reply

  auto other_text = post({{"text", "Autre chose"}, {"id", id}});
  CHECK(other_text.status == 400);
  CHECK(other_text.json().at("error").at("message") == "this id belongs to another message");
  auto reply_id = messages[1].at("id").get<std::string>();
  CHECK(post({{"text", "Quels sont vos horaires ?"}, {"id", reply_id}}).status == 400);
  auto not_uuid = post({{"text", "Bonjour"}, {"id", "42"}});
  CHECK(not_uuid.status == 400);
  CHECK(not_uuid.error_code() == "invalid_request");
  CHECK(chat.get().json().at("messages").size() == 2);
}

TEST_CASE("a stream that joins mid-reply gets the text so far, then the rest") {
  AgentServer server({"", {{"LOCAL_MODEL_WORD_MS", "60"}}});
  Chat chat = open_chat(server);
  httplib::Headers auth = {{"Authorization", "Bearer " + chat.token}};
  SseReader first(server.port(), chat.events_path(), auth);
  REQUIRE(first.wait_for_raw("retry"));
  REQUIRE(chat.post("Quels sont vos horaires et votre adresse ?").status == 202);
  REQUIRE(first.wait_for([](const auto& events) {
    int deltas = 0;
    for (const auto& e : events) deltas += e.event == "delta" ? 1 : 0;
    return deltas >= 3;
  }));
  SseReader late(server.port(), chat.events_path(), auth);
  REQUIRE(late.wait_for([](const auto& events) { return has_done(events); }));
  REQUIRE(first.wait_for([](const auto& events) { return has_done(events); }));

  auto late_events = late.events();
  auto reply = messages_of(late_events).back();
  REQUIRE(reply.at("role") == "agent");
  // Its first delta is the whole text so far (several words), and all of them
  // together make the reply exactly once.
  std::string first_delta;
  for (const auto& e : late_events) {
    if (e.event == "delta") {
      first_delta = json::parse(e.data).at("text").get<std::string>();
      break;
    }
  }
  CHECK(first_delta.find(' ') != std::string::npos);
  CHECK(deltas_of(late_events, reply.at("id")) == reply.at("text"));
  CHECK(deltas_of(first.events(), reply.at("id")) == reply.at("text"));
}

TEST_CASE("two open streams of one session see the same messages") {
  AgentServer server;
  Chat chat = open_chat(server);
  httplib::Headers auth = {{"Authorization", "Bearer " + chat.token}};
  SseReader tab1(server.port(), chat.events_path(), auth);
  SseReader tab2(server.port(), chat.events_path(), auth);
  REQUIRE(tab1.wait_for_raw("retry"));
  REQUIRE(tab2.wait_for_raw("retry"));
  REQUIRE(chat.post("Merci !").status == 202);
  REQUIRE(tab1.wait_for([](const auto& e) { return has_done(e); }));
  REQUIRE(tab2.wait_for([](const auto& e) { return has_done(e); }));
  CHECK(messages_of(tab1.events()) == messages_of(tab2.events()));
  CHECK(messages_of(tab1.events()).size() == 2);
}

TEST_CASE("a failing model sends an error event, stores nothing and frees the session") {
  AgentServer server;
  Chat chat = open_chat(server, json{{"name", "Broken"}, {"prompt", "x"}, {"chatModel", "no-such-model"}});
  SseReader stream(server.port(), chat.events_path(), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream.wait_for_raw("retry"));
  REQUIRE(chat.post("Bonjour").status == 202);
  REQUIRE(stream.wait_for_event("error"));
  json error;
  for (const auto& e : stream.events()) {
    if (e.event == "error") error = json::parse(e.data);
  }
  // No LLM_BASE_URL for a model other than `local`: unavailable, said in the session's
  // language (fr by default), without the server's configuration.
  CHECK(error.at("error").at("code") == "model_unavailable");
  CHECK(error.at("error").at("message") == "L'assistant n'est pas disponible pour le moment.");
  CHECK(chat.get().json().at("messages").size() == 1);
  CHECK(chat.post("Encore ?").status == 202);
}

TEST_CASE("rate limits per session and per agent answer 429 with Retry-After") {
  SECTION("per session") {
    AgentServer server({"", {{"CHAT_SESSION_MESSAGES_PER_MIN", "2"}}});
    Chat chat = open_chat(server);
    REQUIRE(chat.post("un").status == 202);
    wait_for_messages(chat, 2);
    REQUIRE(chat.post("deux").status == 202);
    wait_for_messages(chat, 4);
    auto limited = chat.post("trois");
    CHECK(limited.status == 429);
    CHECK(limited.error_code() == "rate_limited");
    int retry_after = std::stoi(limited.header("Retry-After"));
    CHECK(retry_after >= 1);
    CHECK(retry_after <= 30);
    CHECK(limited.json().at("error").at("retryAfter") == retry_after);
    CHECK(wait_for_messages(chat, 4).at("messages").size() == 4);
  }
  SECTION("per agent, across sessions") {
    AgentServer server({"", {{"CHAT_AGENT_MESSAGES_PER_MIN", "2"}}});
    Chat chat = open_chat(server);
    auto client = server.with_token(chat.token);
    auto other = client.post_json("/api/chat/sessions", json::object()).json();
    Chat second = chat;
    second.session_id = other.at("sessionId");
    second.visitor = other.at("visitorId");
    REQUIRE(chat.post("un").status == 202);
    REQUIRE(second.post("deux").status == 202);
    wait_for_messages(chat, 2);
    wait_for_messages(second, 2);
    auto limited = second.post("trois");
    CHECK(limited.status == 429);
    CHECK(limited.error_code() == "rate_limited");
    CHECK_FALSE(limited.header("Retry-After").empty());
  }
}

TEST_CASE("sessions: creation, visitor ids, languages, settings of the agent") {
  AgentServer server;
  auto agent = server.create_agent();
  auto client = server.with_token(agent.at("publicToken"));

  auto made = client.post_json("/api/chat/sessions", json::object());
  REQUIRE(made.status == 201);
  auto session = made.json();
  CHECK(session.at("messages") == json::array());
  CHECK(session.at("phoneRequired") == false);
  CHECK(session.at("verified") == false);
  CHECK(session.at("visitorId").get<std::string>().size() >= 22);  // >= 128 bits of base64url

  // No body at all is fine too, and the apiToken opens the chat as well.
  CHECK(server.with_token(agent.at("apiToken")).post("/api/chat/sessions", "").status == 201);

  std::string mine = "my-own-visitor-id_0123456789";
  auto kept = client.post_json("/api/chat/sessions", {{"visitorId", mine}, {"lang", "en"}});
  REQUIRE(kept.status == 201);
  CHECK(kept.json().at("visitorId") == mine);
  CHECK(kept.json().at("lang") == "en");

  auto bad_visitor = client.post_json("/api/chat/sessions", {{"visitorId", "short"}});
  CHECK(bad_visitor.status == 422);
  CHECK(bad_visitor.error_code() == "invalid_visitor_id");

  // An English session gets English answers when the question doesn't say.
  Chat chat{&server, agent, agent.at("publicToken"), kept.json().at("sessionId"), mine};
  REQUIRE(chat.post("menu").status == 202);
  auto reply = wait_for_messages(chat, 2).at("messages")[1].at("text").get<std::string>();
  CHECK(reply.rfind("Our menu", 0) == 0);

  // The admin token is not an agent's: it doesn't open the chat.
  CHECK(server.admin().post_json("/api/chat/sessions", json::object()).status == 401);
}

TEST_CASE("visitor checks: a wrong or missing visitor reads as an unknown session") {
  AgentServer server;
  Chat chat = open_chat(server);
  Chat other = open_chat(server);  // another agent, another visitor
  auto path = "/api/chat/sessions/" + chat.session_id;
  auto client = server.with_token(chat.token);

  CHECK(client.get(path, {{"X-Chat-Visitor", chat.visitor}}).status == 200);
  for (const auto& visitor : {std::string(), other.visitor, chat.visitor + "x"}) {
    httplib::Headers h;
    if (!visitor.empty()) h.emplace("X-Chat-Visitor", visitor);
    auto res = client.get(path, h);
    CHECK(res.status == 404);
    CHECK(res.error_code() == "session_not_found");
    auto post = client.post_json(path + "/messages", {{"text", "x"}}, h);
    CHECK(post.status == 404);
    CHECK(post.error_code() == "session_not_found");
  }
  // The session belongs to one agent: another agent's token can't see it.
  auto foreign = server.with_token(other.token).get(path, {{"X-Chat-Visitor", chat.visitor}});
  CHECK(foreign.status == 404);
  CHECK(foreign.error_code() == "session_not_found");
  // Unknown ids, well-formed or not.
  CHECK(client.get("/api/chat/sessions/00000000-0000-4000-8000-000000000000", {{"X-Chat-Visitor", chat.visitor}})
            .status == 404);
  CHECK(client.get("/api/chat/sessions/not-a-uuid", {{"X-Chat-Visitor", chat.visitor}}).status == 404);
  // The event stream too.
  SseReader wrong(server.port(), "/api/chat/sessions/" + chat.session_id + "/events?visitor=" + other.visitor,
                  {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(wrong.wait_closed());
  CHECK(wrong.status() == 404);
  CHECK(json::parse(wrong.raw()).at("error").at("code") == "session_not_found");
}

TEST_CASE("chat_disabled and phone_verification_required") {
  AgentServer server;
  auto off = server.create_agent({{"name", "Off"}, {"chatEnabled", false}});
  auto refused = server.with_token(off.at("publicToken")).post_json("/api/chat/sessions", json::object());
  CHECK(refused.status == 403);
  CHECK(refused.error_code() == "chat_disabled");

  // Turned off while a session is open: its messages are refused, its history stays readable.
  Chat chat = open_chat(server);
  REQUIRE(server.admin()
              .patch_json("/api/agents/" + chat.agent.at("id").get<std::string>(), {{"chatEnabled", false}})
              .status == 200);
  auto post = chat.post("Bonjour");
  CHECK(post.status == 403);
  CHECK(post.error_code() == "chat_disabled");
  CHECK(chat.get().status == 200);

  Chat phone = open_chat(server,
                         {{"name", "Phone"}, {"prompt", agent_test::kPrompt}, {"chatPhoneRequired", true}});
  CHECK(phone.get().json().at("phoneRequired") == true);
  auto needs = phone.post("Bonjour");
  CHECK(needs.status == 403);
  CHECK(needs.error_code() == "phone_verification_required");
  CHECK(phone.get().json().at("messages").empty());
}
