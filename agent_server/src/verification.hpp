#pragma once
// Phone verification as pure logic: what a send or a check does to a session's
// verification record, given the time. No I/O here; the routes load the record,
// call plan_send / check_code, store the result (compare-and-set) and send the SMS.
//
// The code is never stored: only SHA-256(salt || code) with a fresh random salt per
// code. A code expires `code_ttl` after it was sent, allows `max_attempts` wrong
// tries, and sends are capped per hour and spaced by `resend_gap`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/api/chat.hpp"
#include "chat/error.hpp"

namespace agent_server {

struct VerificationPolicy {
  std::chrono::seconds code_ttl{600};
  int max_attempts = 5;
  int max_sends_per_hour = 3;
  /// Codes an hour to one number across all sessions: no SMS bombing of a stranger
  /// by opening session after session.
  int max_sends_per_phone = 5;
  std::chrono::seconds resend_gap{60};
};

/// The verification columns of a session's `call_records` row.
struct VerificationRecord {
  std::optional<std::string> phone;        ///< caller_number, E.164
  std::optional<std::string> code_hash;    ///< verify_code: "<salt hex>:<sha256 hex>"; none pending when empty
  int attempts = 0;                        ///< verify_attempts: wrong tries on the pending code
  std::vector<std::int64_t> sends_ms;      ///< verify_sends: send times (Unix ms) within the last hour
  std::optional<std::string> verified_at;  ///< verified_at, ISO 8601

  friend bool operator==(const VerificationRecord& a, const VerificationRecord& b) {
    return a.phone == b.phone && a.code_hash == b.code_hash && a.attempts == b.attempts &&
           a.sends_ms == b.sends_ms && a.verified_at == b.verified_at;
  }
  friend bool operator!=(const VerificationRecord& a, const VerificationRecord& b) { return !(a == b); }
};

/// `"<salt hex>:<sha256(salt || code) hex>"`, with `salt` as raw bytes.
std::string hash_code(std::string_view salt, std::string_view code);
/// Hashes `code` with the salt stored in `stored` and compares in constant time.
bool code_matches(std::string_view stored, std::string_view code);

/// "+33612345678" -> "+336******78": what the API echoes and what logs may show.
std::string mask_phone(std::string_view phone);

struct SendPlan {
  VerificationRecord next;  ///< to store before the SMS goes out
  chat::api::PhoneResponse response;
};

/// A new code for `phone`: already_verified (409) once verified, too_many_attempts
/// (429, retry_after set) while the gap or the hourly caps forbid a send. `code` and
/// `salt` come from the caller (a CSPRNG in the server, fixed values in tests);
/// `phone_sends_elsewhere` are the send times to `phone` from other sessions.
chat::Result<SendPlan> plan_send(const VerificationRecord& current, std::string_view phone, std::string_view code,
                                 std::string_view salt, std::int64_t now_ms, const VerificationPolicy& policy,
                                 const std::vector<std::int64_t>& phone_sends_elsewhere = {});

struct CheckOutcome {
  /// The record to store (attempts counted, or verified); nullopt: nothing changes.
  std::optional<VerificationRecord> next;
  /// The verified time on success; else the error to answer (invalid_code carries
  /// attemptsLeft).
  chat::Result<std::string> verified_at;
};

/// Checks `code`: already_verified, no_code_pending (409), code_expired (400),
/// too_many_attempts (429) once the attempts are spent, invalid_code (400) with
/// the attempts left, or success (the pending code is cleared).
CheckOutcome check_code(const VerificationRecord& current, std::string_view code, std::int64_t now_ms,
                        const VerificationPolicy& policy);

/// The SMS text in the session's language (its table of phrases, phrases.hpp).
std::string sms_text(std::string_view code, std::string_view lang, std::chrono::seconds ttl);

/// verify_sends as stored: a JSON array of Unix ms; malformed text reads as empty.
std::string encode_sends(const std::vector<std::int64_t>& sends_ms);
std::vector<std::int64_t> decode_sends(std::string_view text);

}  // namespace agent_server
