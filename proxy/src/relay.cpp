#include "relay.hpp"

#include <chrono>
#include <optional>

#include "chat/api/chat.hpp"
#include "headers.hpp"
#include "kit/client_address.hpp"
#include "kit/log.hpp"
#include "kit/threads.hpp"
#include "path.hpp"
#include "upstream.hpp"

namespace proxy {

using chat::Error;
using chat::ErrorCode;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a stream provider waits for upstream bytes before looking at the
// shutdown flag and the browser again.
constexpr milliseconds kProviderWait{500};
// An answer other than a stream on the events route is an error body: small.
constexpr std::size_t kMaxRelayedErrorBytes = 1 << 20;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool is_event_stream(const httplib::Headers& headers) {
  auto it = headers.find("Content-Type");
  return it != headers.end() && it->second.rfind("text/event-stream", 0) == 0;
}

std::string header_or(const httplib::Headers& headers, const char* name, const char* fallback) {
  auto it = headers.find(name);
  return it == headers.end() ? fallback : it->second;
}

UpstreamFailure count_failure(Context& ctx, WireError error) {
  auto failure = classify_upstream_error(error);
  ctx.metrics.count_upstream_error(failure.kind);
  note_upstream_error(failure.kind);
  return failure;
}

void fail_upstream(Context& ctx, httplib::Response& res, WireError error) {
  kit::send_error(res, count_failure(ctx, error).error);
}

// Copies a finished upstream answer (status, allowed headers, body) to the browser.
// httplib 0.11 copies the body (set_content takes a const&): no use moving it here.
void reply_relayed(httplib::Response& res, const ResponseHead& head, const std::string& body) {
  res.status = head.status;
  copy_downstream_headers(head.headers, res);
  if (!body.empty() || head.headers.count("Content-Type") > 0) {
    res.set_content(body, header_or(head.headers, "Content-Type", "application/octet-stream"));
  }
}

// Plain requests: one call on a pooled connection, on this worker thread.
void relay_plain(Context& ctx, httplib::Response& res, const UpstreamRequest& upstream) {
  auto answer = ctx.upstream.call(upstream, Clock::now() + milliseconds(ctx.config.upstream_timeout_ms));
  if (answer.error != WireError::none) return fail_upstream(ctx, res, answer.error);
  reply_relayed(res, answer.head, answer.body);
}

// Copies an event stream's body to the browser as it comes, on the worker that
// serves the browser (no other thread): reads wait at most kProviderWait, so a
// shutdown and a browser gone quiet are both seen between events. Ends cleanly
// (the browser's EventSource reconnects with Last-Event-ID) when the upstream ends,
// fails or stays silent past PROXY_STREAM_IDLE_MS, or the proxy stops; false when
// the browser is gone.
bool relay_events(Context& ctx, UpstreamConnection& upstream, httplib::DataSink& sink) {
  kit::trim_stack();  // this worker now waits here for the stream's whole life
  const milliseconds idle_limit(ctx.config.stream_idle_timeout_ms);
  auto silent_until = Clock::now() + idle_limit;
  std::string piece;
  while (!ctx.stopping) {
    bool ended = false;
    auto error = upstream.read_body(piece, ended, std::min(Clock::now() + kProviderWait, silent_until));
    if (!piece.empty()) {
      if (!sink.write(piece.data(), piece.size())) return false;
      piece.clear();
      silent_until = Clock::now() + idle_limit;
    }
    if (ended) break;
    if (error == WireError::timeout && Clock::now() < silent_until) {
      if (!sink.is_writable()) return false;
      continue;
    }
    if (error != WireError::none) {
      count_failure(ctx, error);
      break;
    }
  }
  sink.done();
  return true;
}

// Event streams: the head within the plain timeout, then the body as it comes.
void relay_stream(Context& ctx, httplib::Response& res, const UpstreamRequest& upstream) {
  const auto timeout = milliseconds(ctx.config.upstream_timeout_ms);
  auto opened = ctx.upstream.open(upstream, Clock::now() + timeout);
  if (!opened.connection) return fail_upstream(ctx, res, opened.error);

  if (opened.head.status != 200 || !is_event_stream(opened.head.headers)) {
    std::string body;
    auto error = opened.connection->read_body_to_end(body, kMaxRelayedErrorBytes, Clock::now() + timeout);
    if (error != WireError::none) return fail_upstream(ctx, res, error);
    ctx.upstream.release(std::move(opened.connection));
    return reply_relayed(res, opened.head, body);
  }

  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  ctx.metrics.stream_opened();
  std::shared_ptr<UpstreamConnection> connection = std::move(opened.connection);
  // Exactly "text/event-stream": with a charset httplib would compress and buffer.
  res.set_chunked_content_provider(
      "text/event-stream",
      [connection, &ctx](std::size_t, httplib::DataSink& sink) { return relay_events(ctx, *connection, sink); },
      [&ctx](bool) { ctx.metrics.stream_closed(); });
}

// The per-client budget a relayed call spends, checked here at the edge (and again
// by the agent server): nullopt when it may pass.
std::optional<Error> spend_budget(Context& ctx, const httplib::Request& req, const ChatTarget& target,
                                  const RestaurantRow& restaurant, const std::string& body,
                                  const std::string& client) {
  if (req.method != "POST") return std::nullopt;
  if (target.path == "/api/chat/sessions") return ctx.budgets.take(kit::Budget::sessions, client);
  if (ends_with(target.path, "/messages")) return ctx.budgets.take(kit::Budget::messages, client);
  if (ends_with(target.path, "/phone")) {
    // A number the agent server would refuse costs nothing here; it answers 422.
    auto phone = chat::api::decode_phone(body, restaurant.lang);
    if (!phone) return std::nullopt;
    return ctx.budgets.take_sms(client, phone->phone);
  }
  return std::nullopt;
}

}  // namespace

