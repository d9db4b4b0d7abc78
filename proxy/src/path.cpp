#include "path.hpp"

#include <optional>
#include <vector>

namespace proxy {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

namespace {

constexpr std::string_view kChatPrefix = "/api/chat/";
constexpr std::string_view kWidgetPrefix = "/widget/";
constexpr std::size_t kMaxWidgetNameChars = 128;

Error invalid(std::string message) { return Error(ErrorCode::invalid_path, std::move(message)); }

bool is_alnum(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 3986 unreserved characters minus '.', which only ever appears literally (so
// that "%2e" can't smuggle a dot segment past us).
bool is_plain_segment_char(unsigned char c) noexcept { return is_alnum(c) || c == '-' || c == '_' || c == '~'; }

std::optional<unsigned char> hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return static_cast<unsigned char>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned char>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<unsigned char>(c - 'A' + 10);
  return std::nullopt;
}

// Decodes "%XY" at text[i]; nullopt when it is not a well-formed escape.
std::optional<unsigned char> escape_at(std::string_view text, std::size_t i) noexcept {
  if (i + 2 >= text.size()) return std::nullopt;
  auto hi = hex_value(text[i + 1]);
  auto lo = hex_value(text[i + 2]);
  if (!hi || !lo) return std::nullopt;
  return static_cast<unsigned char>(*hi * 16 + *lo);
}

// Decodes the path part once. Only the characters a chat route can hold survive:
// letters, digits, '-', '_', '~' (literal or escaped), literal '.' and '/'.
Result<std::string> decode_path_once(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c == '%') {
      auto decoded = escape_at(raw, i);
      if (!decoded) return invalid("malformed percent-escape in the path");
      if (!is_plain_segment_char(*decoded)) {
        // Encoded '.', '/', '\', '%' (double encoding) and everything else unusual.
        return invalid("encoded character not allowed in the path");
      }
      out.push_back(static_cast<char>(*decoded));
      i += 2;
    } else if (is_plain_segment_char(c) || c == '.' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else if (c == '\\') {
      return invalid("backslash in the path");
    } else if (c < 0x20 || c == 0x7f) {
      return invalid("control character in the path");
    } else if (c >= 0x80) {
      return invalid("non-ASCII byte in the path");
    } else {
      return invalid("character not allowed in the path");
    }
  }
  return out;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    auto end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool is_dots_only(std::string_view segment) noexcept {
  return segment.find_first_not_of('.') == std::string_view::npos;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if ((x | 0x20) != (y | 0x20) || !is_alnum(x)) return false;
  }
  return true;
}

void append_encoded(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (is_plain_segment_char(c) || c == '.') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
}

// Query components are decoded once ('+' is a space, as form encoding has it) and
// encoded again from scratch, so the agent server sees one unambiguous spelling.
Result<std::string> decode_query_component(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c == '%') {
      auto decoded = escape_at(raw, i);
      if (!decoded) return invalid("malformed percent-escape in the query");
      c = *decoded;
      i += 2;
    } else if (c == '+') {
      c = ' ';
    } else if (c <= 0x20 || c >= 0x7f) {
      return invalid("raw character not allowed in the query");
    }
    if (c < 0x20 || c == 0x7f) return invalid("control character in the query");
    out.push_back(static_cast<char>(c));
  }
  return out;
}

Result<std::string> reencode_query(std::string_view raw) {
  if (raw.size() > kMaxQueryBytes) return invalid("query too long");
  std::string out;
  for (auto part : split(raw, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto key = decode_query_component(part.substr(0, eq));
    if (!key) return key.error();
    if (key->empty()) return invalid("empty query parameter name");
    if (!out.empty()) out.push_back('&');
    append_encoded(out, *key);
    if (eq != std::string_view::npos) {
      auto value = decode_query_component(part.substr(eq + 1));
      if (!value) return value.error();
      out.push_back('=');
      append_encoded(out, *value);
    }
  }
  // Re-encoding can triple a query: the limit holds for what is forwarded too.
  if (out.size() > kMaxQueryBytes) return invalid("query too long");
  return out;
}

}  // namespace

std::string ChatTarget::path_and_query() const { return query.empty() ? path : path + "?" + query; }

bool is_valid_restaurant_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxRestaurantIdChars) return false;
  for (char ch : id) {
    auto c = static_cast<unsigned char>(ch);
    if (!is_alnum(c) && c != '-' && c != '_') return false;
  }
  return true;
}

Result<ChatTarget> decide_chat_target(std::string_view raw_target) {
  if (raw_target.size() > kMaxTargetBytes) return invalid("request target too long");
  auto question = raw_target.find('?');
  auto raw_path = raw_target.substr(0, question);
  auto raw_query = question == std::string_view::npos ? std::string_view{} : raw_target.substr(question + 1);
  if (raw_path.size() > kMaxPathBytes) return invalid("path too long");
  // The route matched on the server's decoded path; the raw one must agree, literally.
  if (raw_path.substr(0, kChatPrefix.size()) != kChatPrefix) {
    return invalid("path must start with /api/chat/ as written");
  }
  auto rest = raw_path.substr(kChatPrefix.size());
  auto slash = rest.find('/');
  auto restaurant_id = rest.substr(0, slash);
  if (!is_valid_restaurant_id(restaurant_id)) return invalid("invalid restaurant id");
  if (slash == std::string_view::npos) return Error(ErrorCode::not_found, "no such route");

  auto decoded = decode_path_once(rest.substr(slash + 1));
  if (!decoded) return decoded.error();
  auto segments = split(*decoded, '/');
  for (auto segment : segments) {
    if (segment.empty()) return invalid("empty path segment");
    if (is_dots_only(segment)) return invalid("dot segment in the path");
  }
  if (segments.front() != "chat") {
    if (equals_ignoring_case(segments.front(), "chat")) return invalid("path case differs");
    return Error(ErrorCode::not_found, "only chat routes are forwarded");
  }
  if (segments.size() < 2) return Error(ErrorCode::not_found, "only chat routes are forwarded");

  auto query = reencode_query(raw_query);
  if (!query) return query.error();

  ChatTarget target;
  target.restaurant_id = std::string(restaurant_id);
  target.path = "/api/" + *decoded;
  target.query = std::move(*query);
  return target;
}

Result<std::string> decide_widget_path(std::string_view raw_target) {
  auto raw_path = raw_target.substr(0, raw_target.find('?'));
  if (raw_path.substr(0, kWidgetPrefix.size()) != kWidgetPrefix) {
    return invalid("path must start with /widget/ as written");
  }
  auto name = raw_path.substr(kWidgetPrefix.size());
  if (name.empty() || name.size() > kMaxWidgetNameChars || name.front() == '.') {
    return invalid("invalid widget file name");
  }
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (!is_alnum(c) && c != '.' && c != '-' && c != '_') return invalid("invalid widget file name");
  }
  return std::string(raw_path);
}

}  // namespace proxy
