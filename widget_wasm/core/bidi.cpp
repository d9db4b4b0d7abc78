#include "bidi.hpp"

namespace widget {

bool is_bidi_control(char32_t c) noexcept {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

namespace {

bool continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Whether `out` ends with one of the controls (2 or 3 bytes of UTF-8); its length if so.
std::size_t control_at_end(const std::string& out) {
  const std::size_t n = out.size();
  if (n >= 3 && static_cast<unsigned char>(out[n - 3]) == 0xE2) {
    const auto b1 = static_cast<unsigned char>(out[n - 2]);
    const auto b2 = static_cast<unsigned char>(out[n - 1]);
    if (continuation(b1) && continuation(b2) &&
        is_bidi_control(0x2000 | (static_cast<char32_t>(b1 & 0x3F) << 6) | (b2 & 0x3F))) {
      return 3;
    }
  }
  if (n >= 2 && static_cast<unsigned char>(out[n - 2]) == 0xD8 && static_cast<unsigned char>(out[n - 1]) == 0x9C) {
    return 2;  // U+061C
  }
  return 0;
}

}  // namespace

std::string strip_bidi_controls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  // Byte by byte, dropping a control as soon as the output ends with one: invalid
  // UTF-8 around a removed control ("\xE2" RLO "\x80\xAE") that joins into a new
  // one is dropped too, in one pass.
  for (char c : text) {
    out.push_back(c);
    out.resize(out.size() - control_at_end(out));
  }
  return out;
}

}  // namespace widget
