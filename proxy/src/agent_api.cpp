#include "agent_api.hpp"

#include <chrono>

#include "path.hpp"
#include "upstream.hpp"

namespace proxy {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

namespace {

Result<chat::api::AgentTokens> call(const Config& config, const char* method, const std::string& path,
                                    std::string body, std::string_view request_id) {
  if (!config.agent_server_admin_token) {
    return Error(ErrorCode::chat_unavailable, "AGENT_SERVER_ADMIN_TOKEN is not set");
  }
  auto response = send_to_agent_server(config, method, path, std::move(body), *config.agent_server_admin_token,
                                       request_id);
  if (!response) return response.error();
  // Only the id and the tokens are read: an agent server of another shape (a numeric
  // id, no publicToken, fields of its own) still provisions.
  auto agent = chat::api::decode_agent_tokens(response->body);
  if (!agent) {
    return Error(ErrorCode::upstream_error,
                 "the agent server sent an agent we can't read (" + agent.error().message + ")");
  }
  return agent;
}

}  // namespace

Result<httplib::Response> send_to_agent_server(const Config& config, const char* method, const std::string& path,
                                               std::string body, std::string_view token,
                                               std::string_view request_id) {
  // One call now and then (provisioning, backfill, an export): no connection kept.
  UpstreamOptions once = config.upstream;
  once.max_idle = 0;
  Upstream upstream(config.agent_server, once);
  UpstreamRequest req{method, path, {}, std::move(body)};
  req.headers.emplace("Authorization", "Bearer " + std::string(token));
  if (!req.body.empty()) req.headers.emplace("Content-Type", "application/json");
  // The agent server's log line of this call carries the id of the request behind it.
  if (!request_id.empty()) req.headers.emplace("X-Request-Id", std::string(request_id));
  auto answer = upstream.call(req, Clock::now() + std::chrono::milliseconds(config.upstream_timeout_ms));
  if (answer.error != WireError::none) return classify_upstream_error(answer.error).error;
  if (answer.head.status == 404) return Error(ErrorCode::agent_not_found, "the agent server has no such agent");
  if (answer.head.status < 200 || answer.head.status >= 300) {
    auto upstream_error = chat::decode_error(answer.body);
    std::string detail = upstream_error ? std::string(to_string(upstream_error->code)) : "no error body";
    return Error(ErrorCode::upstream_error,
                 "the agent server answered " + std::to_string(answer.head.status) + " (" + detail + ")");
  }
  httplib::Response response;
  response.status = answer.head.status;
  response.headers = std::move(answer.head.headers);
  response.body = std::move(answer.body);
  return response;
}

Result<chat::api::AgentTokens> create_agent(const Config& config, const chat::api::CreateAgentRequest& request,
                                            std::string_view request_id) {
  return call(config, "POST", "/api/agents", chat::api::encode(request), request_id);
}

Result<chat::api::AgentTokens> get_agent(const Config& config, std::string_view agent_id,
                                         std::string_view request_id) {
  // Agent ids go into a path: the same alphabet as restaurant ids keeps it one segment.
  if (!is_valid_restaurant_id(agent_id)) return Error(ErrorCode::invalid_request, "invalid agent id");
  return call(config, "GET", "/api/agents/" + std::string(agent_id), {}, request_id);
}

}  // namespace proxy
