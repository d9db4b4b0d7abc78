#include "chat/validation.hpp"

#include <cstdint>

#include "chat/languages.hpp"
#include "error_message.hpp"

namespace chat {
namespace {

constexpr std::uint32_t kInvalid = 0xFFFFFFFF;

/// Decodes one well-formed UTF-8 sequence at `pos`; kInvalid (and len 1) when the
/// bytes there are not one (overlong, surrogate, past U+10FFFF, truncated, stray).
std::uint32_t decode_at(std::string_view s, std::size_t pos, std::size_t& len) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(pos);
  len = 1;
  if (b0 < 0x80) return b0;
  std::size_t need = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1Fu;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0Fu;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07u;
    min = 0x10000;
  } else {
    return kInvalid;  // continuation byte, C0/C1 (always overlong) or F5..FF
  }
  if (pos + need >= s.size()) return kInvalid;  // truncated
  for (std::size_t i = 1; i <= need; ++i) {
    const unsigned char b = byte(pos + i);
    if ((b & 0xC0u) != 0x80u) return kInvalid;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalid;
  len = need + 1;
  return cp;
}

/// Unicode White_Space plus U+FEFF: the set JavaScript's String.prototype.trim
/// removes (and NEL), so the widget and the servers agree on what "empty" means.
bool is_space(std::uint32_t cp) noexcept {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF: return true;
    default: return cp >= 0x2000 && cp <= 0x200A;
  }
}

/// The code point that ends at `end` (exclusive), if the bytes before it are one.
std::uint32_t decode_before(std::string_view s, std::size_t end, std::size_t& len) noexcept {
  // A sequence is at most 4 bytes: find its lead byte, then check it spans exactly to end.
  for (std::size_t back = 1; back <= 4 && back <= end; ++back) {
    const auto b = static_cast<unsigned char>(s[end - back]);
    if ((b & 0xC0u) == 0x80u) continue;
    std::size_t n = 0;
    const std::uint32_t cp = decode_at(s, end - back, n);
    if (cp == kInvalid || n != back) break;
    len = n;
    return cp;
  }
  len = 1;
  return kInvalid;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_base64url(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t len = 0;
    if (decode_at(text, pos, len) == kInvalid) return false;
    pos += len;
  }
  return true;
}

std::size_t utf8_length(std::string_view text) noexcept {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++n;
  }
  return n;
}

std::string_view trim(std::string_view text) noexcept {
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t len = 0;
    const std::uint32_t cp = decode_at(text, begin, len);
    if (cp == kInvalid || !is_space(cp)) break;
    begin += len;
  }
  std::size_t end = text.size();
  while (end > begin) {
    std::size_t len = 0;
    const std::uint32_t cp = decode_before(text, end, len);
    if (cp == kInvalid || !is_space(cp) || end - len < begin) break;
    end -= len;
  }
  return text.substr(begin, end - begin);
}

// Rules, in order: invalid UTF-8 -> invalid_utf8; CRLF and lone CR become LF (what a
// textarea's value holds); nothing left after trimming -> message_empty; any other
// control character (C0 but tab and newline, DEL, C1) -> invalid_request, since
// it is not text a person typed; over 2000 code points -> message_too_long.
Result<std::string> validate_message_text(std::string_view text) {
  if (!is_valid_utf8(text)) return ErrorCode::invalid_utf8;
  std::string normalised;
  normalised.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      normalised += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      normalised += text[i];
    }
  }
  const std::string_view trimmed = trim(normalised);
  if (trimmed.empty()) return ErrorCode::message_empty;
  for (std::size_t pos = 0; pos < trimmed.size();) {
    std::size_t len = 0;
    const std::uint32_t cp = decode_at(trimmed, pos, len);
    const bool control = (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
    if (control) {
      return Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("The message contains a control character."));
    }
    pos += len;
  }
  if (utf8_length(trimmed) > kMaxMessageChars) return ErrorCode::message_too_long;
  return std::string(trimmed);
}

// ---- Phone numbers ---------------------------------------------------------------

namespace {

struct Country {
  std::string_view lang;
  std::string_view code;         // calling code, without '+'
  std::size_t min_national = 0;  // significant digits after the code (no trunk 0)
  std::size_t max_national = 0;
  bool trunk_zero = true;  // a national number's leading 0 is a trunk prefix E.164 drops
};
// The countries whose national format we accept (by the session's language). France
// and the UK dial national numbers with a trunk 0 that E.164 drops; Italy has none: its
// landlines keep their 0 after +39 (06 1234 5678), its mobiles start with 3.
constexpr Country kCountries[] = {
    {"fr", "33", 9, 9},
    {"en", "44", 9, 10},
    {"it", "39", 6, 11, false},
};
constexpr std::size_t kMinE164Digits = 8;
constexpr std::size_t kMaxE164Digits = 15;
constexpr std::size_t kMaxPhoneInput = 64;

const Country* country_for_lang(std::string_view lang) noexcept {
  for (const auto& c : kCountries) {
    if (c.lang == lang) return &c;
  }
  return nullptr;
}

const Country* country_for_number(std::string_view digits) noexcept {
  for (const auto& c : kCountries) {
    if (digits.substr(0, c.code.size()) == c.code) return &c;
  }
  return nullptr;
}

Error bad_phone([[maybe_unused]] const char* why) {
  return Error(ErrorCode::invalid_phone, CHAT_ERROR_MESSAGE(why));
}

}  // namespace

