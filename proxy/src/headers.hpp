#pragma once
/// \file Which headers cross the proxy, in each direction. Pure functions.

#include <httplib.h>

#include <string>
#include <string_view>

namespace proxy {

/// The headers sent to the agent server for a browser's chat request: the allowed
/// ones copied (X-Chat-Visitor, Last-Event-ID, Content-Type, Accept), the agent's
/// token injected, the forwarding headers set. Nothing else of the client's passes:
/// not its Authorization, Cookie, hop-by-hop or Accept-Encoding headers.
httplib::Headers chat_upstream_headers(const httplib::Headers& client, const std::string& client_addr,
                                       const std::string& request_id, const std::string& token);

/// The headers sent upstream for a widget asset: If-None-Match and the forwarding ones.
httplib::Headers widget_upstream_headers(const httplib::Headers& client, const std::string& client_addr,
                                         const std::string& request_id);

/// Copies the agent server's response headers a browser may see (Content-Type aside,
/// which httplib sets with the body): Cache-Control, ETag, Last-Modified, Retry-After.
void copy_downstream_headers(const httplib::Headers& upstream, httplib::Response& res);

}  // namespace proxy
