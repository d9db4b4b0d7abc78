#include "api_common.hpp"

#include "chat/languages.hpp"
#include "chat/validation.hpp"

namespace chat::api {
namespace {

constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxPromptChars = 8000;

}  // namespace

/// Parses the body and checks it is an object; the error otherwise.
Result<Json> parse_object(std::string_view body) {
  auto j = detail::parse_json(body);
  if (!j) return ErrorCode::invalid_json;
  if (!j->is_object()) return detail::not_an_object();
  return std::move(*j);
}

std::optional<Error> check_name(const char* key, std::string& name) {
  name = std::string(trim(name));
  if (name.empty()) return detail::field_invalid(key, "must not be empty.");
  if (utf8_length(name) > kMaxNameChars) return detail::field_invalid(key, "is over 200 characters.");
  return std::nullopt;
}

std::optional<Error> check_prompt(const char* key, const std::optional<std::string>& text) {
  if (text && utf8_length(*text) > kMaxPromptChars) {
    return detail::field_invalid(key, "is over 8000 characters.");
  }
  return std::nullopt;
}

std::optional<Error> check_lang(const std::optional<std::string>& lang) {
  if (lang && !is_supported_lang(*lang))
    return detail::field_invalid("lang", CHAT_ERROR_MESSAGE("must be " + lang_codes_text() + "."));
  return std::nullopt;
}

/// The first error of several checks, in order.
std::optional<Error> first(std::initializer_list<std::optional<Error>> checks) {
  for (const auto& c : checks) {
    if (c) return c;
  }
  return std::nullopt;
}

}  // namespace chat::api
