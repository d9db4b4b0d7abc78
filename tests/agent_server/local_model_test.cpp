#include <catch2/catch.hpp>

#include "local_model.hpp"
#include "restaurant_prompts.hpp"

using agent_server::compose_answer;
using agent_server::detect_lang;
using agent_server::split_words;

namespace {

const char* kPrompt = "Restaurant Chez Marie, cuisine française.\n"
                      "Horaires : du mardi au samedi, 12h-14h30 et 19h-22h30.\n"
                      "Adresse : 12 rue des Lilas, 75011 Paris.\n"
                      "Téléphone : 01 23 45 67 89.\n"
                      "Menu : Entrecôte frites 24 €, Salade niçoise 14 €, Tarte tatin 8 €.";

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("answers from the prompt, in French") {
  CHECK(
      compose_answer(kPrompt, "Quels sont vos horaires ?", "fr") ==
      "Nous sommes ouverts du mardi au samedi, de 12h à 14h30 et de 19h à 22h30. Fermé le lundi et le dimanche.");
  CHECK(compose_answer(kPrompt, "Quelle est votre adresse ?", "fr") ==
        "Notre adresse : 12 rue des Lilas, 75011 Paris.");
  CHECK(compose_answer(kPrompt, "Quel est votre numéro de téléphone ?", "fr") ==
        "Notre numéro de téléphone : 01 23 45 67 89.");
  CHECK(compose_answer(kPrompt, "Combien coûte l'entrecôte ?", "fr") == "Entrecôte frites : 24 €.");
  CHECK(compose_answer(kPrompt, "Qu'y a-t-il au menu ?", "fr") ==
        "Notre carte :\n- Entrecôte frites : 24 €\n- Salade niçoise : 14 €\n- Tarte tatin : 8 €");
  CHECK(contains(compose_answer(kPrompt, "Bonjour", "fr"), "Bonjour !"));
  CHECK(compose_answer(kPrompt, "Où êtes-vous ?", "fr") == "Notre adresse : 12 rue des Lilas, 75011 Paris.");
  // "ou" as "or" is not a question about the address; two days get the week.
  CHECK(contains(compose_answer(kPrompt, "Êtes-vous ouverts le lundi ou le mardi ?", "fr"),
                 "Nous sommes ouverts du mardi au samedi"));
}

TEST_CASE("answers in English when asked in English") {
  CHECK(compose_answer(kPrompt, "What are your opening hours?", "en") ==
        "We are open Tuesday to Saturday, 12:00–14:30 and 19:00–22:30. Closed on Monday and Sunday.");
  CHECK(compose_answer(kPrompt, "How much is the salade niçoise?", "en") == "Salade niçoise : 14 €.");
  CHECK(compose_answer(kPrompt, "Where are you located?", "en") == "Our address: 12 rue des Lilas, 75011 Paris.");
}

TEST_CASE("says plainly when it does not know") {
  auto fr = compose_answer(kPrompt, "Avez-vous un parking ?", "fr");
  CHECK(fr == "Je n'ai pas cette information. Vous pouvez appeler le restaurant au 01 23 45 67 89.");
  auto en = compose_answer(kPrompt, "Do you have a parking lot?", "en");
  CHECK(en == "I don't have that information. You can call the restaurant at 01 23 45 67 89.");
  // A prompt without the fact asked.
  CHECK(compose_answer("Restaurant Chez Paul.", "Quels sont vos horaires ?", "fr") ==
        "Je n'ai pas cette information. Le mieux est de contacter directement le restaurant.");
  CHECK(compose_answer("", "Quelle est votre adresse ?", "fr").rfind("Je n'ai pas cette information.", 0) == 0);
}

namespace {

using agent_server::LocalTime;
namespace prompts = restaurant_prompts;

// A local time on a weekday (0 = Monday) at hh:mm.
LocalTime at(int weekday, int hh, int mm = 0) { return LocalTime{2026, 12, 1, weekday, hh * 60 + mm}; }

std::string ask(const char* prompt, const char* question, const LocalTime& now, const char* lang = "fr") {
  return compose_answer(agent_server::read_restaurant_facts(prompt), question,
                        agent_server::detect_lang(question, lang), now);
}

}  // namespace

TEST_CASE("the demo's five questions (issue 14), a Tuesday at 23:00") {
  const auto tuesday_night = at(1, 23);
  CHECK(ask(prompts::kPetitZinc, "Vous avez des plats végétariens ?", tuesday_night) ==
        "Nos plats végétariens : Œuf mayonnaise (7 €).");
  CHECK(ask(prompts::kPetitZinc, "What's on the menu?", tuesday_night) ==
        "Our menu:\n- Œuf mayonnaise : 7 €\n- Soupe à l'oignon gratinée : 9 €\n- Steak frites : 21 €\n"
        "- Confit de canard, pommes sarladaises : 23 €\n- Tarte Tatin : 8 €\n"
        "- Menu du midi (entrée, plat, dessert) : 24 €");
  CHECK(contains(ask(prompts::kPetitZinc, "C'est combien l'entrecôte ?", tuesday_night),
                 "Désolé, nous n'avons pas d'entrecôte à la carte. Notre carte :\n- Œuf mayonnaise : 7 €"));
  CHECK(ask(prompts::kPetitZinc, "Vous êtes ouverts ce soir ?", tuesday_night) ==
        "Non, ce soir nous avons fermé à 22h30. Nous rouvrons demain (mercredi) à 12h.");
  CHECK(ask(prompts::kPetitZinc, "Je voudrais réserver une table pour 4 samedi soir", tuesday_night) ==
        "Réservations par téléphone ou sur place. Notre numéro : 01 42 85 12 34. "
        "Oui, samedi soir nous sommes ouverts de 19h à 22h30.");
}

TEST_CASE("open now, tonight, tomorrow, on Sunday, at 15h: from the hours and the clock") {
  const auto zinc = prompts::kPetitZinc;
  // Now.
  CHECK(ask(zinc, "Vous êtes ouverts ?", at(1, 12)) == "Oui, nous sommes ouverts en ce moment, jusqu'à 14h30.");
  CHECK(ask(zinc, "Vous êtes ouverts maintenant ?", at(1, 14, 30)) ==
        "Non, nous sommes fermés en ce moment. Nous rouvrons aujourd'hui à 19h.");
  CHECK(ask(zinc, "Are you open now?", at(6, 12)) ==
        "No, we are closed right now. We open again on Tuesday at 12:00.");
  CHECK(ask(zinc, "Are you open right now?", at(5, 22, 29)) == "Yes, we are open right now until 22:30.");
  // Tonight.
  CHECK(ask(zinc, "Vous êtes ouverts ce soir ?", at(2, 16)) == "Oui, ce soir nous sommes ouverts de 19h à 22h30.");
  CHECK(ask(zinc, "Are you open tonight?", at(2, 20)) == "Yes, we are open right now until 22:30.");
  CHECK(ask(zinc, "Vous êtes ouverts ce soir ?", at(0, 18)) ==
        "Non, nous ne sommes pas ouverts ce soir. Nous rouvrons demain (mardi) à 12h.");
  // Tomorrow, a named day.
  CHECK(ask(zinc, "Ouvert demain ?", at(5, 10)) == "Non, nous sommes fermés demain. Nous rouvrons mardi à 12h.");
  CHECK(ask(zinc, "Are you open tomorrow?", at(1, 10)) ==
        "Yes, tomorrow we are open 12:00–14:30 and 19:00–22:30.");
  CHECK(ask(zinc, "Êtes-vous ouverts dimanche ?", at(3, 10)) ==
        "Non, nous sommes fermés le dimanche. Nous rouvrons mardi à 12h.");
  CHECK(ask(zinc, "Are you open on Sunday?", at(3, 10)) ==
        "No, we are closed on Sunday. We open again on Tuesday at 12:00.");
  CHECK(ask(zinc, "Ouvert samedi midi ?", at(3, 10)) == "Oui, samedi midi nous sommes ouverts de 12h à 14h30.");
  // At an hour.
  CHECK(ask(zinc, "Vous êtes ouverts à 15h ?", at(2, 10)) ==
        "Non, à 15h nous sommes fermés. Ce jour-là, nous sommes ouverts de 12h à 14h30 et de 19h à 22h30.");
  CHECK(ask(zinc, "Ouvert à 13h ?", at(2, 10)) == "Oui, à 13h nous sommes ouverts, jusqu'à 14h30.");
  CHECK(ask(zinc, "Ouvert demain à 20h ?", at(2, 10)) == "Oui, demain à 20h nous sommes ouverts, jusqu'à 22h30.");
  CHECK(ask(zinc, "Open on Saturday at 3pm?", at(2, 10)) ==
        "No, on Saturday at 15:00 we are closed. That day we are open 12:00–14:30 and 19:00–22:30.");
  // Past midnight.
  CHECK(ask(prompts::kComptoir, "Vous êtes ouverts ?", at(5, 1)) ==
        "Oui, nous sommes ouverts en ce moment, jusqu'à 2h.");
  CHECK(ask(prompts::kAllNight, "Vous êtes ouverts ?", at(3, 4)) ==
        "Oui, nous sommes ouverts en ce moment 24h/24.");
  // Days without times: the hours as written.
  CHECK(ask(prompts::kAuberge, "Vous êtes ouverts ce soir ?", at(2, 20)) ==
        "Nos horaires : Ouvert du mercredi au dimanche, midi et soir.");
}

TEST_CASE("the menu: dishes, prices, diets, what is not there") {
  CHECK(ask(prompts::kGoldenFork, "Do you have vegan dishes?", at(1, 12), "en") ==
        "Our vegan dishes: Vegan buddha bowl (£11).");
  CHECK(ask(prompts::kGoldenFork, "Anything gluten free?", at(1, 12), "en") ==
        "Our gluten-free dishes: Vegan buddha bowl (£11).");
  CHECK(ask(prompts::kDaMario, "Vous avez des pizzas végétariennes ?", at(1, 12)) ==
        "Nos plats végétariens : Margherita (10 €) et Quatre fromages (13 €).");
  CHECK(ask(prompts::kDaMario, "Combien coûte la regina ?", at(1, 12)) == "Regina : 12,50 €.");
  CHECK(ask(prompts::kChezMarie, "Vous avez des plats vegan ?", at(1, 12)) ==
        "Désolé, aucun plat de notre carte n'est indiqué vegan. Appelez-nous au 01 23 45 67 89 : nous verrons ce "
        "qui est possible.");
  CHECK(ask(prompts::kBlueDoor, "How much are the pancakes?", at(1, 12), "en") == "pancakes : $8.");
  CHECK(contains(ask(prompts::kBlueDoor, "How much is the lobster?", at(1, 12), "en"),
                 "Sorry, we don't have lobster on our menu."));
  CHECK(ask(prompts::kBare, "Qu'avez-vous au menu ?", at(1, 12)) ==
        "Je n'ai pas cette information. Le mieux est de contacter directement le restaurant.");
}

TEST_CASE("bookings, notes, fallback") {
  CHECK(ask(prompts::kGoldenFork, "Can I book a table?", at(1, 12), "en") ==
        "We take bookings online or by phone. Our number: +44 20 7946 0958.");
  CHECK(ask(prompts::kComptoir, "On peut réserver ?", at(1, 12)) ==
        "Pas de réservation, premier arrivé premier servi. Notre numéro : 05 56 00 11 22.");
  CHECK(ask(prompts::kAuberge, "Je voudrais réserver", at(1, 12)) ==
        "Je n'ai pas cette information. Le mieux est de contacter directement le restaurant.");
  CHECK(ask(prompts::kGoldenFork, "Can I bring my dog?", at(1, 12), "en") == "Dogs welcome on the terrace.");
  CHECK(ask(prompts::kPetitZinc, "Avez-vous une terrasse ?", at(1, 12)) ==
        "Terrasse de 20 couverts aux beaux jours.");
  CHECK(ask(prompts::kPetitZinc, "Acceptez-vous les chèques ?", at(1, 12)) ==
        "Je n'ai pas cette information. Vous pouvez appeler le restaurant au 01 42 85 12 34.");
  CHECK(ask(prompts::kBlueDoor, "What's your phone number?", at(1, 12), "en") ==
        "Our phone number: (217) 555-0134.");
}

TEST_CASE("language: the question's when clear, else the session's") {
  CHECK(detect_lang("What are your opening hours?", "fr") == "en");
  CHECK(detect_lang("Quels sont vos horaires ?", "en") == "fr");
  CHECK(detect_lang("menu", "en") == "en");
  CHECK(detect_lang("menu", "fr") == "fr");
  CHECK(detect_lang("", "de") == "fr");
}

TEST_CASE("words split so that they concatenate back verbatim") {
  for (std::string text : {"Nous sommes ouverts", "  deux  espaces ", "", "un", "Prix : 24 € !"}) {
    auto pieces = split_words(text);
    std::string joined;
    for (const auto& p : pieces) {
      CHECK_FALSE(p.empty());
      joined += p;
    }
    CHECK(joined == text);
  }
  CHECK(split_words("Nous sommes ouverts") == std::vector<std::string>{"Nous", " sommes", " ouverts"});
}

TEST_CASE("the model streams pieces and can be cancelled") {
  agent_server::LocalModel model(std::chrono::milliseconds(0));
  agent_server::ModelRequest request;
  request.prompt = kPrompt;
  chat::Message question;
  question.role = chat::Role::visitor;
  question.text = "Quels sont vos horaires ?";
  request.history = {question};
  std::string text;
  int pieces = 0;
  agent_server::CancelToken cancel;
  REQUIRE(model
              .reply(
                  request, [&](std::string_view p) { text += p, ++pieces; }, cancel)
              .ok());
  CHECK(text == compose_answer(kPrompt, question.text, "fr"));
  CHECK(pieces > 5);

  // The request's clock and zone: a Tuesday at 23:00 in Paris is 22:00 UTC in December.
  request.prompt = restaurant_prompts::kPetitZinc;
  request.history[0].text = "Vous êtes ouverts ce soir ?";
  request.timezone = "Europe/Paris";
  request.now = std::chrono::system_clock::time_point(std::chrono::seconds(1796162400));  // 2026-12-01T22:00Z
  text.clear();
  REQUIRE(model
              .reply(
                  request, [&](std::string_view p) { text += p; }, cancel)
              .ok());
  CHECK(text.rfind("Non, ce soir nous avons fermé à 22h30.", 0) == 0);
  // The same instant in Tokyo is Wednesday 7:00: this evening is still to come.
  request.timezone = "Asia/Tokyo";
  text.clear();
  REQUIRE(model
              .reply(
                  request, [&](std::string_view p) { text += p; }, cancel)
              .ok());
  CHECK(text == "Oui, ce soir nous sommes ouverts de 19h à 22h30.");

  agent_server::LocalModel slow(std::chrono::milliseconds(10000));
  cancel.cancel();
  auto r = slow.reply(
      request, [](std::string_view) {}, cancel);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == chat::ErrorCode::model_error);
}

