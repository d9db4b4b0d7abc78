#include "restaurant_facts.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include "phrases.hpp"
#include "vocabulary.hpp"

namespace agent_server {

// ---- Text helpers ---------------------------------------------------------------------

std::vector<std::string> words_of(std::string_view folded) {
  std::vector<std::string> words;
  std::string current;
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      current.push_back(c);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::string fold_text(std::string_view text) {
  static const std::pair<std::string_view, std::string_view> kFolds[] = {
      {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"é", "e"}, {"è", "e"},        {"ê", "e"},           {"ë", "e"},
      {"î", "i"}, {"ï", "i"}, {"ô", "o"}, {"ö", "o"}, {"ù", "u"},        {"û", "u"},           {"ü", "u"},
      {"ç", "c"}, {"À", "a"}, {"Â", "a"}, {"É", "e"}, {"È", "e"},        {"Ê", "e"},           {"Î", "i"},
      {"Ô", "o"}, {"Ù", "u"}, {"Û", "u"}, {"Ç", "c"}, {"œ", "oe"},       {"Œ", "oe"},          {"æ", "ae"},
      {"ì", "i"}, {"í", "i"}, {"ò", "o"}, {"ó", "o"}, {"ú", "u"},        {"á", "a"},           {"Ì", "i"},
      {"ñ", "n"}, {"–", "-"}, {"—", "-"}, {"’", "'"}, {"\xC2\xA0", " "}, {"\xE2\x80\xAF", " "}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      for (const auto& [from, to] : kFolds) {
        if (text.substr(i, from.size()) == from) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
      ++i;
    }
  }
  return out;
}

namespace {

std::string_view strip(std::string_view s, std::string_view chars = " \t\r\n") {
  while (!s.empty() && chars.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && chars.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// ---- Hours: tokens ----------------------------------------------------------------------

enum class Tok { day, days, time, dash, range, list, closed, except, sep, meal, other };

struct Token {
  Tok kind = Tok::other;
  int value = 0;  // day: weekday; days: bit mask; time: minutes
  std::string word;
  bool short_day = false;  // a day by its short form ("lun", "tues")
};

constexpr int kAllDays = 0x7f;
constexpr int day_bit(int d) { return 1 << d; }

Token word_token(std::string_view w) {
  Token t;
  t.word = std::string(w);
  const auto is = [&](Words list) { return recognised(list).is(w); };
  if (auto d = day_word(w)) {
    t.kind = Tok::day;
    t.value = d->day;
    t.short_day = d->short_form;
  } else if (is(Words::range)) {
    t.kind = Tok::range;
  } else if (is(Words::list)) {
    t.kind = Tok::list;
  } else if (is(Words::closed)) {
    t.kind = Tok::closed;
  } else if (is(Words::except)) {
    t.kind = Tok::except;
  } else if (is(Words::meal)) {
    t.kind = Tok::meal;
  } else if (is(Words::noon)) {
    t.kind = Tok::time;
    t.value = 720;
  } else if (is(Words::midnight)) {
    t.kind = Tok::time;
    t.value = 0;
  }
  return t;
}

int read_int(std::string_view s, std::size_t& i, int max_digits) {
  int n = 0;
  int digits = 0;
  while (i < s.size() && digits < max_digits && std::isdigit(static_cast<unsigned char>(s[i]))) {
    n = n * 10 + (s[i++] - '0');
    ++digits;
  }
  return n;
}

bool two_digits_at(std::string_view s, std::size_t i) {
  return i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) &&
         std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
         (i + 2 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 2])));
}

bool alpha_at(std::string_view s, std::size_t i) {
  return i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]));
}

