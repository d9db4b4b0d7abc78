#include <catch2/catch.hpp>

#include "rate_limiter.hpp"

using agent_server::RateLimiter;
using namespace std::chrono_literals;

TEST_CASE("a session bucket lets a minute's worth through, then asks to wait") {
  RateLimiter limiter(3, 0);
  auto t = RateLimiter::Clock::now();
  CHECK_FALSE(limiter.try_acquire("s", "a", t).has_value());
  CHECK_FALSE(limiter.try_acquire("s", "a", t).has_value());
  CHECK_FALSE(limiter.try_acquire("s", "a", t).has_value());
  auto wait = limiter.try_acquire("s", "a", t);
  REQUIRE(wait.has_value());
  CHECK(*wait == 20);                                             // one token per 20 s at 3 a minute
  CHECK_FALSE(limiter.try_acquire("other", "a", t).has_value());  // per session
  CHECK(*limiter.try_acquire("s", "a", t + 15s) == 5);
  CHECK_FALSE(limiter.try_acquire("s", "a", t + 20s).has_value());
}

TEST_CASE("the agent bucket spans sessions, and a refusal takes no token") {
  RateLimiter limiter(100, 2);
  auto t = RateLimiter::Clock::now();
  CHECK_FALSE(limiter.try_acquire("s1", "a", t).has_value());
  CHECK_FALSE(limiter.try_acquire("s2", "a", t).has_value());
  CHECK(limiter.try_acquire("s3", "a", t).has_value());
  CHECK_FALSE(limiter.try_acquire("s3", "b", t).has_value());
  CHECK_FALSE(limiter.try_acquire("s3", "a", t + 30s).has_value());
}

TEST_CASE("zero turns a limit off") {
  RateLimiter limiter(0, 0);
  auto t = RateLimiter::Clock::now();
  for (int i = 0; i < 1000; ++i) REQUIRE_FALSE(limiter.try_acquire("s", "a", t).has_value());
}
