#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "chat/sse.hpp"

using namespace std::string_literals;
using chat::SseEvent;
using chat::SseParser;

namespace {

SseEvent ev(std::string data, std::string event = "message", std::optional<std::string> id = {},
            std::optional<int> retry = {}) {
  SseEvent e;
  e.event = std::move(event);
  e.data = std::move(data);
  e.id = std::move(id);
  e.retry = retry;
  return e;
}

struct Run {
  std::vector<SseEvent> events;
  std::string last_event_id;
  std::optional<int> retry_ms;
  bool failed = false;
};

/// Feeds the chunks in order to a fresh parser.
Run parse_chunks(const std::vector<std::string>& chunks, std::size_t max_line = SseParser::kDefaultMaxLine) {
  Run run;
  SseParser parser([&](const SseEvent& e) { run.events.push_back(e); }, max_line);
  for (const auto& c : chunks) parser.feed(c);
  parser.finish();
  run.last_event_id = parser.last_event_id();
  run.retry_ms = parser.retry_ms();
  run.failed = parser.failed();
  return run;
}

Run parse(const std::string& bytes) { return parse_chunks({bytes}); }

/// The same stream split at every byte position, in two and in three pieces, and
/// byte by byte, must give what one whole chunk gives.
void check_every_split(const std::string& bytes) {
  const Run whole = parse(bytes);
  for (std::size_t i = 0; i <= bytes.size(); ++i) {
    const Run two = parse_chunks({bytes.substr(0, i), bytes.substr(i)});
    INFO("split at " << i);
    REQUIRE(two.events == whole.events);
    REQUIRE(two.last_event_id == whole.last_event_id);
    REQUIRE(two.retry_ms == whole.retry_ms);
    for (std::size_t k = i; k <= bytes.size(); k += 3) {
      const Run three = parse_chunks({bytes.substr(0, i), bytes.substr(i, k - i), bytes.substr(k)});
      INFO("and at " << k);
      REQUIRE(three.events == whole.events);
    }
  }
  std::vector<std::string> bytewise;
  for (const char c : bytes) bytewise.emplace_back(1, c);
  const Run single = parse_chunks(bytewise);
  CHECK(single.events == whole.events);
  CHECK(single.last_event_id == whole.last_event_id);
}

}  // namespace

TEST_CASE("encoder: a plain message event") {
  CHECK(chat::encode_sse(ev("hello")) == "data: hello\n\n");
  CHECK(chat::encode_sse(ev("")) == "data:\n\n");
}

TEST_CASE("encoder: event name, id, retry and multi-line data") {
  CHECK(chat::encode_sse(ev("a\nb", "delta", "7", 3000)) ==
        "event: delta\nid: 7\nretry: 3000\ndata: a\ndata: b\n\n");
  CHECK(chat::encode_sse(ev("a\r\nb\rc\n", "x")) == "event: x\ndata: a\ndata: b\ndata: c\ndata:\n\n");
  CHECK(chat::encode_sse(ev(" lead")) == "data:  lead\n\n");
}

TEST_CASE("encoder: newlines in name and id are dropped, and NUL in ids") {
  CHECK(chat::encode_sse(ev("d", "de\nl\rta",
                            "1\n2\0"
                            "3"s)) == "event: delta\nid: 123\ndata: d\n\n");
}

TEST_CASE("encoder: comments") {
  CHECK(chat::encode_sse_comment() == ": ping\n\n");
  CHECK(chat::encode_sse_comment("a\nb") == ": a\n: b\n\n");
  CHECK(parse(chat::encode_sse_comment("x\r\ny")).events.empty());
}

TEST_CASE("encode -> parse gives the event back") {
  const std::vector<SseEvent> events = {ev("hello"),
                                        ev(""),
                                        ev("\n"),
                                        ev("a\nb\nc", "delta"),
                                        ev(" spaced ", " odd name"),
                                        ev("{\"k\":1}", "done", "12"),
                                        ev("x", "message", "", 10),
                                        ev("é✓😀", "error", "ü")};
  std::string stream;
  for (const auto& e : events) stream += chat::encode_sse(e);
  const Run run = parse(stream);
  CHECK(run.events == events);
  CHECK(run.last_event_id == "ü");
  CHECK(run.retry_ms == 10);
  check_every_split(stream);
}

