#pragma once
/// \file Input validation that the widget and both servers share.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "chat/error.hpp"

namespace chat {

inline constexpr std::size_t kMaxMessageChars = 2000;  ///< Unicode code points
inline constexpr std::size_t kMaxBodyBytes = 16 * 1024;
inline constexpr std::size_t kMinVisitorIdChars = 22;  ///< 22 x 6 bits >= 128 bits
inline constexpr std::size_t kMaxVisitorIdChars = 64;
inline constexpr std::size_t kVerificationCodeDigits = 6;

/// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;
/// Number of code points in valid UTF-8.
std::size_t utf8_length(std::string_view text) noexcept;
/// Trims Unicode whitespace at both ends.
std::string_view trim(std::string_view text) noexcept;

/// A visitor's message: trimmed, valid UTF-8, 1 to 2000 code points, no NUL or other
/// control characters but tab and newline. Returns the trimmed text.
Result<std::string> validate_message_text(std::string_view text);

/// Normalises a phone number to E.164 (`+33612345678`). National numbers take the
/// country of the language (`fr` -> +33, `en` -> +44, `it` -> +39); `00` prefixes
/// become `+`.
/// Spaces, dots, dashes and parentheses are allowed between digits.
Result<std::string> normalize_phone(std::string_view input, std::string_view lang);

/// Visitor ids: 22 to 64 characters of the base64url alphabet [A-Za-z0-9_-].
bool is_valid_visitor_id(std::string_view id) noexcept;
/// Session, message and agent ids: lowercase UUIDs.
bool is_valid_uuid(std::string_view id) noexcept;
/// Verification codes: exactly six ASCII digits.
bool is_valid_code(std::string_view code) noexcept;
/// Languages the product speaks: a code of chat::kLangCodes (languages.hpp).
bool is_supported_lang(std::string_view lang) noexcept;
/// Widget positions: "bottom-right" or "bottom-left".
bool is_valid_position(std::string_view position) noexcept;

/// A web origin as a browser sends it in `Origin`: `http` or `https`, `://`, a host
/// (DNS name, IPv4, or [IPv6]) and an optional port, nothing else (no path, query,
/// user or wildcard; a single trailing `/` is dropped). Returns it lowercased, the
/// default port (80, 443) left out, e.g. "HTTPS://Www.Chez-Marcel.fr:443/" ->
/// "https://www.chez-marcel.fr"; nullopt when it is not one.
std::optional<std::string> normalize_origin(std::string_view input);

}  // namespace chat
