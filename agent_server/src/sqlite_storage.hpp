#pragma once

#include <memory>
#include <string>

#include "storage.hpp"

namespace agent_server {

/// SQLite backend: one connection in WAL mode with a busy timeout, serialised by a
/// mutex (SQLite writes one at a time anyway).
chat::Result<std::unique_ptr<Storage>> open_sqlite_storage(const std::string& path);

}  // namespace agent_server
