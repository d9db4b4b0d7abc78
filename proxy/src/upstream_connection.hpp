#pragma once
/// \file One HTTP/1.1 connection to the agent server, written for the relay.
///
/// httplib's Client can't serve a relay well: its send() returns only after the whole
/// body (so an event stream needs a second thread to read while the first answers the
/// browser), and it always sends `Connection: close` (so every request pays a new
/// connection). This connection sends a request, reads the response head, then the
/// body piece by piece within deadlines, on the caller's thread; it can be kept alive
/// for the next request (UpstreamPool). Plain TCP or TLS (OpenSSL, certificates
/// checked against the system's CAs, or `SSL_CERT_FILE`).

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "config.hpp"

namespace proxy {

using Clock = std::chrono::steady_clock;

/// What went wrong on the wire (none: nothing).
enum class WireError {
  none,
  connect,          ///< refused, unreachable, name not found
  connect_timeout,  ///< no connection within the deadline
  tls,              ///< handshake or certificate check failed
  timeout,          ///< no (more) bytes within the deadline
  closed,           ///< the peer closed or reset the connection
  protocol,         ///< not a valid HTTP/1.1 response
  too_large,        ///< head or body over its limit
};
const char* to_string(WireError error) noexcept;

/// A response's status line and headers.
struct ResponseHead {
  int status = 0;
  httplib::Headers headers;
};

/// Owns a TLS context for connections to one https origin (none for http).
class TlsContext {
 public:
  TlsContext();  ///< verifies peers against the default CA paths
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;
  SSL_CTX* get() const { return ctx_; }

 private:
  SSL_CTX* ctx_;
};

class UpstreamConnection {
 public:
  /// Connects (and shakes hands, with `tls`) before `deadline`; nullptr and `error`
  /// set on failure.
  static std::unique_ptr<UpstreamConnection> open(const Origin& origin, const TlsContext* tls,
                                                  Clock::time_point deadline, WireError& error);
  ~UpstreamConnection();
  UpstreamConnection(const UpstreamConnection&) = delete;
  UpstreamConnection& operator=(const UpstreamConnection&) = delete;

  /// Writes a whole request: `target` as it is (already canonical), the headers
  /// (none may hold CR or LF), Host and a Content-Length when there is a body or the
  /// method takes one.
  WireError send(std::string_view method, std::string_view target, const httplib::Headers& headers,
                 std::string_view body, Clock::time_point deadline);
  /// Reads the response head (a 1xx is skipped). Says how the body is framed.
  WireError read_head(ResponseHead& head, Clock::time_point deadline);
  /// Appends the body's next bytes (what arrives before `deadline`, at least one byte
  /// unless the body ends) to `out`; `ended` once the whole body is read.
  WireError read_body(std::string& out, bool& ended, Clock::time_point deadline);
  /// Reads the rest of the body into `out`, up to `max_bytes`.
  WireError read_body_to_end(std::string& out, std::size_t max_bytes, Clock::time_point deadline);

  /// True when no byte of the current response has arrived yet: a failure then
  /// means the request was not answered at all.
  bool nothing_received() const { return !received_; }
  /// The last response was read to its end and the agent server keeps the
  /// connection open.
  bool reusable() const;
  /// For a connection at rest: the peer hasn't closed it and sent nothing unasked.
  bool at_rest_and_open();
  /// Requests sent on this connection so far.
  int requests() const { return requests_; }
  Clock::time_point idle_since() const { return idle_since_; }

 private:
  UpstreamConnection(int fd, SSL* ssl, std::string host_header);
  /// Reads what the socket has into the buffer: false and `error` on timeout/close.
  bool fill(Clock::time_point deadline, WireError& error);
  bool wait(short events, Clock::time_point deadline);
  WireError write_all(std::string_view data, Clock::time_point deadline);
  /// One line ending in CRLF (without it) from the buffer, reading more as needed.
  WireError read_line(std::string& line, std::size_t max_bytes, Clock::time_point deadline);
  /// Decodes buffered body bytes into `out` without reading: false when it needs more.
  bool decode_buffered(std::string& out, WireError& error);

  enum class Framing { length, chunked, until_close, none };
  enum class ChunkStep { size, data, data_end, trailer, done };

  int fd_;
  SSL* ssl_;
  std::string host_header_;
  std::string in_;  ///< bytes read, not consumed yet (from in_pos_)
  std::size_t in_pos_ = 0;
  bool received_ = false;         ///< a byte of the current response arrived
  bool awaiting_answer_ = false;  ///< a request was sent and nothing read since
  bool peer_closed_ = false;
  bool keep_alive_ = false;  ///< the response allows another request
  Framing framing_ = Framing::none;
  ChunkStep chunk_step_ = ChunkStep::size;
  std::uint64_t remaining_ = 0;  ///< of the body (length) or of the chunk (chunked)
  bool body_ended_ = true;
  int requests_ = 0;
  Clock::time_point idle_since_ = Clock::now();
};

}  // namespace proxy
