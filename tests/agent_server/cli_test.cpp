// The binary's command line: --help, bad config (exit 2), start failures (exit 1),
// migrations logged once, a failed one named.
#include <catch2/catch.hpp>

#include "process.hpp"
#include "server_fixture.hpp"

using test_support::Process;
using test_support::TempDir;
using namespace std::chrono_literals;

namespace {

int run(std::vector<std::string> args, std::map<std::string, std::string> env, std::string* output) {
  args.insert(args.begin(), AGENT_SERVER_BIN);
  Process p(args, env);
  int code = p.wait_exit(20s);
  *output = p.output();
  return code;
}

}  // namespace

TEST_CASE("--help prints the usage and the environment variables") {
  std::string out;
  CHECK(run({"--help"}, {}, &out) == 0);
  for (const char* word : {"--listen", "--db", "AGENT_SERVER_ADMIN_TOKEN", "WIDGET_DIR", "LOCAL_MODEL_WORD_MS",
                           "CHAT_HEARTBEAT_MS", "DATABASE_URL"}) {
    CHECK(out.find(word) != std::string::npos);
  }
}

TEST_CASE("bad configuration exits with code 2 and says why") {
  TempDir dir;
  std::string out;
  CHECK(run({"--listen", "nope"}, {}, &out) == 2);
  CHECK(out.find("--listen") != std::string::npos);
  CHECK(run({"--listen", "127.0.0.1:99999"}, {}, &out) == 2);
  CHECK(run({"--db", "mysql://x"}, {}, &out) == 2);
  CHECK(out.find("sqlite:") != std::string::npos);
  CHECK(run({"--frobnicate"}, {}, &out) == 2);
  CHECK(out.find("--frobnicate") != std::string::npos);
  CHECK(run({"--db"}, {}, &out) == 2);
  CHECK(run({}, {{"LOCAL_MODEL_WORD_MS", "soon"}, {"DATABASE_URL", "sqlite:" + dir.file("a.db")}}, &out) == 2);
  CHECK(out.find("LOCAL_MODEL_WORD_MS") != std::string::npos);
  CHECK(run({}, {{"CHAT_HEARTBEAT_MS", "-5"}, {"DATABASE_URL", "sqlite:" + dir.file("a.db")}}, &out) == 2);
  // An admin token that could be guessed: refused, named, never echoed.
  const std::string short_token = "short-admin-token-1234567890abc";  // 31 characters
  CHECK(run({"--listen", "127.0.0.1:0"},
            {{"AGENT_SERVER_ADMIN_TOKEN", short_token}, {"DATABASE_URL", "sqlite:" + dir.file("a.db")}},
            &out) == 2);
  CHECK(out.rfind("agent-server: ", 0) == 0);
  CHECK(out.find("AGENT_SERVER_ADMIN_TOKEN") != std::string::npos);
  CHECK(out.find(short_token) == std::string::npos);
}

TEST_CASE("a database that can't be opened fails the start with exit code 1") {
  std::string out;
  CHECK(run({"--listen", "127.0.0.1:0", "--db", "sqlite:/nonexistent-dir/x.db"}, {}, &out) == 1);
  CHECK(out.find("\"msg\":\"start failed\"") != std::string::npos);
  CHECK(run({"--listen", "127.0.0.1:0", "--db", "postgres:///nope?host=/nonexistent&port=1"}, {}, &out) == 1);
}

TEST_CASE("migrations are applied once and logged") {
  TempDir dir;
  std::string db = "sqlite:" + dir.file("agent.db");
  std::map<std::string, std::string> env = {{"DATABASE_URL", db}, {"AGENT_SERVER_LISTEN", "127.0.0.1:0"}};
  {
    Process first({AGENT_SERVER_BIN}, env);
    REQUIRE(first.wait_for_port() > 0);
    auto out = first.output();
    for (const char* name : {"001_base", "002_migrate-chat", "003_chat-extras"}) {
      CHECK(out.find(std::string("\"migration\":\"") + name + "\"") != std::string::npos);
    }
    CHECK(first.stop() == 0);
  }
  Process second({AGENT_SERVER_BIN}, env);
  REQUIRE(second.wait_for_port() > 0);
  CHECK(second.output().find("migration applied") == std::string::npos);
}

TEST_CASE("a migration that fails stops the start with exit 1 and names its file") {
  TempDir dir;
  std::string path = dir.file("agent.db");
  // Something else's `agents`, which 002's ALTER TABLE can't complete.
  REQUIRE(test_support::run_command({"/usr/bin/sqlite3", path,
                                     "CREATE VIEW agents AS SELECT 1 AS id; "
                                     "CREATE TABLE call_records (id TEXT PRIMARY KEY, agent_id TEXT);"}) == 0);
  std::string out;
  CHECK(run({"--listen", "127.0.0.1:0", "--db", "sqlite:" + path}, {}, &out) == 1);
  INFO(out);
  CHECK(out.find("migration sql/agent_server/sqlite/002_migrate-chat.sql failed: ") != std::string::npos);
  CHECK(out.find("\"msg\":\"start failed\"") != std::string::npos);
  std::string recorded;
  REQUIRE(test_support::run_command({"/usr/bin/sqlite3", path, "SELECT group_concat(name) FROM schema_migrations"},
                                    &recorded) == 0);
  CHECK(recorded == "001_base\n");
}
