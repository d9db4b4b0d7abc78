#include "chat/api/restaurant_admin.hpp"

#include "api_common.hpp"
#include "chat/validation.hpp"
#include "json_fields.hpp"

namespace chat::api {
namespace {

using detail::Fields;
using nlohmann::json;  // the encoders'; the decoders read Json

}  // namespace

// ---- Requests ----------------------------------------------------------------------

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

// ---- Encoders ----------------------------------------------------------------------

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
