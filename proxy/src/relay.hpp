#pragma once
/// \file The relay to the agent server: chat routes (plain and event streams) and
/// widget assets.

#include <httplib.h>

#include <string>

#include "context.hpp"

namespace proxy {

/// GET|POST /api/chat/:restaurantId/<path>, with the request body already read.
void handle_chat(Context& ctx, const httplib::Request& req, httplib::Response& res, const std::string& body);

/// GET /widget/<file>: relayed without a token, caching headers and 304 included.
void handle_widget(Context& ctx, const httplib::Request& req, httplib::Response& res);

}  // namespace proxy
