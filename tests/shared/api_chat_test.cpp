#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_test_support.hpp"
#include "chat/api/chat.hpp"
#include "chat/api/restaurant_admin.hpp"

using api_test::check_body_shape;
using api_test::check_error;
using chat::ErrorCode;
using nlohmann::json;
namespace api = chat::api;

TEST_CASE("create session") {
  check_body_shape(api::decode_create_session);
  const auto empty = api::decode_create_session("{}");
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->visitor_id.has_value());
  CHECK_FALSE(empty->lang.has_value());

  const auto full = api::decode_create_session(
      R"({"visitorId":"AbCdEfGhIjKlMnOpQrStUvWx","lang":"en","unknown":[1]})");
  REQUIRE(full.ok());
  CHECK(full->visitor_id == "AbCdEfGhIjKlMnOpQrStUvWx");
  CHECK(full->lang == "en");
  const auto back = api::decode_create_session(api::encode(*full));
  REQUIRE(back.ok());
  CHECK(*back == *full);
  CHECK(api::decode_create_session(R"({"visitorId":null,"lang":null})").ok());

  check_error(api::decode_create_session(R"({"visitorId":"short"})"), ErrorCode::invalid_visitor_id);
  check_error(api::decode_create_session(R"({"visitorId":12})"), ErrorCode::invalid_request, "visitorId");
  check_error(api::decode_create_session(R"({"lang":"de"})"), ErrorCode::invalid_request, "lang");
  check_error(api::decode_create_session(R"({"lang":true})"), ErrorCode::invalid_request, "lang");
}

TEST_CASE("create session: every language of the list, and only those") {
  const auto it = api::decode_create_session(R"({"lang":"it"})");
  REQUIRE(it.ok());
  CHECK(it->lang == "it");
  const auto de = api::decode_create_session(R"({"lang":"de"})");
  REQUIRE_FALSE(de.ok());
  CHECK(de.error().message == R"("lang" must be "fr", "en" or "it".)");
  const auto restaurant = api::decode_create_restaurant(R"({"name":"Da Mario","lang":"it"})");
  REQUIRE(restaurant.ok());
  CHECK(restaurant->lang == "it");
}

TEST_CASE("post message") {
  check_body_shape(api::decode_post_message);
  const auto ok = api::decode_post_message(R"({"text":"  Bonjour  "})");
  REQUIRE(ok.ok());
  CHECK(ok->text == "Bonjour");
  CHECK(*api::decode_post_message(api::encode(*ok)) == *ok);
  CHECK_FALSE(ok->id);
  const auto with_id = api::decode_post_message(
      R"({"text":"Bonjour","id":"3f2b8c1e-5d4a-4b6f-8e7d-2a1c9b0f4e3d"})");
  REQUIRE(with_id.ok());
  CHECK(with_id->id == "3f2b8c1e-5d4a-4b6f-8e7d-2a1c9b0f4e3d");
  CHECK(*api::decode_post_message(api::encode(*with_id)) == *with_id);
  CHECK_FALSE(api::decode_post_message(R"({"text":"Bonjour","id":null})")->id);
  check_error(api::decode_post_message(R"({"text":"Bonjour","id":"42"})"), ErrorCode::invalid_request, "id");
  check_error(api::decode_post_message(R"({"text":"Bonjour","id":7})"), ErrorCode::invalid_request, "id");

  check_error(api::decode_post_message("{}"), ErrorCode::invalid_request, "text");
  check_error(api::decode_post_message(R"({"text":5})"), ErrorCode::invalid_request, "text");
  check_error(api::decode_post_message(R"({"text":["a"]})"), ErrorCode::invalid_request, "text");
  check_error(api::decode_post_message(R"({"text":"   "})"), ErrorCode::message_empty);
  check_error(api::decode_post_message(R"({"text":"a\u0000b"})"), ErrorCode::invalid_request);
  check_error(api::decode_post_message(json{{"text", std::string(2001, 'a')}}.dump()),
              ErrorCode::message_too_long);
  // JSON's \u escapes can't smuggle a lone surrogate past the UTF-8 rules.
  const auto surrogate = api::decode_post_message(R"({"text":"\ud800"})");
  REQUIRE_FALSE(surrogate.ok());
}

