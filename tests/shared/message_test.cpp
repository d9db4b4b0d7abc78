#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "chat/api/chat.hpp"
#include "chat/message.hpp"

using chat::ErrorCode;
using chat::Message;
using chat::Role;
using chat::Session;
using nlohmann::json;

namespace {

Message sample_message(std::int64_t seq, Role role, std::string text) {
  Message m;
  m.id = "3f2b8c1e-5d7a-4e9b-8c1d-2a3b4c5d6e7f";
  m.seq = seq;
  m.role = role;
  m.text = std::move(text);
  m.created_at = "2026-11-24T20:18:52.123Z";
  return m;
}

Session sample_session() {
  Session s;
  s.session_id = "6e0f1a2b-3c4d-4e5f-9a0b-1c2d3e4f5a6b";
  s.visitor_id = "AbCdEfGhIjKlMnOpQrStUvWx";
  s.lang = "en";
  s.phone_required = true;
  s.verified = true;
  s.verified_at = "2026-11-24T20:19:00.000Z";
  s.messages = {sample_message(1, Role::visitor, "Bonjour, vous êtes ouverts ?"),
                sample_message(2, Role::agent, "Oui,\nde 12h à 14h.")};
  return s;
}

}  // namespace

TEST_CASE("roles round-trip through their names") {
  for (const Role r : {Role::visitor, Role::agent, Role::system}) {
    CHECK(chat::role_from_string(chat::to_string(r)) == r);
  }
  CHECK_FALSE(chat::role_from_string("Agent").has_value());
  CHECK_FALSE(chat::role_from_string("").has_value());
}

TEST_CASE("a message encodes to camelCase and decodes back") {
  const Message m = sample_message(7, Role::agent, "Table pour 4 ✓");
  const std::string body = chat::api::encode(m);
  const json j = json::parse(body);
  CHECK(j["id"] == m.id);
  CHECK(j["seq"] == 7);
  CHECK(j["role"] == "agent");
  CHECK(j["text"] == m.text);
  CHECK(j["createdAt"] == m.created_at);
  CHECK(j.size() == 5);

  const auto back = chat::api::decode_message(body);
  REQUIRE(back.ok());
  CHECK(*back == m);
}

TEST_CASE("a session round-trips, verifiedAt omitted when absent") {
  Session s = sample_session();
  auto back = chat::api::decode_session(chat::api::encode(s));
  REQUIRE(back.ok());
  CHECK(*back == s);

  s.verified = false;
  s.verified_at.reset();
  s.messages.clear();
  const std::string body = chat::api::encode(s);
  CHECK(json::parse(body).count("verifiedAt") == 0);
  CHECK(json::parse(body)["messages"] == json::array());
  back = chat::api::decode_session(body);
  REQUIRE(back.ok());
  CHECK(*back == s);
}

TEST_CASE("a session's reply status round-trips; a bad state is refused") {
  Session s = sample_session();
  chat::ReplyStatus reply;
  reply.id = "r1";
  reply.in_reply_to = "v1";
  reply.state = chat::ReplyState::interrupted;
  reply.error = chat::Error(chat::ErrorCode::reply_interrupted);
  s.reply = reply;
  const std::string body = chat::api::encode(s);
  const auto j = json::parse(body);
  CHECK(j["reply"]["state"] == "interrupted");
  CHECK(j["reply"]["inReplyTo"] == "v1");
  CHECK(j["reply"]["error"]["code"] == "reply_interrupted");
  auto back = chat::api::decode_session(body);
  REQUIRE(back.ok());
  CHECK(*back == s);

  auto bad = json::parse(body);
  s.greeting = "Bonjour ! Que puis-je pour vous ?";
  s.suggestions = {"Vos horaires ?", "La carte ?"};
  back = chat::api::decode_session(chat::api::encode(s));
  REQUIRE(back.ok());
  CHECK(*back == s);
  CHECK(json::parse(chat::api::encode(s))["suggestions"] == json{"Vos horaires ?", "La carte ?"});

  bad["reply"]["state"] = "lost";
  const auto refused = chat::api::decode_session(bad.dump());
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("state"));
}

TEST_CASE("the create response without lang decodes with lang fr") {
  const auto s = chat::api::decode_session(
      R"({"sessionId":"s","visitorId":"v","phoneRequired":false,"verified":false,"messages":[]})");
  REQUIRE(s.ok());
  CHECK(s->lang == "fr");
  CHECK_FALSE(s->verified_at.has_value());
}

