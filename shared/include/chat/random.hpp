#pragma once
/// \file Random ids from a CSPRNG: getrandom(2) natively, crypto.getRandomValues in
/// the browser (and in node, for the WASM tests).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace chat {

/// Fills the buffer with cryptographically secure random bytes. Aborts if the
/// platform has no CSPRNG: there is no safe fallback.
void random_bytes(std::uint8_t* out, std::size_t size);

/// `chars` characters drawn uniformly from the base64url alphabet (6 bits each).
std::string random_base64url(std::size_t chars);
/// A random (version 4) UUID, lowercase: session, message and agent ids.
std::string random_uuid();
/// A visitor id: 24 base64url characters (144 bits).
std::string random_visitor_id();
/// A secret token with a prefix ("ak_", "pk_"): 43 base64url characters (258 bits).
std::string random_token(std::string_view prefix);
/// A verification code: six uniformly drawn digits.
std::string random_code();

}  // namespace chat
