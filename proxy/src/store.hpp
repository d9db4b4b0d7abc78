#pragma once
/// \file The restaurants store: SQLite by default, PostgreSQL through libpq. Both
/// apply the numbered files of sql/proxy/ when they open (kit/migrations.hpp).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "kit/embedded.hpp"

namespace proxy {

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

/// Receives the name of each migration applied while opening (e.g. "002_migrate-chat").
using MigrationLog = std::function<void(std::string_view migration)>;

/// The restaurants table. Implementations are safe to call from many threads.
class RestaurantStore {
 public:
  virtual ~RestaurantStore() = default;
  /// nullopt when there is no such restaurant.
  virtual chat::Result<std::optional<RestaurantRow>> find(std::string_view id) = 0;
  /// Inserts a new row (created_at is set by the database).
  virtual chat::Result<void> insert(const RestaurantRow& row) = 0;
  /// Sets the token; false when there is no such restaurant.
  virtual chat::Result<bool> set_token(std::string_view id, std::string_view token) = 0;
  /// Sets the token only where none is stored yet; false when nothing changed.
  virtual chat::Result<bool> set_token_if_missing(std::string_view id, std::string_view token) = 0;
  /// Restaurants with an agent id and no token, in id order.
  virtual chat::Result<std::vector<RestaurantRow>> missing_tokens() = 0;
  /// Restaurants with an agent id, with or without a token, in id order.
  virtual chat::Result<std::vector<RestaurantRow>> with_agents() = 0;
  /// Sets the token only where the stored one is still `expected` (compare-and-set:
  /// a PATCH in between wins); false when nothing changed.
  virtual chat::Result<bool> replace_token(std::string_view id, std::string_view expected,
                                           std::string_view token) = 0;
  /// Whether the database can be written, for /healthz: a real write (one row of
  /// proxy_health, in its own transaction), run at most once a second (callers in
  /// between get the last answer). internal_error with the detail when it fails.
  virtual chat::Result<void> check_writable() = 0;
};

/// Opens `sqlite:PATH` or `postgres://...` and applies the migrations of sql/proxy/
/// it has not recorded yet. A table made before they were recorded (an earlier
/// chat-proxy, or the site's own) is completed, its rows kept, and recorded.
chat::Result<std::unique_ptr<RestaurantStore>> open_store(const std::string& database_url,
                                                          const MigrationLog& log);

chat::Result<std::unique_ptr<RestaurantStore>> open_sqlite_store(const std::string& path, const MigrationLog& log);
chat::Result<std::unique_ptr<RestaurantStore>> open_postgres_store(const std::string& url,
                                                                   const MigrationLog& log);

/// sql/proxy/sqlite/*.sql and sql/proxy/postgres/*.sql, embedded at build time
/// (chat_embed_migrations, cmake/ChatEmbed.cmake), in the order of their names.
const kit::EmbeddedFiles& sqlite_migrations();
const kit::EmbeddedFiles& postgres_migrations();

/// The table the applied files are recorded in, and the advisory lock proxies
/// starting together on one PostgreSQL database take turns on (not the agent
/// server's, so the two may share a database).
inline constexpr const char* kMigrationTable = "proxy_schema_migrations";
inline constexpr std::int64_t kMigrationLock = 72120342;

}  // namespace proxy
