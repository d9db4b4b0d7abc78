#include "upstream_url.hpp"

namespace agent_server {

chat::Result<UpstreamUrl> parse_upstream_url(std::string_view url) {
  auto bad = [&](const char* why) {
    return chat::Error(chat::ErrorCode::invalid_request, std::string("bad URL: ") + why);
  };
  std::string_view rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else {
    return bad("it must start with http:// or https://");
  }
  if (url.find_first_of("?#") != std::string_view::npos) return bad("no query or fragment allowed");
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (authority.empty()) return bad("it has no host");
  // Credentials in the URL would end up in logs and errors; tokens go in their own settings.
  if (authority.find('@') != std::string_view::npos) return bad("no user or password in the URL");
  UpstreamUrl out;
  out.origin = std::string(url.substr(0, url.size() - rest.size())) + std::string(authority);
  if (slash != std::string_view::npos) out.path = std::string(rest.substr(slash));
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  return out;
}

}  // namespace agent_server