// "12h", "12 h 30", "12:30", "11am", "2.30pm", "7j/7", "24h/24"; i is on the first digit.
void number_tokens(std::string_view s, std::size_t& i, std::vector<Token>& out) {
  std::size_t start = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i - start > 2) {  // a postcode, a year, a price: not a time
    out.push_back({Tok::other, 0, std::string(s.substr(start, i - start))});
    return;
  }
  std::size_t k = start;
  int n = read_int(s, k, 2);
  std::size_t j = i;
  auto skip_space = [&](std::size_t p) { return p < s.size() && s[p] == ' ' ? p + 1 : p; };
  auto ampm = [&](std::size_t p, int hour, int minute) -> bool {
    p = skip_space(p);
    if (p + 1 < s.size() && (s[p] == 'a' || s[p] == 'p') && s[p + 1] == 'm' && !alpha_at(s, p + 2) && hour >= 1 &&
        hour <= 12) {
      int h = hour % 12 + (s[p] == 'p' ? 12 : 0);
      out.push_back({Tok::time, h * 60 + minute, ""});
      i = p + 2;
      return true;
    }
    return false;
  };
  // "7j/7", "7/7": every day ("7 jours sur 7" and "7 days a week" are Words::every_day).
  if (n == 7) {
    std::string_view rest = s.substr(skip_space(j));
    if (starts_with(rest, "j/7") || starts_with(rest, "/7")) {
      out.push_back({Tok::days, kAllDays, ""});
      i = skip_space(j) + (starts_with(rest, "j/7") ? 3 : 2);
      return;
    }
  }
  std::size_t h = skip_space(j);
  if (h < s.size() && s[h] == 'h' && !alpha_at(s, h + 1)) {
    if (n == 24 && starts_with(s.substr(h + 1), "/24")) {  // "24h/24": round the clock
      out.push_back({Tok::time, 0, ""});
      out.push_back({Tok::dash, 0, ""});
      out.push_back({Tok::time, 1440, ""});
      i = h + 4;
      return;
    }
    std::size_t m = skip_space(h + 1);
    int minute = 0;
    if (two_digits_at(s, m)) {
      minute = (s[m] - '0') * 10 + (s[m + 1] - '0');
      i = m + 2;
    } else {
      i = h + 1;
    }
    if (n <= 24 && minute < 60) out.push_back({Tok::time, n * 60 + minute, ""});
    return;
  }
  if (j < s.size() && (s[j] == ':' || s[j] == '.') && two_digits_at(s, j + 1)) {
    int minute = (s[j + 1] - '0') * 10 + (s[j + 2] - '0');
    if (ampm(j + 3, n, minute)) return;
    // "12.50" next to a price is not a time: a dot only counts with am/pm.
    if (s[j] == ':' && n <= 24 && minute < 60) {
      out.push_back({Tok::time, n * 60 + minute, ""});
      i = j + 3;
      return;
    }
  }
  if (ampm(j, n, 0)) return;
  out.push_back({Tok::other, n, std::string(s.substr(start, i - start))});
}

std::vector<Token> tokenize(std::string_view folded) {
  std::vector<Token> out;
  std::size_t i = 0;
  const std::string_view s = folded;
  while (i < s.size()) {
    char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      number_tokens(s, i, out);
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      std::size_t start = i;
      while (alpha_at(s, i)) ++i;
      std::string_view w = s.substr(start, i - start);
      // "week-end", "week end"
      if (w == "week" && (starts_with(s.substr(i), "-end") || starts_with(s.substr(i), " end"))) {
        i += 4;
        w = "weekend";
      }
      out.push_back(word_token(w));
    } else if (c == '-' || c == '/') {
      out.push_back({Tok::dash, 0, "-"});
      ++i;
    } else if (c == ',' || c == '&' || c == '+') {
      out.push_back({Tok::list, 0, ","});
      ++i;
    } else if (c == ';' || c == '.' || c == '\n' || c == '|') {
      out.push_back({Tok::sep, 0, ""});
      ++i;
    } else {
      ++i;
    }
  }
  // Runs of days ("tous les jours", "7 days a week", "en semaine", "weekends") and
  // "midi" as a time.
  std::vector<std::string> words;
  for (const auto& t : out) words.push_back(t.word);
  static constexpr std::pair<Words, int> kRuns[] = {{Words::every_day, kAllDays},
                                                    {Words::weekdays, 0x1f},
                                                    {Words::weekend, day_bit(5) | day_bit(6)}};
  std::vector<Token> merged;
  for (std::size_t k = 0; k < out.size(); ++k) {
    std::size_t run_words = 0;
    int run_days = 0;
    for (const auto& [list, days] : kRuns) {
      if (auto n = recognised(list).match_at(words, k); n > run_words) {
        run_words = n;
        run_days = days;
      }
    }
    if (run_words > 0) {
      merged.push_back({Tok::days, run_days, ""});
      k += run_words - 1;
    } else if (out[k].kind == Tok::meal && recognised(Words::midday).is(std::string_view(out[k].word)) &&
               ((k + 2 < out.size() && (out[k + 1].kind == Tok::dash || out[k + 1].kind == Tok::range) &&
                 out[k + 2].kind == Tok::time) ||
                (k >= 2 && (out[k - 1].kind == Tok::dash || out[k - 1].kind == Tok::range) &&
                 out[k - 2].kind == Tok::time))) {
      merged.push_back({Tok::time, 720, ""});  // "de midi à 15h"
    } else {
      merged.push_back(out[k]);
    }
  }
  return merged;
}

bool is_connector(const Token& t) { return t.kind == Tok::dash || t.kind == Tok::range; }

int day_range(int from, int to) {
  int mask = 0;
  for (int d = from;; d = (d + 1) % 7) {
    mask |= day_bit(d);
    if (d == to) break;
  }
  return mask;
}

