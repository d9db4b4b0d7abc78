// The fact reader on the corpus of restaurant_prompts.hpp: each prompt's name, address,
// phone, hours, menu (names, prices, diets) and free sentences.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>

#include "restaurant_facts.hpp"
#include "restaurant_prompts.hpp"

using agent_server::DayHours;
using agent_server::Diet;
using agent_server::parse_hours;
using agent_server::read_restaurant_facts;
using agent_server::Service;
using agent_server::WeeklyHours;

namespace {

constexpr int h(int hours, int minutes = 0) { return hours * 60 + minutes; }

DayHours open(std::vector<Service> services) { return DayHours{true, std::move(services)}; }
const DayHours kClosed{};

std::vector<std::string> names(const agent_server::RestaurantFacts& f) {
  std::vector<std::string> out;
  for (const auto& item : f.menu) out.push_back(item.name);
  return out;
}

bool has_diet(const agent_server::MenuItem& item, Diet d) {
  return std::find(item.diets.begin(), item.diets.end(), d) != item.diets.end();
}

}  // namespace

TEST_CASE("facts: the demo bistrot (fr, a list menu)") {
  auto f = read_restaurant_facts(restaurant_prompts::kPetitZinc);
  CHECK(f.name == "Le Petit Zinc");
  CHECK(f.address == "12 rue des Martyrs, 75009 Paris");
  CHECK(f.phone == "01 42 85 12 34");
  DayHours service = open({{h(12), h(14, 30)}, {h(19), h(22, 30)}});
  CHECK(f.hours.days == std::array<DayHours, 7>{kClosed, service, service, service, service, service, kClosed});
  CHECK(f.hours.timed());
  CHECK(names(f) == std::vector<std::string>{"Œuf mayonnaise", "Soupe à l'oignon gratinée", "Steak frites",
                                             "Confit de canard, pommes sarladaises", "Tarte Tatin",
                                             "Menu du midi (entrée, plat, dessert)"});
  CHECK(f.menu[0].price == "7 €");
  CHECK(has_diet(f.menu[0], Diet::vegetarian));
  CHECK(f.menu[3].price == "23 €");
  CHECK(f.menu[2].diets.empty());
  // The instruction to the model is no fact; bookings and terrace are.
  CHECK(f.notes == std::vector<std::string>{"Réservations par téléphone ou sur place.",
                                            "Terrasse de 20 couverts aux beaux jours."});
}

TEST_CASE("facts: a one-line menu split on commas (fr)") {
  auto f = read_restaurant_facts(restaurant_prompts::kChezMarie);
  CHECK(f.name == "Chez Marie");
  CHECK(f.phone == "01 23 45 67 89");
  CHECK(names(f) == std::vector<std::string>{"Entrecôte frites", "Salade niçoise", "Tarte tatin"});
  CHECK(f.menu[1].price == "14 €");
  CHECK(f.hours.days[1] == open({{h(12), h(14, 30)}, {h(19), h(22, 30)}}));
  CHECK(f.hours.days[0] == kClosed);
  CHECK(f.hours.days[6] == kClosed);
  CHECK(f.notes == std::vector<std::string>{"Restaurant Chez Marie, cuisine française."});
}

TEST_CASE("facts: English, pounds and diet marks") {
  auto f = read_restaurant_facts(restaurant_prompts::kGoldenFork);
  CHECK(f.name == "The Golden Fork");
  CHECK(f.address == "221 Baker Street, London NW1 6XE");
  CHECK(f.phone == "+44 20 7946 0958");
  DayHours week = open({{h(11, 30), h(14, 30)}, {h(18), h(22)}});
  DayHours weekend = open({{h(10), h(23)}});
  CHECK(f.hours.days == std::array<DayHours, 7>{week, week, week, week, week, weekend, weekend});
  REQUIRE(f.menu.size() == 4);
  CHECK(f.menu[0].name == "Avocado toast");
  CHECK(f.menu[0].price == "£9.50");
  CHECK(has_diet(f.menu[0], Diet::vegetarian));
  CHECK(f.menu[2].name == "Vegan buddha bowl");
  CHECK(has_diet(f.menu[2], Diet::vegan));
  CHECK(has_diet(f.menu[2], Diet::vegetarian));
  CHECK(has_diet(f.menu[2], Diet::gluten_free));
  CHECK(f.menu[3].price == "£14.50");
  CHECK(f.notes ==
        std::vector<std::string>{"We take bookings online or by phone.", "Dogs welcome on the terrace."});
}

