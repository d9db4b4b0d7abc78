#include <catch2/catch.hpp>

#include "chat/api/chat.hpp"
#include "json_body.hpp"

using widget::json_object;

TEST_CASE("flat string objects, escaped") {
  CHECK(json_object({}) == "{}");
  CHECK(json_object({{"code", "123456"}}) == R"({"code":"123456"})");
  CHECK(json_object({{"lang", "fr"}, {"visitorId", "abc"}}) == R"({"lang":"fr","visitorId":"abc"})");
  CHECK(json_object({{"text", "a\"b\\c\nd\te\x01"}}) == R"({"text":"a\"b\\c\nd\te\u0001"})");
}

TEST_CASE("the servers' decoders read what the widget writes") {
  const std::string tricky = "Une table \"près\" de la fenêtre ?\n\\ merci\t🙂";
  auto message = chat::api::decode_post_message(json_object({{"text", tricky}}));
  REQUIRE(message.ok());
  CHECK(message->text == tricky);

  auto phone = chat::api::decode_phone(json_object({{"phone", "+33612345678"}}), "fr");
  REQUIRE(phone.ok());
  CHECK(phone->phone == "+33612345678");

  auto verify = chat::api::decode_verify(json_object({{"code", "123456"}}));
  REQUIRE(verify.ok());
  CHECK(verify->code == "123456");

  auto session = chat::api::decode_create_session(
      json_object({{"lang", "en"}, {"visitorId", "AbCdEfGhIjKlMnOpQrStUvWx"}}));
  REQUIRE(session.ok());
  CHECK(session->lang == std::optional<std::string>("en"));
  CHECK(session->visitor_id == std::optional<std::string>("AbCdEfGhIjKlMnOpQrStUvWx"));
}
