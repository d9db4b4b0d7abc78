// What operators and their probes read: /healthz (ready means the database takes
// writes) and /metrics (Prometheus text).

#include "kit/budgets.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "metrics.hpp"
#include "routes.hpp"
#include "storage.hpp"

namespace agent_server {

using chat::Error;
using chat::ErrorCode;

void get_healthz(Services& s, Call& c) {
  // Ready means writable: a read-only or full database fails here, not on the next
  // visitor's message. The write runs at most once a second, whatever the traffic.
  if (auto r = s.storage.check_writable(); !r) {
    kit::log_event("warn", "database not writable", {{"error", r.error().message}});
    return kit::send_error(c.res, Error(ErrorCode::database_unavailable));
  }
  kit::send_json(c.res, 200, std::string(R"({"status":"ok","db":")") + std::string(s.storage.backend()) + "\"}");
}

void get_metrics(Services& s, Call& c) {
  c.res.status = 200;
  std::string text = s.metrics.render();
  s.budgets.render(text, "agent");
  c.res.set_content(text, "text/plain; version=0.0.4");
}

}  // namespace agent_server
