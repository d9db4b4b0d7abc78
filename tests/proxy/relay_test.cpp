// A whole chat through the real chat-proxy and agent-server.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "store.hpp"
#include "support/stack.hpp"

using namespace proxy_test;
using Clock = std::chrono::steady_clock;

namespace {

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a chat streams through the proxy and no token ever reaches the browser", "[relay]") {
  // 200 ms a word: the reply takes seconds, so buffering anywhere would show.
  Stack stack({{{"LOCAL_MODEL_WORD_MS", "200"}}, {}, true, ""});
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  auto token = stack.agent_token(agent_id);
  auto public_token = stack.agent_public_token(agent_id);
  auto [session, visitor] = stack.create_session(restaurant);
  const std::string base = "/api/chat/" + restaurant + "/chat/sessions/" + session;

  SseReader events(stack.proxy_port, base + "/events?visitor=" + visitor);
  REQUIRE(events.wait_for("retry: 2000"));
  CHECK(events.status() == 200);
  CHECK(events.content_type() == "text/event-stream");

  auto posted = stack.call("POST", base + "/messages", R"({"text":"Bonjour, quand êtes-vous ouverts ?"})",
                           {{"X-Chat-Visitor", visitor}});
  REQUIRE(posted);
  CHECK(posted->status == 202);
  REQUIRE(events.wait_for("event: done", std::chrono::seconds(30)));

  // Every delta arrived on its own, long before the reply was done.
  auto chunks = events.chunks();
  Clock::time_point first_delta{}, done{};
  std::size_t delta_chunks = 0;
  for (const auto& c : chunks) {
    if (c.data.find("event: delta") != std::string::npos) {
      if (delta_chunks++ == 0) first_delta = c.at;
    }
    if (c.data.find("event: done") != std::string::npos) done = c.at;
  }
  auto text = events.text();
  CHECK(count_of(text, "event: delta") >= 3);
  CHECK(delta_chunks == count_of(text, "event: delta"));
  CHECK(done - first_delta >= std::chrono::milliseconds(400));
  CHECK(count_of(text, "id: 1\n") == 1);
  CHECK(count_of(text, "id: 2\n") == 1);
  stack.record(text);

  // A reconnect after the first message replays only what came after it.
  auto resumed = stack.call("GET", base, "", {{"X-Chat-Visitor", visitor}});
  REQUIRE(resumed);
  CHECK(resumed->status == 200);
  SseReader again(stack.proxy_port, base + "/events?visitor=" + visitor, {{"Last-Event-ID", "1"}});
  REQUIRE(again.wait_for("id: 2\n"));
  CHECK(again.text().find("id: 1\n") == std::string::npos);
  SseReader by_query(stack.proxy_port, base + "/events?visitor=" + visitor + "&lastEventId=1");
  REQUIRE(by_query.wait_for("id: 2\n"));
  CHECK(by_query.text().find("id: 1\n") == std::string::npos);
  stack.record(again.text() + by_query.text());

  // The client's own credentials never pass: a forged Authorization is replaced.
  auto forged = stack.call("POST", "/api/chat/" + restaurant + "/chat/sessions", "{}",
                           {{"Authorization", "Bearer " + kAgentAdminToken}, {"Cookie", "a=b"}});
  REQUIRE(forged);
  CHECK(forged->status == 201);

  events.close();
  again.close();
  by_query.close();
  stack.proxy_process->stop();
  auto log = stack.proxy_process->output();
  auto transcript = stack.transcript();
  CHECK(transcript.find(token) == std::string::npos);
  CHECK(log.find(token) == std::string::npos);
  CHECK(transcript.find(public_token) == std::string::npos);
  CHECK(log.find(public_token) == std::string::npos);
  CHECK(log.find(kAgentAdminToken) == std::string::npos);
  CHECK(log.find(kSiteAdminToken) == std::string::npos);
  CHECK(log.find(visitor) == std::string::npos);             // query strings are not logged
  CHECK(transcript.find("Chez Paul") != std::string::npos);  // the scan did see the traffic
}

