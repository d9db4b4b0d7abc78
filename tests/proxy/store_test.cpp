#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "pg_cluster.hpp"
#include "process.hpp"
#include "store.hpp"

using proxy::MigrationLog;
using proxy::open_store;
using proxy::postgres_migrations;
using proxy::RestaurantRow;
using proxy::RestaurantStore;
using proxy::sqlite_migrations;
using test_support::PgCluster;
using test_support::TempDir;

namespace {

// A database of the given backend, fresh for each call.
struct Backend {
  std::string name;
  std::string url;
};

Backend make_backend(const std::string& kind, const TempDir& dir) {
  if (kind == "sqlite") return {"sqlite", "sqlite:" + dir.file("alloresto.db")};
  auto* cluster = PgCluster::shared();
  if (cluster == nullptr) return {"postgres", ""};
  return {"postgres", cluster->create_database()};
}

std::unique_ptr<RestaurantStore> open_ok(const std::string& url, std::vector<std::string>* log = nullptr) {
  MigrationLog record = [log](std::string_view migration) {
    if (log) log->push_back(std::string(migration));
  };
  auto store = open_store(url, record);
  INFO((store.ok() ? "" : store.error().message));
  REQUIRE(store.ok());
  return std::move(store.value());
}

RestaurantRow row(std::string id, std::optional<std::string> agent, std::optional<std::string> token) {
  RestaurantRow r;
  r.id = std::move(id);
  r.name = "Chez " + r.id;
  r.agent_id = std::move(agent);
  r.agent_api_token = std::move(token);
  return r;
}

// Runs SQL on the backend outside the store, as an older application would have.
void exec_raw(const Backend& backend, const std::string& sql, const TempDir& dir) {
  if (backend.name == "sqlite") {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("alloresto.db").c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
  } else {
    REQUIRE(PgCluster::shared()->psql(test_support::database_of(backend.url), sql) == 0);
  }
}

// Runs a query outside the store; its rows, one a line.
std::string query_raw(const Backend& backend, const std::string& sql, const TempDir& dir) {
  std::string out;
  if (backend.name == "sqlite") {
    REQUIRE(test_support::run_command({"/usr/bin/sqlite3", dir.file("alloresto.db"), sql}, &out) == 0);
  } else {
    REQUIRE(PgCluster::shared()->psql(test_support::database_of(backend.url), sql, &out) == 0);
  }
  return out;
}

// The restaurants table as a list of columns with their type, nullability and
// default, in name order (SQLite keeps added columns last; nothing reads by position).
std::string describe_restaurants(const Backend& backend, const TempDir& dir) {
  if (backend.name == "sqlite") {
    return query_raw(
        backend,
        "SELECT name || ':' || type || ':' || \"notnull\" || ':' || COALESCE(dflt_value, '') || ':' || pk "
        "FROM pragma_table_info('restaurants') ORDER BY name",
        dir);
  }
  return query_raw(
             backend,
             "SELECT column_name || ':' || data_type || ':' || COALESCE(character_maximum_length::text, '') || "
             "':' || is_nullable || ':' || COALESCE(column_default, '') FROM information_schema.columns "
             "WHERE table_schema = current_schema() AND table_name = 'restaurants' ORDER BY column_name",
             dir) +
         query_raw(backend,
                   "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'restaurants' "
                   "ORDER BY indexname",
                   dir);
}

// The schema the previous chat-proxy made (sql/proxy/sqlite.sql and postgres.sql, and
// its health table), before migrations were recorded.
std::string previous_schema(const std::string& kind) {
  if (kind == "sqlite") {
    return "CREATE TABLE IF NOT EXISTS restaurants (id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, "
           "lang VARCHAR(8) NOT NULL DEFAULT 'fr', position VARCHAR(16) NOT NULL DEFAULT 'bottom-right', "
           "agent_id VARCHAR(64), agent_api_token VARCHAR(128), "
           "created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));"
           "CREATE TABLE IF NOT EXISTS proxy_health (id INTEGER PRIMARY KEY, probes INTEGER NOT NULL DEFAULT 0, "
           "checked_at TEXT NOT NULL);";
  }
  return "CREATE TABLE IF NOT EXISTS restaurants (id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, "
         "lang VARCHAR(8) NOT NULL DEFAULT 'fr', position VARCHAR(16) NOT NULL DEFAULT 'bottom-right', "
         "agent_id VARCHAR(64), created_at TIMESTAMPTZ NOT NULL DEFAULT now());"
         "ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS lang VARCHAR(8) NOT NULL DEFAULT 'fr';"
         "ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS position VARCHAR(16) NOT NULL DEFAULT 'bottom-right';"
         "ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS agent_api_token VARCHAR(128);"
         "CREATE TABLE IF NOT EXISTS proxy_health (id INTEGER PRIMARY KEY, probes BIGINT NOT NULL DEFAULT 0, "
         "checked_at TIMESTAMPTZ NOT NULL DEFAULT now());";
}

const std::vector<std::string> kAll = {"001_base", "002_migrate-chat"};

}  // namespace

