// SMS senders: the webhook one against a fake gateway on port 0, and the dev one.
#include <catch2/catch.hpp>

#include "fake_sms_gateway.hpp"
#include "sms.hpp"

using agent_server::make_sms_sender;
using agent_server::WebhookOptions;
using chat::ErrorCode;
using namespace std::chrono_literals;

TEST_CASE("the webhook sender posts {to, text} with the bearer token") {
  test_support::FakeSmsGateway gateway;
  auto sender = make_sms_sender(WebhookOptions{gateway.url(), "sms-secret"});
  REQUIRE(sender.ok());
  CHECK(sender.value()->kind() == "webhook");

  auto sent = sender.value()->send({"+33612345678", "Votre code : 123456"});
  REQUIRE(sent.ok());
  auto posts = gateway.posts();
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].path == "/sms");
  CHECK(posts[0].authorization == "Bearer sms-secret");
  CHECK(posts[0].content_type == "application/json");
  CHECK(posts[0].body == nlohmann::json{{"to", "+33612345678"}, {"text", "Votre code : 123456"}});
  CHECK(posts[0].code() == "123456");
}

TEST_CASE("without a token the webhook sender sends no Authorization") {
  test_support::FakeSmsGateway gateway;
  auto sender = make_sms_sender(WebhookOptions{gateway.url(), ""});
  REQUIRE(sender.ok());
  REQUIRE(sender.value()->send({"+33612345678", "x"}).ok());
  CHECK(gateway.posts().at(0).authorization.empty());
}

TEST_CASE("a gateway failure is an upstream_error value") {
  test_support::FakeSmsGateway gateway;
  gateway.set_status(503);
  auto sender = make_sms_sender(WebhookOptions{gateway.url(), "t"});
  REQUIRE(sender.ok());
  auto sent = sender.value()->send({"+33612345678", "code 123456"});
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code == ErrorCode::upstream_error);
  CHECK(sent.error().message == "the SMS gateway refused the message (HTTP 503)");
  // The message names neither the code nor the token.
  CHECK(sent.error().message.find("123456") == std::string::npos);
}

TEST_CASE("a gateway that never answers is an upstream_timeout") {
  test_support::FakeSmsGateway gateway;
  gateway.set_delay(3s);
  WebhookOptions options{gateway.url(), "t"};
  options.timeout = 300ms;
  auto sender = make_sms_sender(options);
  REQUIRE(sender.ok());
  auto started = std::chrono::steady_clock::now();
  auto sent = sender.value()->send({"+33612345678", "x"});
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code == ErrorCode::upstream_timeout);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("an unreachable gateway is an upstream_error") {
  int port = 0;
  {
    test_support::FakeSmsGateway closed;  // a port that was just free again
    port = closed.port();
  }
  auto sender = make_sms_sender(WebhookOptions{"http://127.0.0.1:" + std::to_string(port) + "/sms", "t"});
  REQUIRE(sender.ok());
  auto sent = sender.value()->send({"+33612345678", "x"});
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code == ErrorCode::upstream_error);
}

TEST_CASE("a bad SMS_WEBHOOK_URL fails at creation; no URL gives the dev sender") {
  auto bad = make_sms_sender(WebhookOptions{"ftp://gateway/sms", "t"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind("SMS_WEBHOOK_URL:", 0) == 0);
  auto dev = make_sms_sender(WebhookOptions{});
  REQUIRE(dev.ok());
  CHECK(dev.value()->kind() == "dev");
  CHECK(dev.value()->send({"+33612345678", "code 123456"}).ok());
}

TEST_CASE("parse_upstream_url splits origin and path") {
  auto url = agent_server::parse_upstream_url("https://llm.example:8443/openai/v1/");
  REQUIRE(url.ok());
  CHECK(url->origin == "https://llm.example:8443");
  CHECK(url->path == "/openai/v1");
  CHECK(agent_server::parse_upstream_url("http://127.0.0.1:11434")->path.empty());
  CHECK_FALSE(agent_server::parse_upstream_url("http://").ok());
  CHECK_FALSE(agent_server::parse_upstream_url("http://user:pw@host/").ok());
  CHECK_FALSE(agent_server::parse_upstream_url("http://host/x?y=1").ok());
  CHECK_FALSE(agent_server::parse_upstream_url("host:80").ok());
}
