#include "kit/cors.hpp"

#include "kit/http.hpp"

namespace kit {
namespace {

bool starts_with_any(const std::string& path, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes) {
    if (path.compare(0, p.size(), p) == 0) return true;
  }
  return false;
}

}  // namespace

bool apply_cors(const CorsPolicy& policy, const httplib::Request& req, httplib::Response& res) {
  const bool is_public = starts_with_any(req.path, policy.public_prefixes);
  const bool is_private = !is_public && starts_with_any(req.path, policy.prefixes);
  if (!is_public && !is_private) return false;
  // The answer depends on Origin: caches must keep one per origin.
  if (is_private) res.set_header("Vary", "Origin");
  const std::string origin = req.get_header_value("Origin");
  const bool preflight = req.method == "OPTIONS" && !origin.empty() &&
                         req.has_header("Access-Control-Request-Method");
  if (is_public && !preflight) {
    if (req.method == "GET" || req.method == "HEAD") res.set_header("Access-Control-Allow-Origin", "*");
    return false;
  }
  if (origin.empty()) return false;
  const bool allowed = policy.allowed && policy.allowed(origin);
  if (!preflight) {
    if (allowed) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Access-Control-Expose-Headers", policy.exposed);
    }
    return false;
  }
  if (!allowed) {
    send_error(res, chat::Error(chat::ErrorCode::origin_not_allowed,
                                "no agent allows calls from " + origin.substr(0, 200)));
    return true;
  }
  if (is_public) res.set_header("Vary", "Origin");
  res.status = 204;
  res.set_header("Access-Control-Allow-Origin", origin);
  res.set_header("Access-Control-Allow-Methods", policy.methods);
  res.set_header("Access-Control-Allow-Headers", policy.headers);
  res.set_header("Access-Control-Max-Age", std::to_string(policy.max_age_seconds));
  return true;
}

}  // namespace kit
