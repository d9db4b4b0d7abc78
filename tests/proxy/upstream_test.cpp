// The proxy's connections to the real agent server: kept alive and reused, given up
// when the agent server restarts (no request lost), and thousands of event streams
// held at once on the default capacity settings.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "stream_crowd.hpp"
#include "support/stack.hpp"

using namespace proxy_test;
using namespace std::chrono_literals;

TEST_CASE("requests reuse kept-alive connections, and survive an agent server restart", "[upstream]") {
  StackOptions options;
  options.proxy_env = {{"CHAT_CLIENT_SESSIONS_PER_HOUR", "0"}};
  Stack stack(options);
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  const std::string sessions = "/api/chat/" + restaurant + "/chat/sessions";
  const double opened_before = stack.proxy_metric("chat_proxy_upstream_connections_opened_total");
  for (int i = 0; i < 20; ++i) {
    auto res = stack.call("POST", sessions, "{}");
    REQUIRE(res);
    REQUIRE(res->status == 201);
  }
  // One after another: one connection carried them all.
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_opened_total") - opened_before <= 1);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_reused_total") >= 19);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_idle") >= 1);

  // The agent server stops (its kept-alive connections close) and starts again on
  // the same port: the next requests find the closed connections and open new ones.
  stack.restart_agent();
  for (int i = 0; i < 3; ++i) {
    auto res = stack.call("POST", sessions, "{}");
    REQUIRE(res);
    INFO(res->body);
    CHECK(res->status == 201);
  }
  CHECK(stack.proxy_metric("chat_proxy_upstream_errors_total") == 0);
}

TEST_CASE("PROXY_UPSTREAM_KEEPALIVE=0: a new connection per request", "[upstream]") {
  StackOptions options;
  options.proxy_env = {{"PROXY_UPSTREAM_KEEPALIVE", "0"}};
  Stack stack(options);
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  const double opened_before = stack.proxy_metric("chat_proxy_upstream_connections_opened_total");
  for (int i = 0; i < 3; ++i) REQUIRE(stack.call("GET", "/widget/chat.js")->status != 502);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_opened_total") - opened_before == 3);
  CHECK(stack.proxy_metric("chat_proxy_upstream_connections_reused_total") == 0);
}

TEST_CASE("3,000 event streams held through one proxy on the default capacity; a message is answered on all",
          "[upstream][capacity]") {
  constexpr std::size_t kStreams = 3000;
  if (!test_support::StreamCrowd::allow_open_files(kStreams + 512)) {
    WARN("the open-file hard limit is under " << kStreams + 512 << ": test skipped");
    return;
  }
  StackOptions options;
  // Default workers and stream limits on both sides, the default heartbeat; only the
  // per-client caps are off, since every stream comes from this one address.
  options.agent_env = {{"CHAT_HEARTBEAT_MS", ""}, {"AGENT_SERVER_THREADS", ""}, {"LOCAL_MODEL_WORD_MS", "0"}};
  options.proxy_env = {{"PROXY_THREADS", ""}, {"PROXY_MAX_CONNECTIONS_PER_CLIENT", "0"}};
  Stack stack(options);
  auto [restaurant, agent_id] = stack.create_restaurant("Chez Paul");
  auto [session, visitor] = stack.create_session(restaurant);
  const std::string base = "/api/chat/" + restaurant + "/chat/sessions/" + session;
  {
    test_support::StreamCrowd crowd(stack.proxy_port, kStreams,
                                    "GET " + base + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                        "Accept: text/event-stream\r\nX-Chat-Visitor: " + visitor + "\r\n\r\n");
    const std::size_t started = crowd.wait_all("retry: 2000", 300s);
    for (std::size_t i = 0; i < crowd.size() && started < kStreams; ++i) {
      if (crowd.received(i).find("retry: 2000") != std::string::npos) continue;
      UNSCOPED_INFO("a stream that did not start got: " << crowd.received(i).substr(0, 400));
      break;
    }
    REQUIRE(started == kStreams);
    CHECK(stack.proxy_metric("chat_proxy_open_streams") == kStreams);
    CHECK(stack.agent_metric("agent_open_streams") == kStreams);
    CHECK(stack.proxy_metric("chat_proxy_connections_shed_total") == 0);
    CHECK(stack.agent_metric("agent_connections_shed_total") == 0);

    auto posted = stack.call("POST", base + "/messages", R"({"text":"Vous êtes ouverts ce soir ?"})",
                             {{"X-Chat-Visitor", visitor}});
    REQUIRE(posted);
    REQUIRE(posted->status == 202);
    CHECK(crowd.wait_all("event: done", 300s) == kStreams);
  }
  CHECK(Stack::eventually([&] { return stack.proxy_metric("chat_proxy_open_streams") == 0; }, 60s));
  CHECK(Stack::eventually([&] { return stack.agent_metric("agent_open_streams") == 0; }, 60s));
}

