#include "stream_ticket.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <memory>

#include "chat/validation.hpp"
#include "kit/http.hpp"

namespace agent_server {
namespace {

constexpr std::size_t kMaxExpiryDigits = 12;

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacCtx = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;

// HMAC-SHA256, its algorithms looked up once: OpenSSL 3's one-shot HMAC() looks
// both up by name on every call (7 % of the agent server's CPU per session made).
// Each call copies the prototype, which is only read.
MacCtx new_hmac_sha256() {
  static const MacCtx prototype = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    MacCtx ctx(mac ? EVP_MAC_CTX_new(mac) : nullptr);
    EVP_MAC_free(mac);  // the context keeps its own reference
    char digest[] = OSSL_DIGEST_NAME_SHA2_256;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_END};
    if (ctx && EVP_MAC_CTX_set_params(ctx.get(), params) != 1) ctx.reset();
    return ctx;
  }();
  return MacCtx(prototype ? EVP_MAC_CTX_dup(prototype.get()) : nullptr);
}

std::string mac_of(std::string_view key, std::string_view session_id, std::string_view visitor_id,
                   std::string_view expires) {
  // What is signed names its purpose, so this MAC can never pass for another one.
  std::string message = "chat-stream-ticket\n";
  message.append(session_id).append("\n").append(visitor_id).append("\n").append(expires);
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  std::size_t size = 0;
  auto ctx = new_hmac_sha256();
  if (!ctx ||
      EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      EVP_MAC_final(ctx.get(), digest.data(), &size, digest.size()) != 1) {
    return {};
  }
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned bits = 0;
  int held = 0;
  for (std::size_t i = 0; i < size; ++i) {
    bits = (bits << 8) | digest[i];
    held += 8;
    while (held >= 6) {
      held -= 6;
      out += kAlphabet[(bits >> held) & 0x3F];
    }
  }
  if (held > 0) out += kAlphabet[(bits << (6 - held)) & 0x3F];
  return out;
}

}  // namespace

std::string make_stream_ticket(std::string_view key, std::string_view session_id, std::string_view visitor_id,
                               std::int64_t expires) {
  const std::string when = std::to_string(expires);
  return std::string(session_id) + "." + when + "." + mac_of(key, session_id, visitor_id, when);
}

std::optional<StreamTicket> parse_stream_ticket(std::string_view text) {
  const auto first = text.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  StreamTicket t;
  t.session_id = std::string(text.substr(0, first));
  const std::string when(text.substr(first + 1, second - first - 1));
  t.mac = std::string(text.substr(second + 1));
  if (!chat::is_valid_uuid(t.session_id) || when.empty() || when.size() > kMaxExpiryDigits ||
      when.find_first_not_of("0123456789") != std::string::npos || t.mac.size() != 43) {
    return std::nullopt;
  }
  t.expires = std::stoll(when);
  return t;
}

bool stream_ticket_signed(const StreamTicket& ticket, std::string_view key, std::string_view visitor_id) {
  if (key.empty()) return false;
  return kit::constant_time_equals(ticket.mac,
                                   mac_of(key, ticket.session_id, visitor_id, std::to_string(ticket.expires)));
}

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace agent_server
