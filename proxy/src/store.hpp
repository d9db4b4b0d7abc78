#pragma once
/// \file The restaurants store: SQLite by default, PostgreSQL through libpq. Both
/// bring an older `restaurants` table up to date when they open.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"

namespace chat::proxy {

/// One row of `restaurants`, token included: never serialise it as is.
struct RestaurantRow {
  std::string id;
  std::string name;
  std::string lang = "fr";
  std::string position = "bottom-right";
  std::optional<std::string> agent_id;
  std::optional<std::string> agent_api_token;
  std::string created_at;
};

/// Receives one human sentence per schema change made while opening.
using MigrationLog = std::function<void(std::string_view table, std::string_view change)>;

/// The restaurants table. Implementations are safe to call from many threads.
class RestaurantStore {
 public:
  virtual ~RestaurantStore() = default;
  /// nullopt when there is no such restaurant.
  virtual Result<std::optional<RestaurantRow>> find(std::string_view id) = 0;
  /// Inserts a new row (created_at is set by the database).
  virtual Result<void> insert(const RestaurantRow& row) = 0;
  /// Sets the token; false when there is no such restaurant.
  virtual Result<bool> set_token(std::string_view id, std::string_view token) = 0;
  /// Sets the token only where none is stored yet; false when nothing changed.
  virtual Result<bool> set_token_if_missing(std::string_view id, std::string_view token) = 0;
  /// Restaurants with an agent id and no token, in id order.
  virtual Result<std::vector<RestaurantRow>> missing_tokens() = 0;
  /// Restaurants with an agent id, with or without a token, in id order.
  virtual Result<std::vector<RestaurantRow>> with_agents() = 0;
  /// Sets the token only where the stored one is still `expected` (compare-and-set:
  /// a PATCH in between wins); false when nothing changed.
  virtual Result<bool> replace_token(std::string_view id, std::string_view expected, std::string_view token) = 0;
  /// Whether the database can be written, for /healthz: a real write (one row of
  /// proxy_health, in its own transaction), run at most once a second (callers in
  /// between get the last answer). internal_error with the detail when it fails.
  virtual Result<void> check_writable() = 0;
};

/// Opens `sqlite:PATH` or `postgres://...`, creating or migrating the table.
Result<std::unique_ptr<RestaurantStore>> open_store(const std::string& database_url,
                                                    const MigrationLog& log);

Result<std::unique_ptr<RestaurantStore>> open_sqlite_store(const std::string& path,
                                                           const MigrationLog& log);
Result<std::unique_ptr<RestaurantStore>> open_postgres_store(const std::string& url,
                                                             const MigrationLog& log);

/// The schema files of sql/proxy/, embedded at build time.
extern const char* const kSqliteSchema;
extern const char* const kPostgresSchema;

}  // namespace chat::proxy
