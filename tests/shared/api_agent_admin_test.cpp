#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_test_support.hpp"
#include "chat/api/agent_admin.hpp"

using api_test::check_body_shape;
using api_test::check_error;
using api_test::with;
using api_test::without;
using chat::ErrorCode;
using nlohmann::json;
namespace api = chat::api;

TEST_CASE("create agent") {
  check_body_shape(api::decode_create_agent);
  const json full = {{"name", " Chez Marcel "},
                     {"prompt", "Ouvert 12h-14h"},
                     {"chatEnabled", false},
                     {"chatModel", "llama3.1:8b-instruct/q4_K.M"},
                     {"chatPromptExtra", "Sois bref."},
                     {"chatPhoneRequired", true}};
  const auto a = api::decode_create_agent(full.dump());
  REQUIRE(a.ok());
  CHECK(a->name == "Chez Marcel");
  CHECK(a->chat_enabled == false);
  CHECK(a->chat_model == "llama3.1:8b-instruct/q4_K.M");
  CHECK(a->chat_phone_required == true);
  CHECK(*api::decode_create_agent(api::encode(*a)) == *a);

  const auto minimal = api::decode_create_agent(R"({"name":"A"})");
  REQUIRE(minimal.ok());
  CHECK_FALSE(minimal->prompt.has_value());
  CHECK(json::parse(api::encode(*minimal)) == json{{"name", "A"}});

  check_error(api::decode_create_agent("{}"), ErrorCode::invalid_request, "name");
  check_error(api::decode_create_agent(with(full, "name", "   ")), ErrorCode::invalid_request, "name");
  check_error(api::decode_create_agent(with(full, "name", std::string(201, 'n'))), ErrorCode::invalid_request,
              "name");
  CHECK(api::decode_create_agent(with(full, "name", std::string(200, 'n'))).ok());
  check_error(api::decode_create_agent(with(full, "prompt", std::string(8001, 'p'))), ErrorCode::invalid_request,
              "prompt");
  CHECK(api::decode_create_agent(with(full, "prompt", std::string(8000, 'p'))).ok());
  check_error(api::decode_create_agent(with(full, "chatPromptExtra", std::string(8001, 'p'))),
              ErrorCode::invalid_request, "chatPromptExtra");
  check_error(api::decode_create_agent(with(full, "chatEnabled", "true")), ErrorCode::invalid_request,
              "chatEnabled");
  check_error(api::decode_create_agent(with(full, "chatPhoneRequired", 1)), ErrorCode::invalid_request,
              "chatPhoneRequired");
  for (const char* model : {"", "gpt 4", "model;rm", "é", "a\nb"}) {
    check_error(api::decode_create_agent(with(full, "chatModel", model)), ErrorCode::invalid_request, "chatModel");
  }
  check_error(api::decode_create_agent(with(full, "chatModel", std::string(101, 'm'))), ErrorCode::invalid_request,
              "chatModel");
  CHECK(api::decode_create_agent(with(full, "chatModel", std::string(100, 'm'))).ok());
}

TEST_CASE("patch agent: every field optional, same rules") {
  check_body_shape(api::decode_patch_agent);
  const auto none = api::decode_patch_agent("{}");
  REQUIRE(none.ok());
  CHECK(*none == api::PatchAgentRequest{});
  CHECK(api::encode(*none) == "{}");

  const auto some = api::decode_patch_agent(R"({"chatEnabled":true,"chatModel":"local"})");
  REQUIRE(some.ok());
  CHECK(some->chat_enabled == true);
  CHECK(some->chat_model == "local");
  CHECK_FALSE(some->name.has_value());
  CHECK(*api::decode_patch_agent(api::encode(*some)) == *some);

  check_error(api::decode_patch_agent(R"({"name":""})"), ErrorCode::invalid_request, "name");
  check_error(api::decode_patch_agent(R"({"name":7})"), ErrorCode::invalid_request, "name");
  check_error(api::decode_patch_agent(R"({"chatModel":"bad model"})"), ErrorCode::invalid_request, "chatModel");
  check_error(api::decode_patch_agent(R"({"prompt":false})"), ErrorCode::invalid_request, "prompt");
}

