#pragma once
// Every sentence the agent server writes for a visitor, one table per language of
// chat::kLangCodes (phrases_<lang>.cpp, each field set by name): the built-in model's
// answers, the words of opening hours (also told to an LLM with the clock), the
// session's default greeting and suggestions, the SMS; and the words the built-in
// model recognises in questions and prompts (Words). Adding a language is adding a
// table and listing it in phrases.cpp, which does not build without it.
//
// "{name}" in a text is replaced by fill(); each language's text of a field has the
// same placeholders as French's (tests/agent_server/phrases_test.cpp).

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "chat/languages.hpp"

namespace agent_server {

/// The lists of words the built-in model recognises, by what they tell: a table per
/// language sets each one (Phrases::words). A list is folded text (fold_text: lower
/// case, no accents) of entries separated by commas; an entry is a word or a few words
/// ("tous les jours", "gluten free" also matches "gluten-free"), and one ending in `*`
/// matches any word its last word begins ("reserv*": "réserver", "reservations"). A
/// language with nothing to say for a list sets it to "". Visitors and prompts mix
/// languages, so the model looks for every language's entries (vocabulary.hpp).
enum class Words : std::size_t {
  // ---- In a visitor's question (local_model.cpp) ----
  hours,        ///< asks about opening hours
  place,        ///< asks where the restaurant is ("ou est": "où" alone folds to "or")
  phone,        ///< asks for the phone number
  menu,         ///< asks about the menu, a dish, a price
  not_menu,     ///< names no menu after all ("carte bleue": a way to pay)
  booking,      ///< asks to book; also finds the prompt's notes about bookings
  vegan,        ///< asks for vegan dishes
  vegetarian,   ///< asks for vegetarian dishes
  gluten_free,  ///< asks for dishes without gluten
  thanks,
  hello,
  evening,   ///< asks about the evening
  lunch,     ///< asks about lunch
  tomorrow,  ///< asks about tomorrow
  today,     ///< asks about today
  now,       ///< asks about this moment
  open,      ///< "are you open?": about now, unless week words come with it
  week,      ///< asks about the week's hours ("quels jours")
  filler,    ///< says nothing of what is asked for: never taken for a dish's name
  // ---- In a restaurant's prompt (restaurant_facts.cpp) ----
  range,             ///< between two days or times: "au", "to"
  list,              ///< between days or services: "et", "and"
  closed,            ///< days said closed
  except,            ///< days taken out: "sauf"
  meal,              ///< a service without its times: "midi et soir"
  midday,            ///< a meal that reads as 12:00 beside a time ("de midi à 15h")
  noon,              ///< 12:00
  midnight,          ///< 0:00
  every_day,         ///< "tous les jours", "daily"
  weekdays,          ///< Monday to Friday
  weekend,           ///< Saturday and Sunday
  vegan_mark,        ///< a dish marked vegan: "(vg)"
  vegetarian_mark,   ///< a dish marked vegetarian: "(v)"
  gluten_free_mark,  ///< a dish marked without gluten: "(sans gluten)"
  price_lead,        ///< between a dish and its price: "Menu du jour à 19 €"
  menu_heading,      ///< a heading that opens the menu: "La carte :"
  hours_heading,     ///< a heading that opens the hours: "Horaires :"
  hours_word,        ///< a line about hours: "ouvert", "closed"
  instruction,       ///< a sentence for the model, not a fact: "Tu es", "Always"
  abbreviation,      ///< a word whose dot ends no sentence: "Tél.", "St."
  phone_only,        ///< words around a phone number alone: "Appelez-nous au"
  not_a_name,        ///< a verb that a name line never holds: "est", "is"
  name_label,        ///< "Nom :"
  address_label,     ///< "Adresse :"
  phone_label,       ///< "Téléphone :"
  street,            ///< a word of a street address: "rue", "avenue"
  name_marker,       ///< the name follows: "restaurant Le Zinc", "assistant of The Fork"
  count_
};
inline constexpr std::size_t kWordsCount = static_cast<std::size_t>(Words::count_);

/// A language's lists, set by name: `t.words[Words::hours] = "horaires, ...";`.
struct WordLists {
  std::array<const char*, kWordsCount> lists{};
  constexpr const char*& operator[](Words w) { return lists[static_cast<std::size_t>(w)]; }
  constexpr const char* operator[](Words w) const { return lists[static_cast<std::size_t>(w)]; }
};

struct Phrases {
  // ---- Opening hours (restaurant_facts.cpp) ----
  std::array<const char*, 7> day_names;  ///< Monday first
  std::array<const char*, 12> month_names;
  const char* midnight;        ///< a time of 0:00
  const char* time_separator;  ///< between hours and minutes: "19h30", "19:30"
  bool whole_hours_short;      ///< "19h" rather than "19h00"
  const char* service;         ///< {open}, {close}: "de 12h à 14h30"
  const char* around_the_clock;
  const char* services_and;  ///< before the last service of a day
  const char* every_day;
  const char* one_day;    ///< {day}: a run of one day
  const char* two_days;   ///< {first}, {last}
  const char* day_range;  ///< {first}, {last}: "du mardi au samedi"
  const char* week_open;  ///< {runs}: the sentence of the open days
  const char* runs_separator;
  const char* closed_on;        ///< {days}: the closed days, after week_open
  const char* days_comma;       ///< between closed days
  const char* days_and;         ///< before the last closed day
  const char* moment_today;     ///< {time}
  const char* moment_tomorrow;  ///< {day}, {time}
  const char* moment_day;       ///< {day}, {time}
  const char* clock_now;        ///< {weekday}, {day}, {month}, {year}, {time}, {zone}
  const char* clock_open;       ///< {until}
  const char* clock_until;      ///< {time}
  const char* clock_closed;     ///< {reopens}
  const char* clock_reopens;    ///< {moment}

