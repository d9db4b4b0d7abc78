#pragma once
/// \file What every handler of the proxy shares.

#include <httplib.h>

#include <atomic>
#include <string>

#include "chat/error.hpp"
#include "config.hpp"
#include "kit/budgets.hpp"
#include "kit/http.hpp"
#include "metrics.hpp"
#include "store.hpp"
#include "upstream.hpp"

namespace proxy {

/// The server's state, owned by ProxyServer and outliving every request.
struct Context {
  explicit Context(Config c)
      : config(std::move(c)), budgets(config.budgets), upstream(config.agent_server, config.upstream) {}
  Config config;
  RestaurantStore* store = nullptr;
  Metrics metrics;
  kit::ClientBudgets budgets;         ///< per client address, checked before relaying
  Upstream upstream;                  ///< the agent server, its kept-alive connections
  std::atomic<bool> stopping{false};  ///< set first on shutdown: streams end
};

/// Per-request facts for the log line, beside the kit's request id and start. Every
/// step of a request (routing, handler, stream provider, logger) runs on the same
/// httplib worker thread, so they live in a thread_local until taken.
struct RequestFacts {
  std::string restaurant_id;
  std::string upstream_error;
};
/// Takes this thread's facts and clears them.
RequestFacts take_request_facts();

/// The request id of the request being handled on this thread (X-Request-Id).
const std::string& current_request_id();
/// Attaches the restaurant id to this request's log line.
void note_restaurant(const std::string& restaurant_id);
/// Attaches an upstream failure to this request's log line.
void note_upstream_error(const std::string& kind);

}  // namespace proxy
