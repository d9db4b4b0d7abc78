#include "kit/log.hpp"

#include <chrono>
#include <cstdio>
#include <mutex>

#include "chat/message.hpp"

namespace kit {

void log_line(std::string_view level, nlohmann::json fields) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  // The fields become the line (no copy when moved in); ts and level win.
  nlohmann::json line = fields.is_object() ? std::move(fields) : nlohmann::json::object();
  line["ts"] = chat::format_timestamp(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  line["level"] = level;
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void log_event(std::string_view level, std::string_view msg, const nlohmann::json& fields) {
  nlohmann::json line = {{"msg", msg}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  log_line(level, std::move(line));
}

}  // namespace kit
