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
  // What the built-in model recognises (Words).
  t.words[Words::hours] =
      "horaire, horaires, heure, heures, ouvert, ouverts, ouverte, ouvertes, ouvrez, ouvre, ouverture, "
      "fermez, ferme, fermes, fermee, fermeture, quand";
  t.words[Words::place] = "adresse, situe, situes, trouver, venir, acces, ou etes, ou est, ou se, ou vous";
  t.words[Words::phone] = "telephone, numero, appeler, tel, joindre";
  t.words[Words::menu] =
      "menu, carte, plat, plats, manger, prix, combien, coute, coutent, tarif, tarifs, dessert, desserts, "
      "servez, proposez";
  t.words[Words::not_menu] = "carte bleue, carte bancaire, carte credit, carte cadeau, carte cb";
  t.words[Words::booking] = "reserv*";
  t.words[Words::vegan] = "vegan*, vegetalien*";
  t.words[Words::vegetarian] = "vegetarien*, vege";
  t.words[Words::gluten_free] = "gluten*, coeliaque*";
  t.words[Words::thanks] = "merci";
  t.words[Words::hello] = "bonjour, bonsoir, salut";
  t.words[Words::evening] = "soir, diner";
  t.words[Words::lunch] = "dejeuner, midi";
  t.words[Words::tomorrow] = "demain";
  t.words[Words::today] = "aujourd";
  t.words[Words::now] = "maintenant, actuellement, moment";
  t.words[Words::open] = "ouvert, ouverts, ouverte";
  t.words[Words::week] = "horaires, horaire, quand, jours, heures";
  t.words[Words::filler] =
      "combien, coute, coutent, prix, menu, carte, votre, vous, avez, quel, quelle, quels, quelles, plat, "
      "plats, manger, tarif, tarifs, sont, etes, bonjour, merci, pour, avec, dans, sans, servez, proposez, "
      "faites, voudrais, veux, aimerais, aussi, quelque, chose, choses, options, option, vegetarien, "
      "vegetarienne, vegetariens, vegetariennes, vegan, vegans, vegane, veganes, vegetalien, vegetaliens, "
      "gluten, veggie, aujourd, soir, midi, ouvert, ouverts, peut, puis, pouvez, pourriez, est, estce, "
      "possible, sur, des, les, une, cher, chere, dire, svp, plait, connaitre, savoir, liste, conseillez, "
      "nous, ici, chez, restaurant, table, quoi, comment, moins, plus, dessert, desserts, entree, entrees, "
      "boisson, boissons, avoir, etre, faire, donner, montrer, propose, qui, que, pas, amener, apporter, "
      "mon, mes, son, ses, vos, nos, leur, peux, acceptez, accepter, prenez";
  t.words[Words::range] = "au, a, aux, jusqu, jusque";
  t.words[Words::list] = "et, puis";
  t.words[Words::closed] = "ferme, fermes, fermee, fermees, fermeture, relache";
  t.words[Words::except] = "sauf, excepte, hors";
  t.words[Words::meal] = "midi, midis, soir, soirs, dejeuner, diner";
  t.words[Words::midday] = "midi";
  t.words[Words::noon] = "";
  t.words[Words::midnight] = "minuit";
  t.words[Words::every_day] = "tous les jours, quotidien, 7 jours sur 7";
  t.words[Words::weekdays] = "en semaine";
  t.words[Words::weekend] = "weekend";
  t.words[Words::vegan_mark] = "vegan, vegane, vegetalien, vegetalienne, vg";
  t.words[Words::vegetarian_mark] = "vegetarien, vegetarienne, vege, v";
  t.words[Words::gluten_free_mark] = "sans gluten, sg";
  t.words[Words::price_lead] = "a partir de, a, pour, de";
  t.words[Words::menu_heading] =
      "menu, carte, la carte, a la carte, notre carte, notre menu, menu du jour, plats, nos plats, plats du "
      "jour, entrees, desserts, boissons, vins, vins au verre, pizzas, nos pizzas, burgers, salades, "
      "formules";
  t.words[Words::hours_heading] = "horaires, horaire, ouverture";
  t.words[Words::hours_word] =
      "horaires, horaire, ouvert, ouverts, ouverte, ouverture, ferme, fermes, fermee, fermeture";
  t.words[Words::instruction] = "tu, ton role, reponds, ne reponds, sois, vouvoie*, toujours, jamais";
  t.words[Words::abbreviation] = "tel, av, bd, n, m, mme, fg, pl";
  t.words[Words::phone_only] = "tel, telephone, numero, appelez, appeler, nous, au, contact";
  t.words[Words::not_a_name] = "est, sommes, es, tu, vous";
  t.words[Words::name_label] = "nom, restaurant, enseigne";
  t.words[Words::address_label] = "adresse, adresses, localisation";
  t.words[Words::phone_label] = "telephone, tel, numero, contact, appelez, appeler";
  t.words[Words::street] = "rue, avenue, boulevard, bd, place, quai, chemin, impasse, allee";
  t.words[Words::name_marker] = "restaurant, assistante de, assistant de, assistante du";
  t.day_abbreviations = {"lun", "mar", "mer", "jeu", "ven", "sam", "dim"};
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
