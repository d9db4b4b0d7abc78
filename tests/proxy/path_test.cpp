#include <catch2/catch.hpp>

#include "path.hpp"

using chat::ErrorCode;
using proxy::decide_chat_target;
using proxy::decide_widget_path;

namespace {

ErrorCode code_of(const std::string& target) {
  auto decided = decide_chat_target(target);
  REQUIRE_FALSE(decided.ok());
  return decided.error().code;
}

}  // namespace

TEST_CASE("chat routes are forwarded under /api/chat/", "[path]") {
  auto t = decide_chat_target("/api/chat/r1/chat/sessions");
  REQUIRE(t.ok());
  CHECK(t->restaurant_id == "r1");
  CHECK(t->path == "/api/chat/sessions");
  CHECK(t->query.empty());
  CHECK(t->path_and_query() == "/api/chat/sessions");

  auto events = decide_chat_target("/api/chat/0b0c8a5e-2f6e-4c1e-9d7a-1b2c3d4e5f60/chat/sessions/"
                                   "1f0e4a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b/events?visitor=AbC_-123&lastEventId=7");
  REQUIRE(events.ok());
  CHECK(events->path == "/api/chat/sessions/1f0e4a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b/events");
  CHECK(events->query == "visitor=AbC_-123&lastEventId=7");
}

TEST_CASE("queries are decoded once and encoded again", "[path]") {
  auto t = decide_chat_target("/api/chat/r1/chat/sessions?a=x%20y+z&b=%2e%2e%2F&flag&&c=%25");
  REQUIRE(t.ok());
  CHECK(t->query == "a=x%20y%20z&b=..%2F&flag&c=%25");
  // An unreserved character written as an escape is harmless and comes out plain.
  auto plain = decide_chat_target("/api/chat/r1/chat/s%61ssions");
  REQUIRE(plain.ok());
  CHECK(plain->path == "/api/chat/sassions");
}

TEST_CASE("hostile paths are refused with invalid_path", "[path]") {
  const char* hostile[] = {
      "/api/chat/r1/chat/../agents",
      "/api/chat/r1/chat/./sessions",
      "/api/chat/r1/../chat/sessions",
      "/api/chat/r1/chat/sessions/..",
      "/api/chat/r1/chat/%2e%2e/agents",
      "/api/chat/r1/chat/%2E%2E/agents",
      "/api/chat/r1/chat/.%2e/agents",
      "/api/chat/r1/chat/%2e./agents",
      "/api/chat/r1/chat%2f..%2fagents",
      "/api/chat/r1/chat%2F..%2Fagents",
      "/api/chat/r1/chat/..%2fagents",
      "/api/chat/r1/chat/%252e%252e/agents",
      "/api/chat/r1/chat/%252f",
      "/api/chat/r1/chat/%25",
      "/api/chat/r1/chat\\..\\agents",
      "/api/chat/r1/chat/%5c..%5cagents",
      "/api/chat/r1/chat/%5C",
      "/api/chat/r1/chat//sessions",
      "/api/chat/r1//chat/sessions",
      "/api/chat/r1/chat/sessions/",
      "/api/chat/r1/chat/",
      "/api/chat/r1/",
      "/api/chat/r1/CHAT/sessions",
      "/api/chat/r1/Chat/sessions",
      "/api/chat/r1/cHaT/sessions",
      "/api/chat/r1/%43hat/sessions",
      "/api/chat/r1/chat/sessions%00",
      "/api/chat/r1/chat/sessions%0d%0aX-Injected:%201",
      "/api/chat/r1/chat/sessions\r\nX: 1",
      "/api/chat/r1/chat/ses\tsions",
      "/api/chat/r1/chat/s\x7f",
      "/api/chat/r1/chat/s\xc3\xa9ssions",
      "/api/chat/r1/chat/%c3%a9",
      "/api/chat/r1/chat/%",
      "/api/chat/r1/chat/%2",
      "/api/chat/r1/chat/%zz",
      "/api/chat/r1/chat/sessions;jsessionid=1",
      "/api/chat/r1/chat/sessions#frag",
      "/api/chat/r1/chat/a b",
      "/api/chat/r1/chat/...",
      "/api/chat/r1/chat/%2e",
      "/api/chat/r1/chat/sessions%3fx=1",
      "/api/chat/r1/chat/@agents",
      "/api/chat/r%2e1/chat/sessions",
      "/api/chat/../chat/r1/chat/sessions",
      "/api/chat/%2e%2e/r1/chat/sessions",
      "/api/chat//chat/sessions",
      "/api/chat/r1\\/chat/sessions",
      "/api/chat/r1/chat/sessions?visitor=%zz",
      "/api/chat/r1/chat/sessions?visitor=%00",
      "/api/chat/r1/chat/sessions?a=b c",
      "/api/chat/r1/chat/sessions?=1",
      "/API/chat/r1/chat/sessions",
      "/api/CHAT/r1/chat/sessions",
      "/api%2fchat/r1/chat/sessions",
      "/api/ch%61t/r1/chat/sessions",
      "//api/chat/r1/chat/sessions",
      "http://evil/api/chat/r1/chat/sessions",
  };
  STATIC_REQUIRE(sizeof hostile / sizeof hostile[0] >= 40);
  for (const char* target : hostile) {
    INFO(target);
    CHECK(code_of(target) == ErrorCode::invalid_path);
  }
}

TEST_CASE("clean paths outside chat/ are not found", "[path]") {
  for (const char* target : {"/api/chat/r1/agents", "/api/chat/r1/agents/a1/rotate-tokens", "/api/chat/r1/chat",
                             "/api/chat/r1/chatx/sessions", "/api/chat/r1/healthz", "/api/chat/r1/metrics",
                             "/api/chat/r1/widget/chat.js", "/api/chat/r1"}) {
    INFO(target);
    CHECK(code_of(target) == ErrorCode::not_found);
  }
}

TEST_CASE("overlong targets and restaurant ids are refused", "[path]") {
  CHECK(code_of("/api/chat/r1/chat/" + std::string(600, 'a')) == ErrorCode::invalid_path);
  CHECK(code_of("/api/chat/r1/chat/s?" + std::string(3000, 'a')) == ErrorCode::invalid_path);
  CHECK(code_of("/api/chat/r1/chat/s?a=" + std::string(1100, 'a')) == ErrorCode::invalid_path);
  // Under the limit as sent, over it once re-encoded (found by proxy_path_fuzz).
  CHECK(code_of("/api/chat/r1/chat/s?a=" + std::string(400, '\\')) == ErrorCode::invalid_path);
  CHECK(code_of("/api/chat/" + std::string(65, 'r') + "/chat/sessions") == ErrorCode::invalid_path);
  CHECK(decide_chat_target("/api/chat/" + std::string(64, 'r') + "/chat/sessions").ok());
}

TEST_CASE("widget paths are one plain file name", "[path]") {
  CHECK(decide_widget_path("/widget/chat.js").value() == "/widget/chat.js");
  CHECK(decide_widget_path("/widget/chat-core.3f2a.wasm?v=1").value() == "/widget/chat-core.3f2a.wasm");
  for (const char* target :
       {"/widget/", "/widget/../api/agents", "/widget/.env", "/widget/a/b.js", "/widget/%2e%2e", "/widget/a%2fb",
        "/widget/a\\b", "/widgets/chat.js", "/widget/..", "/widget/\xc3\xa9.js"}) {
    INFO(target);
    auto decided = decide_widget_path(target);
    REQUIRE_FALSE(decided.ok());
    CHECK(decided.error().code == ErrorCode::invalid_path);
  }
}
