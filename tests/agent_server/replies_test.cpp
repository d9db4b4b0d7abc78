// Replies that survive crashes, restarts and shutdowns (issue 12), on the real
// binary: a reply is stored with its state, a reply cut by a crash is found
// interrupted at the next start and told on every stream, the same message asked
// again gets one new reply, and SIGTERM drains before it exits.
#include <catch2/catch.hpp>

#include <signal.h>

#include <atomic>
#include <thread>

#include "chat/random.hpp"
#include "pg_cluster.hpp"
#include "server_fixture.hpp"
#include "sse_reader.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using test_support::SseReader;
using namespace std::chrono_literals;

namespace {

// A reply of many words at 200 ms each: it is still streaming when the test acts.
const std::map<std::string, std::string> kSlowModel = {{"LOCAL_MODEL_WORD_MS", "200"}};

std::unique_ptr<SseReader> open_stream(const Chat& chat, long long last_event_id = -1) {
  auto stream = std::make_unique<SseReader>(chat.server->port(), chat.events_path(last_event_id),
                                            httplib::Headers{{"Authorization", "Bearer " + chat.token}});
  INFO("status " << stream->status() << ", server's log:\n" << chat.server->process().output());
  REQUIRE(stream->wait_for_raw("retry: 2000"));
  return stream;
}

// The visitor's message, with the id the widget gives it (so it can be sent again).
test_support::HttpResponse post_with_id(const Chat& chat, const std::string& id, const std::string& text) {
  return chat.server->anonymous().post_json("/api/chat/sessions/" + chat.session_id + "/messages",
                                            json{{"id", id}, {"text", text}}, chat.headers());
}

int count_events(const std::vector<chat::SseEvent>& events, const std::string& name) {
  int n = 0;
  for (const auto& e : events) n += e.event == name ? 1 : 0;
  return n;
}

const chat::SseEvent* find_event(const std::vector<chat::SseEvent>& events, const std::string& name) {
  for (const auto& e : events) {
    if (e.event == name) return &e;
  }
  return nullptr;
}

// A fresh database of the shared test cluster; empty (with a warning) without PostgreSQL.
std::string postgres_database() {
  auto* cluster = test_support::PgCluster::shared();
  std::string db = cluster ? cluster->create_database() : std::string();
  if (db.empty()) WARN("PostgreSQL unavailable: skipped");
  return db;
}

// Kill -9 mid-reply, restart on the same database: the cut reply is interrupted,
// and asking again (twice at once) gets exactly one new reply to done.
void crash_then_ask_again(AgentServer& server) {
  Chat chat = open_chat(server);
  const std::string id = chat::random_uuid();
  {
    auto live = open_stream(chat);
    REQUIRE(post_with_id(chat, id, "Quels sont vos horaires ?").status == 202);
    REQUIRE(live->wait_for_event("delta"));
    server.restart();  // SIGKILL mid-reply, then a new process on the same database
    CHECK(live->wait_closed(10s));
  }

  auto session = chat.get();
  REQUIRE(session.status == 200);
  json body = session.json();
  REQUIRE(body.at("messages").size() == 1);  // the visitor's message, kept; no half reply
  REQUIRE(body.contains("reply"));
  CHECK(body["reply"]["state"] == "interrupted");
  CHECK(body["reply"]["inReplyTo"] == id);
  CHECK(body["reply"]["error"]["code"] == "reply_interrupted");
  CHECK(server.process().output().find("\"msg\":\"replies interrupted\"") != std::string::npos);

  // Resumed after the visitor's message, as the widget does: told at once.
  auto resumed = open_stream(chat, 1);
  REQUIRE(resumed->wait_for_event("error", "reply_interrupted"));
  json told = json::parse(find_event(resumed->events(), "error")->data);
  CHECK(told["inReplyTo"] == id);
  CHECK(told["messageId"] == body["reply"]["id"]);

  // Two retries race: one starts the reply (202), the other learns it is coming (200).
  std::atomic<int> accepted{0}, coming{0}, other{0};
  std::vector<std::thread> retries;
  for (int i = 0; i < 2; ++i) {
    retries.emplace_back([&] {
      int status = post_with_id(chat, id, "Quels sont vos horaires ?").status;
      (status == 202 ? accepted : status == 200 ? coming : other)++;
    });
  }
  for (auto& t : retries) t.join();
  CHECK(accepted == 1);
  CHECK(coming == 1);
  CHECK(other == 0);

  REQUIRE(resumed->wait_for_event("done"));
  auto events = resumed->events();
  CHECK(count_events(events, "done") == 1);
  auto after = chat.get().json();
  REQUIRE(after.at("messages").size() == 2);
  CHECK(after["messages"][1]["role"] == "agent");
  CHECK(after["reply"]["state"] == "done");
  CHECK(after["reply"]["id"] == after["messages"][1]["id"]);
  // Done: the same id again starts nothing.
  CHECK(post_with_id(chat, id, "Quels sont vos horaires ?").status == 200);
  CHECK(chat.get().json().at("messages").size() == 2);
}

}  // namespace

