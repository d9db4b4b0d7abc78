#pragma once
// Sending verification codes by SMS. Two senders: the dev one that writes the
// message in the log (SMS_WEBHOOK_URL unset), and the webhook one that posts
// `{"to":"+33...","text":"..."}` with `Authorization: Bearer $SMS_WEBHOOK_TOKEN`,
// the shape an SMS gateway adapter takes.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "chat/error.hpp"
#include "upstream_url.hpp"

namespace agent_server {

struct SmsMessage {
  std::string to;    ///< E.164
  std::string text;  ///< holds the code: never log it (the dev sender aside)
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  /// Delivers or fails: upstream_error (unreachable, refused) or upstream_timeout.
  virtual chat::Result<void> send(const SmsMessage& message) = 0;
  /// "dev" or "webhook", for the start-up log.
  virtual std::string_view kind() const noexcept = 0;
};

/// Logs `{"msg":"sms (dev sender)","to":<masked>,"text":...}`: the one log line
/// allowed to carry a code, so a developer can read it.
class DevSmsSender final : public SmsSender {
 public:
  chat::Result<void> send(const SmsMessage& message) override;
  std::string_view kind() const noexcept override { return "dev"; }
};

struct WebhookOptions {
  std::string url;    ///< SMS_WEBHOOK_URL
  std::string token;  ///< SMS_WEBHOOK_TOKEN (empty: no Authorization header)
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{10000};  ///< each read and write
};

class WebhookSmsSender final : public SmsSender {
 public:
  /// Refuses a URL that isn't http(s) (invalid_request), so a typo fails at start.
  static chat::Result<std::unique_ptr<WebhookSmsSender>> create(WebhookOptions options);
  chat::Result<void> send(const SmsMessage& message) override;
  std::string_view kind() const noexcept override { return "webhook"; }

 private:
  WebhookSmsSender(WebhookOptions options, UpstreamUrl url) : options_(std::move(options)), url_(std::move(url)) {}
  WebhookOptions options_;
  UpstreamUrl url_;
};

/// The webhook sender when `options.url` is set, else the dev sender.
chat::Result<std::unique_ptr<SmsSender>> make_sms_sender(WebhookOptions options);

}  // namespace agent_server