TEST_CASE("answers in Italian when asked in Italian") {
  CHECK(detect_lang("Siete aperti stasera?", "fr") == "it");
  CHECK(detect_lang("Quanto costa la tarte tatin?", "en") == "it");
  CHECK(detect_lang("Quels sont vos horaires ?", "it") == "fr");
  CHECK(detect_lang("12", "it") == "it");  // no word of any language: the session's

  CHECK(compose_answer(kPrompt, "Quali sono i vostri orari?", "it") ==
        "Siamo aperti da martedì a sabato, dalle 12:00 alle 14:30 e dalle 19:00 alle 22:30. Chiuso lunedì e "
        "domenica.");
  CHECK(compose_answer(kPrompt, "Dove siete?", "it") == "Il nostro indirizzo: 12 rue des Lilas, 75011 Paris.");
  CHECK(compose_answer(kPrompt, "Qual è il vostro numero di telefono?", "it") ==
        "Il nostro numero di telefono: 01 23 45 67 89.");
  CHECK(compose_answer(kPrompt, "Cosa c'è nel menu?", "it") ==
        "Il nostro menu:\n- Entrecôte frites : 24 €\n- Salade niçoise : 14 €\n- Tarte tatin : 8 €");
  CHECK(compose_answer(kPrompt, "Avete un parcheggio?", "it") ==
        "Non ho questa informazione. Puoi chiamare il ristorante al 01 23 45 67 89.");
  CHECK(compose_answer(kPrompt, "Grazie!", "it") == "Prego! Se hai un'altra domanda, chiedi pure.");
  CHECK(compose_answer(kPrompt, "Buongiorno", "it").rfind("Buongiorno! Benvenuti da Chez Marie.", 0) == 0);
  CHECK(compose_answer(kPrompt, "Vorrei prenotare", "it") == "Per prenotare, chiamaci al 01 23 45 67 89.");
}

