#pragma once
// A SQLite prepared statement for both servers' stores.

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>

namespace kit {

/// Prepared from SQL (finalised on scope exit), or borrowed from a statement
/// prepared once (reset and cleared on scope exit). bind() by 1-based position;
/// after a failure, the next binds and step() do nothing and ok() is false.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql);
  explicit SqliteStatement(sqlite3_stmt* prepared);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK || rc_ == SQLITE_ROW || rc_ == SQLITE_DONE; }
  sqlite3_stmt* get() const { return stmt_; }

  SqliteStatement& bind(int i, std::string_view text);
  SqliteStatement& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
  SqliteStatement& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
  SqliteStatement& bind(int i, const std::optional<std::string>& text);
  SqliteStatement& bind(int i, bool value);
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int step();

  std::string text(int col) const;
  std::optional<std::string> optional_text(int col) const;
  bool boolean(int col) const { return sqlite3_column_int(stmt_, col) != 0; }
  /// The database's last error message.
  std::string error() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  bool owned_;
  int rc_ = SQLITE_OK;
};

}  // namespace kit
