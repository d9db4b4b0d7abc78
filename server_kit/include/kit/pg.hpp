#pragma once
// A PostgreSQL result for both servers' stores.

#include <libpq-fe.h>

#include <optional>
#include <string>
#include <utility>

namespace kit {

/// Owns one PGresult (cleared on scope exit); movable.
class PgResult {
 public:
  explicit PgResult(PGresult* r = nullptr) : r_(r) {}
  ~PgResult() { PQclear(r_); }
  PgResult(PgResult&& other) noexcept : r_(std::exchange(other.r_, nullptr)) {}
  PgResult& operator=(PgResult&& other) noexcept {
    if (this != &other) {
      PQclear(r_);
      r_ = std::exchange(other.r_, nullptr);
    }
    return *this;
  }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;

  PGresult* get() const { return r_; }
  explicit operator bool() const { return r_ != nullptr; }
  /// A command or a query that succeeded.
  bool ok() const {
    auto status = PQresultStatus(r_);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  int rows() const { return PQntuples(r_); }
  std::string text(int row, int column) const { return PQgetvalue(r_, row, column); }
  std::optional<std::string> optional_text(int row, int column) const {
    if (PQgetisnull(r_, row, column)) return std::nullopt;
    return text(row, column);
  }

 private:
  PGresult* r_;
};

}  // namespace kit
