// The same storage cases on SQLite (a temp file) and PostgreSQL (the test cluster).
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <set>
#include <thread>

#include "chat/random.hpp"
#include "migrations.hpp"
#include "pg_cluster.hpp"
#include "process.hpp"
#include "server_fixture.hpp"
#include "storage.hpp"
#include "storage_common.hpp"

using agent_server::NewMessage;
using agent_server::open_storage;
using agent_server::SessionRecord;
using agent_server::Storage;
using chat::ErrorCode;

namespace {

agent_server::AgentRecord make_agent(const std::string& name = "Chez Marie") {
  agent_server::AgentRecord a;
  a.id = chat::random_uuid();
  a.name = name;
  a.prompt = "Horaires : 12h-14h";
  a.chat_model = "local";
  a.chat_prompt_extra = "Soyez bref.";
  a.api_token = chat::random_token("ak_");
  a.public_token = chat::random_token("pk_");
  a.created_at = "2026-11-24T20:18:52.123Z";
  return a;
}

SessionRecord make_session(const std::string& agent_id) {
  SessionRecord s;
  s.id = chat::random_uuid();
  s.agent_id = agent_id;
  s.visitor_id = chat::random_visitor_id();
  s.lang = "en";
  s.started_at = "2026-11-24T20:19:00.000Z";
  return s;
}

std::unique_ptr<Storage> open_migrated(const std::string& url) {
  auto storage = open_storage(url);
  INFO((storage ? "" : storage.error().message));
  REQUIRE(storage.ok());
  auto applied = storage.value()->migrate();
  INFO((applied ? "" : applied.error().message));
  REQUIRE(applied.ok());
  return std::move(storage).value();
}

}  // namespace

