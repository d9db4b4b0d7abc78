#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "hub.hpp"

using agent_server::Hub;
using namespace std::chrono_literals;

TEST_CASE("one reply slot per session") {
  Hub hub;
  CHECK(hub.begin_reply("s", "r1", "v"));
  CHECK_FALSE(hub.begin_reply("s", "r2", "v"));
  CHECK(hub.begin_reply("other", "r3", "v"));
  CHECK(hub.reply_in_progress("s"));
  hub.abandon_reply("s");
  CHECK_FALSE(hub.reply_in_progress("s"));
  CHECK(hub.begin_reply("s", "r4", "v"));
}

TEST_CASE("a message posted while the reply is being stored waits for it, then gets the slot") {
  Hub hub;
  REQUIRE(hub.begin_reply("s", "r1", "v1"));
  hub.publish_delta("s", "Bonjour");
  // Still streaming: refused at once.
  CHECK_FALSE(hub.begin_reply("s", "r2", "v2"));
  // Its text whole and being stored: a client may already read it, so the next message
  // waits for the slot rather than being refused.
  hub.storing_reply("s");
  std::promise<void> asking;
  auto next = std::async(std::launch::async, [&] {
    asking.set_value();
    return hub.begin_reply("s", "r2", "v2");
  });
  asking.get_future().wait();
  // It cannot answer while the reply is being stored (with the wait gone, it would
  // answer false at once).
  CHECK(next.wait_for(200ms) == std::future_status::timeout);
  chat::Message stored;
  stored.id = "r1";
  stored.role = chat::Role::agent;
  stored.text = "Bonjour";
  hub.finish_reply("s", stored);
  CHECK(next.get());
  CHECK(hub.reply_in_progress("s"));
  // A failed store frees the slot too.
  hub.storing_reply("s");
  auto after_failure = std::async(std::launch::async, [&] { return hub.begin_reply("s", "r3", "v3"); });
  hub.fail_reply("s", chat::Error(chat::ErrorCode::internal_error, "disk full"));
  CHECK(after_failure.get());
}

TEST_CASE("a subscriber gets the text so far, then the following events in order") {
  Hub hub;
  REQUIRE(hub.begin_reply("s", "r", "v"));
  hub.publish_delta("s", "Nous");
  hub.publish_delta("s", " sommes");
  auto sub = hub.subscribe("s");
  REQUIRE(sub->snapshot.has_value());
  CHECK(sub->snapshot->message_id == "r");
  CHECK(sub->snapshot->text == "Nous sommes");
  hub.publish_delta("s", " ouverts");
  chat::Message m;
  m.id = "r";
  m.seq = 2;
  m.role = chat::Role::agent;
  m.text = "Nous sommes ouverts";
  hub.finish_reply("s", m);
  auto batch = sub->wait(1s);
  REQUIRE(batch.events.size() == 3);
  CHECK(std::get<chat::DeltaEvent>(batch.events[0]).text == " ouverts");
  CHECK(std::get<chat::MessageEvent>(batch.events[1]).message == m);
  CHECK(std::get<chat::DoneEvent>(batch.events[2]).message_id == "r");
  CHECK_FALSE(hub.reply_in_progress("s"));
  CHECK(hub.open_streams() == 1);
  sub.reset();
  CHECK(hub.open_streams() == 0);
}

TEST_CASE("wait times out empty, and shutdown wakes every subscriber") {
  Hub hub;
  auto sub = hub.subscribe("s");
  auto quiet = sub->wait(20ms);
  CHECK(quiet.events.empty());
  CHECK_FALSE(quiet.closed);
  std::thread stopper([&] { hub.shutdown(); });
  auto closed = sub->wait(10s);
  stopper.join();
  CHECK(closed.closed);
  CHECK(hub.subscribe("t")->wait(10s).closed);
}

namespace {

using agent_server::HubEvent;
using Kind = HubEvent::Kind;

// Keeps what the hub relays.
class Recorder final : public agent_server::HubRelay {
 public:
  explicit Recorder(std::vector<HubEvent>& out) : out_(out) {}
  void send(HubEvent event) override { out_.push_back(std::move(event)); }

 private:
  std::vector<HubEvent>& out_;
};

// A hub as on PostgreSQL: with a relay (here one that records) and a TTL for the
// replies of other instances.
struct RelayedHub {
  explicit RelayedHub(std::chrono::milliseconds remote_ttl = 1min) {
    hub.set_relay(std::make_unique<Recorder>(sent), remote_ttl);
  }
  std::vector<HubEvent> sent;
  Hub hub;
};

HubEvent remote(Kind kind, const std::string& reply_id) {
  HubEvent e;
  e.kind = kind;
  e.session_id = "s";
  e.reply_id = reply_id;
  return e;
}

chat::Message agent_message(const std::string& id, const std::string& text) {
  chat::Message m;
  m.id = id;
  m.seq = 2;
  m.role = chat::Role::agent;
  m.text = text;
  return m;
}

}  // namespace

