#include "app.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "chat/random.hpp"
#include "chat/validation.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "pg_events.hpp"

namespace agent_server {
namespace {

// What the request this worker thread serves adds to /metrics: its route, and
// whether it is counted already (counted before the response is written).
struct RequestScope {
  std::string label;
  bool counted = false;
};
thread_local RequestScope t_scope;

// How stale the origins a preflight is answered from may be (another instance's change).
constexpr std::chrono::milliseconds kOriginsTtl{5000};

}  // namespace

chat::Result<std::unique_ptr<App>> App::create(Config config) {
  auto storage = open_storage(config.database_url);
  if (!storage) return storage.error();
  auto applied = storage.value()->migrate();
  if (!applied) return applied.error();
  for (const auto& name : applied.value()) {
    kit::log_event("info", "migration applied", {{"migration", name}, {"backend", storage.value()->backend()}});
  }
  auto sms = make_sms_sender(WebhookOptions{config.sms_webhook_url, config.sms_webhook_token});
  if (!sms) return sms.error();
  kit::log_event("info", "sms sender", {{"kind", sms.value()->kind()}});
  std::unique_ptr<App> app(new App(std::move(config), std::move(storage).value(), std::move(sms).value()));
  // PostgreSQL: the instance id is the key of the lock this instance holds while
  // it lives (pg_events.hpp). SQLite: any id; one server owns the file.
  auto instance = share_live_events(app->config_, app->hub_, *app->storage_);
  if (!instance) return instance.error();
  app->instance_id_ = instance->empty() ? chat::random_base64url(12) : instance.value();
  // Replies a dead process left streaming end now, so their visitors can ask again.
  auto orphans = app->storage_->interrupt_orphaned_replies(app->instance_id_);
  if (!orphans) return orphans.error();
  for (const auto& r : orphans.value()) {
    app->hub_.interrupt_orphan(r.session_id, r.reply_id, r.in_reply_to,
                               chat::Error::localized(chat::ErrorCode::reply_interrupted, r.lang));
  }
  if (!orphans->empty()) kit::log_event("warn", "replies interrupted", {{"replies", orphans->size()}});
  app->eraser_.start();
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
      budgets_(config_.budgets),
      eraser_(*storage_, config_.retention_days, std::chrono::seconds(config_.retention_check_seconds)),
      origins_(*storage_, kOriginsTtl),
      services_{config_, *storage_, hub_,         metrics_,  limiter_, replies_,
                *sms_,   budgets_,  instance_id_, draining_, eraser_,  origins_},
      routes_(make_routes()),
      server_({config_.listen_host, config_.listen_port, config_.threads, config_.edge, config_.trusted_proxies},
              metrics_.connections) {
  install_handlers();
}

App::~App() { stop(); }

void App::install_handlers() {
  // Direct mode: pages of the origins some agent allows may call the chat, and any
  // page may load the widget's files (public, never with credentials). Whether the
  // token's agent allows the origin is checked with the token (auth.cpp).
  kit::CorsPolicy cors;
  cors.prefixes = {"/api/chat/"};
  cors.public_prefixes = {"/widget/"};
  cors.allowed = [this](const std::string& origin) { return origins_.contains(origin); };
  server_.set_cors(std::move(cors));
  // Every route with a body needs a token: without one, refuse before reading it.
  server_.on_pre_routing([](const httplib::Request& req, httplib::Response& res) {
    t_scope = RequestScope{"unmatched"};
    if (kit::has_body(req) && !kit::bearer_token(req)) {
      kit::send_error(res, chat::Error(chat::ErrorCode::unauthorized, "send Authorization: Bearer <token>"));
      return true;
    }
    return false;
  });
  server_.on_library_error([this](const httplib::Response& res) { count_once(res); });
  server_.on_request_logged([this](const httplib::Request&, const httplib::Response& res, nlohmann::json& line) {
    count_once(res);
    line["route"] = t_scope.label.empty() ? "unmatched" : t_scope.label;
    t_scope = RequestScope{};
  });

  auto& http = server_.http();
  auto plain = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res, nullptr); };
  auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                          const httplib::ContentReader& reader) { dispatch(req, res, &reader); };
  http.Get(".*", plain);
  http.Options(".*", plain);
  http.Post(".*", with_body);
  http.Put(".*", with_body);
  http.Patch(".*", with_body);
  http.Delete(".*", with_body);
  http.Delete(".*", plain);  // a DELETE without Content-Length skips the reader handlers
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

void App::dispatch(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader) {
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
    if (!match_route(r.pattern, req.path, call.params)) continue;
    if (r.method == method) {
      match = &r;
      break;
    }
    call.params.clear();
    allow += (allow.empty() ? "" : ", ") + r.method;
  }
  if (match) t_scope.label = match->pattern;

  // Read every body, even one we refuse, so the connection stays usable (the
  // kit refused those over the limit before they were read).
  if (reader && kit::has_body(req)) {
    auto body = kit::read_body(*reader, chat::kMaxBodyBytes);
    if (!body) {
      // The rest of the body is still on the wire: this connection can't be reused.
      res.set_header("Connection", "close");
      return kit::send_error(res, body.error());
    }
    call.body = std::move(body).value();
  }

  if (!match) {
    if (!allow.empty()) {
      res.set_header("Allow", allow);
      return kit::send_error(res, chat::Error(chat::ErrorCode::method_not_allowed,
                                              req.method + " is not allowed here (" + allow + ")"));
    }
    return kit::send_error(res, chat::Error(chat::ErrorCode::not_found, "no route for " + req.path));
  }
  try {
    match->handler(services_, call);
  } catch (const std::exception& e) {
    kit::log_event("error", "handler threw", {{"route", match->pattern}, {"error", e.what()}});
    kit::send_error(res, chat::Error(chat::ErrorCode::internal_error));
  }
}

chat::Result<int> App::bind() { return server_.bind(); }

bool App::run() { return server_.run(); }

void App::stop() {
  if (stopped_.exchange(true)) return;
  const auto deadline = std::chrono::steady_clock::now() + config_.edge.drain_timeout;
  draining_ = true;  // nothing new starts: 503 server_stopping
  server_.stop_accepting();
  // The hub stays up meanwhile: a reply cut at the deadline still tells its streams.
  const std::size_t in_flight = replies_.active();
  const std::size_t cut = replies_.drain(deadline);
  // Every stream ends its response now, cleanly; the browsers reconnect elsewhere
  // or after the restart, with Last-Event-ID.
  hub_.shutdown();
  // A second for the streams' last bytes, more if the deadline is further; then
  // whatever still runs is cut.
  const std::size_t requests_cut = server_.close_connections(
      std::max(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(1)));
  server_.stop();
  eraser_.stop();  // after the last request: a scrub it owes runs first
  kit::log_event("info", "drained", {{"replies", in_flight}, {"repliesCut", cut}, {"requestsCut", requests_cut}});
}

}  // namespace agent_server