// ---- Hours: groups ------------------------------------------------------------------------
// A group is a run of days with their services ("du mardi au samedi de 12h à 14h30 et de
// 19h à 22h30"), or days said closed. A new group starts at a day named after services,
// or at a closed mark after services; a sentence end closes one too.

struct Group {
  int days = 0;
  int except = 0;
  bool in_except = false;
  bool closed = false;
  bool meal = false;
  bool all_days = false;  // "tous les jours": a later group naming days overrides it
  std::vector<Service> services;
  bool empty() const { return days == 0 && except == 0 && !closed && !meal && services.empty(); }
};

class HoursBuilder {
 public:
  void add_days(int mask, bool all) {
    // Times written before their days ("12h-14h30 du lundi au vendredi") stay with them.
    if (!current_.in_except && current_.days != 0 && (!current_.services.empty() || current_.closed)) flush();
    if (current_.in_except) {
      current_.except |= mask;
    } else {
      current_.days |= mask;
      current_.all_days = current_.all_days || all;
    }
  }
  void add_service(Service s) {
    current_.in_except = false;
    if (current_.closed && current_.days != 0) flush();
    if (s.close <= s.open) s.close += 1440;
    current_.services.push_back(s);
  }
  void closed() {
    if (!current_.services.empty()) flush();
    current_.closed = true;
    current_.in_except = false;
  }
  void except() { current_.in_except = true; }
  void meal() { current_.meal = true; }
  void sentence_end() { flush(); }

  WeeklyHours finish() {
    flush();
    WeeklyHours h;
    bool any_open = false;
    for (int d = 0; d < 7; ++d) {
      h.days[d] = days_[d].hours;
      std::sort(h.days[d].services.begin(), h.days[d].services.end(),
                [](const Service& a, const Service& b) { return a.open < b.open; });
      any_open = any_open || h.days[d].open;
    }
    if (!any_open) return WeeklyHours{};
    return h;
  }

 private:
  struct Day {
    DayHours hours;
    bool from_all = false;  // set by "tous les jours" or by times with no day
  };

  void flush() {
    Group g = current_;
    current_ = Group{};
    if (g.empty()) return;
    if (g.closed) {
      int target = g.days != 0 ? g.days : pending_days_;
      for (int d = 0; d < 7; ++d) {
        if (target & day_bit(d)) days_[d] = Day{};
      }
      pending_days_ = 0;
      return;
    }
    if (!g.services.empty()) {
      bool all = g.all_days || (g.days == 0 && pending_days_ == 0);
      int target = g.days != 0 ? g.days : pending_days_ != 0 ? pending_days_ : kAllDays;
      target &= ~g.except;
      for (int d = 0; d < 7; ++d) {
        if (!(target & day_bit(d))) continue;
        Day& day = days_[d];
        if (day.from_all && !all) day = Day{};  // "tous les jours ..., le dimanche ..."
        day.hours.open = true;
        day.from_all = day.from_all || all;
        for (const auto& s : g.services) {
          auto& list = day.hours.services;
          if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
        }
      }
      pending_days_ = 0;
      return;
    }
    if (g.days != 0 && g.meal) {  // "du mardi au samedi, midi et soir": open, times not given
      for (int d = 0; d < 7; ++d) {
        if ((g.days & ~g.except) & day_bit(d)) days_[d].hours.open = true;
      }
      return;
    }
    if (g.days != 0) pending_days_ = g.days & ~g.except;  // "Mardi au samedi :" then the times
  }

  Group current_;
  int pending_days_ = 0;
  std::array<Day, 7> days_{};
};

// The token after one or more connectors ("-", "au", "jusqu'à"); nullopt when none follows i.
std::optional<std::size_t> after_connectors(const std::vector<Token>& t, std::size_t i) {
  std::size_t j = i + 1;
  while (j < t.size() && is_connector(t[j])) ++j;
  if (j == i + 1 || j >= t.size()) return std::nullopt;
  return j;
}

WeeklyHours hours_from_tokens(const std::vector<Token>& t) {
  HoursBuilder b;
  for (std::size_t i = 0; i < t.size(); ++i) {
    switch (t[i].kind) {
      case Tok::day:
        if (auto j = after_connectors(t, i); j && t[*j].kind == Tok::day) {
          b.add_days(day_range(t[i].value, t[*j].value), false);
          i = *j;
        } else {
          b.add_days(day_bit(t[i].value), false);
        }
        break;
      case Tok::days: b.add_days(t[i].value, t[i].value == kAllDays); break;
      case Tok::time:
        if (auto j = after_connectors(t, i); j && t[*j].kind == Tok::time) {
          b.add_service({t[i].value, t[*j].value});
          i = *j;
        }
        break;
      case Tok::other:
        // "12-14h30", "de 12 à 14h": a bare hour that a time closes.
        if (!t[i].word.empty() && t[i].word.size() <= 2 &&
            std::isdigit(static_cast<unsigned char>(t[i].word[0])) && t[i].value <= 24) {
          if (auto j = after_connectors(t, i); j && t[*j].kind == Tok::time) {
            b.add_service({t[i].value * 60, t[*j].value});
            i = *j;
          }
        }
        break;
      case Tok::closed: b.closed(); break;
      case Tok::except: b.except(); break;
      case Tok::meal: b.meal(); break;
      case Tok::sep: b.sentence_end(); break;
      default: break;
    }
  }
  return b.finish();
}

