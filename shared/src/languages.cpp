#include "chat/languages.hpp"

namespace chat {

std::string_view to_string(Lang lang) noexcept {
  const auto i = static_cast<std::size_t>(lang);
  return kLangCodes[i < kLangCount ? i : 0];
}

std::optional<Lang> lang_from_code(std::string_view code) noexcept {
  for (std::size_t i = 0; i < kLangCount; ++i) {
    if (kLangCodes[i] == code) return static_cast<Lang>(i);
  }
  return std::nullopt;
}

std::optional<Lang> lang_of_tag(std::string_view tag) noexcept {
  if (tag.size() < 2 || (tag.size() > 2 && tag[2] != '-' && tag[2] != '_')) return std::nullopt;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  const char code[2] = {lower(tag[0]), lower(tag[1])};
  return lang_from_code(std::string_view(code, 2));
}

Lang lang_from_tag(std::string_view tag) noexcept { return lang_of_tag(tag).value_or(kDefaultLang); }

std::string lang_codes_text() {
  std::string out;
  for (std::size_t i = 0; i < kLangCount; ++i) {
    if (i > 0) out += i + 1 == kLangCount ? " or " : ", ";
    out += '"';
    out += kLangCodes[i];
    out += '"';
  }
  return out;
}

}  // namespace chat
