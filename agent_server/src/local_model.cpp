#include "local_model.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "phrases.hpp"
#include "vocabulary.hpp"

namespace agent_server {
namespace {

// A question's words, folded ("entrecote") next to the way they were written
// ("entrecôte"), so answers can quote what the visitor asked for.
struct Question {
  std::vector<std::string> words;
  std::vector<std::string> written;
  WhenMentioned when;

  /// Whether the question holds an entry of a list, in any language.
  bool has(Words list) const { return recognised(list).in(words); }
};

Question read_question(std::string_view text) {
  Question q;
  q.when = when_mentioned(text);
  std::string piece;
  auto flush = [&] {
    for (auto& w : words_of(fold_text(piece))) {
      q.words.push_back(w);
      q.written.push_back(piece);
    }
    piece.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (text.substr(i, 3) == "’") {  // a curly apostrophe splits like a straight one
      flush();
      i += 2;
    } else if (std::isalnum(c) || c >= 0x80) {
      piece.push_back(text[i]);
    } else {
      flush();
    }
  }
  flush();
  return q;
}

enum class Topic { hours, address, phone, menu, booking };

std::set<Topic> topics_of(const Question& q) {
  std::set<Topic> topics;
  if (q.has(Words::hours)) topics.insert(Topic::hours);
  if (q.has(Words::place)) topics.insert(Topic::address);
  if (q.has(Words::phone)) topics.insert(Topic::phone);
  if ((q.has(Words::menu) || q.has(Words::vegan) || q.has(Words::vegetarian) || q.has(Words::gluten_free)) &&
      !q.has(Words::not_menu)) {
    topics.insert(Topic::menu);
  }
  if (q.has(Words::booking)) topics.insert(Topic::booking);
  // "ouvert ... réserver": a booking question that names a day is answered as one.
  if (topics.count(Topic::booking)) topics.erase(Topic::hours);
  return topics;
}

// ---- Words of the answer -------------------------------------------------------------

std::string sentence(std::string_view text) {
  std::string out(text);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?') out.push_back('.');
  return out;
}

std::string fallback(const RestaurantFacts& f, const Phrases& t) {
  std::string out = t.no_information;
  if (!f.phone.empty()) {
    out += fill(t.call_restaurant, {{"phone", f.phone}});
  } else {
    out += t.contact_restaurant;
  }
  return out;
}

bool same_word(const std::string& a, const std::string& b) {
  if (a == b) return true;
  // Plurals: "frites" / "frite", "steaks" / "steak".
  auto singular = [](const std::string& w) {
    return w.size() > 3 && (w.back() == 's' || w.back() == 'x') ? w.substr(0, w.size() - 1) : w;
  };
  return singular(a) == singular(b);
}

// The notes that share a word with the question ("terrasse", "parking", "chiens").
std::vector<std::string> notes_about(const RestaurantFacts& f, const std::vector<std::string>& wanted) {
  std::vector<std::string> out;
  for (const auto& note : f.notes) {
    auto words = words_of(fold_text(note));
    bool hit = false;
    for (const auto& w : wanted) {
      for (const auto& n : words) {
        // Same word, or the same stem of 5 letters and more ("terrasse" / "terrasses").
        std::size_t stem = std::min(w.size(), n.size());
        hit = hit || same_word(w, n) ||
              (stem >= 5 && w.compare(0, stem - 1, n, 0, stem - 1) == 0 &&
               std::max(w.size(), n.size()) - stem <= 2);
      }
    }
    if (hit) out.push_back(note);
  }
  return out;
}

std::string joined_notes(const std::vector<std::string>& notes) {
  std::string out;
  for (const auto& n : notes) out += (out.empty() ? "" : " ") + sentence(n);
  return out;
}

std::vector<std::size_t> content_words(const Question& q, std::size_t min_size = 4) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < q.words.size(); ++i) {
    const auto& w = q.words[i];
    if (w.size() >= min_size && !recognised(Words::filler).is(std::string_view(w)) &&
        !std::isdigit(static_cast<unsigned char>(w[0]))) {
      out.push_back(i);
    }
  }
  return out;
}

// ---- Menu ----------------------------------------------------------------------------------

std::string item_text(const MenuItem& item, bool with_price_parens) {
  if (item.price.empty()) return item.name;
  return with_price_parens ? item.name + " (" + item.price + ")" : item.name + " : " + item.price;
}

