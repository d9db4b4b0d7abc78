// The agent server's route patterns (agent_server::match_route): what each kind of
// segment takes, and what it refuses.
#include <catch2/catch.hpp>

#include "routes.hpp"

using agent_server::match_route;
using Params = std::vector<std::string>;

TEST_CASE("a literal pattern matches itself only") {
  Params p;
  CHECK(match_route("/api/chat/sessions", "/api/chat/sessions", p));
  CHECK(p.empty());
  CHECK_FALSE(match_route("/api/chat/sessions", "/api/chat/sessions/", p));
  CHECK_FALSE(match_route("/api/chat/sessions", "/api/chat/session", p));
  CHECK_FALSE(match_route("/api/chat/sessions", "/api/chat/sessionsX", p));
  CHECK_FALSE(match_route("/healthz", "", p));
  CHECK(p.empty());
}

TEST_CASE(":name takes one non-empty segment, in order") {
  Params p;
  CHECK(match_route("/api/agents/:id/chat-sessions/:sessionId", "/api/agents/a1/chat-sessions/s-2", p));
  CHECK(p == Params{"a1", "s-2"});
  p.clear();
  CHECK(match_route("/api/chat/sessions/:id/events", "/api/chat/sessions/x.y%20z/events", p));
  CHECK(p == Params{"x.y%20z"});
  p.clear();
  CHECK_FALSE(match_route("/api/chat/sessions/:id", "/api/chat/sessions/", p));     // empty
  CHECK_FALSE(match_route("/api/chat/sessions/:id", "/api/chat/sessions/a/b", p));  // two segments
  CHECK_FALSE(match_route("/api/chat/sessions/:id/events", "/api/chat/sessions//events", p));
  CHECK_FALSE(match_route("/api/chat/sessions/:id/events", "/api/chat/sessions/a/event", p));
  CHECK(p.empty());  // nothing left behind by a failed match
}

TEST_CASE("a final * takes the non-empty rest, slashes included") {
  Params p;
  CHECK(match_route("/widget/*", "/widget/chat.js", p));
  CHECK(p == Params{"chat.js"});
  p.clear();
  CHECK(match_route("/widget/*", "/widget/a/b/../c", p));
  CHECK(p == Params{"a/b/../c"});
  p.clear();
  CHECK_FALSE(match_route("/widget/*", "/widget/", p));
  CHECK_FALSE(match_route("/widget/*", "/widget", p));
  CHECK(p.empty());
}

TEST_CASE("a failed match keeps what the params held before") {
  Params p{"earlier"};
  CHECK_FALSE(match_route("/api/agents/:id/rotate-tokens", "/api/agents/a1/rotate", p));
  CHECK(p == Params{"earlier"});
}
