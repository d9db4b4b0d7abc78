// The migration runner both servers use, on SQLite files and the throwaway
// PostgreSQL cluster, with migrations written here (the servers' own files are
// tested in tests/agent_server and tests/proxy).
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "kit/migrations.hpp"
#include "kit/pg.hpp"
#include "kit/sqlite.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"

using kit::EmbeddedFiles;
using kit::MigrationOptions;

namespace {

const MigrationOptions kOptions{"test_migrations", 72129999, ""};

// One database of either kind, and a way to run SQL on it outside the runner.
class Database {
 public:
  Database(const std::string& kind, const test_support::TempDir& dir) : kind_(kind) {
    if (kind == "sqlite") {
      REQUIRE(sqlite3_open(dir.file("m.db").c_str(), &db_) == SQLITE_OK);
      return;
    }
    auto* cluster = test_support::PgCluster::shared();
    if (!cluster) return;
    url_ = cluster->create_database();
    conn_ = connect();
  }
  ~Database() {
    if (db_) sqlite3_close(db_);
    if (conn_) PQfinish(conn_);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool available() const { return db_ || conn_; }

  PGconn* connect() const {
    PGconn* conn = PQconnectdb(url_.c_str());
    REQUIRE(PQstatus(conn) == CONNECTION_OK);
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return conn;
  }

  chat::Result<std::vector<std::string>> migrate(const EmbeddedFiles& files,
                                                 const MigrationOptions& options = kOptions) {
    return db_ ? kit::migrate_sqlite(db_, files, options) : kit::migrate_postgres(conn_, files, options);
  }

  // The first column of every row, joined with ",", or "error".
  std::string query(const std::string& sql) {
    std::string out;
    if (db_) {
      kit::SqliteStatement st(db_, sql);
      int rc = SQLITE_OK;
      while ((rc = st.step()) == SQLITE_ROW) out += (out.empty() ? "" : ",") + st.text(0);
      return rc == SQLITE_DONE ? out : "error";
    }
    kit::PgResult r(PQexec(conn_, sql.c_str()));
    if (!r.ok()) return "error";
    for (int i = 0; i < r.rows(); ++i) out += (out.empty() ? "" : ",") + r.text(i, 0);
    return out;
  }

 private:
  std::string kind_;
  std::string url_;
  sqlite3* db_ = nullptr;
  PGconn* conn_ = nullptr;
};

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("statements split on semicolons, comments dropped") {
  auto s = kit::split_sql_statements("-- a comment; with a semicolon\nCREATE TABLE t (a INT);\n\n"
                                     "ALTER TABLE t ADD COLUMN b TEXT; -- trailing\n  SELECT 1");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "CREATE TABLE t (a INT)");
  CHECK(s[1] == "ALTER TABLE t ADD COLUMN b TEXT");
  CHECK(s[2] == "SELECT 1");
  CHECK(kit::split_sql_statements("  \n-- only\n").empty());
}

TEST_CASE("ADD COLUMN statements are recognised") {
  auto add = kit::parse_add_column("alter table call_records add column verified_at TEXT");
  REQUIRE(add.has_value());
  CHECK(add->first == "call_records");
  CHECK(add->second == "verified_at");
  CHECK_FALSE(kit::parse_add_column("CREATE INDEX IF NOT EXISTS i ON t (a)").has_value());
}

TEST_CASE("the runner behaves the same on both backends") {
  std::string kind = GENERATE("sqlite", "postgres");
  test_support::TempDir dir;
  Database db(kind, dir);
  if (!db.available()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  INFO(kind);

  SECTION("each file is applied once, in order, and recorded with its time") {
    // Not idempotent on purpose: a second run would add rows or fail.
    EmbeddedFiles files = {
        {"001_table", "sql/test/001_table.sql", "CREATE TABLE t (a INTEGER);\nINSERT INTO t (a) VALUES (1);\n"},
        {"002_column", "sql/test/002_column.sql",
         "-- b; c\nALTER TABLE t ADD COLUMN b TEXT;\nINSERT INTO t (a) VALUES (2);"},
    };
    MigrationOptions options = kOptions;
    options.setup = "CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY)";
    auto first = db.migrate(files, options);
    INFO((first ? "" : first.error().message));
    REQUIRE(first.ok());
    CHECK(first.value() == Names{"001_table", "002_column"});
    CHECK(db.query("SELECT count(*) FROM t") == "2");
    CHECK(db.query("SELECT count(*) FROM probe") == "0");
    CHECK(db.query("SELECT name FROM test_migrations ORDER BY name") == "001_table,002_column");
    CHECK(db.query("SELECT count(*) FROM test_migrations WHERE applied_at IS NOT NULL") == "2");

    auto again = db.migrate(files, options);
    REQUIRE(again.ok());
    CHECK(again.value().empty());
    CHECK(db.query("SELECT count(*) FROM t") == "2");

    files.push_back({"003_more", "sql/test/003_more.sql", "INSERT INTO t (a, b) VALUES (3, 'x');"});
    auto third = db.migrate(files, options);
    REQUIRE(third.ok());
    CHECK(third.value() == Names{"003_more"});
    CHECK(db.query("SELECT count(*) FROM t") == "3");
  }

  SECTION("a failing file is named, nothing of it is kept, and the next start tries it again") {
    // On PostgreSQL the bad file commits itself, as the files runnable with psql -f do.
    std::string bad = kind == "postgres"
                          ? "BEGIN;\nCREATE TABLE u (x INTEGER);\nINSERT INTO nowhere VALUES (1);\nCOMMIT;\n"
                          : "CREATE TABLE u (x INTEGER);\nINSERT INTO nowhere VALUES (1);\n";
    EmbeddedFiles files = {
        {"001_ok", "sql/test/001_ok.sql", "CREATE TABLE t (a INTEGER);"},
        {"002_bad", "sql/test/002_bad.sql", bad},
        {"003_later", "sql/test/003_later.sql", "CREATE TABLE v (a INTEGER);"},
    };
    auto failed = db.migrate(files);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == chat::ErrorCode::internal_error);
    INFO(failed.error().message);
    CHECK(failed.error().message.rfind("migration sql/test/002_bad.sql failed: ", 0) == 0);
    CHECK(failed.error().message.find("nowhere") != std::string::npos);
    CHECK(db.query("SELECT name FROM test_migrations ORDER BY name") == "001_ok");
    CHECK(db.query("SELECT count(*) FROM t") == "0");      // 001 is kept
    CHECK(db.query("SELECT count(*) FROM u") == "error");  // 002 left nothing
    CHECK(db.query("SELECT count(*) FROM v") == "error");  // 003 never ran

    files[1].text = "CREATE TABLE u (x INTEGER);";
    auto fixed = db.migrate(files);
    INFO((fixed ? "" : fixed.error().message));
    REQUIRE(fixed.ok());
    CHECK(fixed.value() == Names{"002_bad", "003_later"});
    CHECK(db.query("SELECT count(*) FROM u") == "0");
  }
}

TEST_CASE("SQLite: an ADD COLUMN whose column exists is skipped, so a file completes an older table") {
  test_support::TempDir dir;
  Database db("sqlite", dir);
  REQUIRE(db.query("CREATE TABLE t (a INTEGER, c TEXT)") == "");
  REQUIRE(db.query("INSERT INTO t (a, c) VALUES (1, 'kept')") == "");
  EmbeddedFiles files = {{"001_base", "sql/test/001_base.sql",
                          "CREATE TABLE IF NOT EXISTS t (a INTEGER);\n"
                          "ALTER TABLE t ADD COLUMN b TEXT NOT NULL DEFAULT 'fr';\n"
                          "ALTER TABLE t ADD COLUMN c TEXT;\n"}};
  auto applied = db.migrate(files);
  INFO((applied ? "" : applied.error().message));
  REQUIRE(applied.ok());
  CHECK(applied.value() == Names{"001_base"});
  CHECK(db.query("SELECT a || b || c FROM t") == "1frkept");
}

TEST_CASE("PostgreSQL: instances starting together apply each file once") {
  test_support::TempDir dir;
  Database db("postgres", dir);
  if (!db.available()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  EmbeddedFiles files = {
      {"001_table", "sql/test/001_table.sql", "CREATE TABLE t (a INTEGER)"},
      {"002_row", "sql/test/002_row.sql", "INSERT INTO t (a) VALUES (1)"},
  };
  // This connection holds the lock until both instances wait for it.
  REQUIRE(db.query("SELECT pg_advisory_lock(" + std::to_string(kOptions.lock_key) + ")") != "error");
  PGconn* a = db.connect();
  PGconn* b = db.connect();
  chat::Result<std::vector<std::string>> result_a = Names{};
  chat::Result<std::vector<std::string>> result_b = Names{};
  std::thread ta([&] { result_a = kit::migrate_postgres(a, files, kOptions); });
  std::thread tb([&] { result_b = kit::migrate_postgres(b, files, kOptions); });
  const std::string waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = " +
                              std::to_string(kOptions.lock_key) + " AND NOT granted";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (db.query(waiting) != "2" && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(db.query(waiting) == "2");
  db.query("SELECT pg_advisory_unlock(" + std::to_string(kOptions.lock_key) + ")");
  ta.join();
  tb.join();
  PQfinish(a);
  PQfinish(b);
  REQUIRE(result_a.ok());
  REQUIRE(result_b.ok());
  // One did both files, the other found them recorded.
  auto both = result_a.value();
  both.insert(both.end(), result_b.value().begin(), result_b.value().end());
  CHECK(both == Names{"001_table", "002_row"});
  CHECK((result_a.value().empty() || result_b.value().empty()));
  CHECK(db.query("SELECT count(*) FROM t") == "1");
}
