#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "chat/error.hpp"
#include "chat/languages.hpp"

using chat::Error;
using chat::ErrorCode;

namespace {
constexpr int kLastCode = static_cast<int>(ErrorCode::upstream_timeout);
}

TEST_CASE("every error code round-trips through its wire name") {
  for (int i = 0; i <= kLastCode; ++i) {
    const auto code = static_cast<ErrorCode>(i);
    const auto name = chat::to_string(code);
    INFO("code " << i << " = " << name);
    CHECK_FALSE(name.empty());
    CHECK(chat::error_code_from_string(name) == code);
    CHECK_FALSE(chat::default_message(code).empty());
    const int status = chat::http_status(code);
    CHECK(status >= 400);
    CHECK(status <= 504);
  }
  CHECK_FALSE(chat::error_code_from_string("no_such_code").has_value());
  CHECK_FALSE(chat::error_code_from_string("").has_value());
  CHECK_FALSE(chat::error_code_from_string("INVALID_JSON").has_value());
}

TEST_CASE("wire names are the snake_case of the enum") {
  CHECK(chat::to_string(ErrorCode::invalid_json) == "invalid_json");
  CHECK(chat::to_string(ErrorCode::phone_verification_required) == "phone_verification_required");
  CHECK(chat::to_string(ErrorCode::upstream_timeout) == "upstream_timeout");
}

TEST_CASE("http statuses follow the table of error.hpp") {
  CHECK(chat::http_status(ErrorCode::invalid_json) == 400);
  CHECK(chat::http_status(ErrorCode::invalid_request) == 400);
  CHECK(chat::http_status(ErrorCode::invalid_path) == 400);
  CHECK(chat::http_status(ErrorCode::unauthorized) == 401);
  CHECK(chat::http_status(ErrorCode::forbidden) == 403);
  CHECK(chat::http_status(ErrorCode::chat_disabled) == 403);
  CHECK(chat::http_status(ErrorCode::phone_verification_required) == 403);
  CHECK(chat::http_status(ErrorCode::not_found) == 404);
  CHECK(chat::http_status(ErrorCode::session_not_found) == 404);
  CHECK(chat::http_status(ErrorCode::agent_not_found) == 404);
  CHECK(chat::http_status(ErrorCode::restaurant_not_found) == 404);
  CHECK(chat::http_status(ErrorCode::method_not_allowed) == 405);
  CHECK(chat::http_status(ErrorCode::already_verified) == 409);
  CHECK(chat::http_status(ErrorCode::code_expired) == 400);
  CHECK(chat::http_status(ErrorCode::invalid_code) == 400);
  CHECK(chat::http_status(ErrorCode::no_code_pending) == 409);
  CHECK(chat::http_status(ErrorCode::payload_too_large) == 413);
  CHECK(chat::http_status(ErrorCode::unsupported_media_type) == 415);
  CHECK(chat::http_status(ErrorCode::message_empty) == 422);
  CHECK(chat::http_status(ErrorCode::message_too_long) == 422);
  CHECK(chat::http_status(ErrorCode::invalid_utf8) == 422);
  CHECK(chat::http_status(ErrorCode::invalid_phone) == 422);
  CHECK(chat::http_status(ErrorCode::invalid_visitor_id) == 422);
  CHECK(chat::http_status(ErrorCode::reply_in_progress) == 429);
  CHECK(chat::http_status(ErrorCode::rate_limited) == 429);
  CHECK(chat::http_status(ErrorCode::too_many_attempts) == 429);
  CHECK(chat::http_status(ErrorCode::internal_error) == 500);
  CHECK(chat::http_status(ErrorCode::upstream_error) == 502);
  CHECK(chat::http_status(ErrorCode::model_error) == 502);
  CHECK(chat::http_status(ErrorCode::model_unavailable) == 503);
  CHECK(chat::http_status(ErrorCode::chat_unavailable) == 503);
  CHECK(chat::http_status(ErrorCode::server_busy) == 503);
  CHECK(chat::http_status(ErrorCode::database_unavailable) == 503);
  CHECK(chat::to_string(ErrorCode::database_unavailable) == "database_unavailable");
  CHECK(chat::http_status(ErrorCode::upstream_timeout) == 504);
  CHECK(Error(ErrorCode::rate_limited).status() == 429);
}

TEST_CASE("every code has a short message for visitors in every language") {
  for (int i = 0; i <= kLastCode; ++i) {
    const auto code = static_cast<ErrorCode>(i);
    INFO("code " << chat::to_string(code));
    for (auto lang : chat::kLangCodes) {
      INFO(lang);
      const auto text = chat::localized_message(code, lang);
      CHECK_FALSE(text.empty());
      CHECK(text.size() <= 120);
      if (lang != "en") CHECK(text != chat::default_message(code));
    }
  }
  CHECK(chat::localized_message(ErrorCode::model_unavailable, "it") ==
        "L'assistente non è disponibile al momento.");
  CHECK(chat::localized_message(ErrorCode::model_error, "it-CH") ==
        chat::localized_message(ErrorCode::model_error, "it"));
}

