// The committed .sql files as a DBA would run them: psql -f twice on PostgreSQL,
// the sqlite3 shell once on SQLite; then the server on top of them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "migrations.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"
#include "server_fixture.hpp"
#include "storage.hpp"

namespace {

const std::string kSql = AGENT_SERVER_SQL_DIR;
// Every file of a dialect's folder, in order: the ones the server embeds.
std::vector<std::string> files_of(const kit::EmbeddedFiles& embedded) {
  std::vector<std::string> files;
  for (const auto& file : embedded) files.push_back(std::string(file.name) + ".sql");
  return files;
}

}  // namespace

TEST_CASE("the PostgreSQL files run twice with psql -f: no error, no change") {
  auto* cluster = test_support::PgCluster::shared();
  if (!cluster) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  std::string db = test_support::database_of(cluster->create_database());
  REQUIRE_FALSE(db.empty());
  const std::string columns_query =
      "SELECT table_name || '.' || column_name || ':' || data_type || ':' || "
      "COALESCE(character_maximum_length::text, '') || ':' || is_nullable || ':' || "
      "COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' "
      "ORDER BY table_name, column_name";
  const std::string indexes_query =
      "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname";

  std::string columns_first;
  std::string indexes_first;
  for (int run = 0; run < 2; ++run) {
    for (const auto& file : files_of(agent_server::postgres_migrations())) {
      std::string output;
      INFO("run " << run << " " << file);
      int code = cluster->psql_file(db, kSql + "/postgres/" + file, &output);
      INFO(output);
      CHECK(code == 0);
      CHECK(output.find("ERROR") == std::string::npos);
    }
    std::string columns;
    std::string indexes;
    REQUIRE(cluster->psql(db, columns_query, &columns) == 0);
    REQUIRE(cluster->psql(db, indexes_query, &indexes) == 0);
    if (run == 0) {
      columns_first = columns;
      indexes_first = indexes;
    } else {
      CHECK(columns == columns_first);
      CHECK(indexes == indexes_first);
    }
  }
  for (const char* column :
       {"agents.chat_enabled:boolean", "agents.chat_model:character varying:100", "agents.chat_prompt_extra:text",
        "agents.chat_phone_required:boolean", "agents.public_token:character varying:128",
        "call_records.type:character varying:10", "call_records.messages:jsonb",
        "call_records.visitor_id:", "call_records.verify_code:", "call_records.verify_attempts:integer",
        "call_records.verified_at:timestamp", "call_records.last_message_at:timestamp",
        "call_records.caller_number:character varying:30:", "call_records.lang:"}) {
    INFO(column);
    CHECK(columns_first.find(column) != std::string::npos);
  }
  CHECK(indexes_first.find("idx_call_records_type") != std::string::npos);
  CHECK(indexes_first.find("idx_agents_public_token") != std::string::npos);

  // The server on a database migrated by hand: it records the files and changes none
  // of their columns (later migrations may add their own).
  auto storage = agent_server::open_storage(cluster->url(db));
  REQUIRE(storage.ok());
  auto applied = storage.value()->migrate();
  INFO((applied ? "" : applied.error().message));
  REQUIRE(applied.ok());
  std::string columns_after;
  REQUIRE(cluster->psql(db, columns_query, &columns_after) == 0);
  std::size_t start = 0;
  while (start < columns_first.size()) {
    auto end = columns_first.find('\n', start);
    std::string line = columns_first.substr(start, end - start);
    INFO(line);
    CHECK(columns_after.find(line + "\n") != std::string::npos);
    start = end == std::string::npos ? columns_first.size() : end + 1;
  }
  CHECK(storage.value()->migrate().value().empty());
}

TEST_CASE("the SQLite files run with the sqlite3 shell, and the server completes them") {
  test_support::TempDir dir;
  std::string path = dir.file("shell.db");
  for (const auto& file : files_of(agent_server::sqlite_migrations())) {
    std::string output;
    INFO(file);
    CHECK(test_support::run_command({"/usr/bin/sqlite3", "-bail", path, ".read " + kSql + "/sqlite/" + file},
                                    &output) == 0);
    INFO(output);
    CHECK(output.empty());
  }
  // Every column already exists: the server's pragma check skips each ADD COLUMN.
  auto storage = agent_server::open_storage("sqlite:" + path);
  REQUIRE(storage.ok());
  auto applied = storage.value()->migrate();
  INFO((applied ? "" : applied.error().message));
  REQUIRE(applied.ok());
  CHECK(applied.value().size() >= 3);
  std::string columns;
  REQUIRE(test_support::run_command({"/usr/bin/sqlite3", path,
                                     "SELECT group_concat(name) FROM pragma_table_info('call_records')"},
                                    &columns) == 0);
  for (const char* c : {"type", "messages", "visitor_id", "verify_code", "verify_attempts", "verified_at",
                        "last_message_at", "lang"}) {
    CHECK(columns.find(c) != std::string::npos);
  }
}

TEST_CASE("every file of sql/agent_server is embedded, in order, with no list to keep") {
  for (const char* dialect : {"sqlite", "postgres"}) {
    INFO(dialect);
    const auto& embedded = std::string(dialect) == "sqlite" ? agent_server::sqlite_migrations()
                                                            : agent_server::postgres_migrations();
    std::vector<std::string> on_disk;
    for (const auto& entry : std::filesystem::directory_iterator(kSql + "/" + dialect)) {
      if (entry.path().extension() == ".sql") on_disk.push_back(entry.path().stem().string());
    }
    std::sort(on_disk.begin(), on_disk.end());
    std::vector<std::string> names;
    for (const auto& file : embedded) names.emplace_back(file.name);
    CHECK(names == on_disk);
  }
}