TEST_CASE("the store keeps restaurants and their tokens", "[store]") {
  auto kind = GENERATE(as<std::string>{}, "sqlite", "postgres");
  TempDir dir;
  auto backend = make_backend(kind, dir);
  if (backend.url.empty()) return;
  INFO(kind);
  std::vector<std::string> first;
  auto store = open_ok(backend.url, &first);
  CHECK(first == kAll);

  REQUIRE(store->insert(row("r1", "a1", std::nullopt)).ok());
  REQUIRE(store->insert(row("r2", "a2", "tok-2")).ok());
  REQUIRE(store->insert(row("r3", std::nullopt, std::nullopt)).ok());
  CHECK_FALSE(store->insert(row("r1", "a9", std::nullopt)).ok());  // duplicate id

  auto r1 = store->find("r1");
  REQUIRE(r1.ok());
  REQUIRE(r1->has_value());
  CHECK((*r1)->name == "Chez r1");
  CHECK((*r1)->lang == "fr");
  CHECK((*r1)->position == "bottom-right");
  CHECK((*r1)->agent_id == std::optional<std::string>("a1"));
  CHECK_FALSE((*r1)->agent_api_token.has_value());
  CHECK_FALSE((*r1)->created_at.empty());
  CHECK_FALSE(store->find("nope")->has_value());

  auto missing = store->missing_tokens();
  REQUIRE(missing.ok());
  REQUIRE(missing->size() == 1);
  CHECK((*missing)[0].id == "r1");

  CHECK(store->set_token_if_missing("r1", "tok-1").value());
  CHECK_FALSE(store->set_token_if_missing("r1", "tok-other").value());
  CHECK((*store->find("r1"))->agent_api_token == std::optional<std::string>("tok-1"));
  CHECK(store->set_token("r1", "tok-new").value());
  CHECK((*store->find("r1"))->agent_api_token == std::optional<std::string>("tok-new"));
  CHECK_FALSE(store->set_token("nope", "x").value());
  CHECK(store->missing_tokens()->empty());

  // Opening again changes nothing and keeps the rows.
  std::vector<std::string> log;
  auto again = open_ok(backend.url, &log);
  CHECK(log.empty());
  CHECK((*again->find("r2"))->agent_api_token == std::optional<std::string>("tok-2"));
}

TEST_CASE("an older restaurants table gains its missing columns, rows kept", "[store]") {
  auto kind = GENERATE(as<std::string>{}, "sqlite", "postgres");
  TempDir dir;
  auto backend = make_backend(kind, dir);
  if (backend.url.empty()) return;
  INFO(kind);
  exec_raw(backend,
           "CREATE TABLE restaurants (id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, "
           "agent_id VARCHAR(64), created_at TEXT NOT NULL DEFAULT 'then'); "
           "INSERT INTO restaurants (id, name, agent_id) VALUES ('old1', 'La Vieille Table', 'agent-1');",
           dir);

  std::vector<std::string> log;
  auto store = open_ok(backend.url, &log);
  CHECK(log == kAll);
  CHECK(describe_restaurants(backend, dir).find("agent_api_token:") != std::string::npos);

  auto old = store->find("old1");
  REQUIRE(old.ok());
  REQUIRE(old->has_value());
  CHECK((*old)->name == "La Vieille Table");
  CHECK((*old)->lang == "fr");
  CHECK_FALSE((*old)->agent_api_token.has_value());
  REQUIRE(store->missing_tokens()->size() == 1);
  CHECK(store->set_token("old1", "tok").value());
  CHECK((*store->find("old1"))->agent_api_token == std::optional<std::string>("tok"));

  std::vector<std::string> second;
  open_ok(backend.url, &second);
  CHECK(second.empty());
}

