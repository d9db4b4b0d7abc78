#pragma once
/// \file Chat messages and sessions, with their JSON codecs.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "chat/error.hpp"

namespace chat {

enum class Role { visitor, agent, system };

std::string_view to_string(Role role) noexcept;
std::optional<Role> role_from_string(std::string_view name) noexcept;

/// One stored message: `{"id","seq","role","text","createdAt"}`. `seq` counts from 1
/// in its session and is the SSE id of its `message` event.
struct Message {
  std::string id;
  std::int64_t seq = 0;
  Role role = Role::visitor;
  std::string text;
  std::string created_at;  ///< ISO 8601 UTC with milliseconds, see format_timestamp()

  friend bool operator==(const Message& a, const Message& b) {
    return a.id == b.id && a.seq == b.seq && a.role == b.role && a.text == b.text && a.created_at == b.created_at;
  }
};

/// Where the reply to a visitor's message stands.
enum class ReplyState {
  streaming,    ///< being written now
  done,         ///< stored: it is among the messages
  failed,       ///< the model or the storage failed
  interrupted,  ///< cut off by a crash, a restart or a shutdown
};
std::string_view to_string(ReplyState state) noexcept;
std::optional<ReplyState> reply_state_from_string(std::string_view name) noexcept;

/// The reply to a session's latest visitor message:
/// `{"id","inReplyTo","state","error"?}`. A failed or interrupted one can be asked
/// again by posting the visitor's message again with its id.
struct ReplyStatus {
  std::string id;           ///< the agent's message id (the stored message's, once done)
  std::string in_reply_to;  ///< the visitor's message it answers
  ReplyState state = ReplyState::streaming;
  std::optional<Error> error;  ///< failed, interrupted: what the visitor is told

  friend bool operator==(const ReplyStatus& a, const ReplyStatus& b) {
    return a.id == b.id && a.in_reply_to == b.in_reply_to && a.state == b.state && a.error == b.error;
  }
};

/// A chat session as the API returns it.
struct Session {
  std::string session_id;
  std::string visitor_id;
  std::string lang = "fr";
  bool phone_required = false;
  bool verified = false;
  std::optional<std::string> verified_at;
  std::vector<Message> messages;
  std::optional<ReplyStatus> reply;  ///< the latest reply started in the session, if any
  /// What the widget shows before the first message (agent settings chatGreeting
  /// and chatSuggestions, or the defaults of the session's language): the greeting
  /// as the agent's first words (never stored), the suggestions as buttons.
  std::optional<std::string> greeting;
  std::vector<std::string> suggestions;

  friend bool operator==(const Session& a, const Session& b) {
    return a.session_id == b.session_id && a.visitor_id == b.visitor_id && a.lang == b.lang &&
           a.phone_required == b.phone_required && a.verified == b.verified && a.verified_at == b.verified_at &&
           a.messages == b.messages && a.reply == b.reply && a.greeting == b.greeting &&
           a.suggestions == b.suggestions;
  }
};

void to_json(nlohmann::json& j, const Message& m);
void to_json(nlohmann::json& j, const ReplyStatus& r);
void to_json(nlohmann::json& j, const Session& s);
/// Strict decoders: wrong types or missing fields give invalid_request.
Result<Message> message_from_json(const nlohmann::json& j);
Result<ReplyStatus> reply_status_from_json(const nlohmann::json& j);
Result<Session> session_from_json(const nlohmann::json& j);

/// Milliseconds since the Unix epoch -> "2026-11-24T20:18:52.123Z".
std::string format_timestamp(std::int64_t unix_ms);
/// The inverse of format_timestamp (accepts exactly that shape); nullopt otherwise.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

}  // namespace chat