TEST_CASE("storage behaves the same on both backends") {
  std::string backend = GENERATE("sqlite", "postgres");
  test_support::TempDir dir;
  std::string url = agent_test::database_for(backend, dir);
  if (url.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  INFO(backend);

  SECTION("migrations apply once") {
    auto storage = open_storage(url);
    REQUIRE(storage.ok());
    CHECK(storage.value()->backend() == backend);
    auto first = storage.value()->migrate();
    REQUIRE(first.ok());
    REQUIRE(first.value().size() >= 3);  // later issues append theirs
    CHECK(std::vector<std::string>(first.value().begin(), first.value().begin() + 3) ==
          std::vector<std::string>{"001_base", "002_migrate-chat", "003_chat-extras"});
    auto second = storage.value()->migrate();
    REQUIRE(second.ok());
    CHECK(second.value().empty());
    auto reopened = open_storage(url);
    REQUIRE(reopened.ok());
    CHECK(reopened.value()->migrate().value().empty());
    CHECK(reopened.value()->ping().ok());
  }

  SECTION("agents: insert, find by id and by either token, update, rotate") {
    auto storage = open_migrated(url);
    auto a = make_agent();
    REQUIRE(storage->insert_agent(a).ok());
    auto found = storage->find_agent(a.id);
    REQUIRE(found.ok());
    CHECK(found.value() == a);
    CHECK(storage->find_agent_by_token(a.api_token).value() == a);
    CHECK(storage->find_agent_by_token(a.public_token).value() == a);
    CHECK(storage->find_agent_by_token("ak_unknown").error().code == ErrorCode::unauthorized);
    CHECK(storage->find_agent(chat::random_uuid()).error().code == ErrorCode::agent_not_found);
    CHECK(storage->find_agent("not-a-uuid").error().code == ErrorCode::agent_not_found);

    auto b = a;
    b.name = "Chez Marie & fils — l'été";
    b.chat_enabled = false;
    b.chat_phone_required = true;
    b.chat_model = "other";
    b.api_token = chat::random_token("ak_");
    b.public_token = chat::random_token("pk_");
    REQUIRE(storage->update_agent(b).ok());
    CHECK(storage->find_agent(a.id).value() == b);
    CHECK(storage->find_agent_by_token(a.api_token).error().code == ErrorCode::unauthorized);
    CHECK(storage->find_agent_by_token(a.public_token).error().code == ErrorCode::unauthorized);
    CHECK(storage->find_agent_by_token(b.public_token).value().id == a.id);

    auto ghost = make_agent();
    CHECK(storage->update_agent(ghost).error().code == ErrorCode::agent_not_found);
    // Tokens are unique.
    auto clash = make_agent("Clash");
    clash.api_token = b.api_token;
    CHECK(storage->insert_agent(clash).error().code == ErrorCode::internal_error);
  }

  SECTION("sessions: insert, find, append with seqs, survive a reopen") {
    auto storage = open_migrated(url);
    auto a = make_agent();
    REQUIRE(storage->insert_agent(a).ok());
    auto s = make_session(a.id);
    REQUIRE(storage->insert_session(s).ok());
    auto found = storage->find_session(s.id);
    REQUIRE(found.ok());
    CHECK(found->visitor_id == s.visitor_id);
    CHECK(found->agent_id == a.id);
    CHECK(found->lang == "en");
    CHECK(found->started_at == s.started_at);
    CHECK(found->messages.empty());
    CHECK_FALSE(found->verified_at.has_value());
    CHECK_FALSE(found->last_message_at.has_value());
    CHECK(storage->find_session(chat::random_uuid()).error().code == ErrorCode::session_not_found);
    CHECK(storage->find_session("x").error().code == ErrorCode::session_not_found);

    auto m1 = storage->append_message(s.id, {chat::random_uuid(), chat::Role::visitor, "Bonjour \"€\" \n ok",
                                             "2026-11-24T20:19:01.000Z"});
    REQUIRE(m1.ok());
    CHECK(m1->seq == 1);
    auto m2 = storage->append_message(s.id, {chat::random_uuid(), chat::Role::agent, "Bonjour !",
                                             "2026-11-24T20:19:02.500Z"});
    REQUIRE(m2.ok());
    CHECK(m2->seq == 2);
    CHECK(storage
              ->append_message(chat::random_uuid(),
                               {chat::random_uuid(), chat::Role::visitor, "x", "2026-11-24T20:19:03.000Z"})
              .error()
              .code == ErrorCode::session_not_found);

    auto reopened = open_migrated(url);
    auto again = reopened->find_session(s.id);
    REQUIRE(again.ok());
    CHECK(again->messages == std::vector<chat::Message>{m1.value(), m2.value()});
    CHECK(again->last_message_at == std::optional<std::string>("2026-11-24T20:19:02.500Z"));
  }

  SECTION("concurrent appends get distinct consecutive seqs") {
    auto storage = open_migrated(url);
    auto a = make_agent();
    REQUIRE(storage->insert_agent(a).ok());
    auto s = make_session(a.id);
    REQUIRE(storage->insert_session(s).ok());
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::set<std::int64_t> seqs;
    int failures = 0;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 10; ++i) {
          auto m = storage->append_message(s.id, {chat::random_uuid(), chat::Role::visitor, "m",
                                                  agent_server::now_timestamp()});
          std::lock_guard lock(mutex);
          if (m) {
            seqs.insert(m->seq);
          } else {
            ++failures;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    CHECK(seqs.size() == 40);
    CHECK(*seqs.begin() == 1);
    CHECK(*seqs.rbegin() == 40);
    CHECK(storage->find_session(s.id)->messages.size() == 40);
  }
}

TEST_CASE("a pre-chat SQLite database is migrated in place, its calls kept") {
  test_support::TempDir dir;
  std::string path = dir.file("old.db");
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::string base;
    REQUIRE(test_support::run_command({"/bin/cat", std::string(AGENT_SERVER_SQL_DIR) + "/sqlite/001_base.sql"},
                                      &base) == 0);
    REQUIRE(sqlite3_exec(db, base.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "INSERT INTO agents (id, name, api_token) VALUES "
                         "('11111111-1111-4111-8111-111111111111', 'Old', 'ak_old');"
                         "INSERT INTO call_records (id, agent_id, caller_number, status) VALUES "
                         "('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111', "
                         "'+33612345678', 'completed');",
                         nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto storage = open_migrated("sqlite:" + path);
  auto old = storage->find_agent("11111111-1111-4111-8111-111111111111");
  REQUIRE(old.ok());
  CHECK(old->chat_enabled == false);  // existing agents keep chat off
  CHECK(old->chat_model == "local");
  CHECK(old->public_token.empty());
  // A phone call is not a chat session.
  CHECK(storage->find_session("22222222-2222-4222-8222-222222222222").error().code ==
        ErrorCode::session_not_found);
  std::string type;
  REQUIRE(test_support::run_command({"/usr/bin/sqlite3", path, "SELECT type || ',' || messages FROM call_records"},
                                    &type) == 0);
  CHECK(type == "call,[]\n");
}

TEST_CASE("the records of an earlier agent server are read as before: nothing applied twice") {
  test_support::TempDir dir;
  std::string path = dir.file("earlier.db");
  // As the agent server before the shared runner left it: every file applied, each
  // recorded by its name in schema_migrations.
  std::string script = "CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, "
                       "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));\n";
  for (const auto& file : agent_server::sqlite_migrations()) {
    script += std::string(file.text) + ";\nINSERT INTO schema_migrations (name) VALUES ('" +
              std::string(file.name) + "');\n";
  }
  script +=
      "INSERT INTO agents (id, name, api_token) VALUES ('11111111-1111-4111-8111-111111111111', 'Kept', 'ak_k');";
  REQUIRE(test_support::run_command({"/usr/bin/sqlite3", "-bail", path, script}) == 0);
  auto storage = open_storage("sqlite:" + path);
  REQUIRE(storage.ok());
  auto applied = storage.value()->migrate();
  INFO((applied ? "" : applied.error().message));
  REQUIRE(applied.ok());
  CHECK(applied.value().empty());
  CHECK(storage.value()->find_agent("11111111-1111-4111-8111-111111111111")->name == "Kept");
}
