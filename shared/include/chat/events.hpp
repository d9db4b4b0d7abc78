#pragma once
/// \file The events of a session's stream: message, delta, done, error.

#include <string>
#include <variant>

#include "chat/error.hpp"
#include "chat/message.hpp"
#include "chat/sse.hpp"

namespace chat {

/// A whole stored message; its SSE id is the message's seq.
struct MessageEvent {
  Message message;
  friend bool operator==(const MessageEvent& a, const MessageEvent& b) { return a.message == b.message; }
};
/// A piece of the agent's reply in progress: `{"messageId","text"}`.
struct DeltaEvent {
  std::string message_id;
  std::string text;
  friend bool operator==(const DeltaEvent& a, const DeltaEvent& b) {
    return a.message_id == b.message_id && a.text == b.text;
  }
};
/// The reply is complete: `{"messageId"}`; the whole reply came as a MessageEvent before it.
struct DoneEvent {
  std::string message_id;
  friend bool operator==(const DoneEvent& a, const DoneEvent& b) { return a.message_id == b.message_id; }
};
/// Something failed: the JSON error body. When a reply failed or was cut off, it
/// also names that reply and the visitor's message it answers, so the visitor can
/// ask again: `{"error":{...},"messageId":"...","inReplyTo":"..."}`.
struct ErrorEvent {
  Error error;
  std::string message_id{};   ///< the failed reply's id; empty when not about a reply
  std::string in_reply_to{};  ///< the visitor's message that reply answers
  friend bool operator==(const ErrorEvent& a, const ErrorEvent& b) {
    return a.error == b.error && a.message_id == b.message_id && a.in_reply_to == b.in_reply_to;
  }
};

using Event = std::variant<MessageEvent, DeltaEvent, DoneEvent, ErrorEvent>;

/// The SSE event name: "message", "delta", "done", "error".
const char* event_name(const Event& event) noexcept;
/// Encodes to an SSE event (a MessageEvent carries `id: <seq>`).
SseEvent to_sse(const Event& event);
/// Encodes straight to the bytes of the stream.
std::string encode_event(const Event& event);
/// Decodes an SSE event received from a stream; unknown names or bad data give an Error.
Result<Event> event_from_sse(const SseEvent& sse);

}  // namespace chat
