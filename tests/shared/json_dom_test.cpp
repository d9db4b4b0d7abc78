// The decoders on the widget's small DOM (CHAT_JSON_SMALL: read_json and JsonValue)
// give what they give on nlohmann's (the servers'), body for body: the same values,
// the same errors with the same texts. Natively only: the WASM build has one of them.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// json_dom_digest.cpp, built once per DOM.
namespace chat::testing {
std::string decode_all(std::string_view body);
}
namespace chat_small::testing {
std::string decode_all(std::string_view body);
}

namespace {

std::string printable(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

const std::vector<std::string> kBodies = {
    // Sessions, messages, replies.
    R"({"sessionId":"6f1c","visitorId":"v","lang":"en","phoneRequired":false,"verified":true,"verifiedAt":"2026-11-24T20:18:52.123Z",)"
    R"("messages":[{"id":"m1","seq":1,"role":"visitor","text":"Caf\u00e9 \ud83d\ude00","createdAt":"t"},)"
    R"({"id":"m2","seq":2,"role":"agent","text":"Bonjour","createdAt":"t"}],"greeting":" Hi ","suggestions":["a","b"],)"
    R"("reply":{"id":"r","inReplyTo":"m1","state":"failed","error":{"code":"model_error","message":"x","retryAfter":3}}})",
    R"({"sessionId":"s","visitorId":"v","phoneRequired":true,"verified":false,"verifiedAt":null,"messages":[],"greeting":null,"suggestions":null,"reply":null})",
    R"({"sessionId":"s","visitorId":"v","phoneRequired":true,"verified":false,"messages":[],"suggestions":[1]})",
    R"({"sessionId":"s","visitorId":"v","phoneRequired":true,"verified":false,"messages":[{"id":"m","seq":-1,"role":"agent","text":"","createdAt":"t"}]})",
    R"({"sessionId":"s","visitorId":"v","phoneRequired":true,"verified":false,"messages":{}})",
    R"({"sessionId":"s","visitorId":"v","phoneRequired":1,"verified":false,"messages":[]})",
    R"({"sessionId":"s","visitorId":"v","phoneRequired":false,"verified":false,"messages":[],"reply":{"id":"r","inReplyTo":"m","state":"lost"}})",
    R"({"sessionId":"s","visitorId":"v","phoneRequired":false,"verified":false,"messages":[],"reply":{"id":"r","inReplyTo":"m","state":"done","error":3}})",
    R"({"id":"m1","seq":9223372036854775807,"role":"system","text":"t","createdAt":"c"})",
    R"({"id":"m1","seq":9223372036854775808,"role":"system","text":"t","createdAt":"c"})",
    R"({"id":"m1","seq":1.0,"role":"system","text":"t","createdAt":"c"})",
    R"({"id":"m1","seq":1,"role":"robot","text":"t","createdAt":"c","id":"m2"})",
    // Events and errors.
    R"({"messageId":"m","text":"Bon"})",
    R"({"messageId":"m"})",
    R"({"messageId":7})",
    R"({"error":{"code":"server_busy","message":"Busy","attemptsLeft":2,"retryAfter":5},"messageId":"m","inReplyTo":"v"})",
    R"({"error":{"code":"no_such_code","attemptsLeft":-2147483648,"retryAfter":2147483648}})",
    R"({"error":{"code":"invalid_code","message":null,"attemptsLeft":1.5}})",
    R"({"error":{"message":"no code"}})",
    R"({"error":"x"})",
    R"({"error":{"code":"rate_limited"},"messageId":null,"inReplyTo":1})",
    // Requests.
    R"({"visitorId":"v_0123456789abcdef0123","lang":"en"})",
    R"({"visitorId":null,"lang":"de"})",
    R"({"text":"  Bonjour  ","id":"123e4567-e89b-12d3-a456-426614174000"})",
    R"({"text":"","id":"x"})",
    R"({"phone":"06 12 34 56 78"})",
    R"({"phone":"+33 6 12 34 56 78"})",
    R"({"code":"123456"})",
    R"({"code":"12345"})",
    R"({"name":" Chez Nous ","prompt":"p","chatEnabled":true,"chatModel":"local","chatPromptExtra":"",)"
    R"("chatPhoneRequired":false,"timezone":"Europe/Paris","chatGreeting":" Salut\n","chatSuggestions":[" Menu ","Horaires"]})",
    R"({"name":"n","chatGreeting":null,"chatSuggestions":null})",
    R"({"chatGreeting":3})",
    R"({"chatSuggestions":["a",null]})",
    R"({"name":"n","chatModel":"bad model!","timezone":"Europe/Paris"})",
    R"({"name":"Bistro","lang":"en","position":"bottom-left","prompt":"p"})",
    R"({"name":"B","position":"top"})",
    R"({"id":"r1","agentApiToken":"tok"})",
    R"({"id":"","agentApiToken":"tok"})",
    // Responses read by clients.
    R"({"id":"a","name":"n","prompt":"p","chatEnabled":true,"chatModel":"m","chatPromptExtra":"","chatPhoneRequired":false,)"
    R"("apiToken":"t","publicToken":"p","createdAt":"c","timezone":"UTC","chatGreeting":null,"chatSuggestions":["x"]})",
    R"({"id":42,"apiToken":"tok","publicToken":""})",
    R"({"id":-42,"publicToken":"pub"})",
    R"({"id":18446744073709551615,"apiToken":"a b"})",
    R"({"id":"r","name":"n","agentId":null,"lang":"fr","position":"bottom-right"})",
    R"({"phone":"+33******78","expiresIn":600,"sendsLeft":4})",
    R"({"phone":"p","expiresIn":4294967296,"sendsLeft":-1})",
    R"({"verified":true,"verifiedAt":"t"})",
    // Not objects, not JSON.
    "[]",
    "null",
    "\"text\"",
    "1",
    "",
    "{",
    "{\"a\":}",
    std::string("{\"text\":\"a\"}\0x", 14),
    "\xEF\xBB\xBF{\"code\":\"123456\"}",
    R"({"text":"\ud83d"})",
    "{\"text\":\"\xc3\"}",
};

}  // namespace

TEST_CASE("the decoders read the small DOM as they read nlohmann's") {
  // The digests are not empty shells: values and errors both come through.
  const std::string first = chat::testing::decode_all(kBodies[0]);
  CHECK_THAT(first, Catch::Contains("session: {\"greeting\":\" Hi \",\"lang\":\"en\",\"messages\":[{"));
  CHECK_THAT(first, Catch::Contains("message: error {\"error\":{\"code\":\"invalid_request\""));
  for (const auto& body : kBodies) {
    INFO("body: " << printable(body));
    CHECK(chat_small::testing::decode_all(body) == chat::testing::decode_all(body));
  }
}

TEST_CASE("the decoders agree on both DOMs for mutated bodies") {
  const std::string alphabet = std::string("{}[],:\"\\ 0123456789-.eEtrufalsn") + "\xC3\xA9\x01" +
                               std::string(1, '\0');
  std::mt19937 rng(20261202);
  const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  std::vector<std::string> differences;
  for (int round = 0; round < 3000 && differences.size() < 5; ++round) {
    std::string body = kBodies[pick(kBodies.size())];
    for (std::size_t edits = 1 + pick(3); edits > 0; --edits) {
      const std::size_t at = pick(body.size() + 1);
      switch (pick(3)) {
        case 0: body.insert(at, 1, alphabet[pick(alphabet.size())]); break;
        case 1:
          if (at < body.size()) body.erase(at, 1);
          break;
        default:
          if (at < body.size()) body[at] = alphabet[pick(alphabet.size())];
          break;
      }
    }
    if (chat_small::testing::decode_all(body) != chat::testing::decode_all(body))
      differences.push_back(printable(body));
  }
  INFO("first differences: " << nlohmann::json(differences).dump());
  CHECK(differences.empty());
}
