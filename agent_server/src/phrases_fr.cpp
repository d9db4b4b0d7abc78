#include "phrases.hpp"

// The agent server's sentences in French: one field a line, by name (phrases.hpp).
namespace agent_server {
namespace {

constexpr Phrases french() {
  Phrases t{};
  // Opening hours.
  t.day_names = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"};
  t.month_names = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                   "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  t.midnight = "minuit";
  t.time_separator = "h";
  t.whole_hours_short = true;
  t.service = "de {open} à {close}";
  t.around_the_clock = "24h/24";
  t.services_and = " et ";
  t.every_day = "tous les jours";
  t.one_day = "le {day}";
  t.two_days = "le {first} et le {last}";
  t.day_range = "du {first} au {last}";
  t.week_open = "Nous sommes ouverts {runs}.";
  t.runs_separator = " ; ";
  t.closed_on = " Fermé le {days}.";
  t.days_comma = ", le ";
  t.days_and = " et le ";
  t.moment_today = "aujourd'hui à {time}";
  t.moment_tomorrow = "demain ({day}) à {time}";
  t.moment_day = "{day} à {time}";
  t.clock_now = "Nous sommes le {weekday} {day} {month} {year}, il est {time} (heure de {zone}).";
  t.clock_open = " D'après ses horaires, le restaurant est ouvert en ce moment{until}.";
  t.clock_until = ", jusqu'à {time}";
  t.clock_closed = " D'après ses horaires, le restaurant est fermé en ce moment{reopens}.";
  t.clock_reopens = " ; il rouvre {moment}";
  // The built-in model.
  t.no_information = "Je n'ai pas cette information.";
  t.call_restaurant = " Vous pouvez appeler le restaurant au {phone}.";
  t.contact_restaurant = " Le mieux est de contacter directement le restaurant.";
  t.list_and = " et ";
  t.list_more = "\n- et {count} autres";
  t.vegetarian = "végétarien";
  t.vegan = "vegan";
  t.gluten_free = "sans gluten";
  t.vegetarian_dishes = "Nos plats végétariens : {list}";
  t.vegan_dishes = "Nos plats vegans : {list}";
  t.gluten_free_dishes = "Nos plats sans gluten : {list}";
  t.no_diet_dish = "Désolé, aucun plat de notre carte n'est indiqué {diet}.";
  t.diet_call = " Appelez-nous au {phone} : nous verrons ce qui est possible.";
  t.no_such_dish = "Désolé, nous n'avons pas {dish} à la carte. Notre carte : {list}";
  t.dish_takes_de = true;
  t.our_menu = "Notre carte : {list}";
  t.reopening = " Nous rouvrons {moment}.";
  t.open_all_day = " 24h/24";
  t.until_time = ", jusqu'à {time}";
  t.our_hours = "Nos horaires : {hours}";
  t.today = "aujourd'hui";
  t.tonight = "ce soir";
  t.lunch_today = "ce midi";
  t.tomorrow = "demain";
  t.on_day = "{day}";
  t.evening_suffix = " soir";
  t.lunch_suffix = " midi";
  t.at_time = "à {time}";
  t.open_at = "Oui, {at} nous sommes ouverts{until}.";
  t.closed_at = "Non, {at} nous sommes fermés.";
  t.that_day_open = " Ce jour-là, nous sommes ouverts {services}.";
  t.not_open = "Non, nous ne sommes pas ouverts {when}.";
  t.open_now = "Oui, nous sommes ouverts en ce moment{until}.";
  t.closed_since = "Non, {when} nous avons fermé à {time}.";
  t.open_when = "Oui, {when} nous sommes ouverts {services}.";
  t.on_the_day = "le {day}";
  t.closed_when = "Non, nous sommes fermés {when}.";
  t.closed_now = "Non, nous sommes fermés en ce moment.";
  t.book_call = "Pour réserver, appelez-nous au {phone}.";
  t.our_number = " Notre numéro : {phone}.";
  t.you_are_welcome = "Avec plaisir ! N'hésitez pas si vous avez une autre question.";
  t.welcome_to = " Bienvenue chez {name}.";
  t.hello =
      "Bonjour !{welcome} Je peux vous renseigner sur nos horaires, notre adresse, notre carte et les réservations. "
      "Que souhaitez-vous savoir ?";
  t.our_address = "Notre adresse : {address}";
  t.our_phone = "Notre numéro de téléphone : {phone}.";
  t.question_words =
      "le la les est vous etes quel quelle quels quelles quand ou combien bonjour bonsoir merci je pour des une un "
      "du avez horaires adresse ouvert ouverts coute votre vos nous salut au et ce soir demain voudrais reserver c "
      "qu y a plats";
  // The session.
  t.greeting =
      "Bonjour ! Je réponds à vos questions sur nos horaires, notre carte, notre adresse et les réservations.";
  t.greeting_named =
      "Bienvenue chez {name} ! Je réponds à vos questions sur nos horaires, notre carte, notre adresse et les "
      "réservations.";
  t.suggestions = {"Quels sont vos horaires ?", "Qu'y a-t-il au menu ?", "Où êtes-vous situés ?",
                   "Comment réserver ?"};
  t.sms = "Votre code de vérification : {code} (valable {minutes} min).";
  t.sms_not_sent = "Le code n'a pas pu être envoyé par SMS ; réessayez.";
  return t;
}

}  // namespace

const Phrases kFrenchPhrases = french();

}  // namespace agent_server
