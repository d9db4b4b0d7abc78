// Streams end upstream when the browser leaves; failures upstream are quick JSON errors.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "store.hpp"
#include "support/stack.hpp"

using namespace proxy_test;
using Clock = std::chrono::steady_clock;

TEST_CASE("closing browser streams closes the agent server's streams", "[streams]") {
  StackOptions options;
  options.proxy_env = {{"CHAT_CLIENT_SESSIONS_PER_HOUR", "0"}};  // 24 sessions from one address
  Stack stack(options);
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  constexpr int kStreams = 24;
  std::vector<std::unique_ptr<SseReader>> readers;
  for (int i = 0; i < kStreams; ++i) {
    auto [session, visitor] = stack.create_session(restaurant);
    readers.push_back(std::make_unique<SseReader>(stack.proxy_port, "/api/chat/" + restaurant + "/chat/sessions/" +
                                                                        session + "/events?visitor=" + visitor));
  }
  for (auto& reader : readers) REQUIRE(reader->wait_for("retry: 2000"));
  CHECK(stack.agent_metric("agent_open_streams") == kStreams);
  CHECK(stack.proxy_metric("chat_proxy_open_streams") == kStreams);
  // Heartbeats pass through (CHAT_HEARTBEAT_MS=200 in the stack).
  CHECK(readers.front()->wait_for(": ping"));

  for (auto& reader : readers) reader->close();
  CHECK(
      Stack::eventually([&] { return stack.agent_metric("agent_open_streams") == 0; }, std::chrono::seconds(10)));
  CHECK(Stack::eventually([&] { return stack.proxy_metric("chat_proxy_open_streams") == 0; }));
  CHECK(stack.proxy_metric("chat_proxy_streams_total") == kStreams);
}

TEST_CASE("agent server down: 502 upstream_error, quickly", "[streams]") {
  // A port that was free a moment ago: connections are refused.
  const int port = test_support::free_tcp_port();

  StackOptions options;
  options.start_agent = false;
  options.agent_url = "http://127.0.0.1:" + std::to_string(port);
  Stack stack(options);
  auto store = proxy::open_store("sqlite:" + stack.proxy_db(), nullptr);
  REQUIRE(store.ok());
  proxy::RestaurantRow row;
  row.id = "r1";
  row.name = "Chez Paul";
  row.agent_id = "a1";
  row.agent_api_token = "ak_test_token_value_123";
  REQUIRE(store.value()->insert(row).ok());

  for (const std::string path : {"/api/chat/r1/chat/sessions", "/api/chat/r1/chat/sessions/s/events?visitor=v"}) {
    auto start = Clock::now();
    auto res = stack.call(path.find("events") == std::string::npos ? "POST" : "GET", path,
                          path.find("events") == std::string::npos ? "{}" : "");
    auto took = Clock::now() - start;
    REQUIRE(res);
    CHECK(res->status == 502);
    CHECK(res->body.find("\"upstream_error\"") != std::string::npos);
    CHECK(took < std::chrono::seconds(1));
  }
  // Provisioning fails the same way and leaves no restaurant behind.
  auto created = stack.call("POST", "/api/restaurants", R"({"name":"Nouveau"})",
                            {{"Authorization", "Bearer " + kSiteAdminToken}});
  REQUIRE(created);
  CHECK(created->status == 502);
  CHECK(store.value()->missing_tokens()->empty());
  CHECK(stack.proxy_metric("chat_proxy_upstream_errors_total", "connect") >= 2);
  CHECK(stack.transcript().find("ak_test_token_value_123") == std::string::npos);
}

TEST_CASE("an agent server that never answers: 504 upstream_timeout", "[streams]") {
  // A listener that accepts (the kernel does, from its backlog) and never answers.
  int port = -1;
  int fd = test_support::listen_loopback(64, port);
  REQUIRE(fd >= 0);

  StackOptions options;
  options.start_agent = false;
  options.agent_url = "http://127.0.0.1:" + std::to_string(port);
  options.proxy_env = {{"PROXY_UPSTREAM_TIMEOUT_MS", "300"}};
  Stack stack(options);
  auto store = proxy::open_store("sqlite:" + stack.proxy_db(), nullptr);
  REQUIRE(store.ok());
  proxy::RestaurantRow row;
  row.id = "r1";
  row.name = "Chez Paul";
  row.agent_api_token = "ak_test_token_value_123";
  REQUIRE(store.value()->insert(row).ok());

  for (const std::string path : {"/api/chat/r1/chat/sessions", "/api/chat/r1/chat/sessions/s/events?visitor=v"}) {
    auto start = Clock::now();
    bool post = path.find("events") == std::string::npos;
    auto res = stack.call(post ? "POST" : "GET", path, post ? "{}" : "");
    auto took = Clock::now() - start;
    REQUIRE(res);
    CHECK(res->status == 504);
    CHECK(res->body.find("\"upstream_timeout\"") != std::string::npos);
    CHECK(took < std::chrono::seconds(3));
  }
  ::close(fd);
}

TEST_CASE("SIGTERM: the proxy stops accepting, ends its relayed streams cleanly, and exits 0", "[streams]") {
  Stack stack({{}, {{"PROXY_DRAIN_SECONDS", "10"}}, true, ""});
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  auto [session, visitor] = stack.create_session(restaurant);
  const std::string request = "GET /api/chat/" + restaurant + "/chat/sessions/" + session +
                              "/events?visitor=" + visitor + " HTTP/1.1\r\nHost: proxy\r\n\r\n";
  // What a browser receives, read raw, until the proxy closes the connection.
  std::string received;
  std::thread browser([&] { received = raw_request(stack.proxy_port, request, std::chrono::seconds(30)); });
  REQUIRE(Stack::eventually([&] { return stack.proxy_metric("chat_proxy_open_streams") == 1; }));

  auto asked = Clock::now();
  REQUIRE(::kill(stack.proxy_process->pid(), SIGTERM) == 0);
  CHECK(stack.proxy_process->wait_exit(std::chrono::seconds(20)) == 0);
  // The stream does not hold the stop for the drain deadline: it ends at once.
  CHECK(Clock::now() - asked < std::chrono::seconds(5));
  browser.join();
  CHECK(received.find("retry: 2000") != std::string::npos);
  // A clean end of the chunked response (its last chunk), not a cut: the browser's
  // EventSource reconnects with Last-Event-ID.
  CHECK(received.size() >= 5);
  CHECK(received.substr(received.size() - 5) == "0\r\n\r\n");
  CHECK(stack.proxy_process->output().find("\"msg\":\"drained\"") != std::string::npos);
  // The agent server saw its upstream stream end too.
  CHECK(Stack::eventually([&] { return stack.agent_metric("agent_open_streams") == 0; }));
}