Result<std::string> normalize_phone(std::string_view input, std::string_view lang) {
  const std::string_view text = trim(input);
  if (text.empty()) return bad_phone("The phone number is empty.");
  if (text.size() > kMaxPhoneInput) return bad_phone("The phone number is too long.");

  // Separators may sit between digits; one '+' may lead (also inside a parenthesis,
  // as in "(+44) 7700 900123").
  std::string digits;
  bool plus = false;
  for (const char c : text) {
    if (is_digit(c)) {
      digits += c;
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
      return bad_phone("A phone number has only digits, spaces, dots, dashes and parentheses.");
    }
  }
  if (!plus && digits.size() > 2 && digits.compare(0, 2, "00") == 0) {
    digits.erase(0, 2);
    plus = true;
  }

  if (plus) {
    if (digits.empty() || digits[0] == '0') return bad_phone("The country code is not valid.");
    if (const Country* c = country_for_number(digits)) {
      // "+33 0612345678" and "+44 (0)7700 900123" carry a trunk 0 people often keep.
      std::string national = digits.substr(c->code.size());
      if (c->trunk_zero && !national.empty() && national[0] == '0' && national.size() == c->max_national + 1) {
        national.erase(0, 1);
      }
      if (national.size() < c->min_national || national.size() > c->max_national ||
          (c->trunk_zero && national[0] == '0')) {
        return bad_phone("The phone number has the wrong number of digits.");
      }
      digits = std::string(c->code) + national;
    }
  } else {
    const Country* c = country_for_lang(lang);
    if (c == nullptr) return bad_phone("Include the country code, as in +33 6 12 34 56 78.");
    // France, the UK: a trunk 0 that E.164 drops. Italy: the number whole, a landline
    // (0...) or a mobile (3...).
    const char lead = digits.empty() ? ' ' : digits[0];
    if (lead != '0' && (c->trunk_zero || lead != '3')) {
      return bad_phone(c->trunk_zero
                           ? "A national number starts with 0; otherwise include the country code."
                           : "A national number starts with 0 or 3; otherwise include the country code.");
    }
    const std::string national = c->trunk_zero ? digits.substr(1) : digits;
    if (national.size() < c->min_national || national.size() > c->max_national ||
        (c->trunk_zero && national[0] == '0')) {
      return bad_phone("The phone number has the wrong number of digits.");
    }
    digits = std::string(c->code) + national;
  }
  if (digits.size() < kMinE164Digits) return bad_phone("The phone number is too short.");
  if (digits.size() > kMaxE164Digits) return bad_phone("The phone number is too long.");
  return "+" + digits;
}

// ---- Identifiers -----------------------------------------------------------------

bool is_valid_visitor_id(std::string_view id) noexcept {
  if (id.size() < kMinVisitorIdChars || id.size() > kMaxVisitorIdChars) return false;
  for (const char c : id) {
    if (!is_base64url(c)) return false;
  }
  return true;
}

bool is_valid_uuid(std::string_view id) noexcept {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!is_digit(c) && !(c >= 'a' && c <= 'f')) {
      return false;
    }
  }
  return true;
}

bool is_valid_code(std::string_view code) noexcept {
  if (code.size() != kVerificationCodeDigits) return false;
  for (const char c : code) {
    if (!is_digit(c)) return false;
  }
  return true;
}

bool is_supported_lang(std::string_view lang) noexcept { return lang_from_code(lang).has_value(); }

bool is_valid_position(std::string_view position) noexcept {
  return position == "bottom-right" || position == "bottom-left";
}

namespace {

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A DNS name or an IPv4 address: dot-separated labels of [a-z0-9-], 1 to 63 each,
// not starting or ending with '-'. Non-ASCII names come in their punycode form.
bool is_host_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label = 0;
  char prev = '.';
  for (char c : host) {
    if (c == '.') {
      if (label == 0 || prev == '-') return false;
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      if (label == 0 && c == '-') return false;
      if (++label > 63) return false;
    } else {
      return false;
    }
    prev = c;
  }
  return label > 0 && prev != '-';
}

}  // namespace

std::optional<std::string> normalize_origin(std::string_view input) {
  std::string s(trim(input));
  if (s.empty() || s.size() > 300) return std::nullopt;
  for (auto& c : s) c = lower_ascii(c);
  const auto sep = s.find("://");
  if (sep == std::string::npos) return std::nullopt;
  const std::string scheme = s.substr(0, sep);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string rest = s.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  std::string host;
  std::string port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos || close < 3) return std::nullopt;
    host = rest.substr(0, close + 1);
    for (std::size_t i = 1; i < close; ++i) {
      const char c = host[i];
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == ':' || c == '.')) return std::nullopt;
    }
    rest.erase(0, close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else {
    const auto colon = rest.find(':');
    host = rest.substr(0, colon);
    if (colon != std::string::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) return std::nullopt;
    }
    if (!is_host_name(host)) return std::nullopt;
  }
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const long n = std::stol(port);
    if (n < 1 || n > 65535) return std::nullopt;
    port = std::to_string(n);
    if ((scheme == "http" && n == 80) || (scheme == "https" && n == 443)) port.clear();
  }
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

}  // namespace chat
