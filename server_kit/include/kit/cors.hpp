#pragma once
// Cross-origin access for pages on other sites (the agent server's direct mode): the
// CORS preflights and the headers of the answers, on chosen path prefixes only.

#include <httplib.h>

#include <functional>
#include <string>
#include <vector>

namespace kit {

struct CorsPolicy {
  /// Paths whose answers a page on an allowed origin may read ("/api/chat/").
  std::vector<std::string> prefixes;
  /// Public static files any page may load ("/widget/"): `Access-Control-Allow-Origin: *`
  /// on their GETs (no credentials are ever allowed). Preflights follow `allowed`.
  std::vector<std::string> public_prefixes;
  /// Whether the origin a browser sent may call; asked for each request with an
  /// `Origin` on those paths, before any token is read: keep it cheap (cache).
  std::function<bool(const std::string& origin)> allowed;
  std::string methods = "GET, POST, DELETE";
  std::string headers = "Authorization, Content-Type, X-Chat-Visitor, Last-Event-ID";
  std::string exposed = "Retry-After, X-Request-Id";
  int max_age_seconds = 600;
};

/// Sets the CORS headers of `res` for `req` under `policy` (`Vary: Origin` on every
/// answer of `prefixes`; the origin echoed, never `*`, when it is allowed), and
/// answers a preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`):
/// 204 for an allowed origin, else 403 origin_not_allowed without CORS headers (the
/// browser then refuses the call). Returns true when it answered.
bool apply_cors(const CorsPolicy& policy, const httplib::Request& req, httplib::Response& res);

}  // namespace kit
