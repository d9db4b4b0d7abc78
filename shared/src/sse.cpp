#include "chat/sse.hpp"

#include <limits>
#include <utility>

namespace chat {
namespace {

// A field value may not hold a line break (it would end the field early), nor,
// for ids, a NUL (parsers ignore such an id).
std::string single_line(std::string_view value, bool drop_nul) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\r' || c == '\n' || (drop_nul && c == '\0')) continue;
    out += c;
  }
  return out;
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ':';
  // Always one space before a value, so a value that starts with a space keeps it
  // (parsers strip exactly one).
  if (!value.empty()) {
    out += ' ';
    out += value;
  }
  out += '\n';
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";

}  // namespace

std::string encode_sse(const SseEvent& event) {
  std::string out;
  out.reserve(event.data.size() + 32);
  const std::string name = single_line(event.event, false);
  if (!name.empty() && name != "message") append_field(out, "event", name);
  if (event.id) append_field(out, "id", single_line(*event.id, true));
  if (event.retry && *event.retry >= 0) append_field(out, "retry", std::to_string(*event.retry));

  // One data line per line of data, CR and CRLF read as LF.
  const std::string_view data = event.data;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= data.size(); ++i) {
    if (i < data.size() && data[i] != '\r' && data[i] != '\n') continue;
    append_field(out, "data", data.substr(start, i - start));
    if (i + 1 < data.size() && data[i] == '\r' && data[i + 1] == '\n') ++i;
    start = i + 1;
  }
  out += '\n';
  return out;
}

std::string encode_sse_comment(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\r' && text[i] != '\n') continue;
    out += ':';
    if (i > start) {
      out += ' ';
      out += text.substr(start, i - start);
    }
    out += '\n';
    if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  out += '\n';
  return out;
}

SseParser::SseParser(Handler handler, std::size_t max_line) : handler_(std::move(handler)), max_line_(max_line) {}

bool SseParser::feed(std::string_view chunk) {
  std::size_t pos = 0;
  // The BOM is stripped only at the very start of the stream, and may arrive split.
  while (!bom_checked_ && pos < chunk.size() && !failed_) {
    const std::size_t have = line_.size();
    if (chunk[pos] == kBom[have]) {
      line_ += chunk[pos++];
      if (line_.size() == kBom.size()) {
        line_.clear();
        bom_checked_ = true;
      }
    } else {
      bom_checked_ = true;  // a partial BOM stays in line_ as ordinary bytes
    }
  }

  while (pos < chunk.size() && !failed_) {
    if (last_was_cr_) {
      last_was_cr_ = false;
      if (chunk[pos] == '\n') {  // the LF of a CRLF split across chunks
        ++pos;
        continue;
      }
    }
    const std::size_t eol = chunk.find_first_of("\r\n", pos);
    const std::size_t end = eol == std::string_view::npos ? chunk.size() : eol;
    if (line_.size() + (end - pos) > max_line_) {
      failed_ = true;
      break;
    }
    if (eol == std::string_view::npos) {
      line_.append(chunk.substr(pos));
      break;
    }
    if (line_.empty()) {
      process_line(chunk.substr(pos, end - pos));
    } else {
      line_.append(chunk.substr(pos, end - pos));
      process_line(line_);
      line_.clear();
    }
    last_was_cr_ = chunk[eol] == '\r';
    pos = eol + 1;
  }
  return !failed_;
}

void SseParser::finish() {
  // An event without its closing blank line is dropped, as is a partial line.
  line_.clear();
  data_.clear();
  event_type_.clear();
  has_data_ = false;
  event_id_.reset();
  event_retry_.reset();
  last_was_cr_ = false;
}

void SseParser::process_line(std::string_view line) {
  if (line.empty()) {
    dispatch();
    return;
  }
  if (line[0] == ':') return;  // comment

  std::string_view field = line;
  std::string_view value;
  if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }

  if (field == "event") {
    event_type_.assign(value);
  } else if (field == "data") {
    // Many data lines add up: bound the pending event like a line.
    if (data_.size() + value.size() + 1 > max_line_) {
      failed_ = true;
      return;
    }
    data_.append(value);
    data_ += '\n';
    has_data_ = true;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) {
      last_event_id_.assign(value);
      event_id_ = std::string(value);
    }
  } else if (field == "retry") {
    if (value.empty()) return;
    long long ms = 0;
    for (const char c : value) {
      if (c < '0' || c > '9') return;
      ms = ms * 10 + (c - '0');
      if (ms > std::numeric_limits<int>::max()) return;  // not a delay we can hold
    }
    retry_ms_ = static_cast<int>(ms);
    event_retry_ = static_cast<int>(ms);
  }
  // Any other field is ignored.
}

void SseParser::dispatch() {
  if (!has_data_) {
    event_type_.clear();
    event_id_.reset();
    event_retry_.reset();
    return;
  }
  SseEvent event;
  event.event = event_type_.empty() ? "message" : std::move(event_type_);
  data_.pop_back();  // the LF after the last data line
  event.data = std::move(data_);
  event.id = std::move(event_id_);
  event.retry = event_retry_;

  data_.clear();
  event_type_.clear();
  has_data_ = false;
  event_id_.reset();
  event_retry_.reset();
  if (handler_) handler_(event);
}

}  // namespace chat
