#include "relay.hpp"

#include <chrono>
#include <optional>

#include "chat/api.hpp"
#include "headers.hpp"
#include "kit/client_address.hpp"
#include "kit/log.hpp"
#include "path.hpp"
#include "stream_relay.hpp"
#include "upstream.hpp"

namespace chat::proxy {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long a stream provider sleeps before looking at the shutdown flag again.
constexpr milliseconds kProviderWait{500};

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

void fail_upstream(Context& ctx, httplib::Response& res, httplib::Error error, Clock::time_point start,
                   int timeout_ms) {
  auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  auto failure = classify_upstream_error(error, elapsed, timeout_ms);
  ctx.metrics.count_upstream_error(failure.kind);
  note_upstream_error(failure.kind);
  kit::send_error(res, failure.error);
}

// Copies a finished upstream answer (status, allowed headers, body) to the browser.
void reply_relayed(httplib::Response& res, int status, const httplib::Headers& headers,
                   std::string body) {
  res.status = status;
  copy_downstream_headers(headers, res);
  if (!body.empty() || headers.count("Content-Type") > 0) {
    res.set_content(std::move(body), header_or(headers, "Content-Type", "application/octet-stream"));
  }
}

// Plain requests: one synchronous call on this worker thread.
void relay_plain(Context& ctx, httplib::Response& res, httplib::Request upstream) {
  auto start = Clock::now();
  int timeout_ms = ctx.config.upstream_timeout_ms;
  auto cli = make_upstream_client(ctx.config.agent_server, timeout_ms);
  auto result = cli->send(upstream);
  if (!result) return fail_upstream(ctx, res, result.error(), start, timeout_ms);
  reply_relayed(res, result->status, result->headers, std::move(result->body));
}

// Event streams: the head within the plain timeout, then chunks as they come, with
// a read timeout above the agent server's heartbeat gap.
void relay_stream(Context& ctx, httplib::Response& res, httplib::Request upstream) {
  auto start = Clock::now();
  int timeout_ms = ctx.config.upstream_timeout_ms;
  auto relay = std::make_shared<StreamRelay>(
      make_upstream_client(ctx.config.agent_server, ctx.config.stream_idle_timeout_ms),
      std::move(upstream));
  auto head = relay->wait_head(start + milliseconds(timeout_ms));
  if (!head) {
    bool timed_out = relay->error() == httplib::Error::Success;  // still waiting
    relay->cancel();
    relay->wait_finished(Clock::now() + milliseconds(timeout_ms));
    if (timed_out) {
      ctx.metrics.count_upstream_error("timeout");
      note_upstream_error("timeout");
      return kit::send_error(res, Error(ErrorCode::upstream_timeout, "the agent server did not answer in time"));
    }
    return fail_upstream(ctx, res, relay->error(), start, timeout_ms);
  }

  if (head->status != 200 || !is_event_stream(head->headers)) {
    if (!relay->wait_finished(Clock::now() + milliseconds(timeout_ms))) {
      relay->cancel();
      ctx.metrics.count_upstream_error("timeout");
      note_upstream_error("timeout");
      return kit::send_error(res, Error(ErrorCode::upstream_timeout, "the agent server did not answer in time"));
    }
    return reply_relayed(res, head->status, head->headers, relay->take_all());
  }

  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  ctx.metrics.stream_opened();
  // Exactly "text/event-stream": with a charset httplib would compress and buffer.
  res.set_chunked_content_provider(
      "text/event-stream",
      [relay, &ctx](std::size_t, httplib::DataSink& sink) {
        return relay->relay_to(sink, ctx.stopping, kProviderWait);
      },
      [relay, &ctx](bool) {
        relay->cancel();
        ctx.metrics.stream_closed();
      });
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
    auto phone = api::decode_phone(body, restaurant.lang);
    if (!phone) return std::nullopt;
    return ctx.budgets.take_sms(client, phone->phone);
  }
  return std::nullopt;
}

}  // namespace

void handle_chat(Context& ctx, const httplib::Request& req, httplib::Response& res,
                 const std::string& body) {
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

  httplib::Request upstream;
  upstream.method = req.method;
  upstream.path = target->path_and_query();
  upstream.headers = chat_upstream_headers(req.headers, client, current_request_id(), *restaurant.agent_api_token);
  upstream.body = body;
  if (req.method == "GET" && ends_with(target->path, "/events")) {
    relay_stream(ctx, res, std::move(upstream));
  } else {
    relay_plain(ctx, res, std::move(upstream));
  }
}

void handle_widget(Context& ctx, const httplib::Request& req, httplib::Response& res) {
  auto path = decide_widget_path(req.target);
  if (!path) return kit::send_error(res, path.error());
  httplib::Request upstream;
  upstream.method = "GET";
  upstream.path = *path;
  upstream.headers = widget_upstream_headers(req.headers, kit::client_address(req, ctx.config.trusted_proxies),
                                             current_request_id());
  relay_plain(ctx, res, std::move(upstream));
}

}  // namespace chat::proxy