TEST_CASE("phone") {
  check_body_shape([](std::string_view b) { return api::decode_phone(b, "fr"); });
  const auto fr = api::decode_phone(R"({"phone":"06 12 34 56 78"})", "fr");
  REQUIRE(fr.ok());
  CHECK(fr->phone == "+33612345678");
  CHECK(*api::decode_phone(api::encode(*fr), "en") == *fr);
  const auto en = api::decode_phone(R"({"phone":"07700 900123"})", "en");
  REQUIRE(en.ok());
  CHECK(en->phone == "+447700900123");

  check_error(api::decode_phone("{}", "fr"), ErrorCode::invalid_request, "phone");
  check_error(api::decode_phone(R"({"phone":612345678})", "fr"), ErrorCode::invalid_request, "phone");
  check_error(api::decode_phone(R"({"phone":"not a number"})", "fr"), ErrorCode::invalid_phone);
}

TEST_CASE("phone response and verify") {
  api::PhoneResponse p;
  p.phone = "+33*******78";
  p.expires_in = 600;
  p.sends_left = 2;
  const auto body = api::encode(p);
  CHECK(json::parse(body) == json{{"phone", "+33*******78"}, {"expiresIn", 600}, {"sendsLeft", 2}});
  CHECK(*api::decode_phone_response(body) == p);
  check_error(api::decode_phone_response(R"({"phone":"x","expiresIn":"600","sendsLeft":1})"),
              ErrorCode::invalid_request, "expiresIn");
  check_error(api::decode_phone_response(R"({"phone":"x","expiresIn":600})"), ErrorCode::invalid_request,
              "sendsLeft");
  check_error(api::decode_phone_response(R"({"phone":"x","expiresIn":6000000000,"sendsLeft":1})"),
              ErrorCode::invalid_request, "expiresIn");

  check_body_shape(api::decode_verify);
  const auto v = api::decode_verify(R"({"code":"012345"})");
  REQUIRE(v.ok());
  CHECK(v->code == "012345");
  CHECK(*api::decode_verify(api::encode(*v)) == *v);
  check_error(api::decode_verify("{}"), ErrorCode::invalid_request, "code");
  check_error(api::decode_verify(R"({"code":12345})"), ErrorCode::invalid_request, "code");
  check_error(api::decode_verify(R"({"code":"12345"})"), ErrorCode::invalid_request, "code");
  check_error(api::decode_verify(R"({"code":"12 345"})"), ErrorCode::invalid_request, "code");

  api::VerifyResponse vr;
  vr.verified_at = "2026-11-24T20:18:52.123Z";
  CHECK(json::parse(api::encode(vr)) == json{{"verified", true}, {"verifiedAt", vr.verified_at}});
  CHECK(*api::decode_verify_response(api::encode(vr)) == vr);
  check_error(api::decode_verify_response(R"({"verified":"yes","verifiedAt":"x"})"), ErrorCode::invalid_request,
              "verified");
}

TEST_CASE("encode replaces invalid UTF-8 instead of failing") {
  api::PostMessageRequest r;
  r.text = "bad \xC3 byte";
  const std::string body = api::encode(r);
  CHECK(body.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(api::decode_post_message(body).ok());
}

TEST_CASE("a JSON body followed by a NUL and garbage is refused by every decoder of the chat") {
  const std::string body("{\"text\":\"hi\",\"name\":\"x\",\"code\":\"123456\"}\0garbage", 48);
  REQUIRE(body[40] == '\0');
  check_error(api::decode_post_message(body), ErrorCode::invalid_json);
  check_error(api::decode_create_session(body), ErrorCode::invalid_json);
  check_error(api::decode_verify(body), ErrorCode::invalid_json);
  check_error(api::decode_phone(body, "fr"), ErrorCode::invalid_json);
  // The same body without the NUL and what follows decodes.
  CHECK(api::decode_post_message(body.substr(0, 40)).ok());
  // A NUL escaped inside a string is JSON, and stays refused by the text rules only.
  CHECK(api::decode_create_session(R"({"lang":"fr","x":"a\u0000b"})").ok());
  CHECK_FALSE(chat::decode_error(std::string("{\"error\":{\"code\":\"rate_limited\",\"message\":\"m\"}}\0x", 49)));
}
