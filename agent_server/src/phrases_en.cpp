#include "phrases.hpp"

// The agent server's sentences in English: one field a line, by name (phrases.hpp).
namespace agent_server {
namespace {

constexpr Phrases english() {
  Phrases t{};
  // Opening hours.
  t.day_names = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  t.month_names = {"January", "February", "March",     "April",   "May",      "June",
                   "July",    "August",   "September", "October", "November", "December"};
  t.midnight = "midnight";
  t.time_separator = ":";
  t.whole_hours_short = false;
  t.service = "{open}–{close}";
  t.around_the_clock = "around the clock";
  t.services_and = " and ";
  t.every_day = "every day";
  t.one_day = "on {day}";
  t.two_days = "on {first} and {last}";
  t.day_range = "{first} to {last}";
  t.week_open = "We are open {runs}.";
  t.runs_separator = "; ";
  t.closed_on = " Closed on {days}.";
  t.days_comma = ", ";
  t.days_and = " and ";
  t.moment_today = "today at {time}";
  t.moment_tomorrow = "tomorrow ({day}) at {time}";
  t.moment_day = "on {day} at {time}";
  t.clock_now = "It is {weekday}, {day} {month} {year}, {time} ({zone} time).";
  t.clock_open = " According to its opening hours, the restaurant is open right now{until}.";
  t.clock_until = ", until {time}";
  t.clock_closed = " According to its opening hours, the restaurant is closed right now{reopens}.";
  t.clock_reopens = "; it opens again {moment}";
  // The built-in model.
  t.no_information = "I don't have that information.";
  t.call_restaurant = " You can call the restaurant at {phone}.";
  t.contact_restaurant = " The best is to contact the restaurant directly.";
  t.list_and = " and ";
  t.list_more = "\n- and {count} more";
  t.vegetarian = "vegetarian";
  t.vegan = "vegan";
  t.gluten_free = "gluten-free";
  t.vegetarian_dishes = "Our vegetarian dishes: {list}";
  t.vegan_dishes = "Our vegan dishes: {list}";
  t.gluten_free_dishes = "Our gluten-free dishes: {list}";
  t.no_diet_dish = "Sorry, no dish on our menu is marked {diet}.";
  t.diet_call = " Call us at {phone} and we'll see what we can do.";
  t.no_such_dish = "Sorry, we don't have {dish} on our menu. Our menu: {list}";
  t.dish_takes_de = false;
  t.our_menu = "Our menu: {list}";
  t.reopening = " We open again {moment}.";
  t.open_all_day = " around the clock";
  t.until_time = " until {time}";
  t.our_hours = "Our opening hours: {hours}";
  t.today = "today";
  t.tonight = "tonight";
  t.lunch_today = "at lunchtime today";
  t.tomorrow = "tomorrow";
  t.on_day = "on {day}";
  t.evening_suffix = " evening";
  t.lunch_suffix = " at lunchtime";
  t.at_time = "at {time}";
  t.open_at = "Yes, {at} we are open{until}.";
  t.closed_at = "No, {at} we are closed.";
  t.that_day_open = " That day we are open {services}.";
  t.not_open = "No, we are not open {when}.";
  t.open_now = "Yes, we are open right now{until}.";
  t.closed_since = "No, {when} we closed at {time}.";
  t.open_when = "Yes, {when} we are open {services}.";
  t.on_the_day = "on {day}";
  t.closed_when = "No, we are closed {when}.";
  t.closed_now = "No, we are closed right now.";
  t.book_call = "To book, call us at {phone}.";
  t.our_number = " Our number: {phone}.";
  t.you_are_welcome = "You're welcome! Let me know if you have another question.";
  t.welcome_to = " Welcome to {name}.";
  t.hello = "Hello!{welcome} I can tell you about our opening hours, our address, our menu and bookings. "
            "What would you like to know?";
  t.our_address = "Our address: {address}";
  t.our_phone = "Our phone number: {phone}.";
  t.question_words =
      "the is are you what when where how much hello hi thanks thank do does your open hours address cost price "
      "can i we have and of tonight tomorrow s on book any dishes there my";
  // What the built-in model recognises (Words).
  t.words[Words::hours] = "open, opening, close, closed, closing, hours, when";
  t.words[Words::place] = "where, address, located, directions";
  t.words[Words::phone] = "phone, number, call";
  t.words[Words::menu] = "menu, price, prices, cost, much, eat, dish, dishes, food, serve, dessert, desserts";
  t.words[Words::not_menu] = "";
  t.words[Words::booking] = "book*";
  t.words[Words::vegan] = "vegan*";
  t.words[Words::vegetarian] = "vegetarian*, veggie*";
  t.words[Words::gluten_free] = "gluten*, celiac*";
  t.words[Words::thanks] = "thanks, thank";
  t.words[Words::hello] = "hello, hi, hey";
  t.words[Words::evening] = "evening, tonight, dinner";
  t.words[Words::lunch] = "lunch, lunchtime, noon";
  t.words[Words::tomorrow] = "tomorrow";
  t.words[Words::today] = "today, tonight";
  t.words[Words::now] = "now, currently, moment";
  t.words[Words::open] = "open";
  t.words[Words::week] = "hours, when, days";
  t.words[Words::filler] =
      "much, does, cost, price, prices, what, have, your, dish, dishes, food, hello, thanks, please, with, "
      "there, this, that, from, about, serve, serves, would, like, want, also, something, options, option, "
      "vegetarian, vegan, vegans, gluten, veggie, today, open, possible, things, any, some, the, are, you, "
      "how, tell, know, list, recommend, here, restaurant, table, which, cheap, expensive, dessert, "
      "desserts, drinks, give, show, can, our, who, why, all, not, get, has, did, was, bring, for, and, "
      "allowed, accept, take";
  t.words[Words::range] = "to, through, thru, till, til, until";
  t.words[Words::list] = "and, then";
  t.words[Words::closed] = "closed";
  t.words[Words::except] = "except";
  t.words[Words::meal] = "lunch, dinner";
  t.words[Words::midday] = "";
  t.words[Words::noon] = "noon";
  t.words[Words::midnight] = "midnight";
  t.words[Words::every_day] = "every day, everyday, daily, 7 days a week, 7 days";
  t.words[Words::weekdays] = "weekdays";
  t.words[Words::weekend] = "weekend, weekends";
  t.words[Words::vegan_mark] = "vegan, vg";
  t.words[Words::vegetarian_mark] = "vegetarian, veggie, v";
  t.words[Words::gluten_free_mark] = "gluten free, gf";
  t.words[Words::price_lead] = "from, at, for";
  t.words[Words::menu_heading] =
      "menu, our menu, the menu, food, dishes, starters, mains, main courses, desserts, drinks, cocktails, "
      "sides, pizzas, burgers, breakfast, brunch, lunch, dinner";
  t.words[Words::hours_heading] = "hours, opening";
  t.words[Words::hours_word] = "open, opening, closed, hours";
  t.words[Words::instruction] = "you are, you must*, your role, answer, always, never, be, don't, do not";
  t.words[Words::abbreviation] = "st, no, dr, mr, ave, rd, blvd, bld";
  t.words[Words::phone_only] = "phone, call, us, at, on, contact";
  t.words[Words::not_a_name] = "is, are, you";
  t.words[Words::name_label] = "name, restaurant";
  t.words[Words::address_label] = "address, location";
  t.words[Words::phone_label] = "phone, call, contact";
  t.words[Words::street] = "street, st, road, rd, avenue, ave, square, lane";
  t.words[Words::name_marker] = "restaurant, assistant of, assistant for, assistant at";
  t.day_abbreviations = {"mon", "tue, tues", "wed", "thu, thur, thurs", "fri", "sat", "sun"};
  // The session.
  t.greeting = "Hello! I can answer your questions about our opening hours, menu, address and bookings.";
  t.greeting_named =
      "Welcome to {name}! I can answer your questions about our opening hours, menu, address and bookings.";
  t.suggestions = {"What are your opening hours?", "What's on the menu?", "Where are you?", "How can I book?"};
  t.sms = "Your verification code: {code} (valid for {minutes} min).";
  t.sms_not_sent = "The code could not be sent by SMS; try again.";
  return t;
}

}  // namespace

const Phrases kEnglishPhrases = english();

}  // namespace agent_server
