#include "chat/api.hpp"

#include <algorithm>

#include "chat/languages.hpp"
#include "chat/validation.hpp"
#include "json_fields.hpp"

namespace chat::api {
namespace {

using detail::Fields;
using nlohmann::json;  // the encoders'; the decoders read Json
using Json = detail::json;

constexpr std::size_t kMaxNameChars = 200;
constexpr std::size_t kMaxPromptChars = 8000;
constexpr std::size_t kMaxModelChars = 100;
constexpr std::size_t kMaxRestaurantIdChars = 128;
constexpr std::size_t kMaxTokenChars = 128;  // restaurants.agent_api_token VARCHAR(128)

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

bool is_model_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '/' || c == '-';
}

std::optional<Error> check_model(const std::optional<std::string>& model) {
  if (!model) return std::nullopt;
  bool ok = !model->empty() && model->size() <= kMaxModelChars;
  for (const char c : *model) ok = ok && is_model_char(c);
  if (!ok) {
    return detail::field_invalid("chatModel", "must be 1 to 100 characters of A-Z a-z 0-9 . _ : / -.");
  }
  return std::nullopt;
}

std::optional<Error> check_lang(const std::optional<std::string>& lang) {
  if (lang && !is_supported_lang(*lang))
    return detail::field_invalid("lang", CHAT_ERROR_MESSAGE("must be " + lang_codes_text() + "."));
  return std::nullopt;
}

constexpr std::size_t kMaxGreetingChars = 500;
constexpr std::size_t kMaxSuggestions = 6;
constexpr std::size_t kMaxSuggestionChars = 80;
constexpr std::size_t kMaxTimezoneChars = 64;

bool has_control(std::string_view text, bool newline_ok) {
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && !(newline_ok && c == '\n')) || c == 0x7f) return true;
  }
  return false;
}

/// A greeting is trimmed; "" (or blanks) means no greeting. Line breaks are allowed.
std::optional<Error> check_greeting(std::optional<std::string>& greeting) {
  if (!greeting) return std::nullopt;
  *greeting = std::string(trim(*greeting));
  if (utf8_length(*greeting) > kMaxGreetingChars)
    return detail::field_invalid("chatGreeting", "is over 500 characters.");
  if (has_control(*greeting, true))
    return detail::field_invalid("chatGreeting", "must not hold control characters.");
  return std::nullopt;
}

/// Each suggestion is trimmed, 1 to 80 characters on one line; at most 6.
std::optional<Error> check_suggestions(std::optional<std::vector<std::string>>& suggestions) {
  if (!suggestions) return std::nullopt;
  if (suggestions->size() > kMaxSuggestions)
    return detail::field_invalid("chatSuggestions", "holds more than 6 items.");
  for (auto& item : *suggestions) {
    item = std::string(trim(item));
    if (item.empty() || utf8_length(item) > kMaxSuggestionChars || has_control(item, false)) {
      return detail::field_invalid("chatSuggestions",
                                   "items must be 1 to 80 characters on one line, without control characters.");
    }
  }
  return std::nullopt;
}

/// The name's shape only: whether the zone exists is for the agent server to say.
std::optional<Error> check_timezone(const std::optional<std::string>& tz) {
  if (!tz) return std::nullopt;
  bool ok = !tz->empty() && tz->size() <= kMaxTimezoneChars;
  for (const char c : *tz) {
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
                c == '_' || c == '-' || c == '+');
  }
  if (!ok) return detail::field_invalid("timezone", "must be an IANA time zone such as \"Europe/Paris\".");
  return std::nullopt;
}

/// An array of strings at `key`; false (and an error in `f`) for another type.
bool read_strings(detail::Fields& f, const Json& value, const char* key, std::vector<std::string>& out) {
  if (!value.is_array()) return f.fail(detail::field_type(key, "an array of strings"));
  for (const auto& item : value) {
    if (!item.is_string()) return f.fail(detail::field_type(key, "an array of strings"));
    out.push_back(item.get<std::string>());
  }
  return true;
}

