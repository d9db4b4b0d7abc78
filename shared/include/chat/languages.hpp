#pragma once
/// \file The languages the product speaks: the one list. Adding a language is adding
/// its code here (the first is the default), then a table of texts per component,
/// each with its tests (docs/design.md#languages): a component that lacks the new
/// table does not build.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat {

/// A language, in the order of kLangCodes.
enum class Lang : std::uint8_t { fr, en, it };

/// The codes, as the APIs, the pages and the widget's modules name them.
inline constexpr std::array<std::string_view, 3> kLangCodes{"fr", "en", "it"};
inline constexpr std::size_t kLangCount = kLangCodes.size();
inline constexpr Lang kDefaultLang = Lang::fr;

std::string_view to_string(Lang lang) noexcept;

/// The language of an exact code ("fr"), nullopt for any other.
std::optional<Lang> lang_from_code(std::string_view code) noexcept;

/// The language of a tag: its two first letters, then nothing or a region ("en",
/// "en-GB", "IT_ch"); nullopt for anything else.
std::optional<Lang> lang_of_tag(std::string_view tag) noexcept;
/// The same, the default (French) for anything else.
Lang lang_from_tag(std::string_view tag) noexcept;

/// The codes for a message: "\"fr\", \"en\" or \"it\"".
std::string lang_codes_text();

/// A component's tables, one per language in the order of kLangCodes, given exactly
/// kLangCount of them, so a language added without its table does not compile:
/// `const chat::LangTables<Phrases> kTables(&kFrench, &kEnglish, &kItalian);`.
template <class Table>
class LangTables {
 public:
  template <class... Tables>
  constexpr explicit LangTables(const Tables*... tables) : tables_{{tables...}} {
    static_assert(sizeof...(Tables) == kLangCount, "one table per language of chat::kLangCodes");
  }
  const Table& operator[](Lang lang) const noexcept {
    const auto i = static_cast<std::size_t>(lang);
    return *tables_[i < kLangCount ? i : 0];
  }

 private:
  std::array<const Table*, kLangCount> tables_;
};

}  // namespace chat
