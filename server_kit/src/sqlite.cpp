#include "kit/sqlite.hpp"

namespace kit {

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db), owned_(true) {
  rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
}

SqliteStatement::SqliteStatement(SqliteStatements& kept, std::string_view sql) : db_(kept.db()), owned_(false) {
  auto* prepared = kept.find_or_prepare(sql);
  if (!prepared) {
    owned_ = true;
    rc_ = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    return;
  }
  stmt_ = prepared->stmt;
  in_use_ = &prepared->in_use;
  *in_use_ = true;
}

SqliteStatement::~SqliteStatement() {
  if (owned_) {
    sqlite3_finalize(stmt_);
  } else {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  }
}

SqliteStatements::~SqliteStatements() {
  for (auto& [sql, prepared] : kept_) sqlite3_finalize(prepared.stmt);
}

SqliteStatements::Prepared* SqliteStatements::find_or_prepare(std::string_view sql) {
  // std::string keys: C++17's unordered_map has no lookup by string_view.
  std::string key(sql);
  if (auto it = kept_.find(key); it != kept_.end()) {
    // Nested use of one SQL text (a row loop calling itself): the inner one prepares its own.
    return it->second.in_use ? nullptr : &it->second;
  }
  if (kept_.size() >= kMaxKept) return nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                         nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return nullptr;  // the caller's own prepare reports the error
  }
  return &kept_.emplace(std::move(key), Prepared{stmt, false}).first->second;
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
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}

std::optional<std::string> SqliteStatement::optional_text(int col) const {
  if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
  return text(col);
}

}  // namespace kit
