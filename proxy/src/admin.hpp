#pragma once
/// \file The site's admin routes, behind `Authorization: Bearer $ALLORESTO_ADMIN_TOKEN`.
/// No response ever carries an agent token.

#include <httplib.h>

#include "context.hpp"

namespace proxy {

/// The admin check of every admin route: not_found when no admin token is set,
/// unauthorized when the bearer token is not it. Cheap: run before a body is read.
chat::Result<void> check_admin(const Context& ctx, const httplib::Request& req);

/// POST /api/restaurants {name, lang?, position?, prompt?}: provisions the agent, then
/// stores the restaurant with its agent id and token in one insert -> 201.
void handle_create_restaurant(Context& ctx, const httplib::Request& req, const std::string& body,
                              httplib::Response& res);
/// PATCH /api/restaurants {id, agentApiToken} -> 200 with the restaurant.
void handle_patch_restaurant(Context& ctx, const httplib::Request& req, const std::string& body,
                             httplib::Response& res);
/// GET /api/restaurants/:id -> 200 with the restaurant and hasToken.
void handle_get_restaurant(Context& ctx, const httplib::Request& req, httplib::Response& res);

/// The public JSON of a restaurant: {id, name, agentId, lang, position, hasToken}.
std::string restaurant_json(const RestaurantRow& row);

}  // namespace proxy
