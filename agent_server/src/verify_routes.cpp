// Phone verification routes: POST /api/chat/sessions/:id/phone sends a code by SMS,
// POST /api/chat/sessions/:id/verify checks it. The rules live in verification.cpp;
// here: load, decide, compare-and-set, then talk to the SMS sender.

#include <array>
#include <chrono>

#include "auth.hpp"
#include "chat/api/chat.hpp"
#include "chat/random.hpp"
#include "chat/redact.hpp"
#include "chat/validation.hpp"
#include "config.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "phrases.hpp"
#include "routes.hpp"
#include "sms.hpp"
#include "storage.hpp"
#include "verification.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;

// Two requests racing on one session (or two instances on one database): the loser
// of the compare-and-set reads again. More than this many losses in a row is abuse.
constexpr int kMaxRaces = 5;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

VerificationPolicy policy_of(const Config& config) {
  VerificationPolicy policy;
  policy.code_ttl = std::chrono::seconds(config.code_ttl_seconds);
  policy.resend_gap = std::chrono::seconds(config.code_resend_seconds);
  return policy;
}

Error lost_races() {
  Error error(ErrorCode::too_many_attempts, "too many simultaneous requests for this session");
  error.retry_after = 1;
  return error;
}

}  // namespace

void post_phone(Services& s, Call& c) {
  auto post = begin_visitor_post(s, c);
  if (!post) return;
  const auto& session = post->session;
  auto request = chat::api::decode_phone(c.body, session.lang);
  if (!request) return kit::send_error(c.res, request.error());
  if (auto refused = spend_client_budget(s, c.req, kit::Budget::sms, request->phone)) {
    return kit::send_error(c.res, *refused);
  }

  const auto policy = policy_of(s.config);
  const std::string code = chat::random_code();
  std::array<std::uint8_t, 16> salt{};
  chat::random_bytes(salt.data(), salt.size());
  const std::string salt_text(salt.begin(), salt.end());

  auto elsewhere = s.storage.sends_to_phone(request->phone, session.id);
  if (!elsewhere) return kit::send_failure(c.req, c.res, elsewhere.error());

  VerificationRecord before;
  std::optional<SendPlan> plan;
  for (int race = 0; race < kMaxRaces && !plan; ++race) {
    auto current = s.storage.find_verification(session.id);
    if (!current) return kit::send_failure(c.req, c.res, current.error());
    auto planned = plan_send(current.value(), request->phone, code, salt_text, now_ms(), policy,
                             elsewhere.value());
    if (!planned) return kit::send_error(c.res, planned.error());
    auto stored = s.storage.update_verification(session.id, current.value(), planned->next);
    if (!stored) return kit::send_failure(c.req, c.res, stored.error());
    if (stored.value()) {
      before = std::move(current).value();
      plan = std::move(planned).value();
    }
  }
  if (!plan) return kit::send_error(c.res, lost_races());

  auto sent = s.sms.send({request->phone, sms_text(code, session.lang, policy.code_ttl)});
  if (!sent) {
    // Undo, so a gateway failure does not spend one of the visitor's sends. If the
    // record changed meanwhile, the newer state wins.
    (void)s.storage.update_verification(session.id, plan->next, before);
    kit::log_event("warn", "verification sms failed",
                   {{"session", session.id},
                    {"to", mask_phone(request->phone)},
                    {"error", chat::to_string(sent.error().code)},
                    {"detail", chat::redact_secrets(sent.error().message)}});
    return kit::send_error(c.res, Error(sent.error().code, phrases(session.lang).sms_not_sent));
  }
  kit::log_event("info", "verification code sent",
                 {{"session", session.id}, {"to", plan->response.phone}, {"sender", s.sms.kind()}});
  kit::send_json(c.res, 202, chat::api::encode(plan->response));
}

void post_verify(Services& s, Call& c) {
  auto post = begin_visitor_post(s, c);
  if (!post) return;
  const auto& session = post->session;
  auto request = chat::api::decode_verify(c.body);
  if (!request) return kit::send_error(c.res, request.error());

  const auto policy = policy_of(s.config);
  for (int race = 0; race < kMaxRaces; ++race) {
    auto current = s.storage.find_verification(session.id);
    if (!current) return kit::send_failure(c.req, c.res, current.error());
    auto outcome = check_code(current.value(), request->code, now_ms(), policy);
    if (outcome.next) {
      auto stored = s.storage.update_verification(session.id, current.value(), *outcome.next);
      if (!stored) return kit::send_failure(c.req, c.res, stored.error());
      if (!stored.value()) continue;  // another attempt landed first: judge against it
    }
    if (!outcome.verified_at) {
      kit::log_event("info", "verification refused",
                     {{"session", session.id}, {"error", chat::to_string(outcome.verified_at.error().code)}});
      return kit::send_error(c.res, outcome.verified_at.error());
    }
    kit::log_event("info", "phone verified", {{"session", session.id}});
    chat::api::VerifyResponse response{true, outcome.verified_at.value()};
    return kit::send_json(c.res, 200, chat::api::encode(response));
  }
  kit::send_error(c.res, lost_races());
}

}  // namespace agent_server
