// The visitor's erasure relayed by the proxy (DELETE, chat/ paths only), and
// `chat-proxy conversations` reading a restaurant's chats from the agent server.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/stack.hpp"

using namespace proxy_test;
using nlohmann::json;

namespace {

struct Run {
  int status;
  std::string output;
};

Run conversations(Stack& stack, std::vector<std::string> args, bool admin_token = true) {
  std::vector<std::string> argv = {std::string(CHAT_BIN_DIR) + "/chat-proxy", "conversations"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--db", "sqlite:" + stack.proxy_db()});
  Process run(argv, {{"AGENT_SERVER_URL", "http://127.0.0.1:" + std::to_string(stack.agent_port)},
                     {"AGENT_SERVER_ADMIN_TOKEN", admin_token ? kAgentAdminToken : ""}});
  int status = run.wait_exit(std::chrono::seconds(20));
  return {status, run.output()};
}

// Posts a message through the proxy and waits until its reply is stored.
void say(Stack& stack, const std::string& restaurant, const std::string& session, const std::string& visitor,
         const std::string& text) {
  const std::string path = "/api/chat/" + restaurant + "/chat/sessions/" + session;
  auto posted = stack.call("POST", path + "/messages", json{{"text", text}}.dump(), {{"X-Chat-Visitor", visitor}});
  REQUIRE(posted);
  REQUIRE(posted->status == 202);
  REQUIRE(Stack::eventually([&] {
    auto res = stack.call("GET", path, "", {{"X-Chat-Visitor", visitor}});
    return res && res->status == 200 && json::parse(res->body).at("messages").size() >= 2;
  }));
}

}  // namespace

TEST_CASE("a visitor erases their conversation through the proxy; only chat/ paths are relayed",
          "[conversations]") {
  Stack stack;
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Marie");
  auto [session, visitor] = stack.create_session(restaurant);
  say(stack, restaurant, session, visitor, "Une table pour deux ?");
  const std::string path = "/api/chat/" + restaurant + "/chat/sessions/" + session;

  auto wrong = stack.call("DELETE", path, "", {{"X-Chat-Visitor", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
  REQUIRE(wrong);
  CHECK(wrong->status == 404);
  CHECK(wrong->body.find("\"session_not_found\"") != std::string::npos);
  auto none = stack.call("DELETE", path);
  REQUIRE(none);
  CHECK(none->status == 404);

  // Encodings and paths outside chat/ are refused before anything is forwarded.
  for (const std::string& bad :
       {"/api/chat/" + restaurant + "/chat%2Fsessions/" + session,
        "/api/chat/" + restaurant + "/chat/sessions/..%2F..%2Fagents%2F" + agent_id,
        "/api/chat/" + restaurant + "/chat/../agents/" + agent_id + "/chat-sessions/" + session,
        "/api/chat/" + restaurant + "/agents/" + agent_id + "/chat-sessions/" + session,
        "/api/chat/" + restaurant + "/%61gents/" + agent_id + "/chat-sessions/" + session}) {
    INFO(bad);
    auto res = stack.call("DELETE", bad, "", {{"X-Chat-Visitor", visitor}});
    REQUIRE(res);
    CHECK((res->status == 400 || res->status == 404));
    CHECK(res->body.find("\"error\"") != std::string::npos);
  }
  auto still = stack.call("GET", path, "", {{"X-Chat-Visitor", visitor}});
  REQUIRE(still);
  CHECK(still->status == 200);

  // A body on the DELETE is read and dropped; the erasure goes through.
  auto erased = stack.call("DELETE", path, "{\"ignored\":true}", {{"X-Chat-Visitor", visitor}});
  REQUIRE(erased);
  INFO(erased->body);
  CHECK(erased->status == 204);
  CHECK(erased->body.empty());
  auto gone = stack.call("GET", path, "", {{"X-Chat-Visitor", visitor}});
  REQUIRE(gone);
  CHECK(gone->status == 404);
  auto twice = stack.call("DELETE", path, "", {{"X-Chat-Visitor", visitor}});
  REQUIRE(twice);
  CHECK(twice->status == 404);
  CHECK(stack.transcript().find(stack.agent_token(agent_id)) == std::string::npos);
}

TEST_CASE("chat-proxy conversations prints a restaurant's chats, or their CSV, never a token", "[conversations]") {
  Stack stack;
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Marie");
  auto [s1, v1] = stack.create_session(restaurant);
  auto [s2, v2] = stack.create_session(restaurant);
  say(stack, restaurant, s1, v1, "Avez-vous une terrasse ?");
  say(stack, restaurant, s2, v2, "=1+1, \"vraiment\"");
  const std::string api_token = stack.agent_token(agent_id);
  const std::string public_token = stack.agent_public_token(agent_id);

  auto table = conversations(stack, {restaurant});
  INFO(table.output);
  CHECK(table.status == 0);
  CHECK(table.output.find(s1) != std::string::npos);
  CHECK(table.output.find(s2) != std::string::npos);
  CHECK(table.output.find("Avez-vous une terrasse ?") != std::string::npos);
  CHECK(table.output.find("2 conversation(s) for restaurant " + restaurant) != std::string::npos);

  auto csv = conversations(stack, {restaurant, "--csv"});
  INFO(csv.output);
  CHECK(csv.status == 0);
  CHECK(csv.output.rfind("sessionId,sessionCreatedAt,lang,phoneVerified,phone,seq,role,createdAt,text\r\n", 0) ==
        0);
  CHECK(csv.output.find("\"'=1+1, \"\"vraiment\"\"\"") != std::string::npos);

  // The site stores the chat-scoped publicToken: without the admin token, refused, and said why.
  auto without = conversations(stack, {restaurant}, false);
  CHECK(without.status == 1);
  CHECK(without.output.find("AGENT_SERVER_ADMIN_TOKEN") != std::string::npos);

  auto unknown = conversations(stack, {"nope"});
  CHECK(unknown.status == 1);
  CHECK(unknown.output.find("no restaurant nope") != std::string::npos);
  auto invalid = conversations(stack, {"../x"});
  CHECK(invalid.status == 1);

  for (const auto& run : {table, csv, without, unknown}) {
    CHECK(run.output.find(kAgentAdminToken) == std::string::npos);
    CHECK(run.output.find(api_token) == std::string::npos);
    CHECK(run.output.find(public_token) == std::string::npos);
  }
}
