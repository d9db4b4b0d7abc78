#include <catch2/catch.hpp>

#include "migrations.hpp"

using agent_server::postgres_migrations;
using agent_server::sqlite_migrations;

TEST_CASE("the committed SQL files are embedded, in order, for both dialects") {
  for (const auto* list : {&postgres_migrations(), &sqlite_migrations()}) {
    REQUIRE(list->size() >= 3);  // later issues append theirs
    CHECK((*list)[0].name == "001_base");
    CHECK((*list)[1].name == "002_migrate-chat");
    CHECK((*list)[2].name == "003_chat-extras");
    CHECK((*list)[1].text.find("chat_phone_required") != std::string_view::npos);
    for (std::size_t i = 1; i < list->size(); ++i) CHECK((*list)[i - 1].name < (*list)[i].name);
  }
  CHECK(postgres_migrations()[1].path == "sql/agent_server/postgres/002_migrate-chat.sql");
  CHECK(sqlite_migrations()[1].path == "sql/agent_server/sqlite/002_migrate-chat.sql");
  CHECK(postgres_migrations()[1].text.find("ADD COLUMN IF NOT EXISTS") != std::string_view::npos);
}
