#include "chat/api/agent_admin.hpp"

#include <algorithm>

#include "api_common.hpp"
#include "chat/validation.hpp"
#include "json_fields.hpp"

namespace chat::api {
namespace {

using detail::Fields;
using nlohmann::json;  // the encoders'; the decoders read Json

constexpr std::size_t kMaxModelChars = 100;

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

}  // namespace

// ---- Requests ----------------------------------------------------------------------

namespace {

/// The settings both a new agent and a change of one may set, all optional: read in
/// one place, so the two requests cannot drift apart.
template <class Request>
void read_settings(Fields& f, const Json& j, Request& r) {
  f.optional("prompt", r.prompt);
  f.optional("chatEnabled", r.chat_enabled);
  f.optional("chatModel", r.chat_model);
  f.optional("chatPromptExtra", r.chat_prompt_extra);
  f.optional("chatPhoneRequired", r.chat_phone_required);
  f.optional("timezone", r.timezone);
  read_chat_texts(f, j, r.chat_greeting, r.chat_suggestions);
  read_allowed_origins(f, j, r.chat_allowed_origins);
}

/// The first invalid setting of the plain ones (the texts differ in shape).
template <class Request>
std::optional<Error> check_settings(const Request& r) {
  return first({check_prompt("prompt", r.prompt), check_model(r.chat_model),
                check_prompt("chatPromptExtra", r.chat_prompt_extra), check_timezone(r.timezone)});
}

}  // namespace

Result<CreateAgentRequest> decode_create_agent(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  CreateAgentRequest r;
  Fields f(*j);
  f.required("name", r.name);
  read_settings(f, *j, r);
  if (!f.ok()) return f.error();
  if (auto e = first({check_name("name", r.name), check_settings(r), check_greeting(r.chat_greeting),
                      check_suggestions(r.chat_suggestions)})) {
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
  read_settings(f, *j, r);
  if (!f.ok()) return f.error();
  // A text set to null (back to the default) has nothing to check.
  std::optional<std::string> no_greeting;
  std::optional<std::vector<std::string>> no_suggestions;
  if (auto e = first({r.name ? check_name("name", *r.name) : std::nullopt, check_settings(r),
                      check_greeting(r.chat_greeting ? *r.chat_greeting : no_greeting),
                      check_suggestions(r.chat_suggestions ? *r.chat_suggestions : no_suggestions)})) {
    return *e;
  }
  return r;
}

// ---- Responses ---------------------------------------------------------------------

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

// ---- Encoders ----------------------------------------------------------------------

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

}  // namespace chat::api
