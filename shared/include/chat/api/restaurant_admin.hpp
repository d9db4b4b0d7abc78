#pragma once
/// \file The bodies of the proxy's admin API, /api/restaurants
/// (docs/design.md#shapes), with their strict decoders and their encoders (encode.hpp).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chat/api/encode.hpp"
#include "chat/error.hpp"

namespace chat::api {

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

// ---- Codecs (their errors: chat/api/encode.hpp) ----------------------------------

Result<CreateRestaurantRequest> decode_create_restaurant(std::string_view body);
Result<PatchRestaurantRequest> decode_patch_restaurant(std::string_view body);

// Responses decoded by clients (tests).
Result<Restaurant> decode_restaurant(std::string_view body);

void to_json(nlohmann::json& j, const CreateRestaurantRequest& v);
void to_json(nlohmann::json& j, const Restaurant& v);
void to_json(nlohmann::json& j, const PatchRestaurantRequest& v);

}  // namespace chat::api
