#include "phrases.hpp"

namespace agent_server {

const Phrases& phrases(chat::Lang lang) noexcept {
  static constexpr chat::LangTables<Phrases> kTables(&kFrenchPhrases, &kEnglishPhrases, &kItalianPhrases);
  return kTables[lang];
}

const Phrases& phrases(std::string_view lang) noexcept { return phrases(chat::lang_from_tag(lang)); }

std::string fill(std::string_view pattern,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  out.reserve(pattern.size() + 32);
  std::size_t i = 0;
  while (i < pattern.size()) {
    const auto open = pattern.find('{', i);
    const auto close = open == std::string_view::npos ? open : pattern.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(pattern, i, open - i);
    const auto key = pattern.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [name, value] : values) {
      if (name == key) {
        out += value;
        found = true;
        break;
      }
    }
    if (!found) out.append(pattern, open, close - open + 1);
    i = close + 1;
  }
  out.append(pattern, i, std::string_view::npos);
  return out;
}

}  // namespace agent_server
