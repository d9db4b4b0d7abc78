#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "api_test_support.hpp"
#include "chat/api/restaurant_admin.hpp"

using api_test::check_body_shape;
using api_test::check_error;
using api_test::with;
using api_test::without;
using chat::ErrorCode;
using nlohmann::json;
namespace api = chat::api;

TEST_CASE("create restaurant") {
  check_body_shape(api::decode_create_restaurant);
  const auto r = api::decode_create_restaurant(
      R"({"name":"Le Bistrot","lang":"en","position":"bottom-left","prompt":"Open 7/7"})");
  REQUIRE(r.ok());
  CHECK(r->lang == "en");
  CHECK(r->position == "bottom-left");
  CHECK(*api::decode_create_restaurant(api::encode(*r)) == *r);
  CHECK(api::decode_create_restaurant(R"({"name":"x"})").ok());

  check_error(api::decode_create_restaurant("{}"), ErrorCode::invalid_request, "name");
  check_error(api::decode_create_restaurant(R"({"name":""})"), ErrorCode::invalid_request, "name");
  check_error(api::decode_create_restaurant(R"({"name":"x","lang":"es"})"), ErrorCode::invalid_request, "lang");
  check_error(api::decode_create_restaurant(R"({"name":"x","position":"top"})"), ErrorCode::invalid_request,
              "position");
  check_error(api::decode_create_restaurant(R"({"name":"x","position":1})"), ErrorCode::invalid_request,
              "position");
  check_error(api::decode_create_restaurant(json{{"name", "x"}, {"prompt", std::string(8001, 'p')}}.dump()),
              ErrorCode::invalid_request, "prompt");
}

TEST_CASE("restaurant response: agentId null until provisioned, never a token") {
  api::Restaurant r;
  r.id = "r1";
  r.name = "Le Bistrot";
  const auto body = api::encode(r);
  const json j = json::parse(body);
  CHECK(j == json{{"id", "r1"},
                  {"name", "Le Bistrot"},
                  {"agentId", nullptr},
                  {"lang", "fr"},
                  {"position", "bottom-right"}});
  CHECK(*api::decode_restaurant(body) == r);
  r.agent_id = "a1";
  CHECK(*api::decode_restaurant(api::encode(r)) == r);
  CHECK(api::decode_restaurant(without(j, "agentId")).ok());
  check_error(api::decode_restaurant(with(j, "agentId", 3)), ErrorCode::invalid_request, "agentId");
  check_error(api::decode_restaurant(without(j, "position")), ErrorCode::invalid_request, "position");
}

TEST_CASE("patch restaurant") {
  check_body_shape(api::decode_patch_restaurant);
  const auto p = api::decode_patch_restaurant(R"({"id":"r1","agentApiToken":"ak_abc"})");
  REQUIRE(p.ok());
  CHECK(p->agent_api_token == "ak_abc");
  CHECK(*api::decode_patch_restaurant(api::encode(*p)) == *p);
  check_error(api::decode_patch_restaurant(R"({"agentApiToken":"t"})"), ErrorCode::invalid_request, "id");
  check_error(api::decode_patch_restaurant(R"({"id":"r1"})"), ErrorCode::invalid_request, "agentApiToken");
  check_error(api::decode_patch_restaurant(R"({"id":"","agentApiToken":"t"})"), ErrorCode::invalid_request, "id");
  check_error(api::decode_patch_restaurant(R"({"id":"r","agentApiToken":""})"), ErrorCode::invalid_request,
              "agentApiToken");
  check_error(api::decode_patch_restaurant(json{{"id", "r"}, {"agentApiToken", std::string(129, 't')}}.dump()),
              ErrorCode::invalid_request, "agentApiToken");
}

TEST_CASE("a JSON body followed by a NUL and garbage is refused by every decoder of the restaurant admin") {
  const std::string body("{\"text\":\"hi\",\"name\":\"x\",\"code\":\"123456\"}\0garbage", 48);
  REQUIRE(body[40] == '\0');
  check_error(api::decode_create_restaurant(body), ErrorCode::invalid_json);
  check_error(api::decode_patch_restaurant(body), ErrorCode::invalid_json);
}
