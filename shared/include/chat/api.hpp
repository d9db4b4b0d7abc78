#pragma once
/// \file The request and response bodies of every route (docs/design.md#shapes), with strict
/// decoders (a JSON object, known keys with the right types, required ones present)
/// that never throw and encoders to camelCase JSON.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/error.hpp"
#include "chat/message.hpp"

namespace chat::api {

// ---- Agent server: chat API ---------------------------------------------------

/// POST /api/chat/sessions
struct CreateSessionRequest {
  std::optional<std::string> visitor_id;  ///< validated with is_valid_visitor_id
  std::optional<std::string> lang;        ///< "fr" or "en"

  friend bool operator==(const CreateSessionRequest& a, const CreateSessionRequest& b) {
    return a.visitor_id == b.visitor_id && a.lang == b.lang;
  }
  friend bool operator!=(const CreateSessionRequest& a, const CreateSessionRequest& b) { return !(a == b); }
};
// -> 201 Session (chat/message.hpp)

/// POST /api/chat/sessions/:id/messages -> 202 Message
struct PostMessageRequest {
  std::string text;  ///< validated and trimmed by validate_message_text
  /// The id the client gives its message (a UUID), so that sending it again after
  /// a lost answer stores it once: the server answers 200 with the stored one.
  std::optional<std::string> id;

  friend bool operator==(const PostMessageRequest& a, const PostMessageRequest& b) {
    return a.text == b.text && a.id == b.id;
  }
  friend bool operator!=(const PostMessageRequest& a, const PostMessageRequest& b) { return !(a == b); }
};

/// POST /api/chat/sessions/:id/phone -> 202 PhoneResponse
struct PhoneRequest {
  std::string phone;  ///< normalised to E.164 by normalize_phone

  friend bool operator==(const PhoneRequest& a, const PhoneRequest& b) { return a.phone == b.phone; }
  friend bool operator!=(const PhoneRequest& a, const PhoneRequest& b) { return !(a == b); }
};
struct PhoneResponse {
  std::string phone;     ///< the normalised number the code went to, masked but the last 2 digits
  int expires_in = 600;  ///< seconds the code stays valid
  int sends_left = 0;    ///< codes that may still be sent this hour

  friend bool operator==(const PhoneResponse& a, const PhoneResponse& b) {
    return a.phone == b.phone && a.expires_in == b.expires_in && a.sends_left == b.sends_left;
  }
  friend bool operator!=(const PhoneResponse& a, const PhoneResponse& b) { return !(a == b); }
};

/// POST /api/chat/sessions/:id/verify -> 200 VerifyResponse
struct VerifyRequest {
  std::string code;  ///< six digits

  friend bool operator==(const VerifyRequest& a, const VerifyRequest& b) { return a.code == b.code; }
  friend bool operator!=(const VerifyRequest& a, const VerifyRequest& b) { return !(a == b); }
};
struct VerifyResponse {
  bool verified = true;
  std::string verified_at;

  friend bool operator==(const VerifyResponse& a, const VerifyResponse& b) {
    return a.verified == b.verified && a.verified_at == b.verified_at;
  }
  friend bool operator!=(const VerifyResponse& a, const VerifyResponse& b) { return !(a == b); }
};

// ---- Agent server: admin API ---------------------------------------------------

/// An agent as the admin API returns it, tokens included.
struct Agent {
  std::string id;
  std::string name;
  std::string prompt;
  bool chat_enabled = true;
  std::string chat_model = "local";
  std::string chat_prompt_extra;
  bool chat_phone_required = false;
  std::string api_token;
  std::string public_token;
  std::string created_at;
  std::string timezone = "Europe/Paris";  ///< IANA zone of the restaurant's clock
  /// The widget's first words: nullopt (JSON null) for the default of the session's
  /// language, "" for none.
  std::optional<std::string> chat_greeting;
  /// Short questions shown as buttons: nullopt (JSON null) for the defaults of the
  /// session's language, empty for none.
  std::optional<std::vector<std::string>> chat_suggestions;
  /// The sites whose pages may call the chat straight from the browser with the
  /// publicToken (direct mode), normalised (normalize_origin); empty: direct mode off.
  std::vector<std::string> chat_allowed_origins;

