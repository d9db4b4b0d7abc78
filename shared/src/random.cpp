#include "chat/random.hpp"

#include <array>
#include <cstdlib>

#ifdef __EMSCRIPTEN__
#include <emscripten/em_js.h>
#include <emscripten/em_macros.h>  // EMSCRIPTEN_KEEPALIVE, which em_js.h uses but (3.1.6) does not include
#else
#include <sys/random.h>
#include <cerrno>
#endif

namespace chat {
namespace {

#ifdef __EMSCRIPTEN__
// Web Crypto caps one getRandomValues call at 65536 bytes. In node 20
// globalThis.crypto is the same API. Without it there is no safe source: abort.
EM_JS(void, chat_crypto_fill, (uint8_t * out, size_t size), {
  var c = globalThis.crypto;
  if (!c || !c.getRandomValues) abort("no crypto.getRandomValues");
  for (var off = 0; off < size; off += 65536) {
    var n = Math.min(65536, size - off);
    c.getRandomValues(HEAPU8.subarray(out + off, out + off + n));
  }
});
#endif

constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

void random_bytes(std::uint8_t* out, std::size_t size) {
#ifdef __EMSCRIPTEN__
  if (size > 0) chat_crypto_fill(out, size);
#else
  while (size > 0) {
    const ssize_t got = ::getrandom(out, size, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      std::abort();  // no CSPRNG: ids and tokens would be guessable
    }
    out += got;
    size -= static_cast<std::size_t>(got);
  }
#endif
}

std::string random_base64url(std::size_t chars) {
  // 64 divides 256, so the low 6 bits of a uniform byte are uniform: no rejection needed.
  std::string out(chars, '\0');
  std::array<std::uint8_t, 64> buf{};
  for (std::size_t i = 0; i < chars; i += buf.size()) {
    random_bytes(buf.data(), buf.size());
    for (std::size_t k = 0; k < buf.size() && i + k < chars; ++k) {
      out[i + k] = kBase64Url[buf[k] & 0x3Fu];
    }
  }
  return out;
}

std::string random_uuid() {
  std::array<std::uint8_t, 16> b{};
  random_bytes(b.data(), b.size());
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0Fu) | 0x40u);  // version 4
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3Fu) | 0x80u);  // RFC 4122 variant
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0Fu];
  }
  return out;
}

std::string random_visitor_id() { return random_base64url(24); }

std::string random_token(std::string_view prefix) { return std::string(prefix) + random_base64url(43); }

std::string random_code() {
  // Rejection sampling: bytes 250..255 would favour digits 0..5 under % 10.
  std::string out;
  std::array<std::uint8_t, 16> buf{};
  while (out.size() < 6) {
    random_bytes(buf.data(), buf.size());
    for (const std::uint8_t byte : buf) {
      if (byte >= 250) continue;
      out += static_cast<char>('0' + byte % 10);
      if (out.size() == 6) break;
    }
  }
  return out;
}

}  // namespace chat
