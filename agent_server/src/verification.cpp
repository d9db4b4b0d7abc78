#include "verification.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "chat/message.hpp"
#include "phrases.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;

constexpr std::int64_t kHourMs = 3600 * 1000;

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 0x0F]);
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::array<unsigned char, 32> sha256(std::string_view salt, std::string_view code) {
  std::array<unsigned char, 32> digest{};
  unsigned int size = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, salt.data(), salt.size()) == 1 &&
            EVP_DigestUpdate(ctx, code.data(), code.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, digest.data(), &size) == 1;
  EVP_MD_CTX_free(ctx);
  // Without a working SHA-256 nothing can be verified safely; an all-zero digest
  // would let every code through, so stop instead.
  if (!ok || size != digest.size()) std::abort();
  return digest;
}

int seconds_until(std::int64_t when_ms, std::int64_t now_ms) {
  std::int64_t ms = std::max<std::int64_t>(when_ms - now_ms, 0);
  return static_cast<int>(std::max<std::int64_t>((ms + 999) / 1000, 1));
}

// When the next send is allowed (now_ms when it already is), given the sends of
// the last hour.
std::int64_t next_send_allowed_ms(const std::vector<std::int64_t>& recent, std::int64_t now_ms,
                                  const VerificationPolicy& policy) {
  std::int64_t at = now_ms;
  if (!recent.empty()) {
    at = std::max(at, recent.back() + static_cast<std::int64_t>(policy.resend_gap.count()) * 1000);
  }
  if (static_cast<int>(recent.size()) >= policy.max_sends_per_hour && !recent.empty()) {
    // The oldest send that must leave the window before one more fits.
    std::size_t index = recent.size() - static_cast<std::size_t>(policy.max_sends_per_hour);
    at = std::max(at, recent[index] + kHourMs);
  }
  return at;
}

std::vector<std::int64_t> sends_in_last_hour(const std::vector<std::int64_t>& sends, std::int64_t now_ms) {
  std::vector<std::int64_t> recent;
  for (auto t : sends) {
    if (t > now_ms - kHourMs) recent.push_back(t);
  }
  std::sort(recent.begin(), recent.end());
  return recent;
}

}  // namespace

std::string hash_code(std::string_view salt, std::string_view code) {
  auto digest = sha256(salt, code);
  return to_hex(reinterpret_cast<const unsigned char*>(salt.data()), salt.size()) + ":" +
         to_hex(digest.data(), digest.size());
}

bool code_matches(std::string_view stored, std::string_view code) {
  auto colon = stored.find(':');
  if (colon == std::string_view::npos) return false;
  auto salt = from_hex(stored.substr(0, colon));
  auto expected = from_hex(stored.substr(colon + 1));
  if (!salt || !expected || expected->size() != 32) return false;
  auto digest = sha256(*salt, code);
  return CRYPTO_memcmp(digest.data(), expected->data(), digest.size()) == 0;
}

std::string mask_phone(std::string_view phone) {
  // Keep the country prefix's first digits and the last two, as SMS gateways do.
  std::string out(phone);
  std::size_t keep_head = std::min<std::size_t>(phone.size(), 4);
  for (std::size_t i = keep_head; i + 2 < out.size(); ++i) out[i] = '*';
  return out;
}

