// chat-proxy backfill against the real agent server.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "store.hpp"
#include "support/stack.hpp"

using namespace proxy_test;

namespace {

std::string make_agent(Stack& stack, const std::string& name) {
  auto cli = stack.agent();
  auto res = cli.Post("/api/agents", {{"Authorization", "Bearer " + kAgentAdminToken}},
                      nlohmann::json{{"name", name}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  return nlohmann::json::parse(res->body).at("id").get<std::string>();
}

struct Run {
  int status;
  std::string output;
};

Run backfill(Stack& stack, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {std::string(CHAT_BIN_DIR) + "/chat-proxy", "backfill", "--db",
                                   "sqlite:" + stack.proxy_db()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Process run(argv, {{"AGENT_SERVER_URL", "http://127.0.0.1:" + std::to_string(stack.agent_port)},
                     {"AGENT_SERVER_ADMIN_TOKEN", kAgentAdminToken}});
  int status = run.wait_exit(std::chrono::seconds(20));
  return {status, run.output()};
}

}  // namespace

TEST_CASE("backfill stores missing tokens, safely twice, with a dry run", "[backfill]") {
  Stack stack;
  auto a1 = make_agent(stack, "Un");
  auto a2 = make_agent(stack, "Deux");
  auto t1 = stack.agent_token(a1);
  auto t2 = stack.agent_token(a2);
  // What the site stores: the chat-scoped tokens.
  auto p1 = stack.agent_public_token(a1);
  auto p2 = stack.agent_public_token(a2);
  {
    auto store = proxy::open_store("sqlite:" + stack.proxy_db(), nullptr);
    REQUIRE(store.ok());
    for (auto [id, agent] : {std::pair{"r1", a1}, std::pair{"r2", a2}}) {
      proxy::RestaurantRow row;
      row.id = id;
      row.name = id;
      row.agent_id = agent;
      REQUIRE(store.value()->insert(row).ok());
    }
    proxy::RestaurantRow no_agent;
    no_agent.id = "r3";
    no_agent.name = "r3";
    REQUIRE(store.value()->insert(no_agent).ok());
  }
  auto store = proxy::open_store("sqlite:" + stack.proxy_db(), nullptr);
  REQUIRE(store.ok());

  auto dry = backfill(stack, {"--dry-run"});
  CHECK(dry.status == 0);
  CHECK(dry.output.find("2 restaurant(s) with an agent, 2 without a token: 2 would be stored, 0 would be upgraded "
                        "to the publicToken, 0 unchanged, 0 failed") != std::string::npos);
  CHECK(store.value()->missing_tokens()->size() == 2);

  auto first = backfill(stack);
  INFO(first.output);
  CHECK(first.status == 0);
  CHECK(first.output.find("2 restaurant(s) with an agent, 2 without a token: 2 stored, 0 upgraded to the "
                          "publicToken, 0 unchanged, 0 failed") != std::string::npos);
  for (const auto& token : {t1, t2, p1, p2}) CHECK(first.output.find(token) == std::string::npos);
  CHECK(first.output.find(kAgentAdminToken) == std::string::npos);
  CHECK((*store.value()->find("r1"))->agent_api_token == std::optional<std::string>(p1));
  CHECK((*store.value()->find("r2"))->agent_api_token == std::optional<std::string>(p2));
  CHECK_FALSE((*store.value()->find("r3"))->agent_api_token.has_value());

  auto second = backfill(stack);
  CHECK(second.status == 0);
  CHECK(second.output.find("2 restaurant(s) with an agent, 0 without a token: 0 stored, 0 upgraded to the "
                           "publicToken, 2 unchanged, 0 failed") != std::string::npos);

  // The backfilled restaurant chats through the proxy.
  auto session = stack.call("POST", "/api/chat/r1/chat/sessions", "{}");
  REQUIRE(session);
  CHECK(session->status == 201);

  // An agent the agent server doesn't know: reported, exit status non-zero.
  proxy::RestaurantRow ghost;
  ghost.id = "r4";
  ghost.name = "r4";
  ghost.agent_id = "00000000-0000-4000-8000-000000000000";
  REQUIRE(store.value()->insert(ghost).ok());
  auto failed = backfill(stack);
  CHECK(failed.status != 0);
  CHECK(failed.output.find("restaurant r4") != std::string::npos);
  CHECK(failed.output.find("1 failed") != std::string::npos);
}
