#include "phrases.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <set>
#include <string>
#include <string_view>

#include "restaurant_facts.hpp"
#include "vocabulary.hpp"

using agent_server::Phrases;
using chat::Lang;

namespace {

// Every text field of Phrases, by name (the arrays are checked apart).
struct Field {
  const char* name;
  const char* Phrases::*member;
};
const Field kFields[] = {
    Field{"midnight", &Phrases::midnight},
    Field{"time_separator", &Phrases::time_separator},
    Field{"service", &Phrases::service},
    Field{"around_the_clock", &Phrases::around_the_clock},
    Field{"services_and", &Phrases::services_and},
    Field{"every_day", &Phrases::every_day},
    Field{"one_day", &Phrases::one_day},
    Field{"two_days", &Phrases::two_days},
    Field{"day_range", &Phrases::day_range},
    Field{"week_open", &Phrases::week_open},
    Field{"runs_separator", &Phrases::runs_separator},
    Field{"closed_on", &Phrases::closed_on},
    Field{"days_comma", &Phrases::days_comma},
    Field{"days_and", &Phrases::days_and},
    Field{"moment_today", &Phrases::moment_today},
    Field{"moment_tomorrow", &Phrases::moment_tomorrow},
    Field{"moment_day", &Phrases::moment_day},
    Field{"clock_now", &Phrases::clock_now},
    Field{"clock_open", &Phrases::clock_open},
    Field{"clock_until", &Phrases::clock_until},
    Field{"clock_closed", &Phrases::clock_closed},
    Field{"clock_reopens", &Phrases::clock_reopens},
    Field{"no_information", &Phrases::no_information},
    Field{"call_restaurant", &Phrases::call_restaurant},
    Field{"contact_restaurant", &Phrases::contact_restaurant},
    Field{"list_and", &Phrases::list_and},
    Field{"list_more", &Phrases::list_more},
    Field{"vegetarian", &Phrases::vegetarian},
    Field{"vegan", &Phrases::vegan},
    Field{"gluten_free", &Phrases::gluten_free},
    Field{"vegetarian_dishes", &Phrases::vegetarian_dishes},
    Field{"vegan_dishes", &Phrases::vegan_dishes},
    Field{"gluten_free_dishes", &Phrases::gluten_free_dishes},
    Field{"no_diet_dish", &Phrases::no_diet_dish},
    Field{"diet_call", &Phrases::diet_call},
    Field{"no_such_dish", &Phrases::no_such_dish},
    Field{"our_menu", &Phrases::our_menu},
    Field{"reopening", &Phrases::reopening},
    Field{"open_all_day", &Phrases::open_all_day},
    Field{"until_time", &Phrases::until_time},
    Field{"our_hours", &Phrases::our_hours},
    Field{"today", &Phrases::today},
    Field{"tonight", &Phrases::tonight},
    Field{"lunch_today", &Phrases::lunch_today},
    Field{"tomorrow", &Phrases::tomorrow},
    Field{"on_day", &Phrases::on_day},
    Field{"evening_suffix", &Phrases::evening_suffix},
    Field{"lunch_suffix", &Phrases::lunch_suffix},
    Field{"at_time", &Phrases::at_time},
    Field{"open_at", &Phrases::open_at},
    Field{"closed_at", &Phrases::closed_at},
    Field{"that_day_open", &Phrases::that_day_open},
    Field{"not_open", &Phrases::not_open},
    Field{"open_now", &Phrases::open_now},
    Field{"closed_since", &Phrases::closed_since},
    Field{"open_when", &Phrases::open_when},
    Field{"on_the_day", &Phrases::on_the_day},
    Field{"closed_when", &Phrases::closed_when},
    Field{"closed_now", &Phrases::closed_now},
    Field{"book_call", &Phrases::book_call},
    Field{"our_number", &Phrases::our_number},
    Field{"you_are_welcome", &Phrases::you_are_welcome},
    Field{"welcome_to", &Phrases::welcome_to},
    Field{"hello", &Phrases::hello},
    Field{"our_address", &Phrases::our_address},
    Field{"our_phone", &Phrases::our_phone},
    Field{"question_words", &Phrases::question_words},
    Field{"greeting", &Phrases::greeting},
    Field{"greeting_named", &Phrases::greeting_named},
    Field{"sms", &Phrases::sms},
    Field{"sms_not_sent", &Phrases::sms_not_sent},
};
// The table's size: every const char* field listed above, the two bools, the arrays
// (days, months, suggestions, day abbreviations) and the word lists.
constexpr std::size_t kPointers = std::size(kFields) + 7 + 12 + 4 + 7 + agent_server::kWordsCount;
static_assert(sizeof(Phrases) >= kPointers * sizeof(const char*), "a field of Phrases is not listed");
static_assert(sizeof(Phrases) <= (kPointers + 2) * sizeof(const char*), "a field of Phrases is not listed");

std::multiset<std::string> placeholders(std::string_view text) {
  std::multiset<std::string> out;
  for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    auto close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.emplace(text.substr(open, close - open + 1));
  }
  return out;
}

