#include "kit/server.hpp"

#include <sys/resource.h>
#include <sys/socket.h>

#include "chat/random.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "kit/threads.hpp"

namespace kit {
namespace {

// httplib's own backlog is 5: a burst of connections would wait seconds, or be
// dropped by the kernel once the SYN queue overflows.
constexpr int kListenBacklog = 4096;
constexpr std::size_t kMaxLoggedPath = 256;

struct RequestScope {
  std::string id;
  std::chrono::steady_clock::time_point start{};
};
thread_local RequestScope t_request;

chat::ErrorCode code_for_status(int status) {
  switch (status) {
    case 404: return chat::ErrorCode::not_found;
    case 405: return chat::ErrorCode::method_not_allowed;
    case 408: return chat::ErrorCode::request_timeout;
    case 413: return chat::ErrorCode::payload_too_large;
    case 414: return chat::ErrorCode::invalid_path;
    case 415: return chat::ErrorCode::unsupported_media_type;
    case 431: return chat::ErrorCode::headers_too_large;
    case 503: return chat::ErrorCode::server_busy;
    default: return status >= 500 ? chat::ErrorCode::internal_error : chat::ErrorCode::invalid_request;
  }
}

// The raw target without its query (it may carry a visitor id), cut short.
std::string loggable_path(const std::string& target) {
  return target.substr(0, std::min(target.find('?'), kMaxLoggedPath));
}

}  // namespace

const std::string& current_request_id() { return t_request.id; }

HttpServer::HttpServer(ServerOptions options, ConnectionStats& stats)
    : options_(std::move(options)),
      stats_(stats),
      listener_(std::make_unique<Listener>(options_.limits, options_.trusted, stats)) {
  install();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::install() {
  const auto threads = static_cast<std::size_t>(options_.threads);
  server_.new_task_queue = [this, threads] { return new WorkerPool(threads, stats_, listener_.get()); };
  server_.set_tcp_nodelay(true);
  // The library's default closes a kept-alive connection after 5 requests; a proxy
  // or a busy browser would reconnect all the time.
  server_.set_keep_alive_max_count(100);
  // The library closes a connection whose request has not begun after its
  // keep-alive wait (5 s), silently, even the first one: under a burst, a client's
  // first segment may still be in retransmission then (measured: bench/README.md).
  // The kit's head deadline decides instead, and answers 408 when it was owed one.
  server_.set_keep_alive_timeout(
      std::chrono::duration_cast<std::chrono::seconds>(options_.limits.head_timeout).count() + 2);
  // Bodies with a Content-Length are refused by the library; chunked ones by
  // read_body and the connection watch.
  server_.set_payload_max_length(options_.limits.max_body_bytes);
  server_.set_socket_options([this](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = fd;
  });

  server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_request = RequestScope{request_id(req), std::chrono::steady_clock::now()};
    res.set_header("X-Request-Id", t_request.id);
    if (draining_) res.set_header("Connection", "close");  // the client's next request goes elsewhere
    const bool body = has_body(req);
    connection_head_read(body);
    if (cors_ && apply_cors(*cors_, req, res)) {  // a preflight, answered
      if (body) res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    auto refuse = [&](const chat::Error& error) {
      // Whatever of a body is on the wire stays unread: the connection ends.
      if (body) res.set_header("Connection", "close");
      send_error(res, error);
      if (library_error_) library_error_(res);
      return httplib::Server::HandlerResponse::Handled;
    };
    if (WorkerPool::shedding()) {
      // Every worker is busy: say so at once rather than keep the client waiting.
      res.set_header("Connection", "close");
      chat::Error error(chat::ErrorCode::server_busy, "the server is at its connection limit; try again shortly");
      error.retry_after = 5;
      return refuse(error);
    }
    if (req.headers.size() > options_.limits.max_headers) {
      res.set_header("Connection", "close");
      return refuse(chat::Error(chat::ErrorCode::headers_too_large,
                                "more than " + std::to_string(options_.limits.max_headers) + " header lines"));
    }
    if (declared_length(req) > options_.limits.max_body_bytes) {
      return refuse(chat::Error(chat::ErrorCode::payload_too_large,
                                "the body is over " + std::to_string(options_.limits.max_body_bytes) + " bytes"));
    }
    if (body && (req.method == "GET" || req.method == "HEAD")) {
      return refuse(chat::Error(chat::ErrorCode::invalid_request, req.method + " takes no body"));
    }
    if (pre_routing_ && pre_routing_(req, res)) {
      if (body) res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Errors the library answers itself (bad request line, Content-Length over the
  // limit, no route) get the same JSON body as ours.
  server_.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty() && !res.has_header("Content-Type")) {
          int status = res.status;
          send_error(res, chat::Error(code_for_status(status)));
          res.status = status;
        }
        if (library_error_) library_error_(res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, const std::exception_ptr& ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log_event("error", "handler threw", {{"path", loggable_path(req.target)}, {"error", what}});
        send_error(res, chat::Error(chat::ErrorCode::internal_error));
      });

  server_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    connection_response_written();
    double ms = 0;
    if (t_request.start != std::chrono::steady_clock::time_point{}) {
      ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request.start).count();
    }
    std::string id = t_request.id.empty() ? request_id(req) : t_request.id;
    nlohmann::json line = {{"msg", "request"},
                           {"method", req.method},
                           {"path", loggable_path(req.target)},
                           {"status", res.status},
                           {"durationMs", static_cast<double>(static_cast<long long>(ms * 10)) / 10},
                           {"requestId", id}};
    if (logged_) logged_(req, res, line);
    t_request = RequestScope{};
    log_line("info", std::move(line));
  });
}

chat::Result<int> HttpServer::bind() {
  int port = options_.port;
  if (port == 0) {
    port = server_.bind_to_any_port(options_.host);
    if (port <= 0) port = -1;
  } else if (!server_.bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port < 0) {
    return chat::Error(chat::ErrorCode::internal_error,
                       "cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  }
  // Listening again on a listening socket only raises its backlog.
  if (listen_fd_ >= 0) {
    ::listen(listen_fd_, kListenBacklog);
    listener_->attach(listen_fd_);
  }
  return port;
}

bool HttpServer::run() {
  // A stop asked for before the loop began (a SIGTERM right after start) ends it
  // with the listening socket closed, which the library reports as a failure.
  return server_.listen_after_bind() || stopped_.load();
}

void HttpServer::stop() {
  // Called from the signal's thread and from the serving thread: the first one stops.
  if (stopped_.exchange(true)) return;
  if (server_.is_running()) server_.stop();
  listener_->stop();
}

void HttpServer::stop_accepting() {
  if (draining_.exchange(true)) return;
  // Not the library's stop(): it would end every chunked response (stream) at
  // its next write.
  listener_->stop_accepting();
  log_event("info", "draining", {{"drainSeconds", options_.limits.drain_timeout.count() / 1000}});
}

std::size_t HttpServer::close_connections(std::chrono::steady_clock::time_point deadline) {
  return listener_->close_all(deadline);
}

long raise_open_file_limit(long wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  long open_files = limit.rlim_cur == RLIM_INFINITY ? -1 : static_cast<long>(limit.rlim_cur);
  if (open_files >= 0 && open_files < wanted) {
    log_event("warn", "open file limit under what the limits need",
              {{"openFiles", open_files}, {"wanted", wanted}});
  }
  return open_files;
}

}  // namespace kit
