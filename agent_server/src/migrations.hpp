#pragma once
// The numbered SQL files of sql/agent_server/, embedded at build time
// (chat_embed_migrations, cmake/ChatEmbed.cmake) so the server applies exactly what
// is committed, with kit's runner (kit/migrations.hpp).

#include <cstdint>

#include "kit/migrations.hpp"

namespace agent_server {

/// sql/agent_server/sqlite/*.sql, in the order of their names.
const kit::EmbeddedFiles& sqlite_migrations();
/// sql/agent_server/postgres/*.sql, in the order of their names.
const kit::EmbeddedFiles& postgres_migrations();

/// The table the applied files are recorded in (by name, e.g. "002_migrate-chat",
/// as since the first version) and the advisory lock instances take turns on.
inline constexpr const char* kMigrationTable = "schema_migrations";
inline constexpr std::int64_t kMigrationLock = 72120341;

}  // namespace agent_server
