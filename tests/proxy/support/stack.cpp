#include "stack.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sqlite3.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

namespace proxy_test {
namespace {

std::string describe(const httplib::Response& res) {
  std::string out = "HTTP " + std::to_string(res.status) + "\n";
  for (const auto& [key, value] : res.headers) out += key + ": " + value + "\n";
  return out + "\n" + res.body + "\n";
}

double metric(const httplib::Client& const_cli, const std::string& name, const std::string& filter) {
  auto& cli = const_cast<httplib::Client&>(const_cli);
  auto res = cli.Get("/metrics");
  REQUIRE(res);
  double sum = 0;
  std::istringstream lines(res->body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    auto key = line.substr(0, space);
    bool name_matches = key == name || key.rfind(name + "{", 0) == 0;
    if (!name_matches || key.find(filter) == std::string::npos) continue;
    sum += std::stod(line.substr(space + 1));
  }
  return sum;
}

}  // namespace

Stack::Stack(StackOptions options) {
  std::string bin = CHAT_BIN_DIR;
  if (options.start_agent) {
    std::filesystem::create_directories(widget_dir());
    std::map<std::string, std::string> env = {{"AGENT_SERVER_ADMIN_TOKEN", kAgentAdminToken},
                                              {"WIDGET_DIR", widget_dir()},
                                              {"LOCAL_MODEL_WORD_MS", "5"},
                                              {"CHAT_HEARTBEAT_MS", "200"},
                                              {"DATABASE_URL", ""},
                                              {"LLM_BASE_URL", ""},
                                              {"SMS_WEBHOOK_URL", ""}};
    for (const auto& [k, v] : options.agent_env) env[k] = v;
    agent_env_ = env;
    start_agent("127.0.0.1:0");
  }
  std::map<std::string, std::string> env = {
      {"ALLORESTO_ADMIN_TOKEN", kSiteAdminToken},
      {"AGENT_SERVER_ADMIN_TOKEN", kAgentAdminToken},
      {"AGENT_SERVER_URL",
       options.agent_url.empty() ? "http://127.0.0.1:" + std::to_string(agent_port) : options.agent_url},
      {"PROXY_THREADS", "96"},
      {"DATABASE_URL", ""},
      {"PROXY_LISTEN", ""}};
  for (const auto& [k, v] : options.proxy_env) env[k] = v;
  proxy_process = std::make_unique<Process>(
      std::vector<std::string>{bin + "/chat-proxy", "--listen", "127.0.0.1:0", "--db", "sqlite:" + proxy_db()},
      env);
  proxy_port = proxy_process->wait_for_port();
  INFO(proxy_process->output());
  REQUIRE(proxy_port > 0);
}

void Stack::start_agent(const std::string& listen) {
  agent_process = std::make_unique<Process>(std::vector<std::string>{std::string(CHAT_BIN_DIR) + "/agent-server",
                                                                     "--listen", listen, "--db",
                                                                     "sqlite:" + dir.file("agent.db")},
                                            agent_env_);
  agent_port = agent_process->wait_for_port();
  INFO(agent_process->output());
  REQUIRE(agent_port > 0);
}

void Stack::restart_agent() {
  agent_process.reset();
  start_agent("127.0.0.1:" + std::to_string(agent_port));
}

Stack::~Stack() {
  proxy_process.reset();
  agent_process.reset();
}

httplib::Client Stack::proxy() const {
  httplib::Client cli("127.0.0.1", proxy_port);
  cli.set_read_timeout(10);
  cli.set_connection_timeout(2);
  return cli;
}

httplib::Client Stack::agent() const {
  httplib::Client cli("127.0.0.1", agent_port);
  cli.set_read_timeout(10);
  cli.set_connection_timeout(2);
  return cli;
}

std::pair<std::string, std::string> Stack::create_restaurant(const std::string& name, const std::string& prompt) {
  nlohmann::json body = {{"name", name}, {"prompt", prompt}};
  auto res = call("POST", "/api/restaurants", body.dump(), {{"Authorization", "Bearer " + kSiteAdminToken}});
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 201);
  auto j = nlohmann::json::parse(res->body);
  return {j.at("id").get<std::string>(), j.at("agentId").get<std::string>()};
}