namespace {

// Runs `command` through the shell; its exit status.
int shell(const std::string& command) { return std::system(command.c_str()); }

bool connects(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

TEST_CASE("an https agent server: TLS, its certificate checked against the trusted CAs", "[upstream][tls]") {
  if (shell("command -v nginx >/dev/null && command -v openssl >/dev/null") != 0) {
    WARN("nginx or openssl missing: test skipped (script/bootstrap installs both)");
    return;
  }
  Stack plain;  // the agent server, and a proxy that talks to it in clear
  test_support::TempDir dir;
  // A self-signed certificate for localhost, and nginx terminating TLS in front of
  // the agent server (streams unbuffered).
  REQUIRE(shell("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
                "-addext subjectAltName=DNS:localhost -keyout " +
                dir.file("key.pem") + " -out " + dir.file("cert.pem") + " 2>/dev/null") == 0);
  const int tls_port = test_support::free_tcp_port();
  // One process (master_process off): the test's kill ends all of nginx.
  std::ofstream(dir.file("nginx.conf"))
      << "daemon off; master_process off; pid " << dir.file("nginx.pid") << "; error_log " << dir.file("error.log")
      << ";\nevents {}\nhttp {\n access_log off;\n"
      << " client_body_temp_path " << dir.file("body") << "; proxy_temp_path " << dir.file("proxy") << ";\n"
      << " server {\n  listen 127.0.0.1:" << tls_port << " ssl;\n"
      << "  ssl_certificate " << dir.file("cert.pem") << "; ssl_certificate_key " << dir.file("key.pem") << ";\n"
      << "  location / { proxy_pass http://127.0.0.1:" << plain.agent_port << "; proxy_http_version 1.1;\n"
      << "   proxy_set_header Connection \"\"; proxy_buffering off; }\n }\n}\n";
  test_support::Process nginx({"/usr/sbin/nginx", "-c", dir.file("nginx.conf"), "-p", dir.path()});
  INFO(nginx.output());
  REQUIRE(Stack::eventually([&] { return connects(tls_port); }, 10s));

  StackOptions trusted;
  trusted.start_agent = false;
  trusted.agent_url = "https://localhost:" + std::to_string(tls_port);
  trusted.proxy_env = {{"SSL_CERT_FILE", dir.file("cert.pem")}};
  Stack secure(trusted);
  // Provisioning, a session, a stream and a reply, all over TLS.
  auto [restaurant, agent_id] = secure.create_restaurant("Chez Paul");
  auto [session, visitor] = secure.create_session(restaurant);
  const std::string base = "/api/chat/" + restaurant + "/chat/sessions/" + session;
  SseReader stream(secure.proxy_port, base + "/events", {{"X-Chat-Visitor", visitor}});
  REQUIRE(stream.wait_for("retry: 2000"));
  auto posted = secure.call("POST", base + "/messages", R"({"text":"Bonjour"})", {{"X-Chat-Visitor", visitor}});
  REQUIRE(posted);
  CHECK(posted->status == 202);
  CHECK(stream.wait_for("event: done", 20s));

  // Without the certificate among its trusted CAs, the proxy refuses to talk.
  StackOptions untrusted = trusted;
  untrusted.proxy_env = {{"SSL_CERT_FILE", "/nonexistent.pem"}, {"SSL_CERT_DIR", "/nonexistent"}};
  Stack wary(untrusted);
  auto refused = wary.call("GET", "/widget/chat.js");
  REQUIRE(refused);
  CHECK(refused->status == 502);
  CHECK(refused->body.find("TLS") != std::string::npos);
}
