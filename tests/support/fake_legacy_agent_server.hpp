#pragma once
// A fake of a third-party agent server we cannot run: its admin API speaks its own
// agent shape, `{"id": 7, "apiToken": "..."}` (a numeric id, no publicToken), with
// extra fields of its own when asked. Just enough for the site's provisioning and
// backfill: POST /api/agents, GET /api/agents/:id (any id from 1 to 100000), both with
// the admin bearer token; and POST /api/chat/sessions with an agent's apiToken, so a
// test can show the proxy injects what it stored. A real HTTP server on 127.0.0.1:0.

#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

class FakeLegacyAgentServer {
 public:
  /// `extra_fields`: every agent also carries fields the site must ignore (strings,
  /// numbers, nulls, objects, arrays, and a `publicToken` of null).
  FakeLegacyAgentServer(std::string admin_token, bool extra_fields);
  ~FakeLegacyAgentServer();
  FakeLegacyAgentServer(const FakeLegacyAgentServer&) = delete;
  FakeLegacyAgentServer& operator=(const FakeLegacyAgentServer&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>": what AGENT_SERVER_URL points at.
  std::string url() const;
  /// The apiToken of agent `id` (POST /api/agents hands out ids from 7 up).
  static std::string api_token(long id);
  /// "METHOD path status" of every request, in order.
  std::vector<std::string> requests() const;

 private:
  std::string agent_json(long id, const std::string& name) const;
  void note(const httplib::Request& req, int status);

  std::string admin_token_;
  bool extra_fields_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  long next_id_ = 7;
  std::vector<std::string> requests_;
};

}  // namespace test_support