TEST_CASE("agent response") {
  api::Agent a;
  a.id = "3f2b8c1e-5d7a-4e9b-8c1d-2a3b4c5d6e7f";
  a.name = "Chez Marcel";
  a.prompt = "Menu: ...";
  a.chat_prompt_extra = "Extra";
  a.chat_phone_required = true;
  a.api_token = "ak_x";
  a.public_token = "pk_y";
  a.created_at = "2026-11-24T20:18:52.123Z";
  const auto body = api::encode(a);
  const json j = json::parse(body);
  CHECK(j["apiToken"] == "ak_x");
  CHECK(j["publicToken"] == "pk_y");
  CHECK(j["chatEnabled"] == true);
  CHECK(j["chatModel"] == "local");
  CHECK(j.size() == 14);
  CHECK(j["chatAllowedOrigins"] == json::array());  // direct mode off
  CHECK(j["timezone"] == "Europe/Paris");
  CHECK(j["chatGreeting"].is_null());  // null: the defaults of the session's language
  CHECK(j["chatSuggestions"].is_null());
  CHECK(*api::decode_agent(body) == a);
  a.chat_greeting = "";
  a.chat_suggestions = std::vector<std::string>{"Horaires ?"};
  a.timezone = "Asia/Tokyo";
  a.chat_allowed_origins = {"https://www.chez-marcel.fr"};
  CHECK(*api::decode_agent(api::encode(a)) == a);
  // An agent server from before these settings: the defaults.
  json legacy = j;
  for (const char* key : {"timezone", "chatGreeting", "chatSuggestions", "chatAllowedOrigins"}) legacy.erase(key);
  CHECK(api::decode_agent(legacy.dump())->timezone == "Europe/Paris");
  for (const char* key : {"id", "name", "prompt", "chatEnabled", "chatModel", "chatPromptExtra",
                          "chatPhoneRequired", "apiToken", "publicToken", "createdAt"}) {
    INFO(key);
    check_error(api::decode_agent(without(j, key)), ErrorCode::invalid_request, key);
    check_error(api::decode_agent(with(j, key, json::array())), ErrorCode::invalid_request, key);
  }
}

