#pragma once
/// \file Clients to the agent server and what their failures mean to a browser.

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

#include "chat/error.hpp"
#include "config.hpp"

namespace chat::proxy {

/// A client for one request (httplib clients carry one request at a time): no URL
/// re-encoding (paths are already canonical), TCP_NODELAY, the given read timeout.
std::unique_ptr<httplib::Client> make_upstream_client(const Origin& origin, int read_timeout_ms);

/// What a failed upstream call becomes: 502 upstream_error, or 504 upstream_timeout
/// when the failure took the whole timeout. `kind` names it for metrics and logs.
struct UpstreamFailure {
  Error error;
  std::string kind;
};
UpstreamFailure classify_upstream_error(httplib::Error error, std::chrono::milliseconds elapsed,
                                        int read_timeout_ms);

}  // namespace chat::proxy