constexpr std::size_t kMaxAllowedOrigins = 20;

/// chatAllowedOrigins: null or an array of origins, normalised (normalize_origin),
/// duplicates dropped, at most 20. Absent: left as it is.
void read_allowed_origins(detail::Fields& f, const Json& j, std::optional<std::vector<std::string>>& out) {
  const auto o = j.find("chatAllowedOrigins");
  if (o == j.end()) return;
  std::vector<std::string> items;
  if (!o->is_null() && !read_strings(f, *o, "chatAllowedOrigins", items)) return;
  std::vector<std::string> origins;
  for (const auto& item : items) {
    auto origin = normalize_origin(item);
    if (!origin) {
      f.fail(detail::field_invalid("chatAllowedOrigins",
                                   "items must be origins such as \"https://www.example.fr\": http or https, a "
                                   "host and an optional port, without path, query, user or wildcard."));
      return;
    }
    if (std::find(origins.begin(), origins.end(), *origin) == origins.end()) origins.push_back(*origin);
  }
  if (origins.size() > kMaxAllowedOrigins) {
    f.fail(detail::field_invalid("chatAllowedOrigins", "holds more than 20 origins."));
    return;
  }
  out = std::move(origins);
}

/// The greeting and suggestions of a create (null: the default) or a patch (null: back
/// to the default, told apart from an absent key).
template <class Greeting, class Suggestions>
void read_chat_texts(detail::Fields& f, const Json& j, Greeting& greeting, Suggestions& suggestions) {
  if (auto g = j.find("chatGreeting"); g != j.end()) {
    if (g->is_null()) {
      greeting = std::optional<std::string>();
    } else if (g->is_string()) {
      greeting = std::optional<std::string>(g->get<std::string>());
    } else {
      f.fail(detail::field_type("chatGreeting", "a string or null"));
    }
  }
  if (auto s = j.find("chatSuggestions"); s != j.end()) {
    if (s->is_null()) {
      suggestions = std::optional<std::vector<std::string>>();
    } else {
      std::vector<std::string> items;
      if (read_strings(f, *s, "chatSuggestions", items))
        suggestions = std::optional<std::vector<std::string>>(items);
    }
  }
}

/// The first error of several checks, in order.
std::optional<Error> first(std::initializer_list<std::optional<Error>> checks) {
  for (const auto& c : checks) {
    if (c) return c;
  }
  return std::nullopt;
}

template <class T>
void put_optional(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

}  // namespace

// ---- Requests ----------------------------------------------------------------------

Result<CreateSessionRequest> decode_create_session(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  CreateSessionRequest r;
  Fields f(*j);
  f.optional("visitorId", r.visitor_id);
  f.optional("lang", r.lang);
  if (!f.ok()) return f.error();
  if (r.visitor_id && !is_valid_visitor_id(*r.visitor_id)) return ErrorCode::invalid_visitor_id;
  if (auto e = check_lang(r.lang)) return *e;
  return r;
}

Result<PostMessageRequest> decode_post_message(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PostMessageRequest r;
  Fields f(*j);
  f.required("text", r.text);
  f.optional("id", r.id);
  if (!f.ok()) return f.error();
  if (r.id && !is_valid_uuid(*r.id)) return detail::field_invalid("id", "must be a UUID.");
  auto text = validate_message_text(r.text);
  if (!text) return text.error();
  r.text = std::move(text).value();
  return r;
}

Result<PhoneRequest> decode_phone(std::string_view body, std::string_view lang) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PhoneRequest r;
  Fields f(*j);
  f.required("phone", r.phone);
  if (!f.ok()) return f.error();
  auto phone = normalize_phone(r.phone, lang);
  if (!phone) return phone.error();
  r.phone = std::move(phone).value();
  return r;
}

Result<VerifyRequest> decode_verify(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  VerifyRequest r;
  Fields f(*j);
  f.required("code", r.code);
  if (!f.ok()) return f.error();
  if (!is_valid_code(r.code)) return detail::field_invalid("code", "must be six digits.");
  return r;
}

