#include "sqlite_storage.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <mutex>

#include "kit/probe_cache.hpp"
#include "kit/sqlite.hpp"
#include "migrations.hpp"
#include "storage_common.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

using Statement = kit::SqliteStatement;

constexpr const char* kAgentColumns =
    "id, name, prompt, COALESCE(api_token, ''), COALESCE(public_token, ''), chat_enabled, "
    "chat_model, chat_prompt_extra, chat_phone_required, created_at, timezone, chat_greeting, chat_suggestions, "
    "chat_allowed_origins";

// A session's columns in the order read_session reads them.
constexpr const char* kSessionColumns =
    "id, agent_id, COALESCE(visitor_id, ''), COALESCE(lang, 'fr'), started_at, verified_at, last_message_at, "
    "messages, caller_number";

Result<SessionRecord> read_session(const Statement& st) {
  SessionRecord s;
  s.id = st.text(0);
  s.agent_id = st.text(1);
  s.visitor_id = st.text(2);
  s.lang = st.text(3);
  s.started_at = st.text(4);
  s.verified_at = st.optional_text(5);
  s.last_message_at = st.optional_text(6);
  auto messages = decode_messages(st.text(7));
  if (!messages) return messages.error();
  s.messages = std::move(messages).value();
  s.phone = st.optional_text(8);
  return s;
}

AgentRecord read_agent(const Statement& st) {
  AgentRecord a;
  a.id = st.text(0);
  a.name = st.text(1);
  a.prompt = st.text(2);
  a.api_token = st.text(3);
  a.public_token = st.text(4);
  a.chat_enabled = st.boolean(5);
  a.chat_model = st.text(6);
  a.chat_prompt_extra = st.text(7);
  a.chat_phone_required = st.boolean(8);
  a.created_at = st.text(9);
  a.timezone = st.text(10);
  a.chat_greeting = st.optional_text(11);
  a.chat_suggestions = decode_suggestions(st.optional_text(12));
  a.chat_allowed_origins = decode_origins(st.optional_text(13));
  return a;
}

std::optional<std::string> non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

class SqliteStorage final : public Storage {
 public:
  explicit SqliteStorage(sqlite3* db) : db_(db), statements_(db) {}
  // The kept statements are finalised after the close: close_v2 waits for them.
  ~SqliteStorage() override { sqlite3_close_v2(db_); }

  std::string_view backend() const noexcept override { return "sqlite"; }

  Result<void> exec(std::string_view sql) {
    std::string copy(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string message = err ? err : "unknown";
      sqlite3_free(err);
      return db_error("executing SQL", message);
    }
    return {};
  }

  Result<std::vector<std::string>> migrate() override {
    std::lock_guard lock(mutex_);
    kit::MigrationOptions options{kMigrationTable, kMigrationLock,
                                  // The row /healthz writes (check_writable); not a migration: no data of ours.
                                  "CREATE TABLE IF NOT EXISTS agent_server_health (id INTEGER PRIMARY KEY, "
                                  "probes INTEGER NOT NULL DEFAULT 0, checked_at TEXT NOT NULL)"};
    return kit::migrate_sqlite(db_, sqlite_migrations(), options);
  }

