#pragma once
// What a restaurant's prompt says, read once into data: name, address, phone, weekly
// opening hours, menu items with prices and diet tags, and the other sentences
// (bookings, terrace...). Pure functions, no I/O: the built-in model answers from
// these facts, and an LLM is told whether the restaurant is open now.
//
// The reader understands the ways restaurants write their hours in French and
// English ("du mardi au samedi, de 12h à 14h30 et de 19h à 22h30", "Mon-Fri
// 11:30-14:30", "Fermé le lundi", "tous les jours sauf le lundi", "7j/7", "24h/24",
// "midi et soir"...). docs/phone-and-models.md lists what it reads, with examples.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/languages.hpp"
#include "time_zone.hpp"

namespace agent_server {

/// One service: open from `open` (included) to `close` (excluded), in minutes since
/// the day's midnight. `close` may pass 1440 for a service that ends after midnight.
struct Service {
  int open = 0;
  int close = 0;
  friend bool operator==(const Service& a, const Service& b) { return a.open == b.open && a.close == b.close; }
};

struct DayHours {
  bool open = false;              ///< open that day
  std::vector<Service> services;  ///< empty while open: the times were not given ("midi et soir")
  friend bool operator==(const DayHours& a, const DayHours& b) {
    return a.open == b.open && a.services == b.services;
  }
};

/// Days 0 = Monday ... 6 = Sunday. A day the text does not name is closed once
/// another day is known to be open.
struct WeeklyHours {
  std::array<DayHours, 7> days;
  /// Some day is open: the hours could be read.
  bool known() const;
  /// Every open day has its times: "open now?" can be answered.
  bool timed() const;
};

enum class Diet { vegetarian, vegan, gluten_free };

struct MenuItem {
  std::string name;   ///< as written: "Soupe à l'oignon gratinée"
  std::string price;  ///< as written: "9 €", "12,50 €", "$14"; empty when none
  std::vector<Diet> diets;
};

struct RestaurantFacts {
  std::string name;  ///< empty when the prompt does not say
  std::string address;
  std::string phone;       ///< the number as written: "01 42 85 12 34"
  std::string hours_text;  ///< the hours as written, labels removed
  WeeklyHours hours;
  std::vector<MenuItem> menu;
  std::vector<std::string> notes;  ///< the other sentences, instructions to the model left out
};

/// Reads a prompt (the agent's prompt, then its chat_prompt_extra).
RestaurantFacts read_restaurant_facts(std::string_view prompt);

/// Reads opening hours alone: "du mardi au samedi, 12h-14h30 ; fermé le lundi".
WeeklyHours parse_hours(std::string_view text);

/// Lowercase ASCII with French accents folded ("Entrecôte" -> "entrecote"), dashes
/// and curly apostrophes made ASCII.
std::string fold_text(std::string_view text);
/// The words of a folded text: its runs of ASCII letters and digits.
std::vector<std::string> words_of(std::string_view folded);

/// The days and times a question names, in order: "dimanche à 15h" -> {6}, {900}.
/// Only whole day names count ("mon" is also French for "my").
struct WhenMentioned {
  std::vector<int> weekdays;
  std::vector<int> minutes;
};
WhenMentioned when_mentioned(std::string_view text);

// ---- Opening hours with a clock ------------------------------------------------------

/// A moment of the week as seen from a given day: `day_offset` days after it, at `minute`.
struct WeekMoment {
  int day_offset = 0;
  int minute = 0;
  friend bool operator==(const WeekMoment& a, const WeekMoment& b) {
    return a.day_offset == b.day_offset && a.minute == b.minute;
  }
};

/// Open at `minute` of `weekday` (a service of the day before that runs past midnight counts).
bool is_open_at(const WeeklyHours& hours, int weekday, int minute);

/// When open: the moment it closes, services that follow each other across midnight
/// chained; nullopt when closed, or when it never closes (open round the clock).
std::optional<WeekMoment> open_until(const WeeklyHours& hours, int weekday, int minute);

/// The next opening strictly after `minute` of `weekday` (within 7 days); nullopt when none.
std::optional<WeekMoment> next_opening(const WeeklyHours& hours, int weekday, int minute);

/// "12h", "14h30", "minuit" (fr) or "12:00", "14:30", "midnight" (en); minutes past 1440 wrap.
/// The words of every language are in its table of phrases (phrases.hpp).
std::string format_time(int minute, chat::Lang lang);
/// "lundi" or "Monday".
std::string day_name(int weekday, chat::Lang lang);
/// The services of one day: "de 12h à 14h30 et de 19h à 22h30" / "12:00–14:30 and 19:00–22:30".
std::string format_services(const std::vector<Service>& services, chat::Lang lang);
/// The whole week in one or two sentences: "Nous sommes ouverts du mardi au samedi, de
/// 12h à 14h30 et de 19h à 22h30. Fermé le lundi et le dimanche."
std::string format_week(const WeeklyHours& hours, chat::Lang lang);

/// A moment after `today` (a weekday) in words: "aujourd'hui à 19h", "demain (mercredi) à
/// 12h", "mardi à 12h" / "today at 19:00", "tomorrow (Wednesday) at 12:00", "on Tuesday at 12:00".
std::string describe_moment(const WeekMoment& moment, int today, chat::Lang lang);

/// What an LLM is told of the clock, after the agent's prompt: the local date, weekday
/// and time in the agent's zone, and whether the restaurant is open now when its hours
/// could be read. "Nous sommes le mardi 1 décembre 2026, il est 23h00 (heure de
/// Europe/Paris). D'après ses horaires, le restaurant est fermé en ce moment ; il
/// rouvre demain (mercredi) à 12h."
std::string clock_context(const RestaurantFacts& facts, const LocalTime& now, std::string_view zone,
                          chat::Lang lang);

}  // namespace agent_server