Result<CreateAgentRequest> decode_create_agent(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  CreateAgentRequest r;
  Fields f(*j);
  f.required("name", r.name);
  f.optional("prompt", r.prompt);
  f.optional("chatEnabled", r.chat_enabled);
  f.optional("chatModel", r.chat_model);
  f.optional("chatPromptExtra", r.chat_prompt_extra);
  f.optional("chatPhoneRequired", r.chat_phone_required);
  f.optional("timezone", r.timezone);
  read_chat_texts(f, *j, r.chat_greeting, r.chat_suggestions);
  read_allowed_origins(f, *j, r.chat_allowed_origins);
  if (!f.ok()) return f.error();
  if (auto e = first({check_name("name", r.name), check_prompt("prompt", r.prompt), check_model(r.chat_model),
                      check_prompt("chatPromptExtra", r.chat_prompt_extra), check_timezone(r.timezone),
                      check_greeting(r.chat_greeting), check_suggestions(r.chat_suggestions)})) {
    return *e;
  }
  return r;
}

Result<PatchAgentRequest> decode_patch_agent(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PatchAgentRequest r;
  Fields f(*j);
  f.optional("name", r.name);
  f.optional("prompt", r.prompt);
  f.optional("chatEnabled", r.chat_enabled);
  f.optional("chatModel", r.chat_model);
  f.optional("chatPromptExtra", r.chat_prompt_extra);
  f.optional("chatPhoneRequired", r.chat_phone_required);
  f.optional("timezone", r.timezone);
  read_chat_texts(f, *j, r.chat_greeting, r.chat_suggestions);
  read_allowed_origins(f, *j, r.chat_allowed_origins);
  if (!f.ok()) return f.error();
  std::optional<std::string> no_greeting;
  std::optional<std::vector<std::string>> no_suggestions;
  if (auto e = first({r.name ? check_name("name", *r.name) : std::nullopt, check_prompt("prompt", r.prompt),
                      check_model(r.chat_model), check_prompt("chatPromptExtra", r.chat_prompt_extra),
                      check_timezone(r.timezone), check_greeting(r.chat_greeting ? *r.chat_greeting : no_greeting),
                      check_suggestions(r.chat_suggestions ? *r.chat_suggestions : no_suggestions)})) {
    return *e;
  }
  return r;
}

Result<CreateRestaurantRequest> decode_create_restaurant(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  CreateRestaurantRequest r;
  Fields f(*j);
  f.required("name", r.name);
  f.optional("lang", r.lang);
  f.optional("position", r.position);
  f.optional("prompt", r.prompt);
  if (!f.ok()) return f.error();
  if (auto e = first({check_name("name", r.name), check_lang(r.lang), check_prompt("prompt", r.prompt)})) {
    return *e;
  }
  if (r.position && !is_valid_position(*r.position)) {
    return detail::field_invalid("position", "must be \"bottom-right\" or \"bottom-left\".");
  }
  return r;
}

Result<PatchRestaurantRequest> decode_patch_restaurant(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PatchRestaurantRequest r;
  Fields f(*j);
  f.required("id", r.id);
  f.required("agentApiToken", r.agent_api_token);
  if (!f.ok()) return f.error();
  if (r.id.empty() || r.id.size() > kMaxRestaurantIdChars) {
    return detail::field_invalid("id", "must be 1 to 128 characters.");
  }
  if (r.agent_api_token.empty() || r.agent_api_token.size() > kMaxTokenChars) {
    return detail::field_invalid("agentApiToken", "must be 1 to 128 characters.");
  }
  return r;
}

// ---- Responses ---------------------------------------------------------------------

Result<Session> decode_session(std::string_view body) {
  auto j = detail::parse_json(body);
  if (!j) return ErrorCode::invalid_json;
  return detail::session_from(*j);
}

Result<Message> decode_message(std::string_view body) {
  auto j = detail::parse_json(body);
  if (!j) return ErrorCode::invalid_json;
  return detail::message_from(*j);
}