TEST_CASE("agent chat settings: timezone, chatGreeting, chatSuggestions") {
  auto create = api::decode_create_agent(
      R"({"name":"Zinc","timezone":"America/New_York","chatGreeting":"  Bonjour !  ","chatSuggestions":[" Horaires ? ","Menu ?"]})");
  REQUIRE(create.ok());
  CHECK(create->timezone == std::optional<std::string>("America/New_York"));
  CHECK(create->chat_greeting == std::optional<std::string>("Bonjour !"));
  CHECK(create->chat_suggestions == std::optional<std::vector<std::string>>({"Horaires ?", "Menu ?"}));
  CHECK(*api::decode_create_agent(api::encode(*create)) == *create);
  auto defaults = api::decode_create_agent(R"({"name":"Zinc","chatGreeting":null,"chatSuggestions":null})");
  REQUIRE(defaults.ok());
  CHECK_FALSE(defaults->chat_greeting.has_value());
  CHECK_FALSE(defaults->chat_suggestions.has_value());

  // PATCH tells an absent key (unchanged) from null (back to the default) and "" / [] (none).
  auto absent = api::decode_patch_agent(R"({"name":"Zinc"})");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->chat_greeting.has_value());
  auto reset = api::decode_patch_agent(R"({"chatGreeting":null,"chatSuggestions":null})");
  REQUIRE(reset.ok());
  REQUIRE(reset->chat_greeting.has_value());
  CHECK_FALSE(reset->chat_greeting->has_value());
  REQUIRE(reset->chat_suggestions.has_value());
  CHECK_FALSE(reset->chat_suggestions->has_value());
  CHECK(*api::decode_patch_agent(api::encode(*reset)) == *reset);
  auto none = api::decode_patch_agent(R"({"chatGreeting":"","chatSuggestions":[]})");
  REQUIRE(none.ok());
  CHECK(**none->chat_greeting == "");
  CHECK((*none->chat_suggestions)->empty());

  check_error(api::decode_patch_agent(R"({"timezone":"../etc"})"), ErrorCode::invalid_request, "timezone");
  check_error(api::decode_patch_agent(R"({"timezone":""})"), ErrorCode::invalid_request, "timezone");
  check_error(api::decode_patch_agent(R"({"chatGreeting":1})"), ErrorCode::invalid_request, "chatGreeting");
  check_error(api::decode_patch_agent(R"({"chatGreeting":"a\u0001"})"), ErrorCode::invalid_request,
              "chatGreeting");
  check_error(api::decode_patch_agent(json{{"chatGreeting", std::string(501, 'a')}}.dump()),
              ErrorCode::invalid_request, "chatGreeting");
  CHECK(api::decode_patch_agent(json{{"chatGreeting", std::string(500, 'a')}}.dump()).ok());
  CHECK(api::decode_patch_agent(R"({"chatGreeting":"Bonjour !\nBienvenue."})").ok());
  check_error(api::decode_patch_agent(R"({"chatSuggestions":"a"})"), ErrorCode::invalid_request,
              "chatSuggestions");
  check_error(api::decode_patch_agent(R"({"chatSuggestions":[1]})"), ErrorCode::invalid_request,
              "chatSuggestions");
  check_error(api::decode_patch_agent(R"({"chatSuggestions":["a","b","c","d","e","f","g"]})"),
              ErrorCode::invalid_request, "chatSuggestions");
  check_error(api::decode_patch_agent(R"({"chatSuggestions":["two\nlines"]})"), ErrorCode::invalid_request,
              "chatSuggestions");
  check_error(api::decode_patch_agent(json{{"chatSuggestions", {std::string(81, 'a')}}}.dump()),
              ErrorCode::invalid_request, "chatSuggestions");
  CHECK(
      api::decode_patch_agent(json{{"chatSuggestions", std::vector<std::string>(6, std::string(80, 'a'))}}.dump())
          .ok());
}

TEST_CASE("agent tokens: only the id and the tokens are read, from any agent server's shape") {
  SECTION("our agent server's full agent: the publicToken is the site's token") {
    api::Agent a;
    a.id = "3f2b8c1e-5d7a-4e9b-8c1d-2a3b4c5d6e7f";
    a.name = "Chez Marcel";
    a.api_token = "ak_x";
    a.public_token = "pk_y";
    auto t = api::decode_agent_tokens(api::encode(a));
    REQUIRE(t.ok());
    CHECK(t->id == a.id);
    CHECK(t->api_token == "ak_x");
    CHECK(t->public_token == std::optional<std::string>("pk_y"));
    CHECK(t->site_token() == "pk_y");
  }
  SECTION("a legacy agent server: numeric id, apiToken only") {
    auto t = api::decode_agent_tokens(R"({"id": 7, "apiToken": "legacy_token_7"})");
    REQUIRE(t.ok());
    CHECK(t->id == "7");
    CHECK_FALSE(t->public_token.has_value());
    CHECK(t->site_token() == "legacy_token_7");
  }
  SECTION("unknown fields of any type are ignored; null or empty publicToken means none") {
    auto t = api::decode_agent_tokens(
        R"({"id":"a-1","apiToken":"tok","publicToken":null,"name":5,"prompt":{"x":[1]},"chatEnabled":"yes",)"
        R"("createdAt":1700000000,"owner":{"id":3}})");
    REQUIRE(t.ok());
    CHECK(t->id == "a-1");
    CHECK(t->site_token() == "tok");
    auto e = api::decode_agent_tokens(R"({"id":12345678901234,"apiToken":"tok","publicToken":""})");
    REQUIRE(e.ok());
    CHECK(e->id == "12345678901234");
    CHECK(e->site_token() == "tok");
    auto p = api::decode_agent_tokens(R"({"id":"a","publicToken":"pk_only"})");
    REQUIRE(p.ok());
    CHECK(p->site_token() == "pk_only");
  }
  SECTION("refusals") {
    check_body_shape([](std::string_view b) { return api::decode_agent_tokens(b); });
    check_error(api::decode_agent_tokens(R"({"apiToken":"t"})"), ErrorCode::invalid_request, "id");
    check_error(api::decode_agent_tokens(R"({"id":"","apiToken":"t"})"), ErrorCode::invalid_request, "id");
    check_error(api::decode_agent_tokens(R"({"id":1.5,"apiToken":"t"})"), ErrorCode::invalid_request, "id");
    check_error(api::decode_agent_tokens(R"({"id":true,"apiToken":"t"})"), ErrorCode::invalid_request, "id");
    check_error(api::decode_agent_tokens(R"({"id":"a"})"), ErrorCode::invalid_request, "apiToken");
    check_error(api::decode_agent_tokens(R"({"id":"a","apiToken":5})"), ErrorCode::invalid_request, "apiToken");
    check_error(api::decode_agent_tokens(R"({"id":"a","apiToken":"a b"})"), ErrorCode::invalid_request,
                "apiToken");
    check_error(api::decode_agent_tokens(json{{"id", "a"}, {"apiToken", std::string(129, 'x')}}.dump()),
                ErrorCode::invalid_request, "apiToken");
    check_error(api::decode_agent_tokens(R"({"id":"a","apiToken":"t","publicToken":"p\n"})"),
                ErrorCode::invalid_request, "publicToken");
  }
}

