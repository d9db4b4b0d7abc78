// Phone verification rules as pure logic: the time is passed in.
#include <catch2/catch.hpp>

#include "verification.hpp"

using agent_server::check_code;
using agent_server::plan_send;
using agent_server::VerificationPolicy;
using agent_server::VerificationRecord;
using chat::ErrorCode;

namespace {

constexpr std::int64_t kT0 = 1'764'000'000'000;  // an arbitrary Unix ms
constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
const std::string kPhone = "+33612345678";
const std::string kSalt = "0123456789abcdef";

VerificationRecord sent(const std::string& code, std::int64_t at = kT0, VerificationRecord from = {}) {
  auto plan = plan_send(from, kPhone, code, kSalt, at, VerificationPolicy{});
  REQUIRE(plan.ok());
  return plan->next;
}

}  // namespace

TEST_CASE("the stored code is a salted SHA-256, never the code itself") {
  auto stored = agent_server::hash_code(kSalt, "123456");
  // hex(salt) ":" hex(sha256): 32 + 1 + 64 characters, fits verify_code VARCHAR(128).
  CHECK(stored.size() == 97);
  CHECK(stored.find("123456") == std::string::npos);
  CHECK(stored.substr(0, 33) == "30313233343536373839616263646566:");
  // printf '%s' 0123456789abcdef123456 | sha256sum
  CHECK(stored.substr(33) == "bd40fff07c089100cc7e65ee68a59d4529f993c03eb964ddb0c5763b1b88cc78");

  CHECK(agent_server::code_matches(stored, "123456"));
  CHECK_FALSE(agent_server::code_matches(stored, "123457"));
  CHECK_FALSE(agent_server::code_matches(stored, ""));
  CHECK_FALSE(agent_server::code_matches("garbage", "123456"));
  CHECK_FALSE(agent_server::code_matches("zz:zz", "123456"));
  // Another salt, another hash for the same code.
  CHECK(agent_server::hash_code("fedcba9876543210", "123456") != stored);
}

TEST_CASE("a send stores the phone, the hash and the send time, and answers masked") {
  auto plan = plan_send({}, kPhone, "123456", kSalt, kT0, VerificationPolicy{});
  REQUIRE(plan.ok());
  CHECK(plan->next.phone == kPhone);
  CHECK(plan->next.code_hash == agent_server::hash_code(kSalt, "123456"));
  CHECK(plan->next.attempts == 0);
  CHECK(plan->next.sends_ms == std::vector<std::int64_t>{kT0});
  CHECK_FALSE(plan->next.verified_at);
  CHECK(plan->response.phone == "+336******78");
  CHECK(plan->response.expires_in == 600);
  CHECK(plan->response.sends_left == 2);
}

TEST_CASE("sends are 60 s apart and 3 an hour, with Retry-After") {
  VerificationPolicy policy;
  auto first = sent("111111");

  auto too_soon = plan_send(first, kPhone, "222222", kSalt, kT0 + 59 * kSecond, policy);
  REQUIRE_FALSE(too_soon.ok());
  CHECK(too_soon.error().code == ErrorCode::too_many_attempts);
  CHECK(too_soon.error().status() == 429);
  CHECK(too_soon.error().retry_after == 1);

  auto second = sent("222222", kT0 + kMinute, first);
  auto third = sent("333333", kT0 + 2 * kMinute, second);
  auto fourth = plan_send(third, kPhone, "444444", kSalt, kT0 + 3 * kMinute, policy);
  REQUIRE_FALSE(fourth.ok());
  CHECK(fourth.error().code == ErrorCode::too_many_attempts);
  // The first send leaves the hour at kT0 + 60 min: 57 minutes from now.
  CHECK(fourth.error().retry_after == 57 * 60);

  auto later = plan_send(third, kPhone, "444444", kSalt, kT0 + 60 * kMinute, policy);
  REQUIRE(later.ok());
  CHECK(later->response.sends_left == 0);
  // Sends older than an hour are forgotten.
  CHECK(later->next.sends_ms == std::vector<std::int64_t>{kT0 + kMinute, kT0 + 2 * kMinute, kT0 + 60 * kMinute});
}

TEST_CASE("a new send replaces the pending code and resets the attempts") {
  auto first = sent("111111");
  auto wrong = check_code(first, "000000", kT0 + kSecond, {});
  REQUIRE(wrong.next);
  CHECK(wrong.next->attempts == 1);
  auto second = sent("222222", kT0 + kMinute, *wrong.next);
  CHECK(second.attempts == 0);
  CHECK(check_code(second, "111111", kT0 + kMinute + kSecond, {}).verified_at.error().code ==
        ErrorCode::invalid_code);
  CHECK(check_code(second, "222222", kT0 + kMinute + kSecond, {}).verified_at.ok());
}

TEST_CASE("the right code verifies once and clears the pending code") {
  auto pending = sent("123456");
  auto outcome = check_code(pending, "123456", kT0 + 30 * kSecond, {});
  REQUIRE(outcome.verified_at.ok());
  CHECK(outcome.verified_at.value() == chat::format_timestamp(kT0 + 30 * kSecond));
  REQUIRE(outcome.next);
  CHECK(outcome.next->verified_at == outcome.verified_at.value());
  CHECK_FALSE(outcome.next->code_hash);
  CHECK(outcome.next->phone == kPhone);

  auto again = check_code(*outcome.next, "123456", kT0 + 31 * kSecond, {});
  CHECK(again.verified_at.error().code == ErrorCode::already_verified);
  CHECK(again.verified_at.error().status() == 409);
  CHECK_FALSE(again.next);
  auto resend = plan_send(*outcome.next, kPhone, "654321", kSalt, kT0 + 10 * kMinute, {});
  CHECK(resend.error().code == ErrorCode::already_verified);
}

