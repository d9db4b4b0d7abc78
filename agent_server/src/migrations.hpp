#pragma once
// The SQL files of sql/agent_server/, embedded at build time so the server applies
// exactly what is committed.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agent_server {

struct Migration {
  std::string_view name;  ///< the file's stem, e.g. "002_migrate-chat"
  std::string_view sql;   ///< the file's whole text
};

/// The migrations of one dialect ("postgres" or "sqlite"), in the order to apply them.
const std::vector<Migration>& migrations_for(std::string_view dialect);

/// Splits a script into statements: `--` comments dropped, split on `;`. Enough for
/// our own files, which keep semicolons out of strings and comments.
std::vector<std::string> split_sql_statements(std::string_view script);

/// For `ALTER TABLE t ADD COLUMN c ...`, the pair (t, c); nullopt for any other statement.
std::optional<std::pair<std::string, std::string>> parse_add_column(std::string_view statement);

}  // namespace agent_server
