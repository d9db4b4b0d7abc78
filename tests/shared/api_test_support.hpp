#pragma once
// What the tests of chat/api/ share: a decode's error, the body shapes every decoder
// refuses, a JSON object with one key more or less.

#include <catch2/catch.hpp>

#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "chat/error.hpp"

namespace api_test {

using chat::ErrorCode;
using nlohmann::json;

/// Checks a decode failed with `code` and, when given, that its message names `field`.
template <class R>
void check_error(const R& result, ErrorCode code, const char* field = nullptr) {
  REQUIRE_FALSE(result.ok());
  CHECK(chat::to_string(result.error().code) == chat::to_string(code));
  if (field != nullptr) {
    CHECK_THAT(result.error().message, Catch::Contains(std::string("\"") + field + "\""));
  }
}

/// Every decoder refuses non-JSON and non-objects the same way.
template <class F>
void check_body_shape(F decode) {
  check_error(decode(""), ErrorCode::invalid_json);
  check_error(decode("{"), ErrorCode::invalid_json);
  check_error(decode("{\"a\":1} x"), ErrorCode::invalid_json);
  check_error(decode("\"\xff\""), ErrorCode::invalid_json);  // invalid UTF-8 inside JSON
  check_error(decode("[]"), ErrorCode::invalid_request);
  check_error(decode("null"), ErrorCode::invalid_request);
  check_error(decode("42"), ErrorCode::invalid_request);
  // A NUL ends the input for nlohmann's lexer: what follows it must not be ignored.
  check_error(decode(std::string("{\"text\":\"hi\"}\0garbage", 21)), ErrorCode::invalid_json);
  check_error(decode(std::string("{}\0", 3)), ErrorCode::invalid_json);
}

inline std::string with(json j, const char* key, json value) {
  j[key] = std::move(value);
  return j.dump();
}
inline std::string without(json j, const char* key) {
  j.erase(key);
  return j.dump();
}

}  // namespace api_test
