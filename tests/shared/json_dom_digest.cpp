// Runs every decoder of the library on one body and writes what each gives (the value
// encoded again, or the error body). json_dom_test builds this file twice: with the
// library as the servers have it (nlohmann's DOM, namespace chat) and as the widget has
// it (the small DOM, CHAT_JSON_SMALL, renamed to namespace chat_small), then compares.
#include <string>
#include <string_view>

#include "chat/api/agent_admin.hpp"
#include "chat/api/chat.hpp"
#include "chat/api/restaurant_admin.hpp"
#include "chat/error.hpp"
#include "chat/events.hpp"
#include "chat/message.hpp"

namespace chat::testing {
namespace {

template <class T>
std::string shown(const Result<T>& r) {
  return r ? api::encode(r.value()) : "error " + r.error().body();
}

std::string shown(const Result<api::AgentTokens>& r) {
  if (!r) return "error " + r.error().body();
  return r->id + " " + r->api_token + " " + r->public_token.value_or("(none)");
}

std::string shown(const Result<Event>& r) { return r ? encode_event(r.value()) : "error " + r.error().body(); }

}  // namespace

std::string decode_all(std::string_view body) {
  std::string out;
  const auto line = [&](const char* name, const std::string& what) {
    out += name;
    out += ": ";
    out += what;
    out += '\n';
  };
  line("create_session", shown(api::decode_create_session(body)));
  line("post_message", shown(api::decode_post_message(body)));
  line("phone", shown(api::decode_phone(body, "fr")));
  line("verify", shown(api::decode_verify(body)));
  line("create_agent", shown(api::decode_create_agent(body)));
  line("patch_agent", shown(api::decode_patch_agent(body)));
  line("create_restaurant", shown(api::decode_create_restaurant(body)));
  line("patch_restaurant", shown(api::decode_patch_restaurant(body)));
  line("session", shown(api::decode_session(body)));
  line("message", shown(api::decode_message(body)));
  line("agent", shown(api::decode_agent(body)));
  line("agent_tokens", shown(api::decode_agent_tokens(body)));
  line("restaurant", shown(api::decode_restaurant(body)));
  line("phone_response", shown(api::decode_phone_response(body)));
  line("verify_response", shown(api::decode_verify_response(body)));
  const auto error = decode_error(body);
  line("error", error ? error->body() : "none");
  for (const char* name : {"message", "delta", "done", "error"}) {
    SseEvent sse;
    sse.event = name;
    sse.data = std::string(body);
    line(name, shown(event_from_sse(sse)));
  }
  return out;
}

}  // namespace chat::testing
