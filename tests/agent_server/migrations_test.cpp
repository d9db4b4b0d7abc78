#include <catch2/catch.hpp>

#include "migrations.hpp"

using agent_server::migrations_for;
using agent_server::parse_add_column;
using agent_server::split_sql_statements;

TEST_CASE("the committed SQL files are embedded, in order, for both dialects") {
  for (const char* dialect : {"postgres", "sqlite"}) {
    const auto& list = migrations_for(dialect);
    REQUIRE(list.size() >= 3);  // later issues append theirs
    CHECK(list[0].name == "001_base");
    CHECK(list[1].name == "002_migrate-chat");
    CHECK(list[2].name == "003_chat-extras");
    CHECK(list[1].sql.find("chat_phone_required") != std::string_view::npos);
  }
  CHECK(migrations_for("postgres")[1].sql.find("ADD COLUMN IF NOT EXISTS") != std::string_view::npos);
}

TEST_CASE("statements split on semicolons, comments dropped") {
  auto s = split_sql_statements("-- a comment; with a semicolon\nCREATE TABLE t (a INT);\n\n"
                                "ALTER TABLE t ADD COLUMN b TEXT; -- trailing\n  SELECT 1");
  REQUIRE(s.size() == 3);
  CHECK(s[0] == "CREATE TABLE t (a INT)");
  CHECK(s[1] == "ALTER TABLE t ADD COLUMN b TEXT");
  CHECK(s[2] == "SELECT 1");
  CHECK(split_sql_statements("  \n-- only\n").empty());
}

TEST_CASE("ADD COLUMN statements are recognised") {
  auto add = parse_add_column("alter table call_records add column verified_at TEXT");
  REQUIRE(add.has_value());
  CHECK(add->first == "call_records");
  CHECK(add->second == "verified_at");
  CHECK_FALSE(parse_add_column("CREATE INDEX IF NOT EXISTS i ON t (a)").has_value());
}