void handle_chat(Context& ctx, const httplib::Request& req, httplib::Response& res, const std::string& body) {
  // DELETE: a visitor erasing their conversation (with X-Chat-Visitor, as every call).
  if (req.method != "GET" && req.method != "POST" && req.method != "DELETE") {
    return kit::send_error(res, Error(ErrorCode::method_not_allowed, "only GET, POST and DELETE are relayed"));
  }
  auto target = decide_chat_target(req.target);
  if (!target) return kit::send_error(res, target.error());
  note_restaurant(target->restaurant_id);

  auto found = ctx.store->find(target->restaurant_id);
  if (!found) {
    kit::log_error({{"msg", "store error"}, {"error", found.error().message}});
    return kit::send_error(res, Error(ErrorCode::internal_error));
  }
  if (!*found) return kit::send_error(res, ErrorCode::restaurant_not_found);
  const auto& restaurant = **found;
  if (!restaurant.agent_api_token || restaurant.agent_api_token->empty()) {
    return kit::send_error(res, Error(ErrorCode::chat_unavailable, "this restaurant's chat is not set up"));
  }

  const std::string client = kit::client_address(req, ctx.config.trusted_proxies);
  if (!ctx.config.trusted_proxies.contains(client)) {
    if (auto refused = spend_budget(ctx, req, *target, restaurant, body, client)) {
      return kit::send_error(res, *refused);
    }
  }

  UpstreamRequest upstream{
      req.method, target->path_and_query(),
      chat_upstream_headers(req.headers, client, current_request_id(), *restaurant.agent_api_token), body};
  if (req.method == "GET" && ends_with(target->path, "/events")) {
    relay_stream(ctx, res, upstream);
  } else {
    relay_plain(ctx, res, upstream);
  }
}

void handle_widget(Context& ctx, const httplib::Request& req, httplib::Response& res) {
  auto path = decide_widget_path(req.target);
  if (!path) return kit::send_error(res, path.error());
  UpstreamRequest upstream{"GET",
                           *path,
                           widget_upstream_headers(req.headers,
                                                   kit::client_address(req, ctx.config.trusted_proxies),
                                                   current_request_id()),
                           {}};
  relay_plain(ctx, res, upstream);
}

}  // namespace proxy