const Phrases& table(std::size_t i) { return agent_server::phrases(static_cast<Lang>(i)); }

}  // namespace

TEST_CASE("every language's phrases: every text set, French's placeholders, its own words") {
  const Phrases& fr = table(0);
  std::set<std::string> all_words;
  for (std::size_t l = 0; l < chat::kLangCount; ++l) {
    const Phrases& t = table(l);
    INFO(chat::kLangCodes[l]);
    for (const auto& field : kFields) {
      INFO(field.name);
      const char* text = t.*field.member;
      REQUIRE(text != nullptr);
      CHECK(std::strlen(text) > 0);
      CHECK(placeholders(text) == placeholders(fr.*field.member));
    }
    for (const char* day : t.day_names) CHECK((day != nullptr && *day != '\0'));
    for (const char* month : t.month_names) CHECK((month != nullptr && *month != '\0'));
    for (const char* suggestion : t.suggestions) CHECK((suggestion != nullptr && *suggestion != '\0'));
    // A word that tells a language from the others belongs to one only, already folded.
    for (const auto& w : agent_server::words_of(t.question_words)) {
      INFO(w);
      CHECK(agent_server::fold_text(w) == w);
      CHECK(all_words.insert(w).second);
    }
  }
  CHECK(&agent_server::phrases("it") == &agent_server::kItalianPhrases);
  CHECK(&agent_server::phrases("de") == &agent_server::kFrenchPhrases);
}

// A list's text as the tables write it: folded words, entries separated by ", ", a `*`
// only at an entry's end.
bool well_written(std::string_view list) {
  if (list.empty()) return true;
  if (agent_server::fold_text(list) != list || list.front() == ' ' || list.back() == ',') return false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || c == '\'' ||
                    (c == ',' && i + 1 < list.size() && list[i + 1] == ' ') ||
                    (c == '*' && (i + 1 == list.size() || list[i + 1] == ','));
    if (!ok) return false;
  }
  return true;
}

TEST_CASE("every language sets every word list, folded, and each day's short forms") {
  using agent_server::Words;
  for (std::size_t l = 0; l < chat::kLangCount; ++l) {
    const Phrases& t = table(l);
    INFO(chat::kLangCodes[l]);
    for (std::size_t w = 0; w < agent_server::kWordsCount; ++w) {
      INFO("list " << w);
      const char* list = t.words.lists[w];
      REQUIRE(list != nullptr);
      CHECK(well_written(list));
    }
    for (const char* forms : t.day_abbreviations) {
      REQUIRE(forms != nullptr);
      CHECK(well_written(forms));
    }
    // What a question is about, and a prompt's days and times, are said in every language.
    for (Words w : {Words::hours, Words::place, Words::phone, Words::menu, Words::booking, Words::thanks,
                    Words::hello, Words::tomorrow, Words::today, Words::range, Words::list, Words::closed,
                    Words::midnight, Words::menu_heading, Words::hours_heading, Words::filler}) {
      INFO("list " << static_cast<std::size_t>(w));
      CHECK(std::strlen(t.words[w]) > 0);
    }
  }
}