  friend bool operator==(const Agent& a, const Agent& b) {
    return a.id == b.id && a.name == b.name && a.prompt == b.prompt && a.chat_enabled == b.chat_enabled &&
           a.chat_model == b.chat_model && a.chat_prompt_extra == b.chat_prompt_extra &&
           a.chat_phone_required == b.chat_phone_required && a.api_token == b.api_token &&
           a.public_token == b.public_token && a.created_at == b.created_at && a.timezone == b.timezone &&
           a.chat_greeting == b.chat_greeting && a.chat_suggestions == b.chat_suggestions &&
           a.chat_allowed_origins == b.chat_allowed_origins;
  }
  friend bool operator!=(const Agent& a, const Agent& b) { return !(a == b); }
};

/// What the site (the proxy's provisioning and backfill) reads of an agent: its id and
/// its tokens, nothing else. Any agent server's shape is accepted as long as these are
/// there: an `id` string or integer (kept as its decimal text), an `apiToken`, and a
/// `publicToken` when the agent server has chat-scoped tokens. Every other key is ignored.
struct AgentTokens {
  std::string id;
  std::string api_token;                    ///< may be empty when a publicToken is given
  std::optional<std::string> public_token;  ///< absent, null or "" when the agent server has none

  /// The token the site stores and injects: the chat-scoped one when there is one.
  const std::string& site_token() const { return public_token ? *public_token : api_token; }

  friend bool operator==(const AgentTokens& a, const AgentTokens& b) {
    return a.id == b.id && a.api_token == b.api_token && a.public_token == b.public_token;
  }
  friend bool operator!=(const AgentTokens& a, const AgentTokens& b) { return !(a == b); }
};

/// POST /api/agents -> 201 Agent
struct CreateAgentRequest {
  std::string name;
  std::optional<std::string> prompt;
  std::optional<bool> chat_enabled;
  std::optional<std::string> chat_model;
  std::optional<std::string> chat_prompt_extra;
  std::optional<bool> chat_phone_required;
  std::optional<std::string> timezone;  ///< the name only; the agent server checks the zone exists
  std::optional<std::string> chat_greeting;
  std::optional<std::vector<std::string>> chat_suggestions;
  std::optional<std::vector<std::string>> chat_allowed_origins;  ///< normalised, duplicates removed

  friend bool operator==(const CreateAgentRequest& a, const CreateAgentRequest& b) {
    return a.name == b.name && a.prompt == b.prompt && a.chat_enabled == b.chat_enabled &&
           a.chat_model == b.chat_model && a.chat_prompt_extra == b.chat_prompt_extra &&
           a.chat_phone_required == b.chat_phone_required && a.timezone == b.timezone &&
           a.chat_greeting == b.chat_greeting && a.chat_suggestions == b.chat_suggestions &&
           a.chat_allowed_origins == b.chat_allowed_origins;
  }
  friend bool operator!=(const CreateAgentRequest& a, const CreateAgentRequest& b) { return !(a == b); }
};

/// PATCH /api/agents/:id -> 200 Agent (every field optional)
struct PatchAgentRequest {
  std::optional<std::string> name;
  std::optional<std::string> prompt;
  std::optional<bool> chat_enabled;
  std::optional<std::string> chat_model;
  std::optional<std::string> chat_prompt_extra;
  std::optional<bool> chat_phone_required;
  std::optional<std::string> timezone;
  /// Absent: unchanged; present and null (inner nullopt): back to the default.
  std::optional<std::optional<std::string>> chat_greeting;
  std::optional<std::optional<std::vector<std::string>>> chat_suggestions;
  /// Absent: unchanged; null or []: direct mode off.
  std::optional<std::vector<std::string>> chat_allowed_origins;

  friend bool operator==(const PatchAgentRequest& a, const PatchAgentRequest& b) {
    return a.name == b.name && a.prompt == b.prompt && a.chat_enabled == b.chat_enabled &&
           a.chat_model == b.chat_model && a.chat_prompt_extra == b.chat_prompt_extra &&
           a.chat_phone_required == b.chat_phone_required && a.timezone == b.timezone &&
           a.chat_greeting == b.chat_greeting && a.chat_suggestions == b.chat_suggestions &&
           a.chat_allowed_origins == b.chat_allowed_origins;
  }
  friend bool operator!=(const PatchAgentRequest& a, const PatchAgentRequest& b) { return !(a == b); }
};

// ---- Proxy: admin API ------------------------------------------------------------

/// POST /api/restaurants -> 201 Restaurant
struct CreateRestaurantRequest {
  std::string name;
  std::optional<std::string> lang;      ///< "fr" (default) or "en"
  std::optional<std::string> position;  ///< "bottom-right" (default) or "bottom-left"
  std::optional<std::string> prompt;    ///< the agent's prompt: hours, address, menu...