bool has_hours_tokens(const std::vector<Token>& t) {
  bool day = false;
  bool time = false;
  for (const auto& tok : t) {
    day = day || tok.kind == Tok::day || tok.kind == Tok::days;
    time = time || tok.kind == Tok::time;
  }
  return day || time;
}

// ---- Menu ------------------------------------------------------------------------------------

const std::regex& price_pattern() {
  static const std::regex re(
      "(\\d+(?:[.,]\\d{1,2})?\\s?(?:€|euros?\\b|eur\\b|EUR\\b|\\$|£))|((?:€|\\$|£)\\s?\\d+(?:[.,]\\d{1,2})?)",
      std::regex::ECMAScript | std::regex::icase);
  return re;
}

std::vector<std::pair<std::size_t, std::size_t>> prices_in(const std::string& text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), price_pattern()); it != std::sregex_iterator();
       ++it) {
    out.emplace_back(static_cast<std::size_t>(it->position()), static_cast<std::size_t>(it->length()));
  }
  return out;
}

std::vector<Diet> diets_of(std::string_view folded) {
  auto w = words_of(folded);
  std::vector<Diet> out;
  bool vegan = recognised(Words::vegan_mark).in(w);
  bool vegetarian = vegan || recognised(Words::vegetarian_mark).in(w);
  bool gluten_free = recognised(Words::gluten_free_mark).in(w);
  if (vegetarian) out.push_back(Diet::vegetarian);
  if (vegan) out.push_back(Diet::vegan);
  if (gluten_free) out.push_back(Diet::gluten_free);
  return out;
}