TEST_CASE(
    "SQLite: kill -9 mid-reply, restart: interrupted on the stream and the session; asked again, one reply") {
  AgentServer server({"", kSlowModel});
  crash_then_ask_again(server);
}

TEST_CASE(
    "PostgreSQL: kill -9 mid-reply, restart: interrupted on the stream and the session; asked again, one reply") {
  std::string db = postgres_database();
  if (db.empty()) return;
  AgentServer server({db, kSlowModel});
  crash_then_ask_again(server);
}

TEST_CASE("a failed reply can be asked again; a reply still streaming cannot be doubled") {
  AgentServer server({"", kSlowModel});
  // An agent whose model does not exist: the reply fails at once.
  Chat chat = open_chat(server, json{{"name", "Chez Marie"},
                                     {"prompt", agent_test::kPrompt},
                                     {"chatEnabled", true},
                                     {"chatModel", "no-such-model"}});
  auto stream = open_stream(chat);
  const std::string id = chat::random_uuid();
  REQUIRE(post_with_id(chat, id, "Bonjour").status == 202);
  REQUIRE(stream->wait_for_event("error"));
  json failed = json::parse(find_event(stream->events(), "error")->data);
  CHECK(failed["inReplyTo"] == id);
  auto session = chat.get().json();
  CHECK(session["reply"]["state"] == "failed");
  CHECK(session["reply"]["error"]["code"] == failed["error"]["code"]);

  // Asked again: a new reply starts (and fails again, the model still missing).
  REQUIRE(post_with_id(chat, id, "Bonjour").status == 202);
  REQUIRE(stream->wait_for(
      [](const std::vector<chat::SseEvent>& events) { return count_events(events, "error") == 2; }));
  CHECK(chat.get().json().at("messages").size() == 1);  // the visitor's message once

  // The same text under another id while nothing streams is a new message.
  Chat fine = open_chat(server);
  auto live = open_stream(fine);
  const std::string asked = chat::random_uuid();
  REQUIRE(post_with_id(fine, asked, "Quels sont vos horaires ?").status == 202);
  REQUIRE(live->wait_for_event("delta"));
  CHECK(post_with_id(fine, asked, "Quels sont vos horaires ?").status == 200);  // streaming: it is coming
  CHECK(live->wait_for_event("done"));
  CHECK(count_events(live->events(), "done") == 1);
}

TEST_CASE("SIGTERM: stops accepting, the reply in flight finishes within the drain deadline, then exit 0") {
  AgentServer server({"", {{"LOCAL_MODEL_WORD_MS", "100"}, {"AGENT_SERVER_DRAIN_SECONDS", "30"}}});
  Chat chat = open_chat(server);
  auto stream = open_stream(chat);
  auto idle = open_stream(open_chat(server));  // another session's stream, nothing streaming there
  REQUIRE(chat.post("Quels sont vos horaires ?").status == 202);
  REQUIRE(stream->wait_for_event("delta"));

  REQUIRE(::kill(server.process().pid(), SIGTERM) == 0);
  REQUIRE(server.process().wait_for_line("\"msg\":\"draining\"", 10s));
  // No new connection is accepted meanwhile.
  CHECK(test_support::connect_from("127.0.0.1", server.port()) == -1);

  CHECK(server.process().wait_exit(30s) == 0);
  // The reply ended with its message and done before its stream closed; so did
  // the idle stream, cleanly.
  CHECK(stream->wait_closed(5s));
  auto events = stream->events();
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().event == "done");
  CHECK(count_events(events, "error") == 0);
  CHECK(idle->wait_closed(5s));
  CHECK(server.process().output().find("\"msg\":\"drained\"") != std::string::npos);
}

