#include "chat/redact.hpp"

#include <array>
#include <cstddef>

namespace chat {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals_at(std::string_view text, std::size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(text[at + i]) != word[i]) return false;
  }
  return true;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Characters of a credential after Bearer/Basic (RFC 6750 b64token, plus `*` for
// one that is already half-masked).
bool is_credential_char(char c) {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' ||
         c == '*';
}

// Characters of an API key after its prefix.
bool is_key_char(char c) { return is_alnum(c) || c == '-' || c == '_' || c == '*'; }

// Characters of an opaque token (base64, base64url, hex, UUID-like).
bool is_opaque_char(char c) { return is_alnum(c) || c == '-' || c == '_' || c == '+' || c == '='; }

// Characters of a field or parameter name.
bool is_name_char(char c) { return is_alnum(c) || c == '-' || c == '_'; }

// Where a field's value stops.
bool ends_value(char c) {
  switch (c) {
    case '&':
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '"':
    case '\'':
    case ',':
    case ';':
    case ')':
    case '}':
    case ']':
    case '>':
    case '<':
    case '#': return true;
    default: return false;
  }
}

// 1. `scheme://user:pass@host` -> `scheme://***@host`.
std::string mask_url_credentials(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto at = text.find("://", i);
    if (at == std::string_view::npos) break;
    const std::size_t start = at + 3;
    std::size_t end = start;
    while (end < text.size()) {
      const char c = text[end];
      if (c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' ||
          c == '\'' || c == '<' || c == '>') {
        break;
      }
      ++end;
    }
    const auto authority = text.substr(start, end - start);
    const auto last_at = authority.rfind('@');
    out.append(text.substr(i, start - i));
    if (last_at != std::string_view::npos && last_at > 0) {
      out.append(kRedacted);
      out.append(authority.substr(last_at));
    } else {
      out.append(authority);
    }
    i = end;
  }
  out.append(text.substr(i));
  return out;
}

// 2. `Bearer <credential>`, `Basic <credential>`.
std::string mask_auth_schemes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t word = 0;
    if (i == 0 || !is_alnum(text[i - 1])) {
      if (iequals_at(text, i, "bearer"))
        word = 6;
      else if (iequals_at(text, i, "basic"))
        word = 5;
    }
    std::size_t j = i + word;
    if (word == 0 || j >= text.size() || (text[j] != ' ' && text[j] != '\t')) {
      out.push_back(text[i++]);
      continue;
    }
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    std::size_t end = j;
    while (end < text.size() && is_credential_char(text[end])) ++end;
    out.append(text.substr(i, j - i));
    if (end > j) out.append(kRedacted);
    i = end;
  }
  return out;
}

// 3. `name=value`, `name: value`, `"name": "value"` for secret-sounding names.
bool secret_name(std::string_view name) {
  std::string lowered;
  for (char c : name) lowered.push_back(lower(c));
  static constexpr std::array<std::string_view, 10> kTails{"key",        "token",      "secret",    "password",
                                                           "passwd",     "pwd",        "signature", "sig",
                                                           "credential", "credentials"};
  for (auto tail : kTails) {
    if (ends_with(lowered, tail)) return true;
  }
  return false;
}

std::string mask_secret_fields(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_name_char(text[i]) || (i > 0 && is_name_char(text[i - 1]))) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t name_end = i;
    while (name_end < text.size() && is_name_char(text[name_end])) ++name_end;
    const auto name = text.substr(i, name_end - i);
    std::size_t j = name_end;
    if (j < text.size() && (text[j] == '"' || text[j] == '\'')) ++j;  // a quoted JSON key
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (!secret_name(name) || j >= text.size() || (text[j] != '=' && text[j] != ':')) {
      out.append(name);
      i = name_end;
      continue;
    }
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && (text[j] == '"' || text[j] == '\'')) ++j;
    std::size_t end = j;
    while (end < text.size() && !ends_value(text[end])) ++end;
    out.append(text.substr(i, j - i));
    if (end > j) out.append(kRedacted);
    i = end;
  }
  return out;
}

// 4. `sk-...` and our own `ak_`/`pk_` tokens: the prefix stays, the key goes.
std::string mask_prefixed_keys(std::string_view text) {
  static constexpr std::array<std::string_view, 5> kPrefixes{"sk-", "sk_", "ak_", "pk_", "rk_"};
  constexpr std::size_t kMinKey = 6;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t prefix = 0;
    if (i == 0 || !is_key_char(text[i - 1])) {
      for (auto p : kPrefixes) {
        if (iequals_at(text, i, p)) prefix = p.size();
      }
    }
    std::size_t end = i + prefix;
    while (prefix != 0 && end < text.size() && is_key_char(text[end])) ++end;
    if (prefix == 0 || end - i - prefix < kMinKey) {
      out.push_back(text[i++]);
      continue;
    }
    out.append(text.substr(i, prefix));
    out.append(kRedacted);
    i = end;
  }
  return out;
}

// 5. Long opaque runs mixing letters and digits.
std::string mask_opaque_runs(std::string_view text) {
  constexpr std::size_t kMinRun = 24;
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_opaque_char(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t end = i;
    bool letters = false;
    bool digits = false;
    while (end < text.size() && is_opaque_char(text[end])) {
      letters = letters || is_alpha(text[end]);
      digits = digits || is_digit(text[end]);
      ++end;
    }
    if (end - i >= kMinRun && letters && digits) {
      out.append(kRedacted);
    } else {
      out.append(text.substr(i, end - i));
    }
    i = end;
  }
  return out;
}

}  // namespace

std::string redact_secrets(std::string_view text) {
  std::string out = mask_url_credentials(text);
  out = mask_auth_schemes(out);
  out = mask_secret_fields(out);
  out = mask_prefixed_keys(out);
  return mask_opaque_runs(out);
}

}  // namespace chat
