#pragma once
/// \file Calls to the agent server's admin API (provisioning, backfill), with
/// AGENT_SERVER_ADMIN_TOKEN.

#include <httplib.h>

#include <string>
#include <string_view>

#include "chat/api/agent_admin.hpp"
#include "config.hpp"

namespace proxy {

/// One call to the agent server with `token` as its bearer: the response when it
/// answers 2xx. Errors: agent_not_found (404), upstream_error (another status, named
/// with the agent server's error code; a failed connection), upstream_timeout.
/// `request_id` (when not empty) goes as X-Request-Id, so both logs share it.
chat::Result<httplib::Response> send_to_agent_server(const Config& config, const char* method,
                                                     const std::string& path, std::string body,
                                                     std::string_view token, std::string_view request_id = {});

/// POST /api/agents. Only the agent's id and tokens are read from the answer (see
/// chat::api::AgentTokens); store `site_token()`. Errors: chat_unavailable (no admin token
/// configured), upstream_error / upstream_timeout (down, refused, or an answer without
/// an id or a usable token).
/// `request_id` (when not empty) goes as X-Request-Id, so both logs share it.
chat::Result<chat::api::AgentTokens> create_agent(const Config& config,
                                                  const chat::api::CreateAgentRequest& request,
                                                  std::string_view request_id = {});

/// GET /api/agents/:id, its tokens. agent_not_found when it answers 404.
chat::Result<chat::api::AgentTokens> get_agent(const Config& config, std::string_view agent_id,
                                               std::string_view request_id = {});

}  // namespace proxy
