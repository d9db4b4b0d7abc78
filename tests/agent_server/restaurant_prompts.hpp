#pragma once
// A corpus of restaurant prompts written the way restaurants write them, in French and
// English: the fact reader, the built-in model and the HTTP tests all read these.

namespace restaurant_prompts {

/// script/demo-restaurant.json's bistrot (a list menu, services and closed days in one line).
inline constexpr const char* kPetitZinc =
    "Tu es l'assistant du restaurant Le Petit Zinc, bistrot parisien.\n"
    "Adresse : 12 rue des Martyrs, 75009 Paris.\n"
    "Téléphone : 01 42 85 12 34.\n"
    "Horaires : du mardi au samedi, de 12h à 14h30 et de 19h à 22h30 ; fermé le dimanche et le lundi.\n"
    "Menu :\n"
    "- Œuf mayonnaise (végétarien) : 7 €\n"
    "- Soupe à l'oignon gratinée : 9 €\n"
    "- Steak frites : 21 €\n"
    "- Confit de canard, pommes sarladaises : 23 €\n"
    "- Tarte Tatin : 8 €\n"
    "- Menu du midi (entrée, plat, dessert) : 24 €\n"
    "Réservations par téléphone ou sur place. Terrasse de 20 couverts aux beaux jours.";

/// A one-line menu, hours written "12h-14h30".
inline constexpr const char* kChezMarie = "Restaurant Chez Marie, cuisine française.\n"
                                          "Horaires : du mardi au samedi, 12h-14h30 et 19h-22h30.\n"
                                          "Adresse : 12 rue des Lilas, 75011 Paris.\n"
                                          "Téléphone : 01 23 45 67 89.\n"
                                          "Menu : Entrecôte frites 24 €, Salade niçoise 14 €, Tarte tatin 8 €.";

/// English, pounds, "Mon-Fri 11:30-14:30", diet marks in parentheses.
inline constexpr const char* kGoldenFork =
    "You are the friendly assistant of The Golden Fork, a brunch place in London.\n"
    "Address: 221 Baker Street, London NW1 6XE\n"
    "Phone: +44 20 7946 0958\n"
    "Opening hours: Mon-Fri 11:30-14:30 and 18:00-22:00, Sat-Sun 10:00-23:00.\n"
    "Menu:\n"
    "- Avocado toast (V) - £9.50\n"
    "- Full English breakfast £12\n"
    "- Vegan buddha bowl (vegan, GF) £11\n"
    "- Fish and chips £14.50\n"
    "We take bookings online or by phone. Dogs welcome on the terrace.";

/// "tous les jours sauf le lundi", an address in a sentence, "Tél." and decimal prices.
inline constexpr const char* kDaMario =
    "Pizzeria Da Mario — restaurant italien Da Mario.\n"
    "Ouvert tous les jours sauf le lundi, de 11h30 à 14h30 et de 18h30 à 23h.\n"
    "Nous sommes au 8 avenue Jean Jaurès, 69007 Lyon. Tél. 04 78 12 34 56\n"
    "Nos pizzas :\n"
    "- Margherita (végétarienne) : 10 €\n"
    "- Regina : 12,50 €\n"
    "- Quatre fromages (végétarienne) : 13 €\n"
    "- Calzone (sans gluten sur demande) : 13,50 €\n"
    "Réservation conseillée le week-end.";

/// A bar: the name on the first line, hours one day a line, services past midnight.
inline constexpr const char* kComptoir = "Le Comptoir du Marché\n"
                                         "Horaires :\n"
                                         "Lundi : fermé\n"
                                         "Mardi au jeudi : 18h - 1h\n"
                                         "Vendredi et samedi : 18h - 2h\n"
                                         "Dimanche : 11h - 16h (brunch)\n"
                                         "Adresse : 3 place du Marché, 33000 Bordeaux\n"
                                         "Contact : 05 56 00 11 22\n"
                                         "Planches à partager à partir de 15 €, cocktails 9 €.\n"
                                         "Pas de réservation, premier arrivé premier servi.";

/// American: am/pm, "Tuesday through Sunday", "Closed Mondays", dollars.
inline constexpr const char* kBlueDoor =
    "Name: Blue Door Diner\n"
    "Located at 85 Main St, Springfield, IL 62701.\n"
    "Call us: (217) 555-0134\n"
    "Hours: Tuesday through Sunday 7am-3pm. Closed Mondays.\n"
    "Breakfast: pancakes $8, veggie omelette $10 (vegetarian), bacon & eggs $9.\n"
    "Kids eat free on Sundays.";

/// "midi et soir": open days without times.
inline constexpr const char* kAuberge = "Auberge du Lac, cuisine du terroir.\n"
                                        "Ouvert du mercredi au dimanche, midi et soir.\n"
                                        "Adresse : 1 chemin du Lac, 74000 Annecy.";

/// Round the clock.
inline constexpr const char* kAllNight = "Restaurant Le Nocturne.\n"
                                         "Ouvert 7j/7, 24h/24.\n"
                                         "Téléphone : 01 40 00 00 00.";

/// Nothing the reader can use but free sentences.
inline constexpr const char* kBare = "Un petit restaurant de quartier. Cuisine maison.";

}  // namespace restaurant_prompts
