// Least privilege at the site: the proxy stores (and injects) the agent's chat-scoped
// publicToken, reads only the id and the tokens of an agent, and backfill upgrades a
// stored apiToken. Real binaries; a fake only for a third-party agent server.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fake_legacy_agent_server.hpp"
#include "store.hpp"
#include "support/stack.hpp"

using namespace proxy_test;
using nlohmann::json;
using test_support::FakeLegacyAgentServer;

namespace {

const httplib::Headers kAdmin = {{"Authorization", "Bearer " + kSiteAdminToken}};

struct Run {
  int status;
  std::string output;
};

Run backfill(const Stack& stack, const std::string& agent_url, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {std::string(CHAT_BIN_DIR) + "/chat-proxy", "backfill", "--db",
                                   "sqlite:" + stack.proxy_db()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  Process run(argv, {{"AGENT_SERVER_URL", agent_url}, {"AGENT_SERVER_ADMIN_TOKEN", kAgentAdminToken}});
  int status = run.wait_exit(std::chrono::seconds(20));
  return {status, run.output()};
}

std::string agent_url(const Stack& stack) { return "http://127.0.0.1:" + std::to_string(stack.agent_port); }

std::string make_agent(Stack& stack, const std::string& name) {
  auto cli = stack.agent();
  auto res = cli.Post("/api/agents", {{"Authorization", "Bearer " + kAgentAdminToken}},
                      json{{"name", name}}.dump(), "application/json");
  REQUIRE(res);
  REQUIRE(res->status == 201);
  return json::parse(res->body).at("id").get<std::string>();
}

void insert(proxy::RestaurantStore& store, const std::string& id, const std::string& agent_id,
            std::optional<std::string> token) {
  proxy::RestaurantRow row;
  row.id = id;
  row.name = id;
  row.agent_id = agent_id;
  row.agent_api_token = std::move(token);
  REQUIRE(store.insert(row).ok());
}

/// The line backfill printed about one restaurant.
std::string line_of(const std::string& output, const std::string& restaurant) {
  auto at = output.find("restaurant " + restaurant + " ");
  if (at == std::string::npos) return "";
  return output.substr(at, output.find('\n', at) - at);
}

}  // namespace

TEST_CASE("the token the site stores opens the chat but not the agent's admin routes", "[privilege]") {
  Stack stack;
  auto [restaurant, agent_id] = stack.create_restaurant("Le Zinc");
  // What the proxy stored, read from its own database file.
  auto stored = stack.stored_token(restaurant);
  REQUIRE_FALSE(stored.empty());
  CHECK(stored == stack.agent_public_token(agent_id));
  CHECK(stored != stack.agent_token(agent_id));

  // On the agent server, that token opens none of the agent's routes.
  auto cli = stack.agent();
  const httplib::Headers bearer = {{"Authorization", "Bearer " + stored}};
  auto read = cli.Get("/api/agents/" + agent_id, bearer);
  REQUIRE(read);
  CHECK((read->status == 401 || read->status == 403));
  CHECK(read->body.find("{\"error\":") == 0);
  CHECK(read->body.find(stored) == std::string::npos);
  auto patch = cli.Patch("/api/agents/" + agent_id, bearer, R"({"chatEnabled":false})", "application/json");
  REQUIRE(patch);
  CHECK((patch->status == 401 || patch->status == 403));
  auto rotate = cli.Post("/api/agents/" + agent_id + "/rotate-tokens", bearer, "", "application/json");
  REQUIRE(rotate);
  CHECK((rotate->status == 401 || rotate->status == 403));
  auto list = cli.Get("/api/agents/" + agent_id + "/chat-sessions", bearer);
  REQUIRE(list);
  CHECK(list->status != 200);

  // Through the proxy, the chat works with it: a session, a message, the reply.
  auto [session, visitor] = stack.create_session(restaurant);
  const std::string base = "/api/chat/" + restaurant + "/chat/sessions/" + session;
  SseReader events(stack.proxy_port, base + "/events?visitor=" + visitor);
  REQUIRE(events.wait_for("retry: "));
  auto posted = stack.call("POST", base + "/messages", R"({"text":"Bonjour !"})", {{"X-Chat-Visitor", visitor}});
  REQUIRE(posted);
  CHECK(posted->status == 202);
  CHECK(events.wait_for("event: done", std::chrono::seconds(20)));
  events.close();

  stack.proxy_process->stop();
  CHECK(stack.proxy_process->output().find(stored) == std::string::npos);
  CHECK(stack.proxy_process->output().find("\"tokenKind\":\"publicToken\"") != std::string::npos);
  CHECK(stack.transcript().find(stored) == std::string::npos);
}

TEST_CASE("provisioning and backfill against an agent server with its own agent shape", "[privilege]") {
  for (bool extra_fields : {false, true}) {
    DYNAMIC_SECTION((extra_fields ? "with extra unknown fields" : "{\"id\": 7, \"apiToken\": ...}")) {
      FakeLegacyAgentServer legacy(kAgentAdminToken, extra_fields);
      StackOptions options;
      options.start_agent = false;
      options.agent_url = legacy.url();
      Stack stack(options);

      auto created = stack.call("POST", "/api/restaurants", R"({"name":"La Vieille Table"})", kAdmin);
      REQUIRE(created);
      INFO(created->body);
      REQUIRE(created->status == 201);
      auto body = json::parse(created->body);
      CHECK(body.at("agentId") == "7");  // a numeric id, kept as its text
      auto id = body.at("id").get<std::string>();
      // No publicToken there: the apiToken is stored, and injected.
      CHECK(stack.stored_token(id) == FakeLegacyAgentServer::api_token(7));
      auto session = stack.call("POST", "/api/chat/" + id + "/chat/sessions", "{}");
      REQUIRE(session);
      CHECK(session->status == 201);

      // Backfill: a restaurant provisioned before chat (agent 42, no token) gets its
      // apiToken; the one above keeps its own.
      {
        auto store = proxy::open_store("sqlite:" + stack.proxy_db(), nullptr);
        REQUIRE(store.ok());
        insert(**store, "old42", "42", std::nullopt);
      }
      auto dry = backfill(stack, legacy.url(), {"--dry-run"});
      INFO(dry.output);
      CHECK(dry.status == 0);
      CHECK(line_of(dry.output, "old42").find("apiToken would be stored") != std::string::npos);
      CHECK(stack.stored_token("old42").empty());
      auto run = backfill(stack, legacy.url());
      INFO(run.output);
      CHECK(run.status == 0);
      CHECK(line_of(run.output, "old42").find("apiToken stored") != std::string::npos);
      CHECK(line_of(run.output, id).find("already has its apiToken") != std::string::npos);
      CHECK(run.output.find("1 stored, 0 upgraded to the publicToken, 1 unchanged, 0 failed") !=
            std::string::npos);
      CHECK(stack.stored_token("old42") == FakeLegacyAgentServer::api_token(42));
      CHECK(stack.stored_token(id) == FakeLegacyAgentServer::api_token(7));
      for (long agent : {7L, 42L}) {
        CHECK(run.output.find(FakeLegacyAgentServer::api_token(agent)) == std::string::npos);
        CHECK(dry.output.find(FakeLegacyAgentServer::api_token(agent)) == std::string::npos);
      }

      stack.proxy_process->stop();
      CHECK(stack.proxy_process->output().find(FakeLegacyAgentServer::api_token(7)) == std::string::npos);
      CHECK(stack.transcript().find(FakeLegacyAgentServer::api_token(7)) == std::string::npos);
    }
  }
}

TEST_CASE("backfill upgrades a stored apiToken to the publicToken, never printing a token", "[privilege]") {
  Stack stack;
  auto a1 = make_agent(stack, "Un");
  auto a2 = make_agent(stack, "Deux");
  auto a3 = make_agent(stack, "Trois");
  {
    auto store = proxy::open_store("sqlite:" + stack.proxy_db(), nullptr);
    REQUIRE(store.ok());
    insert(**store, "r1", a1, stack.agent_token(a1));         // stored before: the apiToken
    insert(**store, "r2", a2, std::nullopt);                  // provisioned before chat
    insert(**store, "r3", a3, stack.agent_public_token(a3));  // already least privilege
  }
  std::vector<std::string> secrets = {kAgentAdminToken};
  for (const auto& a : {a1, a2, a3}) {
    secrets.push_back(stack.agent_token(a));
    secrets.push_back(stack.agent_public_token(a));
  }

  auto dry = backfill(stack, agent_url(stack), {"--dry-run"});
  INFO(dry.output);
  CHECK(dry.status == 0);
  CHECK(line_of(dry.output, "r1").find("stores the apiToken; would be replaced by the publicToken") !=
        std::string::npos);
  CHECK(line_of(dry.output, "r2").find("publicToken would be stored") != std::string::npos);
  CHECK(line_of(dry.output, "r3").find("already has its publicToken") != std::string::npos);
  CHECK(dry.output.find("3 restaurant(s) with an agent, 1 without a token: 1 would be stored, 1 would be upgraded "
                        "to the publicToken, 1 unchanged, 0 failed") != std::string::npos);
  CHECK(stack.stored_token("r1") == stack.agent_token(a1));  // a dry run changes nothing
  CHECK(stack.stored_token("r2").empty());

  auto run = backfill(stack, agent_url(stack));
  INFO(run.output);
  CHECK(run.status == 0);
  CHECK(line_of(run.output, "r1").find("stored the apiToken; replaced by the publicToken") != std::string::npos);
  CHECK(line_of(run.output, "r2").find("publicToken stored") != std::string::npos);
  CHECK(run.output.find("1 stored, 1 upgraded to the publicToken, 1 unchanged, 0 failed") != std::string::npos);
  for (const auto& [restaurant, agent] : {std::pair{"r1", a1}, std::pair{"r2", a2}, std::pair{"r3", a3}}) {
    INFO(restaurant);
    CHECK(stack.stored_token(restaurant) == stack.agent_public_token(agent));
  }

  auto again = backfill(stack, agent_url(stack));
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(again.output.find("0 stored, 0 upgraded to the publicToken, 3 unchanged, 0 failed") != std::string::npos);

  // After rotate-tokens the stored publicToken is stale: backfill stores the new one.
  auto cli = stack.agent();
  auto rotated = cli.Post("/api/agents/" + a1 + "/rotate-tokens",
                          {{"Authorization", "Bearer " + kAgentAdminToken}}, "", "application/json");
  REQUIRE(rotated);
  REQUIRE(rotated->status == 200);
  auto stale = backfill(stack, agent_url(stack));
  INFO(stale.output);
  CHECK(line_of(stale.output, "r1").find("replaced by the publicToken") != std::string::npos);
  CHECK(stack.stored_token("r1") == stack.agent_public_token(a1));
  secrets.push_back(stack.agent_token(a1));
  secrets.push_back(stack.agent_public_token(a1));

  for (const auto& secret : secrets) {
    for (const auto* out : {&dry.output, &run.output, &again.output, &stale.output}) {
      CHECK(out->find(secret) == std::string::npos);
    }
  }
  // The upgraded restaurant chats through the proxy.
  auto session = stack.call("POST", "/api/chat/r1/chat/sessions", "{}");
  REQUIRE(session);
  CHECK(session->status == 201);
}
