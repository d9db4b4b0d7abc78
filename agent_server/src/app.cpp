#include "app.hpp"

#include <sys/socket.h>

#include <chrono>
#include <cstdint>

#include "chat/validation.hpp"
#include "http_util.hpp"
#include "log.hpp"
#include "pg_events.hpp"
#include "task_queue.hpp"

namespace agent_server {
namespace {

// What the logger needs about the request this worker thread is serving. The
// pre-routing handler, the route and the logger of one request run on one thread.
struct RequestScope {
  std::chrono::steady_clock::time_point start{};
  std::string label;
  bool counted = false;  // in /metrics already (counted before the response is written)
};
thread_local RequestScope t_scope;

Route route(const char* method, const char* label, const char* pattern, Handler handler) {
  return Route{method, label, std::regex(pattern), handler};
}

chat::ErrorCode code_for_status(int status) {
  switch (status) {
    case 404: return chat::ErrorCode::not_found;
    case 405: return chat::ErrorCode::method_not_allowed;
    case 413: return chat::ErrorCode::payload_too_large;
    case 415: return chat::ErrorCode::unsupported_media_type;
    case 503: return chat::ErrorCode::server_busy;
    default: return status >= 500 ? chat::ErrorCode::internal_error : chat::ErrorCode::invalid_request;
  }
}

// The Content-Length header as a number (0 when absent, huge when unparsable).
std::uint64_t declared_length(const httplib::Request& req) {
  if (!req.has_header("Content-Length")) return 0;
  std::string text = req.get_header_value("Content-Length");
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
    return UINT64_MAX;
  }
  return std::stoull(text);
}

}  // namespace

std::vector<Route> make_routes() {
  return {
      route("POST", "/api/agents", "/api/agents", post_agents),
      route("GET", "/api/agents/:id", "/api/agents/([^/]+)", get_agent),
      route("PATCH", "/api/agents/:id", "/api/agents/([^/]+)", patch_agent),
      route("POST", "/api/agents/:id/rotate-tokens", "/api/agents/([^/]+)/rotate-tokens", rotate_tokens),
      route("POST", "/api/chat/sessions", "/api/chat/sessions", post_sessions),
      route("GET", "/api/chat/sessions/:id", "/api/chat/sessions/([^/]+)", get_session),
      route("POST", "/api/chat/sessions/:id/messages", "/api/chat/sessions/([^/]+)/messages", post_message),
      route("GET", "/api/chat/sessions/:id/events", "/api/chat/sessions/([^/]+)/events", get_events),
      route("POST", "/api/chat/sessions/:id/phone", "/api/chat/sessions/([^/]+)/phone", post_phone),
      route("POST", "/api/chat/sessions/:id/verify", "/api/chat/sessions/([^/]+)/verify", post_verify),
      route("GET", "/widget/*", "/widget/(.+)", get_widget),
      route("GET", "/healthz", "/healthz", get_healthz),
      route("GET", "/metrics", "/metrics", get_metrics),
  };
}

chat::Result<std::unique_ptr<App>> App::create(Config config) {
  auto storage = open_storage(config.database_url);
  if (!storage) return storage.error();
  auto applied = storage.value()->migrate();
  if (!applied) return applied.error();
  for (const auto& name : applied.value()) {
    log_event("info", "migration applied", {{"migration", name}, {"backend", storage.value()->backend()}});
  }
  auto sms = make_sms_sender(WebhookOptions{config.sms_webhook_url, config.sms_webhook_token});
  if (!sms) return sms.error();
  log_event("info", "sms sender", {{"kind", sms.value()->kind()}});
  std::unique_ptr<App> app(new App(std::move(config), std::move(storage).value(), std::move(sms).value()));
  if (auto r = share_live_events(app->config_, app->hub_, *app->storage_); !r) return r.error();
  return app;
}

App::App(Config config, std::unique_ptr<Storage> storage, std::unique_ptr<SmsSender> sms)
    : config_(std::move(config)),
      storage_(std::move(storage)),
      sms_(std::move(sms)),
      limiter_(config_.session_messages_per_minute, config_.agent_messages_per_minute),
      models_(ModelOptions{config_.local_model_word_ms, config_.llm_base_url, config_.llm_api_key,
                           std::chrono::milliseconds(config_.llm_connect_timeout_ms),
                           std::chrono::milliseconds(config_.llm_idle_timeout_ms)}),
      replies_(*storage_, hub_, metrics_, models_),
      services_{config_, *storage_, hub_, metrics_, limiter_, replies_, *sms_},
      routes_(make_routes()) {
  install_handlers();
}

App::~App() { stop(); }

