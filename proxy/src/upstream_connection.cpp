#include "upstream_connection.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>

namespace proxy {
namespace {

constexpr std::size_t kMaxHeadBytes = 64 * 1024;
constexpr std::size_t kMaxHeaders = 100;
constexpr std::size_t kMaxChunkLine = 1024;
// On the stack of a thread that may hold a stream for hours: small.
constexpr std::size_t kReadSize = 4 * 1024;

int ms_until(Clock::time_point deadline) {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, 24 * 3600 * 1000));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// True when the comma-separated header value lists `token` (case-insensitive).
bool lists_token(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    auto comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

bool has_crlf(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

int connect_one(const addrinfo& ai, Clock::time_point deadline, WireError& error) {
  int fd = ::socket(ai.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = WireError::connect;
    return -1;
  }
  int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) == 0) return fd;
  if (errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int ready = ::poll(&p, 1, ms_until(deadline));
    int so_error = 0;
    socklen_t len = sizeof so_error;
    if (ready > 0 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 && so_error == 0) return fd;
    error = ready == 0 ? WireError::connect_timeout : WireError::connect;
  } else {
    error = WireError::connect;
  }
  ::close(fd);
  return -1;
}

}  // namespace

const char* to_string(WireError error) noexcept {
  switch (error) {
    case WireError::none: return "none";
    case WireError::connect: return "connect";
    case WireError::connect_timeout: return "connect timeout";
    case WireError::tls: return "tls";
    case WireError::timeout: return "timeout";
    case WireError::closed: return "connection closed";
    case WireError::protocol: return "invalid response";
    case WireError::too_large: return "response too large";
  }
  return "unknown";
}

TlsContext::TlsContext() : ctx_(SSL_CTX_new(TLS_client_method())) {
  if (ctx_ == nullptr) return;
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_default_verify_paths(ctx_);  // honours SSL_CERT_FILE and SSL_CERT_DIR
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

std::unique_ptr<UpstreamConnection> UpstreamConnection::open(const Origin& origin, const TlsContext* tls,
                                                             Clock::time_point deadline, WireError& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(origin.host.c_str(), std::to_string(origin.port).c_str(), &hints, &found) != 0) {
    error = WireError::connect;
    return nullptr;
  }
  int fd = -1;
  error = WireError::connect;
  for (auto* ai = found; ai != nullptr && fd < 0 && error != WireError::connect_timeout; ai = ai->ai_next) {
    fd = connect_one(*ai, deadline, error);
  }
  ::freeaddrinfo(found);
  if (fd < 0) return nullptr;

  bool ipv6_literal = origin.host.find(':') != std::string::npos;
  std::string host_header = ipv6_literal ? "[" + origin.host + "]" : origin.host;
  if (origin.port != (tls != nullptr ? 443 : 80)) host_header += ":" + std::to_string(origin.port);
  SSL* ssl = nullptr;
  if (tls != nullptr) {
    ssl = tls->get() != nullptr ? SSL_new(tls->get()) : nullptr;
    if (ssl == nullptr) {
      ::close(fd);
      error = WireError::tls;
      return nullptr;
    }
    SSL_set_fd(ssl, fd);
    in6_addr ip6{};
    in_addr ip4{};
    if (::inet_pton(AF_INET, origin.host.c_str(), &ip4) == 1 ||
        ::inet_pton(AF_INET6, origin.host.c_str(), &ip6) == 1) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), origin.host.c_str());
    } else {
      // SSL_set_tlsext_host_name, without the macro's C cast.
      SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(origin.host.c_str()));
      SSL_set1_host(ssl, origin.host.c_str());
    }
  }
  std::unique_ptr<UpstreamConnection> conn(new UpstreamConnection(fd, ssl, std::move(host_header)));
  while (ssl != nullptr) {
    int rc = SSL_connect(ssl);
    if (rc == 1) break;
    int why = SSL_get_error(ssl, rc);
    short events = why == SSL_ERROR_WANT_READ ? POLLIN : why == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
    if (events == 0) {
      error = WireError::tls;
      return nullptr;
    }
    if (!conn->wait(events, deadline)) {
      error = WireError::connect_timeout;
      return nullptr;
    }
  }
  error = WireError::none;
  return conn;
}

UpstreamConnection::UpstreamConnection(int fd, SSL* ssl, std::string host_header)
    : fd_(fd), ssl_(ssl), host_header_(std::move(host_header)) {}

UpstreamConnection::~UpstreamConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);  // no close_notify: the socket closes anyway
  ::close(fd_);
}

bool UpstreamConnection::wait(short events, Clock::time_point deadline) {
  pollfd p{fd_, events, 0};
  for (;;) {
    int ready = ::poll(&p, 1, ms_until(deadline));
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;  // the next read or write says what is wrong
  }
}

