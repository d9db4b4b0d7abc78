#pragma once
// A SQLite prepared statement for both servers' stores.

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kit {

class SqliteStatement;

/// The statements of one connection, each prepared on its first use and kept for
/// the connection's life: compiling SQL was a quarter of the agent server's CPU per
/// request (bench/README.md, "Statements prepared once"). Used under the connection's lock,
/// like the connection; statements still in use are never handed out twice.
class SqliteStatements {
 public:
  explicit SqliteStatements(sqlite3* db) : db_(db) {}
  ~SqliteStatements();
  SqliteStatements(const SqliteStatements&) = delete;
  SqliteStatements& operator=(const SqliteStatements&) = delete;

  sqlite3* db() const { return db_; }

 private:
  friend class SqliteStatement;
  struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  /// The kept statement for sql, or nullptr when it can't be kept (it failed to
  /// compile, or too many are kept already): the caller prepares its own.
  Prepared* find_or_prepare(std::string_view sql);

  // SQL texts come from the code, so their number is small; the cap is a guard.
  static constexpr std::size_t kMaxKept = 256;
  sqlite3* db_;
  std::unordered_map<std::string, Prepared> kept_;
};

/// Prepared from SQL (finalised on scope exit), or borrowed from the statements a
/// connection keeps (reset and cleared on scope exit). bind() by 1-based position;
/// after a failure, the next binds and step() do nothing and ok() is false.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql);
  /// Borrowed from the connection's kept statements (prepared there on first use).
  SqliteStatement(SqliteStatements& kept, std::string_view sql);
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
  bool* in_use_ = nullptr;  // the kept statement's flag, when borrowed
  int rc_ = SQLITE_OK;
};

}  // namespace kit
