// kit::SqliteStatements: the statements a connection keeps, prepared once each.
#include <sqlite3.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "kit/sqlite.hpp"

namespace {

struct TempDatabase {
  std::filesystem::path dir;
  sqlite3* db = nullptr;
  TempDatabase() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kit-sqlite-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    REQUIRE(sqlite3_open((dir / "test.db").c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE t (v TEXT)", nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "INSERT INTO t VALUES ('a'), ('b')", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~TempDatabase() {
    sqlite3_close_v2(db);
    std::filesystem::remove_all(dir);
  }
};

}  // namespace

TEST_CASE("a kept statement is prepared once, and handed out reset with no bindings") {
  TempDatabase t;
  kit::SqliteStatements kept(t.db);
  const char* sql = "SELECT count(*) FROM t WHERE v = ?1 OR ?1 IS NULL";
  sqlite3_stmt* first = nullptr;
  {
    kit::SqliteStatement st(kept, sql);
    first = st.get();
    st.bind(1, "a");
    REQUIRE(st.step() == SQLITE_ROW);
    CHECK(sqlite3_column_int(st.get(), 0) == 1);
  }
  {
    kit::SqliteStatement st(kept, sql);
    CHECK(st.get() == first);  // the same statement, not compiled again
    REQUIRE(st.step() == SQLITE_ROW);
    CHECK(sqlite3_column_int(st.get(), 0) == 2);  // ?1 was cleared: NULL counts every row
  }
  CHECK(sqlite3_next_stmt(t.db, nullptr) == first);  // and only it is alive
  CHECK(sqlite3_next_stmt(t.db, first) == nullptr);
}

TEST_CASE("the same SQL used inside its own row loop gets a statement of its own") {
  TempDatabase t;
  kit::SqliteStatements kept(t.db);
  const char* sql = "SELECT v FROM t ORDER BY v";
  kit::SqliteStatement outer(kept, sql);
  REQUIRE(outer.step() == SQLITE_ROW);
  CHECK(outer.text(0) == "a");
  {
    kit::SqliteStatement inner(kept, sql);
    CHECK(inner.get() != outer.get());
    REQUIRE(inner.step() == SQLITE_ROW);
    CHECK(inner.text(0) == "a");
  }
  REQUIRE(outer.step() == SQLITE_ROW);  // the outer loop did not lose its place
  CHECK(outer.text(0) == "b");
  CHECK(outer.step() == SQLITE_DONE);
}

TEST_CASE("SQL that does not compile is not kept, and says why") {
  TempDatabase t;
  kit::SqliteStatements kept(t.db);
  for (int attempt = 0; attempt < 2; ++attempt) {
    kit::SqliteStatement st(kept, "SELECT nope FROM t");
    CHECK_FALSE(st.ok());
    CHECK(st.step() != SQLITE_ROW);
    CHECK(st.error().find("nope") != std::string::npos);
  }
  CHECK(sqlite3_next_stmt(t.db, nullptr) == nullptr);
}