TEST_CASE("a word list: words, phrases, stems, from every language") {
  agent_server::WordList list;
  list.add("horaires, tous les jours, reserv*, gluten free");
  list.add("horaires, book*");  // an entry of two languages counts once
  using V = std::vector<std::string>;
  CHECK(list.texts() == V{"horaires", "tous les jours", "reserv", "gluten free", "book"});
  CHECK(list.in(V{"vos", "horaires"}));
  CHECK(list.in(V{"ouvert", "tous", "les", "jours"}));
  CHECK_FALSE(list.in(V{"tous", "les", "soirs"}));
  CHECK(list.in(V{"reserver"}));
  CHECK(list.in(V{"booking"}));
  CHECK_FALSE(list.in(V{"prereserver"}));
  CHECK(list.in(agent_server::words_of("gluten-free")));
  CHECK(list.match_at(V{"x", "tous", "les", "jours"}, 1) == 3);
  CHECK(list.match_at(V{"x", "tous", "les", "jours"}, 0) == 0);
  CHECK(list.starts(V{"horaires", "x"}));
  CHECK_FALSE(list.starts(V{"x", "horaires"}));
  CHECK(list.is(V{"gluten", "free"}));
  CHECK_FALSE(list.is(V{"gluten", "free", "x"}));
  CHECK(list.is(std::string_view("reservations")));
  CHECK_FALSE(list.is(std::string_view("tous")));
  CHECK(list.all_words().count("les") == 1);
  // The tables' lists, every language's entries together.
  CHECK(agent_server::recognised(agent_server::Words::hours).in(V{"orari"}));
  CHECK(agent_server::recognised(agent_server::Words::hours).in(V{"horaires"}));
  using agent_server::day_word;
  CHECK((day_word("domenica") && day_word("domenica")->day == 6 && !day_word("domenica")->short_form));
  CHECK((day_word("dimanches") && day_word("dimanches")->day == 6));
  CHECK((day_word("thurs") && day_word("thurs")->day == 3 && day_word("thurs")->short_form));
  CHECK(day_word("mon")->day == 0);
  CHECK_FALSE(day_word("mars"));
  CHECK_FALSE(day_word("jour"));
}

TEST_CASE("fill replaces the named placeholders, keeps the others") {
  using agent_server::fill;
  CHECK(fill("Code {code} ({minutes} min)", {{"code", "123456"}, {"minutes", "10"}}) == "Code 123456 (10 min)");
  CHECK(fill("{a}{a}", {{"a", "x"}}) == "xx");
  CHECK(fill("{unknown} {", {}) == "{unknown} {");
  CHECK(fill("", {{"a", "x"}}).empty());
}

TEST_CASE("the words of opening hours, in Italian") {
  CHECK(agent_server::format_time(19 * 60 + 30, Lang::it) == "19:30");
  CHECK(agent_server::format_time(1440, Lang::it) == "24:00");
  CHECK(agent_server::day_name(6, Lang::it) == "domenica");
  std::vector<agent_server::Service> day{{12 * 60, 15 * 60}, {19 * 60, 1440}};
  CHECK(agent_server::format_services(day, Lang::it) == "dalle 12:00 alle 15:00 e dalle 19:00 alle 24:00");
  CHECK(agent_server::describe_moment({1, 12 * 60}, 1, Lang::it) == "domani (mercoledì) alle 12:00");
  // French and English as they always were.
  CHECK(agent_server::format_services(day, Lang::fr) == "de 12h à 15h et de 19h à minuit");
  CHECK(agent_server::format_services(day, Lang::en) == "12:00–15:00 and 19:00–midnight");
}
