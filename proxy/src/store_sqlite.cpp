#include <sqlite3.h>

#include <mutex>

#include "kit/migrations.hpp"
#include "kit/probe_cache.hpp"
#include "kit/sqlite.hpp"
#include "store.hpp"

namespace proxy {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

namespace {

Error db_error(sqlite3* db, std::string_view what) {
  return Error(ErrorCode::internal_error,
               std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "cannot open database"));
}

using Statement = kit::SqliteStatement;

constexpr const char* kSelectColumns =
    "SELECT id, name, lang, position, agent_id, agent_api_token, created_at FROM restaurants ";

RestaurantRow read_row(const Statement& st) {
  RestaurantRow row;
  row.id = st.text(0);
  row.name = st.text(1);
  row.lang = st.text(2);
  row.position = st.text(3);
  row.agent_id = st.optional_text(4);
  row.agent_api_token = st.optional_text(5);
  row.created_at = st.text(6);
  return row;
}

class SqliteStore final : public RestaurantStore {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db), statements_(db) {}
  // The kept statements are finalised after the close: close_v2 waits for them.
  ~SqliteStore() override { sqlite3_close_v2(db_); }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  Result<std::vector<std::string>> migrate() {
    std::lock_guard lock(mutex_);
    if (auto ok = exec("PRAGMA journal_mode=WAL"); !ok) return ok.error();
    kit::MigrationOptions options{kMigrationTable, kMigrationLock,
                                  // The row /healthz writes (check_writable); not a migration: no data of ours.
                                  "CREATE TABLE IF NOT EXISTS proxy_health (id INTEGER PRIMARY KEY, "
                                  "probes INTEGER NOT NULL DEFAULT 0, checked_at TEXT NOT NULL)"};
    return kit::migrate_sqlite(db_, sqlite_migrations(), options);
  }

  Result<std::optional<RestaurantRow>> find(std::string_view id) override {
    std::lock_guard lock(mutex_);
    // Every relayed request looks its restaurant up: a kept statement.
    static const std::string sql = std::string(kSelectColumns) + "WHERE id = ?";
    Statement st(statements_, sql);
    st.bind(1, id);
    int rc = sqlite3_step(st.get());
    if (rc == SQLITE_DONE) return std::optional<RestaurantRow>{};
    if (rc != SQLITE_ROW) return db_error(db_, "find restaurant");
    return std::optional<RestaurantRow>(read_row(st));
  }

  Result<void> insert(const RestaurantRow& row) override {
    std::lock_guard lock(mutex_);
    Statement st(db_, "INSERT INTO restaurants (id, name, lang, position, agent_id, agent_api_token) "
                      "VALUES (?, ?, ?, ?, ?, ?)");
    if (!st.ok()) return db_error(db_, "insert restaurant");
    st.bind(1, row.id);
    st.bind(2, row.name);
    st.bind(3, row.lang);
    st.bind(4, row.position);
    st.bind(5, row.agent_id);
    st.bind(6, row.agent_api_token);
    if (sqlite3_step(st.get()) != SQLITE_DONE) return db_error(db_, "insert restaurant");
    return {};
  }

  Result<bool> set_token(std::string_view id, std::string_view token) override {
    return update("UPDATE restaurants SET agent_api_token = ? WHERE id = ?", id, token);
  }

  Result<bool> set_token_if_missing(std::string_view id, std::string_view token) override {
    return update("UPDATE restaurants SET agent_api_token = ? WHERE id = ? AND agent_api_token IS NULL", id,
                  token);
  }

  Result<std::vector<RestaurantRow>> missing_tokens() override {
    return list("WHERE agent_id IS NOT NULL AND agent_id <> '' AND agent_api_token IS NULL ORDER BY id");
  }

  Result<std::vector<RestaurantRow>> with_agents() override {
    return list("WHERE agent_id IS NOT NULL AND agent_id <> '' ORDER BY id");
  }

  Result<bool> replace_token(std::string_view id, std::string_view expected, std::string_view token) override {
    std::lock_guard lock(mutex_);
    Statement st(db_, "UPDATE restaurants SET agent_api_token = ? WHERE id = ? AND agent_api_token = ?");
    if (!st.ok()) return db_error(db_, "update restaurant");
    st.bind(1, token);
    st.bind(2, id);
    st.bind(3, expected);
    if (sqlite3_step(st.get()) != SQLITE_DONE) return db_error(db_, "update restaurant");
    return sqlite3_changes(db_) > 0;
  }

  Result<void> check_writable() override {
    return write_probe_.get([&]() -> Result<void> {
      std::lock_guard lock(mutex_);
      Statement st(db_, "INSERT INTO proxy_health (id, probes, checked_at) "
                        "VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) ON CONFLICT (id) DO UPDATE "
                        "SET probes = probes + 1, checked_at = excluded.checked_at");
      if (!st.ok() || sqlite3_step(st.get()) != SQLITE_DONE) return db_error(db_, "health write probe");
      return {};
    });
  }

 private:
  Result<void> exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      Error error(ErrorCode::internal_error, std::string("schema: ") + (message ? message : "?"));
      sqlite3_free(message);
      return error;
    }
    return {};
  }

  Result<std::vector<RestaurantRow>> list(const char* where) {
    std::lock_guard lock(mutex_);
    Statement st(db_, (std::string(kSelectColumns) + where).c_str());
    if (!st.ok()) return db_error(db_, "list restaurants");
    std::vector<RestaurantRow> rows;
    int rc = 0;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) rows.push_back(read_row(st));
    if (rc != SQLITE_DONE) return db_error(db_, "list restaurants");
    return rows;
  }

  Result<bool> update(const char* sql, std::string_view id, std::string_view token) {
    std::lock_guard lock(mutex_);
    Statement st(db_, sql);
    if (!st.ok()) return db_error(db_, "update restaurant");
    st.bind(1, token);
    st.bind(2, id);
    if (sqlite3_step(st.get()) != SQLITE_DONE) return db_error(db_, "update restaurant");
    return sqlite3_changes(db_) > 0;
  }

  sqlite3* db_;
  kit::SqliteStatements statements_;  // under mutex_, like db_
  std::mutex mutex_;
  kit::ProbeCache write_probe_;
};

}  // namespace

Result<std::unique_ptr<RestaurantStore>> open_sqlite_store(const std::string& path, const MigrationLog& log) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Error error = db_error(db, "open " + path);
    sqlite3_close_v2(db);
    return error;
  }
  // The backfill command may write while the server runs.
  sqlite3_busy_timeout(db, 5000);
  auto store = std::make_unique<SqliteStore>(db);
  auto applied = store->migrate();
  if (!applied) return applied.error();
  for (const auto& name : applied.value()) {
    if (log) log(name);
  }
  return std::unique_ptr<RestaurantStore>(std::move(store));
}

Result<std::unique_ptr<RestaurantStore>> open_store(const std::string& database_url, const MigrationLog& log) {
  if (database_url.rfind("sqlite:", 0) == 0) return open_sqlite_store(database_url.substr(7), log);
  if (database_url.rfind("postgres://", 0) == 0 || database_url.rfind("postgresql://", 0) == 0) {
    return open_postgres_store(database_url, log);
  }
  return Error(ErrorCode::invalid_request, "database URL must be sqlite:PATH or postgres://...");
}

}  // namespace proxy
