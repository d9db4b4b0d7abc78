// /widget/* from WIDGET_DIR, /healthz and /metrics.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "server_fixture.hpp"

using agent_test::AgentServer;
using agent_test::open_chat;
using test_support::raw_http;
using test_support::raw_status;
using test_support::write_file;

TEST_CASE("widget files: content types, ETag, 304, cache policy") {
  AgentServer server;
  std::string dir = server.widget_dir();
  REQUIRE(write_file(dir + "/chat.js", "console.log('chat');\n"));
  REQUIRE(write_file(dir + "/chat.css", ".chat{color:red}\n"));
  REQUIRE(write_file(dir + "/chat-core.1a2b3c4d.wasm", std::string("\0asm\1\0\0\0", 8)));
  REQUIRE(write_file(dir + "/chat-core.1a2b3c4d.js", "var x;\n"));
  auto client = server.anonymous();

  auto js = client.get("/widget/chat.js");
  REQUIRE(js.status == 200);
  CHECK(js.body == "console.log('chat');\n");
  CHECK(js.header("Content-Type") == "text/javascript");
  CHECK(js.header("Cache-Control") == "no-cache");
  std::string etag = js.header("ETag");
  REQUIRE(etag.size() > 2);
  CHECK(etag.front() == '"');  // strong
  CHECK(client.get("/widget/chat.css").header("Content-Type") == "text/css");

  auto wasm = client.get("/widget/chat-core.1a2b3c4d.wasm");
  REQUIRE(wasm.status == 200);
  CHECK(wasm.header("Content-Type") == "application/wasm");
  CHECK(wasm.body == std::string("\0asm\1\0\0\0", 8));
  CHECK(wasm.header("Cache-Control") == "public, max-age=31536000, immutable");
  CHECK(client.get("/widget/chat-core.1a2b3c4d.js").header("Cache-Control") ==
        "public, max-age=31536000, immutable");

  auto again = client.get("/widget/chat.js", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.header("ETag") == etag);
  CHECK(client.get("/widget/chat.js", {{"If-None-Match", "\"other\", " + etag}}).status == 304);
  CHECK(client.get("/widget/chat.js", {{"If-None-Match", "\"other\""}}).status == 200);

  // A changed file gets a new ETag.
  REQUIRE(write_file(dir + "/chat.js", "console.log('v2');\n"));
  auto changed = client.get("/widget/chat.js", {{"If-None-Match", etag}});
  CHECK(changed.status == 200);
  CHECK(changed.header("ETag") != etag);

  auto head = client.request("HEAD", "/widget/chat.css", "");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
}

TEST_CASE("widget paths can't leave WIDGET_DIR") {
  AgentServer server;
  std::string dir = server.widget_dir();
  REQUIRE(write_file(dir + "/../secret.txt", "secret"));
  REQUIRE(write_file(dir + "/.hidden", "hidden"));
  REQUIRE(::symlink((dir + "/../secret.txt").c_str(), (dir + "/link.txt").c_str()) == 0);
  REQUIRE(::mkdir((dir + "/sub").c_str(), 0755) == 0);
  auto client = server.anonymous();

  for (const char* path : {"/widget/../secret.txt", "/widget/%2e%2e/secret.txt", "/widget/..%2fsecret.txt",
                           "/widget/.hidden", "/widget/link.txt", "/widget/sub", "/widget/sub/",
                           "/widget/missing.js", "/widget//etc/passwd", "/widget/%00"}) {
    INFO(path);
    auto res = client.get(path);
    CHECK(res.status == 404);
    CHECK(res.body.find("secret") == std::string::npos);
    CHECK(res.error_code() == "not_found");
  }
  // Raw, so no client normalises the dots.
  auto raw = raw_http(server.port(), "GET /widget/../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(raw_status(raw) != 200);
  CHECK(raw.find("\r\n\r\nsecret") == std::string::npos);
}

TEST_CASE("healthz and metrics") {
  AgentServer server;
  auto health = server.anonymous().get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.json().at("status") == "ok");
  CHECK(health.json().at("db") == "sqlite");

  auto chat = open_chat(server);
  REQUIRE(chat.post("Bonjour").status == 202);
  server.anonymous().get("/nope");
  // Poll: the reply finishes on its own thread.
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    text = server.anonymous().get("/metrics").body;
    if (text.find("agent_replies_total{outcome=\"ok\"} 1") != std::string::npos) break;
  }
  INFO(text);
  CHECK(text.find("agent_replies_total{outcome=\"ok\"} 1\n") != std::string::npos);
  CHECK(text.find("agent_http_requests_total{route=\"/api/chat/sessions/:id/messages\",status=\"202\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("agent_http_requests_total{route=\"/api/agents\",status=\"201\"} 1\n") != std::string::npos);
  CHECK(text.find("agent_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n") != std::string::npos);
  CHECK(text.find("agent_errors_total{code=\"not_found\"} 1\n") != std::string::npos);
  CHECK(text.find("agent_open_streams 0\n") != std::string::npos);
  CHECK(text.find("agent_reply_seconds_count 1\n") != std::string::npos);
  CHECK(text.find("agent_first_delta_seconds_count 1\n") != std::string::npos);
  CHECK(text.find("# TYPE agent_reply_seconds histogram") != std::string::npos);
}