Result<Agent> decode_agent(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  Agent a;
  Fields f(*j);
  f.required("id", a.id);
  f.required("name", a.name);
  f.required("prompt", a.prompt);
  f.required("chatEnabled", a.chat_enabled);
  f.required("chatModel", a.chat_model);
  f.required("chatPromptExtra", a.chat_prompt_extra);
  f.required("chatPhoneRequired", a.chat_phone_required);
  f.required("apiToken", a.api_token);
  f.required("publicToken", a.public_token);
  f.required("createdAt", a.created_at);
  // Optional: an agent server from before issue 14 has none of them.
  std::optional<std::string> timezone;
  f.optional("timezone", timezone);
  if (timezone) a.timezone = *timezone;
  f.optional("chatGreeting", a.chat_greeting);
  if (auto s = j->find("chatSuggestions"); s != j->end() && !s->is_null()) {
    std::vector<std::string> items;
    if (read_strings(f, *s, "chatSuggestions", items)) a.chat_suggestions = std::move(items);
  }
  if (auto o = j->find("chatAllowedOrigins"); o != j->end() && !o->is_null()) {
    read_strings(f, *o, "chatAllowedOrigins", a.chat_allowed_origins);
  }
  if (!f.ok()) return f.error();
  return a;
}

namespace {

/// A token the site can store (VARCHAR(128)) and send in a header.
bool is_storable_token(const std::string& token) {
  if (token.empty() || token.size() > kMaxTokenChars) return false;
  for (const char ch : token) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

}  // namespace

Result<AgentTokens> decode_agent_tokens(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  AgentTokens a;
  const auto id = j->find("id");
  if (id == j->end()) return detail::field_missing("id");
  if (id->is_string()) {
    a.id = id->get_ref<const std::string&>();
  } else if (id->is_number_unsigned()) {
    a.id = std::to_string(id->get_ref<const Json::number_unsigned_t&>());
  } else if (id->is_number_integer()) {
    a.id = std::to_string(id->get_ref<const Json::number_integer_t&>());
  } else {
    return detail::field_type("id", "a string or an integer");
  }
  if (a.id.empty() || a.id.size() > kMaxRestaurantIdChars) {
    return detail::field_invalid("id", "must be 1 to 128 characters.");
  }
  std::optional<std::string> api_token;
  Fields f(*j);
  f.optional("apiToken", api_token);
  f.optional("publicToken", a.public_token);
  if (!f.ok()) return f.error();
  a.api_token = api_token.value_or("");
  if (a.public_token && a.public_token->empty()) a.public_token.reset();
  if (a.api_token.empty() && !a.public_token) return detail::field_missing("apiToken");
  if (!a.api_token.empty() && !is_storable_token(a.api_token)) {
    return detail::field_invalid("apiToken", "must be 1 to 128 printable ASCII characters.");
  }
  if (a.public_token && !is_storable_token(*a.public_token)) {
    return detail::field_invalid("publicToken", "must be 1 to 128 printable ASCII characters.");
  }
  return a;
}

Result<Restaurant> decode_restaurant(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  Restaurant r;
  Fields f(*j);
  f.required("id", r.id);
  f.required("name", r.name);
  f.optional("agentId", r.agent_id);  // null until the agent is provisioned
  f.required("lang", r.lang);
  f.required("position", r.position);
  if (!f.ok()) return f.error();
  return r;
}

Result<PhoneResponse> decode_phone_response(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PhoneResponse r;
  Fields f(*j);
  f.required("phone", r.phone);
  f.required("expiresIn", r.expires_in);
  f.required("sendsLeft", r.sends_left);
  if (!f.ok()) return f.error();
  return r;
}

Result<VerifyResponse> decode_verify_response(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  VerifyResponse r;
  Fields f(*j);
  f.required("verified", r.verified);
  f.required("verifiedAt", r.verified_at);
  if (!f.ok()) return f.error();
  return r;
}

// ---- Encoders ----------------------------------------------------------------------

void to_json(json& j, const CreateSessionRequest& v) {
  j = json::object();
  put_optional(j, "visitorId", v.visitor_id);
  put_optional(j, "lang", v.lang);
}

void to_json(json& j, const PostMessageRequest& v) {
  j = json{{"text", v.text}};
  put_optional(j, "id", v.id);
}

void to_json(json& j, const PhoneRequest& v) { j = json{{"phone", v.phone}}; }

void to_json(json& j, const PhoneResponse& v) {
  j = json{{"phone", v.phone}, {"expiresIn", v.expires_in}, {"sendsLeft", v.sends_left}};
}

void to_json(json& j, const VerifyRequest& v) { j = json{{"code", v.code}}; }

void to_json(json& j, const VerifyResponse& v) {
  j = json{{"verified", v.verified}, {"verifiedAt", v.verified_at}};
}

void to_json(json& j, const Agent& v) {
  j = json::object();
  j["id"] = v.id;
  j["name"] = v.name;
  j["prompt"] = v.prompt;
  j["chatEnabled"] = v.chat_enabled;
  j["chatModel"] = v.chat_model;
  j["chatPromptExtra"] = v.chat_prompt_extra;
  j["chatPhoneRequired"] = v.chat_phone_required;
  j["apiToken"] = v.api_token;
  j["publicToken"] = v.public_token;
  j["createdAt"] = v.created_at;
  j["timezone"] = v.timezone;
  j["chatGreeting"] = v.chat_greeting ? json(*v.chat_greeting) : json(nullptr);
  j["chatSuggestions"] = v.chat_suggestions ? json(*v.chat_suggestions) : json(nullptr);
  j["chatAllowedOrigins"] = v.chat_allowed_origins;
}

void to_json(json& j, const CreateAgentRequest& v) {
  j = json::object();
  j["name"] = v.name;
  put_optional(j, "prompt", v.prompt);
  put_optional(j, "chatEnabled", v.chat_enabled);
  put_optional(j, "chatModel", v.chat_model);
  put_optional(j, "chatPromptExtra", v.chat_prompt_extra);
  put_optional(j, "chatPhoneRequired", v.chat_phone_required);
  put_optional(j, "timezone", v.timezone);
  put_optional(j, "chatGreeting", v.chat_greeting);
  put_optional(j, "chatSuggestions", v.chat_suggestions);
  put_optional(j, "chatAllowedOrigins", v.chat_allowed_origins);
}

void to_json(json& j, const PatchAgentRequest& v) {
  j = json::object();
  put_optional(j, "name", v.name);
  put_optional(j, "prompt", v.prompt);
  put_optional(j, "chatEnabled", v.chat_enabled);
  put_optional(j, "chatModel", v.chat_model);
  put_optional(j, "chatPromptExtra", v.chat_prompt_extra);
  put_optional(j, "chatPhoneRequired", v.chat_phone_required);
  put_optional(j, "timezone", v.timezone);
  if (v.chat_greeting) j["chatGreeting"] = *v.chat_greeting ? json(**v.chat_greeting) : json(nullptr);
  if (v.chat_suggestions) j["chatSuggestions"] = *v.chat_suggestions ? json(**v.chat_suggestions) : json(nullptr);
  put_optional(j, "chatAllowedOrigins", v.chat_allowed_origins);
}

void to_json(json& j, const CreateRestaurantRequest& v) {
  j = json::object();
  j["name"] = v.name;
  put_optional(j, "lang", v.lang);
  put_optional(j, "position", v.position);
  put_optional(j, "prompt", v.prompt);
}

void to_json(json& j, const Restaurant& v) {
  j = json::object();
  j["id"] = v.id;
  j["name"] = v.name;
  j["agentId"] = v.agent_id ? json(*v.agent_id) : json(nullptr);
  j["lang"] = v.lang;
  j["position"] = v.position;
}

void to_json(json& j, const PatchRestaurantRequest& v) {
  j = json{{"id", v.id}, {"agentApiToken", v.agent_api_token}};
}

}  // namespace chat::api