// Two dishes in a sentence; more as a Markdown list (the widget renders it; as plain
// text it still reads one dish a line). Dish names may hold commas.
std::string item_list(const std::vector<const MenuItem*>& items, const Phrases& t) {
  constexpr std::size_t kShown = 12;
  std::string out;
  if (items.size() <= 2) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      out += (i == 0 ? "" : t.list_and) + item_text(*items[i], true);
    }
    return out + ".";
  }
  for (std::size_t i = 0; i < items.size() && i < kShown; ++i) out += "\n- " + item_text(*items[i], false);
  if (items.size() > kShown) {
    auto more = std::to_string(items.size() - kShown);
    out += fill(t.list_more, {{"count", more}});
  }
  return out;
}

std::optional<Diet> diet_asked(const Question& q) {
  if (q.has(Words::vegan)) return Diet::vegan;
  if (q.has(Words::vegetarian)) return Diet::vegetarian;
  if (q.has(Words::gluten_free)) return Diet::gluten_free;
  return std::nullopt;
}

const char* diet_name(Diet d, const Phrases& t) {
  switch (d) {
    case Diet::vegetarian: return t.vegetarian;
    case Diet::vegan: return t.vegan;
    case Diet::gluten_free: return t.gluten_free;
  }
  return "";
}

const char* diet_dishes(Diet d, const Phrases& t) {
  switch (d) {
    case Diet::vegetarian: return t.vegetarian_dishes;
    case Diet::vegan: return t.vegan_dishes;
    case Diet::gluten_free: return t.gluten_free_dishes;
  }
  return "";
}

// "de la" / "d'": "pas d'entrecôte", "pas de poisson".
std::string de(const std::string& written) {
  std::string folded = fold_text(written);
  bool vowel = !folded.empty() && std::string_view("aeiouyh").find(folded[0]) != std::string_view::npos;
  return vowel ? "d'" + written : "de " + written;
}

// `found`, when given, is set when the answer names dishes of the question (not a
// refusal, not the whole menu).
std::optional<std::string> answer_menu(const RestaurantFacts& f, const Question& q, const Phrases& t,
                                       bool* found = nullptr) {
  if (f.menu.empty()) return std::nullopt;
  std::vector<const MenuItem*> all;
  for (const auto& item : f.menu) all.push_back(&item);

  if (auto diet = diet_asked(q)) {
    std::vector<const MenuItem*> matching;
    for (const auto* item : all) {
      if (std::find(item->diets.begin(), item->diets.end(), *diet) != item->diets.end()) matching.push_back(item);
    }
    if (matching.empty()) {
      std::string out = fill(t.no_diet_dish, {{"diet", diet_name(*diet, t)}});
      if (!f.phone.empty()) out += fill(t.diet_call, {{"phone", f.phone}});
      return out;
    }
    if (found != nullptr) *found = true;
    return fill(diet_dishes(*diet, t), {{"list", item_list(matching, t)}});
  }

  // A dish named: the items whose name holds one of the question's words.
  auto wanted = content_words(q, 3);
  std::vector<const MenuItem*> matching;
  for (const auto* item : all) {
    auto words = words_of(fold_text(item->name));
    bool hit = false;
    for (auto i : wanted) {
      for (const auto& w : words) hit = hit || (w.size() >= 3 && same_word(q.words[i], w));
    }
    if (hit) matching.push_back(item);
  }
  if (!matching.empty()) {
    if (found != nullptr) *found = true;
    std::string out;
    for (const auto* item : matching) {
      out += (out.empty() ? "" : " ") + sentence(item_text(*item, false));
    }
    return out;
  }
  std::string list = item_list(all, t);
  if (!wanted.empty()) {
    // Perhaps not a dish at all ("combien de couverts en terrasse ?"): a note may say.
    std::vector<std::string> folded;
    for (auto i : wanted) folded.push_back(q.words[i]);
    if (auto notes = notes_about(f, folded); !notes.empty()) return joined_notes(notes);
    const std::string& written = q.written[wanted.back()];
    return fill(t.no_such_dish, {{"dish", t.dish_takes_de ? de(written) : written}, {"list", list}});
  }
  return fill(t.our_menu, {{"list", list}});
}

// ---- Hours ----------------------------------------------------------------------------------

enum class Part { any, lunch, evening };

std::vector<Service> services_of(const WeeklyHours& h, int weekday, Part part) {
  std::vector<Service> out;
  for (const auto& s : h.days[weekday].services) {
    bool keep = part == Part::any || (part == Part::evening && s.close > 17 * 60) ||
                (part == Part::lunch && s.open < 15 * 60);
    if (keep) out.push_back(s);
  }
  return out;
}

