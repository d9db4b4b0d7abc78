#pragma once
// What the privacy suites share: a chat with its replies stored, SQL run on the
// server's database behind its back (to age a session, to set a verified phone),
// and the bytes of the database's files, to look for erased text in them.

#include <chrono>
#include <string>

#include "server_fixture.hpp"

namespace privacy_test {

/// Posts `text` and waits (deadline) until the session holds `count` messages.
nlohmann::json say(const agent_test::Chat& chat, const std::string& text, std::size_t count);

/// Runs SQL on the database of `db_url` (a sqlite: file or a test cluster database).
void run_sql(const std::string& db_url, const std::string& sql);

/// The first column of the first row of `sql`, as text ("" when no row).
std::string query_one(const std::string& db_url, const std::string& sql);

/// Every byte of the database's files: SQLite's main file and its WAL; on
/// PostgreSQL, after a CHECKPOINT, every file of the database's directory
/// (heap, TOAST, indexes).
std::string database_bytes(const std::string& db_url);

/// Waits until the server's log holds `count` lines containing `needle`.
bool wait_for_lines(agent_test::AgentServer& server, const std::string& needle, std::size_t count,
                    std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace privacy_test
