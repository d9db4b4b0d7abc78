#include "chat/events.hpp"

#include <nlohmann/json.hpp>

#include "json_fields.hpp"

namespace chat {
namespace {

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

Error bad_event([[maybe_unused]] std::string_view name, [[maybe_unused]] const Error& why) {
  return Error(ErrorCode::invalid_request,
               CHAT_ERROR_MESSAGE("Bad \"" + std::string(name) + "\" event: " + why.message));
}

}  // namespace

const char* event_name(const Event& event) noexcept {
  switch (event.index()) {
    case 0: return "message";
    case 1: return "delta";
    case 2: return "done";
    default: return "error";
  }
}

SseEvent to_sse(const Event& event) {
  SseEvent sse;
  sse.event = event_name(event);
  std::visit(Overloaded{
                 [&](const MessageEvent& e) {
                   nlohmann::json j;
                   to_json(j, e.message);
                   sse.data = dump(j);
                   sse.id = std::to_string(e.message.seq);
                 },
                 [&](const DeltaEvent& e) {
                   sse.data = dump({{"messageId", e.message_id}, {"text", e.text}});
                 },
                 [&](const DoneEvent& e) {
                   sse.data = dump({{"messageId", e.message_id}});
                 },
                 [&](const ErrorEvent& e) {
                   if (e.message_id.empty() && e.in_reply_to.empty()) {
                     sse.data = e.error.body();
                     return;
                   }
                   nlohmann::json j;
                   to_json(j, e.error);
                   if (!e.message_id.empty()) j["messageId"] = e.message_id;
                   if (!e.in_reply_to.empty()) j["inReplyTo"] = e.in_reply_to;
                   sse.data = dump(j);
                 },
             },
             event);
  return sse;
}

std::string encode_event(const Event& event) { return encode_sse(to_sse(event)); }

Result<Event> event_from_sse(const SseEvent& sse) {
  const std::string& name = sse.event;
  if (name != "message" && name != "delta" && name != "done" && name != "error") {
    return Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("Unknown event \"" + name + "\"."));
  }
  if (name == "error") {
    auto error = decode_error(sse.data);
    if (!error)
      return bad_event(name, Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("not an error body.")));
    ErrorEvent event{std::move(*error), {}, {}};
    // decode_error accepted it, so it is a JSON object.
    const auto j = detail::parse_json(sse.data);
    detail::Fields f(*j);
    std::optional<std::string> message_id, in_reply_to;
    f.optional("messageId", message_id);
    f.optional("inReplyTo", in_reply_to);
    if (!f.ok()) return bad_event(name, f.error());
    event.message_id = message_id.value_or("");
    event.in_reply_to = in_reply_to.value_or("");
    return Event{std::move(event)};
  }

  const auto j = detail::parse_json(sse.data);
  if (!j) return bad_event(name, ErrorCode::invalid_json);
  if (name == "message") {
    auto message = detail::message_from(*j);
    if (!message) return bad_event(name, message.error());
    return Event{MessageEvent{std::move(message).value()}};
  }
  if (!j->is_object()) return bad_event(name, detail::not_an_object());
  detail::Fields f(*j);
  if (name == "delta") {
    DeltaEvent delta;
    f.required("messageId", delta.message_id);
    f.required("text", delta.text);
    if (!f.ok()) return bad_event(name, f.error());
    return Event{std::move(delta)};
  }
  DoneEvent done;
  f.required("messageId", done.message_id);
  if (!f.ok()) return bad_event(name, f.error());
  return Event{std::move(done)};
}

}  // namespace chat