std::string reopening(const WeeklyHours& h, int weekday, int minute, int today, int offset, chat::Lang lang) {
  auto next = next_opening(h, weekday, minute);
  if (!next) return "";
  WeekMoment m{offset + next->day_offset, next->minute};
  return fill(phrases(lang).reopening, {{"moment", describe_moment(m, today, lang)}});
}

std::string until_text(const WeeklyHours& h, int weekday, int minute, chat::Lang lang) {
  auto until = open_until(h, weekday, minute);
  if (!until) return phrases(lang).open_all_day;
  return fill(phrases(lang).until_time, {{"time", format_time(until->minute, lang)}});
}

std::string week_text(const RestaurantFacts& f, chat::Lang lang) {
  if (f.hours.timed()) return format_week(f.hours, lang);
  return fill(phrases(lang).our_hours, {{"hours", sentence(f.hours_text)}});
}

// "ce soir", "demain soir", "dimanche", "tomorrow evening"...
std::string day_label(int offset, int weekday, Part part, chat::Lang lang) {
  const Phrases& t = phrases(lang);
  if (offset == 0) {
    return part == Part::evening ? t.tonight : part == Part::lunch ? t.lunch_today : t.today;
  }
  std::string out = offset == 1 ? std::string(t.tomorrow) : fill(t.on_day, {{"day", day_name(weekday, lang)}});
  if (part == Part::evening) out += t.evening_suffix;
  if (part == Part::lunch) out += t.lunch_suffix;
  return out;
}

struct HoursQuestion {
  std::optional<int> offset;   // days after today
  std::optional<int> weekday;  // when a day is named
  std::optional<int> minute;
  Part part = Part::any;
  bool now = false;
  bool several_days = false;
};

HoursQuestion hours_question(const Question& q) {
  HoursQuestion h;
  if (q.has(Words::evening)) h.part = Part::evening;
  if (q.has(Words::lunch)) h.part = Part::lunch;
  if (q.has(Words::tomorrow)) h.offset = 1;
  if (q.has(Words::today)) h.offset = 0;
  if (q.when.weekdays.size() == 1) h.weekday = q.when.weekdays.front();
  h.several_days = q.when.weekdays.size() > 1;
  if (!q.when.minutes.empty()) h.minute = q.when.minutes.front();
  h.now = q.has(Words::now);
  if (h.part != Part::any && !h.offset && !h.weekday) h.offset = 0;  // "ouverts à midi ?": today
  if (!h.offset && !h.weekday && !h.minute && h.part == Part::any && !h.now) {
    // "Vous êtes ouverts ?" asks about now; "Quels sont vos horaires ?" about the week.
    h.now = q.has(Words::open) && !q.has(Words::week);
  }
  return h;
}

// One day (or part of it) said open or closed: "Oui, dimanche nous sommes ouverts de 12h à 15h."
std::string day_answer(const RestaurantFacts& f, const HoursQuestion& hq, const LocalTime* now, int weekday,
                       int offset, chat::Lang lang) {
  const Phrases& t = phrases(lang);
  const WeeklyHours& h = f.hours;
  const int today = now != nullptr ? now->weekday : weekday;
  std::string label = day_label(offset, weekday, hq.part, lang);
  if (hq.minute) {
    int minute = *hq.minute;
    if (hq.part == Part::evening && minute < 12 * 60) minute += 12 * 60;  // "à 8h ce soir"
    std::string at = (offset == 0 && now != nullptr ? "" : day_label(offset, weekday, Part::any, lang) + " ") +
                     fill(t.at_time, {{"time", format_time(minute, lang)}});
    if (is_open_at(h, weekday, minute)) {
      return fill(t.open_at, {{"at", at}, {"until", until_text(h, weekday, minute, lang)}});
    }
    std::string out = fill(t.closed_at, {{"at", at}});
    auto day = h.days[weekday].services;
    if (!day.empty()) out += fill(t.that_day_open, {{"services", format_services(day, lang)}});
    return out;
  }
  auto services = services_of(h, weekday, hq.part);
  if (offset == 0 && now != nullptr) {
    if (services.empty()) {
      return fill(t.not_open, {{"when", label}}) + reopening(h, weekday, now->minute, today, 0, lang);
    }
    if (is_open_at(h, weekday, now->minute)) {
      return fill(t.open_now, {{"until", until_text(h, weekday, now->minute, lang)}});
    }
    std::vector<Service> later;
    for (const auto& s : services) {
      if (s.open > now->minute) later.push_back(s);
    }
    if (later.empty()) {
      return fill(t.closed_since, {{"when", label}, {"time", format_time(services.back().close, lang)}}) +
             reopening(h, weekday, now->minute, today, 0, lang);
    }
    return fill(t.open_when, {{"when", label}, {"services", format_services(later, lang)}});
  }
  if (services.empty()) {
    std::string when = offset == 1 || hq.part != Part::any
                           ? label
                           : fill(t.on_the_day, {{"day", day_name(weekday, lang)}});
    // Look for the next opening after the part of the day asked about.
    int from = hq.part == Part::lunch ? 15 * 60 : hq.part == Part::evening ? 1439 : -1;
    return fill(t.closed_when, {{"when", when}}) + reopening(h, weekday, from, today, offset, lang);
  }
  return fill(t.open_when, {{"when", label}, {"services", format_services(services, lang)}});
}

