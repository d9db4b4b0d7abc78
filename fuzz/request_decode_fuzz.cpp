// The first byte picks a decoder of chat/api/ (and, for phones, the language); the
// rest is the body. Checks that decoding never crashes, that errors are well formed,
// and that a decoded value survives encode -> decode unchanged (the decoders'
// normalisations, trimming and E.164, are idempotent).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "chat/api/agent_admin.hpp"
#include "chat/api/chat.hpp"
#include "chat/api/restaurant_admin.hpp"
#include "fuzz_check.hpp"

namespace {

template <class T, class Decode>
void check(std::string_view body, Decode decode) {
  const chat::Result<T> first = decode(body);
  if (!first.ok()) {
    const chat::Error& e = first.error();
    FUZZ_CHECK(e.status() >= 400 && e.status() < 600);
    FUZZ_CHECK(!e.message.empty());
    const auto back = chat::decode_error(e.body());
    FUZZ_CHECK(back.has_value() && *back == e);
    return;
  }
  const std::string encoded = chat::api::encode(*first);
  const chat::Result<T> second = decode(encoded);
  FUZZ_CHECK(second.ok());
  FUZZ_CHECK(*second == *first);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  namespace api = chat::api;

  switch (selector % 14) {
    case 0: check<api::CreateSessionRequest>(body, api::decode_create_session); break;
    case 1: check<api::PostMessageRequest>(body, api::decode_post_message); break;
    case 2: {
      const std::string_view lang = (selector & 0x80) != 0 ? "en" : "fr";
      check<api::PhoneRequest>(body, [&](std::string_view b) { return api::decode_phone(b, lang); });
      break;
    }
    case 3: check<api::VerifyRequest>(body, api::decode_verify); break;
    case 4: check<api::CreateAgentRequest>(body, api::decode_create_agent); break;
    case 5: check<api::PatchAgentRequest>(body, api::decode_patch_agent); break;
    case 6: check<api::CreateRestaurantRequest>(body, api::decode_create_restaurant); break;
    case 7: check<api::PatchRestaurantRequest>(body, api::decode_patch_restaurant); break;
    case 8: check<chat::Session>(body, api::decode_session); break;
    case 9: check<chat::Message>(body, api::decode_message); break;
    case 10: check<api::Agent>(body, api::decode_agent); break;
    case 11: check<api::Restaurant>(body, api::decode_restaurant); break;
    case 12: check<api::PhoneResponse>(body, api::decode_phone_response); break;
    default: check<api::VerifyResponse>(body, api::decode_verify_response); break;
  }
  return 0;
}