TEST_CASE("agent setting chatAllowedOrigins: normalised origins, null or [] for none") {
  auto created = api::decode_create_agent(
      R"({"name":"Zinc","chatAllowedOrigins":["HTTPS://Www.Zinc.fr:443/","https://www.zinc.fr","http://localhost:8080"]})");
  REQUIRE(created);
  CHECK(created->chat_allowed_origins == std::vector<std::string>{"https://www.zinc.fr", "http://localhost:8080"});
  CHECK_FALSE(api::decode_create_agent(R"({"name":"Zinc"})")->chat_allowed_origins);
  CHECK(api::decode_patch_agent(R"({"chatAllowedOrigins":null})")->chat_allowed_origins ==
        std::vector<std::string>{});
  CHECK(api::decode_patch_agent(R"({"chatAllowedOrigins":[]})")->chat_allowed_origins ==
        std::vector<std::string>{});
  CHECK_FALSE(api::decode_patch_agent(R"({"name":"Zinc"})")->chat_allowed_origins);
  check_error(api::decode_patch_agent(R"({"chatAllowedOrigins":"https://zinc.fr"})"), ErrorCode::invalid_request,
              "chatAllowedOrigins");
  check_error(api::decode_patch_agent(R"({"chatAllowedOrigins":["https://*.zinc.fr"]})"),
              ErrorCode::invalid_request, "chatAllowedOrigins");
  check_error(api::decode_patch_agent(R"({"chatAllowedOrigins":["https://zinc.fr/chat"]})"),
              ErrorCode::invalid_request, "chatAllowedOrigins");
  api::PatchAgentRequest patch;
  patch.chat_allowed_origins = std::vector<std::string>{"https://zinc.fr"};
  CHECK(*api::decode_patch_agent(api::encode(patch)) == patch);
}

TEST_CASE("a JSON body followed by a NUL and garbage is refused by every decoder of the agent admin") {
  const std::string body("{\"text\":\"hi\",\"name\":\"x\",\"code\":\"123456\"}\0garbage", 48);
  REQUIRE(body[40] == '\0');
  check_error(api::decode_create_agent(body), ErrorCode::invalid_json);
  check_error(api::decode_patch_agent(body), ErrorCode::invalid_json);
  check_error(api::decode_agent_tokens(body), ErrorCode::invalid_json);
}