// Parentheses holding only diet marks ("(V)", "(végétarien, sans gluten)") leave the name.
std::string without_diet_marks(const std::string& name) {
  const auto is_mark = [](const std::string& w) {
    return recognised(Words::vegan_mark).all_words().count(w) > 0 ||
           recognised(Words::vegetarian_mark).all_words().count(w) > 0 ||
           recognised(Words::gluten_free_mark).all_words().count(w) > 0;
  };
  std::string out;
  std::size_t i = 0;
  while (i < name.size()) {
    if (name[i] == '(') {
      auto close = name.find(')', i);
      if (close != std::string::npos) {
        auto words = words_of(fold_text(std::string_view(name).substr(i + 1, close - i - 1)));
        bool marks_only = !words.empty() && std::all_of(words.begin(), words.end(), is_mark);
        if (marks_only) {
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(name[i++]);
  }
  return std::string(strip(out, " \t:-,.…"));
}

// `text` without its last words when, folded, they are `folded_words` ("Menu à", "a").
std::string_view without_last_words(std::string_view text, std::string_view folded_words) {
  const auto words = 1 + std::count(folded_words.begin(), folded_words.end(), ' ');
  std::size_t start = text.size();  // then the space before the last words
  for (std::ptrdiff_t k = 0; k < words; ++k) {
    if (start == 0 || (start = text.rfind(' ', start - 1)) == std::string_view::npos) return text;
  }
  if (fold_text(text.substr(start + 1)) != folded_words) return text;
  return text.substr(0, start);
}

std::optional<MenuItem> item_of(std::string_view text) {
  std::string s(strip(text));
  MenuItem item;
  auto prices = prices_in(s);
  std::string name = s;
  if (!prices.empty()) {
    auto [at, len] = prices.front();
    item.price = std::string(strip(std::string_view(s).substr(at, len)));
    name = s.substr(0, at) + " " + s.substr(at + len);
  }
  name = std::string(strip(name, " \t:-,.…=/"));
  // "Menu du jour à 19 €": the trailing "à" belongs to the price.
  static const auto kLeads = recognised(Words::price_lead).texts();
  for (const auto& lead : kLeads) {
    name = std::string(strip(without_last_words(name, lead), " \t:-,.…"));
  }
  item.diets = diets_of(fold_text(name));
  item.name = without_diet_marks(name);
  if (item.name.empty() || item.name.size() > 200) return std::nullopt;
  return item;
}

// Splits on commas and semicolons outside parentheses; a piece with no price joins the
// next ("Confit de canard, pommes sarladaises 23 €").
std::vector<std::string> priced_pieces(const std::string& text) {
  std::vector<std::string> raw;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if ((c == ',' || c == ';') && depth == 0) {
      raw.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  raw.push_back(current);
  std::vector<std::string> out;
  std::string carry;
  for (auto& piece : raw) {
    std::string joined = carry.empty() ? piece : carry + "," + piece;
    if (prices_in(joined).empty()) {
      carry = joined;
    } else {
      out.push_back(joined);
      carry.clear();
    }
  }
  return out;
}

// ---- Statements ------------------------------------------------------------------------------

bool is_menu_heading(std::string_view folded_label) {
  return recognised(Words::menu_heading).is(words_of(folded_label));
}

bool is_hours_heading(std::string_view folded_label) {
  auto w = words_of(folded_label);
  return recognised(Words::hours_heading).in(w) && w.size() <= 3;
}

// Sentences addressed to the model ("Tu es l'assistant...", "Réponds en...") are not facts.
bool is_instruction(std::string_view folded) { return recognised(Words::instruction).starts(words_of(folded)); }

// "Tél. 04 78...", "85 Main St. Springfield": a dot that ends no sentence.
bool after_abbreviation(const std::string& before) {
  auto space = before.find_last_of(' ');
  std::string word = fold_text(space == std::string::npos ? before : before.substr(space + 1));
  return recognised(Words::abbreviation).is(std::string_view(word));
}

std::vector<std::string> sentences_of(std::string_view line) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    bool end = (c == '.' || c == '!' || c == '?') && (i + 1 == line.size() || line[i + 1] == ' ') &&
               !(c == '.' && after_abbreviation(current));
    current.push_back(c);
    if (end) {
      out.emplace_back(strip(current));
      current.clear();
    }
  }
  if (!strip(current).empty()) out.emplace_back(strip(current));
  return out;
}

std::optional<std::string> phone_in(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool starts = c == '+' || c == '(' || std::isdigit(static_cast<unsigned char>(c));
    if (!starts || (i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1])))) continue;
    std::size_t j = i;
    int digits = 0;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) ||
                            std::string_view(" .-()+").find(s[j]) != std::string_view::npos)) {
      if (s[j] == ' ' && j + 1 < s.size() && s[j + 1] == ' ') break;
      digits += std::isdigit(static_cast<unsigned char>(s[j])) ? 1 : 0;
      ++j;
    }
    std::string_view found = strip(s.substr(i, j - i), " .-");
    while (!found.empty() && (found.back() == '(' || found.back() == ' ')) found.remove_suffix(1);
    if (!found.empty() && found.front() != '(' && found.back() == ')') found.remove_suffix(1);
    if (digits >= 9 && digits <= 15 && (j == s.size() || !std::isalpha(static_cast<unsigned char>(s[j])))) {
      return std::string(found);
    }
    if (j > i) i = j;
  }
  return std::nullopt;
}

// "restaurant Le Petit Zinc, bistrot parisien" -> "Le Petit Zinc"; "the assistant of The
// Golden Fork, ..." -> "The Golden Fork".
std::optional<std::string> name_after_restaurant(std::string_view sentence) {
  std::string lower;
  for (char c : sentence) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  std::size_t at = std::string::npos;
  std::size_t marker_size = 0;
  static const auto kMarkers = recognised(Words::name_marker).texts();
  for (const auto& words : kMarkers) {
    const std::string marker = words + " ";
    at = lower.find(marker);
    if (at != std::string::npos) {
      marker_size = marker.size();
      break;
    }
  }
  if (at == std::string::npos) return std::nullopt;
  std::string_view rest = sentence.substr(at + marker_size);
  auto end = rest.find_first_of(",.;(!?:\n");
  rest = strip(rest.substr(0, end));
  // Skip lowercase words before the name ("restaurant italien Da Mario").
  for (int k = 0; k < 3 && !rest.empty() && std::islower(static_cast<unsigned char>(rest.front())); ++k) {
    auto space = rest.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    rest = strip(rest.substr(space));
  }
  if (rest.empty() || rest.size() > 80) return std::nullopt;
  return std::string(rest);
}

struct Labelled {
  std::string label;  // folded
  std::string value;  // as written
};

Labelled split_label(std::string_view s) {
  auto colon = s.find(':');
  // "12:30" is a time, not a label.
  if (colon != std::string_view::npos && colon <= 40 && colon > 0 &&
      !(std::isdigit(static_cast<unsigned char>(s[colon - 1])) && colon + 1 < s.size() &&
        std::isdigit(static_cast<unsigned char>(s[colon + 1])))) {
    return {fold_text(strip(s.substr(0, colon))), std::string(strip(s.substr(colon + 1)))};
  }
  return {"", std::string(s)};
}