TEST_CASE("Italian: the clock, tonight and tomorrow") {
  const auto tuesday_night = at(1, 23);
  CHECK(ask(kPrompt, "Siete aperti adesso?", tuesday_night, "it") ==
        "No, in questo momento siamo chiusi. Riapriamo domani (mercoledì) alle 12:00.");
  CHECK(ask(kPrompt, "Siete aperti domani sera?", tuesday_night, "it") ==
        "Sì, domani sera siamo aperti dalle 19:00 alle 22:30.");
  CHECK(ask(kPrompt, "Siete aperti lunedì?", tuesday_night, "it") ==
        "No, lunedì siamo chiusi. Riapriamo martedì alle 12:00.");
  CHECK(
      ask(kPrompt, "Avete piatti vegetariani?", tuesday_night, "it") ==
      "Spiacenti, nessun piatto del nostro menu è indicato come vegetariano. Chiamaci al 01 23 45 67 89: vedremo "
      "cosa si può fare.");
}

TEST_CASE("a prompt written in Italian, answered in Italian") {
  const char* prompt = "Trattoria da Mario\n"
                       "Indirizzo: Via Roma 10, 00184 Roma.\n"
                       "Telefono: 06 1234 5678.\n"
                       "Orari: da martedì a domenica, 12:00-15:00 e 19:00-23:00. Chiuso il lunedì.\n"
                       "Menu: Spaghetti alla carbonara 12 €, Tiramisù 6 €.";
  CHECK(compose_answer(prompt, "Quali sono i vostri orari?", "it") ==
        "Siamo aperti da martedì a domenica, dalle 12:00 alle 15:00 e dalle 19:00 alle 23:00. Chiuso lunedì.");
  CHECK(compose_answer(prompt, "Dove siete?", "it") == "Il nostro indirizzo: Via Roma 10, 00184 Roma.");
  CHECK(compose_answer(prompt, "Qual è il vostro numero di telefono?", "it") ==
        "Il nostro numero di telefono: 06 1234 5678.");
  CHECK(compose_answer(prompt, "Quanto costa il tiramisù?", "it") == "Tiramisù : 6 €.");
  CHECK(compose_answer(prompt, "What are your opening hours?", "en") ==
        "We are open Tuesday to Sunday, 12:00–15:00 and 19:00–23:00. Closed on Monday.");
}

