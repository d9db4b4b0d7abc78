#include "server_fixture.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "pg_cluster.hpp"

namespace agent_test {

AgentServer::AgentServer(ServerOptions options) : dir_("agent-server-test"), options_(std::move(options)) {
  db_url_ = options_.db_url.empty() ? "sqlite:" + dir_.file("agent.db") : options_.db_url;
  ::mkdir(widget_dir().c_str(), 0755);
  start();
}

AgentServer::~AgentServer() = default;

void AgentServer::start() {
  std::map<std::string, std::string> env = {
      {"AGENT_SERVER_ADMIN_TOKEN", kAdminToken},
      {"LOCAL_MODEL_WORD_MS", "0"},
      {"WIDGET_DIR", widget_dir()},
      {"DATABASE_URL", ""},
      {"AGENT_SERVER_LISTEN", ""},
      {"CHAT_HEARTBEAT_MS", ""},
      {"CHAT_SESSION_MESSAGES_PER_MIN", ""},
      {"CHAT_AGENT_MESSAGES_PER_MIN", ""},
      // Few threads in tests, so 2 cores shared by many suites stay responsive; the
      // 50-streams test raises it.
      {"AGENT_SERVER_THREADS", "96"},
  };
  for (const auto& [k, v] : options_.env) env[k] = v;
  process_ = std::make_unique<test_support::Process>(
      std::vector<std::string>{AGENT_SERVER_BIN, "--listen", "127.0.0.1:0", "--db", db_url_}, env);
  port_ = process_->wait_for_port();
  INFO(process_->output());
  REQUIRE(port_ > 0);
}

void AgentServer::restart() {
  process_->kill();
  start();
}

int AgentServer::stop() { return process_->stop(); }

test_support::HttpClient AgentServer::admin() const { return with_token(kAdminToken); }

test_support::HttpClient AgentServer::with_token(const std::string& token) const {
  test_support::HttpClient client(port_);
  client.with_header("Authorization", "Bearer " + token);
  return client;
}

test_support::HttpClient AgentServer::anonymous() const { return test_support::HttpClient(port_); }

nlohmann::json AgentServer::create_agent(const nlohmann::json& body) {
  nlohmann::json request = body.is_null() ? nlohmann::json{{"name", "Chez Marie"}, {"prompt", kPrompt}} : body;
  auto res = admin().post_json("/api/agents", request);
  INFO(res.body);
  REQUIRE(res.status == 201);
  return res.json();
}

httplib::Headers Chat::headers() const {
  return {{"Authorization", "Bearer " + token}, {"X-Chat-Visitor", visitor}};
}

test_support::HttpResponse Chat::post(const std::string& text) const {
  return server->anonymous().post_json("/api/chat/sessions/" + session_id + "/messages",
                                       nlohmann::json{{"text", text}}, headers());
}

test_support::HttpResponse Chat::get() const {
  return server->anonymous().get("/api/chat/sessions/" + session_id, headers());
}

std::string Chat::events_path(long long last_event_id) const {
  std::string path = "/api/chat/sessions/" + session_id + "/events?visitor=" + visitor;
  if (last_event_id >= 0) path += "&lastEventId=" + std::to_string(last_event_id);
  return path;
}

Chat open_chat(AgentServer& server, const nlohmann::json& agent_body, const nlohmann::json& session_body) {
  Chat chat;
  chat.server = &server;
  chat.agent = server.create_agent(agent_body);
  chat.token = chat.agent.at("publicToken").get<std::string>();
  auto res = server.with_token(chat.token).post_json("/api/chat/sessions", session_body);
  INFO(res.body);
  REQUIRE(res.status == 201);
  chat.session_id = res.json().at("sessionId").get<std::string>();
  chat.visitor = res.json().at("visitorId").get<std::string>();
  return chat;
}

std::string database_for(const std::string& backend, const test_support::TempDir& dir) {
  if (backend == "sqlite") return "sqlite:" + dir.file("agent.db");
  auto* cluster = test_support::PgCluster::shared();
  if (!cluster) return {};
  return cluster->create_database();
}

}  // namespace agent_test
