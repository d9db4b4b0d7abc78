// Every class of bad input gets the JSON error (docs/design.md#errors) with its status, and
// leaves the server and the stored conversation intact.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using test_support::raw_body;
using test_support::raw_http;
using test_support::raw_status;

namespace {

void check_error(const test_support::HttpResponse& res, int status, const std::string& code) {
  INFO(res.body);
  CHECK(res.status == status);
  CHECK(res.error_code() == code);
  CHECK(res.header("Content-Type") == "application/json");
  CHECK(res.json().at("error").at("message").is_string());
}

}  // namespace

TEST_CASE("bad bodies on the chat routes") {
  AgentServer server;
  Chat chat = open_chat(server);
  REQUIRE(chat.post("Bonjour").status == 202);
  auto client = server.anonymous();
  auto h = chat.headers();
  std::string messages = "/api/chat/sessions/" + chat.session_id + "/messages";

  check_error(client.post(messages, "{not json", h), 400, "invalid_json");
  check_error(client.post(messages, "[1,2]", h), 400, "invalid_request");
  check_error(client.post(messages, R"({"text": 5})", h), 400, "invalid_request");
  check_error(client.post(messages, R"({"txt": "x"})", h), 400, "invalid_request");
  check_error(client.post(messages, "\"\xff\xfe\"", h), 400, "invalid_json");
  check_error(client.post(messages, R"({"text": "x"})", h, "text/plain"), 415, "unsupported_media_type");
  check_error(client.post_json(messages, {{"text", "   "}}, h), 422, "message_empty");
  check_error(client.post_json(messages, {{"text", std::string(2001, 'a')}}, h), 422, "message_too_long");
  check_error(client.post(messages, std::string(17 * 1024, ' '), h), 413, "payload_too_large");
  check_error(client.post("/api/chat/sessions", R"({"lang": "de"})", {{"Authorization", "Bearer " + chat.token}}),
              400, "invalid_request");

  // Nothing of that reached the conversation.
  auto session = chat.get().json();
  REQUIRE(session.at("messages").size() >= 1);
  CHECK(session.at("messages")[0].at("text") == "Bonjour");
  for (const auto& m : session.at("messages")) CHECK(m.at("seq") <= 2);
}

TEST_CASE("bad bodies on the admin routes") {
  AgentServer server;
  auto admin = server.admin();
  check_error(admin.post("/api/agents", "{", {}), 400, "invalid_json");
  check_error(admin.post("/api/agents", "{}", {}), 400, "invalid_request");
  check_error(admin.post("/api/agents", R"({"name": ["x"]})", {}), 400, "invalid_request");
  check_error(admin.post("/api/agents", R"({"name": "x", "chatEnabled": "yes"})", {}), 400, "invalid_request");
  check_error(admin.post_json("/api/agents", {{"name", "  "}}), 400, "invalid_request");
  check_error(admin.post("/api/agents", R"({"name": "x"})", {}, "application/x-www-form-urlencoded"), 415,
              "unsupported_media_type");
  auto agent = server.create_agent();
  std::string path = "/api/agents/" + agent.at("id").get<std::string>();
  check_error(admin.request("PATCH", path, R"({"chatModel": 3})"), 400, "invalid_request");
  check_error(admin.request("PATCH", path, "nope"), 400, "invalid_json");
  CHECK(admin.get(path).json() == agent);
}

TEST_CASE("unknown routes, wrong methods and bad tokens") {
  AgentServer server;
  auto client = server.admin();
  check_error(client.get("/nope"), 404, "not_found");
  check_error(client.get("/api/chat/sessions/x/unknown"), 404, "not_found");
  auto wrong = client.request("DELETE", "/api/agents", "");
  check_error(wrong, 405, "method_not_allowed");
  CHECK(wrong.header("Allow") == "POST");
  check_error(client.request("PUT", "/healthz", "{}"), 405, "method_not_allowed");
  check_error(client.get("/api/chat/sessions"), 405, "method_not_allowed");
  check_error(server.anonymous().get("/api/agents/x", {{"Authorization", "Bearer"}}), 401, "unauthorized");
  check_error(server.anonymous().get("/api/agents/x", {{"Authorization", "Token abc"}}), 401, "unauthorized");
}

TEST_CASE("raw protocol abuse: chunked bodies over the limit, garbage, then the server still answers") {
  AgentServer server;
  Chat chat = open_chat(server);

  // Chunked bodies carry no Content-Length: the server counts them itself.
  std::string chunked = "POST /api/chat/sessions/" + chat.session_id +
                        "/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + chat.token +
                        "\r\nX-Chat-Visitor: " + chat.visitor +
                        "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunk(4096, 'a');
  char size[16];
  std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
  for (int i = 0; i < 6; ++i) chunked += size + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  // The answer comes at once; the server may keep the socket open, so don't wait long.
  const auto quick = std::chrono::milliseconds(1500);
  auto response = raw_http(server.port(), chunked, quick);
  CHECK(raw_status(response) == 413);
  CHECK(response.find("payload_too_large") != std::string::npos);

  // A small chunked body is read whole.
  std::string body = R"({"text":"Bonjour"})";
  std::string small = "POST /api/chat/sessions/" + chat.session_id +
                      "/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + chat.token +
                      "\r\nX-Chat-Visitor: " + chat.visitor +
                      "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::snprintf(size, sizeof size, "%zx\r\n", body.size());
  small += size + body + "\r\n0\r\n\r\n";
  CHECK(raw_status(raw_http(server.port(), small)) == 202);

  // A declared length over the limit is refused before the body is read.
  std::string big = "POST /api/agents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: 1000000\r\n\r\n{";
  auto refused = raw_http(server.port(), big, quick);
  CHECK(raw_status(refused) == 413);
  CHECK(raw_body(refused).find("payload_too_large") != std::string::npos);

  auto garbage = raw_http(server.port(), "HELLO\r\n\r\n", quick);
  CHECK(raw_status(garbage) == 400);
  raw_http(server.port(), std::string(100000, 'x'), std::chrono::milliseconds(500));
  raw_http(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n", std::chrono::milliseconds(300));  // never finished

  auto health = server.anonymous().get("/healthz");
  CHECK(health.status == 200);
  auto session = chat.get().json();
  CHECK(session.at("messages").at(0).at("text") == "Bonjour");
}
