#pragma once
// What the codecs of chat/api/ share (api_chat.cpp, api_agent_admin.cpp,
// api_restaurant_admin.cpp): a body read as an object, the checks that bodies of more
// than one group make, the encoders' helper. Internal to the library.

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chat/error.hpp"
#include "json_fields.hpp"

namespace chat::api {

using Json = detail::json;  // what the decoders read; the encoders write nlohmann::json

constexpr std::size_t kMaxRestaurantIdChars = 128;
constexpr std::size_t kMaxTokenChars = 128;  // restaurants.agent_api_token VARCHAR(128)

/// Parses the body and checks it is an object; the error otherwise.
Result<Json> parse_object(std::string_view body);
/// Trims `name` in place: 1 to 200 characters.
std::optional<Error> check_name(const char* key, std::string& name);
/// At most 8000 characters, when present.
std::optional<Error> check_prompt(const char* key, const std::optional<std::string>& text);
/// A supported language, when present.
std::optional<Error> check_lang(const std::optional<std::string>& lang);
/// The first error of several checks, in order.
std::optional<Error> first(std::initializer_list<std::optional<Error>> checks);

template <class T>
void put_optional(nlohmann::json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

}  // namespace chat::api
