#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "pg_cluster.hpp"
#include "process.hpp"
#include "store.hpp"

using chat::proxy::MigrationLog;
using chat::proxy::open_store;
using chat::proxy::RestaurantRow;
using chat::proxy::RestaurantStore;
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
  MigrationLog record = [log](std::string_view table, std::string_view change) {
    if (log) log->push_back(std::string(table) + ": " + std::string(change));
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

}  // namespace

TEST_CASE("the store keeps restaurants and their tokens", "[store]") {
  auto kind = GENERATE(as<std::string>{}, "sqlite", "postgres");
  TempDir dir;
  auto backend = make_backend(kind, dir);
  if (backend.url.empty()) return;
  INFO(kind);
  auto store = open_ok(backend.url);

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

TEST_CASE("an older restaurants table gains agent_api_token, rows kept", "[store]") {
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
  CHECK(std::find(log.begin(), log.end(), "restaurants: added column agent_api_token") != log.end());

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

TEST_CASE("the schema files run as they are, twice", "[store]") {
  TempDir dir;
  auto sqlite_file = std::string(CHAT_PROXY_SQL_DIR) + "/sqlite.sql";
  for (int i = 0; i < 2; ++i) {
    CHECK(test_support::run_command({"/bin/sh", "-c", "sqlite3 '" + dir.file("s.db") + "' < '" + sqlite_file + "'"}) == 0);
  }
  auto* cluster = PgCluster::shared();
  if (cluster == nullptr) return;
  auto name = test_support::database_of(cluster->create_database());
  auto pg_file = std::string(CHAT_PROXY_SQL_DIR) + "/postgres.sql";
  CHECK(cluster->psql_file(name, pg_file) == 0);
  CHECK(cluster->psql_file(name, pg_file) == 0);
  // The notes' statement, verbatim, is in the file.
  std::ifstream file(pg_file);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  CHECK(text.find("ALTER TABLE restaurants ADD COLUMN IF NOT EXISTS agent_api_token VARCHAR(128);") !=
        std::string::npos);
}
