#include <catch2/catch.hpp>

#include <thread>

#include "hub.hpp"

using agent_server::Hub;
using namespace std::chrono_literals;

TEST_CASE("one reply slot per session") {
  Hub hub;
  CHECK(hub.begin_reply("s", "r1"));
  CHECK_FALSE(hub.begin_reply("s", "r2"));
  CHECK(hub.begin_reply("other", "r3"));
  CHECK(hub.reply_in_progress("s"));
  hub.abandon_reply("s");
  CHECK_FALSE(hub.reply_in_progress("s"));
  CHECK(hub.begin_reply("s", "r4"));
}

TEST_CASE("a subscriber gets the text so far, then the following events in order") {
  Hub hub;
  REQUIRE(hub.begin_reply("s", "r"));
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
