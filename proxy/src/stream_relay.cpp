#include "stream_relay.hpp"

namespace chat::proxy {
namespace {
// A browser that reads slower than the agent writes is dropped rather than buffered
// without bound; it reconnects with Last-Event-ID and loses nothing.
constexpr std::size_t kMaxQueuedBytes = 1 << 20;
}  // namespace

StreamRelay::StreamRelay(std::unique_ptr<httplib::Client> client, httplib::Request request)
    : client_(std::move(client)) {
  reader_ = std::thread([this, request = std::move(request)]() mutable { run(std::move(request)); });
}

StreamRelay::~StreamRelay() {
  cancel();
  if (reader_.joinable()) reader_.join();
}

void StreamRelay::run(httplib::Request request) {
  request.response_handler = [this](const httplib::Response& response) {
    std::lock_guard lock(mutex_);
    if (cancelled_) return false;
    head_ = Head{response.status, response.headers};
    changed_.notify_all();
    return true;
  };
  request.content_receiver = [this](const char* data, std::size_t size, std::uint64_t,
                                    std::uint64_t) {
    std::lock_guard lock(mutex_);
    if (cancelled_) return false;
    if (sink_ != nullptr) {
      // Under the lock, so relay_to() can't return (and the sink die) mid-write.
      if (sink_->write(data, size)) return true;
      cancelled_ = true;
      changed_.notify_all();
      return false;
    }
    if (queued_bytes_ + size > kMaxQueuedBytes) {
      cancelled_ = true;
      changed_.notify_all();
      return false;
    }
    chunks_.emplace_back(data, size);
    queued_bytes_ += size;
    changed_.notify_all();
    return true;
  };
  {
    std::lock_guard lock(mutex_);
    if (cancelled_) {
      finished_ = true;
      error_ = httplib::Error::Canceled;
      changed_.notify_all();
      return;
    }
  }
  httplib::Response response;
  httplib::Error error = httplib::Error::Success;
  client_->send(request, response, error);
  std::lock_guard lock(mutex_);
  finished_ = true;
  error_ = error;
  changed_.notify_all();
}

std::optional<StreamRelay::Head> StreamRelay::wait_head(
    std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return head_.has_value() || finished_; });
  return head_;
}

bool StreamRelay::wait_finished(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [&] { return finished_; });
}

bool StreamRelay::relay_to(httplib::DataSink& sink, const std::atomic<bool>& stopping,
                           std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  for (auto& chunk : chunks_) {
    if (!sink.write(chunk.data(), chunk.size())) cancelled_ = true;
    if (cancelled_) break;
  }
  chunks_.clear();
  queued_bytes_ = 0;
  sink_ = &sink;
  while (!finished_ && !cancelled_ && !stopping) {
    // A browser gone without a word is noticed here too, between upstream events.
    if (!changed_.wait_for(lock, wait, [&] { return finished_ || cancelled_; }) && !sink.is_writable()) {
      cancelled_ = true;
    }
  }
  sink_ = nullptr;
  if (cancelled_) return false;
  // The upstream's end, or ours (stopping): the browser gets a clean end of stream
  // and its EventSource reconnects with Last-Event-ID.
  sink.done();
  return true;
}

std::string StreamRelay::take_all() {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(queued_bytes_);
  for (auto& chunk : chunks_) out += chunk;
  chunks_.clear();
  queued_bytes_ = 0;
  return out;
}

void StreamRelay::cancel() {
  {
    std::lock_guard lock(mutex_);
    if (cancelled_ && finished_) return;
    cancelled_ = true;
    changed_.notify_all();
  }
  // Shuts the socket down under httplib's own lock: the reader's blocked read returns.
  client_->stop();
}

httplib::Error StreamRelay::error() {
  std::lock_guard lock(mutex_);
  return error_;
}

bool StreamRelay::cancelled() {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

}  // namespace chat::proxy