std::string Stack::agent_token(const std::string& agent_id) {
  auto cli = agent();
  auto res = cli.Get("/api/agents/" + agent_id, {{"Authorization", "Bearer " + kAgentAdminToken}});
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto token = nlohmann::json::parse(res->body).at("apiToken").get<std::string>();
  REQUIRE(token.size() >= 16);
  return token;
}

std::string Stack::agent_public_token(const std::string& agent_id) {
  auto cli = agent();
  auto res = cli.Get("/api/agents/" + agent_id, {{"Authorization", "Bearer " + kAgentAdminToken}});
  REQUIRE(res);
  REQUIRE(res->status == 200);
  auto token = nlohmann::json::parse(res->body).at("publicToken").get<std::string>();
  REQUIRE(token.size() >= 16);
  return token;
}

std::string Stack::stored_token(const std::string& restaurant_id) const {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(proxy_db().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT agent_api_token FROM restaurants WHERE id = ?", -1, &st, nullptr) ==
          SQLITE_OK);
  sqlite3_bind_text(st, 1, restaurant_id.c_str(), -1, SQLITE_TRANSIENT);
  std::string token;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    token = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return token;
}

std::pair<std::string, std::string> Stack::create_session(const std::string& restaurant_id) {
  auto res = call("POST", "/api/chat/" + restaurant_id + "/chat/sessions", "{}",
                  {{"Content-Type", "application/json"}});
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 201);
  auto j = nlohmann::json::parse(res->body);
  return {j.at("sessionId").get<std::string>(), j.at("visitorId").get<std::string>()};
}

httplib::Result Stack::call(const std::string& method, const std::string& path, const std::string& body,
                            httplib::Headers headers) {
  auto cli = proxy();
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = std::move(headers);
  req.body = body;
  if (!body.empty() && req.headers.find("Content-Type") == req.headers.end()) {
    req.headers.emplace("Content-Type", "application/json");
  }
  auto res = cli.send(req);
  if (res) record(method + " " + path + "\n" + describe(*res));
  return res;
}

void Stack::record(const std::string& text) {
  std::lock_guard lock(mutex_);
  transcript_ += text;
}

std::string Stack::transcript() const {
  std::lock_guard lock(mutex_);
  return transcript_;
}

double Stack::agent_metric(const std::string& name, const std::string& filter) const {
  return metric(agent(), name, filter);
}

double Stack::proxy_metric(const std::string& name, const std::string& filter) const {
  return metric(proxy(), name, filter);
}

bool Stack::eventually(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string raw_request(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    // One response is enough: stop once its declared body is complete.
    auto end = out.find("\r\n\r\n");
    std::smatch m;
    static const std::regex kLength("[Cc]ontent-[Ll]ength: *([0-9]+)");
    std::string head = end == std::string::npos ? "" : out.substr(0, end);
    if (end != std::string::npos && std::regex_search(head, m, kLength) &&
        out.size() >= end + 4 + std::stoul(m[1].str())) {
      break;
    }
  }
  ::close(fd);
  return out;
}

SseReader::SseReader(int port, std::string path, httplib::Headers headers) : client_("127.0.0.1", port) {
  client_.set_read_timeout(30);
  thread_ = std::thread([this, path = std::move(path), headers = std::move(headers)] {
    client_.Get(
        path, headers,
        [this](const httplib::Response& res) {
          std::lock_guard lock(mutex_);
          status_ = res.status;
          content_type_ = res.get_header_value("Content-Type");
          return true;
        },
        [this](const char* data, std::size_t size) {
          std::lock_guard lock(mutex_);
          chunks_.push_back({std::chrono::steady_clock::now(), std::string(data, size)});
          return !closed_.load();
        });
  });
}

SseReader::~SseReader() { close(); }

void SseReader::close() {
  closed_ = true;
  client_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string SseReader::text() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& c : chunks_) out += c.data;
  return out;
}

std::vector<SseReader::Chunk> SseReader::chunks() const {
  std::lock_guard lock(mutex_);
  return chunks_;
}

int SseReader::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::string SseReader::content_type() const {
  std::lock_guard lock(mutex_);
  return content_type_;
}

bool SseReader::wait_for(const std::string& needle, std::chrono::milliseconds timeout) const {
  return Stack::eventually([&] { return text().find(needle) != std::string::npos; }, timeout);
}

}  // namespace proxy_test
