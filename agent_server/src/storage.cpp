#include "storage.hpp"

#include "pg_storage.hpp"
#include "sqlite_storage.hpp"

namespace agent_server {

chat::Result<std::unique_ptr<Storage>> open_storage(const std::string& url) {
  auto starts_with = [&](std::string_view prefix) { return url.rfind(prefix, 0) == 0; };
  if (starts_with("sqlite:")) {
    std::string path = url.substr(7);
    if (path.empty()) return chat::Error(chat::ErrorCode::invalid_request, "sqlite: needs a path");
    return open_sqlite_storage(path);
  }
  if (starts_with("postgres://") || starts_with("postgresql://")) return open_pg_storage(url);
  return chat::Error(chat::ErrorCode::invalid_request, "database URL must start with sqlite: or postgres://");
}

}  // namespace agent_server
