// kit::ClientBudgets: one client's flood never takes another's budget.
#include <catch2/catch.hpp>

#include "kit/budgets.hpp"

using Clock = kit::ClientBudgets::Clock;
using namespace std::chrono_literals;

TEST_CASE("a client's budget runs out and refills, another client's is untouched") {
  kit::BudgetLimits limits;
  limits.messages_per_minute = 3;
  kit::ClientBudgets budgets(limits);
  auto t0 = Clock::now();
  for (int i = 0; i < 3; ++i) CHECK_FALSE(budgets.take(kit::Budget::messages, "10.0.0.1", t0));
  auto refused = budgets.take(kit::Budget::messages, "10.0.0.1", t0);
  REQUIRE(refused);
  CHECK(refused->code == chat::ErrorCode::rate_limited);
  CHECK(refused->status() == 429);
  CHECK(refused->retry_after == 20);  // one message every 60/3 s
  CHECK_FALSE(budgets.take(kit::Budget::messages, "10.0.0.2", t0));
  CHECK_FALSE(budgets.take(kit::Budget::messages, "10.0.0.1", t0 + 20s));
  CHECK(budgets.take(kit::Budget::messages, "10.0.0.1", t0 + 21s));

  std::string metrics;
  budgets.render(metrics, "agent");
  CHECK(metrics.find("agent_client_budget_refused_total{budget=\"messages\"} 2") != std::string::npos);
}

TEST_CASE("budgets are kept apart, and 0 turns one off") {
  kit::BudgetLimits limits;
  limits.sessions_per_hour = 1;
  limits.messages_per_minute = 0;
  kit::ClientBudgets budgets(limits);
  auto t0 = Clock::now();
  CHECK_FALSE(budgets.take(kit::Budget::sessions, "c", t0));
  CHECK(budgets.take(kit::Budget::sessions, "c", t0));
  for (int i = 0; i < 1000; ++i) CHECK_FALSE(budgets.take(kit::Budget::messages, "c", t0));
}

TEST_CASE("SMS: a few distinct numbers an hour, the same number again does not count twice") {
  kit::BudgetLimits limits;
  limits.sms_per_hour = 10;
  limits.phones_per_hour = 2;
  kit::ClientBudgets budgets(limits);
  auto t0 = Clock::now();
  CHECK_FALSE(budgets.take_sms("c", "+33611111111", t0));
  CHECK_FALSE(budgets.take_sms("c", "+33622222222", t0 + 1s));
  CHECK_FALSE(budgets.take_sms("c", "+33611111111", t0 + 2s));
  auto third = budgets.take_sms("c", "+33633333333", t0 + 3s);
  REQUIRE(third);
  CHECK(third->message.find("phone numbers") != std::string::npos);
  CHECK(*third->retry_after > 3500);
  CHECK_FALSE(budgets.take_sms("other", "+33633333333", t0 + 3s));
  // An hour after a number was last asked for, its slot is free again.
  CHECK(budgets.take_sms("c", "+33633333333", t0 + 1h + 1s));
  CHECK_FALSE(budgets.take_sms("c", "+33633333333", t0 + 1h + 3s));
}

TEST_CASE("SMS sends are capped even to one number") {
  kit::BudgetLimits limits;
  limits.sms_per_hour = 2;
  kit::ClientBudgets budgets(limits);
  auto t0 = Clock::now();
  CHECK_FALSE(budgets.take_sms("c", "+33611111111", t0));
  CHECK_FALSE(budgets.take_sms("c", "+33611111111", t0));
  auto refused = budgets.take_sms("c", "+33611111111", t0);
  REQUIRE(refused);
  CHECK(refused->message.find("codes") != std::string::npos);
}