class FactsReader {
 public:
  RestaurantFacts read(std::string_view original) {
    // No-break spaces ("7\u202f€", "12 h") read as spaces.
    std::string prompt;
    for (std::size_t i = 0; i < original.size(); ++i) {
      if (original.substr(i, 2) == "\xC2\xA0") {
        prompt.push_back(' ');
        i += 1;
      } else if (original.substr(i, 3) == "\xE2\x80\xAF") {
        prompt.push_back(' ');
        i += 2;
      } else {
        prompt.push_back(original[i]);
      }
    }
    std::size_t pos = 0;
    while (pos <= prompt.size()) {
      auto end = prompt.find('\n', pos);
      if (end == std::string_view::npos) end = prompt.size();
      line(prompt.substr(pos, end - pos));
      pos = end + 1;
    }
    facts_.hours = parse_hours(hours_text_);
    facts_.hours_text = std::string(strip(collapse(hours_text_), " ;."));
    return std::move(facts_);
  }

 private:
  enum class Section { none, menu, hours };

  static std::string collapse(const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '\n') {
        if (!out.empty() && out.back() != ' ') out += "; ";
      } else {
        out.push_back(c);
      }
    }
    return out;
  }

  void line(std::string_view raw) {
    std::string_view l = strip(raw);
    bool bullet = false;
    for (std::string_view b : {"- ", "* ", "• ", "– ", "· "}) {
      if (starts_with(l, b)) {
        l = strip(l.substr(b.size()));
        bullet = true;
        break;
      }
    }
    if (l.empty()) {
      section_ = Section::none;
      return;
    }
    const std::string folded = fold_text(l);
    auto labelled = split_label(l);
    // A heading alone ("Menu :", "Horaires :") opens a section.
    if (!labelled.label.empty() && strip(labelled.value).empty()) {
      section_ = is_menu_heading(labelled.label)    ? Section::menu
                 : is_hours_heading(labelled.label) ? Section::hours
                                                    : Section::none;
      return;
    }
    const bool first = first_line_;
    first_line_ = false;
    if (menu_line(std::string(l), labelled, bullet)) return;
    if (hours_line(l, folded, labelled)) return;
    // A short first line with no verb or number is the restaurant's name ("Le Comptoir du Marché").
    if (first && !bullet && labelled.label.empty() && looks_like_name(l)) {
      facts_.name = std::string(strip(l, " \t."));
      return;
    }
    for (const auto& sentence : sentences_of(l)) statement(sentence);
  }

  // "Tél. 04 78 12 34 56", "Appelez-nous au ...": nothing but the number.
  static bool says_only_phone(const std::string& folded) {
    for (const auto& w : words_of(folded)) {
      if (!std::isdigit(static_cast<unsigned char>(w[0])) &&
          !recognised(Words::phone_only).is(std::string_view(w))) {
        return false;
      }
    }
    return true;
  }

  static bool looks_like_name(std::string_view l) {
    if (l.size() > 60 || l.find_first_of("0123456789:,;!?") != std::string_view::npos) return false;
    if (!std::isupper(static_cast<unsigned char>(l.front())) && static_cast<unsigned char>(l.front()) < 0x80) {
      return false;
    }
    auto w = words_of(fold_text(l));
    return !w.empty() && w.size() <= 6 && !recognised(Words::not_a_name).in(w);
  }

  bool menu_line(const std::string& l, const Labelled& labelled, bool bullet) {
    auto prices = prices_in(l);
    if (prices.empty()) {
      // A bullet under "Menu :" with no price is still a dish.
      if (bullet && section_ == Section::menu && l.size() <= 120) {
        if (auto item = item_of(l)) facts_.menu.push_back(std::move(*item));
        return true;
      }
      return false;
    }
    std::string body = is_menu_heading(labelled.label) ? labelled.value : l;
    for (const auto& piece : (prices.size() > 1 ? priced_pieces(body) : std::vector<std::string>{body})) {
      if (auto item = item_of(piece)) facts_.menu.push_back(std::move(*item));
    }
    return true;
  }

  bool hours_line(std::string_view l, const std::string& folded, const Labelled& labelled) {
    auto tokens = tokenize(folded);
    bool labelled_hours = is_hours_heading(labelled.label);
    bool in_section = section_ == Section::hours;
    auto w = words_of(folded);
    bool keyword = recognised(Words::hours_word).in(w);
    // A line counts when it says hours and holds days or times, or when it holds a
    // day and a time ("Mon-Fri 11:30-14:30"), or sits under "Horaires :".
    bool day = false, time = false;
    for (const auto& t : tokens) {
      day = day || t.kind == Tok::day || t.kind == Tok::days;
      time = time || t.kind == Tok::time;
    }
    if (!(labelled_hours || ((keyword || in_section) && has_hours_tokens(tokens)) || (day && time))) return false;
    std::string_view text = labelled_hours ? std::string_view(labelled.value) : l;
    if (!hours_text_.empty()) hours_text_ += "\n";
    hours_text_ += std::string(strip(text, " \t."));
    return true;
  }

  void statement(const std::string& s) {
    const std::string folded = fold_text(s);
    auto labelled = split_label(s);
    auto lw = words_of(labelled.label);
    auto sw = words_of(folded);
    std::string value(strip(labelled.value, " \t."));
    if (recognised(Words::name_label).in(lw) && !value.empty()) {
      if (facts_.name.empty()) facts_.name = value;
      return;
    }
    if (recognised(Words::address_label).in(lw) && !value.empty()) {
      if (facts_.address.empty()) facts_.address = value;
      return;
    }
    auto phone = phone_in(s);
    if (phone && facts_.phone.empty()) facts_.phone = *phone;
    if (phone && (recognised(Words::phone_label).in(lw) || says_only_phone(folded))) {
      return;
    }
    if (facts_.address.empty() && looks_like_address(sw, s)) {
      // "Nous sommes au 8 avenue Jean Jaurès": the address starts at its number.
      auto digit = value.find_first_of("0123456789");
      facts_.address = digit != std::string::npos && digit < 40 && labelled.label.empty() ? value.substr(digit)
                                                                                          : value;
      return;
    }
    if (facts_.name.empty()) {
      if (auto name = name_after_restaurant(s)) facts_.name = *name;
    }
    if (is_instruction(folded)) return;
    facts_.notes.push_back(s);
  }

  static bool looks_like_address(const std::vector<std::string>& w, std::string_view s) {
    bool street = recognised(Words::street).in(w);
    static const std::regex postcode("\\b\\d{5}\\b|\\b\\d{1,4} [A-Za-z]");
    return street && std::regex_search(std::string(s), postcode);
  }

  RestaurantFacts facts_;
  Section section_ = Section::none;
  bool first_line_ = true;
  std::string hours_text_;
};

}  // namespace

