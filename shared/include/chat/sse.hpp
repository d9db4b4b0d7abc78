#pragma once
/// \file Server-Sent Events: an encoder and an incremental parser that follows the
/// WHATWG event-stream rules (any chunking; CR, LF or CRLF; a leading BOM; multi-line
/// data; id; retry; comments).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace chat {

struct SseEvent {
  std::string event = "message";  ///< the `event:` field; "message" when absent
  std::string data;               ///< `data:` lines joined with '\n'
  std::optional<std::string> id;  ///< the `id:` field of this event, if it had one
  std::optional<int> retry;       ///< the `retry:` field of this event, if it had one

  friend bool operator==(const SseEvent& a, const SseEvent& b) {
    return a.event == b.event && a.data == b.data && a.id == b.id && a.retry == b.retry;
  }
};

/// Encodes one event. Multi-line data becomes several `data:` lines; CR and CRLF in
/// data are normalised to LF; an `event:` line is written unless it is "message".
/// Newlines in the event name or id are dropped (they would split the field).
std::string encode_sse(const SseEvent& event);
/// A comment line (`: text`), used as a heartbeat that every client ignores.
std::string encode_sse_comment(std::string_view text = "ping");

/// Incremental parser. Feed it bytes in any chunking; it calls the handler once per
/// dispatched event, exactly as a browser's EventSource would.
class SseParser {
 public:
  using Handler = std::function<void(const SseEvent&)>;

  /// Lines longer than this, or an event whose data lines add up to more, make feed()
  /// fail (a bound on memory for hostile streams).
  static constexpr std::size_t kDefaultMaxLine = 1 << 20;

  explicit SseParser(Handler handler, std::size_t max_line = kDefaultMaxLine);

  /// Parses a chunk. Returns false (and ignores the rest) once a line is over the
  /// limit; the parser stays failed.
  bool feed(std::string_view chunk);
  /// The end of the stream: a pending event without its blank line is dropped, as
  /// the spec says.
  void finish();

  /// The last event id set by the stream (what to send as Last-Event-ID).
  const std::string& last_event_id() const noexcept { return last_event_id_; }
  /// The last reconnection time set by `retry:`, in milliseconds.
  std::optional<int> retry_ms() const noexcept { return retry_ms_; }
  bool failed() const noexcept { return failed_; }

 private:
  void process_line(std::string_view line);
  void dispatch();

  Handler handler_;
  std::size_t max_line_;
  std::string line_;
  bool bom_checked_ = false;
  bool last_was_cr_ = false;
  bool failed_ = false;
  std::string data_;
  std::string event_type_;
  bool has_data_ = false;
  std::optional<std::string> event_id_;  // id field seen in the current event
  std::optional<int> event_retry_;
  std::string last_event_id_;
  std::optional<int> retry_ms_;
};

}  // namespace chat
