#include <catch2/catch.hpp>

#include "local_model.hpp"

using agent_server::compose_answer;
using agent_server::detect_lang;
using agent_server::split_words;

namespace {

const char* kPrompt =
    "Restaurant Chez Marie, cuisine française.\n"
    "Horaires : du mardi au samedi, 12h-14h30 et 19h-22h30.\n"
    "Adresse : 12 rue des Lilas, 75011 Paris.\n"
    "Téléphone : 01 23 45 67 89.\n"
    "Menu : Entrecôte frites 24 €, Salade niçoise 14 €, Tarte tatin 8 €.";

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("answers from the prompt, in French") {
  auto hours = compose_answer(kPrompt, "Quels sont vos horaires ?", "fr");
  CHECK(hours == "Nos horaires : du mardi au samedi, 12h-14h30 et 19h-22h30.");
  CHECK(compose_answer(kPrompt, "Quelle est votre adresse ?", "fr") == "Notre adresse : 12 rue des Lilas, 75011 Paris.");
  CHECK(contains(compose_answer(kPrompt, "Quel est votre numéro de téléphone ?", "fr"), "01 23 45 67 89"));
  CHECK(compose_answer(kPrompt, "Combien coûte l'entrecôte ?", "fr") == "Sur notre carte : Entrecôte frites 24 €.");
  CHECK(contains(compose_answer(kPrompt, "Qu'y a-t-il au menu ?", "fr"), "Tarte tatin 8 €"));
  CHECK(contains(compose_answer(kPrompt, "Bonjour", "fr"), "Bonjour !"));
  CHECK(compose_answer(kPrompt, "Où êtes-vous ?", "fr") == "Notre adresse : 12 rue des Lilas, 75011 Paris.");
  // "ou" as "or" is not a question about the address.
  CHECK(compose_answer(kPrompt, "Êtes-vous ouverts le lundi ou le mardi ?", "fr") ==
        "Nos horaires : du mardi au samedi, 12h-14h30 et 19h-22h30.");
}

TEST_CASE("answers in English when asked in English") {
  CHECK(compose_answer(kPrompt, "What are your opening hours?", "en") ==
        "Our opening hours: du mardi au samedi, 12h-14h30 et 19h-22h30.");
  CHECK(contains(compose_answer(kPrompt, "How much is the salade niçoise?", "en"), "Salade niçoise 14 €"));
  CHECK(compose_answer(kPrompt, "Where are you located?", "en") == "Our address: 12 rue des Lilas, 75011 Paris.");
}

TEST_CASE("says plainly when it does not know") {
  auto fr = compose_answer(kPrompt, "Avez-vous un parking ?", "fr");
  CHECK(fr.rfind("Je n'ai pas cette information.", 0) == 0);
  CHECK(contains(fr, "01 23 45 67 89"));
  auto en = compose_answer(kPrompt, "Do you have a parking lot?", "en");
  CHECK(en.rfind("I don't have that information.", 0) == 0);
  // A prompt without the fact asked.
  CHECK(compose_answer("Restaurant Chez Paul.", "Quels sont vos horaires ?", "fr")
            .rfind("Je n'ai pas cette information.", 0) == 0);
  CHECK(compose_answer("", "Quelle est votre adresse ?", "fr").rfind("Je n'ai pas cette information.", 0) == 0);
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
  REQUIRE(model.reply(request, [&](std::string_view p) { text += p, ++pieces; }, cancel).ok());
  CHECK(text == compose_answer(kPrompt, question.text, "fr"));
  CHECK(pieces > 5);

  agent_server::LocalModel slow(std::chrono::milliseconds(10000));
  cancel.cancel();
  auto r = slow.reply(request, [](std::string_view) {}, cancel);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == chat::ErrorCode::model_error);
}
