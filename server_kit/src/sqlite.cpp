#include "kit/sqlite.hpp"

namespace kit {

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db), owned_(true) {
  rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
}

SqliteStatement::SqliteStatement(sqlite3_stmt* prepared)
    : db_(sqlite3_db_handle(prepared)), stmt_(prepared), owned_(false) {}

SqliteStatement::~SqliteStatement() {
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

SqliteStatement& SqliteStatement::bind(int i, std::string_view text) {
  if (ok()) rc_ = sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int i, const std::optional<std::string>& text) {
  if (text) return bind(i, std::string_view(*text));
  if (ok()) rc_ = sqlite3_bind_null(stmt_, i);
  return *this;
}

SqliteStatement& SqliteStatement::bind(int i, bool value) {
  if (ok()) rc_ = sqlite3_bind_int(stmt_, i, value ? 1 : 0);
  return *this;
}

int SqliteStatement::step() {
  if (!ok()) return rc_;
  rc_ = sqlite3_step(stmt_);
  return rc_;
}

std::string SqliteStatement::text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

std::optional<std::string> SqliteStatement::optional_text(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return text(col);
}

}  // namespace kit
