// The admin API and the scopes of the three kinds of token.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"

using agent_test::AgentServer;
using agent_test::kAdminToken;
using nlohmann::json;

TEST_CASE("POST /api/agents takes the admin token and returns both tokens") {
  AgentServer server;
  auto agent = server.create_agent({{"name", "Chez Marie"}, {"prompt", "Horaires : 12h-14h"}});
  CHECK(agent.at("name") == "Chez Marie");
  CHECK(agent.at("prompt") == "Horaires : 12h-14h");
  CHECK(agent.at("chatEnabled") == true);
  CHECK(agent.at("chatModel") == "local");
  CHECK(agent.at("chatPromptExtra") == "");
  CHECK(agent.at("chatPhoneRequired") == false);
  auto api = agent.at("apiToken").get<std::string>();
  auto pub = agent.at("publicToken").get<std::string>();
  CHECK(api.rfind("ak_", 0) == 0);
  CHECK(pub.rfind("pk_", 0) == 0);
  CHECK(api.size() >= 43);
  CHECK(api != pub);

  auto other = server.create_agent({{"name", "B"},
                                    {"chatEnabled", false},
                                    {"chatModel", "gpt-x"},
                                    {"chatPromptExtra", "Soyez bref."},
                                    {"chatPhoneRequired", true}});
  CHECK(other.at("chatEnabled") == false);
  CHECK(other.at("chatModel") == "gpt-x");
  CHECK(other.at("chatPromptExtra") == "Soyez bref.");
  CHECK(other.at("chatPhoneRequired") == true);
  CHECK(other.at("apiToken") != api);

  auto body = json{{"name", "C"}};
  CHECK(server.anonymous().post_json("/api/agents", body).status == 401);
  CHECK(server.with_token("wrong").post_json("/api/agents", body).status == 401);
  auto by_agent = server.with_token(api).post_json("/api/agents", body);
  CHECK(by_agent.status == 403);
  CHECK(by_agent.error_code() == "forbidden");
  CHECK(server.with_token(pub).post_json("/api/agents", body).status == 403);
  auto basic = server.anonymous().post_json("/api/agents", body, {{"Authorization", "Basic YTpi"}});
  CHECK(basic.status == 401);
  CHECK(basic.error_code() == "unauthorized");
}

TEST_CASE("GET and PATCH /api/agents/:id: admin, or the agent's own apiToken") {
  AgentServer server;
  auto a = server.create_agent();
  auto b = server.create_agent({{"name", "Other"}});
  std::string path = "/api/agents/" + a.at("id").get<std::string>();

  auto by_admin = server.admin().get(path);
  REQUIRE(by_admin.status == 200);
  CHECK(by_admin.json() ==
        a);  // apiToken included: the integration notes' backfill reads it (docs/design.md#history)
  auto by_self = server.with_token(a.at("apiToken")).get(path);
  CHECK(by_self.status == 200);
  CHECK(by_self.json().at("apiToken") == a.at("apiToken"));

  auto by_other = server.with_token(b.at("apiToken")).get(path);
  CHECK(by_other.status == 403);
  CHECK(server.with_token(a.at("publicToken")).get(path).status == 403);
  CHECK(server.anonymous().get(path).status == 401);

  auto missing = server.admin().get("/api/agents/00000000-0000-4000-8000-000000000000");
  CHECK(missing.status == 404);
  CHECK(missing.error_code() == "agent_not_found");
  CHECK(server.admin().get("/api/agents/nope").error_code() == "agent_not_found");

  auto patched = server.with_token(a.at("apiToken"))
                     .patch_json(path, {{"chatPromptExtra", "Tutoyez."},
                                        {"chatModel", "local"},
                                        {"name", "Chez Marie 2"}});
  REQUIRE(patched.status == 200);
  CHECK(patched.json().at("name") == "Chez Marie 2");
  CHECK(patched.json().at("chatPromptExtra") == "Tutoyez.");
  CHECK(patched.json().at("prompt") == a.at("prompt"));  // untouched fields stay
  CHECK(server.admin().get(path).json() == patched.json());

  CHECK(server.with_token(a.at("publicToken")).patch_json(path, {{"name", "x"}}).status == 403);
  CHECK(server.with_token(b.at("apiToken")).patch_json(path, {{"name", "x"}}).status == 403);
  CHECK(server.admin().get(path).json().at("name") == "Chez Marie 2");
}

TEST_CASE("rotate-tokens invalidates the old tokens") {
  AgentServer server;
  auto a = server.create_agent();
  std::string path = "/api/agents/" + a.at("id").get<std::string>();
  auto rotated = server.with_token(a.at("apiToken")).post(path + "/rotate-tokens", "");
  REQUIRE(rotated.status == 200);
  auto fresh = rotated.json();
  CHECK(fresh.at("apiToken") != a.at("apiToken"));
  CHECK(fresh.at("publicToken") != a.at("publicToken"));

  CHECK(server.with_token(a.at("apiToken")).get(path).status == 401);
  CHECK(server.with_token(a.at("publicToken")).post_json("/api/chat/sessions", json::object()).status == 401);
  CHECK(server.with_token(fresh.at("apiToken")).get(path).status == 200);
  CHECK(server.with_token(fresh.at("publicToken")).post_json("/api/chat/sessions", json::object()).status == 201);
  CHECK(server.with_token(fresh.at("publicToken")).post(path + "/rotate-tokens", "").status == 403);
  CHECK(server.admin().post(path + "/rotate-tokens", "").status == 200);
}

TEST_CASE("without AGENT_SERVER_ADMIN_TOKEN the admin API is off") {
  AgentServer server({"", {{"AGENT_SERVER_ADMIN_TOKEN", ""}}});
  auto res = server.with_token(kAdminToken).post_json("/api/agents", {{"name", "x"}});
  CHECK(res.status == 401);
  CHECK(res.error_code() == "unauthorized");
}

TEST_CASE("the log has one JSON line per request and never a token") {
  AgentServer server;
  auto a = server.create_agent();
  server.with_token(a.at("apiToken"))
      .get("/api/agents/" + a.at("id").get<std::string>(), {{"X-Request-Id", "req-42"}});
  REQUIRE(server.process().wait_for_line("req-42", std::chrono::seconds(10)));
  auto output = server.process().output();
  CHECK(output.find(a.at("apiToken").get<std::string>()) == std::string::npos);
  CHECK(output.find(a.at("publicToken").get<std::string>()) == std::string::npos);
  CHECK(output.find(kAdminToken) == std::string::npos);
  for (const auto& line : server.process().lines()) {
    auto j = json::parse(line, nullptr, false);
    INFO(line);
    CHECK(j.is_object());
    if (j.value("requestId", "") == "req-42") {
      CHECK(j.at("msg") == "request");
      CHECK(j.at("method") == "GET");
      CHECK(j.at("route") == "/api/agents/:id");
      CHECK(j.at("status") == 200);
      CHECK(j.at("durationMs").is_number());
    }
  }
}