TEST_CASE("each language's words come from its table (phrases_<lang>.cpp)") {
  const auto tuesday_noon = at(1, 12);
  // French phrases of two words: "où est" asks for a place ("où" alone folds to "ou",
  // "or"); "carte bleue" is a way to pay, not the menu.
  CHECK(ask(kPrompt, "Où est le restaurant ?", tuesday_noon) == "Notre adresse : 12 rue des Lilas, 75011 Paris.");
  CHECK_FALSE(contains(ask(kPrompt, "Vous prenez la carte bleue ?", tuesday_noon), "Entrecôte"));
  CHECK(contains(ask(kPrompt, "Vous avez une carte ?", tuesday_noon), "Entrecôte"));
  // "ce soir" and "this evening": today's evening (asked when the lunch service is over).
  CHECK(ask(kPrompt, "Vous êtes ouverts ce soir ?", at(1, 16)) ==
        "Oui, ce soir nous sommes ouverts de 19h à 22h30.");
  CHECK(ask(kPrompt, "Are you open this evening?", at(1, 16), "en") == "Yes, tonight we are open 19:00–22:30.");
  // Italian stems: "senza glutine", "celiaco".
  CHECK(ask(kPrompt, "Avete piatti senza glutine?", tuesday_noon, "it") ==
        "Spiacenti, nessun piatto del nostro menu è indicato come senza glutine. Chiamaci al 01 23 45 67 89: "
        "vedremo cosa si può fare.");
  CHECK(ask(prompts::kGoldenFork, "Is there anything for a celiac?", tuesday_noon, "en") ==
        "Our gluten-free dishes: Vegan buddha bowl (£11).");
  // A booking note in Italian is found by its table's stem ("prenot*").
  CHECK(ask("Trattoria da Mario\nTelefono: 06 1234 5678.\nPrenotazione consigliata il sabato.",
            "Vorrei prenotare un tavolo", tuesday_noon,
            "it") == "Prenotazione consigliata il sabato. Il nostro numero: 06 1234 5678.");
}
