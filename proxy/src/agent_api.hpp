#pragma once
/// \file Calls to the agent server's admin API (provisioning, backfill), with
/// AGENT_SERVER_ADMIN_TOKEN.

#include <string_view>

#include "chat/api.hpp"
#include "config.hpp"

namespace chat::proxy {

/// POST /api/agents. Only the agent's id and tokens are read from the answer (see
/// api::AgentTokens); store `site_token()`. Errors: chat_unavailable (no admin token
/// configured), upstream_error / upstream_timeout (down, refused, or an answer without
/// an id or a usable token).
/// `request_id` (when not empty) goes as X-Request-Id, so both logs share it.
Result<api::AgentTokens> create_agent(const Config& config, const api::CreateAgentRequest& request,
                                std::string_view request_id = {});

/// GET /api/agents/:id, its tokens. agent_not_found when it answers 404.
Result<api::AgentTokens> get_agent(const Config& config, std::string_view agent_id, std::string_view request_id = {});

}  // namespace chat::proxy
