// The site's admin routes and the proxy's start-up, against the real agent server.
#include <sqlite3.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/stack.hpp"

using namespace proxy_test;
using nlohmann::json;

namespace {
const httplib::Headers kAdmin = {{"Authorization", "Bearer " + kSiteAdminToken}};
}

TEST_CASE("admin routes: create, read, set the token, never show it", "[admin]") {
  Stack stack;
  auto with_id = kAdmin;
  with_id.emplace("X-Request-Id", "provision-le-zinc-0001");
  auto created = stack.call("POST", "/api/restaurants",
                            R"({"name":"Le Zinc","lang":"en","position":"bottom-left","prompt":"Open daily."})",
                            with_id);
  REQUIRE(created);
  REQUIRE(created->status == 201);
  // The agent server's log line of the provisioning call (written once its answer
  // is sent) carries the same request id.
  CHECK(Stack::eventually([&] {
    return stack.agent_process->output().find(
               R"("path":"/api/agents","requestId":"provision-le-zinc-0001","route":"/api/agents","status":201)") !=
           std::string::npos;
  }));
  auto body = json::parse(created->body);
  auto id = body.at("id").get<std::string>();
  auto agent_id = body.at("agentId").get<std::string>();
  CHECK(body.at("name") == "Le Zinc");
  CHECK(body.at("lang") == "en");
  CHECK(body.at("position") == "bottom-left");
  auto token = stack.agent_token(agent_id);

  auto read = stack.call("GET", "/api/restaurants/" + id, "", kAdmin);
  REQUIRE(read);
  CHECK(read->status == 200);
  CHECK(json::parse(read->body).at("hasToken") == true);

  auto patched = stack.call("PATCH", "/api/restaurants",
                            json{{"id", id}, {"agentApiToken", "ak_replaced_token_0123456789"}}.dump(), kAdmin);
  REQUIRE(patched);
  CHECK(patched->status == 200);
  CHECK(patched->body.find("ak_replaced") == std::string::npos);
  CHECK(json::parse(patched->body).at("hasToken") == true);
  // The replaced token is wrong for the agent server: the chat now fails upstream.
  auto refused = stack.call("POST", "/api/chat/" + id + "/chat/sessions", "{}");
  REQUIRE(refused);
  CHECK(refused->status == 401);

  auto restored = stack.call("PATCH", "/api/restaurants", json{{"id", id}, {"agentApiToken", token}}.dump(),
                             kAdmin);
  REQUIRE(restored);
  CHECK(restored->status == 200);
  auto session = stack.call("POST", "/api/chat/" + id + "/chat/sessions", "{}");
  REQUIRE(session);
  CHECK(session->status == 201);

  SECTION("refusals") {
    auto none = stack.call("POST", "/api/restaurants", R"({"name":"x"})");
    REQUIRE(none);
    CHECK(none->status == 401);
    auto wrong = stack.call("GET", "/api/restaurants/" + id, "", {{"Authorization", "Bearer nope"}});
    REQUIRE(wrong);
    CHECK(wrong->status == 401);
    auto unknown = stack.call("PATCH", "/api/restaurants", R"({"id":"nope","agentApiToken":"abc"})", kAdmin);
    REQUIRE(unknown);
    CHECK(unknown->status == 404);
    CHECK(unknown->body.find("\"restaurant_not_found\"") != std::string::npos);
    for (const char* bad : {R"({"name":""})", R"({"name":"x","lang":"de"})", R"({"name":"x","position":"top"})",
                            R"({"lang":"fr"})", "not json", R"({"name":5})"}) {
      INFO(bad);
      auto res = stack.call("POST", "/api/restaurants", bad, kAdmin);
      REQUIRE(res);
      CHECK(res->status >= 400);
      CHECK(res->status < 500);
      CHECK(res->body.find("{\"error\":") == 0);
    }
    auto spaced = stack.call("PATCH", "/api/restaurants", json{{"id", id}, {"agentApiToken", "a b"}}.dump(),
                             kAdmin);
    REQUIRE(spaced);
    CHECK(spaced->status == 400);
    auto long_token = stack.call("PATCH", "/api/restaurants",
                                 json{{"id", id}, {"agentApiToken", std::string(129, 'a')}}.dump(), kAdmin);
    REQUIRE(long_token);
    CHECK(long_token->status == 400);
  }

  stack.proxy_process->stop();
  auto log = stack.proxy_process->output();
  CHECK(log.find(token) == std::string::npos);
  CHECK(log.find("ak_replaced") == std::string::npos);
  CHECK(stack.transcript().find(token) == std::string::npos);
}

