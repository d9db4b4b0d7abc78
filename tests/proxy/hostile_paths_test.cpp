// Raw requests (a plain socket, so no client re-encodes them) with hostile paths:
// every one is refused by the proxy and none reaches the agent server.
#include <catch2/catch.hpp>

#include "support/stack.hpp"

using namespace proxy_test;

TEST_CASE("no hostile path reaches the agent server", "[paths]") {
  Stack stack;
  auto [r, agent_id] = stack.create_restaurant("Chez Paul");
  const std::string base = "/api/chat/" + r + "/";
  const std::vector<std::string> hostile = {
      base + "chat/../agents",
      base + "chat/../agents/" + agent_id,
      base + "chat/%2e%2e/agents/" + agent_id,
      base + "chat/%2E%2E/agents/" + agent_id,
      base + "chat/.%2e/agents",
      base + "chat%2f..%2fagents%2f" + agent_id,
      base + "chat/..%2fagents",
      base + "chat/%252e%252e/agents/" + agent_id,
      base + "chat/%252e%252e%252fagents",
      base + "chat\\..\\agents",
      base + "chat/%5c..%5cagents",
      base + "chat//sessions",
      base + "chat/./sessions",
      base + "CHAT/sessions",
      base + "Chat/sessions",
      base + "%43hat/sessions",
      base + "chat/sessions%00",
      base + "chat/sessions%0d%0aX:%201",
      base + "chat/s%C3%A9",
      base + "chat/sessions;x=1",
      base + "chat/..;/agents",
      base + "chat/%",
      base + "chat/%zz",
      base + "chat/...",
      base + "chat/sessions/",
      base + "chat/sessions?visitor=%zz",
      base + "agents/" + agent_id,
      base + "agents",
      base + "healthz",
      base + "metrics",
      base + "widget/chat.js",
      base + "chat",
      "/api/chat/" + r + "%2f..%2fagents",
      "/api/chat/..%2f" + r + "/chat/sessions",
      "/api/chat/" + r + "/" + std::string(600, 'a'),
      "/api/chat/r%2e1/chat/sessions",
      "/api%2fchat/" + r + "/chat/sessions",
      "/api/ch%61t/" + r + "/chat/sessions",
      "/api/chat/" + r + "/chat/%2e%2e/%2e%2e/agents",
      "/api/chat/" + r + "/chat/" + std::string(2100, 'x'),
  };
  REQUIRE(hostile.size() >= 40);

  auto upstream_requests = [&] {
    // Everything the agent server answered but our own /metrics scrapes and the
    // restaurant's provisioning.
    return stack.agent_metric("agent_http_requests_total") -
           stack.agent_metric("agent_http_requests_total", "route=\"/metrics\"");
  };
  double before = upstream_requests();
  for (const auto& path : hostile) {
    for (const char* method : {"GET", "POST"}) {
      INFO(method << " " << path);
      std::string request = std::string(method) + " " + path +
                            " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
      auto response = raw_request(stack.proxy_port, request);
      REQUIRE(response.size() >= 12);
      auto status = response.substr(9, 3);
      CHECK((status == "400" || status == "404"));
      CHECK(response.find("{\"error\":{\"code\":\"") != std::string::npos);
    }
  }
  CHECK(upstream_requests() == before);
  CHECK(stack.agent_process->output().find("/api/agents/" + agent_id) == std::string::npos);

  // The same proxy, the same socket path, does forward a clean chat path.
  auto ok = raw_request(stack.proxy_port, "POST " + base +
                                              "chat/sessions HTTP/1.1\r\nHost: localhost\r\n"
                                              "Content-Type: application/json\r\nContent-Length: 2\r\n"
                                              "Connection: close\r\n\r\n{}");
  CHECK(ok.rfind("HTTP/1.1 201", 0) == 0);
  CHECK(upstream_requests() == before + 1);
}