  Result<void> ping() override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, "SELECT 1");
    if (st.step() != SQLITE_ROW) return db_error("ping", st.error());
    return {};
  }

  Result<void> check_writable() override {
    return write_probe_.get([&]() -> Result<void> {
      std::lock_guard lock(mutex_);
      Statement st(statements_, "INSERT INTO agent_server_health (id, probes, checked_at) "
                                "VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ON CONFLICT (id) DO UPDATE "
                                "SET probes = probes + 1, checked_at = excluded.checked_at");
      if (st.step() != SQLITE_DONE) return db_error("health write probe", st.error());
      return {};
    });
  }

  Result<void> insert_agent(const AgentRecord& a) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_,
                 "INSERT INTO agents (id, name, prompt, api_token, public_token, chat_enabled, "
                 "chat_model, chat_prompt_extra, chat_phone_required, created_at, updated_at, timezone, "
                 "chat_greeting, chat_suggestions, chat_allowed_origins) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14)");
    st.bind(1, a.id).bind(2, a.name).bind(3, a.prompt).bind(4, non_empty(a.api_token));
    st.bind(5, non_empty(a.public_token)).bind(6, a.chat_enabled).bind(7, a.chat_model);
    st.bind(8, a.chat_prompt_extra).bind(9, a.chat_phone_required).bind(10, a.created_at);
    st.bind(11, a.timezone).bind(12, a.chat_greeting).bind(13, encode_suggestions(a.chat_suggestions));
    st.bind(14, encode_origins(a.chat_allowed_origins));
    if (st.step() != SQLITE_DONE) return db_error("inserting an agent", st.error());
    return {};
  }

  Result<AgentRecord> find_agent(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, std::string("SELECT ") + kAgentColumns + " FROM agents WHERE id = ?1");
    st.bind(1, id);
    int rc = st.step();
    if (rc == SQLITE_ROW) return read_agent(st);
    if (rc == SQLITE_DONE) return Error(ErrorCode::agent_not_found);
    return db_error("reading an agent", st.error());
  }

  Result<AgentRecord> find_agent_by_token(std::string_view token) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, std::string("SELECT ") + kAgentColumns +
                                  " FROM agents WHERE api_token = ?1 OR public_token = ?1");
    st.bind(1, token);
    int rc = st.step();
    if (rc == SQLITE_ROW) return read_agent(st);
    if (rc == SQLITE_DONE) return Error(ErrorCode::unauthorized);
    return db_error("reading an agent", st.error());
  }

  Result<void> update_agent(const AgentRecord& a) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_,
                 "UPDATE agents SET name = ?2, prompt = ?3, api_token = ?4, public_token = ?5, "
                 "chat_enabled = ?6, chat_model = ?7, chat_prompt_extra = ?8, "
                 "chat_phone_required = ?9, timezone = ?10, chat_greeting = ?11, chat_suggestions = ?12, "
                 "chat_allowed_origins = ?13, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1");
    st.bind(1, a.id).bind(2, a.name).bind(3, a.prompt).bind(4, non_empty(a.api_token));
    st.bind(5, non_empty(a.public_token)).bind(6, a.chat_enabled).bind(7, a.chat_model);
    st.bind(8, a.chat_prompt_extra).bind(9, a.chat_phone_required);
    st.bind(10, a.timezone).bind(11, a.chat_greeting).bind(12, encode_suggestions(a.chat_suggestions));
    st.bind(13, encode_origins(a.chat_allowed_origins));
    if (st.step() != SQLITE_DONE) return db_error("updating an agent", st.error());
    if (sqlite3_changes(db_) == 0) return Error(ErrorCode::agent_not_found);
    return {};
  }

  Result<std::vector<std::string>> allowed_origins() override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, "SELECT chat_allowed_origins FROM agents WHERE chat_allowed_origins IS NOT NULL");
    std::vector<std::string> columns;
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) columns.push_back(st.text(0));
    if (rc != SQLITE_DONE) return db_error("reading the allowed origins", st.error());
    return union_of_origins(columns);
  }

  Result<void> insert_session(const SessionRecord& s) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, "INSERT INTO call_records (id, agent_id, type, status, started_at, visitor_id, "
                              "lang, messages, verified_at, last_message_at) "
                              "VALUES (?1, ?2, 'chat', 'active', ?3, ?4, ?5, ?6, ?7, ?8)");
    st.bind(1, s.id).bind(2, s.agent_id).bind(3, s.started_at).bind(4, s.visitor_id);
    st.bind(5, s.lang).bind(6, encode_messages(s.messages)).bind(7, s.verified_at);
    st.bind(8, s.last_message_at);
    if (st.step() != SQLITE_DONE) return db_error("inserting a session", st.error());
    return {};
  }

  Result<SessionRecord> find_session(std::string_view id) override {
    std::lock_guard lock(mutex_);
    return find_session_locked(id);
  }

  Result<SessionRecord> find_session_locked(std::string_view id) {
    Statement st(statements_,
                 std::string("SELECT ") + kSessionColumns + " FROM call_records WHERE id = ?1 AND type = 'chat'");
    st.bind(1, id);
    int rc = st.step();
    if (rc == SQLITE_DONE) return Error(ErrorCode::session_not_found);
    if (rc != SQLITE_ROW) return db_error("reading a session", st.error());
    auto read = read_session(st);
    if (!read) return read;
    SessionRecord& s = read.value();

    Statement reply(statements_, "SELECT in_reply_to, reply_id, state, instance_id, error_code FROM chat_replies "
                                 "WHERE session_id = ?1 ORDER BY started_at DESC, rowid DESC LIMIT 1");
    reply.bind(1, id);
    rc = reply.step();
    if (rc == SQLITE_ROW) {
      s.reply = reply_from_columns(s.id, reply.text(0), reply.text(1), reply.text(2), reply.text(3),
                                   reply.optional_text(4), s.lang);
    } else if (rc != SQLITE_DONE) {
      return db_error("reading a reply", reply.error());
    }
    return read;
  }

  Result<std::vector<SessionRecord>> list_sessions(std::string_view agent_id, int limit,
                                                   const std::optional<SessionCursor>& after) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, std::string("SELECT ") + kSessionColumns +
                                  " FROM call_records WHERE agent_id = ?1 AND type = 'chat' AND (?2 IS NULL OR "
                                  "started_at < ?2 OR (started_at = ?2 AND id < ?3)) "
                                  "ORDER BY started_at DESC, id DESC LIMIT CAST(?4 AS INTEGER)");
    st.bind(1, agent_id).bind(4, std::to_string(limit));
    if (after) st.bind(2, after->started_at).bind(3, after->id);
    std::vector<SessionRecord> sessions;
    int rc = SQLITE_ROW;
    while ((rc = st.step()) == SQLITE_ROW) {
      auto read = read_session(st);
      if (!read) return read.error();
      sessions.push_back(std::move(read).value());
    }
    if (rc != SQLITE_DONE) return db_error("listing sessions", st.error());
    return sessions;
  }

  Result<bool> delete_session(std::string_view agent_id, std::string_view session_id) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, "DELETE FROM call_records WHERE id = ?1 AND agent_id = ?2 AND type = 'chat'");
    st.bind(1, session_id).bind(2, agent_id);
    if (st.step() != SQLITE_DONE) return db_error("deleting a session", st.error());
    return sqlite3_changes(db_) == 1;
  }

  Result<std::size_t> delete_sessions_idle_before(std::string_view cutoff) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_,
                 "DELETE FROM call_records WHERE type = 'chat' AND COALESCE(last_message_at, started_at) < ?1");
    st.bind(1, cutoff);
    if (st.step() != SQLITE_DONE) return db_error("deleting expired sessions", st.error());
    return static_cast<std::size_t>(sqlite3_changes(db_));
  }

  // secure_delete (set at open) zeroed the freed content in the pages it wrote to the
  // WAL; the WAL itself still holds the earlier copies of those pages. A TRUNCATE
  // checkpoint copies the pages into the main file and empties the WAL file.
  Result<void> scrub_deleted() override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (st.step() != SQLITE_ROW) return db_error("checkpointing the WAL", st.error());
    if (st.text(0) != "0") return db_error("checkpointing the WAL", "busy: a reader holds the WAL");
    return {};
  }

  // Runs `body` in one write transaction: committed when it succeeds, else rolled back.
  template <class Body>
  auto transaction(Body body) -> decltype(body()) {
    std::lock_guard lock(mutex_);
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r.error();
    auto result = body();
    if (result) {
      if (auto r = exec("COMMIT"); !r) {
        (void)exec("ROLLBACK");
        return r.error();
      }
    } else {
      (void)exec("ROLLBACK");
    }
    return result;
  }

  Result<chat::Message> append_message(std::string_view session_id, const NewMessage& m) override {
    return transaction([&] { return append_locked(session_id, m); });
  }

  Result<chat::Message> append_visitor_message(std::string_view session_id, const NewMessage& m,
                                               const ReplyRecord& reply) override {
    return transaction([&]() -> Result<chat::Message> {
      auto stored = append_locked(session_id, m);
      if (!stored) return stored;
      Statement st(statements_,
                   "INSERT INTO chat_replies (session_id, in_reply_to, reply_id, state, instance_id, started_at) "
                   "VALUES (?1, ?2, ?3, 'streaming', ?4, ?5) ON CONFLICT (session_id, in_reply_to) DO UPDATE SET "
                   "reply_id = excluded.reply_id, state = 'streaming', instance_id = excluded.instance_id, "
                   "error_code = NULL, started_at = excluded.started_at, ended_at = NULL");
      st.bind(1, session_id)
          .bind(2, m.id)
          .bind(3, reply.reply_id)
          .bind(4, reply.instance_id)
          .bind(5, m.created_at);
      if (st.step() != SQLITE_DONE) return db_error("recording a reply", st.error());
      return stored;
    });
  }

  Result<chat::Message> append_reply(std::string_view session_id, std::string_view in_reply_to,
                                     const NewMessage& reply) override {
    return transaction([&]() -> Result<chat::Message> {
      auto stored = append_locked(session_id, reply);
      if (!stored) return stored;
      Statement st(statements_, "UPDATE chat_replies SET state = 'done', error_code = NULL, ended_at = ?4 "
                                "WHERE session_id = ?1 AND in_reply_to = ?2 AND reply_id = ?3");
      st.bind(1, session_id).bind(2, in_reply_to).bind(3, reply.id).bind(4, reply.created_at);
      if (st.step() != SQLITE_DONE) return db_error("ending a reply", st.error());
      return stored;
    });
  }

  Result<bool> end_reply(const ReplyRecord& ended) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_,
                 "UPDATE chat_replies SET state = ?4, error_code = ?5, ended_at = ?6 "
                 "WHERE session_id = ?1 AND in_reply_to = ?2 AND reply_id = ?3 AND state = 'streaming'");
    std::optional<std::string> code;
    if (ended.error) code = std::string(chat::to_string(*ended.error));
    st.bind(1, ended.session_id).bind(2, ended.in_reply_to).bind(3, ended.reply_id);
    st.bind(4, chat::to_string(ended.state)).bind(5, code).bind(6, now_timestamp());
    if (st.step() != SQLITE_DONE) return db_error("ending a reply", st.error());
    return sqlite3_changes(db_) == 1;
  }

  Result<bool> restart_reply(std::string_view session_id, std::string_view in_reply_to, std::string_view reply_id,
                             std::string_view instance_id) override {
    std::lock_guard lock(mutex_);
    Statement st(
        statements_,
        "UPDATE chat_replies SET reply_id = ?3, instance_id = ?4, state = 'streaming', error_code = NULL, "
        "started_at = ?5, ended_at = NULL "
        "WHERE session_id = ?1 AND in_reply_to = ?2 AND state IN ('failed', 'interrupted')");
    st.bind(1, session_id).bind(2, in_reply_to).bind(3, reply_id).bind(4, instance_id).bind(5, now_timestamp());
    if (st.step() != SQLITE_DONE) return db_error("restarting a reply", st.error());
    return sqlite3_changes(db_) == 1;
  }

  Result<std::vector<ReplyRecord>> interrupt_orphaned_replies(std::string_view instance_id) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_,
                 "UPDATE chat_replies SET state = 'interrupted', error_code = 'reply_interrupted', ended_at = ?2 "
                 "WHERE state = 'streaming' AND instance_id <> ?1 "
                 "RETURNING session_id, in_reply_to, reply_id, instance_id, "
                 "(SELECT COALESCE(lang, 'fr') FROM call_records c WHERE c.id = chat_replies.session_id)");
    st.bind(1, instance_id).bind(2, now_timestamp());
    std::vector<ReplyRecord> interrupted;
    int rc = SQLITE_ROW;
    while ((rc = st.step()) == SQLITE_ROW) {
      interrupted.push_back(reply_from_columns(st.text(0), st.text(1), st.text(2), "interrupted", st.text(3),
                                               std::string("reply_interrupted"), st.text(4)));
    }
    if (rc != SQLITE_DONE) return db_error("interrupting orphaned replies", st.error());
    return interrupted;
  }

  Result<chat::Message> append_locked(std::string_view session_id, const NewMessage& m) {
    auto session = find_session_locked(session_id);
    if (!session) return session.error();
    chat::Message message;
    message.id = m.id;
    message.seq = static_cast<std::int64_t>(session->messages.size()) + 1;
    message.role = m.role;
    message.text = m.text;
    message.created_at = m.created_at;
    session->messages.push_back(message);
    Statement st(statements_, "UPDATE call_records SET messages = ?2, last_message_at = ?3 WHERE id = ?1");
    st.bind(1, session_id).bind(2, encode_messages(session->messages)).bind(3, m.created_at);
    if (st.step() != SQLITE_DONE) return db_error("appending a message", st.error());
    return message;
  }

  Result<VerificationRecord> find_verification(std::string_view session_id) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, "SELECT caller_number, verify_code, verify_attempts, verify_sends, verified_at "
                              "FROM call_records WHERE id = ?1 AND type = 'chat'");
    st.bind(1, session_id);
    int rc = st.step();
    if (rc == SQLITE_DONE) return Error(ErrorCode::session_not_found);
    if (rc != SQLITE_ROW) return db_error("reading a verification", st.error());
    VerificationRecord v;
    v.phone = st.optional_text(0);
    v.code_hash = st.optional_text(1);
    v.attempts = std::stoi(st.text(2));
    v.sends_ms = decode_sends(st.text(3));
    v.verified_at = st.optional_text(4);
    return v;
  }

  Result<bool> update_verification(std::string_view session_id, const VerificationRecord& seen,
                                   const VerificationRecord& next) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_,
                 "UPDATE call_records SET caller_number = ?2, verify_code = ?3, verify_attempts = ?4, "
                 "verify_sends = ?5, verified_at = ?6 "
                 "WHERE id = ?1 AND type = 'chat' AND verify_code IS ?7 AND verify_attempts = ?8 "
                 "AND verify_sends = ?9 AND verified_at IS ?10");
    st.bind(1, session_id).bind(2, next.phone).bind(3, next.code_hash);
    st.bind(4, std::to_string(next.attempts)).bind(5, encode_sends(next.sends_ms)).bind(6, next.verified_at);
    st.bind(7, seen.code_hash).bind(8, std::to_string(seen.attempts)).bind(9, encode_sends(seen.sends_ms));
    st.bind(10, seen.verified_at);
    if (st.step() != SQLITE_DONE) return db_error("updating a verification", st.error());
    return sqlite3_changes(db_) == 1;
  }

  Result<std::vector<std::int64_t>> sends_to_phone(std::string_view phone,
                                                   std::string_view except_session_id) override {
    std::lock_guard lock(mutex_);
    Statement st(statements_, "SELECT verify_sends FROM call_records WHERE caller_number = ?1 AND type = 'chat' "
                              "AND id <> ?2");
    st.bind(1, phone).bind(2, except_session_id);
    std::vector<std::int64_t> sends;
    int rc = SQLITE_ROW;
    while ((rc = st.step()) == SQLITE_ROW) {
      for (auto t : decode_sends(st.text(0))) sends.push_back(t);
    }
    if (rc != SQLITE_DONE) return db_error("reading sends to a phone", st.error());
    return sends;
  }

 private:
  std::mutex mutex_;
  sqlite3* db_;
  kit::SqliteStatements statements_;  // under mutex_, like db_
  kit::ProbeCache write_probe_;
};

}  // namespace

Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::string& path) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Error(ErrorCode::internal_error, "cannot open SQLite database " + path + ": " + message);
  }
  auto storage = std::make_unique<SqliteStorage>(db);
  sqlite3_busy_timeout(db, 5000);
  // WAL lets readers (a second server, the sqlite3 shell) work while we write;
  // NORMAL sync keeps every commit across a crash of the process. secure_delete
  // overwrites deleted content with zeros, so an erased chat (and the earlier
  // copies each append leaves of a session's messages) is not in the file's free
  // space (scrub_deleted does the WAL).
  for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                             "PRAGMA foreign_keys = ON", "PRAGMA secure_delete = ON"}) {
    if (auto r = storage->exec(pragma); !r) return r.error();
  }
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace agent_server
