#include "local_model.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

namespace agent_server {
namespace {

enum class Topic { hours, address, phone, menu };

// Lowercase ASCII, with the accented letters of French folded to their base letter,
// so "Entrecôte" matches "entrecote".
std::string fold(std::string_view text) {
  static const std::pair<std::string_view, char> kAccents[] = {
      {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'},
      {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'},
      {"ç", 'c'}, {"À", 'a'}, {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'}, {"Ô", 'o'}, {"Ç", 'c'},
      {"œ", 'o'}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (static_cast<unsigned char>(text[i]) >= 0x80) {
      for (const auto& [from, to] : kAccents) {
        if (text.substr(i, from.size()) == from) {
          out.push_back(to);
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

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : fold(text)) {
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

bool has_any(const std::vector<std::string>& words, std::initializer_list<std::string_view> keys) {
  for (const auto& w : words) {
    for (auto k : keys) {
      if (w == k) return true;
    }
  }
  return false;
}

std::string_view strip(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// One statement of the prompt, e.g. "Horaires : du mardi au samedi, 12h-14h30".
struct Fact {
  std::string label;  // "Horaires" (may be empty)
  std::string value;  // "du mardi au samedi, 12h-14h30"
  std::vector<std::string> words;
  bool has_price = false;
  bool has_number = false;
};

// Lines, then sentences (". " ends one; "12.50" does not).
std::vector<Fact> facts_of(std::string_view knowledge) {
  std::vector<std::string> statements;
  std::string current;
  for (std::size_t i = 0; i < knowledge.size(); ++i) {
    char c = knowledge[i];
    bool sentence_end = c == '.' && (i + 1 == knowledge.size() || knowledge[i + 1] == ' ');
    if (c == '\n' || sentence_end) {
      statements.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  statements.push_back(current);

  std::vector<Fact> facts;
  for (const auto& statement : statements) {
    std::string_view s = strip(statement);
    if (s.empty()) continue;
    Fact fact;
    auto colon = s.find(':');
    if (colon != std::string_view::npos && colon <= 40) {
      fact.label = std::string(strip(s.substr(0, colon)));
      fact.value = std::string(strip(s.substr(colon + 1)));
    } else {
      fact.value = std::string(s);
    }
    fact.words = words_of(s);
    fact.has_price = s.find("€") != std::string_view::npos || s.find('$') != std::string_view::npos ||
                     has_any(fact.words, {"eur", "euros", "euro"});
    std::size_t digits = 0;
    for (char c : s) digits += std::isdigit(static_cast<unsigned char>(c)) ? 1 : 0;
    fact.has_number = digits >= 9;
    facts.push_back(std::move(fact));
  }
  return facts;
}

bool fact_is(const Fact& f, Topic topic) {
  const auto& w = f.words;
  switch (topic) {
    case Topic::hours:
      return has_any(w, {"horaires", "horaire", "ouvert", "ouverts", "ouverte", "ouverture", "fermeture",
                         "ferme", "hours", "open", "opening", "closed"});
    case Topic::address:
      return has_any(w, {"adresse", "address", "situe", "situes", "rue", "avenue", "boulevard", "bd",
                         "located", "street", "metro"});
    case Topic::phone:
      return has_any(w, {"telephone", "tel", "phone", "numero"}) && f.has_number;
    case Topic::menu:
      return has_any(w, {"menu", "carte", "plats", "plat", "desserts", "dessert", "entrees", "formule",
                         "dishes", "prix", "prices"}) ||
             f.has_price;
  }
  return false;
}

std::set<Topic> topics_asked(const std::vector<std::string>& q) {
  std::set<Topic> topics;
  if (has_any(q, {"horaire", "horaires", "heure", "heures", "ouvert", "ouverts", "ouverte", "ouvrez",
                  "ouverture", "fermez", "ferme", "fermeture", "quand", "open", "opening", "close",
                  "closed", "hours", "when"})) {
    topics.insert(Topic::hours);
  }
  // "où" folds to "ou" ("or"): only "où êtes-vous", "où est", "où se trouve" ask for a place.
  bool where = false;
  for (std::size_t i = 0; i + 1 < q.size(); ++i) {
    where = where || (q[i] == "ou" && (q[i + 1] == "etes" || q[i + 1] == "est" || q[i + 1] == "se" ||
                                       q[i + 1] == "vous" || q[i + 1] == "trouver"));
  }
  if (where || has_any(q, {"adresse", "situe", "situes", "trouver", "venir", "acces", "where", "address",
                           "located", "directions"})) {
    topics.insert(Topic::address);
  }
  if (has_any(q, {"telephone", "numero", "appeler", "tel", "phone", "number", "call"})) {
    topics.insert(Topic::phone);
  }
  if (has_any(q, {"menu", "carte", "plat", "plats", "manger", "prix", "combien", "coute", "coutent",
                  "tarif", "tarifs", "dessert", "desserts", "vegetarien", "price", "prices", "cost",
                  "much", "eat", "dish", "dishes", "food"})) {
    topics.insert(Topic::menu);
  }
  return topics;
}

std::string sentence(std::string text) {
  std::string_view s = strip(text);
  std::string out(s);
  if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?') out.push_back('.');
  return out;
}

// Words of the question that could name a dish: long enough, not a question word.
std::vector<std::string> dish_words(const std::vector<std::string>& q) {
  static const std::set<std::string> kIgnore = {
      "combien", "coute", "coutent", "prix", "menu", "carte", "votre", "vous", "avez", "quel", "quelle",
      "quels", "quelles", "much", "does", "cost", "price", "what", "have", "your", "plat", "plats",
      "dish", "dishes", "food", "manger", "tarif", "tarifs", "est", "sont", "the", "how", "bonjour",
      "hello", "merci", "thanks", "please", "pour", "with", "avec", "dans", "sur"};
  std::vector<std::string> out;
  for (const auto& w : q) {
    if (w.size() >= 4 && !kIgnore.count(w)) out.push_back(w);
  }
  return out;
}

// The menu items (split on commas and semicolons) that mention a word of the question.
std::vector<std::string> matching_items(const std::vector<Fact>& facts, const std::vector<std::string>& q) {
  auto wanted = dish_words(q);
  std::vector<std::string> items;
  if (wanted.empty()) return items;
  for (const auto& f : facts) {
    if (!fact_is(f, Topic::menu)) continue;
    std::string item;
    auto consider = [&] {
      std::string_view s = strip(item);
      if (!s.empty()) {
        auto words = words_of(s);
        for (const auto& w : wanted) {
          if (std::find(words.begin(), words.end(), w) != words.end() ||
              std::find(words.begin(), words.end(), w + "s") != words.end() ||
              (w.size() > 4 && w.back() == 's' &&
               std::find(words.begin(), words.end(), w.substr(0, w.size() - 1)) != words.end())) {
            items.emplace_back(s);
            break;
          }
        }
      }
      item.clear();
    };
    for (char c : f.value) {
      if (c == ',' || c == ';') {
        consider();
      } else {
        item.push_back(c);
      }
    }
    consider();
  }
  return items;
}

std::optional<const Fact*> first_fact(const std::vector<Fact>& facts, Topic topic) {
  for (const auto& f : facts) {
    if (fact_is(f, topic)) return &f;
  }
  return std::nullopt;
}

std::string unknown(bool fr, const std::vector<Fact>& facts) {
  std::string out = fr ? "Je n'ai pas cette information." : "I don't have that information.";
  if (auto phone = first_fact(facts, Topic::phone)) {
    out += fr ? " Vous pouvez appeler le restaurant au " : " You can call the restaurant at ";
    out += sentence((*phone)->value);
  } else {
    out += fr ? " Le mieux est de contacter directement le restaurant."
              : " The best is to contact the restaurant directly.";
  }
  return out;
}

}  // namespace

std::string detect_lang(std::string_view question, std::string_view fallback) {
  auto q = words_of(question);
  int fr = 0;
  int en = 0;
  static const std::set<std::string> kFr = {
      "le", "la", "les", "est", "vous", "etes", "quel", "quelle", "quels", "quelles", "quand", "ou",
      "combien", "bonjour", "bonsoir", "merci", "je", "pour", "des", "une", "un", "du", "avez",
      "horaires", "adresse", "ouvert", "ouverts", "coute", "votre", "vos", "nous", "salut", "au", "et"};
  static const std::set<std::string> kEn = {
      "the", "is", "are", "you", "what", "when", "where", "how", "much", "hello", "hi", "thanks",
      "thank", "do", "does", "your", "open", "hours", "address", "cost", "price", "can", "i", "we",
      "have", "and", "of"};
  for (const auto& w : q) {
    fr += kFr.count(w) ? 1 : 0;
    en += kEn.count(w) ? 1 : 0;
  }
  if (fr > en) return "fr";
  if (en > fr) return "en";
  return std::string(fallback == "en" ? "en" : "fr");
}

std::string compose_answer(std::string_view knowledge, std::string_view question,
                           std::string_view lang) {
  const bool fr = lang != "en";
  auto facts = facts_of(knowledge);
  auto q = words_of(question);
  auto topics = topics_asked(q);

  if (topics.empty()) {
    if (has_any(q, {"merci", "thanks", "thank"})) {
      return fr ? "Avec plaisir ! N'hésitez pas si vous avez une autre question."
                : "You're welcome! Let me know if you have another question.";
    }
    if (has_any(q, {"bonjour", "bonsoir", "salut", "hello", "hi", "hey"}) && q.size() <= 3) {
      return fr ? "Bonjour ! Je peux vous renseigner sur nos horaires, notre adresse, notre carte et "
                  "nos prix. Que souhaitez-vous savoir ?"
                : "Hello! I can tell you about our opening hours, our address, our menu and our "
                  "prices. What would you like to know?";
    }
    // A dish named without a question word ("entrecôte ?") is still a menu question.
    if (!matching_items(facts, q).empty()) topics.insert(Topic::menu);
  }
  if (topics.empty()) return unknown(fr, facts);

  std::vector<std::string> parts;
  bool missing = false;
  for (Topic topic : topics) {
    if (topic == Topic::menu) {
      auto items = matching_items(facts, q);
      if (!items.empty()) {
        std::string joined;
        for (const auto& item : items) joined += (joined.empty() ? "" : ", ") + item;
        parts.push_back((fr ? "Sur notre carte : " : "On our menu: ") + sentence(joined));
        continue;
      }
    }
    std::string values;
    for (const auto& f : facts) {
      if (!fact_is(f, topic)) continue;
      values += (values.empty() ? "" : " ") + sentence(f.value);
    }
    if (values.empty()) {
      missing = true;
      continue;
    }
    switch (topic) {
      case Topic::hours: parts.push_back((fr ? "Nos horaires : " : "Our opening hours: ") + values); break;
      case Topic::address: parts.push_back((fr ? "Notre adresse : " : "Our address: ") + values); break;
      case Topic::phone: parts.push_back((fr ? "Notre téléphone : " : "Our phone number: ") + values); break;
      case Topic::menu: parts.push_back((fr ? "Notre carte : " : "Our menu: ") + values); break;
    }
  }
  if (parts.empty() || missing) parts.push_back(unknown(fr, facts));
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " ") + p;
  return out;
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

chat::Result<void> LocalModel::reply(const ModelRequest& request, const PieceSink& sink,
                                     const CancelToken& cancel) {
  std::string question;
  for (auto it = request.history.rbegin(); it != request.history.rend(); ++it) {
    if (it->role == chat::Role::visitor) {
      question = it->text;
      break;
    }
  }
  std::string knowledge = request.prompt + "\n" + request.prompt_extra;
  std::string answer = compose_answer(knowledge, question, detect_lang(question, request.lang));
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
