#include "fake_legacy_agent_server.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace test_support {
namespace {

const char* kError401 = R"({"error":{"code":"unauthorized","message":"A valid bearer token is required."}})";

}  // namespace

FakeLegacyAgentServer::FakeLegacyAgentServer(std::string admin_token, bool extra_fields)
    : admin_token_(std::move(admin_token)), extra_fields_(extra_fields) {
  server_.Post("/api/agents", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer " + admin_token_) {
      res.status = 401;
      res.set_content(kError401, "application/json");
      return note(req, 401);
    }
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    std::string name = body.is_object() && body.contains("name") && body["name"].is_string()
                           ? body["name"].get<std::string>()
                           : "?";
    long id = 0;
    {
      std::lock_guard lock(mutex_);
      id = next_id_++;
    }
    res.status = 201;
    res.set_content(agent_json(id, name), "application/json");
    note(req, 201);
  });
  server_.Get(R"(/api/agents/([0-9]{1,6}))", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer " + admin_token_) {
      res.status = 401;
      res.set_content(kError401, "application/json");
      return note(req, 401);
    }
    long id = std::strtol(req.matches[1].str().c_str(), nullptr, 10);
    if (id < 1 || id > 100000) {
      res.status = 404;
      res.set_content(R"({"error":{"code":"agent_not_found","message":"No such agent."}})", "application/json");
      return note(req, 404);
    }
    res.status = 200;
    res.set_content(agent_json(id, "Agent " + std::to_string(id)), "application/json");
    note(req, 200);
  });
  server_.Post("/api/chat/sessions", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string auth = req.get_header_value("Authorization");
    const std::string prefix = "Bearer legacy_";
    if (auth.rfind(prefix, 0) != 0) {
      res.status = 401;
      res.set_content(kError401, "application/json");
      return note(req, 401);
    }
    res.status = 201;
    res.set_content(
        R"({"sessionId":"0f4e9a52-3c1d-4b7e-9a6f-2d8c5b1e7a30","visitorId":"legacyvisitor0123456789abcdefghij",)"
        R"("phoneRequired":false,"verified":false,"messages":[]})",
        "application/json");
    note(req, 201);
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("fake legacy agent server: cannot bind");
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // stop() before listen_after_bind() has started would be lost: wait for it.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_.is_running()) {
    if (std::chrono::steady_clock::now() > deadline) std::abort();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

FakeLegacyAgentServer::~FakeLegacyAgentServer() {
  server_.stop();
  thread_.join();
}

std::string FakeLegacyAgentServer::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string FakeLegacyAgentServer::api_token(long id) {
  return "legacy_" + std::to_string(id) + "_tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
}

std::vector<std::string> FakeLegacyAgentServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::string FakeLegacyAgentServer::agent_json(long id, const std::string& name) const {
  nlohmann::json j = {{"id", id}, {"apiToken", api_token(id)}};
  if (extra_fields_) {
    j["name"] = name;
    j["publicToken"] = nullptr;
    j["prompt"] = nullptr;
    j["createdAt"] = 1700000000;
    j["active"] = true;
    j["voice"] = {{"provider", "acme"}, {"speed", 1.25}};
    j["phoneNumbers"] = {"+33123456789", "+33987654321"};
    j["chatEnabled"] = "yes";
  }
  return j.dump();
}

void FakeLegacyAgentServer::note(const httplib::Request& req, int status) {
  std::lock_guard lock(mutex_);
  requests_.push_back(req.method + " " + req.path + " " + std::to_string(status));
}

}  // namespace test_support