chat::Result<SendPlan> plan_send(const VerificationRecord& current, std::string_view phone, std::string_view code,
                                 std::string_view salt, std::int64_t now_ms, const VerificationPolicy& policy,
                                 const std::vector<std::int64_t>& phone_sends_elsewhere) {
  if (current.verified_at) {
    return Error(ErrorCode::already_verified, "this session's phone number is already verified");
  }
  auto recent = sends_in_last_hour(current.sends_ms, now_ms);
  std::int64_t allowed_at = next_send_allowed_ms(recent, now_ms, policy);
  if (allowed_at > now_ms) {
    bool hourly = static_cast<int>(recent.size()) >= policy.max_sends_per_hour;
    Error error(ErrorCode::too_many_attempts, hourly
                                                  ? "too many codes sent this hour; try again later"
                                                  : "a code was sent moments ago; wait before asking for another");
    error.retry_after = seconds_until(allowed_at, now_ms);
    return error;
  }
  auto to_phone = sends_in_last_hour(phone_sends_elsewhere, now_ms);
  for (auto t : recent) {
    if (current.phone == phone) to_phone.push_back(t);
  }
  std::sort(to_phone.begin(), to_phone.end());
  if (static_cast<int>(to_phone.size()) >= policy.max_sends_per_phone) {
    std::size_t index = to_phone.size() - static_cast<std::size_t>(policy.max_sends_per_phone);
    Error error(ErrorCode::too_many_attempts, "too many codes sent to this number this hour; try again later");
    error.retry_after = seconds_until(to_phone[index] + kHourMs, now_ms);
    return error;
  }
  recent.push_back(now_ms);

  SendPlan plan;
  plan.next = current;
  plan.next.phone = std::string(phone);
  plan.next.code_hash = hash_code(salt, code);
  plan.next.attempts = 0;
  plan.next.sends_ms = recent;
  plan.response.phone = mask_phone(phone);
  plan.response.expires_in = static_cast<int>(policy.code_ttl.count());
  plan.response.sends_left = std::max(policy.max_sends_per_hour - static_cast<int>(recent.size()), 0);
  return plan;
}

CheckOutcome check_code(const VerificationRecord& current, std::string_view code, std::int64_t now_ms,
                        const VerificationPolicy& policy) {
  auto fail = [](Error error) { return CheckOutcome{std::nullopt, std::move(error)}; };
  if (current.verified_at) {
    return fail(Error(ErrorCode::already_verified, "this session's phone number is already verified"));
  }
  if (!current.code_hash || current.code_hash->empty() || current.sends_ms.empty()) {
    return fail(Error(ErrorCode::no_code_pending, "no code was sent to this session; ask for one first"));
  }
  auto sent_at = *std::max_element(current.sends_ms.begin(), current.sends_ms.end());
  if (now_ms >= sent_at + static_cast<std::int64_t>(policy.code_ttl.count()) * 1000) {
    return fail(Error(ErrorCode::code_expired, "the code has expired; ask for a new one"));
  }
  if (current.attempts >= policy.max_attempts) {
    Error error(ErrorCode::too_many_attempts, "too many wrong codes; ask for a new one");
    error.attempts_left = 0;
    auto allowed_at = next_send_allowed_ms(sends_in_last_hour(current.sends_ms, now_ms), now_ms, policy);
    if (allowed_at > now_ms) error.retry_after = seconds_until(allowed_at, now_ms);
    return fail(std::move(error));
  }

  VerificationRecord next = current;
  if (!code_matches(*current.code_hash, code)) {
    next.attempts = current.attempts + 1;
    Error error(ErrorCode::invalid_code, "the code is not right");
    error.attempts_left = policy.max_attempts - next.attempts;
    return CheckOutcome{std::move(next), std::move(error)};
  }
  // verify_attempts keeps the wrong tries it took; the spent code goes away.
  next.code_hash.reset();
  next.verified_at = chat::format_timestamp(now_ms);
  std::string verified_at = *next.verified_at;
  return CheckOutcome{std::move(next), std::move(verified_at)};
}

std::string sms_text(std::string_view code, std::string_view lang, std::chrono::seconds ttl) {
  auto minutes = std::to_string(std::max<long long>((ttl.count() + 59) / 60, 1));
  return fill(phrases(lang).sms, {{"code", code}, {"minutes", minutes}});
}

std::string encode_sends(const std::vector<std::int64_t>& sends_ms) { return nlohmann::json(sends_ms).dump(); }

std::vector<std::int64_t> decode_sends(std::string_view text) {
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::int64_t> out;
  if (parsed.is_discarded() || !parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_number_integer()) out.push_back(item.get<std::int64_t>());
  }
  return out;
}

}  // namespace agent_server
