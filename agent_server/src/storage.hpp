#pragma once
// Storage of agents and chat sessions behind one interface, with two backends:
// SQLite (the embedded default) and PostgreSQL through libpq.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "chat/message.hpp"
#include "verification.hpp"

namespace agent_server {

/// An agent as the database holds it: one `agents` row, tokens included. The admin
/// API's body (chat::api::Agent) is made from it in one place (agents_routes.cpp), so
/// what is stored and what is sent can change apart.
struct AgentRecord {
  std::string id;
  std::string name;
  std::string prompt;
  bool chat_enabled = true;
  std::string chat_model = "local";
  std::string chat_prompt_extra;
  bool chat_phone_required = false;
  std::string api_token;     ///< stored NULL when empty
  std::string public_token;  ///< stored NULL when empty
  std::string created_at;
  std::string timezone = "Europe/Paris";                     ///< IANA zone of the restaurant's clock
  std::optional<std::string> chat_greeting;                  ///< nullopt (NULL): the language's default
  std::optional<std::vector<std::string>> chat_suggestions;  ///< nullopt (NULL): the language's defaults
  std::vector<std::string> chat_allowed_origins;             ///< normalised; empty: direct mode off

  friend bool operator==(const AgentRecord& a, const AgentRecord& b) {
    return a.id == b.id && a.name == b.name && a.prompt == b.prompt && a.chat_enabled == b.chat_enabled &&
           a.chat_model == b.chat_model && a.chat_prompt_extra == b.chat_prompt_extra &&
           a.chat_phone_required == b.chat_phone_required && a.api_token == b.api_token &&
           a.public_token == b.public_token && a.created_at == b.created_at && a.timezone == b.timezone &&
           a.chat_greeting == b.chat_greeting && a.chat_suggestions == b.chat_suggestions &&
           a.chat_allowed_origins == b.chat_allowed_origins;
  }
  friend bool operator!=(const AgentRecord& a, const AgentRecord& b) { return !(a == b); }
};

/// The reply to one visitor message: one `chat_replies` row.
struct ReplyRecord {
  std::string session_id;
  std::string in_reply_to;  ///< the visitor message's id
  std::string reply_id;     ///< the agent message's id (a retry gives a new one)
  chat::ReplyState state = chat::ReplyState::streaming;
  std::string instance_id;               ///< the agent server writing it
  std::optional<chat::ErrorCode> error;  ///< failed, interrupted
  std::string lang = "fr";               ///< the session's, for what the visitor is told
};

/// A chat session: one `call_records` row with type = 'chat'.
struct SessionRecord {
  std::string id;
  std::string agent_id;
  std::string visitor_id;
  std::string lang = "fr";
  std::string started_at;
  std::optional<std::string> verified_at;
  std::optional<std::string> last_message_at;
  std::optional<std::string> phone;  ///< caller_number, set once a code was sent to it
  std::vector<chat::Message> messages;
  std::optional<ReplyRecord> reply;  ///< the latest reply started in the session
};

/// The message to append; the storage gives it the next seq of its session.
struct NewMessage {
  std::string id;
  chat::Role role = chat::Role::visitor;
  std::string text;
  std::string created_at;
};

/// Where a page of an agent's sessions starts: strictly after this session in the
/// list's order (started_at, then id, both descending).
struct SessionCursor {
  std::string started_at;  ///< as stored and sent (format_timestamp)
  std::string id;
};

/// Every call is safe from any thread. Errors come back as values (internal_error
/// for a database failure, agent_not_found / session_not_found for a missing row).
class Storage {
 public:
  virtual ~Storage() = default;

  /// Applies the embedded migrations that this database has not seen yet and
  /// returns their names, in order.
  virtual chat::Result<std::vector<std::string>> migrate() = 0;
  /// A cheap round trip, for /healthz.
  virtual chat::Result<void> ping() = 0;
  /// Whether the database can be written, for /healthz: a real write (one row of
  /// agent_server_health updated in its own transaction), run at most once a second
  /// (callers in between get the last answer). internal_error with the detail if not.
  virtual chat::Result<void> check_writable() = 0;
  /// "sqlite" or "postgres".
  virtual std::string_view backend() const noexcept = 0;

  virtual chat::Result<void> insert_agent(const AgentRecord& agent) = 0;
  virtual chat::Result<AgentRecord> find_agent(std::string_view id) = 0;
  /// The agent whose api_token or public_token equals `token` (unauthorized if none).
  virtual chat::Result<AgentRecord> find_agent_by_token(std::string_view token) = 0;
  /// Writes every mutable field (name, prompt, chat settings, both tokens).
  virtual chat::Result<void> update_agent(const AgentRecord& agent) = 0;
  /// Every origin that some agent allows (chat_allowed_origins), each once: what the
  /// CORS preflights answer (direct mode), before any token is known.
  virtual chat::Result<std::vector<std::string>> allowed_origins() = 0;

