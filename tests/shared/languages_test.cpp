#include "chat/languages.hpp"

#include <catch2/catch.hpp>

using chat::Lang;

TEST_CASE("languages: codes and tags") {
  CHECK(chat::kLangCodes.front() == chat::to_string(chat::kDefaultLang));
  for (std::size_t i = 0; i < chat::kLangCount; ++i) {
    const auto lang = static_cast<Lang>(i);
    CHECK(chat::lang_from_code(chat::to_string(lang)) == lang);
    CHECK(chat::lang_from_tag(chat::to_string(lang)) == lang);
  }
  CHECK(chat::to_string(Lang::it) == "it");
  CHECK_FALSE(chat::lang_from_code("de").has_value());
  CHECK_FALSE(chat::lang_from_code("IT").has_value());
  CHECK_FALSE(chat::lang_from_code("").has_value());

  CHECK(chat::lang_from_tag("en-GB") == Lang::en);
  CHECK(chat::lang_from_tag("IT_ch") == Lang::it);
  CHECK(chat::lang_from_tag("it-IT") == Lang::it);
  CHECK(chat::lang_from_tag("fr-CA") == Lang::fr);
  CHECK(chat::lang_from_tag("de") == Lang::fr);
  CHECK(chat::lang_from_tag("italiano") == Lang::fr);
  CHECK(chat::lang_from_tag("") == Lang::fr);
  CHECK(chat::lang_codes_text() == R"("fr", "en" or "it")");
}

TEST_CASE("languages: one table per language") {
  static const int kFr = 1;
  static const int kEn = 2;
  static const int kIt = 3;
  const chat::LangTables<int> tables(&kFr, &kEn, &kIt);
  CHECK(tables[Lang::fr] == 1);
  CHECK(tables[Lang::en] == 2);
  CHECK(tables[Lang::it] == 3);
}
