#pragma once
// The real agent-server binary, started for one test on port 0 over a SQLite file
// (or a database of the shared PostgreSQL test cluster), and helpers to drive it.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http.hpp"
#include "process.hpp"

namespace agent_test {

inline constexpr const char* kAdminToken = "test-admin-token-0123456789abcdef";

/// A prompt the local model can answer from.
inline constexpr const char* kPrompt = "Restaurant Chez Marie, cuisine française.\n"
                                       "Horaires : du mardi au samedi, 12h-14h30 et 19h-22h30.\n"
                                       "Adresse : 12 rue des Lilas, 75011 Paris.\n"
                                       "Téléphone : 01 23 45 67 89.\n"
                                       "Menu : Entrecôte frites 24 €, Salade niçoise 14 €, Tarte tatin 8 €.";

struct ServerOptions {
  std::string db_url;                      ///< empty: a SQLite file in the fixture's folder
  std::map<std::string, std::string> env;  ///< over the defaults; an empty value unsets
};

class AgentServer {
 public:
  explicit AgentServer(ServerOptions options = {});
  ~AgentServer();

  int port() const { return port_; }
  const std::string& db_url() const { return db_url_; }
  /// WIDGET_DIR of this server (created empty).
  std::string widget_dir() const { return dir_.file("widget"); }
  test_support::Process& process() { return *process_; }

  /// SIGKILL, then a new process on the same database (and a new port).
  void restart();
  /// SIGTERM; returns the exit code.
  int stop();

  test_support::HttpClient admin() const;
  test_support::HttpClient with_token(const std::string& token) const;
  test_support::HttpClient anonymous() const;

  /// POST /api/agents as admin ({name, prompt} by default); REQUIREs a 201.
  nlohmann::json create_agent(const nlohmann::json& body = nullptr);

 private:
  void start();

  test_support::TempDir dir_;
  ServerOptions options_;
  std::string db_url_;
  std::unique_ptr<test_support::Process> process_;
  int port_ = -1;
};

/// One visitor's chat session with one agent.
struct Chat {
  AgentServer* server = nullptr;
  nlohmann::json agent;
  std::string token;  ///< the agent's publicToken
  std::string session_id;
  std::string visitor;

  /// Authorization and X-Chat-Visitor.
  httplib::Headers headers() const;
  /// POST /messages {text}.
  test_support::HttpResponse post(const std::string& text) const;
  /// GET the session.
  test_support::HttpResponse get() const;
  /// The event stream path with ?visitor= (and lastEventId= when >= 0).
  std::string events_path(long long last_event_id = -1) const;
};

/// Creates an agent (body as create_agent) and a session on it.
Chat open_chat(AgentServer& server, const nlohmann::json& agent_body = nullptr,
               const nlohmann::json& session_body = nlohmann::json::object());

/// A database URL for `backend` ("sqlite" or "postgres"): a file in `dir`, or a
/// fresh database of the shared cluster. Empty when PostgreSQL is unavailable.
std::string database_for(const std::string& backend, const test_support::TempDir& dir);

}  // namespace agent_test
