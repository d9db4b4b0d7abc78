#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "chat/events.hpp"

using chat::ErrorCode;
using chat::Event;
using nlohmann::json;

namespace {

chat::Message sample_message() {
  chat::Message m;
  m.id = "0b6e2f5a-8c3d-4f1e-9a2b-7c4d5e6f8a9b";
  m.seq = 42;
  m.role = chat::Role::agent;
  m.text = "Nous sommes ouverts\nde 19h à 23h.";
  m.created_at = "2026-11-24T20:18:52.123Z";
  return m;
}

std::vector<chat::SseEvent> parse_all(const std::string& bytes) {
  std::vector<chat::SseEvent> out;
  chat::SseParser parser([&](const chat::SseEvent& e) { out.push_back(e); });
  REQUIRE(parser.feed(bytes));
  return out;
}

}  // namespace

TEST_CASE("event names") {
  CHECK(std::string(chat::event_name(Event{chat::MessageEvent{}})) == "message");
  CHECK(std::string(chat::event_name(Event{chat::DeltaEvent{}})) == "delta");
  CHECK(std::string(chat::event_name(Event{chat::DoneEvent{}})) == "done");
  CHECK(std::string(chat::event_name(Event{chat::ErrorEvent{}})) == "error");
}

TEST_CASE("a message event carries the message and its seq as id") {
  const Event e = chat::MessageEvent{sample_message()};
  const auto sse = chat::to_sse(e);
  CHECK(sse.event == "message");
  REQUIRE(sse.id.has_value());
  CHECK(*sse.id == "42");
  CHECK(json::parse(sse.data)["text"] == sample_message().text);
  const auto bytes = chat::encode_event(e);
  CHECK(bytes.rfind("id: 42\n", 0) == 0);  // "message" is the default: no event line
}

TEST_CASE("delta, done and error events have no id and the shapes of docs/design.md") {
  const auto delta = chat::to_sse(Event{chat::DeltaEvent{"m1", "Bonj"}});
  CHECK(delta.event == "delta");
  CHECK_FALSE(delta.id.has_value());
  CHECK(json::parse(delta.data) == json{{"messageId", "m1"}, {"text", "Bonj"}});

  const auto done = chat::to_sse(Event{chat::DoneEvent{"m1"}});
  CHECK(done.event == "done");
  CHECK_FALSE(done.id.has_value());
  CHECK(json::parse(done.data) == json{{"messageId", "m1"}});

  const auto error = chat::to_sse(Event{chat::ErrorEvent{chat::Error(ErrorCode::model_error)}});
  CHECK(error.event == "error");
  CHECK_FALSE(error.id.has_value());
  CHECK(error.data == chat::Error(ErrorCode::model_error).body());
}

TEST_CASE("every event survives encode -> SSE parser -> decode") {
  chat::Error limited(ErrorCode::rate_limited, "Slow down.");
  limited.retry_after = 5;
  const std::vector<Event> events = {
      chat::MessageEvent{sample_message()},
      chat::DeltaEvent{"m1", "Bonjour,\r\n"},  // CRLF inside JSON is escaped, so it survives
      chat::DeltaEvent{"m1", ""},
      chat::DoneEvent{"m1"},
      chat::ErrorEvent{limited},
      chat::ErrorEvent{chat::Error(ErrorCode::reply_interrupted), "r1", "v1"},
  };
  std::string stream;
  for (const auto& e : events) stream += chat::encode_event(e);
  const auto parsed = parse_all(stream);
  REQUIRE(parsed.size() == events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto back = chat::event_from_sse(parsed[i]);
    REQUIRE(back.ok());
    CHECK(*back == events[i]);
  }
}

TEST_CASE("a reply's error names the reply and the visitor's message it answers") {
  const auto sse = chat::to_sse(Event{chat::ErrorEvent{chat::Error(ErrorCode::reply_interrupted), "r1", "v1"}});
  const auto j = json::parse(sse.data);
  CHECK(j["error"]["code"] == "reply_interrupted");
  CHECK(j["messageId"] == "r1");
  CHECK(j["inReplyTo"] == "v1");
  chat::SseEvent bad;
  bad.event = "error";
  bad.data = R"({"error":{"code":"model_error","message":"x"},"inReplyTo":7})";
  const auto r = chat::event_from_sse(bad);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("inReplyTo"));
}

TEST_CASE("bad events decode to an Error, never a crash") {
  const auto bad = [](std::string name, std::string data) {
    chat::SseEvent sse;
    sse.event = std::move(name);
    sse.data = std::move(data);
    const auto r = chat::event_from_sse(sse);
    REQUIRE_FALSE(r.ok());
    return r.error();
  };
  CHECK_THAT(bad("typing", "{}").message, Catch::Contains("typing"));
  CHECK(bad("message", "not json").code == ErrorCode::invalid_request);
  CHECK_THAT(bad("message", R"({"id":"x"})").message, Catch::Contains("\"seq\""));
  CHECK_THAT(bad("delta", R"({"messageId":"m"})").message, Catch::Contains("\"text\""));
  CHECK_THAT(bad("delta", R"({"messageId":1,"text":"a"})").message, Catch::Contains("\"messageId\""));
  CHECK_THAT(bad("delta", "[1]").message, Catch::Contains("object"));
  CHECK_THAT(bad("done", "{}").message, Catch::Contains("\"messageId\""));
  CHECK(bad("error", R"({"code":"x"})").code == ErrorCode::invalid_request);
  CHECK(bad("error", "").code == ErrorCode::invalid_request);
}