std::optional<std::string> answer_hours(const RestaurantFacts& f, const Question& q, chat::Lang lang,
                                        const std::optional<LocalTime>& now) {
  const Phrases& t = phrases(lang);
  if (!f.hours.known()) {
    if (f.hours_text.empty()) return std::nullopt;
    return fill(t.our_hours, {{"hours", sentence(f.hours_text)}});
  }
  auto hq = hours_question(q);
  if (!f.hours.timed() || hq.several_days) return week_text(f, lang);
  const LocalTime* clock = now ? &*now : nullptr;
  if (hq.now && clock != nullptr) {
    const WeeklyHours& h = f.hours;
    if (is_open_at(h, now->weekday, now->minute)) {
      return fill(t.open_now, {{"until", until_text(h, now->weekday, now->minute, lang)}});
    }
    return t.closed_now + reopening(h, now->weekday, now->minute, now->weekday, 0, lang);
  }
  if (hq.weekday) {
    int offset = clock != nullptr ? (*hq.weekday - now->weekday + 7) % 7 : 7;
    return day_answer(f, hq, clock, *hq.weekday, offset, lang);
  }
  if (hq.offset && clock != nullptr) {
    return day_answer(f, hq, clock, (now->weekday + *hq.offset) % 7, *hq.offset, lang);
  }
  if (hq.minute && clock != nullptr) return day_answer(f, hq, clock, now->weekday, 0, lang);
  return week_text(f, lang);
}

// ---- Bookings -------------------------------------------------------------------------------

std::string answer_booking(const RestaurantFacts& f, const Question& q, chat::Lang lang,
                           const std::optional<LocalTime>& now) {
  const Phrases& t = phrases(lang);
  std::vector<std::string> notes;
  for (const auto& note : f.notes) {
    if (recognised(Words::booking).in(words_of(fold_text(note)))) notes.push_back(note);
  }
  std::string out = joined_notes(notes);
  if (!f.phone.empty() && out.find(f.phone) == std::string::npos) {
    out += fill(out.empty() ? t.book_call : t.our_number, {{"phone", f.phone}});
  }
  if (out.empty()) return fallback(f, t);
  // "pour 4 samedi soir": say whether that day is open.
  auto hq = hours_question(q);
  if (f.hours.timed() && (hq.weekday || hq.offset) && now) {
    int weekday = hq.weekday ? *hq.weekday : (now->weekday + *hq.offset) % 7;
    int offset = hq.weekday ? (*hq.weekday - now->weekday + 7) % 7 : *hq.offset;
    hq.minute.reset();  // "pour 4" is no time
    out += " " + day_answer(f, hq, &*now, weekday, offset, lang);
  }
  return out;
}

}  // namespace

std::string detect_lang(std::string_view question, std::string_view fallback_lang) {
  // Each language's words (its table's question_words), read once.
  static const auto kWords = [] {
    std::array<std::set<std::string>, chat::kLangCount> words;
    for (std::size_t l = 0; l < chat::kLangCount; ++l) {
      for (auto& w : words_of(phrases(static_cast<chat::Lang>(l)).question_words)) words[l].insert(std::move(w));
    }
    return words;
  }();
  std::array<int, chat::kLangCount> counts{};
  for (const auto& w : words_of(fold_text(question))) {
    for (std::size_t l = 0; l < chat::kLangCount; ++l) counts[l] += kWords[l].count(w) ? 1 : 0;
  }
  // The language with the most words, when one has more than every other.
  std::size_t best = 0;
  bool tie = false;
  for (std::size_t l = 1; l < chat::kLangCount; ++l) {
    if (counts[l] > counts[best]) {
      best = l;
      tie = false;
    } else if (counts[l] == counts[best]) {
      tie = true;
    }
  }
  if (!tie) return std::string(chat::to_string(static_cast<chat::Lang>(best)));
  const auto fallback = chat::lang_from_code(fallback_lang);
  return std::string(chat::to_string(fallback.value_or(chat::kDefaultLang)));
}

