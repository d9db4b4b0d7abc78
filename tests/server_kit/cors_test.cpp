// kit::apply_cors called directly: which requests it answers, which headers it sets.
#include <catch2/catch.hpp>

#include "kit/cors.hpp"

namespace {

kit::CorsPolicy policy() {
  kit::CorsPolicy p;
  p.prefixes = {"/api/chat/"};
  p.public_prefixes = {"/widget/"};
  p.allowed = [](const std::string& origin) { return origin == "https://site.fr"; };
  return p;
}

httplib::Request request(const std::string& method, const std::string& path, const std::string& origin,
                         bool preflight = false) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  if (!origin.empty()) req.headers.emplace("Origin", origin);
  if (preflight) req.headers.emplace("Access-Control-Request-Method", "POST");
  return req;
}

}  // namespace

TEST_CASE("preflights: 204 with the origin echoed when allowed, a JSON 403 without CORS otherwise") {
  httplib::Response ok;
  REQUIRE(kit::apply_cors(policy(), request("OPTIONS", "/api/chat/sessions", "https://site.fr", true), ok));
  CHECK(ok.status == 204);
  CHECK(ok.get_header_value("Access-Control-Allow-Origin") == "https://site.fr");
  CHECK(ok.get_header_value("Access-Control-Allow-Headers") ==
        "Authorization, Content-Type, X-Chat-Visitor, Last-Event-ID");
  CHECK(ok.get_header_value("Access-Control-Allow-Methods") == "GET, POST, DELETE");
  CHECK(ok.get_header_value("Access-Control-Max-Age") == "600");
  CHECK(ok.get_header_value("Vary") == "Origin");
  CHECK_FALSE(ok.has_header("Access-Control-Allow-Credentials"));

  httplib::Response refused;
  REQUIRE(kit::apply_cors(policy(), request("OPTIONS", "/api/chat/sessions", "https://evil.fr", true), refused));
  CHECK(refused.status == 403);
  CHECK(refused.body.find("\"origin_not_allowed\"") != std::string::npos);
  CHECK_FALSE(refused.has_header("Access-Control-Allow-Origin"));

  // The widget's preflights follow the same rule.
  httplib::Response widget;
  CHECK(kit::apply_cors(policy(), request("OPTIONS", "/widget/chat-core.js", "https://evil.fr", true), widget));
  CHECK(widget.status == 403);
}

TEST_CASE("other requests: headers only, and only on the policy's paths") {
  httplib::Response allowed;
  CHECK_FALSE(kit::apply_cors(policy(), request("POST", "/api/chat/sessions", "https://site.fr"), allowed));
  CHECK(allowed.get_header_value("Access-Control-Allow-Origin") == "https://site.fr");
  CHECK(allowed.get_header_value("Access-Control-Expose-Headers") == "Retry-After, X-Request-Id");
  CHECK(allowed.get_header_value("Vary") == "Origin");

  httplib::Response foreign;
  CHECK_FALSE(kit::apply_cors(policy(), request("POST", "/api/chat/sessions", "https://evil.fr"), foreign));
  CHECK_FALSE(foreign.has_header("Access-Control-Allow-Origin"));
  CHECK(foreign.get_header_value("Vary") == "Origin");

  httplib::Response server;  // no Origin: the site's proxy
  CHECK_FALSE(kit::apply_cors(policy(), request("POST", "/api/chat/sessions", ""), server));
  CHECK_FALSE(server.has_header("Access-Control-Allow-Origin"));

  httplib::Response file;
  CHECK_FALSE(kit::apply_cors(policy(), request("GET", "/widget/chat.js", "https://evil.fr"), file));
  CHECK(file.get_header_value("Access-Control-Allow-Origin") == "*");

  for (const char* path : {"/api/agents", "/api/chatx", "/healthz", "/metrics"}) {
    httplib::Response other;
    CHECK_FALSE(kit::apply_cors(policy(), request("OPTIONS", path, "https://site.fr", true), other));
    CHECK(other.headers.empty());
  }
}
