#pragma once
/// \file What the conversation asks its shell to do. The state machine never does
/// I/O itself: it returns these, and the browser layer (or a test) carries them out
/// and reports back through Conversation's on_* methods.

#include <string>
#include <variant>

namespace widget {

/// A JSON request to the chat API. The shell adds `Content-Type: application/json`
/// when there is a body and `X-Chat-Visitor` when visitor_id is set, then calls
/// Conversation::on_response(id, status, body) (status 0: no response at all).
struct HttpRequest {
  int id = 0;
  std::string method;
  std::string url;
  std::string body;
  std::string visitor_id;
};

/// Opens the event stream (an EventSource on this URL), closing any previous one.
struct OpenStream {
  std::string url;
};
struct CloseStream {};

/// Calls Conversation::on_timer(id) after delay_ms; a newer timer makes older ids stale.
struct StartTimer {
  int id = 0;
  int delay_ms = 0;
};

/// Persists a value across reloads (localStorage); an empty value removes the key.
struct Store {
  std::string key;
  std::string value;
};

/// The fields of the panel an effect can point at.
enum class Field { launcher, input, phone_input, code_input };

/// Empties a field after its content was accepted by the server.
struct ClearField {
  Field field;
};
/// Moves the keyboard focus (after the next render).
struct Focus {
  Field field;
};

using Effect = std::variant<HttpRequest, OpenStream, CloseStream, StartTimer, Store, ClearField, Focus>;

}  // namespace widget