TEST_CASE("a database of the previous chat-proxy is recognised: rows kept, migrations recorded", "[store]") {
  auto kind = GENERATE(as<std::string>{}, "sqlite", "postgres");
  TempDir dir;
  auto backend = make_backend(kind, dir);
  if (backend.url.empty()) return;
  INFO(kind);
  // A new database, made by this chat-proxy, for comparison.
  TempDir fresh_dir;
  auto fresh = make_backend(kind, fresh_dir);
  open_ok(fresh.url);

  exec_raw(backend, previous_schema(kind), dir);
  exec_raw(backend,
           "INSERT INTO restaurants (id, name, lang, position, agent_id, agent_api_token) VALUES "
           "('r1', 'Chez Marie', 'en', 'bottom-left', 'agent-1', 'tok-1'), "
           "('r2', 'Le Zinc', 'fr', 'bottom-right', 'agent-2', NULL);",
           dir);
  auto created_before = query_raw(backend, "SELECT CAST(created_at AS TEXT) FROM restaurants ORDER BY id", dir);

  std::vector<std::string> log;
  auto store = open_ok(backend.url, &log);
  CHECK(log == kAll);
  auto r1 = store->find("r1");
  REQUIRE(r1.ok());
  REQUIRE(r1->has_value());
  CHECK((*r1)->name == "Chez Marie");
  CHECK((*r1)->lang == "en");
  CHECK((*r1)->position == "bottom-left");
  CHECK((*r1)->agent_id == std::optional<std::string>("agent-1"));
  CHECK((*r1)->agent_api_token == std::optional<std::string>("tok-1"));
  REQUIRE(store->missing_tokens()->size() == 1);
  CHECK(query_raw(backend, "SELECT CAST(created_at AS TEXT) FROM restaurants ORDER BY id", dir) == created_before);
  CHECK(query_raw(backend, "SELECT name FROM proxy_schema_migrations WHERE applied_at IS NOT NULL ORDER BY name",
                  dir) == "001_base\n002_migrate-chat\n");
  // Its table is now the one a new database gets.
  CHECK(describe_restaurants(backend, dir) == describe_restaurants(fresh, fresh_dir));

  std::vector<std::string> second;
  open_ok(backend.url, &second);
  CHECK(second.empty());
  CHECK(store->check_writable().ok());
}

TEST_CASE("a new database ends as the previous chat-proxy made it", "[store]") {
  auto kind = GENERATE(as<std::string>{}, "sqlite", "postgres");
  TempDir dir;
  auto backend = make_backend(kind, dir);
  if (backend.url.empty()) return;
  INFO(kind);
  open_ok(backend.url);
  TempDir old_dir;
  auto old = make_backend(kind, old_dir);
  exec_raw(old, previous_schema(kind), old_dir);
  auto described = describe_restaurants(backend, dir);
  CHECK(described == describe_restaurants(old, old_dir));
  CHECK(described.find("agent_api_token:") != std::string::npos);
}

