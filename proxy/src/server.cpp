#include "server.hpp"

#include <sys/socket.h>

#include "admin.hpp"
#include "chat/random.hpp"
#include "chat/validation.hpp"
#include "headers.hpp"
#include "log.hpp"
#include "page.hpp"
#include "path.hpp"
#include "relay.hpp"

namespace chat::proxy {
namespace {

constexpr int kListenBacklog = 4096;  // httplib's own is 5: see NOTES.md
constexpr std::size_t kMaxLoggedPath = 256;

std::string route_of(const std::string& path) {
  if (path.rfind("/api/chat/", 0) == 0) return "chat";
  if (path.rfind("/widget/", 0) == 0) return "widget";
  if (path.rfind("/r/", 0) == 0) return "page";
  if (path.rfind("/api/restaurants", 0) == 0) return "admin";
  if (path == "/healthz" || path == "/metrics") return path.substr(1);
  return "other";
}

// The raw target without its query (it may carry a visitor id), cut short.
std::string loggable_path(const std::string& target) {
  return target.substr(0, std::min(target.find('?'), kMaxLoggedPath));
}

Error error_for_status(int status) {
  switch (status) {
    case 400: return Error(ErrorCode::invalid_request, "bad request");
    case 404: return Error(ErrorCode::not_found, "no such route");
    case 405: return Error(ErrorCode::method_not_allowed);
    case 413: return Error(ErrorCode::payload_too_large, "request body over 16 KB");
    case 414: return Error(ErrorCode::invalid_path, "request target too long");
    default: return Error(ErrorCode::internal_error);
  }
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
      log_error({{"msg", "store error"}, {"error", found.error().message}});
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
    : store_(std::move(store)) {
  ctx_.config = std::move(config);
  ctx_.store = store_.get();
  auto threads = static_cast<std::size_t>(ctx_.config.threads);
  // Each open stream holds a worker for its whole life: the pool is sized for them.
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_.set_tcp_nodelay(true);
  server_.set_payload_max_length(kMaxBodyBytes);
  // httplib's default of 5 requests per connection makes busy browsers reconnect.
  server_.set_keep_alive_max_count(100);
  server_.set_read_timeout(5);
  server_.set_write_timeout(5);
  server_.set_socket_options([this](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });
  add_routes();
}

ProxyServer::~ProxyServer() { stop(); }

Result<int> ProxyServer::bind() {
  const auto& host = ctx_.config.listen_host;
  int port = ctx_.config.listen_port;
  if (port == 0) {
    port = server_.bind_to_any_port(host);
    if (port <= 0) return Error(ErrorCode::internal_error, "cannot bind " + host);
  } else if (!server_.bind_to_port(host, port)) {
    return Error(ErrorCode::internal_error, "cannot bind " + host + ":" + std::to_string(port));
  }
  // Listening again on a listening socket only raises its backlog.
  if (listen_fd_ >= 0) ::listen(listen_fd_, kListenBacklog);
  return port;
}

bool ProxyServer::run() { return server_.listen_after_bind(); }

void ProxyServer::stop() {
  ctx_.stopping = true;
  if (server_.is_running()) server_.stop();
}

void ProxyServer::add_routes() {
  Context& ctx = ctx_;

  server_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    std::string id = req.get_header_value("X-Request-Id");
    if (!is_sane_request_id(id)) id = random_base64url(22);
    res.set_header("X-Request-Id", id);
    begin_request(std::move(id));
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server_.set_logger([&ctx](const httplib::Request& req, const httplib::Response& res) {
    auto facts = finish_request();
    auto route = route_of(req.path);
    ctx.metrics.count_request(route, res.status);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - facts.start);
    nlohmann::json line = {{"msg", "request"},        {"requestId", facts.request_id},
                           {"method", req.method},    {"path", loggable_path(req.target)},
                           {"route", route},          {"status", res.status},
                           {"ms", static_cast<double>(static_cast<long>(ms.count() * 10)) / 10}};
    if (!facts.restaurant_id.empty()) line["restaurantId"] = facts.restaurant_id;
    if (!facts.upstream_error.empty()) line["upstreamError"] = facts.upstream_error;
    log_info(std::move(line));
  });

  server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty() || res.has_header("Content-Type")) return;
    reply_error(res, error_for_status(res.status));
  });

  server_.Get("/healthz", [&ctx](const httplib::Request&, httplib::Response& res) {
    // Ready means the database can be written (a real write, at most once a second).
    if (auto ok = ctx.store->check_writable(); !ok) {
      log_warn({{"msg", "database not writable"}, {"error", ok.error().message}});
      return reply_error(res, Error(ErrorCode::database_unavailable));
    }
    reply_json(res, R"({"status":"ok"})");
  });
  server_.Get("/metrics", [&ctx](const httplib::Request&, httplib::Response& res) {
    res.set_content(ctx.metrics.render(), "text/plain; version=0.0.4");
  });
  server_.Get(R"(/r/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    serve_page(ctx, req, res);
  });
  server_.Get(R"(/widget/.*)", [&ctx](const httplib::Request& req, httplib::Response& res) {
    handle_widget(ctx, req, res);
  });

  // Chat relay. The route regexes match httplib's decoded path; handle_chat decides
  // on the raw target alone.
  const std::string chat = R"(/api/chat/.*)";
  auto chat_plain = [&ctx](const httplib::Request& req, httplib::Response& res) {
    handle_chat(ctx, req, res, req.body);
  };
  server_.Get(chat, chat_plain);
  server_.Post(chat, chat_plain);
  // Chunked bodies bypass httplib's length check: read them here, counting.
  server_.Post(chat, httplib::Server::HandlerWithContentReader(
                         [&ctx](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) {
                           std::string body;
                           bool ok = reader([&](const char* data, std::size_t size) {
                             body.append(data, size);
                             return body.size() <= kMaxBodyBytes;
                           });
                           if (!ok || body.size() > kMaxBodyBytes) {
                             return reply_error(res, Error(ErrorCode::payload_too_large,
                                                           "request body over 16 KB"));
                           }
                           handle_chat(ctx, req, res, body);
                         }));
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "GET, POST");
    reply_error(res, Error(ErrorCode::method_not_allowed, "only GET and POST are relayed"));
  };
  // Refused before httplib reads a body, which without a length it would await.
  auto not_allowed_with_body = httplib::Server::HandlerWithContentReader(
      [not_allowed](const httplib::Request& req, httplib::Response& res,
                    const httplib::ContentReader&) {
        res.set_header("Connection", "close");
        not_allowed(req, res);
      });
  server_.Put(chat, not_allowed_with_body);
  server_.Patch(chat, not_allowed_with_body);
  server_.Delete(chat, not_allowed_with_body);
  server_.Put(chat, not_allowed);
  server_.Patch(chat, not_allowed);
  server_.Delete(chat, not_allowed);
  server_.Options(chat, not_allowed);

  server_.Post("/api/restaurants", [&ctx](const httplib::Request& req, httplib::Response& res) {
    handle_create_restaurant(ctx, req, res);
  });
  server_.Patch("/api/restaurants", [&ctx](const httplib::Request& req, httplib::Response& res) {
    handle_patch_restaurant(ctx, req, res);
  });
  server_.Get(R"(/api/restaurants/([^/]+))", [&ctx](const httplib::Request& req, httplib::Response& res) {
    handle_get_restaurant(ctx, req, res);
  });
}

}  // namespace chat::proxy
