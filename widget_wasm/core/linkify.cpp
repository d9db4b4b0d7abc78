#include "linkify.hpp"

#include <cctype>

#include "chat/validation.hpp"

namespace widget {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

// Where a link may start: at the start of the text or after a non-word character,
// so "xhttp://" or "awww.x" are not links ("_" and "*" may open Markdown emphasis).
bool at_word_start(std::string_view text, std::size_t i) {
  if (i == 0) {
    return true;
  }
  auto c = static_cast<unsigned char>(text[i - 1]);
  return !(std::isalnum(c) || c == '/' || c == '.' || c == '@' || c == '+');
}

std::size_t prefix_length(std::string_view rest) {
  for (std::string_view p : {"https://", "http://", "www."}) {
    if (starts_with_ci(rest, p)) {
      return p.size();
    }
  }
  return 0;
}

// A link runs to the next space or character that can't be in a URL as people type it.
bool ends_link(unsigned char c) {
  return std::isspace(c) || c < 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '`' || c == '{' ||
         c == '}' || c == '|' || c == '\\' || c == '^';
}

// "*" and "_" end a link too when they close Markdown emphasis ("**https://a.fr**").
bool is_trailing_punctuation(char c) {
  switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '\'':
    case ')':
    case ']':
    case '*':
    case '_': return true;
    default: return false;
  }
}

// Keeps a closing parenthesis that matches an opening one inside the link
// (https://fr.wikipedia.org/wiki/Paris_(France)).
std::size_t trim_end(std::string_view link) {
  std::size_t end = link.size();
  while (end > 0 && is_trailing_punctuation(link[end - 1])) {
    if (link[end - 1] == ')') {
      auto body = link.substr(0, end - 1);
      std::size_t open = 0;
      std::size_t close = 0;
      for (char c : body) {
        open += c == '(';
        close += c == ')';
      }
      if (open > close) {
        break;
      }
    }
    --end;
  }
  return end;
}

std::optional<AutoLink> web_link_at(std::string_view rest) {
  std::size_t plen = prefix_length(rest);
  if (plen == 0) {
    return std::nullopt;
  }
  std::size_t end = plen;
  while (end < rest.size() && !ends_link(static_cast<unsigned char>(rest[end]))) {
    ++end;
  }
  std::size_t len = trim_end(rest.substr(0, end));
  if (len <= plen) {  // "http://" or "www." alone is not a link
    return std::nullopt;
  }
  std::string shown(rest.substr(0, len));
  return AutoLink{len, plen == 4 ? "https://" + shown : shown};
}

// Longer than any number as written, "+33 (0)1 23 45 67 89" included: the scan
// stops there, so a long row of digits costs nothing.
constexpr std::size_t kMaxPhoneChars = 24;

// A number as people write it: digits, one space, dot or dash between them, and the
// trunk "(0)" after a country code. National numbers (leading 0) need 10 or 11
// digits (France, the UK); with "+", chat::normalize_phone decides.
std::optional<AutoLink> phone_at(std::string_view rest) {
  const bool plus = rest[0] == '+';
  std::size_t j = plus ? 1 : 0;
  std::string digits;
  while (j < rest.size() && j <= kMaxPhoneChars) {
    const char c = rest[j];
    const std::string_view next = rest.substr(j + 1);
    if (is_digit(c)) {
      digits += c;
      ++j;
    } else if (rest.substr(j, 3) == "(0)" && plus && !digits.empty()) {
      j += 3;
    } else if ((c == ' ' || c == '.' || c == '-') && is_digit(rest[j - 1]) && !next.empty() &&
               (is_digit(next[0]) || next.substr(0, 3) == "(0)")) {
      ++j;
    } else {
      break;
    }
  }
  if (j > kMaxPhoneChars || (j < rest.size() && std::isalnum(static_cast<unsigned char>(rest[j])))) {
    return std::nullopt;
  }
  if (plus) {
    auto e164 = chat::normalize_phone(rest.substr(0, j), "fr");
    return e164 ? std::optional<AutoLink>(AutoLink{j, "tel:" + e164.value()}) : std::nullopt;
  }
  // "00..." is an international prefix, never a national number.
  if (digits.size() < 10 || digits.size() > 11 || digits[0] != '0' || digits[1] == '0') {
    return std::nullopt;
  }
  return AutoLink{j, "tel:" + digits};
}

}  // namespace

std::optional<AutoLink> autolink_at(std::string_view text, std::size_t i) {
  if (i >= text.size() || !at_word_start(text, i)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(i);
  if (rest[0] == '+' || is_digit(rest[0])) {
    return phone_at(rest);
  }
  return web_link_at(rest);
}

std::string link_target(std::string_view url) {
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7F) {
      return {};
    }
  }
  if (starts_with_ci(url, "www.") && url.size() > 4) {
    return "https://" + std::string(url);
  }
  for (std::string_view scheme : {"https://", "http://", "mailto:", "tel:"}) {
    if (starts_with_ci(url, scheme) && url.size() > scheme.size()) {
      return std::string(url);
    }
  }
  return {};
}

}  // namespace widget