WireError UpstreamConnection::write_all(std::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    short want = POLLOUT;
    long n;
    if (ssl_ != nullptr) {
      int rc = SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 30)));
      n = rc;
      if (rc <= 0) {
        int why = SSL_get_error(ssl_, rc);
        if (why != SSL_ERROR_WANT_READ && why != SSL_ERROR_WANT_WRITE) return WireError::closed;
        want = why == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        n = -1;
      }
    } else {
      n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return WireError::closed;
    }
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
    } else if (!wait(want, deadline)) {
      return WireError::timeout;
    }
  }
  return WireError::none;
}

bool UpstreamConnection::fill(Clock::time_point deadline, WireError& error) {
  char buffer[kReadSize];
  if (awaiting_answer_) {
    // Nothing can have come yet: wait first rather than try a read bound to fail.
    awaiting_answer_ = false;
    if (!wait(POLLIN, deadline)) {
      error = WireError::timeout;
      return false;
    }
  }
  for (;;) {
    short want = POLLIN;
    long n;
    if (ssl_ != nullptr) {
      int rc = SSL_read(ssl_, buffer, sizeof buffer);
      n = rc;
      if (rc <= 0) {
        int why = SSL_get_error(ssl_, rc);
        if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE) {
          want = why == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
          n = -1;
        } else {
          n = 0;  // close_notify, a reset, or a close without close_notify
        }
      }
    } else {
      n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) n = 0;
    }
    if (n > 0) {
      in_.erase(0, in_pos_);  // what was consumed goes; a partial line stays
      in_pos_ = 0;
      in_.append(buffer, static_cast<std::size_t>(n));
      received_ = true;
      return true;
    }
    if (n == 0) {
      peer_closed_ = true;
      error = WireError::closed;
      return false;
    }
    if (!wait(want, deadline)) {
      error = WireError::timeout;
      return false;
    }
  }
}

WireError UpstreamConnection::send(std::string_view method, std::string_view target,
                                   const httplib::Headers& headers, std::string_view body,
                                   Clock::time_point deadline) {
  received_ = false;
  ++requests_;
  in_.clear();
  in_pos_ = 0;
  keep_alive_ = false;
  body_ended_ = false;
  if (has_crlf(method) || has_crlf(target)) return WireError::protocol;
  std::string request;
  request.reserve(256 + body.size());
  request.append(method)
      .append(" ")
      .append(target)
      .append(" HTTP/1.1\r\nHost: ")
      .append(host_header_)
      .append("\r\n");
  for (const auto& [name, value] : headers) {
    if (has_crlf(name) || has_crlf(value)) return WireError::protocol;
    request.append(name).append(": ").append(value).append("\r\n");
  }
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  request.append("\r\n").append(body);
  framing_ = method == "HEAD" ? Framing::none : Framing::until_close;  // refined by the head
  awaiting_answer_ = ssl_ == nullptr;
  return write_all(request, deadline);
}

WireError UpstreamConnection::read_line(std::string& line, std::size_t max_bytes, Clock::time_point deadline) {
  for (;;) {
    auto end = in_.find("\r\n", in_pos_);
    if (end != std::string::npos) {
      if (end - in_pos_ > max_bytes) return WireError::too_large;
      line.assign(in_, in_pos_, end - in_pos_);
      in_pos_ = end + 2;
      return WireError::none;
    }
    if (in_.size() - in_pos_ > max_bytes) return WireError::too_large;
    WireError error = WireError::none;
    if (!fill(deadline, error)) return error;
  }
}

WireError UpstreamConnection::read_head(ResponseHead& head, Clock::time_point deadline) {
  const bool head_request = framing_ == Framing::none;
  std::string line;
  std::size_t head_bytes = 0;
  do {
    head = ResponseHead{};
    if (auto e = read_line(line, kMaxHeadBytes, deadline); e != WireError::none) return e;
    // "HTTP/1.1 200 OK": a version, a 3-digit status, a reason (maybe empty).
    if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || line[8] != ' ' ||
        std::from_chars(line.data() + 9, line.data() + 12, head.status).ptr != line.data() + 12 ||
        head.status < 100 || (line.size() > 12 && line[12] != ' ')) {
      return WireError::protocol;
    }
    const bool http11 = line[7] == '1';
    for (;;) {
      if (auto e = read_line(line, kMaxHeadBytes, deadline); e != WireError::none) return e;
      head_bytes += line.size() + 2;
      if (head_bytes > kMaxHeadBytes || head.headers.size() >= kMaxHeaders) return WireError::too_large;
      if (line.empty()) break;
      auto colon = line.find(':');
      if (colon == 0 || colon == std::string::npos || line[0] == ' ' || line[0] == '\t')
        return WireError::protocol;
      head.headers.emplace(line.substr(0, colon), std::string(trim(std::string_view(line).substr(colon + 1))));
    }
    keep_alive_ = http11;
    auto connection = head.headers.find("Connection");
    if (connection != head.headers.end() && lists_token(connection->second, "close")) keep_alive_ = false;
  } while (head.status < 200);

  auto encoding = head.headers.find("Transfer-Encoding");
  auto length = head.headers.find("Content-Length");
  if (head_request || head.status == 204 || head.status == 304) {
    framing_ = Framing::none;
  } else if (encoding != head.headers.end()) {
    // Only "chunked" is ever sent by the agent server; anything else reads to the close.
    framing_ = iequals(trim(encoding->second), "chunked") ? Framing::chunked : Framing::until_close;
    chunk_step_ = ChunkStep::size;
  } else if (length != head.headers.end()) {
    const auto& text = length->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), remaining_);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return WireError::protocol;
    if (head.headers.count("Content-Length") > 1) return WireError::protocol;
    framing_ = Framing::length;
  } else {
    framing_ = Framing::until_close;
  }
  if (framing_ == Framing::until_close) keep_alive_ = false;
  body_ended_ = framing_ == Framing::none || (framing_ == Framing::length && remaining_ == 0);
  if (body_ended_) idle_since_ = Clock::now();
  return WireError::none;
}

