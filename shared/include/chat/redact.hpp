#pragma once
/// \file Masks secrets in text bound for a log line (an upstream's error message,
/// a URL): pure string work, no I/O, so both servers and the tests share it.

#include <string>
#include <string_view>

namespace chat {

/// What replaces each secret.
inline constexpr std::string_view kRedacted = "***";

/// `text` with every secret-looking part replaced by `***`, the rest kept as is:
/// - credentials in a URL: `https://user:pass@host` -> `https://***@host`;
/// - the credentials after `Bearer` or `Basic` (any case);
/// - the value of a field or query parameter whose name ends in key, token,
///   secret, password, passwd, pwd, signature, sig or credential(s)
///   (`?api_key=...`, `&token=...`, `"apiKey": "..."`, `x-api-key: ...`);
/// - API keys by their prefix: `sk-`, `sk_`, `ak_`, `pk_`, `rk_` followed by 6 or
///   more key characters (an echoed, half-masked `sk-abc****wxyz` included),
///   leaving the prefix (`sk-***`);
/// - any other run of 24 or more letters, digits, `_`, `-`, `+` or `=` that mixes
///   letters and digits (opaque tokens, JWT parts, hashes).
/// Invalid UTF-8 passes through untouched; only ASCII runs are replaced.
std::string redact_secrets(std::string_view text);

}  // namespace chat