TEST_CASE("line endings: CR, LF and CRLF, mixed") {
  const Run run = parse("data: a\r\rdata: b\n\ndata: c\r\n\r\ndata: d\r\ndata: e\n\r\n");
  CHECK(run.events == std::vector<SseEvent>{ev("a"), ev("b"), ev("c"), ev("d\ne")});
  check_every_split("data: a\r\rdata: b\n\ndata: c\r\n\r\ndata: d\r\ndata: e\n\r\n");
}

TEST_CASE("a CR at the end of one chunk and its LF at the start of the next are one break") {
  const Run run = parse_chunks({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  CHECK(run.events == std::vector<SseEvent>{ev("a\nb")});
  // A CR then a lone LF in the next chunk after a line is a blank line.
  const Run two = parse_chunks({"data: a\r", "\n", "\n"});
  CHECK(two.events == std::vector<SseEvent>{ev("a")});
}

TEST_CASE("BOM: stripped once at the start, even split; kept elsewhere") {
  const std::string bom = "\xEF\xBB\xBF";
  CHECK(parse(bom + "data: x\n\n").events == std::vector<SseEvent>{ev("x")});
  check_every_split(bom + "data: x\n\n");
  // A second BOM is part of the next line: a field named "\uFEFFdata" is ignored.
  CHECK(parse(bom + bom + "data: x\n\n").events.empty());
  // The BOM after the start is ordinary data.
  CHECK(parse("data: " + bom + "\n\n").events == std::vector<SseEvent>{ev(bom)});
  // A partial BOM is not stripped.
  CHECK(parse("\xEF\xBB"
              "data: x\n\n")
            .events.empty());
  CHECK(parse("\xEF\n"
              "data: x\n\n")
            .events == std::vector<SseEvent>{ev("x")});
}

TEST_CASE("field parsing: one leading space stripped, colon-less lines, comments") {
  CHECK(parse("data:x\n\n").events == std::vector<SseEvent>{ev("x")});
  CHECK(parse("data:  x\n\n").events == std::vector<SseEvent>{ev(" x")});
  CHECK(parse("data: a:b: c\n\n").events == std::vector<SseEvent>{ev("a:b: c")});
  // "data" alone is the field with an empty value: an event with empty data.
  CHECK(parse("data\n\n").events == std::vector<SseEvent>{ev("")});
  CHECK(parse("data\ndata\n\n").events == std::vector<SseEvent>{ev("\n")});
  CHECK(parse(": comment\ndata: x\n:another\n\n").events == std::vector<SseEvent>{ev("x")});
  CHECK(parse("Data: x\nunknown: y\n\n").events.empty());
  CHECK(parse("event: delta\ndata: x\n\n").events == std::vector<SseEvent>{ev("x", "delta")});
  // "event" without a value falls back to "message".
  CHECK(parse("event\ndata: x\n\n").events == std::vector<SseEvent>{ev("x")});
}

TEST_CASE("dispatch only on a blank line with data; type and id reset afterwards") {
  const Run run = parse("event: delta\n\ndata: x\n\nevent: done\nid: 3\ndata: y\n\ndata: z\n\n");
  CHECK(run.events == std::vector<SseEvent>{ev("x"), ev("y", "done", "3"), ev("z")});
  CHECK(run.last_event_id == "3");
}

TEST_CASE("id: persists as last_event_id, NUL ignored, empty resets") {
  CHECK(parse("id: 5\n\n").last_event_id == "5");  // set even without an event
  CHECK(parse("id: 5\n\nid: 6\n\n").last_event_id == "6");
  CHECK(parse("id: 5\n\nid: 6\0x\n\n"s).last_event_id == "5");
  CHECK(parse("id: 5\n\nid\n\n").last_event_id.empty());
  const Run run = parse("id: 5\ndata: a\n\nid: 9\0\ndata: b\n\n"s);
  CHECK(run.events == std::vector<SseEvent>{ev("a", "message", "5"), ev("b")});
  CHECK(run.last_event_id == "5");
}

TEST_CASE("retry: only all ASCII digits") {
  CHECK(parse("retry: 1500\n\n").retry_ms == 1500);
  CHECK_FALSE(parse("retry: 15x\n\n").retry_ms.has_value());
  CHECK_FALSE(parse("retry: -5\n\n").retry_ms.has_value());
  CHECK_FALSE(parse("retry:  5\n\n").retry_ms.has_value());
  CHECK_FALSE(parse("retry:\n\n").retry_ms.has_value());
  CHECK_FALSE(parse("retry: 99999999999999999999\n\n").retry_ms.has_value());
  CHECK(parse("retry: 10\nretry: x\n\n").retry_ms == 10);
  const Run run = parse("retry: 20\ndata: a\n\n");
  CHECK(run.events == std::vector<SseEvent>{ev("a", "message", {}, 20)});
}

TEST_CASE("an event without its blank line is dropped at the end of the stream") {
  CHECK(parse("data: x\n").events.empty());
  CHECK(parse("data: x").events.empty());
  CHECK(parse("data: a\n\ndata: b").events == std::vector<SseEvent>{ev("a")});
  // After finish() the parser starts clean: a half event does not leak into the next.
  Run run;
  SseParser parser([&](const SseEvent& e) { run.events.push_back(e); });
  parser.feed("event: delta\ndata: half");
  parser.finish();
  parser.feed("data: b\n\n");
  CHECK(run.events == std::vector<SseEvent>{ev("b")});
}

TEST_CASE("line length is bounded, and the parser stays failed") {
  Run run;
  SseParser parser([&](const SseEvent& e) { run.events.push_back(e); }, 16);
  CHECK(parser.feed("data: short\n\n"));
  CHECK(run.events.size() == 1);
  CHECK_FALSE(parser.feed("data: this line is too long"));
  CHECK(parser.failed());
  CHECK_FALSE(parser.feed("\n\ndata: x\n\n"));
  CHECK(run.events.size() == 1);

  // The limit holds for a line that arrives a byte at a time, and exactly 16 passes.
  std::vector<std::string> bytes;
  for (const char c : std::string("data: 0123456789\n\ndata: 01234567890\n\n")) bytes.emplace_back(1, c);
  const Run slow = parse_chunks(bytes, 16);
  CHECK(slow.failed);
  CHECK(slow.events == std::vector<SseEvent>{ev("0123456789")});
}

TEST_CASE("many data lines in one event are bounded too") {
  std::string stream;
  for (int i = 0; i < 20; ++i) stream += "data: 0123456789\n";
  const Run run = parse_chunks({stream + "\n"}, 64);
  CHECK(run.failed);
  CHECK(run.events.empty());
}

TEST_CASE("a realistic stream survives every split") {
  const std::string stream = "\xEF\xBB\xBF: hello\r\nretry: 2000\r\nid: 1\r\nevent: message\r\n"
                             "data: {\"id\":\"a\",\"seq\":1}\r\n\r\n"
                             "event: delta\ndata: {\"text\":\"Bon\"}\n\n"
                             "event: delta\rdata: {\"text\":\"jour\"}\r\r"
                             ": ping\n\n"
                             "id: 2\ndata: line one\ndata: line two\n\n"
                             "event: done\ndata\n\n"
                             "data: trailing";
  const Run run = parse(stream);
  REQUIRE(run.events.size() == 5);
  CHECK(run.events[0] == ev("{\"id\":\"a\",\"seq\":1}", "message", "1", 2000));
  CHECK(run.events[3] == ev("line one\nline two", "message", "2"));
  CHECK(run.events[4] == ev("", "done"));
  CHECK(run.last_event_id == "2");
  check_every_split(stream);
}
