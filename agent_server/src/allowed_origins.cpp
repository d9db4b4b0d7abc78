#include "allowed_origins.hpp"

#include "chat/redact.hpp"
#include "kit/log.hpp"

namespace agent_server {

bool AllowedOrigins::contains(const std::string& origin) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!fresh_ || now - read_at_ >= ttl_) {
    auto all = storage_.allowed_origins();
    if (all) {
      origins_ = std::set<std::string>(all->begin(), all->end());
    } else {
      kit::log_event("error", "reading the allowed origins failed",
                     {{"error", chat::redact_secrets(all.error().message)}});
    }
    read_at_ = now;
    fresh_ = true;
  }
  return origins_.count(origin) > 0;
}

void AllowedOrigins::changed() {
  std::lock_guard lock(mutex_);
  fresh_ = false;
}

}  // namespace agent_server
