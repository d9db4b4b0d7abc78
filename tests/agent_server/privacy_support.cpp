#include "privacy_support.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "pg_cluster.hpp"

namespace privacy_test {

using namespace std::chrono_literals;

nlohmann::json say(const agent_test::Chat& chat, const std::string& text, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  // The previous reply reads as done in the database a moment before the server
  // lets its session take the next message (429 reply_in_progress): ask again.
  auto posted = chat.post(text);
  while (posted.status == 429 && posted.error_code() == "reply_in_progress" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    posted = chat.post(text);
  }
  INFO(posted.body);
  REQUIRE(posted.status == 202);
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = chat.get();
    REQUIRE(res.status == 200);
    auto session = res.json();
    const auto reply = session.value("reply", nlohmann::json::object());
    if (session.at("messages").size() >= count && reply.value("state", "") == "done") {
      return session;
    }
    std::this_thread::sleep_for(10ms);
  }
  FAIL("the reply to '" << text << "' was not stored in time");
  return {};
}

namespace {

bool is_sqlite(const std::string& url) { return url.rfind("sqlite:", 0) == 0; }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string psql(const std::string& db_url, const std::string& sql) {
  auto* cluster = test_support::PgCluster::shared();
  REQUIRE(cluster);
  std::string out;
  INFO(sql);
  REQUIRE(cluster->psql(test_support::database_of(db_url), sql, &out) == 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

void run_sql(const std::string& db_url, const std::string& sql) {
  if (!is_sqlite(db_url)) {
    psql(db_url, sql);
    return;
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_url.substr(7).c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  // The setting is each connection's: without it this write would leave the row's
  // old copy in free space, which the server's connection never wrote.
  const std::string script = "PRAGMA secure_delete = ON; " + sql;
  int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  INFO(sql << ": " << message);
  REQUIRE(rc == SQLITE_OK);
}

std::string query_one(const std::string& db_url, const std::string& sql) {
  if (!is_sqlite(db_url)) return psql(db_url, sql);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_url.substr(7).c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    if (auto* text = sqlite3_column_text(st, 0)) value = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return value;
}

std::string database_bytes(const std::string& db_url) {
  if (is_sqlite(db_url)) {
    const std::string path = db_url.substr(7);
    std::string bytes = read_file(path);
    if (std::filesystem::exists(path + "-wal")) bytes += read_file(path + "-wal");
    return bytes;
  }
  // The buffers written out first, so the files hold what the database holds.
  psql(db_url, "CHECKPOINT");
  const std::string dir = psql(db_url,
                               "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database "
                               "WHERE datname = current_database()");
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += read_file(entry.path());
  }
  REQUIRE(!bytes.empty());
  return bytes;
}

bool wait_for_lines(agent_test::AgentServer& server, const std::string& needle, std::size_t count,
                    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::size_t seen = 0;
    for (const auto& line : server.process().lines()) seen += line.find(needle) != std::string::npos ? 1 : 0;
    if (seen >= count) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);  // a poll until the deadline, not a wait for time to pass
  }
}

}  // namespace privacy_test
