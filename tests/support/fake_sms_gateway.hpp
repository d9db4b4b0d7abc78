#pragma once
// A fake SMS gateway for tests: a real HTTP server on 127.0.0.1:0 that captures the
// webhook POSTs (`{"to":"+33...","text":"..."}` with a bearer token) and answers
// with a scripted status.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace test_support {

struct SmsPost {
  std::string path;
  std::string authorization;
  std::string content_type;
  nlohmann::json body;  ///< null when not JSON
  /// The first run of six digits in body.text, or "".
  std::string code() const;
};

class FakeSmsGateway {
 public:
  FakeSmsGateway();
  ~FakeSmsGateway();
  FakeSmsGateway(const FakeSmsGateway&) = delete;
  FakeSmsGateway& operator=(const FakeSmsGateway&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>/sms": what SMS_WEBHOOK_URL points at.
  std::string url() const;

  /// The status every POST gets from now on (200 by default).
  void set_status(int status);
  /// A pause before answering, to test timeouts.
  void set_delay(std::chrono::milliseconds delay);

  std::vector<SmsPost> posts() const;
  /// Polls until `count` posts arrived; false at the deadline.
  bool wait_for_posts(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::vector<SmsPost> posts_;
  int status_ = 200;
  std::chrono::milliseconds delay_{0};
  bool stopping_ = false;
};

}  // namespace test_support