bool UpstreamConnection::decode_buffered(std::string& out, WireError& error) {
  auto available = [&] { return in_.size() - in_pos_; };
  auto take = [&](std::size_t n) {
    out.append(in_, in_pos_, n);
    in_pos_ += n;
  };
  const std::size_t before = out.size();
  while (!body_ended_ && available() > 0) {
    if (framing_ == Framing::until_close) {
      take(available());
    } else if (framing_ == Framing::length || chunk_step_ == ChunkStep::data) {
      auto n = static_cast<std::size_t>(std::min<std::uint64_t>(available(), remaining_));
      take(n);
      remaining_ -= n;
      if (remaining_ == 0) {
        if (framing_ == Framing::length) {
          body_ended_ = true;
        } else {
          chunk_step_ = ChunkStep::data_end;
        }
      }
    } else {
      auto end = in_.find("\r\n", in_pos_);
      if (end == std::string::npos) {
        if (available() > kMaxChunkLine) error = WireError::protocol;
        break;
      }
      std::string_view line(in_.data() + in_pos_, end - in_pos_);
      in_pos_ = end + 2;
      if (chunk_step_ == ChunkStep::data_end) {
        if (!line.empty()) error = WireError::protocol;
        chunk_step_ = ChunkStep::size;
      } else if (chunk_step_ == ChunkStep::size) {
        auto size_text = trim(line.substr(0, line.find(';')));
        auto [ptr, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), remaining_, 16);
        if (ec != std::errc() || ptr != size_text.data() + size_text.size() || size_text.empty()) {
          error = WireError::protocol;
        }
        chunk_step_ = remaining_ == 0 ? ChunkStep::trailer : ChunkStep::data;
      } else if (line.empty()) {  // the end of the trailer
        body_ended_ = true;
      }
    }
    if (error != WireError::none) return false;
  }
  if (in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  }
  if (body_ended_) idle_since_ = Clock::now();
  return out.size() > before || body_ended_;
}

WireError UpstreamConnection::read_body(std::string& out, bool& ended, Clock::time_point deadline) {
  for (;;) {
    WireError error = WireError::none;
    bool progressed = decode_buffered(out, error);
    if (error != WireError::none) return error;
    ended = body_ended_;
    if (progressed) return WireError::none;
    if (!fill(deadline, error)) {
      if (error == WireError::closed && framing_ == Framing::until_close) {
        body_ended_ = ended = true;
        return WireError::none;
      }
      return error;
    }
  }
}

WireError UpstreamConnection::read_body_to_end(std::string& out, std::size_t max_bytes,
                                               Clock::time_point deadline) {
  bool ended = body_ended_;
  while (!ended) {
    if (auto error = read_body(out, ended, deadline); error != WireError::none) return error;
    if (out.size() > max_bytes) return WireError::too_large;
  }
  return WireError::none;
}

bool UpstreamConnection::reusable() const {
  return keep_alive_ && body_ended_ && !peer_closed_ && in_pos_ == in_.size();
}

bool UpstreamConnection::at_rest_and_open() {
  pollfd p{fd_, POLLIN, 0};
  int ready = ::poll(&p, 1, 0);
  if (ready == 0) return true;
  if (ready < 0 || ssl_ == nullptr) return false;
  // TLS may have sent a record that holds no data (a TLS 1.3 session ticket).
  char byte;
  int rc = SSL_peek(ssl_, &byte, 1);
  return rc <= 0 && SSL_get_error(ssl_, rc) == SSL_ERROR_WANT_READ;
}

}  // namespace proxy
