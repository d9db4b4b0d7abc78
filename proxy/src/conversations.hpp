#pragma once
/// \file `chat-proxy conversations RESTAURANT_ID [--csv]`: the site's admin tool
/// prints a restaurant's chat conversations, read from the agent server's
/// GET /api/agents/:id/chat-sessions (all pages), or its CSV export as it comes.

#include <ostream>

#include "config.hpp"
#include "store.hpp"

namespace proxy {

/// Prints the conversations of `config.restaurant_id` to `out` (a table, or the CSV
/// with `config.csv`), problems to `err`; returns the exit code (0, or 1). The token
/// is AGENT_SERVER_ADMIN_TOKEN, else the one stored for the restaurant (which opens
/// this route only when it is the agent's apiToken); it is never printed.
int run_conversations(const Config& config, RestaurantStore& store, std::ostream& out, std::ostream& err);

}  // namespace proxy