  friend bool operator==(const CreateRestaurantRequest& a, const CreateRestaurantRequest& b) {
    return a.name == b.name && a.lang == b.lang && a.position == b.position && a.prompt == b.prompt;
  }
  friend bool operator!=(const CreateRestaurantRequest& a, const CreateRestaurantRequest& b) { return !(a == b); }
};
/// A restaurant as the proxy's admin API returns it: never with its token.
struct Restaurant {
  std::string id;
  std::string name;
  std::optional<std::string> agent_id;
  std::string lang = "fr";
  std::string position = "bottom-right";

  friend bool operator==(const Restaurant& a, const Restaurant& b) {
    return a.id == b.id && a.name == b.name && a.agent_id == b.agent_id && a.lang == b.lang &&
           a.position == b.position;
  }
  friend bool operator!=(const Restaurant& a, const Restaurant& b) { return !(a == b); }
};

/// PATCH /api/restaurants -> 200 Restaurant
struct PatchRestaurantRequest {
  std::string id;
  std::string agent_api_token;

  friend bool operator==(const PatchRestaurantRequest& a, const PatchRestaurantRequest& b) {
    return a.id == b.id && a.agent_api_token == b.agent_api_token;
  }
  friend bool operator!=(const PatchRestaurantRequest& a, const PatchRestaurantRequest& b) { return !(a == b); }
};

// ---- Codecs ----------------------------------------------------------------------
// decode_* take the raw body: invalid_json when it does not parse, invalid_request
// (naming the field) for a missing field or a wrong type, and the validation errors
// of chat/validation.hpp for values out of range. Unknown keys are ignored.

Result<CreateSessionRequest> decode_create_session(std::string_view body);
Result<PostMessageRequest> decode_post_message(std::string_view body);
Result<PhoneRequest> decode_phone(std::string_view body, std::string_view lang);
Result<VerifyRequest> decode_verify(std::string_view body);
Result<CreateAgentRequest> decode_create_agent(std::string_view body);
Result<PatchAgentRequest> decode_patch_agent(std::string_view body);
Result<CreateRestaurantRequest> decode_create_restaurant(std::string_view body);
Result<PatchRestaurantRequest> decode_patch_restaurant(std::string_view body);

// Responses decoded by clients (the proxy, the widget, tests).
Result<Session> decode_session(std::string_view body);
Result<Message> decode_message(std::string_view body);
Result<Agent> decode_agent(std::string_view body);
/// The lenient reading of an agent for the site (see AgentTokens): invalid_request when
/// the id or every token is missing, or a token is not 1 to 128 printable ASCII bytes.
Result<AgentTokens> decode_agent_tokens(std::string_view body);
Result<Restaurant> decode_restaurant(std::string_view body);
Result<PhoneResponse> decode_phone_response(std::string_view body);
Result<VerifyResponse> decode_verify_response(std::string_view body);

void to_json(nlohmann::json& j, const CreateSessionRequest& v);
void to_json(nlohmann::json& j, const PostMessageRequest& v);
void to_json(nlohmann::json& j, const PhoneRequest& v);
void to_json(nlohmann::json& j, const PhoneResponse& v);
void to_json(nlohmann::json& j, const VerifyRequest& v);
void to_json(nlohmann::json& j, const VerifyResponse& v);
void to_json(nlohmann::json& j, const Agent& v);
void to_json(nlohmann::json& j, const CreateAgentRequest& v);
void to_json(nlohmann::json& j, const PatchAgentRequest& v);
void to_json(nlohmann::json& j, const CreateRestaurantRequest& v);
void to_json(nlohmann::json& j, const Restaurant& v);
void to_json(nlohmann::json& j, const PatchRestaurantRequest& v);

/// Serialises any type above (or Message, Session, Error) to a compact JSON string.
/// Invalid UTF-8 is replaced, never thrown on.
template <class T>
std::string encode(const T& value) {
  nlohmann::json j;
  to_json(j, value);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace chat::api
