// Option B (issue 13): docs/examples/nginx-option-b.conf, templated as its header
// says, run by Debian's nginx in front of the real agent server; a chat through it
// with its reply streamed, and what it must never let through.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "server_fixture.hpp"
#include "sse_reader.hpp"

using nlohmann::json;
using test_support::HttpClient;

namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

TEST_CASE("the example nginx config of option B relays the chat with the public token, streaming") {
  if (::access(kNginx, X_OK) != 0) {
    WARN("nginx unavailable: skipped");
    return;
  }
  // Words paced, so a buffering relay would show: the first delta comes before done.
  agent_test::AgentServer server({"", {{"LOCAL_MODEL_WORD_MS", "20"}}});
  json agent = server.create_agent();
  const std::string public_token = agent.at("publicToken");
  const std::string api_token = agent.at("apiToken");
  REQUIRE(test_support::write_file(server.widget_dir() + "/chat.js", "/* widget */"));

  test_support::TempDir dir("chat-nginx");
  const int port = test_support::free_tcp_port();
  std::string conf = read_file(std::string(AGENT_SERVER_SQL_DIR) + "/../../docs/examples/nginx-option-b.conf");
  REQUIRE(conf.find("${CHAT_PUBLIC_TOKEN}") != std::string::npos);
  replace_all(conf, "${LISTEN}", "127.0.0.1:" + std::to_string(port));
  replace_all(conf, "${AGENT_SERVER}", "127.0.0.1:" + std::to_string(server.port()));
  replace_all(conf, "${CHAT_PUBLIC_TOKEN}", public_token);
  REQUIRE(test_support::write_file(dir.file("nginx.conf"), conf));
  // Root's workers would run as nobody, who can't enter the test's private folder.
  std::string globals = "daemon off; error_log stderr notice;";
  if (::geteuid() == 0) globals += " user root;";
  test_support::Process nginx(
      {kNginx, "-p", dir.path(), "-c", dir.file("nginx.conf"), "-e", "stderr", "-g", globals});
  // A graceful stop, whatever happens: the workers outlive a killed master.
  struct Stop {
    test_support::Process& process;
    ~Stop() { process.stop(std::chrono::seconds(5)); }
  } stop{nginx};
  // The listening socket is open before the workers start.
  REQUIRE(nginx.wait_for_line("start worker process", std::chrono::seconds(20)));
  HttpClient site(port);

  // The page's calls carry no token (a stray one of the browser's is replaced).
  auto created = site.post_json("/api/chat/sessions", json::object(), {{"Authorization", "Bearer not-mine"}});
  INFO(nginx.output());
  REQUIRE(created.status == 201);
  const std::string sid = created.json().at("sessionId");
  const std::string visitor = created.json().at("visitorId");
  // Same-origin POSTs carry Origin: nginx drops it, the agent allows no origin.
  auto with_origin = site.post_json("/api/chat/sessions", json::object(), {{"Origin", "http://127.0.0.1"}});
  CHECK(with_origin.status == 201);

  test_support::SseReader stream(port, "/api/chat/sessions/" + sid + "/events?visitor=" + visitor);
  REQUIRE(stream.wait_connected());
  CHECK(stream.header("Content-Type") == "text/event-stream");
  auto posted = site.post_json("/api/chat/sessions/" + sid + "/messages", {{"text", "Quels sont vos horaires ?"}},
                               {{"X-Chat-Visitor", visitor}});
  REQUIRE(posted.status == 202);
  REQUIRE(stream.wait_for_event("delta"));
  bool done_with_first_delta = false;
  for (const auto& e : stream.events()) done_with_first_delta = done_with_first_delta || e.event == "done";
  CHECK_FALSE(done_with_first_delta);
  REQUIRE(stream.wait_for_event("done"));
  CHECK(stream.wait_for_event("message", "\"role\":\"agent\""));
  CHECK(stream.raw().find("mardi") != std::string::npos);

  CHECK(site.get("/widget/chat.js").status == 200);
  // Nothing but the chat and the widget; the token never comes back.
  const std::string id = agent.at("id");
  for (const std::string& path : std::vector<std::string>{"/api/agents/" + id, "/api/chat/../agents/" + id,
                                                          "/api/chat/%2e%2e/agents/" + id, "/metrics"}) {
    auto res = site.get(path);
    INFO(path << ": " << res.body);
    CHECK(res.status == 404);
  }
  const std::string loaded = site.get("/api/chat/sessions/" + sid, {{"X-Chat-Visitor", visitor}}).body;
  for (const std::string& body : std::vector<std::string>{created.body, posted.body, stream.raw(), loaded}) {
    CHECK(body.find(public_token) == std::string::npos);
    CHECK(body.find(api_token) == std::string::npos);
  }
}