TEST_CASE("facts: every day but Monday, an address in a sentence (fr)") {
  auto f = read_restaurant_facts(restaurant_prompts::kDaMario);
  CHECK(f.name == "Da Mario");
  CHECK(f.address == "8 avenue Jean Jaurès, 69007 Lyon");
  CHECK(f.phone == "04 78 12 34 56");
  DayHours day = open({{h(11, 30), h(14, 30)}, {h(18, 30), h(23)}});
  CHECK(f.hours.days == std::array<DayHours, 7>{kClosed, day, day, day, day, day, day});
  REQUIRE(f.menu.size() == 4);
  CHECK(f.menu[1].price == "12,50 €");
  CHECK(has_diet(f.menu[0], Diet::vegetarian));
  CHECK(f.menu[3].name == "Calzone (sans gluten sur demande)");  // more than a mark: kept
  CHECK(has_diet(f.menu[3], Diet::gluten_free));
  CHECK(f.notes.back() == "Réservation conseillée le week-end.");
}

TEST_CASE("facts: one day a line, past midnight, the name on the first line (fr)") {
  auto f = read_restaurant_facts(restaurant_prompts::kComptoir);
  CHECK(f.name == "Le Comptoir du Marché");
  CHECK(f.address == "3 place du Marché, 33000 Bordeaux");
  CHECK(f.phone == "05 56 00 11 22");
  DayHours late = open({{h(18), h(25)}});
  DayHours later = open({{h(18), h(26)}});
  CHECK(f.hours.days == std::array<DayHours, 7>{kClosed, late, late, late, later, later, open({{h(11), h(16)}})});
  CHECK(names(f) == std::vector<std::string>{"Planches à partager", "cocktails"});
  CHECK(f.notes == std::vector<std::string>{"Pas de réservation, premier arrivé premier servi."});
}

TEST_CASE("facts: am/pm, \"through\", a phone in parentheses (en)") {
  auto f = read_restaurant_facts(restaurant_prompts::kBlueDoor);
  CHECK(f.name == "Blue Door Diner");
  CHECK(f.address == "85 Main St, Springfield, IL 62701");
  CHECK(f.phone == "(217) 555-0134");
  DayHours day = open({{h(7), h(15)}});
  CHECK(f.hours.days == std::array<DayHours, 7>{kClosed, day, day, day, day, day, day});
  CHECK(names(f) == std::vector<std::string>{"pancakes", "veggie omelette", "bacon & eggs"});
  CHECK(f.menu[1].price == "$10");
  CHECK(has_diet(f.menu[1], Diet::vegetarian));
  CHECK(f.notes == std::vector<std::string>{"Kids eat free on Sundays."});
}

TEST_CASE("facts: \"midi et soir\" opens days without times") {
  auto f = read_restaurant_facts(restaurant_prompts::kAuberge);
  CHECK(f.hours.known());
  CHECK_FALSE(f.hours.timed());
  CHECK(f.hours.days[2] == DayHours{true, {}});
  CHECK(f.hours.days[1] == kClosed);
  CHECK(f.hours_text == "Ouvert du mercredi au dimanche, midi et soir");
}

TEST_CASE("facts: a prompt with nothing to read") {
  auto f = read_restaurant_facts(restaurant_prompts::kBare);
  CHECK(f.name.empty());
  CHECK(f.address.empty());
  CHECK(f.phone.empty());
  CHECK_FALSE(f.hours.known());
  CHECK(f.menu.empty());
  CHECK(f.notes.size() == 2);
  CHECK_FALSE(read_restaurant_facts("").hours.known());
}

