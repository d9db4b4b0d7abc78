// Readiness of the proxy: /healthz answers 503 database_unavailable while its database
// cannot be written (a real write probe, at most once a second), 200 again after.
#include <sqlite3.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "pg_cluster.hpp"
#include "support/stack.hpp"

using namespace proxy_test;

namespace {

/// `chattr +i` / `-i`: the one way found to make a SQLite file unwritable for root,
/// whom chmod does not stop. False when the attribute can't be set here.
bool set_immutable(const std::vector<std::string>& files, bool on) {
  for (const auto& file : files) {
    std::string command = std::string("chattr ") + (on ? "+i" : "-i") + " '" + file + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0) return false;
  }
  return true;
}

int health_status(int port, std::string* body = nullptr) {
  httplib::Client cli("127.0.0.1", port);
  cli.set_read_timeout(10);
  auto res = cli.Get("/healthz");
  if (!res) return 0;
  if (body) *body = res->body;
  return res->status;
}

void check_unavailable(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["error"]["code"] == "database_unavailable");
  CHECK(j["error"]["message"].is_string());
}

long probes_in(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT probes FROM proxy_health WHERE id = 1", -1, &st, nullptr) == SQLITE_OK);
  long probes = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return probes;
}

}  // namespace

TEST_CASE("proxy healthz on SQLite: a real write, once a second at most; 503 when the file is immutable",
          "[health]") {
  StackOptions options;
  options.start_agent = false;
  options.agent_url = "http://127.0.0.1:9";
  Stack stack(options);
  std::string body;
  REQUIRE(health_status(stack.proxy_port, &body) == 200);
  CHECK(body == R"({"status":"ok"})");

  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 300; ++i) REQUIRE(health_status(stack.proxy_port) == 200);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  long probes = probes_in(stack.proxy_db());
  INFO("300 requests in " << seconds << " s, " << probes << " probes");
  CHECK(probes >= 1);
  CHECK(probes <= static_cast<long>(seconds) + 3);

  const std::vector<std::string> files = {stack.proxy_db(), stack.proxy_db() + "-wal"};
  if (!set_immutable(files, true)) {
    set_immutable(files, false);
    WARN("chattr +i is not possible here: the SQLite read-only case is skipped (PostgreSQL covers it)");
    return;
  }
  bool failed = Stack::eventually([&] { return health_status(stack.proxy_port, &body) != 200; });
  REQUIRE(set_immutable(files, false));
  CHECK(failed);
  check_unavailable(body);
  CHECK(Stack::eventually([&] { return health_status(stack.proxy_port) == 200; }));
}

TEST_CASE("proxy healthz on PostgreSQL: 503 while the cluster is read-only, 200 after", "[health]") {
  auto* cluster = test_support::PgCluster::shared();
  if (!cluster) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  auto url = cluster->create_database();
  Process proxy({std::string(CHAT_BIN_DIR) + "/chat-proxy", "--listen", "127.0.0.1:0", "--db", url},
                {{"ALLORESTO_ADMIN_TOKEN", kSiteAdminToken}, {"AGENT_SERVER_URL", "http://127.0.0.1:9"}});
  int port = proxy.wait_for_port();
  INFO(proxy.output());
  REQUIRE(port > 0);
  REQUIRE(health_status(port) == 200);

  std::string out;
  auto set = [&](const char* value) {
    // ALTER SYSTEM can't run in a transaction block: one statement per psql call.
    REQUIRE(cluster->psql("postgres", std::string("ALTER SYSTEM SET default_transaction_read_only = ") + value,
                          &out) == 0);
    REQUIRE(cluster->psql("postgres", "SELECT pg_reload_conf()", &out) == 0);
  };
  set("on");
  std::string body;
  bool failed = Stack::eventually([&] { return health_status(port, &body) != 200; });
  set("off");
  CHECK(failed);
  check_unavailable(body);
  CHECK(body.find("read-only") == std::string::npos);  // the detail goes to the log only
  CHECK(Stack::eventually([&] { return health_status(port) == 200; }));
  // Written before the answer, read from the pipe by another thread: wait for it.
  CHECK(Stack::eventually([&] { return proxy.output().find("database not writable") != std::string::npos; }));
}