TEST_CASE(
    "SIGTERM: a reply still running at the drain deadline ends interrupted, told on its stream, asked again after the restart") {
  AgentServer server({"", {{"LOCAL_MODEL_WORD_MS", "500"}, {"AGENT_SERVER_DRAIN_SECONDS", "1"}}});
  Chat chat = open_chat(server);
  auto stream = open_stream(chat);
  const std::string id = chat::random_uuid();
  REQUIRE(post_with_id(chat, id, "Quels sont vos horaires ?").status == 202);
  REQUIRE(stream->wait_for_event("delta"));

  auto asked = std::chrono::steady_clock::now();
  CHECK(server.stop() == 0);
  // The deadline (1 s) and the stop, well under the reply's own length (many words at 500 ms).
  CHECK(std::chrono::steady_clock::now() - asked < 8s);
  REQUIRE(stream->wait_for_event("error", "reply_interrupted", 5s));
  CHECK(json::parse(find_event(stream->events(), "error")->data)["inReplyTo"] == id);
  CHECK(stream->wait_closed(5s));
  CHECK(find_event(stream->events(), "done") == nullptr);

  server.restart();
  auto session = chat.get().json();
  CHECK(session["reply"]["state"] == "interrupted");
  CHECK(session["messages"].size() == 1);
  CHECK(server.process().output().find("\"msg\":\"replies interrupted\"") ==
        std::string::npos);  // stored at the stop
  auto resumed = open_stream(chat, 1);
  REQUIRE(post_with_id(chat, id, "Quels sont vos horaires ?").status == 202);
  CHECK(resumed->wait_for_event("done", "", 60s));
}

TEST_CASE(
    "PostgreSQL, two instances: one dies mid-reply, the other tells its streams at once and takes the retry") {
  std::string db = postgres_database();
  if (db.empty()) return;
  AgentServer a({db, kSlowModel});
  AgentServer b({db, kSlowModel});
  Chat on_a = open_chat(a);
  Chat on_b = on_a;
  on_b.server = &b;
  auto stream = open_stream(on_b);
  const std::string id = chat::random_uuid();
  REQUIRE(post_with_id(on_a, id, "Quels sont vos horaires ?").status == 202);
  REQUIRE(stream->wait_for_event("delta"));  // B has heard A's reply begin

  auto died = std::chrono::steady_clock::now();
  a.process().kill();
  // Found through A's lock, gone with its connection: not after the remote TTL (40 s here).
  REQUIRE(stream->wait_for_event("error", "reply_interrupted", 15s));
  CHECK(std::chrono::steady_clock::now() - died < 15s);
  CHECK(json::parse(find_event(stream->events(), "error")->data)["inReplyTo"] == id);
  CHECK(b.process().wait_for_line("\"reason\":\"its instance is gone\"", 10s));
  CHECK(on_b.get().json()["reply"]["state"] == "interrupted");

  REQUIRE(post_with_id(on_b, id, "Quels sont vos horaires ?").status == 202);
  CHECK(stream->wait_for_event("done", "", 60s));
  CHECK(on_b.get().json()["reply"]["state"] == "done");
}

TEST_CASE("PostgreSQL, a rolling restart: the instance stopped mid-reply tells the streams held elsewhere") {
  std::string db = postgres_database();
  if (db.empty()) return;
  AgentServer a({db, {{"LOCAL_MODEL_WORD_MS", "500"}, {"AGENT_SERVER_DRAIN_SECONDS", "1"}}});
  AgentServer b({db, kSlowModel});
  Chat on_a = open_chat(a);
  Chat on_b = on_a;
  on_b.server = &b;
  auto stream = open_stream(on_b);
  const std::string id = chat::random_uuid();
  REQUIRE(post_with_id(on_a, id, "Quels sont vos horaires ?").status == 202);
  REQUIRE(stream->wait_for_event("delta"));

  CHECK(a.stop() == 0);  // SIGTERM: the reply outlives the 1 s drain
  REQUIRE(stream->wait_for_event("error", "reply_interrupted", 10s));
  CHECK(json::parse(find_event(stream->events(), "error")->data)["inReplyTo"] == id);
  CHECK(on_b.get().json()["reply"]["state"] == "interrupted");
  // The stream on B stays open: the other instance goes on serving the session.
  CHECK_FALSE(stream->closed());
  REQUIRE(post_with_id(on_b, id, "Quels sont vos horaires ?").status == 202);
  CHECK(stream->wait_for_event("done", "", 60s));
}
