// The agent server's edge (what direct mode exposes): per-client budgets keyed by
// the peer or, from a trusted proxy, by X-Forwarded-For; slow and oversized
// requests cut; bodies without a token refused before they are read.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"

using namespace agent_test;
using test_support::HttpClient;
using test_support::raw_status;

namespace {

int sessions_until_refused(HttpClient client, const std::string& token, const httplib::Headers& headers = {}) {
  client.with_header("Authorization", "Bearer " + token);
  for (int i = 0; i < 100; ++i) {
    auto res = client.post_json("/api/chat/sessions", nlohmann::json::object(), headers);
    if (res.status != 201) {
      CHECK(res.status == 429);
      CHECK(res.error_code() == "rate_limited");
      CHECK_FALSE(res.header("Retry-After").empty());
      return i;
    }
  }
  return 100;
}

}  // namespace

TEST_CASE("budgets are per client: the peer, or X-Forwarded-For from a trusted proxy") {
  AgentServer server({"", {{"AGENT_SERVER_TRUSTED_PROXIES", "127.0.0.1"}}});
  auto agent = server.create_agent();
  const std::string token = agent["publicToken"];

  // An untrusted peer: its own budget of 20 sessions an hour...
  CHECK(sessions_until_refused(HttpClient(server.port()).from("127.0.0.2"), token) == 20);
  // ...which a forged X-Forwarded-For does not escape,
  CHECK(sessions_until_refused(HttpClient(server.port()).from("127.0.0.2"), token,
                               {{"X-Forwarded-For", "198.51.100.99"}}) == 0);
  // and which another client does not share.
  CHECK(sessions_until_refused(HttpClient(server.port()).from("127.0.0.3"), token) == 20);

  // Through the trusted proxy (127.0.0.1), each forwarded client has its own.
  CHECK(sessions_until_refused(HttpClient(server.port()), token, {{"X-Forwarded-For", "198.51.100.7"}}) == 20);
  CHECK(sessions_until_refused(HttpClient(server.port()), token, {{"X-Forwarded-For", "198.51.100.8"}}) == 20);
  // The trusted peer speaking for itself spends nothing.
  CHECK(sessions_until_refused(HttpClient(server.port()), token) == 100);

  auto metrics = server.anonymous().get("/metrics");
  CHECK(metrics.body.find("agent_client_budget_refused_total{budget=\"sessions\"} 5") != std::string::npos);
}

TEST_CASE("messages and SMS codes are budgeted per client before the agent's own limit") {
  AgentServer server({"", {{"AGENT_SERVER_TRUSTED_PROXIES", "127.0.0.1"}, {"CHAT_CLIENT_MESSAGES_PER_MIN", "2"}}});
  auto agent = server.create_agent();
  const std::string token = agent["publicToken"];
  auto open = [&](const std::string& from) {
    auto res = HttpClient(server.port())
                   .from(from)
                   .with_header("Authorization", "Bearer " + token)
                   .post_json("/api/chat/sessions", nlohmann::json::object());
    REQUIRE(res.status == 201);
    return std::make_pair(std::string(res.json()["sessionId"]), std::string(res.json()["visitorId"]));
  };
  auto post = [&](const std::string& from, const std::pair<std::string, std::string>& session,
                  const std::string& path, const nlohmann::json& body) {
    return HttpClient(server.port())
        .from(from)
        .with_header("Authorization", "Bearer " + token)
        .post_json("/api/chat/sessions/" + session.first + path, body, {{"X-Chat-Visitor", session.second}});
  };

  std::vector<std::pair<std::string, std::string>> sessions;
  for (int i = 0; i < 3; ++i) sessions.push_back(open("127.0.0.2"));
  CHECK(post("127.0.0.2", sessions[0], "/messages", {{"text", "un"}}).status == 202);
  CHECK(post("127.0.0.2", sessions[1], "/messages", {{"text", "deux"}}).status == 202);
  auto third = post("127.0.0.2", sessions[2], "/messages", {{"text", "trois"}});
  CHECK(third.status == 429);
  CHECK(third.error_code() == "rate_limited");
  // Another client's message passes.
  CHECK(post("127.0.0.3", open("127.0.0.3"), "/messages", {{"text", "bonjour"}}).status == 202);

  // Codes to three numbers, then no more for this client.
  int sent = 0;
  for (int i = 0; i < 6; ++i) {
    auto res = post("127.0.0.4", open("127.0.0.4"), "/phone", {{"phone", "+3361234" + std::to_string(5000 + i)}});
    if (res.status != 202) {
      CHECK(res.status == 429);
      break;
    }
    ++sent;
  }
  CHECK(sent == 3);
}

TEST_CASE("slow or oversized heads are cut, bodies without a token refused unread") {
  AgentServer server({"", {{"AGENT_SERVER_HEAD_TIMEOUT_MS", "800"}}});
  // A head that never ends: 408 at its deadline.
  std::string slow = test_support::raw_http(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n",
                                            std::chrono::seconds(10));
  CHECK(raw_status(slow) == 408);
  CHECK(slow.find("request_timeout") != std::string::npos);

  // Too many header lines: 431; too many header bytes: 431, the connection cut.
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 150; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  CHECK(raw_status(test_support::raw_http(server.port(), many + "\r\n")) == 431);
  std::string big = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 80; ++i) big += "X-Big: " + std::string(1000, 'b') + "\r\n";
  CHECK(raw_status(test_support::raw_http(server.port(), big + "\r\n")) == 431);

  // A body with no token at all: 401 without reading it.
  std::string unauthenticated = test_support::raw_http(
      server.port(), "POST /api/agents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 10000\r\n\r\n{");
  CHECK(raw_status(unauthenticated) == 401);

  // A chunked body with a trailer: the library cannot read one, so it is refused
  // as a bad request, saying why (not 413: its size is not the problem).
  std::string trailer = test_support::raw_http(
      server.port(), "POST /api/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kAdminToken) +
                         "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "10\r\n{\"name\":\"Trail\"}\r\n0\r\nX-Checksum: 1\r\n\r\n");
  CHECK(raw_status(trailer) == 400);
  CHECK(trailer.find("trailer") != std::string::npos);

  auto metrics = server.anonymous().get("/metrics");
  CHECK(metrics.body.find("agent_connections_refused_total{reason=\"head_timeout\"} 1") != std::string::npos);
  CHECK(metrics.body.find("agent_connections_refused_total{reason=\"head_too_large\"} 1") != std::string::npos);
}