// ---- Public functions -----------------------------------------------------------------------

bool WeeklyHours::known() const {
  return std::any_of(days.begin(), days.end(), [](const DayHours& d) { return d.open; });
}

bool WeeklyHours::timed() const {
  return known() &&
         std::all_of(days.begin(), days.end(), [](const DayHours& d) { return !d.open || !d.services.empty(); });
}

WeeklyHours parse_hours(std::string_view text) { return hours_from_tokens(tokenize(fold_text(text))); }

RestaurantFacts read_restaurant_facts(std::string_view prompt) { return FactsReader().read(prompt); }

WhenMentioned when_mentioned(std::string_view text) {
  WhenMentioned out;
  for (const auto& t : tokenize(fold_text(text))) {
    if (t.kind == Tok::day && !t.short_day) out.weekdays.push_back(t.value);
    if (t.kind == Tok::time) out.minutes.push_back(t.value);
  }
  return out;
}

bool is_open_at(const WeeklyHours& hours, int weekday, int minute) {
  for (const auto& s : hours.days[weekday].services) {
    if (minute >= s.open && minute < s.close) return true;
  }
  for (const auto& s : hours.days[(weekday + 6) % 7].services) {
    if (s.close > 1440 && minute < s.close - 1440) return true;
  }
  return false;
}

std::optional<WeekMoment> open_until(const WeeklyHours& hours, int weekday, int minute) {
  // The service in force, as an interval of minutes counted from `weekday`'s midnight.
  std::optional<int> end;
  for (const auto& s : hours.days[(weekday + 6) % 7].services) {
    if (s.close > 1440 && minute < s.close - 1440) end = s.close - 1440;
  }
  for (const auto& s : hours.days[weekday].services) {
    if (minute >= s.open && minute < s.close) end = std::max(end.value_or(0), s.close);
  }
  if (!end) return std::nullopt;
  // Chain services that start when the previous one ends (round the clock, "jusqu'à 2h").
  for (int guard = 0; guard < 14; ++guard) {
    int day = *end / 1440;
    int at = *end % 1440;
    bool extended = false;
    for (const auto& s : hours.days[(weekday + day) % 7].services) {
      if (s.open == at && day * 1440 + s.close > *end) {
        end = day * 1440 + s.close;
        extended = true;
      }
    }
    if (!extended) return WeekMoment{*end / 1440, *end % 1440};
    if (*end >= 8 * 1440) return std::nullopt;  // never closes
  }
  return std::nullopt;
}

std::optional<WeekMoment> next_opening(const WeeklyHours& hours, int weekday, int minute) {
  for (int offset = 0; offset <= 7; ++offset) {
    const auto& services = hours.days[(weekday + offset) % 7].services;
    for (const auto& s : services) {  // sorted by opening
      if (offset > 0 || s.open > minute) {
        // A service that merely continues one still running (round the clock) is no opening.
        int prev_day = (weekday + offset + 6) % 7;
        bool continues = s.open == 0 &&
                         std::any_of(hours.days[prev_day].services.begin(), hours.days[prev_day].services.end(),
                                     [](const Service& p) { return p.close == 1440; });
        if (!continues) return WeekMoment{offset, s.open};
      }
    }
  }
  return std::nullopt;
}

