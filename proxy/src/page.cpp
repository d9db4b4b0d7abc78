#include "page.hpp"

#include "chat/html.hpp"
#include "chat/languages.hpp"
#include "chat/validation.hpp"

namespace proxy {
namespace {

// The page's words, one table per language of chat::kLangCodes, each field by name.
struct PageTexts {
  const char* tagline;
};

constexpr PageTexts french() {
  PageTexts t{};
  t.tagline = "Une question ? Écrivez-nous dans le chat.";
  return t;
}

constexpr PageTexts english() {
  PageTexts t{};
  t.tagline = "A question? Write to us in the chat.";
  return t;
}

constexpr PageTexts italian() {
  PageTexts t{};
  t.tagline = "Una domanda? Scrivici in chat.";
  return t;
}

constexpr PageTexts kFrench = french();
constexpr PageTexts kEnglish = english();
constexpr PageTexts kItalian = italian();
constexpr chat::LangTables<PageTexts> kTexts(&kFrench, &kEnglish, &kItalian);

void replace_all(std::string& text, std::string_view key, std::string_view value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
}

}  // namespace

std::string render_page(const RestaurantRow& restaurant) {
  // Stored values were validated on the way in, but an older table may hold anything.
  const chat::Lang language = chat::lang_from_code(restaurant.lang).value_or(chat::kDefaultLang);
  std::string lang(to_string(language));
  std::string position = chat::is_valid_position(restaurant.position) ? restaurant.position : "bottom-right";
  std::string tagline = kTexts[language].tagline;
  std::string page(page_template().front().text);
  // The name, the only free text, goes last: nothing it holds is expanded again.
  replace_all(page, "{{lang}}", chat::escape_html(lang));
  replace_all(page, "{{position}}", chat::escape_html(position));
  replace_all(page, "{{id}}", chat::escape_html(restaurant.id));
  replace_all(page, "{{tagline}}", chat::escape_html(tagline));
  replace_all(page, "{{name}}", chat::escape_html(restaurant.name));
  return page;
}

std::string render_not_found_page() {
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<title>Restaurant not found</title>\n</head>\n<body>\n<main>\n"
         "<h1>Restaurant not found</h1>\n<p>There is no restaurant at this address.</p>\n"
         "</main>\n</body>\n</html>\n";
}

}  // namespace proxy