TEST_CASE("proxies opening one new PostgreSQL database at once take turns", "[store]") {
  TempDir dir;
  auto backend = make_backend("postgres", dir);
  if (backend.url.empty()) return;
  std::vector<std::string> logs[4];
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (auto& log : logs) {
    threads.emplace_back([&backend, &log, &opened] {
      auto store = open_store(backend.url, [&log](std::string_view m) { log.emplace_back(m); });
      if (store.ok()) ++opened;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(opened == 4);
  std::vector<std::string> all;
  for (const auto& log : logs) all.insert(all.end(), log.begin(), log.end());
  std::sort(all.begin(), all.end());
  CHECK(all == kAll);  // each file applied by one of them
}

TEST_CASE("a failing migration names its file and opens nothing", "[store]") {
  TempDir dir;
  Backend backend{"sqlite", "sqlite:" + dir.file("alloresto.db")};
  // Something else's `restaurants`, which no ALTER TABLE can complete.
  exec_raw(backend, "CREATE VIEW restaurants AS SELECT 1 AS id, 'x' AS name;", dir);
  auto store = open_store(backend.url, nullptr);
  REQUIRE_FALSE(store.ok());
  INFO(store.error().message);
  CHECK(store.error().message.rfind("migration sql/proxy/sqlite/001_base.sql failed: ", 0) == 0);
  CHECK(query_raw(backend, "SELECT count(*) FROM proxy_schema_migrations", dir) == "0\n");
}

TEST_CASE("every file of sql/proxy is embedded, in order", "[store]") {
  for (const char* dialect : {"sqlite", "postgres"}) {
    INFO(dialect);
    const auto& embedded = std::string(dialect) == "sqlite" ? sqlite_migrations() : postgres_migrations();
    std::vector<std::string> on_disk;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(CHAT_PROXY_SQL_DIR) + "/" + dialect)) {
      if (entry.path().extension() == ".sql") on_disk.push_back(entry.path().stem().string());
    }
    std::sort(on_disk.begin(), on_disk.end());
    std::vector<std::string> names;
    for (const auto& file : embedded) {
      names.emplace_back(file.name);
      CHECK(file.path == "sql/proxy/" + std::string(dialect) + "/" + std::string(file.name) + ".sql");
    }
    CHECK(names == on_disk);
    CHECK(std::vector<std::string>(names.begin(), names.begin() + 2) == kAll);
  }
}

TEST_CASE("the SQL files run as they are: psql -f twice, the sqlite3 shell once", "[store]") {
  TempDir dir;
  Backend sqlite{"sqlite", "sqlite:" + dir.file("alloresto.db")};
  for (const auto& file : sqlite_migrations()) {
    std::string output;
    INFO(file.name);
    CHECK(test_support::run_command({"/usr/bin/sqlite3", "-bail", dir.file("alloresto.db"),
                                     ".read " + std::string(CHAT_PROXY_SQL_DIR) + "/sqlite/" +
                                         std::string(file.name) + ".sql"},
                                    &output) == 0);
    CHECK(output.empty());
  }
  auto by_shell = describe_restaurants(sqlite, dir);
  // The store on top: every ADD COLUMN finds its column; the files are recorded.
  std::vector<std::string> log;
  open_ok(sqlite.url, &log);
  CHECK(log == kAll);
  CHECK(describe_restaurants(sqlite, dir) == by_shell);

  auto* cluster = PgCluster::shared();
  if (cluster == nullptr) return;
  Backend pg{"postgres", cluster->create_database()};
  auto name = test_support::database_of(pg.url);
  std::string first;
  for (int run = 0; run < 2; ++run) {
    for (const auto& file : postgres_migrations()) {
      INFO("run " << run << " " << file.name);
      std::string output;
      CHECK(cluster->psql_file(name,
                               std::string(CHAT_PROXY_SQL_DIR) + "/postgres/" + std::string(file.name) + ".sql",
                               &output) == 0);
      CHECK(output.find("ERROR") == std::string::npos);
    }
    if (run == 0) first = describe_restaurants(pg, dir);
  }
  CHECK(describe_restaurants(pg, dir) == first);
  std::vector<std::string> pg_log;
  open_ok(pg.url, &pg_log);
  CHECK(pg_log == kAll);
  CHECK(describe_restaurants(pg, dir) == first);
  // The notes' statement, verbatim, is in the file.
  std::ifstream file(std::string(CHAT_PROXY_SQL_DIR) + "/postgres/002_migrate-chat.sql");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(text.find("ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS agent_api_token VARCHAR(128);") !=
        std::string::npos);
}
