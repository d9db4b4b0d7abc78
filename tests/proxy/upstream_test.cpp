// The proxy's connections to the real agent server: kept alive and reused, given up
// when the agent server restarts (no request lost), and thousands of event streams
// held at once on the default capacity settings.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "stream_crowd.hpp"
#include "support/stack.hpp"

using namespace proxy_test;
using namespace std::chrono_literals;

TEST_CASE("requests reuse kept-alive connections, and survive an agent server restart", "[upstream]") {
  StackOptions options;
  options.proxy_env = {{"CHAT_CLIENT_SESSIONS_PER_HOUR", "0"}};
  Stack stack(options);
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  const std::string sessions = "/api/chat/" + restaurant + "/chat/sessions";
  const double opened_before = stack.proxy_metric("chat_proxy_upstream_connections_opened_total");
  for (int i = 0; i < 20; ++i) {
    auto res = stack.call("POST", sessions, "{}");
    REQUIRE(res);
    REQUIRE(res->status == 201);
  }
  // One after another: one connection carried them all.
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_opened_total") - opened_before <= 1);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_reused_total") >= 19);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_idle") >= 1);

  // The agent server stops (its kept-alive connections close) and starts again on
  // the same port: the next requests find the closed connections and open new ones.
  stack.restart_agent();
  for (int i = 0; i < 3; ++i) {
    auto res = stack.call("POST", sessions, "{}");
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 201);
  }
  CHECK(stack.proxy_metric("chat_proxy_upstream_errors_total") == 0);
}

TEST_CASE("PROXY_UPSTREAM_KEEPALIVE=0: a new connection per request", "[upstream]") {
  StackOptions options;
  options.proxy_env = {{"PROXY_UPSTREAM_KEEPALIVE", "0"}};
  Stack stack(options);
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  const double opened_before = stack.proxy_metric("chat_proxy_upstream_connections_opened_total");
  for (int i = 0; i < 3; ++i) REQUIRE(stack.call("GET", "/widget/chat.js")->status != 502);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_opened_total") - opened_before == 3);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_reused_total") == 0);
}

TEST_CASE("3,000 event streams held through one proxy on the default capacity; a message is answered on all",
          "[upstream][capacity]") {
  constexpr std::size_t kStreams = 3000;
  if (!test_support::StreamCrowd::allow_open_files(kStreams + 512)) {
    WARN("the open-file hard limit is under " << kStreams + 512 << ": test skipped");
    return;
  }
  StackOptions options;
  // Default workers and stream limits on both sides, the default heartbeat; only the
  // per-client caps are off, since every stream comes from this one address.
  options.agent_env = {{"CHAT_HEARTBEAT_MS", ""}, {"AGENT_SERVER_THREADS", ""}, {"LOCAL_MODEL_WORD_MS", "0"}};
  options.proxy_env = {{"PROXY_THREADS", ""}, {"PROXY_MAX_CONNECTIONS_PER_CLIENT", "0"}};
  Stack stack(options);
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  auto [session, visitor] = stack.create_session(restaurant);
  const std::string base = "/api/chat/" + restaurant + "/chat/sessions/" + session;
  {
    test_support::StreamCrowd crowd(stack.proxy_port, kStreams,
                                    "GET " + base + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                        "Accept: text/event-stream\r\nX-Chat-Visitor: " + visitor + "\r\n\r\n");
    REQUIRE(crowd.wait_all("retry: 2000", 300s) == kStreams);
    CHECK(stack.proxy_metric("chat_proxy_open_streams") == kStreams);
    CHECK(stack.agent_metric("agent_open_streams") == kStreams);
    CHECK(stack.proxy_metric("chat_proxy_connections_shed_total") == 0);
    CHECK(stack.agent_metric("agent_connections_shed_total") == 0);

    auto posted = stack.call("POST", base + "/messages", R"({"text":"Vous êtes ouverts ce soir ?"})",
                             {{"X-Chat-Visitor", visitor}});
    REQUIRE(posted);
    REQUIRE(posted->status == 202);
    CHECK(crowd.wait_all("event: done", 300s) == kStreams);
  }
  CHECK(Stack::eventually([&] { return stack.proxy_metric("chat_proxy_open_streams") == 0; }, 60s));
  CHECK(Stack::eventually([&] { return stack.agent_metric("agent_open_streams") == 0; }, 60s));
}
