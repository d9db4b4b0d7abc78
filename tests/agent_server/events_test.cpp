// The event stream's transport: headers, first bytes, heartbeats, many open
// streams, stopping with streams open.
#include <catch2/catch.hpp>

#include <memory>

#include "server_fixture.hpp"
#include "sse_reader.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using test_support::SseReader;
using namespace std::chrono_literals;

TEST_CASE("the stream is text/event-stream, uncached, unbuffered, and starts with retry") {
  AgentServer server;
  Chat chat = open_chat(server);
  SseReader stream(server.port(), chat.events_path(), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream.wait_for_raw("retry: 2000\n\n"));
  CHECK(stream.status() == 200);
  CHECK(stream.header("Content-Type") == "text/event-stream");
  CHECK(stream.header("Cache-Control") == "no-cache");
  CHECK(stream.header("X-Accel-Buffering") == "no");
  CHECK(stream.header("Content-Encoding").empty());
  CHECK(stream.raw().rfind("retry: 2000\n\n", 0) == 0);
}

TEST_CASE("an idle stream gets a ': ping' comment every CHAT_HEARTBEAT_MS") {
  AgentServer server({"", {{"CHAT_HEARTBEAT_MS", "100"}}});
  Chat chat = open_chat(server);
  SseReader stream(server.port(), chat.events_path(), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream.wait_for_raw(": ping\n\n: ping\n\n"));
  CHECK(stream.events().empty());  // comments are not events
}

TEST_CASE("fifty open streams never delay a POST") {
  AgentServer server({"", {{"AGENT_SERVER_THREADS", "256"}}});
  Chat chat = open_chat(server);
  httplib::Headers auth = {{"Authorization", "Bearer " + chat.token}};
  std::vector<std::unique_ptr<SseReader>> streams;
  for (int i = 0; i < 50; ++i) {
    streams.push_back(std::make_unique<SseReader>(server.port(), chat.events_path(), auth));
  }
  for (auto& s : streams) REQUIRE(s->wait_for_raw("retry: 2000"));
  auto metrics = server.anonymous().get("/metrics");
  CHECK(metrics.body.find("agent_open_streams 50\n") != std::string::npos);

  // With 50 workers held by streams, other requests still get a worker: the POST
  // and a new session complete, and every stream receives the message.
  auto posted = chat.post("Quels sont vos horaires ?");
  REQUIRE(posted.status == 202);
  auto fresh = server.with_token(chat.token).post_json("/api/chat/sessions", json::object());
  CHECK(fresh.status == 201);
  for (auto& s : streams) CHECK(s->wait_for_event("done"));
}

TEST_CASE("SIGTERM with open streams ends them and exits cleanly") {
  AgentServer server({"", {{"LOCAL_MODEL_WORD_MS", "100"}}});
  Chat chat = open_chat(server);
  SseReader idle(server.port(), chat.events_path(), {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(idle.wait_for_raw("retry"));
  REQUIRE(chat.post("Quels sont vos horaires ?").status == 202);  // a reply in progress too
  REQUIRE(idle.wait_for_event("delta"));
  CHECK(server.stop() == 0);
  CHECK(idle.wait_closed(5s));
  CHECK(server.process().output().find("\"msg\":\"stopped\"") != std::string::npos);
}

TEST_CASE("a bad resume point is a 400, an unknown token a 401") {
  AgentServer server;
  Chat chat = open_chat(server);
  {
    SseReader stream(server.port(), chat.events_path(),
                     {{"Authorization", "Bearer " + chat.token}, {"Last-Event-ID", "abc"}});
    REQUIRE(stream.wait_closed());
    CHECK(stream.status() == 400);
    CHECK(json::parse(stream.raw()).at("error").at("code") == "invalid_request");
  }
  {
    SseReader stream(server.port(), chat.events_path(), {{"Authorization", "Bearer pk_nope"}});
    REQUIRE(stream.wait_closed());
    CHECK(stream.status() == 401);
  }
}
