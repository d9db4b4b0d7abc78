#include "routes.hpp"

#include <algorithm>

namespace agent_server {
namespace {

Route route(const char* method, const char* pattern, Handler handler) { return Route{method, pattern, handler}; }

}  // namespace

bool match_route(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  const std::size_t first_param = params.size();
  while (!pattern.empty()) {
    if (pattern == "*") {  // the rest of the path, whatever it holds, not nothing
      if (path.empty()) break;
      params.emplace_back(path);
      return true;
    }
    if (pattern.front() == ':') {  // one segment, not empty
      const auto pattern_end = std::min(pattern.find('/'), pattern.size());
      const auto path_end = std::min(path.find('/'), path.size());
      if (path_end == 0) break;
      params.emplace_back(path.substr(0, path_end));
      pattern.remove_prefix(pattern_end);
      path.remove_prefix(path_end);
      continue;
    }
    // Literal text up to the next parameter.
    const auto literal_end = std::min(pattern.find_first_of(":*"), pattern.size());
    if (path.substr(0, literal_end) != pattern.substr(0, literal_end)) break;
    pattern.remove_prefix(literal_end);
    path.remove_prefix(literal_end);
  }
  if (pattern.empty() && path.empty()) return true;
  params.resize(first_param);
  return false;
}

std::vector<Route> make_routes() {
  return {
      route("POST", "/api/agents", post_agents),
      route("GET", "/api/agents/:id", get_agent),
      route("PATCH", "/api/agents/:id", patch_agent),
      route("POST", "/api/agents/:id/rotate-tokens", rotate_tokens),
      route("GET", "/api/agents/:id/chat-sessions", list_chat_sessions),
      route("GET", "/api/agents/:id/chat-sessions/:sessionId", get_chat_session),
      route("DELETE", "/api/agents/:id/chat-sessions/:sessionId", delete_chat_session),
      route("POST", "/api/chat/sessions", post_sessions),
      route("GET", "/api/chat/sessions/:id", get_session),
      route("DELETE", "/api/chat/sessions/:id", delete_session),
      route("POST", "/api/chat/sessions/:id/messages", post_message),
      route("GET", "/api/chat/sessions/:id/events", get_events),
      route("POST", "/api/chat/sessions/:id/phone", post_phone),
      route("POST", "/api/chat/sessions/:id/verify", post_verify),
      route("GET", "/widget/*", get_widget),
      route("GET", "/healthz", get_healthz),
      route("GET", "/metrics", get_metrics),
  };
}

}  // namespace agent_server
