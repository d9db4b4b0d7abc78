// Issue 14 over real HTTP against the real binary: the agent's timezone, chatGreeting and
// chatSuggestions (round trip, validation, defaults), the session's greeting and
// suggestions, and the built-in model's answers on several restaurants, on SQLite and
// PostgreSQL.
#include <catch2/catch.hpp>

#include "restaurant_prompts.hpp"
#include "server_fixture.hpp"
#include "sse_reader.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Asks one question and waits, as the widget does, for the reply's `done` on the
// session's stream (sent once the session takes a new message: polling the stored
// messages instead could post the next question a moment too early, 429).
std::string ask(const Chat& chat, const std::string& question) {
  const auto seen = static_cast<long long>(chat.get().json().at("messages").size());
  test_support::SseReader stream(chat.server->port(), chat.events_path(seen),
                                 {{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream.wait_for_raw("retry: 2000"));
  auto posted = chat.post(question);
  REQUIRE(posted.status == 202);
  REQUIRE(stream.wait_for_event("done"));
  auto events = stream.events();
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->event != "message") continue;
    auto message = json::parse(it->data);
    if (message.at("role") == "agent") return message.at("text");
  }
  FAIL("no reply to " << question);
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string path_of(const json& agent) { return "/api/agents/" + agent.at("id").get<std::string>(); }

}  // namespace

TEST_CASE("agent settings: timezone, chatGreeting, chatSuggestions round trip (SQLite and PostgreSQL)") {
  for (const std::string backend : {"sqlite", "postgres"}) {
    test_support::TempDir dir;
    auto url = agent_test::database_for(backend, dir);
    if (url.empty()) {
      WARN("PostgreSQL unavailable: skipped");
      continue;
    }
    INFO(backend);
    AgentServer server(agent_test::ServerOptions{url, {}});
    // Defaults: Paris, and null for the two texts (the defaults of the session's language).
    auto plain = server.create_agent();
    CHECK(plain.at("timezone") == "Europe/Paris");
    CHECK(plain.at("chatGreeting").is_null());
    CHECK(plain.at("chatSuggestions").is_null());

    auto agent = server.create_agent({{"name", "Blue Door"},
                                      {"prompt", restaurant_prompts::kBlueDoor},
                                      {"timezone", "America/Chicago"},
                                      {"chatGreeting", "  Hi! Ask me anything.  "},
                                      {"chatSuggestions", {"Are you open now?", " What's on the menu? "}}});
    CHECK(agent.at("timezone") == "America/Chicago");
    CHECK(agent.at("chatGreeting") == "Hi! Ask me anything.");  // trimmed
    CHECK(agent.at("chatSuggestions") == json({"Are you open now?", "What's on the menu?"}));
    auto path = path_of(agent);
    CHECK(server.admin().get(path).json() == agent);

    // PATCH: absent keys stay; "" and [] mean none; null goes back to the default.
    auto patched = server.with_token(agent.at("apiToken"))
                       .patch_json(path, {{"timezone", "Asia/Tokyo"},
                                          {"chatGreeting", ""},
                                          {"chatSuggestions", json::array()}});
    REQUIRE(patched.status == 200);
    CHECK(patched.json().at("timezone") == "Asia/Tokyo");
    CHECK(patched.json().at("chatGreeting") == "");
    CHECK(patched.json().at("chatSuggestions") == json::array());
    CHECK(server.admin().get(path).json() == patched.json());
    auto reset = server.admin().patch_json(path, {{"chatGreeting", nullptr}, {"chatSuggestions", nullptr}});
    REQUIRE(reset.status == 200);
    CHECK(reset.json().at("chatGreeting").is_null());
    CHECK(reset.json().at("chatSuggestions").is_null());
    CHECK(reset.json().at("timezone") == "Asia/Tokyo");
    CHECK(server.admin().get(path).json() == reset.json());
  }
}