TEST_CASE("hours: the ways restaurants write them") {
  const DayHours lunch = open({{h(12), h(14)}});
  SECTION("days with a dash, English times") {
    auto w = parse_hours("Mon-Fri 11:30-14:30");
    for (int d = 0; d < 5; ++d) CHECK(w.days[d] == open({{h(11, 30), h(14, 30)}}));
    CHECK(w.days[5] == kClosed);
    CHECK(w.days[6] == kClosed);
  }
  SECTION("times with no day: every day") {
    auto w = parse_hours("12h-14h30 et 19h-22h30");
    for (int d = 0; d < 7; ++d) CHECK(w.days[d] == open({{h(12), h(14, 30)}, {h(19), h(22, 30)}}));
  }
  SECTION("two groups of days in one sentence") {
    auto w = parse_hours("du lundi au vendredi de 12h à 14h, le samedi de 19h à 23h");
    CHECK(w.days[0] == lunch);
    CHECK(w.days[4] == lunch);
    CHECK(w.days[5] == open({{h(19), h(23)}}));
    CHECK(w.days[6] == kClosed);
  }
  SECTION("except, after the times") {
    auto w = parse_hours("Tous les jours de 12h à 23h sauf le dimanche");
    CHECK(w.days[0] == open({{h(12), h(23)}}));
    CHECK(w.days[6] == kClosed);
  }
  SECTION("lunch and dinner on different days") {
    auto w = parse_hours("Le midi du lundi au vendredi de 12h à 14h30, le soir du jeudi au samedi de 19h à 22h30");
    CHECK(w.days[0] == open({{h(12), h(14, 30)}}));
    CHECK(w.days[3] == open({{h(12), h(14, 30)}, {h(19), h(22, 30)}}));
    CHECK(w.days[5] == open({{h(19), h(22, 30)}}));
    CHECK(w.days[6] == kClosed);
  }
  SECTION("a day named after \"tous les jours\" replaces it") {
    auto w = parse_hours("Tous les jours 12h-23h. Le dimanche 12h-16h.");
    CHECK(w.days[2] == open({{h(12), h(23)}}));
    CHECK(w.days[6] == open({{h(12), h(16)}}));
  }
  SECTION("times before their days, \"midi\" and \"minuit\"") {
    CHECK(parse_hours("12h-14h du lundi au vendredi").days[0] == lunch);
    CHECK(parse_hours("12h-14h du lundi au vendredi").days[5] == kClosed);
    CHECK(parse_hours("Le dimanche de midi à 15h").days[6] == open({{h(12), h(15)}}));
    CHECK(parse_hours("Vendredi 19h - minuit").days[4] == open({{h(19), h(24)}}));
  }
  SECTION("English words") {
    auto w = parse_hours("Open daily 11am to 10pm");
    CHECK(w.days[3] == open({{h(11), h(22)}}));
    auto w2 = parse_hours("Weekdays 8:00-18:00, weekends 9:00-14:00");
    CHECK(w2.days[1] == open({{h(8), h(18)}}));
    CHECK(w2.days[6] == open({{h(9), h(14)}}));
    auto w3 = parse_hours("Monday to Thursday noon-2.30pm");
    CHECK(w3.days[0] == open({{h(12), h(14, 30)}}));
  }
  SECTION("a bare hour closed by a time") {
    CHECK(parse_hours("Du lundi au vendredi 12-14h30").days[0] == open({{h(12), h(14, 30)}}));
    CHECK(parse_hours("Samedi de 19 à 23h").days[5] == open({{h(19), h(23)}}));
    CHECK_FALSE(parse_hours("Terrasse de 20 couverts").known());
  }
  SECTION("closed days and \"jusqu'à\"") {
    auto w = parse_hours("Du mardi au samedi de 19h jusqu'à 2h. Fermé le dimanche et le lundi.");
    CHECK(w.days[1] == open({{h(19), h(26)}}));
    CHECK(w.days[0] == kClosed);
  }
  SECTION("nothing to read") {
    CHECK_FALSE(parse_hours("").known());
    CHECK_FALSE(parse_hours("Fermé le lundi").known());
    CHECK_FALSE(parse_hours("Terrasse aux beaux jours").known());
  }
}

TEST_CASE("hours: each language's words, from its table (phrases_<lang>.cpp)") {
  SECTION("every day, however it is written") {
    // With no word like "open", a line is read as hours when it names days and times.
    for (const char* text :
         {"7 jours sur 7 de 12h à 23h", "7 days a week, 12:00-23:00", "7j/7 12h-23h", "7 days 12:00-23:00",
          "Tous les jours 12h-23h", "Every day 12:00-23:00", "Daily 12:00-23:00", "7/7 : 12h - 23h"}) {
      INFO(text);
      auto f = read_restaurant_facts(std::string("Chez Paul\n") + text);
      for (int d = 0; d < 7; ++d) CHECK(f.hours.days[d] == open({{h(12), h(23)}}));
    }
  }
  SECTION("weekdays and weekends") {
    auto w = parse_hours("En semaine de 12h à 14h, le week-end de 11h à 16h");
    CHECK(w.days[4] == open({{h(12), h(14)}}));
    CHECK(w.days[5] == open({{h(11), h(16)}}));
    CHECK(w.days[6] == open({{h(11), h(16)}}));
  }
  SECTION("Italian: except, a day of rest, midday, midnight") {
    auto w = parse_hours(
        "Da lunedì a sabato 19:00-23:00 tranne il mercoledì. Domenica da mezzogiorno alle 15:00.");
    CHECK(w.days[0] == open({{h(19), h(23)}}));
    CHECK(w.days[2] == kClosed);
    CHECK(w.days[6] == open({{h(12), h(15)}}));
    auto rest = parse_hours("Lunedì-domenica 19:00 - mezzanotte. Giovedì riposo.");
    CHECK(rest.days[0] == open({{h(19), h(24)}}));
    CHECK(rest.days[3] == kClosed);
  }
  SECTION("short forms and plurals of the days") {
    auto w = parse_hours("Tues-Thurs 12:00-14:00. Sundays 10:00-14:00");
    CHECK(w.days[1] == open({{h(12), h(14)}}));
    CHECK(w.days[3] == open({{h(12), h(14)}}));
    CHECK(w.days[4] == kClosed);
    CHECK(w.days[6] == open({{h(10), h(14)}}));
  }
}

