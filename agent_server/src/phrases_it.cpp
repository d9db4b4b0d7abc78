#include "phrases.hpp"

// The agent server's sentences in Italian: one field a line, by name (phrases.hpp).
namespace agent_server {
namespace {

constexpr Phrases italian() {
  Phrases t{};
  // Opening hours.
  t.day_names = {"lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"};
  t.month_names = {"gennaio", "febbraio", "marzo",     "aprile",  "maggio",   "giugno",
                   "luglio",  "agosto",   "settembre", "ottobre", "novembre", "dicembre"};
  t.midnight = "24:00";  // "fino alle 24:00", as Italian signs write it
  t.time_separator = ":";
  t.whole_hours_short = false;
  t.service = "dalle {open} alle {close}";
  t.around_the_clock = "24 ore su 24";
  t.services_and = " e ";
  t.every_day = "tutti i giorni";
  t.one_day = "{day}";
  t.two_days = "{first} e {last}";
  t.day_range = "da {first} a {last}";
  t.week_open = "Siamo aperti {runs}.";
  t.runs_separator = "; ";
  t.closed_on = " Chiuso {days}.";
  t.days_comma = ", ";
  t.days_and = " e ";
  t.moment_today = "oggi alle {time}";
  t.moment_tomorrow = "domani ({day}) alle {time}";
  t.moment_day = "{day} alle {time}";
  t.clock_now = "Oggi è {weekday} {day} {month} {year}, sono le {time} (ora di {zone}).";
  t.clock_open = " Secondo i suoi orari, il ristorante è aperto in questo momento{until}.";
  t.clock_until = ", fino alle {time}";
  t.clock_closed = " Secondo i suoi orari, il ristorante è chiuso in questo momento{reopens}.";
  t.clock_reopens = "; riapre {moment}";
  // The built-in model.
  t.no_information = "Non ho questa informazione.";
  t.call_restaurant = " Puoi chiamare il ristorante al {phone}.";
  t.contact_restaurant = " La cosa migliore è contattare direttamente il ristorante.";
  t.list_and = " e ";
  t.list_more = "\n- e altri {count}";
  t.vegetarian = "vegetariano";
  t.vegan = "vegano";
  t.gluten_free = "senza glutine";
  t.vegetarian_dishes = "I nostri piatti vegetariani: {list}";
  t.vegan_dishes = "I nostri piatti vegani: {list}";
  t.gluten_free_dishes = "I nostri piatti senza glutine: {list}";
  t.no_diet_dish = "Spiacenti, nessun piatto del nostro menu è indicato come {diet}.";
  t.diet_call = " Chiamaci al {phone}: vedremo cosa si può fare.";
  t.no_such_dish = "Spiacenti, non abbiamo {dish} nel menu. Il nostro menu: {list}";
  t.dish_takes_de = false;
  t.our_menu = "Il nostro menu: {list}";
  t.reopening = " Riapriamo {moment}.";
  t.open_all_day = " 24 ore su 24";
  t.until_time = ", fino alle {time}";
  t.our_hours = "I nostri orari: {hours}";
  t.today = "oggi";
  t.tonight = "stasera";
  t.lunch_today = "oggi a pranzo";
  t.tomorrow = "domani";
  t.on_day = "{day}";
  t.evening_suffix = " sera";
  t.lunch_suffix = " a pranzo";
  t.at_time = "alle {time}";
  t.open_at = "Sì, {at} siamo aperti{until}.";
  t.closed_at = "No, {at} siamo chiusi.";
  t.that_day_open = " Quel giorno siamo aperti {services}.";
  t.not_open = "No, {when} non siamo aperti.";
  t.open_now = "Sì, in questo momento siamo aperti{until}.";
  t.closed_since = "No, {when} abbiamo chiuso alle {time}.";
  t.open_when = "Sì, {when} siamo aperti {services}.";
  t.on_the_day = "{day}";
  t.closed_when = "No, {when} siamo chiusi.";
  t.closed_now = "No, in questo momento siamo chiusi.";
  t.book_call = "Per prenotare, chiamaci al {phone}.";
  t.our_number = " Il nostro numero: {phone}.";
  t.you_are_welcome = "Prego! Se hai un'altra domanda, chiedi pure.";
  t.welcome_to = " Benvenuti da {name}.";
  t.hello = "Buongiorno!{welcome} Posso darti informazioni sui nostri orari, il nostro indirizzo, il menu e le "
            "prenotazioni. Cosa vorresti sapere?";
  t.our_address = "Il nostro indirizzo: {address}";
  t.our_phone = "Il nostro numero di telefono: {phone}.";
  t.question_words =
      "lo gli e siete sei quando dove quanto quanta costa costano buongiorno buonasera ciao grazie orari orario "
      "indirizzo aperto aperti aperta chiuso chiusi stasera domani oggi prenotare prenotazione vorrei avete che "
      "cosa di del della per piatti posso potete qual quali sono";
  // What the built-in model recognises (Words).
  t.words[Words::hours] =
      "orari, orario, aperto, aperti, aperta, apre, aprite, chiuso, chiusi, chiude, chiudete, quando";
  t.words[Words::place] = "dove, indirizzo, trovate";
  t.words[Words::phone] = "telefono, chiamare";
  t.words[Words::menu] = "menu, piatto, piatti, prezzo, prezzi, costa, costano, quanto, mangiare, dolci";
  t.words[Words::not_menu] = "";
  t.words[Words::booking] = "prenot*";
  t.words[Words::vegan] = "vegan*";
  t.words[Words::vegetarian] = "vegetarian*";
  t.words[Words::gluten_free] = "glutin*, celiac*";
  t.words[Words::thanks] = "grazie";
  t.words[Words::hello] = "buongiorno, buonasera, ciao";
  t.words[Words::evening] = "sera, stasera, cena";
  t.words[Words::lunch] = "pranzo";
  t.words[Words::tomorrow] = "domani";
  t.words[Words::today] = "oggi, stasera";
  t.words[Words::now] = "adesso, ora, momento";
  t.words[Words::open] = "aperto, aperti, aperta";
  t.words[Words::week] = "orari, orario, quando, giorni";
  t.words[Words::filler] =
      "quanto, costa, costano, prezzo, prezzi, avete, vostro, vostra, vostri, vostre, piatto, piatti, "
      "mangiare, buongiorno, buonasera, ciao, grazie, vorrei, posso, potete, sono, siete, anche, qualcosa, "
      "della, delle, degli, dello, nella, nel, cosa, quale, quali, ristorante, tavolo, aperto, aperti, "
      "oggi, stasera, senza, glutine, vegetariano, vegetariana, vegetariani, vegetariane, vegano, vegana, "
      "vegani, vegane, per, con, che, del, nostro, dolci";
  t.words[Words::range] = "al, alla, alle";
  t.words[Words::list] = "e, poi";
  t.words[Words::closed] = "chiuso, chiusi, chiusa, chiusura, riposo";
  t.words[Words::except] = "tranne, eccetto";
  t.words[Words::meal] = "";
  t.words[Words::midday] = "";
  t.words[Words::noon] = "mezzogiorno";
  t.words[Words::midnight] = "mezzanotte";
  t.words[Words::every_day] = "";
  t.words[Words::weekdays] = "";
  t.words[Words::weekend] = "";
  t.words[Words::vegan_mark] = "";
  t.words[Words::vegetarian_mark] = "";
  t.words[Words::gluten_free_mark] = "";
  t.words[Words::price_lead] = "";
  t.words[Words::menu_heading] =
      "menu, il nostro menu, piatti, antipasti, primi, secondi, dolci, bevande, vini, pizze";
  t.words[Words::hours_heading] = "orari, orario, apertura";
  t.words[Words::hours_word] = "orari, orario, aperto, aperti, chiuso, chiusi, apertura, chiusura";
  t.words[Words::instruction] = "";
  t.words[Words::abbreviation] = "";
  t.words[Words::phone_only] = "telefono, chiamaci, al";
  t.words[Words::not_a_name] = "";
  t.words[Words::name_label] = "nome, ristorante";
  t.words[Words::address_label] = "indirizzo";
  t.words[Words::phone_label] = "telefono";
  t.words[Words::street] = "";
  t.words[Words::name_marker] = "";
  t.day_abbreviations = {"", "", "", "", "", "", ""};
  // The session.
  t.greeting = "Buongiorno! Rispondo alle tue domande su orari, menu, indirizzo e prenotazioni.";
  t.greeting_named = "Benvenuti da {name}! Rispondo alle tue domande su orari, menu, indirizzo e prenotazioni.";
  t.suggestions = {"Quali sono i vostri orari?", "Cosa c'è nel menu?", "Dove vi trovate?",
                   "Come posso prenotare?"};
  t.sms = "Il tuo codice di verifica: {code} (valido {minutes} min).";
  t.sms_not_sent = "Non è stato possibile inviare il codice via SMS; riprova.";
  return t;
}

}  // namespace

const Phrases kItalianPhrases = italian();

}  // namespace agent_server
