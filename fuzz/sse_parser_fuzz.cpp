// Feeds the input through SseParser whole, byte by byte and in chunks chosen by the
// input itself, and checks that:
//  - every chunking gives the same events, last event id, retry and failure state;
//  - dispatched events are well formed (a name, no CR in data, no line break in name
//    or id, no NUL in id);
//  - each event, re-encoded with encode_sse, parses back to itself.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/sse.hpp"
#include "fuzz_check.hpp"

namespace {

// Small, so hostile long lines reach the limit quickly.
constexpr std::size_t kMaxLine = 256;

struct Outcome {
  std::vector<chat::SseEvent> events;
  std::string last_event_id;
  std::optional<int> retry_ms;
  bool failed = false;

  bool operator==(const Outcome& o) const {
    return events == o.events && last_event_id == o.last_event_id && retry_ms == o.retry_ms && failed == o.failed;
  }
};

Outcome run(std::string_view stream, const std::vector<std::size_t>& cuts) {
  Outcome out;
  chat::SseParser parser([&](const chat::SseEvent& e) { out.events.push_back(e); }, kMaxLine);
  std::size_t pos = 0;
  for (const std::size_t cut : cuts) {
    parser.feed(stream.substr(pos, cut - pos));
    pos = cut;
  }
  parser.feed(stream.substr(pos));
  parser.finish();
  out.last_event_id = parser.last_event_id();
  out.retry_ms = parser.retry_ms();
  out.failed = parser.failed();
  return out;
}

bool has_any(std::string_view s, std::string_view chars) {
  return s.find_first_of(chars) != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte seeds the chunk sizes; the rest is the stream.
  const unsigned seed = data[0];
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);

  const Outcome whole = run(stream, {});

  std::vector<std::size_t> bytewise;
  for (std::size_t i = 1; i < stream.size(); ++i) bytewise.push_back(i);
  FUZZ_CHECK(run(stream, bytewise) == whole);

  std::vector<std::size_t> chunks;
  unsigned state = seed * 2654435761u + 1;
  for (std::size_t pos = 0;;) {
    state = state * 1103515245u + 12345u;
    pos += 1 + (state >> 16) % 17;
    if (pos >= stream.size()) break;
    chunks.push_back(pos);
  }
  FUZZ_CHECK(run(stream, chunks) == whole);

  for (const auto& e : whole.events) {
    FUZZ_CHECK(!e.event.empty());
    FUZZ_CHECK(!has_any(e.event, "\r\n"));
    FUZZ_CHECK(!has_any(e.data, "\r"));
    if (e.id) FUZZ_CHECK(!has_any(*e.id, std::string_view("\r\n\0", 3)));
    if (e.retry) FUZZ_CHECK(*e.retry >= 0);

    std::vector<chat::SseEvent> again;
    chat::SseParser reparse([&](const chat::SseEvent& x) { again.push_back(x); });
    FUZZ_CHECK(reparse.feed(chat::encode_sse(e)));
    FUZZ_CHECK(again.size() == 1);
    FUZZ_CHECK(again[0] == e);
  }
  return 0;
}