std::string describe_moment(const WeekMoment& m, int today, chat::Lang lang) {
  const Phrases& t = phrases(lang);
  const int weekday = (today + m.day_offset) % 7;
  const std::string time = format_time(m.minute, lang);
  if (m.day_offset == 0) return fill(t.moment_today, {{"time", time}});
  const std::string day = day_name(weekday, lang);
  return fill(m.day_offset == 1 ? t.moment_tomorrow : t.moment_day, {{"day", day}, {"time", time}});
}

std::string clock_context(const RestaurantFacts& facts, const LocalTime& now, std::string_view zone,
                          chat::Lang lang) {
  const Phrases& t = phrases(lang);
  auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  const std::string hhmm = std::to_string(now.minute / 60) + t.time_separator + two(now.minute % 60);
  std::string out = fill(t.clock_now, {{"weekday", day_name(now.weekday, lang)},
                                       {"day", std::to_string(now.day)},
                                       {"month", t.month_names[static_cast<std::size_t>(now.month - 1) % 12]},
                                       {"year", std::to_string(now.year)},
                                       {"time", hhmm},
                                       {"zone", zone}});
  if (!facts.hours.timed()) return out;
  if (is_open_at(facts.hours, now.weekday, now.minute)) {
    auto until = open_until(facts.hours, now.weekday, now.minute);
    const std::string until_text = until ? fill(t.clock_until, {{"time", format_time(until->minute, lang)}}) : "";
    return out + fill(t.clock_open, {{"until", until_text}});
  }
  std::string reopens;
  if (auto next = next_opening(facts.hours, now.weekday, now.minute)) {
    reopens = fill(t.clock_reopens, {{"moment", describe_moment(*next, now.weekday, lang)}});
  }
  return out + fill(t.clock_closed, {{"reopens", reopens}});
}

std::string format_time(int minute, chat::Lang lang) {
  const Phrases& t = phrases(lang);
  minute %= 1440;
  if (minute == 0) return t.midnight;
  int h = minute / 60;
  int m = minute % 60;
  auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  if (m == 0 && t.whole_hours_short) return std::to_string(h) + t.time_separator;
  return std::to_string(h) + t.time_separator + two(m);
}

std::string day_name(int weekday, chat::Lang lang) {
  const int day = ((weekday % 7) + 7) % 7;
  return phrases(lang).day_names[static_cast<std::size_t>(day)];
}

std::string format_services(const std::vector<Service>& services, chat::Lang lang) {
  const Phrases& t = phrases(lang);
  std::string out;
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (i > 0) out += i + 1 == services.size() ? t.services_and : ", ";
    const auto& s = services[i];
    if (s.open == 0 && s.close == 1440) {
      out += t.around_the_clock;
    } else {
      out += fill(t.service, {{"open", format_time(s.open, lang)}, {"close", format_time(s.close, lang)}});
    }
  }
  return out;
}

namespace {

std::string join_days(const std::vector<int>& days, chat::Lang lang) {
  const Phrases& t = phrases(lang);
  std::string out;
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i > 0) out += i + 1 == days.size() ? t.days_and : t.days_comma;
    out += day_name(days[i], lang);
  }
  return out;
}

}  // namespace

std::string format_week(const WeeklyHours& hours, chat::Lang lang) {
  if (!hours.known()) return "";
  const Phrases& t = phrases(lang);
  // Runs of consecutive days (Monday first) with the same services.
  std::vector<std::string> runs;
  std::vector<int> closed;
  for (int d = 0; d < 7;) {
    const DayHours& day = hours.days[d];
    if (!day.open) {
      closed.push_back(d);
      ++d;
      continue;
    }
    int last = d;
    while (last + 1 < 7 && hours.days[last + 1] == day) ++last;
    std::string when;
    if (d == 0 && last == 6) {
      when = t.every_day;
    } else if (last == d) {
      when = fill(t.one_day, {{"day", day_name(d, lang)}});
    } else {
      when = fill(last == d + 1 ? t.two_days : t.day_range,
                  {{"first", day_name(d, lang)}, {"last", day_name(last, lang)}});
    }
    if (!day.services.empty()) when += ", " + format_services(day.services, lang);
    runs.push_back(when);
    d = last + 1;
  }
  std::string joined;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (i > 0) joined += t.runs_separator;
    joined += runs[i];
  }
  std::string out = fill(t.week_open, {{"runs", joined}});
  if (!closed.empty()) out += fill(t.closed_on, {{"days", join_days(closed, lang)}});
  return out;
}

}  // namespace agent_server
