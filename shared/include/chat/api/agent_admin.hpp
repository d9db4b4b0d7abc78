#pragma once
/// \file The bodies of the agent server's admin API, /api/agents and below
/// (docs/design.md#shapes), with their strict decoders and their encoders (encode.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat/api/encode.hpp"
#include "chat/error.hpp"

namespace chat::api {

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

// ---- Codecs (their errors: chat/api/encode.hpp) ----------------------------------

Result<CreateAgentRequest> decode_create_agent(std::string_view body);
Result<PatchAgentRequest> decode_patch_agent(std::string_view body);

// Responses decoded by clients (the proxy, tests).
Result<Agent> decode_agent(std::string_view body);
/// The lenient reading of an agent for the site (see AgentTokens): invalid_request when
/// the id or every token is missing, or a token is not 1 to 128 printable ASCII bytes.
Result<AgentTokens> decode_agent_tokens(std::string_view body);

void to_json(nlohmann::json& j, const Agent& v);
void to_json(nlohmann::json& j, const CreateAgentRequest& v);
void to_json(nlohmann::json& j, const PatchAgentRequest& v);

}  // namespace chat::api