TEST_CASE("facts: instructions, abbreviations, a name after its marker (en)") {
  auto f = read_restaurant_facts("You are the assistant of The Blue Fork, a diner.\n"
                                 "Always answer in English.\n"
                                 "Address: 85 Main St. Springfield, IL 62701\n"
                                 "Menu à partir de 19 €\n"
                                 "Dogs welcome.");
  CHECK(f.name == "The Blue Fork");
  CHECK(f.address == "85 Main St. Springfield, IL 62701");
  CHECK(f.notes == std::vector<std::string>{"Dogs welcome."});
  REQUIRE(f.menu.size() == 1);
  CHECK(f.menu[0].name == "Menu");
  CHECK(f.menu[0].price == "19 €");
}

TEST_CASE("hours: the week in words") {
  auto f = read_restaurant_facts(restaurant_prompts::kPetitZinc);
  CHECK(
      agent_server::format_week(f.hours, chat::Lang::fr) ==
      "Nous sommes ouverts du mardi au samedi, de 12h à 14h30 et de 19h à 22h30. Fermé le lundi et le dimanche.");
  CHECK(agent_server::format_week(f.hours, chat::Lang::en) ==
        "We are open Tuesday to Saturday, 12:00–14:30 and 19:00–22:30. Closed on Monday and Sunday.");
  auto all = read_restaurant_facts(restaurant_prompts::kAllNight);
  CHECK(agent_server::format_week(all.hours, chat::Lang::fr) == "Nous sommes ouverts tous les jours, 24h/24.");
}

TEST_CASE("facts: odd prompts never break the reader") {
  // Pieces of real prompts shuffled with bytes that are not text; the reader must
  // neither crash nor hang, whatever an agent's prompt holds.
  const std::vector<std::string> pieces = {"Horaires :",
                                           "du mardi au samedi",
                                           "12h",
                                           "-",
                                           "14h30",
                                           " et ",
                                           "fermé",
                                           "lundi",
                                           "\n",
                                           "Menu :",
                                           "- ",
                                           "7 €",
                                           "(végétarien)",
                                           ":",
                                           ";",
                                           ".",
                                           "24h/24",
                                           "7j/7",
                                           "sauf",
                                           "Mon-Fri",
                                           "11:30",
                                           "am",
                                           "pm",
                                           "\xff\xfe",
                                           "(",
                                           ")",
                                           ",",
                                           "01 42 85 12 34",
                                           "rue",
                                           "75009",
                                           "€",
                                           "$",
                                           "£",
                                           "jusqu'à",
                                           "minuit",
                                           "midi",
                                           " ",
                                           "\t"};
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int round = 0; round < 300; ++round) {
    std::string prompt;
    const auto length = next() % 80;
    for (std::uint32_t i = 0; i < length; ++i) prompt += pieces[next() % pieces.size()];
    auto f = read_restaurant_facts(prompt);
    for (const auto& day : f.hours.days) {
      for (const auto& s : day.services) {
        CHECK(s.open >= 0);
        CHECK(s.close > s.open);
        CHECK(s.close <= 2 * 1440);
      }
    }
  }
  // A prompt's longest line (8000 characters): 500 dishes, or one word too long to be a dish.
  std::string dishes;
  for (int i = 0; i < 500; ++i) dishes += "Plat " + std::to_string(i) + " 12 €, ";
  CHECK(read_restaurant_facts(dishes).menu.size() == 500);
  CHECK(read_restaurant_facts(std::string(8000, 'a') + " 12 €").menu.empty());
}
