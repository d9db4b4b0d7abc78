#pragma once

#include <memory>
#include <string>

#include "storage.hpp"

namespace agent_server {

/// PostgreSQL backend through libpq: a small pool of connections, parameterised
/// queries only.
chat::Result<std::unique_ptr<Storage>> open_pg_storage(const std::string& url);

}  // namespace agent_server
