#pragma once
/// \file What every handler of the proxy shares.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <string>

#include "chat/error.hpp"
#include "config.hpp"
#include "metrics.hpp"
#include "store.hpp"

namespace chat::proxy {

/// The server's state, owned by ProxyServer and outliving every request.
struct Context {
  Config config;
  RestaurantStore* store = nullptr;
  Metrics metrics;
  std::atomic<bool> stopping{false};  ///< set first on shutdown: streams end
};

/// Answers with the JSON error body of DESIGN.md and its status.
void reply_error(httplib::Response& res, const Error& error);
/// Answers 200 (or `status`) with a JSON body.
void reply_json(httplib::Response& res, const std::string& body, int status = 200);

/// Per-request facts for the log line. Every step of a request (routing, handler,
/// stream provider, logger) runs on the same httplib worker thread, so they live in
/// a thread_local between begin_request() and finish_request().
struct RequestFacts {
  std::string request_id;
  std::string restaurant_id;
  std::string upstream_error;
  std::chrono::steady_clock::time_point start;
};
/// Starts the facts of a new request on this thread.
void begin_request(std::string request_id);
/// Takes this thread's facts and clears them; a request that never began (httplib
/// refused it before routing) gets a fresh id.
RequestFacts finish_request();

/// The request id of the request being handled on this thread (X-Request-Id).
const std::string& current_request_id();
/// Attaches the restaurant id to this request's log line.
void note_restaurant(const std::string& restaurant_id);
/// Attaches an upstream failure to this request's log line.
void note_upstream_error(const std::string& kind);

}  // namespace chat::proxy
