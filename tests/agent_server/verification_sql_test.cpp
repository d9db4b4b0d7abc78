// sql/agent_server/*/004_phone-verification.sql as a DBA would run it (psql -f twice,
// the sqlite3 shell once), and the server's storage on top of it.
#include <catch2/catch.hpp>

#include <algorithm>

#include "pg_cluster.hpp"
#include "process.hpp"
#include "storage.hpp"

namespace {

const std::string kSql = AGENT_SERVER_SQL_DIR;
const std::vector<std::string> kFiles = {"001_base.sql",
                                         "002_migrate-chat.sql",
                                         "003_chat-extras.sql",
                                         "004_phone-verification.sql",
                                         "005_reply-state.sql",
                                         "006_agent-chat-settings.sql",
                                         "007_chat-allowed-origins.sql"};

}  // namespace

TEST_CASE("004_phone-verification runs twice with psql -f: no error, no change") {
  auto* cluster = test_support::PgCluster::shared();
  if (!cluster) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  std::string db = test_support::database_of(cluster->create_database());
  const std::string columns_query =
      "SELECT column_name || ':' || data_type || ':' || is_nullable || ':' || COALESCE(column_default, '') "
      "FROM information_schema.columns WHERE table_name = 'call_records' ORDER BY column_name";
  std::string first;
  for (int run = 0; run < 2; ++run) {
    for (const auto& file : kFiles) {
      std::string output;
      INFO("run " << run << " " << file << "\n" << output);
      CHECK(cluster->psql_file(db, kSql + "/postgres/" + file, &output) == 0);
      CHECK(output.find("ERROR") == std::string::npos);
    }
    std::string columns;
    REQUIRE(cluster->psql(db, columns_query, &columns) == 0);
    if (run == 0) first = columns;
    CHECK(columns == first);
  }
  CHECK(first.find("verify_sends:text:NO:'[]'::text") != std::string::npos);

  // The server records the hand-run files and finds nothing left to apply.
  auto storage = agent_server::open_storage(cluster->url(db));
  REQUIRE(storage.ok());
  auto applied = storage.value()->migrate();
  REQUIRE(applied.ok());
  CHECK(std::find(applied->begin(), applied->end(), "004_phone-verification") != applied->end());
  std::string after;
  REQUIRE(cluster->psql(db, columns_query, &after) == 0);
  CHECK(after == first);
}

TEST_CASE("004_phone-verification with the sqlite3 shell, then the server's storage") {
  test_support::TempDir dir;
  const std::string path = dir.file("agent.db");
  for (const auto& file : kFiles) {
    std::string output;
    INFO(file << "\n" << output);
    REQUIRE(test_support::run_command({"/usr/bin/sqlite3", path, ".read " + kSql + "/sqlite/" + file}, &output) ==
            0);
  }
  auto storage = agent_server::open_storage("sqlite:" + path);
  REQUIRE(storage.ok());
  REQUIRE(storage.value()->migrate().ok());

  // A session row written by an older server (no verify_sends given) reads as no sends.
  std::string output;
  REQUIRE(test_support::run_command(
              {"/usr/bin/sqlite3", path,
               "INSERT INTO agents (id, name) VALUES ('a0000000-0000-4000-8000-000000000000', 'x'); "
               "INSERT INTO call_records (id, agent_id, type) VALUES ('c0000000-0000-4000-8000-000000000000', "
               "'a0000000-0000-4000-8000-000000000000', 'chat');"},
              &output) == 0);
  auto record = storage.value()->find_verification("c0000000-0000-4000-8000-000000000000");
  REQUIRE(record.ok());
  CHECK(record->sends_ms.empty());
  CHECK_FALSE(record->code_hash);
  CHECK(record->attempts == 0);

  // Compare-and-set: a write from a stale read changes nothing.
  agent_server::VerificationRecord next = record.value();
  next.phone = "+33612345678";
  next.attempts = 1;
  auto first = storage.value()->update_verification("c0000000-0000-4000-8000-000000000000", record.value(), next);
  REQUIRE(first.ok());
  CHECK(first.value());
  auto stale = storage.value()->update_verification("c0000000-0000-4000-8000-000000000000", record.value(), next);
  REQUIRE(stale.ok());
  CHECK_FALSE(stale.value());
  CHECK(storage.value()->find_verification("c0000000-0000-4000-8000-000000000000")->attempts == 1);
}