void App::install_handlers() {
  // Each open event stream holds a worker for its whole life (NOTES.md): workers
  // start on demand up to the thread limit, and past it connections get a 503.
  server_.new_task_queue = [this] {
    return new WorkerPool(static_cast<std::size_t>(config_.threads), metrics_);
  };
  server_.set_tcp_nodelay(true);
  // The library's default closes a kept-alive connection after 5 requests; a
  // proxy or a busy client would reconnect all the time.
  server_.set_keep_alive_max_count(100);
  // Bodies with a Content-Length are refused by the library; chunked ones by read_body.
  server_.set_payload_max_length(chat::kMaxBodyBytes);
  server_.set_socket_options([this](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    int expected = -1;
    listen_fd_.compare_exchange_strong(expected, fd);
  });

  server_.set_pre_routing_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    t_scope.start = std::chrono::steady_clock::now();
    t_scope.label = "unmatched";
    res.set_header("X-Request-Id", request_id(req));
    if (WorkerPool::shedding()) {
      // Every worker is busy: say so at once rather than keep the client waiting.
      res.set_header("Retry-After", "5");
      res.set_header("Connection", "close");
      send_error(res, chat::Error(chat::ErrorCode::server_busy, "the server is at its connection limit; try again shortly"));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }));

  auto plain = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res, nullptr); };
  auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) { dispatch(req, res, &reader); };
  server_.Get(".*", plain);
  server_.Options(".*", plain);
  server_.Post(".*", with_body);
  server_.Put(".*", with_body);
  server_.Patch(".*", with_body);
  server_.Delete(".*", with_body);

  // Errors the library answers itself (bad request line, Content-Length over the
  // limit) get the same JSON body as ours.
  server_.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty() && !res.is_chunked_content_provider_) {
      int status = res.status;
      send_error(res, chat::Error(code_for_status(status)));
      res.status = status;
    }
    count_once(res);
    return httplib::Server::HandlerResponse::Handled;
  }));
  server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_error(res, chat::Error(chat::ErrorCode::internal_error));
  });

  server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    double ms = 0;
    if (t_scope.start != std::chrono::steady_clock::time_point{}) {
      ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_scope.start).count();
    }
    std::string label = t_scope.label.empty() ? "unmatched" : t_scope.label;
    count_once(res);
    t_scope = RequestScope{};
    std::string id = res.get_header_value("X-Request-Id");
    if (id.empty()) id = request_id(req);
    log_event("info", "request",
              {{"method", req.method}, {"path", req.path}, {"route", label}, {"status", res.status},
               {"durationMs", static_cast<double>(static_cast<long long>(ms * 10)) / 10},
               {"requestId", id}});
  });
}

// The logger runs once the response is on the wire, so a client could read
// /metrics before its own request shows there. Counting as the response is
// settled (after the route, or in the error handler for what the library
// answers itself) keeps /metrics in step with what clients have received.
void App::count_once(const httplib::Response& res) {
  if (t_scope.counted) return;
  t_scope.counted = true;
  int status = res.status == -1 ? 200 : res.status;
  metrics_.count_request(t_scope.label.empty() ? "unmatched" : t_scope.label, status);
  if (status >= 400) {
    if (auto error = chat::decode_error(res.body)) metrics_.error(std::string(chat::to_string(error->code)));
  }
}

void App::dispatch(const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader* reader) {
  route_request(req, res, reader);
  count_once(res);
}

void App::route_request(const httplib::Request& req, httplib::Response& res,
                        const httplib::ContentReader* reader) {
  Call call{req, res, {}, {}};
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  const Route* match = nullptr;
  std::string allow;
  for (const auto& r : routes_) {
    std::smatch m;
    if (!std::regex_match(req.path, m, r.pattern)) continue;
    if (r.method == method) {
      match = &r;
      for (std::size_t i = 1; i < m.size(); ++i) call.params.push_back(m[i].str());
      break;
    }
    allow += (allow.empty() ? "" : ", ") + r.method;
  }
  if (match) t_scope.label = match->label;

  // Read every body, even one we refuse, so the connection stays usable.
  bool has_body = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
  if (reader && declared_length(req) > chat::kMaxBodyBytes) {
    // Refused unread: answer at once and close, rather than drain a body we won't use.
    res.set_header("Connection", "close");
    return send_error(res, chat::Error(chat::ErrorCode::payload_too_large,
                                       "the body is over " + std::to_string(chat::kMaxBodyBytes) + " bytes"));
  }
  if (reader && has_body) {
    auto body = read_body(*reader, chat::kMaxBodyBytes);
    if (!body) {
      // The rest of the body is still on the wire: this connection can't be reused.
      res.set_header("Connection", "close");
      return send_error(res, body.error());
    }
    call.body = std::move(body).value();
  }

  if (!match) {
    if (!allow.empty()) {
      res.set_header("Allow", allow);
      return send_error(res, chat::Error(chat::ErrorCode::method_not_allowed,
                                         req.method + " is not allowed here (" + allow + ")"));
    }
    return send_error(res, chat::Error(chat::ErrorCode::not_found, "no route for " + req.path));
  }
  try {
    match->handler(services_, call);
  } catch (const std::exception& e) {
    log_event("error", "handler threw", {{"route", match->label}, {"error", e.what()}});
    send_error(res, chat::Error(chat::ErrorCode::internal_error));
  }
}

chat::Result<int> App::bind() {
  int port = config_.listen_port;
  if (port == 0) {
    port = server_.bind_to_any_port(config_.listen_host);
    if (port <= 0) port = -1;
  } else if (!server_.bind_to_port(config_.listen_host, port)) {
    port = -1;
  }
  if (port < 0) {
    return chat::Error(chat::ErrorCode::internal_error,
                       "cannot listen on " + config_.listen_host + ":" + std::to_string(config_.listen_port));
  }
  // The library listens with a backlog of 5 (NOTES.md): a burst of connections
  // would wait seconds. listen() again on the bound socket raises it.
  if (int fd = listen_fd_.load(); fd >= 0) ::listen(fd, 4096);
  return port;
}

bool App::run() { return server_.listen_after_bind(); }

void App::stop() {
  if (stopped_.exchange(true)) return;
  hub_.shutdown();
  replies_.shutdown();
  server_.stop();
}

}  // namespace agent_server