TEST_CASE("message decoding rejects missing and mistyped fields, naming them") {
  const json good = json::parse(chat::api::encode(sample_message(1, Role::visitor, "hi")));
  for (const char* key : {"id", "seq", "role", "text", "createdAt"}) {
    DYNAMIC_SECTION("missing " << key) {
      json j = good;
      j.erase(key);
      const auto r = chat::message_from_json(j);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == ErrorCode::invalid_request);
      CHECK_THAT(r.error().message, Catch::Contains(std::string("\"") + key + "\""));
    }
    DYNAMIC_SECTION("mistyped " << key) {
      json j = good;
      j[key] = key == std::string("seq") ? json("1") : json(12);
      const auto r = chat::message_from_json(j);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == ErrorCode::invalid_request);
      CHECK_THAT(r.error().message, Catch::Contains(std::string("\"") + key + "\""));
    }
  }
  SECTION("unknown role") {
    json j = good;
    j["role"] = "admin";
    const auto r = chat::message_from_json(j);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("\"role\""));
  }
  SECTION("negative or fractional seq") {
    json j = good;
    j["seq"] = -1;
    CHECK_FALSE(chat::message_from_json(j).ok());
    j["seq"] = 1.5;
    CHECK_FALSE(chat::message_from_json(j).ok());
    j["seq"] = 18446744073709551615ULL;
    CHECK_FALSE(chat::message_from_json(j).ok());
  }
  SECTION("not an object") {
    CHECK(chat::message_from_json(json::array()).error().code == ErrorCode::invalid_request);
    CHECK(chat::api::decode_message("{").error().code == ErrorCode::invalid_json);
  }
  SECTION("unknown keys are ignored") {
    json j = good;
    j["extra"] = {1, 2, 3};
    CHECK(chat::message_from_json(j).ok());
  }
}

TEST_CASE("session decoding reports a bad message inside the list") {
  json j = json::parse(chat::api::encode(sample_session()));
  j["messages"][1].erase("text");
  const auto r = chat::session_from_json(j);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("\"messages\"") && Catch::Contains("\"text\""));

  j = json::parse(chat::api::encode(sample_session()));
  j["verifiedAt"] = nullptr;  // null reads as absent
  const auto nulled = chat::session_from_json(j);
  REQUIRE(nulled.ok());
  CHECK_FALSE(nulled->verified_at.has_value());

  j["messages"] = json::object();
  CHECK_THAT(chat::session_from_json(j).error().message, Catch::Contains("\"messages\""));
  j.erase("messages");
  CHECK_THAT(chat::session_from_json(j).error().message, Catch::Contains("\"messages\""));
}

TEST_CASE("timestamps: known instants") {
  CHECK(chat::format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(chat::format_timestamp(1'795'551'532'123) == "2026-11-24T20:18:52.123Z");
  CHECK(chat::format_timestamp(951'782'400'000) == "2000-02-29T00:00:00.000Z");
  CHECK(chat::format_timestamp(-1) == "1969-12-31T23:59:59.999Z");
  CHECK(chat::format_timestamp(253'402'300'799'999) == "9999-12-31T23:59:59.999Z");
  CHECK(chat::format_timestamp(-62'167'219'200'000) == "0000-01-01T00:00:00.000Z");
}

TEST_CASE("timestamps: out of range values clamp to the format's ends") {
  CHECK(chat::format_timestamp(INT64_MAX) == "9999-12-31T23:59:59.999Z");
  CHECK(chat::format_timestamp(INT64_MIN) == "0000-01-01T00:00:00.000Z");
}

TEST_CASE("timestamps: parse inverts format across the calendar") {
  // Every day boundary and some odd milliseconds from 1900 to 2100, in 7-day steps
  // plus leap days.
  for (std::int64_t ms = -2'208'988'800'000; ms < 4'102'444'800'000; ms += 604'800'000 + 12'345) {
    const auto text = chat::format_timestamp(ms);
    const auto back = chat::parse_timestamp(text);
    REQUIRE(back.has_value());
    REQUIRE(*back == ms);
  }
  CHECK(chat::parse_timestamp("2024-02-29T12:00:00.000Z").has_value());
  CHECK(chat::parse_timestamp("2000-02-29T00:00:00.000Z") == 951'782'400'000);
}

TEST_CASE("timestamps: anything but the exact shape is refused") {
  for (const char* bad : {"",
                          "2026-11-24",
                          "2026-11-24T20:18:52Z",
                          "2026-11-24T20:18:52.123",
                          "2026-11-24T20:18:52.123+00:00",
                          "2026-11-24 20:18:52.123Z",
                          "2026-13-01T00:00:00.000Z",
                          "2026-00-01T00:00:00.000Z",
                          "2026-02-29T00:00:00.000Z",
                          "1900-02-29T00:00:00.000Z",
                          "2026-04-31T00:00:00.000Z",
                          "2026-01-00T00:00:00.000Z",
                          "2026-01-01T24:00:00.000Z",
                          "2026-01-01T00:60:00.000Z",
                          "2026-01-01T00:00:60.000Z",
                          "2026-1-01T00:00:00.000Z",
                          "2026-11-24T20:18:52.123z",
                          " 2026-11-24T20:18:52.123Z",
                          "2026-11-24T20:18:52.1234Z",
                          "2026-11-24T2O:18:52.123Z"}) {
    INFO(bad);
    CHECK_FALSE(chat::parse_timestamp(bad).has_value());
  }
}
