#pragma once
// Splitting a configured URL (LLM_BASE_URL, SMS_WEBHOOK_URL) into what
// httplib::Client wants: the origin for the constructor and the path for requests.

#include <string>
#include <string_view>

#include "chat/error.hpp"

namespace agent_server {

struct UpstreamUrl {
  std::string origin;  ///< "http://host:port" or "https://host"
  std::string path;    ///< "/v1" or "" (never ends with '/')
};

/// Accepts http:// and https:// URLs with an optional port and path; a query or a
/// fragment is refused (invalid_request), as is any other scheme.
chat::Result<UpstreamUrl> parse_upstream_url(std::string_view url);

}  // namespace agent_server