TEST_CASE("agent settings: validation answers 400 with a JSON error naming the field") {
  AgentServer server;
  auto agent = server.create_agent();
  auto path = path_of(agent);
  auto patch = [&](const json& body) { return server.admin().patch_json(path, body); };
  struct Bad {
    json body;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {{{"timezone", "Mars/Olympus"}}, "timezone"},      // no such zone
      {{{"timezone", "../../etc/passwd"}}, "timezone"},  // not a zone's name
      {{{"timezone", ""}}, "timezone"},
      {{{"timezone", 1}}, "timezone"},
      {{{"chatGreeting", std::string(501, 'a')}}, "chatGreeting"},
      {{{"chatGreeting", "Bonjour\u0007"}}, "chatGreeting"},
      {{{"chatGreeting", 3}}, "chatGreeting"},
      {{{"chatSuggestions", "Horaires ?"}}, "chatSuggestions"},
      {{{"chatSuggestions", {"a", "b", "c", "d", "e", "f", "g"}}}, "chatSuggestions"},
      {{{"chatSuggestions", {std::string(81, 'a')}}}, "chatSuggestions"},
      {{{"chatSuggestions", {"Deux\nlignes"}}}, "chatSuggestions"},
      {{{"chatSuggestions", {"   "}}}, "chatSuggestions"},
      {{{"chatSuggestions", {1}}}, "chatSuggestions"},
  };
  for (const auto& b : bad) {
    INFO(b.body.dump());
    auto res = patch(b.body);
    CHECK(res.status == 400);
    CHECK(res.error_code() == "invalid_request");
    CHECK(contains(res.json().at("error").at("message"), "\"" + b.field + "\""));
    auto created = server.admin().post_json("/api/agents", [&] {
      json body = b.body;
      body["name"] = "X";
      return body;
    }());
    CHECK(created.status == 400);
  }
  CHECK(server.admin().get(path).json() == agent);  // nothing changed
  // The edges that pass: 500 characters, 6 suggestions of 80, a line break in a greeting.
  auto ok = patch({{"chatGreeting", std::string(499, 'a') + "é"},
                   {"chatSuggestions", std::vector<std::string>(6, std::string(80, 'b'))}});
  CHECK(ok.status == 200);
  CHECK(patch({{"chatGreeting", "Bonjour !\nBienvenue."}}).status == 200);
  CHECK(patch({{"timezone", "America/Argentina/Buenos_Aires"}}).status == 200);
  CHECK(patch({{"timezone", "UTC"}}).status == 200);
}

TEST_CASE("the session carries the greeting and suggestions: the agent's, or the defaults of its language") {
  AgentServer server;
  SECTION("defaults in French and English, with the agent's name") {
    Chat fr = open_chat(server, {{"name", "Le Petit Zinc"}, {"prompt", restaurant_prompts::kPetitZinc}});
    auto created = server.with_token(fr.token).post_json("/api/chat/sessions", {{"lang", "fr"}}).json();
    CHECK(created.at("greeting") ==
          "Bienvenue chez Le Petit Zinc ! Je réponds à vos questions sur nos horaires, notre carte, notre adresse "
          "et les réservations.");
    CHECK(created.at("suggestions") == json({"Quels sont vos horaires ?", "Qu'y a-t-il au menu ?",
                                             "Où êtes-vous situés ?", "Comment réserver ?"}));
    auto en = server.with_token(fr.token).post_json("/api/chat/sessions", {{"lang", "en"}}).json();
    CHECK(contains(en.at("greeting"), "Welcome to Le Petit Zinc!"));
    CHECK(en.at("suggestions") ==
          json({"What are your opening hours?", "What's on the menu?", "Where are you?", "How can I book?"}));
    // GET says the same as POST.
    auto got = fr.get().json();
    CHECK(got.at("greeting") == fr.get().json().at("greeting"));
    CHECK(got.at("suggestions").size() == 4);
  }
  SECTION("the agent's own, and none") {
    Chat chat = open_chat(server, {{"name", "Zinc"},
                                   {"prompt", restaurant_prompts::kPetitZinc},
                                   {"chatGreeting", "Salut !"},
                                   {"chatSuggestions", {"Ouvert ce soir ?"}}});
    CHECK(chat.get().json().at("greeting") == "Salut !");
    CHECK(chat.get().json().at("suggestions") == json({"Ouvert ce soir ?"}));
    auto path = path_of(chat.agent);
    REQUIRE(server.admin().patch_json(path, {{"chatGreeting", ""}, {"chatSuggestions", json::array()}}).status ==
            200);
    auto none = chat.get().json();
    CHECK_FALSE(none.contains("greeting"));
    CHECK_FALSE(none.contains("suggestions"));
  }
}