TEST_CASE("admin routes are off without ALLORESTO_ADMIN_TOKEN", "[admin]") {
  StackOptions options;
  options.proxy_env = {{"ALLORESTO_ADMIN_TOKEN", ""}};
  Stack stack(options);
  auto res = stack.call("POST", "/api/restaurants", R"({"name":"x"})", kAdmin);
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(res->body.find("{\"error\":") == 0);
}

TEST_CASE("an older restaurants table is brought up to date at start", "[admin]") {
  TempDir dir;
  auto db_path = dir.file("old.db");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       "CREATE TABLE restaurants (id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, "
                       "agent_id VARCHAR(64), created_at TEXT NOT NULL DEFAULT 'then');"
                       "INSERT INTO restaurants (id, name, agent_id) VALUES ('old1', 'La Vieille Table', 'a-1');",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  Process proxy({std::string(CHAT_BIN_DIR) + "/chat-proxy", "--listen", "127.0.0.1:0", "--db",
                 "sqlite:" + db_path},
                {{"ALLORESTO_ADMIN_TOKEN", kSiteAdminToken}});
  int port = proxy.wait_for_port();
  INFO(proxy.output());
  REQUIRE(port > 0);
  for (const char* name : {"001_base", "002_migrate-chat"}) {
    CHECK(proxy.output().find(std::string(R"("level":"info","migration":")") + name +
                              R"(","msg":"migration applied")") != std::string::npos);
  }
  httplib::Client cli("127.0.0.1", port);
  auto res = cli.Get("/api/restaurants/old1", kAdmin);
  REQUIRE(res);
  CHECK(res->status == 200);
  auto body = json::parse(res->body);
  CHECK(body.at("name") == "La Vieille Table");
  CHECK(body.at("hasToken") == false);
  auto page = cli.Get("/r/old1");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->body.find("La Vieille Table") != std::string::npos);
}