std::string compose_answer(const RestaurantFacts& f, std::string_view question, std::string_view lang,
                           const std::optional<LocalTime>& now) {
  const chat::Lang language = chat::lang_from_code(lang).value_or(chat::kDefaultLang);
  const Phrases& t = phrases(language);
  Question q = read_question(question);
  auto topics = topics_of(q);

  if (topics.empty()) {
    if (q.has(Words::thanks)) return t.you_are_welcome;
    if (q.has(Words::hello) && q.words.size() <= 3) {
      std::string welcome = f.name.empty() ? "" : fill(t.welcome_to, {{"name", f.name}});
      return fill(t.hello, {{"welcome", welcome}});
    }
    // A dish named without a question word ("entrecôte ?"), or a subject of the notes.
    std::vector<std::string> wanted;
    for (auto i : content_words(q, 3)) wanted.push_back(q.words[i]);
    bool found = false;
    auto menu = answer_menu(f, q, t, &found);
    if (menu && !wanted.empty() && found) return *menu;
    auto notes = notes_about(f, wanted);
    if (!notes.empty()) return joined_notes(notes);
    return fallback(f, t);
  }

  std::vector<std::string> parts;
  bool missing = false;
  for (Topic topic : topics) {
    std::optional<std::string> part;
    switch (topic) {
      case Topic::hours: part = answer_hours(f, q, language, now); break;
      case Topic::address:
        if (!f.address.empty()) part = fill(t.our_address, {{"address", sentence(f.address)}});
        break;
      case Topic::phone:
        if (!f.phone.empty()) part = fill(t.our_phone, {{"phone", f.phone}});
        break;
      case Topic::menu: part = answer_menu(f, q, t); break;
      case Topic::booking: part = answer_booking(f, q, language, now); break;
    }
    if (part) {
      parts.push_back(*part);
    } else {
      missing = true;
    }
  }
  if (parts.empty() || missing) parts.push_back(fallback(f, t));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  // "Notre carte : \n- ..." -> "Notre carte :\n- ...": no space left at a line's end.
  for (auto at = out.find(" \n"); at != std::string::npos; at = out.find(" \n", at)) out.erase(at, 1);
  return out;
}

std::string compose_answer(std::string_view knowledge, std::string_view question, std::string_view lang) {
  return compose_answer(read_restaurant_facts(knowledge), question, lang, std::nullopt);
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> pieces;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t start = i;
    while (i < text.size() && text[i] == ' ') ++i;  // the leading spaces go with the word
    while (i < text.size() && text[i] != ' ') ++i;
    pieces.emplace_back(text.substr(start, i - start));
  }
  return pieces;
}

std::shared_ptr<const RestaurantFacts> LocalModel::facts_for(const std::string& knowledge) {
  std::lock_guard lock(mutex_);
  if (auto it = facts_.find(knowledge); it != facts_.end()) return it->second;
  // A prompt changes rarely; a full cache is simply emptied rather than tracked.
  if (facts_.size() >= 256) facts_.clear();
  auto facts = std::make_shared<const RestaurantFacts>(read_restaurant_facts(knowledge));
  facts_.emplace(knowledge, facts);
  return facts;
}

chat::Result<void> LocalModel::reply(const ModelRequest& request, const PieceSink& sink,
                                     const CancelToken& cancel) {
  std::string question;
  for (auto it = request.history.rbegin(); it != request.history.rend(); ++it) {
    if (it->role == chat::Role::visitor) {
      question = it->text;
      break;
    }
  }
  auto facts = facts_for(request.prompt + "\n" + request.prompt_extra);
  if (facts->name.empty() && !request.agent_name.empty()) {  // the prompt does not name the restaurant
    auto named = std::make_shared<RestaurantFacts>(*facts);
    named->name = request.agent_name;
    facts = std::move(named);
  }
  auto now = local_time(request.timezone, request.now.value_or(std::chrono::system_clock::now()));
  std::string answer = compose_answer(*facts, question, detect_lang(question, request.lang), now);
  auto pieces = split_words(answer);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (cancel.cancelled()) return chat::Error(chat::ErrorCode::model_error, "reply cancelled");
    if (i > 0 && word_pace_.count() > 0 && !cancel.sleep_for(word_pace_)) {
      return chat::Error(chat::ErrorCode::model_error, "reply cancelled");
    }
    sink(pieces[i]);
  }
  return {};
}

}  // namespace agent_server
