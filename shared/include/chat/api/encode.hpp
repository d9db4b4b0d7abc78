#pragma once
/// \file What every body of chat/api/ shares: `encode`, from a value to its JSON text.
/// The bodies are grouped by who speaks them (docs/design.md#shapes): chat.hpp (the
/// visitor's chat), agent_admin.hpp (the agent server's admin API), restaurant_admin.hpp
/// (the proxy's admin API). Their decoders are strict (a JSON object, known keys with the
/// right types, required ones present) and never throw; their encoders write camelCase.
///
/// decode_* take the raw body: invalid_json when it does not parse, invalid_request
/// (naming the field) for a missing field or a wrong type, and the validation errors
/// of chat/validation.hpp for values out of range. Unknown keys are ignored.

#include <string>

#include <nlohmann/json.hpp>

namespace chat::api {

/// Serialises any type of chat/api/ (or Message, Session, Error) to a compact JSON string.
/// Invalid UTF-8 is replaced, never thrown on.
template <class T>
std::string encode(const T& value) {
  nlohmann::json j;
  to_json(j, value);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chat::api