TEST_CASE("a migration that fails stops the start with exit 1 and names its file", "[admin]") {
  TempDir dir;
  auto db_path = dir.file("other.db");
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  // Something else's `restaurants`, which no ALTER TABLE can complete.
  REQUIRE(sqlite3_exec(db, "CREATE VIEW restaurants AS SELECT 1 AS id, 'x' AS name;", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  sqlite3_close(db);
  Process proxy(
      {std::string(CHAT_BIN_DIR) + "/chat-proxy", "--listen", "127.0.0.1:0", "--db", "sqlite:" + db_path});
  CHECK(proxy.wait_exit(std::chrono::seconds(20)) == 1);
  INFO(proxy.output());
  CHECK(proxy.output().find("migration sql/proxy/sqlite/001_base.sql failed: ") != std::string::npos);
  CHECK(proxy.output().find("\"msg\":\"listening\"") == std::string::npos);
}

TEST_CASE("bad configuration exits 2 with a message", "[admin]") {
  TempDir dir;
  for (const auto& [args, env] :
       std::vector<std::pair<std::vector<std::string>, std::map<std::string, std::string>>>{
           {{"--listen", "nowhere"}, {}},
           {{"--db", "mysql://x"}, {}},
           {{"--bogus"}, {}},
           {{}, {{"AGENT_SERVER_URL", "ftp://x"}}}}) {
    std::vector<std::string> argv = {std::string(CHAT_BIN_DIR) + "/chat-proxy"};
    argv.insert(argv.end(), args.begin(), args.end());
    Process proxy(argv, env);
    CHECK(proxy.wait_exit(std::chrono::seconds(5)) == 2);
    CHECK(proxy.output().rfind("chat-proxy: ", 0) == 0);
  }
  // Admin tokens that could be guessed: refused, named, never echoed (backfill too).
  const std::string short_token = "short-admin-token-1234567890abc";  // 31 characters
  for (const char* name : {"ALLORESTO_ADMIN_TOKEN", "AGENT_SERVER_ADMIN_TOKEN"}) {
    for (std::vector<std::string> argv :
         {std::vector<std::string>{std::string(CHAT_BIN_DIR) + "/chat-proxy", "--listen", "127.0.0.1:0", "--db",
                                   "sqlite:" + dir.file("p.db")},
          std::vector<std::string>{std::string(CHAT_BIN_DIR) + "/chat-proxy", "backfill", "--db",
                                   "sqlite:" + dir.file("p.db")}}) {
      INFO(name << " " << argv[1]);
      Process proxy(argv, {{name, short_token}});
      CHECK(proxy.wait_exit(std::chrono::seconds(5)) == 2);
      CHECK(proxy.output().rfind("chat-proxy: ", 0) == 0);
      CHECK(proxy.output().find(name) != std::string::npos);
      CHECK(proxy.output().find(short_token) == std::string::npos);
    }
  }
  Process help({std::string(CHAT_BIN_DIR) + "/chat-proxy", "--help"});
  CHECK(help.wait_exit(std::chrono::seconds(5)) == 0);
  CHECK(help.output().find("backfill") != std::string::npos);
}

TEST_CASE("a JSON body followed by a NUL and garbage gets 400 on both servers (raw sockets)", "[admin]") {
  Stack stack;
  auto [restaurant, agent_id] = stack.create_restaurant("Le Nul");
  auto [session, visitor] = stack.create_session(restaurant);
  auto post = [](const std::string& path, const std::string& body, const std::string& extra_headers) {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  };
  const std::string nul_text = std::string("{\"text\":\"hi\"}\0garbage", 21);
  struct Case {
    const char* what;
    int port;
    std::string request;
  };
  const std::vector<Case> cases = {
      {"proxy: POST /api/restaurants", stack.proxy_port,
       post("/api/restaurants", std::string("{\"name\":\"x\"}\0garbage", 20),
            "Authorization: Bearer " + kSiteAdminToken + "\r\n")},
      {"proxy: the admin route, a NUL right after the JSON", stack.proxy_port,
       post("/api/restaurants", std::string("{\"name\":\"x\"}\0", 13),
            "Authorization: Bearer " + kSiteAdminToken + "\r\n")},
      {"proxy -> agent server: a visitor's message", stack.proxy_port,
       post("/api/chat/" + restaurant + "/chat/sessions/" + session + "/messages", nul_text,
            "X-Chat-Visitor: " + visitor + "\r\n")},
      {"proxy -> agent server: a new session", stack.proxy_port,
       post("/api/chat/" + restaurant + "/chat/sessions", std::string("{}\0{\"visitorId\":1}", 18), "")},
      {"agent server: POST /api/agents", stack.agent_port,
       post("/api/agents", std::string("{\"name\":\"x\"}\0garbage", 20),
            "Authorization: Bearer " + kAgentAdminToken + "\r\n")},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto answer = raw_request(c.port, c.request);
    CHECK(answer.rfind("HTTP/1.1 400 ", 0) == 0);
    CHECK(answer.find(R"({"error":{"code":"invalid_json")") != std::string::npos);
  }
  // Nothing was created or stored by those requests.
  auto session_now = stack.call("GET", "/api/chat/" + restaurant + "/chat/sessions/" + session, "",
                                {{"X-Chat-Visitor", visitor}});
  REQUIRE(session_now);
  CHECK(nlohmann::json::parse(session_now->body).at("messages").empty());
}
