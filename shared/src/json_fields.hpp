#pragma once
// Typed, non-throwing field access for the strict decoders. Every accessor checks
// the JSON type first, so the code stays correct under JSON_NOEXCEPTION (where a
// type error would abort instead of throw).
//
// The decoders read `detail::json`: nlohmann's DOM natively (the servers), our small
// JsonValue in the WASM widget (nlohmann's DOM costs its module ~4 KB gzipped) or
// wherever CHAT_JSON_SMALL is defined (json_dom_test builds the decoders both ways).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chat/error.hpp"
#include "chat/message.hpp"
#include "error_message.hpp"
#include "json_reader.hpp"

#if defined(__EMSCRIPTEN__) && !defined(CHAT_JSON_SMALL)
#define CHAT_JSON_SMALL 1
#endif

namespace chat::detail {

#ifdef CHAT_JSON_SMALL
using json = JsonValue;
#else
using json = nlohmann::json;
#endif

/// Parses a body without exceptions; nullopt when it is not JSON.
inline std::optional<json> parse_json(std::string_view text) {
  // nlohmann's lexer reads a NUL byte as the end of the input, so `{"a":1}\0garbage`
  // would parse as `{"a":1}`. A NUL is never valid JSON (not even inside a string,
  // where control characters must be escaped): refuse the whole body.
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
#ifdef CHAT_JSON_SMALL
  // The widget's module: nlohmann's parser would bring libc's strtod and printf.
  return read_json(text);
#else
  // json::parse compiles its parser twice (with and without a callback); driving the
  // DOM builder directly compiles it once.
  json result;
  nlohmann::detail::json_sax_dom_parser<json> sax(result, false);
  auto input = nlohmann::detail::input_adapter(text.data(), text.data() + text.size());
  // NOLINTNEXTLINE(performance-move-const-arg): the parser takes its input by rvalue reference.
  nlohmann::detail::parser<json, decltype(input)> parser(std::move(input), nullptr, false, false);
  if (!parser.sax_parse(&sax, true) || sax.is_errored()) return std::nullopt;
  return result;
#endif
}

/// The inner object of an error body (`{"code","message",...}`); nullopt when it is not one.
std::optional<Error> error_from_object(const json& inner);
/// message_from_json and its kin (chat/message.hpp) on `json`.
Result<Message> message_from(const json& j);
Result<ReplyStatus> reply_status_from(const json& j);
Result<Session> session_from(const json& j);

inline Error field_missing([[maybe_unused]] std::string_view key) {
  return Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("\"" + std::string(key) + "\" is required."));
}
inline Error field_type([[maybe_unused]] std::string_view key, [[maybe_unused]] std::string_view type) {
  return Error(ErrorCode::invalid_request,
               CHAT_ERROR_MESSAGE("\"" + std::string(key) + "\" must be " + std::string(type) + "."));
}
inline Error field_invalid([[maybe_unused]] std::string_view key, [[maybe_unused]] std::string_view why) {
  return Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("\"" + std::string(key) + "\" " + std::string(why)));
}

/// Reads object fields into plain values; the first problem is kept in error().
/// Optional fields treat `null` like an absent key (what JSON.stringify makes of a
/// cleared value).
class Fields {
 public:
  explicit Fields(const json& obj) : obj_(obj) {}

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  void required(const char* key, std::string& out) {
    if (const json* v = find_required(key)) take(key, *v, out);
  }
  void required(const char* key, bool& out) {
    if (const json* v = find_required(key)) take(key, *v, out);
  }
  void required(const char* key, std::int64_t& out) {
    if (const json* v = find_required(key)) take(key, *v, out);
  }
  void required(const char* key, int& out) {
    if (const json* v = find_required(key)) take(key, *v, out);
  }
  template <class T>
  void optional(const char* key, std::optional<T>& out) {
    const json* v = find(key);
    if (v == nullptr || v->is_null()) return;
    T value{};
    if (take(key, *v, value)) out = std::move(value);
  }
  /// A required array; nullptr (and an error) when absent or not an array.
  const json* array(const char* key) {
    const json* v = find_required(key);
    if (v != nullptr && !v->is_array()) {
      fail(field_type(key, "an array"));
      return nullptr;
    }
    return v;
  }
  /// Keeps the first error; returns false so callers can `return fail(...)`.
  bool fail(Error e) {
    if (!error_) error_ = std::move(e);
    return false;
  }

 private:
  const json* find(const char* key) const {
    const auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }
  const json* find_required(const char* key) {
    if (error_) return nullptr;
    const json* v = find(key);
    if (v == nullptr) fail(field_missing(key));
    return v;
  }
  bool take(const char* key, const json& v, std::string& out) {
    if (!v.is_string()) return fail(field_type(key, "a string"));
    out = v.get_ref<const std::string&>();
    return true;
  }
  bool take(const char* key, const json& v, bool& out) {
    if (!v.is_boolean()) return fail(field_type(key, "true or false"));
    out = v.get_ref<const json::boolean_t&>();
    return true;
  }
  bool take(const char* key, const json& v, std::int64_t& out) {
    if (v.is_number_unsigned()) {
      const auto u = v.get_ref<const json::number_unsigned_t&>();
      if (u > static_cast<json::number_unsigned_t>(INT64_MAX)) {
        return fail(field_type(key, "a smaller integer"));
      }
      out = static_cast<std::int64_t>(u);
      return true;
    }
    if (!v.is_number_integer()) return fail(field_type(key, "an integer"));
    out = v.get_ref<const json::number_integer_t&>();
    return true;
  }
  bool take(const char* key, const json& v, int& out) {
    std::int64_t wide = 0;
    if (!take(key, v, wide)) return false;
    if (wide < INT32_MIN || wide > INT32_MAX) return fail(field_type(key, "a smaller integer"));
    out = static_cast<int>(wide);
    return true;
  }

  const json& obj_;
  std::optional<Error> error_;
};

inline Error not_an_object() {
  return Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("The body must be a JSON object."));
}

}  // namespace chat::detail