TEST_CASE("the built-in model answers from each restaurant's prompt") {
  AgentServer server;
  SECTION("the demo bistrot, in French and English") {
    Chat chat = open_chat(server, {{"name", "Le Petit Zinc"}, {"prompt", restaurant_prompts::kPetitZinc}});
    CHECK(ask(chat, "Vous avez des plats végétariens ?") == "Nos plats végétariens : Œuf mayonnaise (7 €).");
    CHECK(contains(ask(chat, "What's on the menu?"), "Our menu:\n- Œuf mayonnaise : 7 €\n- Soupe à l'oignon"));
    CHECK(contains(ask(chat, "C'est combien l'entrecôte ?"), "Désolé, nous n'avons pas d'entrecôte à la carte."));
    CHECK(ask(chat, "Combien coûte le steak frites ?") == "Steak frites : 21 €.");
    CHECK(ask(chat, "Où êtes-vous ?") == "Notre adresse : 12 rue des Martyrs, 75009 Paris.");
    CHECK(ask(chat, "Quel est votre numéro de téléphone ?") == "Notre numéro de téléphone : 01 42 85 12 34.");
    CHECK(contains(ask(chat, "Je voudrais réserver une table pour 4 samedi soir"),
                   "Réservations par téléphone ou sur place. Notre numéro : 01 42 85 12 34."));
    CHECK(
        ask(chat, "Êtes-vous ouverts le lundi ou le mardi ?") ==
        "Nous sommes ouverts du mardi au samedi, de 12h à 14h30 et de 19h à 22h30. Fermé le lundi et le dimanche.");
    CHECK(contains(ask(chat, "Are you open on Sunday?"), "No, we are closed on Sunday."));
    CHECK(ask(chat, "Avez-vous un parking ?") ==
          "Je n'ai pas cette information. Vous pouvez appeler le restaurant au 01 42 85 12 34.");
  }
  SECTION("an English diner") {
    Chat chat = open_chat(server, {{"name", "Blue Door"}, {"prompt", restaurant_prompts::kBlueDoor}},
                          {{"lang", "en"}});
    CHECK(ask(chat, "Any vegetarian dishes?") == "Our vegetarian dishes: veggie omelette ($10).");
    CHECK(ask(chat, "Where are you located?") == "Our address: 85 Main St, Springfield, IL 62701.");
    CHECK(ask(chat, "Can I bring my kids?") == "Kids eat free on Sundays.");
    CHECK(contains(ask(chat, "Are you open on Monday?"), "No, we are closed on Monday."));
  }
  SECTION("an Italian session: greeting, suggestions and answers in Italian; an unknown language refused") {
    Chat chat = open_chat(server, {{"name", "Le Petit Zinc"}, {"prompt", restaurant_prompts::kPetitZinc}},
                          {{"lang", "it"}});
    auto session = chat.get().json();
    CHECK(session.at("lang") == "it");
    CHECK(session.at("greeting") ==
          "Benvenuti da Le Petit Zinc! Rispondo alle tue domande su orari, menu, indirizzo e prenotazioni.");
    CHECK(session.at("suggestions") ==
          json({"Quali sono i vostri orari?", "Cosa c'è nel menu?", "Dove vi trovate?", "Come posso prenotare?"}));
    CHECK(ask(chat, "Dove siete?") == "Il nostro indirizzo: 12 rue des Martyrs, 75009 Paris.");
    CHECK(ask(chat, "Quanto costa la tarte tatin?") == "Tarte Tatin : 8 €.");
    CHECK(ask(chat, "Avete un parcheggio?") ==
          "Non ho questa informazione. Puoi chiamare il ristorante al 01 42 85 12 34.");
    auto refused = server.with_token(chat.token).post_json("/api/chat/sessions", {{"lang", "de"}});
    CHECK(refused.status == 400);
    CHECK(refused.json().at("error").at("message") == R"("lang" must be "fr", "en" or "it".)");
  }
  SECTION("open now, in the agent's time zone") {
    // Round the clock: open whatever the hour.
    Chat all_night = open_chat(server, {{"name", "Nocturne"}, {"prompt", restaurant_prompts::kAllNight}});
    CHECK(ask(all_night, "Vous êtes ouverts ?") == "Oui, nous sommes ouverts en ce moment 24h/24.");
    // Closed all week but one day, in a zone where we know today's weekday.
    Chat one_day = open_chat(server, {{"name", "Bar"},
                                      {"prompt", "Horaires : le dimanche de 10h à 11h."},
                                      {"timezone", "Pacific/Kiritimati"}});
    auto answer = ask(one_day, "Vous êtes ouverts maintenant ?");
    CHECK((answer.rfind("Non, nous sommes fermés en ce moment. Nous rouvrons ", 0) == 0 ||
           answer.rfind("Oui, nous sommes ouverts en ce moment, jusqu'à 11h.", 0) == 0));
  }
}
