#include "pg_storage.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "chat/validation.hpp"
#include "kit/probe_cache.hpp"
#include "migrations.hpp"
#include "storage_common.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

const char* kTimestamp = R"(to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))";

std::string ts(const char* column) {
  std::string out(kTimestamp);
  out.replace(out.find("%s"), 2, column);
  return out;
}

std::string agent_columns() {
  return "id::text, name, prompt, COALESCE(api_token, ''), COALESCE(public_token, ''), "
         "chat_enabled, chat_model, chat_prompt_extra, chat_phone_required, " +
         ts("created_at") + ", timezone, chat_greeting, chat_suggestions, chat_allowed_origins";
}

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}
std::optional<std::string> optional_text(const PGresult* r, int row, int col) {
  if (PQgetisnull(r, row, col)) return std::nullopt;
  return text(r, row, col);
}
bool boolean(const PGresult* r, int row, int col) { return PQgetvalue(r, row, col)[0] == 't'; }

// A session's columns (call_records as c) in the order read_session reads them.
std::string session_columns() {
  return "c.id::text, c.agent_id::text, COALESCE(c.visitor_id, ''), COALESCE(c.lang, 'fr'), " +
         ts("c.started_at") + ", " + ts("c.verified_at") + ", " + ts("c.last_message_at") +
         ", c.messages::text, c.caller_number";
}

Result<SessionRecord> read_session(const PGresult* r, int row) {
  SessionRecord s;
  s.id = text(r, row, 0);
  s.agent_id = text(r, row, 1);
  s.visitor_id = text(r, row, 2);
  s.lang = text(r, row, 3);
  s.started_at = text(r, row, 4);
  s.verified_at = optional_text(r, row, 5);
  s.last_message_at = optional_text(r, row, 6);
  auto messages = decode_messages(text(r, row, 7));
  if (!messages) return messages.error();
  s.messages = std::move(messages).value();
  s.phone = optional_text(r, row, 8);
  return s;
}

AgentRecord read_agent(const PGresult* r) {
  AgentRecord a;
  a.id = text(r, 0, 0);
  a.name = text(r, 0, 1);
  a.prompt = text(r, 0, 2);
  a.api_token = text(r, 0, 3);
  a.public_token = text(r, 0, 4);
  a.chat_enabled = boolean(r, 0, 5);
  a.chat_model = text(r, 0, 6);
  a.chat_prompt_extra = text(r, 0, 7);
  a.chat_phone_required = boolean(r, 0, 8);
  a.created_at = text(r, 0, 9);
  a.timezone = text(r, 0, 10);
  a.chat_greeting = optional_text(r, 0, 11);
  a.chat_suggestions = decode_suggestions(optional_text(r, 0, 12));
  a.chat_allowed_origins = decode_origins(optional_text(r, 0, 13));
  return a;
}

// A parameter: text or SQL NULL.
using Param = std::optional<std::string>;

Param non_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}
Param boolean_param(bool b) { return std::string(b ? "true" : "false"); }

class PgStorage final : public Storage {
 public:
  explicit PgStorage(std::string url) : url_(std::move(url)) {}
  ~PgStorage() override {
    for (PGconn* c : idle_) PQfinish(c);
  }

  std::string_view backend() const noexcept override { return "postgres"; }