TEST_CASE("request ids, forwarding headers and refusals", "[relay]") {
  Stack stack;
  auto [restaurant, agent_id] = stack.create_restaurant("Bistro");

  SECTION("a sane X-Request-Id is kept and reaches the agent server") {
    auto res = stack.call("POST", "/api/chat/" + restaurant + "/chat/sessions", "{}",
                          {{"X-Request-Id", "trace-123.abc"}});
    REQUIRE(res);
    CHECK(res->status == 201);
    CHECK(res->get_header_value("X-Request-Id") == "trace-123.abc");
    CHECK(Stack::eventually([&] {
      return stack.agent_process->output().find("\"requestId\":\"trace-123.abc\"") != std::string::npos;
    }));
    auto odd = stack.call("GET", "/healthz", "", {{"X-Request-Id", "bad id\"}"}});
    REQUIRE(odd);
    CHECK(odd->get_header_value("X-Request-Id").size() >= 16);
    CHECK(odd->get_header_value("X-Request-Id") != "bad id\"}");
  }
  SECTION("unknown restaurant: 404 restaurant_not_found") {
    auto res = stack.call("POST", "/api/chat/nope/chat/sessions", "{}");
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("\"restaurant_not_found\"") != std::string::npos);
  }
  SECTION("a restaurant without a token: 503 chat_unavailable") {
    auto store = proxy::open_store("sqlite:" + stack.proxy_db(), nullptr);
    REQUIRE(store.ok());
    proxy::RestaurantRow row;
    row.id = "no-token";
    row.name = "Sans jeton";
    REQUIRE(store.value()->insert(row).ok());
    auto res = stack.call("POST", "/api/chat/no-token/chat/sessions", "{}");
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(res->body.find("\"chat_unavailable\"") != std::string::npos);
  }
  SECTION("only GET, POST and DELETE: 405 JSON") {
    for (const char* method : {"PUT", "PATCH", "OPTIONS"}) {
      auto res = stack.call(method, "/api/chat/" + restaurant + "/chat/sessions", "{}");
      REQUIRE(res);
      CHECK(res->status == 405);
      CHECK(res->body.find("\"method_not_allowed\"") != std::string::npos);
    }
  }
  SECTION("bodies over 16 KB: 413 JSON, with a length or chunked") {
    std::string big = "{\"text\":\"" + std::string(17 * 1024, 'a') + "\"}";
    auto res = stack.call("POST", "/api/chat/" + restaurant + "/chat/sessions", big);
    REQUIRE(res);
    CHECK(res->status == 413);
    CHECK(res->body.find("\"payload_too_large\"") != std::string::npos);
    std::string chunked = "POST /api/chat/" + restaurant +
                          "/chat/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    for (int i = 0; i < 20; ++i) chunked += "400\r\n" + std::string(1024, 'a') + "\r\n";
    chunked += "0\r\n\r\n";
    auto raw = raw_request(stack.proxy_port, chunked);
    CHECK(raw.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(raw.find("\"payload_too_large\"") != std::string::npos);
  }
  SECTION("the agent server's errors pass through as they are") {
    auto res = stack.call("GET", "/api/chat/" + restaurant + "/chat/sessions/00000000-0000-4000-8000-000000000000",
                          "", {{"X-Chat-Visitor", "AAAAAAAAAAAAAAAAAAAAAAAA"}});
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body.find("\"session_not_found\"") != std::string::npos);
  }
}

TEST_CASE("widget assets are relayed with their caching headers", "[relay]") {
  Stack stack;
  REQUIRE(test_support::write_file(stack.widget_dir() + "/chat.js", "console.log(1);"));
  auto res = stack.call("GET", "/widget/chat.js");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "console.log(1);");
  CHECK(res->get_header_value("Content-Type").find("javascript") != std::string::npos);
  auto etag = res->get_header_value("ETag");
  REQUIRE_FALSE(etag.empty());
  CHECK_FALSE(res->get_header_value("Cache-Control").empty());
  auto cached = stack.call("GET", "/widget/chat.js", "", {{"If-None-Match", etag}});
  REQUIRE(cached);
  CHECK(cached->status == 304);
  CHECK(cached->body.empty());
  auto missing = stack.call("GET", "/widget/nope.js");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  auto sneaky = raw_request(stack.proxy_port,
                            "GET /widget/..%2fapi%2fagents HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(sneaky.rfind("HTTP/1.1 400", 0) == 0);
}

TEST_CASE("the public page embeds the widget under a strict CSP", "[relay]") {
  Stack stack;
  auto [restaurant, agent_id] = stack.create_restaurant("<script>alert(1)</script> & Fils");
  auto res = stack.call("GET", "/r/" + restaurant);
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  auto csp = res->get_header_value("Content-Security-Policy");
  CHECK(csp.find("script-src 'self' 'wasm-unsafe-eval'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(res->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK_FALSE(res->get_header_value("Referrer-Policy").empty());
  CHECK(count_of(res->body, "<script") == 1);
  CHECK(res->body.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Fils") != std::string::npos);
  CHECK(res->body.find("data-api-base=\"/api/chat/" + restaurant + "\"") != std::string::npos);
  auto missing = stack.call("GET", "/r/unknown-place");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->get_header_value("Content-Type") == "text/html; charset=utf-8");
}
