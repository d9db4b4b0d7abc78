#include "server.hpp"

#include "admin.hpp"
#include "chat/validation.hpp"
#include "headers.hpp"
#include "kit/log.hpp"
#include "page.hpp"
#include "path.hpp"
#include "relay.hpp"
#include "store_cache.hpp"

namespace proxy {

using chat::Error;
using chat::ErrorCode;
using chat::kMaxBodyBytes;
using chat::Result;

namespace {

std::string route_of(const std::string& path) {
  if (path.rfind("/api/chat/", 0) == 0) return "chat";
  if (path.rfind("/widget/", 0) == 0) return "widget";
  if (path.rfind("/r/", 0) == 0) return "page";
  if (path.rfind("/api/restaurants", 0) == 0) return "admin";
  if (path == "/healthz" || path == "/metrics") return path.substr(1);
  return "other";
}

void serve_page(Context& ctx, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Content-Security-Policy", kPageCsp);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-cache");
  std::string id = req.matches[1].str();
  if (is_valid_restaurant_id(id)) {
    note_restaurant(id);
    auto found = ctx.store->find(id);
    if (!found) {
      kit::log_error({{"msg", "store error"}, {"error", found.error().message}});
      res.status = 500;
      res.set_content("<!doctype html><title>Error</title><p>Please try again later.</p>\n",
                      "text/html; charset=utf-8");
      return;
    }
    if (*found) {
      res.set_content(render_page(**found), "text/html; charset=utf-8");
      return;
    }
  }
  res.status = 404;
  res.set_content(render_not_found_page(), "text/html; charset=utf-8");
}

}  // namespace

ProxyServer::ProxyServer(Config config, std::unique_ptr<RestaurantStore> store)
    : store_(with_cache(std::move(store))),
      ctx_(std::move(config)),
      server_({ctx_.config.listen_host, ctx_.config.listen_port, ctx_.config.threads, ctx_.config.edge,
               ctx_.config.trusted_proxies},
              ctx_.metrics.connections) {
  ctx_.store = store_.get();
  add_routes();
}

ProxyServer::~ProxyServer() { stop(); }

Result<int> ProxyServer::bind() { return server_.bind(); }

bool ProxyServer::run() { return server_.run(); }

void ProxyServer::stop() {
  if (ctx_.stopping.exchange(true)) return;
  // No new connection; the relayed streams end cleanly (within kProviderWait), so
  // each browser reconnects, through another proxy behind the load balancer or
  // this one restarted; the requests in flight get until the drain deadline.
  server_.stop_accepting();
  auto cut = server_.close_connections(std::chrono::steady_clock::now() + ctx_.config.edge.drain_timeout);
  server_.stop();
  kit::log_event("info", "drained", {{"requestsCut", cut}});
}

void ProxyServer::add_routes() {
  Context& ctx = ctx_;

  // Admin routes check their token before any body is read.
  server_.on_pre_routing([&ctx](const httplib::Request& req, httplib::Response& res) {
    if (route_of(req.path) != "admin") return false;
    auto allowed = check_admin(ctx, req);
    if (allowed) return false;
    kit::send_error(res, allowed.error());
    return true;
  });
  server_.on_request_logged(
      [&ctx](const httplib::Request& req, const httplib::Response& res, nlohmann::json& line) {
        auto facts = take_request_facts();
        auto route = route_of(req.path);
        ctx.metrics.count_request(route, res.status);
        line["route"] = route;
        if (!facts.restaurant_id.empty()) line["restaurantId"] = facts.restaurant_id;
        if (!facts.upstream_error.empty()) line["upstreamError"] = facts.upstream_error;
      });

  auto& http = server_.http();
  http.Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
    std::string text = ctx.metrics.render(
        {ctx.upstream.connections_opened(), ctx.upstream.connections_reused(), ctx.upstream.connections_idle()});
    ctx.budgets.render(text, "chat_proxy");
    res.set_content(text, "text/plain; version=0.0.4");
  });
  http.Get("/healthz", [&ctx](const httplib::Request&, httplib::Response& res) {
    // Ready means the database can be written (a real write, at most once a second).
    if (auto ok = ctx.store->check_writable(); !ok) {
      kit::log_warn({{"msg", "database not writable"}, {"error", ok.error().message}});
      return kit::send_error(res, Error(ErrorCode::database_unavailable));
    }
    kit::send_json(res, 200, R"({"status":"ok"})");
  });
  http.Get(R"(/r/([^/]+))",
           [&ctx](const httplib::Request& req, httplib::Response& res) { serve_page(ctx, req, res); });
  http.Get(R"(/widget/.*)",
           [&ctx](const httplib::Request& req, httplib::Response& res) { handle_widget(ctx, req, res); });

  // Chat relay. The route regexes match httplib's decoded path; handle_chat decides
  // on the raw target alone.
  const std::string chat = R"(/api/chat/.*)";
  http.Get(chat, [&ctx](const httplib::Request& req, httplib::Response& res) { handle_chat(ctx, req, res, {}); });
  // Bodies are read by the kit, counted against the limit whether chunked or not.
  http.Post(chat,
            kit::with_body(kMaxBodyBytes, [&ctx](const httplib::Request& req, const std::string& body,
                                                 httplib::Response& res) { handle_chat(ctx, req, res, body); }));
  // DELETE carries no body the agent server reads; one sent anyway is read (within
  // the limit) and dropped.
  http.Delete(chat,
              [&ctx](const httplib::Request& req, httplib::Response& res) { handle_chat(ctx, req, res, {}); });
  http.Delete(chat,
              kit::with_body(kMaxBodyBytes, [&ctx](const httplib::Request& req, const std::string&,
                                                   httplib::Response& res) { handle_chat(ctx, req, res, {}); }));
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "GET, POST, DELETE");
    kit::send_error(res, Error(ErrorCode::method_not_allowed, "only GET, POST and DELETE are relayed"));
  };
  // Refused before httplib reads a body, which without a length it would await.
  auto not_allowed_with_body = httplib::Server::HandlerWithContentReader(
      [not_allowed](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader&) {
        res.set_header("Connection", "close");
        not_allowed(req, res);
      });
  http.Put(chat, not_allowed_with_body);
  http.Patch(chat, not_allowed_with_body);
  http.Put(chat, not_allowed);
  http.Patch(chat, not_allowed);
  http.Options(chat, not_allowed);

  http.Post("/api/restaurants",
            kit::with_body(kMaxBodyBytes,
                           [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
                             handle_create_restaurant(ctx, req, body, res);
                           }));
  http.Patch("/api/restaurants",
             kit::with_body(kMaxBodyBytes,
                            [&ctx](const httplib::Request& req, const std::string& body, httplib::Response& res) {
                              handle_patch_restaurant(ctx, req, body, res);
                            }));
  http.Get(R"(/api/restaurants/([^/]+))",
           [&ctx](const httplib::Request& req, httplib::Response& res) { handle_get_restaurant(ctx, req, res); });
}

}  // namespace proxy
