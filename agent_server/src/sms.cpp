#include "sms.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "kit/log.hpp"
#include "verification.hpp"

namespace agent_server {

chat::Result<void> DevSmsSender::send(const SmsMessage& message) {
  kit::log_event("info", "sms (dev sender)", {{"to", mask_phone(message.to)}, {"text", message.text}});
  return {};
}

chat::Result<std::unique_ptr<WebhookSmsSender>> WebhookSmsSender::create(WebhookOptions options) {
  auto url = parse_upstream_url(options.url);
  if (!url) {
    return chat::Error(chat::ErrorCode::invalid_request, "SMS_WEBHOOK_URL: " + url.error().message);
  }
  return std::unique_ptr<WebhookSmsSender>(new WebhookSmsSender(std::move(options), std::move(url).value()));
}

chat::Result<void> WebhookSmsSender::send(const SmsMessage& message) {
  httplib::Client client(url_.origin);
  client.set_connection_timeout(options_.connect_timeout);
  client.set_read_timeout(options_.timeout);
  client.set_write_timeout(options_.timeout);
  client.set_tcp_nodelay(true);
  httplib::Headers headers;
  if (!options_.token.empty()) headers.emplace("Authorization", "Bearer " + options_.token);

  std::string body = nlohmann::json{{"to", message.to}, {"text", message.text}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string path = url_.path.empty() ? "/" : url_.path;
  auto started = std::chrono::steady_clock::now();
  auto res = client.Post(path, headers, body, "application/json");
  if (!res) {
    auto waited = std::chrono::steady_clock::now() - started;
    bool timed_out = res.error() == httplib::Error::ConnectionTimeout ||
                     (res.error() == httplib::Error::Read && waited >= options_.timeout);
    if (timed_out) {
      return chat::Error(chat::ErrorCode::upstream_timeout, "the SMS gateway did not answer in time");
    }
    return chat::Error(chat::ErrorCode::upstream_error,
                       "the SMS gateway could not be reached (" + httplib::to_string(res.error()) + ")");
  }
  if (res->status < 200 || res->status > 299) {
    return chat::Error(chat::ErrorCode::upstream_error,
                       "the SMS gateway refused the message (HTTP " + std::to_string(res->status) + ")");
  }
  return {};
}

chat::Result<std::unique_ptr<SmsSender>> make_sms_sender(WebhookOptions options) {
  if (options.url.empty()) return std::unique_ptr<SmsSender>(std::make_unique<DevSmsSender>());
  auto sender = WebhookSmsSender::create(std::move(options));
  if (!sender) return sender.error();
  return std::unique_ptr<SmsSender>(std::move(sender).value());
}

}  // namespace agent_server