  // ---- The built-in model (local_model.cpp) ----
  const char* no_information;
  const char* call_restaurant;     ///< {phone}; after no_information
  const char* contact_restaurant;  ///< after no_information, without a phone number
  const char* list_and;            ///< between two dishes
  const char* list_more;           ///< {count}: the dishes not listed
  const char* vegetarian;          ///< a dish's diet
  const char* vegan;
  const char* gluten_free;
  const char* vegetarian_dishes;   ///< {list}
  const char* vegan_dishes;        ///< {list}
  const char* gluten_free_dishes;  ///< {list}
  const char* no_diet_dish;        ///< {diet}
  const char* diet_call;           ///< {phone}
  const char* no_such_dish;        ///< {dish}, {list}
  bool dish_takes_de;              ///< French: "pas d'entrecôte", "pas de poisson"
  const char* our_menu;            ///< {list}
  const char* reopening;           ///< {moment}
  const char* open_all_day;        ///< instead of until_time when it never closes
  const char* until_time;          ///< {time}
  const char* our_hours;           ///< {hours}: the prompt's own words
  const char* today;
  const char* tonight;
  const char* lunch_today;
  const char* tomorrow;
  const char* on_day;          ///< {day}
  const char* evening_suffix;  ///< after tomorrow or a day
  const char* lunch_suffix;
  const char* at_time;        ///< {time}
  const char* open_at;        ///< {at}, {until}
  const char* closed_at;      ///< {at}
  const char* that_day_open;  ///< {services}
  const char* not_open;       ///< {when}
  const char* open_now;       ///< {until}
  const char* closed_since;   ///< {when}, {time}
  const char* open_when;      ///< {when}, {services}
  const char* on_the_day;     ///< {day}: a day that is closed
  const char* closed_when;    ///< {when}
  const char* closed_now;
  const char* book_call;   ///< {phone}
  const char* our_number;  ///< {phone}; after the notes about bookings
  const char* you_are_welcome;
  const char* welcome_to;   ///< {name}
  const char* hello;        ///< {welcome}: welcome_to or nothing
  const char* our_address;  ///< {address}
  const char* our_phone;    ///< {phone}
  /// Words that tell a question is in this language, separated by spaces, folded
  /// (fold_text: lower case, no accents); no word of another language's list.
  const char* question_words;
  /// What the built-in model recognises in questions and prompts (Words).
  WordLists words;
  /// Each day's short forms in a prompt ("lun", "tues, thur"), a list as in Words,
  /// Monday first; the day_names, folded, are read too.
  std::array<const char*, 7> day_abbreviations;

  // ---- The session (chat_routes.cpp, verify_routes.cpp, verification.cpp) ----
  const char* greeting;        ///< an agent without a name
  const char* greeting_named;  ///< {name}
  std::array<const char*, 4> suggestions;
  const char* sms;  ///< {code}, {minutes}
  const char* sms_not_sent;
};

extern const Phrases kFrenchPhrases;
extern const Phrases kEnglishPhrases;
extern const Phrases kItalianPhrases;

/// The table of a language.
const Phrases& phrases(chat::Lang lang) noexcept;
/// The table of a session's language code ("fr", "en", "it"; French for any other).
const Phrases& phrases(std::string_view lang) noexcept;

/// `pattern` with each "{key}" replaced by its value.
std::string fill(std::string_view pattern,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values);

}  // namespace agent_server
