#include "sse_reader.hpp"

namespace test_support {

SseReader::SseReader(int port, std::string path, httplib::Headers headers)
    : port_(port), client_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
  client_->set_connection_timeout(std::chrono::seconds(5));
  // Longer than any silence a test allows; stop() ends the read at once.
  client_->set_read_timeout(std::chrono::seconds(120));
  client_->set_tcp_nodelay(true);
  thread_ = std::thread([this, path = std::move(path), headers = std::move(headers)] { run(path, headers); });
}

SseReader::~SseReader() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void SseReader::stop() {
  stopping_ = true;
  client_->stop();
}

void SseReader::run(std::string path, httplib::Headers headers) {
  chat::SseParser parser([this](const chat::SseEvent& e) {
    std::lock_guard lock(mutex_);
    events_.push_back(e);
    cv_.notify_all();
  });
  client_->Get(
      path, headers,
      [this](const httplib::Response& res) {
        std::lock_guard lock(mutex_);
        status_ = res.status;
        headers_ = res.headers;
        connected_ = true;
        cv_.notify_all();
        return !stopping_;
      },
      [this, &parser](const char* data, std::size_t size) {
        {
          std::lock_guard lock(mutex_);
          raw_.append(data, size);
        }
        parser.feed(std::string_view(data, size));
        cv_.notify_all();
        return !stopping_;
      });
  std::lock_guard lock(mutex_);
  closed_ = true;
  cv_.notify_all();
}

template <class Pred>
bool SseReader::wait_until(Pred pred, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return pred() || closed_; });
  return pred();
}

bool SseReader::wait_for(const Predicate& done, std::chrono::milliseconds timeout) {
  return wait_until([&] { return done(events_); }, timeout);
}

bool SseReader::wait_for_event(const std::string& name, const std::string& data_part,
                               std::chrono::milliseconds timeout) {
  return wait_for(
      [&](const std::vector<chat::SseEvent>& events) {
        for (const auto& e : events) {
          if (e.event == name && e.data.find(data_part) != std::string::npos) return true;
        }
        return false;
      },
      timeout);
}

bool SseReader::wait_connected(std::chrono::milliseconds timeout) {
  return wait_until([&] { return connected_; }, timeout);
}

bool SseReader::wait_for_raw(const std::string& text, std::chrono::milliseconds timeout) {
  return wait_until([&] { return raw_.find(text) != std::string::npos; }, timeout);
}

bool SseReader::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return closed_; });
}

std::vector<chat::SseEvent> SseReader::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

std::string SseReader::raw() const {
  std::lock_guard lock(mutex_);
  return raw_;
}

int SseReader::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::string SseReader::header(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = headers_.find(name);
  return it == headers_.end() ? std::string() : it->second;
}

bool SseReader::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace test_support
