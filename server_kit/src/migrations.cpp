#include "kit/migrations.hpp"

#include <regex>
#include <set>

#include "kit/pg.hpp"
#include "kit/sqlite.hpp"

namespace kit {
namespace {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

Error failed(const EmbeddedFile& migration, std::string_view why) {
  return Error(ErrorCode::internal_error,
               "migration " + std::string(migration.path) + " failed: " + std::string(why));
}

Error record_error(const MigrationOptions& options, std::string_view what, std::string_view why) {
  return Error(ErrorCode::internal_error,
               "migrations (" + options.table + "): " + std::string(what) + ": " + std::string(why));
}

// ---- SQLite

// The error message, or nullopt when `sql` ran.
std::optional<std::string> sqlite_exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return std::nullopt;
  std::string why = message ? message : sqlite3_errmsg(db);
  sqlite3_free(message);
  return why;
}

Result<bool> sqlite_recorded(sqlite3* db, const MigrationOptions& options, std::string_view name) {
  SqliteStatement st(db, "SELECT 1 FROM " + options.table + " WHERE name = ?1");
  st.bind(1, name);
  int rc = st.step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return record_error(options, "reading", st.error());
  return rc == SQLITE_ROW;
}

// The file's statements and its record, inside the caller's transaction.
std::optional<std::string> sqlite_apply(sqlite3* db, const EmbeddedFile& migration,
                                        const MigrationOptions& options) {
  for (const auto& statement : split_sql_statements(migration.text)) {
    if (auto add = parse_add_column(statement)) {
      SqliteStatement st(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
      st.bind(1, add->first).bind(2, add->second);
      int rc = st.step();
      if (rc == SQLITE_ROW) continue;
      if (rc != SQLITE_DONE) return st.error();
    }
    if (auto why = sqlite_exec(db, statement)) return why;
  }
  SqliteStatement st(db, "INSERT INTO " + options.table + " (name) VALUES (?1)");
  st.bind(1, migration.name);
  if (st.step() != SQLITE_DONE) return "recording it: " + st.error();
  return std::nullopt;
}

// ---- PostgreSQL

std::string pg_why(PGconn* conn, const PgResult& r) {
  if (r) {
    if (const char* primary = PQresultErrorField(r.get(), PG_DIAG_MESSAGE_PRIMARY)) return primary;
  }
  std::string message = PQerrorMessage(conn);
  if (auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  return message;
}

PgResult pg_run(PGconn* conn, const std::string& sql, const std::vector<std::string>& params = {}) {
  if (params.empty()) return PgResult(PQexec(conn, sql.c_str()));
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  return PgResult(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                               nullptr, 0));
}

Result<std::vector<std::string>> pg_migrate_locked(PGconn* conn, const EmbeddedFiles& migrations,
                                                   const MigrationOptions& options) {
  if (!options.setup.empty()) {
    if (auto r = pg_run(conn, options.setup); !r.ok()) return record_error(options, "setting up", pg_why(conn, r));
  }
  if (auto r = pg_run(conn, "CREATE TABLE IF NOT EXISTS " + options.table +
                                " (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      !r.ok()) {
    return record_error(options, "creating the table", pg_why(conn, r));
  }
  auto done_rows = pg_run(conn, "SELECT name FROM " + options.table);
  if (!done_rows.ok()) return record_error(options, "reading", pg_why(conn, done_rows));
  std::set<std::string, std::less<>> done;
  for (int i = 0; i < done_rows.rows(); ++i) done.insert(done_rows.text(i, 0));

  std::vector<std::string> applied;
  for (const auto& m : migrations) {
    if (done.count(m.name)) continue;
    std::string name(m.name);
    // The record first: a file's own COMMIT (psql -f) then commits it with the file.
    PgResult step = pg_run(conn, "BEGIN");
    if (step.ok()) {
      step = pg_run(conn, "INSERT INTO " + options.table + " (name) VALUES ($1) ON CONFLICT DO NOTHING", {name});
    }
    if (step.ok()) step = pg_run(conn, std::string(m.text));
    if (step.ok()) step = pg_run(conn, "COMMIT");
    if (!step.ok()) {
      std::string why = pg_why(conn, step);
      (void)pg_run(conn, "ROLLBACK");
      return failed(m, why);
    }
    applied.push_back(name);
  }
  return applied;
}

}  // namespace

Result<std::vector<std::string>> migrate_sqlite(sqlite3* db, const EmbeddedFiles& migrations,
                                                const MigrationOptions& options) {
  if (!options.setup.empty()) {
    if (auto why = sqlite_exec(db, options.setup)) return record_error(options, "setting up", *why);
  }
  if (auto why = sqlite_exec(db,
                             "CREATE TABLE IF NOT EXISTS " + options.table +
                                 " (name TEXT PRIMARY KEY, "
                                 "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))")) {
    return record_error(options, "creating the table", *why);
  }
  std::set<std::string, std::less<>> done;
  {
    SqliteStatement st(db, "SELECT name FROM " + options.table);
    int rc = SQLITE_OK;
    while ((rc = st.step()) == SQLITE_ROW) done.insert(st.text(0));
    if (rc != SQLITE_DONE) return record_error(options, "reading", st.error());
  }
  std::vector<std::string> applied;
  for (const auto& m : migrations) {
    if (done.count(m.name)) continue;
    // IMMEDIATE takes the write lock now: another process opening the same file
    // (the proxy's commands next to its server) waits, then finds the record.
    if (auto why = sqlite_exec(db, "BEGIN IMMEDIATE")) return failed(m, *why);
    auto recorded = sqlite_recorded(db, options, m.name);
    std::optional<std::string> why;
    if (!recorded) {
      why = recorded.error().message;
    } else if (!recorded.value()) {
      why = sqlite_apply(db, m, options);
    }
    if (why) {
      (void)sqlite_exec(db, "ROLLBACK");
      return failed(m, *why);
    }
    if (auto commit = sqlite_exec(db, "COMMIT")) {
      (void)sqlite_exec(db, "ROLLBACK");
      return failed(m, *commit);
    }
    if (!recorded.value()) applied.emplace_back(m.name);
  }
  return applied;
}

Result<std::vector<std::string>> migrate_postgres(PGconn* conn, const EmbeddedFiles& migrations,
                                                  const MigrationOptions& options) {
  std::string key = std::to_string(options.lock_key);
  if (auto r = pg_run(conn, "SELECT pg_advisory_lock(" + key + ")"); !r.ok()) {
    return record_error(options, "taking the lock", pg_why(conn, r));
  }
  auto result = pg_migrate_locked(conn, migrations, options);
  (void)pg_run(conn, "SELECT pg_advisory_unlock(" + key + ")");
  return result;
}

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::string without_comments;
  std::size_t pos = 0;
  while (pos < script.size()) {
    std::size_t end = script.find('\n', pos);
    if (end == std::string_view::npos) end = script.size();
    std::string_view line = script.substr(pos, end - pos);
    if (auto dash = line.find("--"); dash != std::string_view::npos) line = line.substr(0, dash);
    without_comments.append(line);
    without_comments.push_back('\n');
    pos = end + 1;
  }

  std::vector<std::string> statements;
  std::string current;
  auto flush = [&] {
    std::size_t first = current.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) {
      std::size_t last = current.find_last_not_of(" \t\r\n");
      statements.push_back(current.substr(first, last - first + 1));
    }
    current.clear();
  };
  for (char c : without_comments) {
    if (c == ';') {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return statements;
}

std::optional<std::pair<std::string, std::string>> parse_add_column(std::string_view statement) {
  static const std::regex pattern(R"(^\s*ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+))", std::regex::icase);
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(statement.begin(), statement.end(), m, pattern)) return std::nullopt;
  return std::make_pair(m[1].str(), m[2].str());
}

}  // namespace kit
