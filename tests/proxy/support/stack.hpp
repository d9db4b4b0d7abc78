#pragma once
// The real stack for integration tests: agent-server and chat-proxy binaries on port 0,
// SQLite files in a temporary folder, and the HTTP helpers the tests share. Every
// response a test reads through Stack::call is kept in a transcript, so a test can
// prove a token never reached a browser.

#include <httplib.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"

namespace proxy_test {

// The shared test helpers (tests/support), under the names these tests use.
using test_support::Process;
using test_support::TempDir;

// Admin tokens of 32 characters or more: both servers refuse shorter ones at start.
inline const std::string kSiteAdminToken = "site_admin_4f9c2b7e1d0a6b3c8e5f2a9d";
inline const std::string kAgentAdminToken = "agent_admin_8e2d6a1c3b7f4e0d9a2c5b81";

struct StackOptions {
  std::map<std::string, std::string> agent_env;  ///< on top of the defaults
  std::map<std::string, std::string> proxy_env;
  bool start_agent = true;
  std::string agent_url;  ///< overrides the agent server the proxy talks to
};

class Stack {
 public:
  explicit Stack(StackOptions options = {});
  ~Stack();

  /// Stops the agent server and starts it again on the same port and database.
  void restart_agent();

  /// A client to the proxy (or the agent server) with short timeouts.
  httplib::Client proxy() const;
  httplib::Client agent() const;

  /// POST /api/restaurants through the proxy's admin route; returns {id, agentId}.
  std::pair<std::string, std::string> create_restaurant(
      const std::string& name, const std::string& prompt = "Nous sommes ouverts du mardi au samedi.");
  /// The agent's apiToken, read from the agent server's admin API (not recorded).
  std::string agent_token(const std::string& agent_id);
  /// The agent's chat-scoped publicToken (what provisioning stores), the same way.
  std::string agent_public_token(const std::string& agent_id);
  /// The token the proxy stored for a restaurant, read from its SQLite file (empty
  /// when none).
  std::string stored_token(const std::string& restaurant_id) const;
  /// POST .../chat/sessions through the proxy; returns {sessionId, visitorId}.
  std::pair<std::string, std::string> create_session(const std::string& restaurant_id);

  /// Sends a request through the proxy and records the response in the transcript.
  httplib::Result call(const std::string& method, const std::string& path, const std::string& body = "",
                       httplib::Headers headers = {});
  /// Every recorded response, status line, headers and body.
  std::string transcript() const;
  void record(const std::string& text);

  /// A metric's value from /metrics (sum over labels matching `label_filter`).
  double agent_metric(const std::string& name, const std::string& label_filter = "") const;
  double proxy_metric(const std::string& name, const std::string& label_filter = "") const;
  /// Polls until `predicate` holds or the deadline passes; returns whether it held.
  static bool eventually(const std::function<bool()>& predicate,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

  int proxy_port = 0;
  int agent_port = 0;
  TempDir dir;
  std::unique_ptr<Process> agent_process;
  std::unique_ptr<Process> proxy_process;
  std::string proxy_db() const { return dir.file("alloresto.db"); }
  std::string widget_dir() const { return dir.file("widget"); }

 private:
  void start_agent(const std::string& listen);

  std::map<std::string, std::string> agent_env_;
  mutable std::mutex mutex_;
  std::string transcript_;
};

/// Sends raw bytes on a fresh TCP connection and returns everything the server sent
/// back before closing (or `timeout`). No client library touches the request line.
std::string raw_request(int port, const std::string& bytes,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// Reads an event stream on its own thread, keeping every chunk with its arrival time.
class SseReader {
 public:
  struct Chunk {
    std::chrono::steady_clock::time_point at;
    std::string data;
  };
  SseReader(int port, std::string path, httplib::Headers headers = {});
  ~SseReader();  ///< closes the connection
  void close();
  /// Everything received so far, concatenated.
  std::string text() const;
  std::vector<Chunk> chunks() const;
  int status() const;
  std::string content_type() const;
  /// Waits until the text contains `needle`.
  bool wait_for(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  httplib::Client client_;
  mutable std::mutex mutex_;
  std::vector<Chunk> chunks_;
  int status_ = 0;
  std::string content_type_;
  std::atomic<bool> closed_{false};
  std::thread thread_;
};

}  // namespace proxy_test
