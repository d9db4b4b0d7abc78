#include "fake_sms_gateway.hpp"

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace test_support {

std::string SmsPost::code() const {
  if (!body.is_object() || !body.contains("text") || !body["text"].is_string()) return "";
  const std::string text = body["text"].get<std::string>();
  std::string run;
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      run.push_back(c);
      continue;
    }
    if (run.size() == 6) return run;
    run.clear();
  }
  return run.size() == 6 ? run : "";
}

FakeSmsGateway::FakeSmsGateway() {
  server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
    SmsPost post{req.path, req.get_header_value("Authorization"), req.get_header_value("Content-Type"),
                 nlohmann::json::parse(req.body, nullptr, false)};
    if (post.body.is_discarded()) post.body = nullptr;
    int status = 200;
    {
      std::unique_lock lock(mutex_);
      posts_.push_back(std::move(post));
      status = status_;
      cv_.notify_all();
      if (delay_.count() > 0) cv_.wait_for(lock, delay_, [&] { return stopping_; });
    }
    res.status = status;
    res.set_content(status < 300 ? R"({"queued":true})" : R"({"error":"gateway failure"})", "application/json");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake SMS gateway: cannot bind");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() before listen_after_bind() has started would be lost: wait for it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) std::abort();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeSmsGateway::~FakeSmsGateway() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  server_.stop();
  thread_.join();
}

std::string FakeSmsGateway::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/sms"; }

void FakeSmsGateway::set_status(int status) {
  std::lock_guard lock(mutex_);
  status_ = status;
}

void FakeSmsGateway::set_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(mutex_);
  delay_ = delay;
}

std::vector<SmsPost> FakeSmsGateway::posts() const {
  std::lock_guard lock(mutex_);
  return posts_;
}

bool FakeSmsGateway::wait_for_posts(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] { return posts_.size() >= count; });
}

}  // namespace test_support