  // Borrows a pooled connection for the life of the guard.
  class Lease {
   public:
    Lease(PgStorage& owner, PGconn* conn) : owner_(owner), conn_(conn) {}
    ~Lease() { owner_.give_back(conn_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PGconn* get() const { return conn_; }

   private:
    PgStorage& owner_;
    PGconn* conn_;
  };

  Result<std::unique_ptr<Lease>> lease() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < kMaxConnections; });
    if (!idle_.empty()) {
      PGconn* conn = idle_.back();
      idle_.pop_back();
      lock.unlock();
      if (PQstatus(conn) != CONNECTION_OK) {
        PQreset(conn);
        std::lock_guard relock(mutex_);
        prepared_.erase(conn);  // a new session on the server: its statements are gone
      }
      return std::make_unique<Lease>(*this, conn);
    }
    ++open_;
    lock.unlock();
    auto conn = pg_connect(url_);
    if (!conn) {
      std::lock_guard relock(mutex_);
      --open_;
      cv_.notify_one();
      return conn.error();
    }
    return std::make_unique<Lease>(*this, conn.value());
  }

  void give_back(PGconn* conn) {
    std::lock_guard lock(mutex_);
    idle_.push_back(conn);
    cv_.notify_one();
  }

  static bool ok(const PgResult& r) {
    auto status = PQresultStatus(r.get());
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }

  // Runs `sql` as a statement prepared once per connection: parsed and planned
  // once, not at every call (the chat's few statements run thousands of times).
  PgResult exec_prepared(PGconn* conn, const std::string& sql, const std::vector<Param>& params) {
    std::string name;
    bool prepare = false;
    {
      std::lock_guard lock(mutex_);
      auto named = statement_names_.emplace(sql, "chat_q" + std::to_string(statement_names_.size() + 1));
      name = named.first->second;
      prepare = prepared_[conn].insert(name).second;
    }
    if (prepare) {
      PgResult made(PQprepare(conn, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr));
      if (!ok(made)) {
        std::lock_guard lock(mutex_);
        prepared_[conn].erase(name);
        return made;
      }
    }
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    return PgResult(
        PQexecPrepared(conn, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
  }

  Result<PgResult> query(std::string_view operation, const std::string& sql,
                         const std::vector<Param>& params = {}) {
    auto conn = lease();
    if (!conn) return conn.error();
    auto r = exec_prepared(conn.value()->get(), sql, params);
    if (!ok(r)) return db_error(operation, pg_message(conn.value()->get(), r.get()));
    return r;
  }

  Result<std::vector<std::string>> migrate() override {
    auto lease_result = lease();
    if (!lease_result) return lease_result.error();
    kit::MigrationOptions options{
        kMigrationTable, kMigrationLock,
        // The row /healthz writes (check_writable); not a migration: no data of ours.
        "CREATE TABLE IF NOT EXISTS agent_server_health (id INTEGER PRIMARY KEY, "
        "probes BIGINT NOT NULL DEFAULT 0, checked_at TIMESTAMPTZ NOT NULL DEFAULT now())"};
    // Two servers starting together on one database take turns (the advisory lock).
    return kit::migrate_postgres(lease_result.value()->get(), postgres_migrations(), options);
  }

  Result<void> check_writable() override {
    return write_probe_.get([&]() -> Result<void> {
      auto r = query("health write probe",
                     "INSERT INTO agent_server_health (id, probes, checked_at) VALUES (1, 1, now()) "
                     "ON CONFLICT (id) DO UPDATE SET probes = agent_server_health.probes + 1, checked_at = now()");
      if (!r) return r.error();
      return {};
    });
  }

  Result<void> ping() override {
    if (auto r = query("ping", "SELECT 1"); !r) return r.error();
    return {};
  }

  Result<void> insert_agent(const AgentRecord& a) override {
    auto r = query(
        "inserting an agent",
        "INSERT INTO agents (id, name, prompt, api_token, public_token, chat_enabled, "
        "chat_model, chat_prompt_extra, chat_phone_required, created_at, updated_at, timezone, "
        "chat_greeting, chat_suggestions, chat_allowed_origins) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $10::timestamptz, $11, $12, $13, "
        "$14)",
        {a.id, a.name, a.prompt, non_empty(a.api_token), non_empty(a.public_token), boolean_param(a.chat_enabled),
         a.chat_model, a.chat_prompt_extra, boolean_param(a.chat_phone_required), a.created_at, a.timezone,
         a.chat_greeting, encode_suggestions(a.chat_suggestions), encode_origins(a.chat_allowed_origins)});
    if (!r) return r.error();
    return {};
  }

  Result<AgentRecord> find_agent(std::string_view id) override {
    if (!chat::is_valid_uuid(id)) return Error(ErrorCode::agent_not_found);
    auto r = query("reading an agent", "SELECT " + agent_columns() + " FROM agents WHERE id = $1",
                   {std::string(id)});
    if (!r) return r.error();
    if (PQntuples(r->get()) == 0) return Error(ErrorCode::agent_not_found);
    return read_agent(r->get());
  }

  Result<AgentRecord> find_agent_by_token(std::string_view token) override {
    auto r = query("reading an agent",
                   "SELECT " + agent_columns() + " FROM agents WHERE api_token = $1 OR public_token = $1",
                   {std::string(token)});
    if (!r) return r.error();
    if (PQntuples(r->get()) == 0) return Error(ErrorCode::unauthorized);
    return read_agent(r->get());
  }

  Result<void> update_agent(const AgentRecord& a) override {
    if (!chat::is_valid_uuid(a.id)) return Error(ErrorCode::agent_not_found);
    auto r = query("updating an agent",
                   "UPDATE agents SET name = $2, prompt = $3, api_token = $4, public_token = $5, "
                   "chat_enabled = $6, chat_model = $7, chat_prompt_extra = $8, "
                   "chat_phone_required = $9, timezone = $10, chat_greeting = $11, chat_suggestions = $12, "
                   "chat_allowed_origins = $13, updated_at = now() WHERE id = $1",
                   {a.id, a.name, a.prompt, non_empty(a.api_token), non_empty(a.public_token),
                    boolean_param(a.chat_enabled), a.chat_model, a.chat_prompt_extra,
                    boolean_param(a.chat_phone_required), a.timezone, a.chat_greeting,
                    encode_suggestions(a.chat_suggestions), encode_origins(a.chat_allowed_origins)});
    if (!r) return r.error();
    if (std::string(PQcmdTuples(r->get())) == "0") return Error(ErrorCode::agent_not_found);
    return {};
  }

  Result<std::vector<std::string>> allowed_origins() override {
    auto r = query("reading the allowed origins",
                   "SELECT chat_allowed_origins FROM agents WHERE chat_allowed_origins IS NOT NULL");
    if (!r) return r.error();
    std::vector<std::string> columns;
    for (int row = 0; row < PQntuples(r->get()); ++row) columns.push_back(text(r->get(), row, 0));
    return union_of_origins(columns);
  }

  Result<void> insert_session(const SessionRecord& s) override {
    auto r = query("inserting a session",
                   "INSERT INTO call_records (id, agent_id, type, status, started_at, visitor_id, "
                   "lang, messages, verified_at, last_message_at) VALUES ($1, $2, 'chat', "
                   "'active', $3::timestamptz, $4, $5, $6::jsonb, $7::timestamptz, $8::timestamptz)",
                   {s.id, s.agent_id, s.started_at, s.visitor_id, s.lang, encode_messages(s.messages),
                    s.verified_at, s.last_message_at});
    if (!r) return r.error();
    return {};
  }

  Result<SessionRecord> find_session(std::string_view id) override {
    if (!chat::is_valid_uuid(id)) return Error(ErrorCode::session_not_found);
    auto r = query("reading a session",
                   "SELECT " + session_columns() +
                       ", r.in_reply_to, r.reply_id, r.state, r.instance_id, r.error_code "
                       "FROM call_records c LEFT JOIN LATERAL (SELECT * FROM chat_replies "
                       "WHERE session_id = c.id ORDER BY started_at DESC LIMIT 1) r ON true "
                       "WHERE c.id = $1 AND c.type = 'chat'",
                   {std::string(id)});
    if (!r) return r.error();
    const PGresult* row = r->get();
    if (PQntuples(row) == 0) return Error(ErrorCode::session_not_found);
    auto read = read_session(row, 0);
    if (!read) return read;
    SessionRecord& s = read.value();
    if (!PQgetisnull(row, 0, 9)) {
      s.reply = reply_from_columns(s.id, text(row, 0, 9), text(row, 0, 10), text(row, 0, 11), text(row, 0, 12),
                                   optional_text(row, 0, 13), s.lang);
    }
    return read;
  }

  Result<std::vector<SessionRecord>> list_sessions(std::string_view agent_id, int limit,
                                                   const std::optional<SessionCursor>& after) override {
    if (!chat::is_valid_uuid(agent_id)) return std::vector<SessionRecord>{};
    Param started_at, id;
    if (after) {
      if (!chat::is_valid_uuid(after->id)) return std::vector<SessionRecord>{};
      started_at = after->started_at;
      id = after->id;
    }
    auto r = query(
        "listing sessions",
        "SELECT " + session_columns() +
            " FROM call_records c WHERE c.agent_id = $1 AND c.type = 'chat' AND ($2::timestamptz IS NULL "
            "OR (c.started_at, c.id) < ($2::timestamptz, $3::uuid)) "
            "ORDER BY c.started_at DESC, c.id DESC LIMIT $4::int",
        {std::string(agent_id), started_at, id, std::to_string(limit)});
    if (!r) return r.error();
    std::vector<SessionRecord> sessions;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      auto read = read_session(r->get(), i);
      if (!read) return read.error();
      sessions.push_back(std::move(read).value());
    }
    return sessions;
  }

  Result<bool> delete_session(std::string_view agent_id, std::string_view session_id) override {
    if (!chat::is_valid_uuid(agent_id) || !chat::is_valid_uuid(session_id)) return false;
    auto r = query("deleting a session",
                   "DELETE FROM call_records WHERE id = $1 AND agent_id = $2 AND type = 'chat'",
                   {std::string(session_id), std::string(agent_id)});
    if (!r) return r.error();
    return std::string(PQcmdTuples(r->get())) == "1";
  }

  Result<std::size_t> delete_sessions_idle_before(std::string_view cutoff) override {
    auto r = query("deleting expired sessions",
                   "DELETE FROM call_records WHERE type = 'chat' "
                   "AND COALESCE(last_message_at, started_at) < $1::timestamptz",
                   {std::string(cutoff)});
    if (!r) return r.error();
    return static_cast<std::size_t>(std::stoull(PQcmdTuples(r->get())));
  }

  // A DELETE leaves the row (and every earlier version of it: each append is an
  // UPDATE) in the heap and TOAST pages, and VACUUM only marks that space free: the
  // bytes stay until reused (measured). VACUUM FULL writes the live rows to new files
  // and drops the old ones. It locks the two tables while it copies them, so it runs
  // off the request path (privacy.hpp), once for every erasure that came meanwhile.
  Result<void> scrub_deleted() override {
    auto conn = lease();
    if (!conn) return conn.error();
    PGconn* c = conn.value()->get();
    // A user who does not own a table gets a warning and no rewrite: say so instead.
    PgResult owner(PQexec(c, "SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class "
                             "WHERE oid IN ('call_records'::regclass, 'chat_replies'::regclass)"));
    if (!ok(owner)) return db_error("checking who owns call_records", pg_message(c, owner.get()));
    if (!boolean(owner.get(), 0, 0)) {
      return db_error("rewriting call_records (VACUUM FULL)",
                      "the server's database user does not own the tables");
    }
    PgResult r(PQexec(c, "VACUUM (FULL) chat_replies, call_records"));
    if (!ok(r)) return db_error("rewriting call_records (VACUUM FULL)", pg_message(c, r.get()));
    return {};
  }

  Result<chat::Message> append_message(std::string_view session_id, const NewMessage& m) override {
    return append_with(session_id, m, "appending a message", "", {});
  }

  // The visitor's message and its reply's row in one statement (data-modifying
  // CTEs commit together): never a message without its reply's state.
  Result<chat::Message> append_visitor_message(std::string_view session_id, const NewMessage& m,
                                               const ReplyRecord& reply) override {
    return append_with(
        session_id, m, "recording a reply",
        "INSERT INTO chat_replies (session_id, in_reply_to, reply_id, state, instance_id, started_at) "
        "SELECT $1, $4, $5, 'streaming', $6, $3::timestamptz FROM appended "
        "ON CONFLICT (session_id, in_reply_to) DO UPDATE SET reply_id = excluded.reply_id, "
        "state = 'streaming', instance_id = excluded.instance_id, error_code = NULL, "
        "started_at = excluded.started_at, ended_at = NULL",
        {m.id, reply.reply_id, reply.instance_id});
  }

  Result<chat::Message> append_reply(std::string_view session_id, std::string_view in_reply_to,
                                     const NewMessage& reply) override {
    return append_with(session_id, reply, "ending a reply",
                       "UPDATE chat_replies SET state = 'done', error_code = NULL, ended_at = $3::timestamptz "
                       "WHERE session_id = $1 AND in_reply_to = $4 AND reply_id = $5 "
                       "AND EXISTS (SELECT 1 FROM appended)",
                       {std::string(in_reply_to), reply.id});
  }

  // One statement: the row lock of the UPDATE orders concurrent appends, and the
  // seq is computed from the array it extends. The UPDATE is the CTE `appended`;
  // `also`, when given, runs in the same statement ($1 session, $2 the message as
  // JSON, $3 its time, then `extra` as $4...).
  Result<chat::Message> append_with(std::string_view session_id, const NewMessage& m, std::string_view operation,
                                    const std::string& also, std::vector<Param> extra) {
    if (!chat::is_valid_uuid(session_id)) return Error(ErrorCode::session_not_found);
    chat::Message message;
    message.id = m.id;
    message.role = m.role;
    message.text = m.text;
    message.created_at = m.created_at;
    std::vector<Param> params{std::string(session_id), encode_messages({message}), m.created_at};
    for (auto& p : extra) params.push_back(std::move(p));
    auto r = query(operation,
                   "WITH appended AS (UPDATE call_records SET messages = messages || jsonb_build_array("
                   "($2::jsonb -> 0) || jsonb_build_object('seq', jsonb_array_length(messages) + 1)), "
                   "last_message_at = $3::timestamptz WHERE id = $1 AND type = 'chat' "
                   "RETURNING jsonb_array_length(messages) AS seq)" +
                       (also.empty() ? std::string() : ", also AS (" + also + ")") + " SELECT seq FROM appended",
                   params);
    if (!r) return r.error();
    if (PQntuples(r->get()) == 0) return Error(ErrorCode::session_not_found);
    message.seq = std::stoll(text(r->get(), 0, 0));
    return message;
  }

  Result<bool> end_reply(const ReplyRecord& ended) override {
    if (!chat::is_valid_uuid(ended.session_id)) return false;
    Param code;
    if (ended.error) code = std::string(chat::to_string(*ended.error));
    auto r = query("ending a reply",
                   "UPDATE chat_replies SET state = $4, error_code = $5, ended_at = now() "
                   "WHERE session_id = $1 AND in_reply_to = $2 AND reply_id = $3 AND state = 'streaming'",
                   {ended.session_id, ended.in_reply_to, ended.reply_id, std::string(chat::to_string(ended.state)),
                    code});
    if (!r) return r.error();
    return std::string(PQcmdTuples(r->get())) == "1";
  }

  Result<bool> restart_reply(std::string_view session_id, std::string_view in_reply_to, std::string_view reply_id,
                             std::string_view instance_id) override {
    if (!chat::is_valid_uuid(session_id)) return false;
    auto r = query("restarting a reply",
                   "UPDATE chat_replies SET reply_id = $3, instance_id = $4, state = 'streaming', "
                   "error_code = NULL, started_at = now(), ended_at = NULL "
                   "WHERE session_id = $1 AND in_reply_to = $2 AND state IN ('failed', 'interrupted')",
                   {std::string(session_id), std::string(in_reply_to), std::string(reply_id),
                    std::string(instance_id)});
    if (!r) return r.error();
    return std::string(PQcmdTuples(r->get())) == "1";
  }

  // An instance lives while its listening connection holds the advisory lock
  // (kInstanceLockClass, its id): the lock goes with the connection, at once when
  // the process dies. The row lock of the UPDATE lets one instance claim each orphan.
  Result<std::vector<ReplyRecord>> interrupt_orphaned_replies(std::string_view instance_id) override {
    auto r = query("interrupting orphaned replies",
                   "UPDATE chat_replies SET state = 'interrupted', error_code = 'reply_interrupted', "
                   "ended_at = now() WHERE state = 'streaming' AND instance_id <> $1 AND instance_id NOT IN ("
                   "SELECT objid::text FROM pg_locks WHERE locktype = 'advisory' AND classid = " +
                       std::to_string(kInstanceLockClass) +
                       " AND objsubid = 2 AND granted AND database = "
                       "(SELECT oid FROM pg_database WHERE datname = current_database())) "
                       "RETURNING session_id::text, in_reply_to, reply_id, instance_id, "
                       "(SELECT COALESCE(lang, 'fr') FROM call_records c WHERE c.id = chat_replies.session_id)",
                   {std::string(instance_id)});
    if (!r) return r.error();
    std::vector<ReplyRecord> interrupted;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      interrupted.push_back(reply_from_columns(text(r->get(), i, 0), text(r->get(), i, 1), text(r->get(), i, 2),
                                               "interrupted", text(r->get(), i, 3),
                                               std::string("reply_interrupted"), text(r->get(), i, 4)));
    }
    return interrupted;
  }

  Result<VerificationRecord> find_verification(std::string_view session_id) override {
    if (!chat::is_valid_uuid(session_id)) return Error(ErrorCode::session_not_found);
    auto r = query("reading a verification",
                   "SELECT caller_number, verify_code, verify_attempts::text, verify_sends, " + ts("verified_at") +
                       " FROM call_records WHERE id = $1 AND type = 'chat'",
                   {std::string(session_id)});
    if (!r) return r.error();
    const PGresult* row = r->get();
    if (PQntuples(row) == 0) return Error(ErrorCode::session_not_found);
    VerificationRecord v;
    v.phone = optional_text(row, 0, 0);
    v.code_hash = optional_text(row, 0, 1);
    v.attempts = std::stoi(text(row, 0, 2));
    v.sends_ms = decode_sends(text(row, 0, 3));
    v.verified_at = optional_text(row, 0, 4);
    return v;
  }

  // One UPDATE whose WHERE is the compare: the row lock orders two instances.
  Result<bool> update_verification(std::string_view session_id, const VerificationRecord& seen,
                                   const VerificationRecord& next) override {
    if (!chat::is_valid_uuid(session_id)) return Error(ErrorCode::session_not_found);
    auto r = query("updating a verification",
                   "UPDATE call_records SET caller_number = $2, verify_code = $3, verify_attempts = $4::int, "
                   "verify_sends = $5, verified_at = $6::timestamptz "
                   "WHERE id = $1 AND type = 'chat' AND verify_code IS NOT DISTINCT FROM $7 "
                   "AND verify_attempts = $8::int AND verify_sends = $9 AND verified_at IS NULL "
                   "AND $10::boolean",
                   {std::string(session_id), next.phone, next.code_hash, std::to_string(next.attempts),
                    encode_sends(next.sends_ms), next.verified_at, seen.code_hash, std::to_string(seen.attempts),
                    encode_sends(seen.sends_ms), boolean_param(!seen.verified_at)});
    if (!r) return r.error();
    return std::string(PQcmdTuples(r->get())) == "1";
  }

  Result<std::vector<std::int64_t>> sends_to_phone(std::string_view phone,
                                                   std::string_view except_session_id) override {
    auto r = query("reading sends to a phone",
                   "SELECT verify_sends FROM call_records WHERE caller_number = $1 AND type = 'chat' "
                   "AND id::text <> $2",
                   {std::string(phone), std::string(except_session_id)});
    if (!r) return r.error();
    std::vector<std::int64_t> sends;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      for (auto t : decode_sends(text(r->get(), i, 0))) sends.push_back(t);
    }
    return sends;
  }

 private:
  static constexpr std::size_t kMaxConnections = 8;
  std::string url_;
  kit::ProbeCache write_probe_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<PGconn*> idle_;
  std::size_t open_ = 0;
  std::map<std::string, std::string> statement_names_;  // SQL -> its prepared name
  std::map<PGconn*, std::set<std::string>> prepared_;   // what each connection has prepared
};

}  // namespace

std::string pg_message(PGconn* conn, const PGresult* res) {
  if (res) {
    if (const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)) return primary;
  }
  std::string message = PQerrorMessage(conn);
  if (auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  return message;
}

Result<PGconn*> pg_connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = pg_message(conn, nullptr);
    PQfinish(conn);
    return db_error("connecting to PostgreSQL", message);
  }
  // NOTICEs ("already exists, skipping") would go to stderr otherwise.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

Result<std::unique_ptr<Storage>> open_pg_storage(const std::string& url) {
  auto storage = std::make_unique<PgStorage>(url);
  // Fail at start, with a clear message, when the database can't be reached.
  if (auto r = storage->ping(); !r) return r.error();
  return std::unique_ptr<Storage>(std::move(storage));
}

}  // namespace agent_server