TEST_CASE("five wrong codes spend the code; attemptsLeft counts down") {
  auto record = sent("123456");
  for (int left = 4; left >= 0; --left) {
    auto outcome = check_code(record, "000000", kT0 + kSecond, {});
    REQUIRE_FALSE(outcome.verified_at.ok());
    CHECK(outcome.verified_at.error().code == ErrorCode::invalid_code);
    CHECK(outcome.verified_at.error().status() == 400);
    CHECK(outcome.verified_at.error().attempts_left == left);
    REQUIRE(outcome.next);
    record = *outcome.next;
  }
  CHECK(record.attempts == 5);
  // Even the right code is refused now, until a new one is sent.
  auto spent = check_code(record, "123456", kT0 + 2 * kSecond, {});
  CHECK(spent.verified_at.error().code == ErrorCode::too_many_attempts);
  CHECK(spent.verified_at.error().attempts_left == 0);
  CHECK(spent.verified_at.error().retry_after == 58);  // the next send, 60 s after the first
  CHECK_FALSE(spent.next);
}

TEST_CASE("codes expire after the TTL") {
  auto record = sent("123456");
  CHECK(check_code(record, "123456", kT0 + 10 * kMinute - 1, {}).verified_at.ok());
  auto late = check_code(record, "123456", kT0 + 10 * kMinute, {});
  CHECK(late.verified_at.error().code == ErrorCode::code_expired);
  CHECK(late.verified_at.error().status() == 400);
  CHECK_FALSE(late.next);

  VerificationPolicy short_ttl;
  short_ttl.code_ttl = std::chrono::seconds(2);
  CHECK(check_code(record, "123456", kT0 + 2 * kSecond, short_ttl).verified_at.error().code ==
        ErrorCode::code_expired);
}

TEST_CASE("verify before any send: no_code_pending") {
  auto outcome = check_code({}, "123456", kT0, {});
  CHECK(outcome.verified_at.error().code == ErrorCode::no_code_pending);
  CHECK(outcome.verified_at.error().status() == 409);
}

TEST_CASE("the SMS text carries the code in the session's language") {
  CHECK(agent_server::sms_text("123456", "fr", std::chrono::seconds(600)) ==
        "Votre code de vérification : 123456 (valable 10 min).");
  CHECK(agent_server::sms_text("123456", "en", std::chrono::seconds(600)) ==
        "Your verification code: 123456 (valid for 10 min).");
  CHECK(agent_server::sms_text("123456", "it", std::chrono::seconds(600)) ==
        "Il tuo codice di verifica: 123456 (valido 10 min).");
  CHECK(agent_server::sms_text("123456", "de", std::chrono::seconds(60)) ==
        "Votre code de vérification : 123456 (valable 1 min).");  // unknown: French
}

TEST_CASE("verify_sends round-trips and tolerates garbage") {
  std::vector<std::int64_t> sends{kT0, kT0 + kMinute};
  CHECK(agent_server::decode_sends(agent_server::encode_sends(sends)) == sends);
  CHECK(agent_server::decode_sends("").empty());
  CHECK(agent_server::decode_sends("{\"a\":1}").empty());
  CHECK(agent_server::decode_sends("[1,\"x\",2]") == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("mask_phone keeps the prefix and the last two digits") {
  CHECK(agent_server::mask_phone("+447700900123") == "+447*******23");
  CHECK(agent_server::mask_phone("+33") == "+33");
}

TEST_CASE("one number gets at most 5 codes an hour, across sessions") {
  VerificationPolicy policy;
  // Four sends from other sessions, 10 minutes apart.
  std::vector<std::int64_t> elsewhere{kT0, kT0 + 10 * kMinute, kT0 + 20 * kMinute, kT0 + 30 * kMinute};
  auto fifth = plan_send({}, kPhone, "123456", kSalt, kT0 + 40 * kMinute, policy, elsewhere);
  REQUIRE(fifth.ok());
  elsewhere.push_back(kT0 + 40 * kMinute);
  auto sixth = plan_send({}, kPhone, "123456", kSalt, kT0 + 41 * kMinute, policy, elsewhere);
  REQUIRE_FALSE(sixth.ok());
  CHECK(sixth.error().code == ErrorCode::too_many_attempts);
  CHECK(sixth.error().retry_after == 19 * 60);  // when the send at kT0 leaves the hour
  CHECK(plan_send({}, kPhone, "123456", kSalt, kT0 + 60 * kMinute, policy, elsewhere).ok());
  // This session's own sends to the same number count too.
  auto own = sent("111111");
  CHECK_FALSE(plan_send(own, kPhone, "222222", kSalt, kT0 + 41 * kMinute, policy,
                        {kT0 + 10 * kMinute, kT0 + 20 * kMinute, kT0 + 30 * kMinute, kT0 + 40 * kMinute})
                  .ok());
  // Another number is not affected.
  CHECK(plan_send({}, "+33700000000", "123456", kSalt, kT0 + 41 * kMinute, policy, {}).ok());
}
