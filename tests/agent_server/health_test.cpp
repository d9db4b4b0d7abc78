// Readiness: /healthz answers 503 database_unavailable while the database cannot be
// written (a real write probe, run at most once a second), and 200 again once it can.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <functional>

#include "pg_cluster.hpp"
#include "server_fixture.hpp"

using agent_test::AgentServer;
using agent_test::ServerOptions;
using test_support::HttpResponse;

namespace {

bool eventually(const std::function<bool()>& predicate, std::chrono::seconds timeout = std::chrono::seconds(15)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
  }
  return predicate();
}

void check_unavailable(const HttpResponse& health) {
  CHECK(health.status == 503);
  CHECK(health.error_code() == "database_unavailable");
  CHECK(health.body.find(R"({"error":{"code":"database_unavailable","message":")") == 0);
}

/// `chattr +i` / `-i` on files: the one way found to make a SQLite file unwritable
/// for root, whom chmod does not stop (needs CAP_LINUX_IMMUTABLE and ext2/3/4, xfs,
/// btrfs...). Returns false when the attribute can't be set here.
bool set_immutable(const std::vector<std::string>& files, bool on) {
  for (const auto& file : files) {
    std::string command = std::string("chattr ") + (on ? "+i" : "-i") + " '" + file + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0) return false;
  }
  return true;
}

/// The cluster's default_transaction_read_only, put back when the scope ends.
class ReadOnlyCluster {
 public:
  explicit ReadOnlyCluster(test_support::PgCluster& cluster) : cluster_(cluster) { set("on"); }
  ~ReadOnlyCluster() { restore(); }
  void restore() {
    if (on_) set("off");
  }

 private:
  void set(const char* value) {
    std::string out;
    // ALTER SYSTEM can't run in a transaction block: one statement per psql call.
    REQUIRE(cluster_.psql("postgres", std::string("ALTER SYSTEM SET default_transaction_read_only = ") + value,
                          &out) == 0);
    REQUIRE(cluster_.psql("postgres", "SELECT pg_reload_conf()", &out) == 0);
    on_ = std::string(value) == "on";
  }
  test_support::PgCluster& cluster_;
  bool on_ = false;
};

}  // namespace

TEST_CASE("healthz: 503 database_unavailable while PostgreSQL is read-only, 200 after", "[health]") {
  auto* cluster = test_support::PgCluster::shared();
  if (!cluster) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  ServerOptions options;
  options.db_url = cluster->create_database();
  AgentServer server(options);
  auto health = server.anonymous().get("/healthz");
  CHECK(health.status == 200);
  CHECK(health.json().at("db") == "postgres");

  // A flood of /healthz writes at most about once a second.
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) REQUIRE(server.anonymous().get("/healthz").status == 200);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string probes;
  REQUIRE(cluster->psql(test_support::database_of(options.db_url), "SELECT probes FROM agent_server_health",
                        &probes) == 0);
  INFO("200 requests in " << seconds << " s, " << probes << " probes");
  CHECK(std::stol(probes) <= static_cast<long>(seconds) + 3);

  {
    ReadOnlyCluster read_only(*cluster);
    HttpResponse refused;
    CHECK(eventually([&] {
      refused = server.anonymous().get("/healthz");
      return refused.status != 200;
    }));
    check_unavailable(refused);
    // What the log says has the detail, the client only the code.
    CHECK(refused.body.find("read-only") == std::string::npos);
    // The log line is written before the answer, but read from the pipe by another
    // thread of this test: wait for it.
    CHECK(
        eventually([&] { return server.process().output().find("database not writable") != std::string::npos; }));
    read_only.restore();
    CHECK(eventually([&] { return server.anonymous().get("/healthz").status == 200; }));
  }
}

TEST_CASE("healthz: 503 database_unavailable while the SQLite file can't be written, 200 after", "[health]") {
  AgentServer server;
  REQUIRE(server.anonymous().get("/healthz").status == 200);
  const std::string path = server.db_url().substr(std::string("sqlite:").size());
  // WAL mode: the writes go to the -wal file, then to the database file.
  const std::vector<std::string> files = {path, path + "-wal"};
  if (!set_immutable(files, true)) {
    set_immutable(files, false);
    WARN("chattr +i is not possible here (needs CAP_LINUX_IMMUTABLE and a filesystem with the "
         "attribute): the SQLite case is skipped; the PostgreSQL case covers readiness");
    return;
  }
  HttpResponse refused;
  bool failed = eventually([&] {
    refused = server.anonymous().get("/healthz");
    return refused.status != 200;
  });
  REQUIRE(set_immutable(files, false));
  CHECK(failed);
  check_unavailable(refused);
  CHECK(eventually([&] { return server.anonymous().get("/healthz").status == 200; }));
  // The server still serves writes after the file came back.
  CHECK(server.create_agent().contains("id"));
}