TEST_CASE("with a relay, every local event goes out in order") {
  RelayedHub relayed;
  auto& [sent, hub] = relayed;
  REQUIRE(hub.begin_reply("s", "r", "v"));
  chat::Message visitor;
  visitor.id = "v";
  hub.publish_message("s", visitor);
  hub.publish_delta("s", "Bon");
  hub.publish_delta("s", "jour");
  hub.finish_reply("s", agent_message("r", "Bonjour"));
  REQUIRE(hub.begin_reply("s", "r2", "v"));
  hub.abandon_reply("s");
  REQUIRE(hub.begin_reply("s", "r3", "v"));
  hub.fail_reply("s", chat::Error(chat::ErrorCode::model_error, "down"));
  std::vector<Kind> kinds;
  for (const auto& e : sent) kinds.push_back(e.kind);
  CHECK(kinds == std::vector<Kind>{Kind::begun, Kind::message, Kind::delta, Kind::delta, Kind::finished,
                                   Kind::begun, Kind::abandoned, Kind::begun, Kind::failed});
  CHECK(sent[1].message.id == "v");
  CHECK(sent[3].reply_id == "r");
  CHECK(sent[3].text == "jour");
  CHECK(sent[4].message.text == "Bonjour");
  CHECK(sent[6].reply_id == "r2");
  CHECK(sent[8].reply_id == "r3");
  CHECK(sent[8].error.message == "down");
}

TEST_CASE("another instance's reply reaches the streams, holds the slot, and is never relayed") {
  RelayedHub relayed;
  auto& [sent, hub] = relayed;
  auto early = hub.subscribe("s");
  hub.apply_remote(remote(Kind::begun, "r"));
  CHECK_FALSE(hub.begin_reply("s", "mine", "v"));
  auto delta = remote(Kind::delta, "r");
  delta.text = "Nous";
  hub.apply_remote(delta);
  auto late = hub.subscribe("s");
  REQUIRE(late->snapshot.has_value());
  CHECK(late->snapshot->text == "Nous");
  auto finished = remote(Kind::finished, "r");
  finished.message = agent_message("r", "Nous voilà");
  hub.apply_remote(finished);
  CHECK_FALSE(hub.reply_in_progress("s"));
  auto batch = early->wait(1s);
  REQUIRE(batch.events.size() == 3);
  CHECK(std::get<chat::DeltaEvent>(batch.events[0]) == chat::DeltaEvent{"r", "Nous"});
  CHECK(std::get<chat::MessageEvent>(batch.events[1]).message == finished.message);
  CHECK(std::get<chat::DoneEvent>(batch.events[2]).message_id == "r");
  CHECK(sent.empty());
  CHECK(hub.begin_reply("s", "mine", "v"));
}

TEST_CASE("a reply heard from its middle holds the slot but gives no snapshot") {
  RelayedHub relayed;
  auto& hub = relayed.hub;
  auto delta = remote(Kind::delta, "r");
  delta.text = "…fin";
  hub.apply_remote(delta);
  CHECK(hub.reply_in_progress("s"));
  CHECK_FALSE(hub.subscribe("s")->snapshot.has_value());
  hub.apply_remote(remote(Kind::abandoned, "r"));
  CHECK_FALSE(hub.reply_in_progress("s"));
}

TEST_CASE("a silent reply of another instance expires: its streams get an error, the slot is free") {
  RelayedHub relayed(20ms);
  auto& hub = relayed.hub;
  auto sub = hub.subscribe("s");
  hub.apply_remote(remote(Kind::begun, "r"));
  CHECK_FALSE(hub.begin_reply("s", "mine", "v"));
  // Waits for the TTL itself, the thing under test, with a deadline.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (hub.reply_in_progress("s") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
  CHECK_FALSE(hub.reply_in_progress("s"));
  auto batch = sub->wait(1s);
  REQUIRE(batch.events.size() == 1);
  const auto& error = std::get<chat::ErrorEvent>(batch.events[0]);
  CHECK(error.error.code == chat::ErrorCode::reply_interrupted);
  CHECK(error.message_id == "r");  // the visitor can ask again: the event names the reply
  CHECK(hub.begin_reply("s", "mine", "v"));
}

TEST_CASE("an orphan interrupted: streams get the error naming the reply and its message, the slot is free") {
  RelayedHub relayed(std::chrono::minutes(60));
  auto& hub = relayed.hub;
  auto sub = hub.subscribe("s");
  auto begun = remote(Kind::begun, "r");
  begun.in_reply_to = "v1";
  hub.apply_remote(begun);
  CHECK(hub.reply_in_progress("s"));
  hub.interrupt_orphan("s", "r", "v1", chat::Error(chat::ErrorCode::reply_interrupted));
  CHECK_FALSE(hub.reply_in_progress("s"));
  auto batch = sub->wait(1s);
  REQUIRE(batch.events.size() == 1);
  const auto& error = std::get<chat::ErrorEvent>(batch.events[0]);
  CHECK(error.error.code == chat::ErrorCode::reply_interrupted);
  CHECK(error.message_id == "r");
  CHECK(error.in_reply_to == "v1");
  // The other instances hear it too.
  REQUIRE_FALSE(relayed.sent.empty());
  CHECK(relayed.sent.back().kind == Kind::failed);
  CHECK(relayed.sent.back().in_reply_to == "v1");
}
