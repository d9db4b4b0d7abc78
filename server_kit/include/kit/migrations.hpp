#pragma once
// The one migration runner of both servers: the numbered SQL files of
// sql/<server>/<dialect>/, embedded by chat_embed_migrations (cmake/ChatEmbed.cmake),
// applied in order, each recorded by name in a table of its server.

#include <libpq-fe.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/error.hpp"
#include "kit/embedded.hpp"

namespace kit {

/// How one server migrates its database.
struct MigrationOptions {
  /// Where the applied files are recorded: `table (name TEXT PRIMARY KEY, applied_at)`.
  std::string table;
  /// The PostgreSQL advisory lock its instances take turns on while they migrate.
  std::int64_t lock_key = 0;
  /// SQL run before the files at every start (on PostgreSQL under the lock): tables
  /// that hold nothing of ours, such as the row a health probe writes.
  std::string setup;
};

/// Applies the migrations not yet recorded, in order, and returns their names.
/// SQLite: each file's statements and its record in one transaction; an
/// `ALTER TABLE t ADD COLUMN c` whose column exists is skipped (SQLite has no
/// IF NOT EXISTS there), so a file also completes a table an earlier version made.
/// Stops at the first failure: internal_error "migration <path> failed: <why>",
/// nothing of that file kept.
chat::Result<std::vector<std::string>> migrate_sqlite(sqlite3* db, const EmbeddedFiles& migrations,
                                                      const MigrationOptions& options);

/// The same on PostgreSQL, under `pg_advisory_lock(options.lock_key)`, so instances
/// starting together apply each file once. Each file runs whole (it may hold
/// `DO $$ ... $$` blocks), its record written first in the same transaction; a file
/// runnable by hand with `psql -f` may hold its own BEGIN/COMMIT, whose COMMIT then
/// commits the record with it (its BEGIN only warns: silence `conn`'s notices).
chat::Result<std::vector<std::string>> migrate_postgres(PGconn* conn, const EmbeddedFiles& migrations,
                                                        const MigrationOptions& options);

/// Splits a script into statements: `--` comments dropped, split on `;`. Enough for
/// our SQLite files, which keep semicolons out of strings and comments.
std::vector<std::string> split_sql_statements(std::string_view script);

/// For `ALTER TABLE t ADD COLUMN c ...`, the pair (t, c); nullopt for any other statement.
std::optional<std::pair<std::string, std::string>> parse_add_column(std::string_view statement);

}  // namespace kit