TEST_CASE("every code has a short French and English message for visitors") {
  for (int i = 0; i <= kLastCode; ++i) {
    const auto code = static_cast<ErrorCode>(i);
    INFO("code " << chat::to_string(code));
    const auto fr = chat::localized_message(code, "fr");
    const auto en = chat::localized_message(code, "en");
    CHECK_FALSE(fr.empty());
    CHECK(en == chat::default_message(code));
    CHECK(fr != en);
    CHECK(fr.size() <= 120);
    CHECK(en.size() <= 120);
  }
  CHECK(chat::to_string(ErrorCode::model_unavailable) == "model_unavailable");
  CHECK(chat::localized_message(ErrorCode::model_unavailable, "fr") ==
        "L'assistant n'est pas disponible pour le moment.");
  CHECK(chat::localized_message(ErrorCode::model_unavailable, "en") ==
        "The assistant is not available right now.");
  // Regions count as their language; anything else reads English.
  CHECK(chat::localized_message(ErrorCode::model_error, "fr-CA") ==
        chat::localized_message(ErrorCode::model_error, "fr"));
  CHECK(chat::localized_message(ErrorCode::model_error, "FR") ==
        chat::localized_message(ErrorCode::model_error, "fr"));
  CHECK(chat::localized_message(ErrorCode::model_error, "en-GB") == chat::default_message(ErrorCode::model_error));
  CHECK(chat::localized_message(ErrorCode::model_error, "") == chat::default_message(ErrorCode::model_error));
  CHECK(chat::localized_message(ErrorCode::model_error, "fra") == chat::default_message(ErrorCode::model_error));

  CHECK(chat::localized_message(ErrorCode::model_error, "de") == chat::default_message(ErrorCode::model_error));
  const auto e = Error::localized(ErrorCode::upstream_timeout, "fr");
  CHECK(e.code == ErrorCode::upstream_timeout);
  CHECK(e.message == "Le service de chat a mis trop de temps à répondre.");
}

TEST_CASE("an out-of-range code reads as internal_error, not past the table") {
  const auto garbage = static_cast<ErrorCode>(1000);
  CHECK(chat::to_string(garbage) == "internal_error");
  CHECK(chat::http_status(garbage) == 500);
}

TEST_CASE("the error body has the one shape of docs/design.md") {
  SECTION("code and message only") {
    const Error e(ErrorCode::session_not_found, "No such chat session.");
    CHECK(e.body() == R"({"error":{"code":"session_not_found","message":"No such chat session."}})");
  }
  SECTION("attemptsLeft and retryAfter when set") {
    Error e(ErrorCode::invalid_code, "Wrong code.");
    e.attempts_left = 2;
    e.retry_after = 30;
    const auto j = nlohmann::json::parse(e.body());
    CHECK(j["error"]["code"] == "invalid_code");
    CHECK(j["error"]["message"] == "Wrong code.");
    CHECK(j["error"]["attemptsLeft"] == 2);
    CHECK(j["error"]["retryAfter"] == 30);
    CHECK(j["error"].size() == 4);
  }
  SECTION("the code-only constructor takes the default message") {
    const Error e(ErrorCode::message_too_long);
    CHECK(e.message == chat::default_message(ErrorCode::message_too_long));
  }
  SECTION("invalid UTF-8 in a message is replaced, not thrown on") {
    const Error e(ErrorCode::invalid_request, std::string("bad \xff byte"));
    const auto body = e.body();
    CHECK(body.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
    CHECK(chat::decode_error(body).has_value());
  }
}

TEST_CASE("decode_error inverts body()") {
  Error e(ErrorCode::rate_limited, "Slow down.");
  e.retry_after = 12;
  const auto back = chat::decode_error(e.body());
  REQUIRE(back.has_value());
  CHECK(*back == e);

  for (int i = 0; i <= kLastCode; ++i) {
    const Error plain(static_cast<ErrorCode>(i));
    const auto decoded = chat::decode_error(plain.body());
    REQUIRE(decoded.has_value());
    CHECK(*decoded == plain);
  }
}

TEST_CASE("decode_error is lenient with codes and strict with shape") {
  const auto unknown = chat::decode_error(R"({"error":{"code":"brand_new","message":"hi"}})");
  REQUIRE(unknown.has_value());
  CHECK(unknown->code == ErrorCode::internal_error);
  CHECK(unknown->message == "hi");

  const auto no_message = chat::decode_error(R"({"error":{"code":"not_found"}})");
  REQUIRE(no_message.has_value());
  CHECK(no_message->message == chat::default_message(ErrorCode::not_found));

  const auto bad_counts = chat::decode_error(
      R"({"error":{"code":"invalid_code","attemptsLeft":"2","retryAfter":1e99}})");
  REQUIRE(bad_counts.has_value());
  CHECK_FALSE(bad_counts->attempts_left.has_value());
  CHECK_FALSE(bad_counts->retry_after.has_value());

  CHECK_FALSE(chat::decode_error("").has_value());
  CHECK_FALSE(chat::decode_error("not json").has_value());
  CHECK_FALSE(chat::decode_error("[]").has_value());
  CHECK_FALSE(chat::decode_error(R"({"error":"x"})").has_value());
  CHECK_FALSE(chat::decode_error(R"({"error":{"code":5}})").has_value());
  CHECK_FALSE(chat::decode_error(R"({"code":"not_found"})").has_value());
}

TEST_CASE("Result holds a value or an error") {
  chat::Result<int> good = 42;
  REQUIRE(good.ok());
  CHECK(*good == 42);
  chat::Result<int> bad = ErrorCode::not_found;
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::not_found);
  chat::Result<void> fine;
  CHECK(fine.ok());
  chat::Result<void> failed = Error(ErrorCode::forbidden, "no");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message == "no");
}