  virtual chat::Result<void> insert_session(const SessionRecord& session) = 0;
  virtual chat::Result<SessionRecord> find_session(std::string_view id) = 0;
  /// Appends atomically and returns the stored message with its seq; also sets
  /// last_message_at.
  virtual chat::Result<chat::Message> append_message(std::string_view session_id, const NewMessage& message) = 0;

  // ---- The restaurant's view, erasure, retention -----------------------------------
  /// Up to `limit` chat sessions of `agent_id` (messages and phone included, the
  /// reply not), newest first: started_at then id, descending, strictly after
  /// `after` when given. An order that never changes, so paging skips nothing.
  virtual chat::Result<std::vector<SessionRecord>> list_sessions(std::string_view agent_id, int limit,
                                                                 const std::optional<SessionCursor>& after) = 0;
  /// Deletes the chat session `session_id` of `agent_id` and its replies (ON DELETE
  /// CASCADE); false when there is no such session of that agent.
  virtual chat::Result<bool> delete_session(std::string_view agent_id, std::string_view session_id) = 0;
  /// Deletes every chat session whose last message (or start, without one) is
  /// older than `cutoff` (a timestamp as stored); returns how many.
  virtual chat::Result<std::size_t> delete_sessions_idle_before(std::string_view cutoff) = 0;
  /// Makes what was deleted unreadable in the database's files (docs/operator-guide.md
  /// "Privacy"). SQLite: secure_delete zeroes freed content as it is freed; this
  /// checkpoints the WAL into the main file and truncates it. PostgreSQL: DELETE leaves
  /// the row versions in the heap until their space is reused, and VACUUM does not
  /// zero it: this rewrites call_records and chat_replies (VACUUM FULL).
  virtual chat::Result<void> scrub_deleted() = 0;

  // ---- Replies: a reply is stored with its state (chat_replies) ---------------------
  /// Appends the visitor's message and records its reply (`reply`: reply_id and
  /// instance_id) as streaming, in one transaction: no message is stored without it.
  virtual chat::Result<chat::Message> append_visitor_message(std::string_view session_id,
                                                             const NewMessage& message,
                                                             const ReplyRecord& reply) = 0;
  /// Appends the agent's reply (its id is the reply's) and marks the reply done, in
  /// one transaction. The mark needs the row to still have this reply id.
  virtual chat::Result<chat::Message> append_reply(std::string_view session_id, std::string_view in_reply_to,
                                                   const NewMessage& reply) = 0;
  /// Ends a streaming reply as `ended.state` (failed or interrupted) with its
  /// error; false when the row is not streaming under `ended.reply_id` any more.
  virtual chat::Result<bool> end_reply(const ReplyRecord& ended) = 0;
  /// A retry: restarts a failed or interrupted reply as streaming under a new
  /// reply id and instance. True for the one caller that wins when retries race;
  /// false when the reply is streaming, done, or unknown.
  virtual chat::Result<bool> restart_reply(std::string_view session_id, std::string_view in_reply_to,
                                           std::string_view reply_id, std::string_view instance_id) = 0;
  /// Marks interrupted the replies left streaming by instances that are gone
  /// (never `instance_id`'s own), and returns them. SQLite: one server owns the
  /// file, so every other instance is gone (call it at start). PostgreSQL: an
  /// instance lives while it holds its advisory lock (pg_events.hpp).
  virtual chat::Result<std::vector<ReplyRecord>> interrupt_orphaned_replies(std::string_view instance_id) = 0;

  /// The session's verification columns (caller_number, verify_code,
  /// verify_attempts, verify_sends, verified_at).
  virtual chat::Result<VerificationRecord> find_verification(std::string_view session_id) = 0;
  /// Writes `next` only if the stored columns still equal `seen` (compare-and-set,
  /// so two instances can't both spend the same attempt); false when they changed.
  virtual chat::Result<bool> update_verification(std::string_view session_id, const VerificationRecord& seen,
                                                 const VerificationRecord& next) = 0;
  /// The verify_sends of every other chat session whose caller_number is `phone`.
  virtual chat::Result<std::vector<std::int64_t>> sends_to_phone(std::string_view phone,
                                                                 std::string_view except_session_id) = 0;
};

/// Opens `sqlite:PATH` or `postgres://...` / `postgresql://...`.
chat::Result<std::unique_ptr<Storage>> open_storage(const std::string& url);

}  // namespace agent_server
