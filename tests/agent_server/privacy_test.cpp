// Erasure and retention (issue 15), on the real binary over SQLite and PostgreSQL:
// a session deleted by the restaurant or by its visitor is gone from the API and
// its text from the database's files; CHAT_RETENTION_DAYS erases idle sessions
// while the server runs.
#include <catch2/catch.hpp>

#include "chat/random.hpp"
#include "privacy_support.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using privacy_test::database_bytes;
using privacy_test::say;
using privacy_test::wait_for_lines;

namespace {

constexpr const char* kScrubbed = "\"msg\":\"erased chats scrubbed\"";

bool holds(const std::string& bytes, const std::string& text) { return bytes.find(text) != std::string::npos; }

// A phrase found nowhere else, so finding it in the files means this session.
std::string secret_phrase() { return "Mon code secret est " + chat::random_base64url(12); }

}  // namespace

TEST_CASE(
    "a session erased by the restaurant or by its visitor is gone, and its text is not in the database files") {
  std::string backend = GENERATE("sqlite", "postgres");
  test_support::TempDir dir;
  std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  INFO(backend);
  AgentServer server({db, {}});
  Chat by_restaurant = open_chat(server);
  Chat by_visitor = open_chat(server);
  Chat kept = open_chat(server);
  const std::string restaurant_secret = secret_phrase();
  const std::string visitor_secret = secret_phrase();
  const std::string kept_secret = secret_phrase();
  // Two messages each: the row was rewritten (an older copy of it left behind).
  say(by_restaurant, restaurant_secret, 2);
  say(by_restaurant, "Et le menu ?", 4);
  say(by_visitor, visitor_secret, 2);
  say(by_visitor, "Merci", 4);
  say(kept, kept_secret, 2);
  {
    auto bytes = database_bytes(db);
    REQUIRE(holds(bytes, restaurant_secret));  // the check below can see the text
    REQUIRE(holds(bytes, visitor_secret));
  }

  // The restaurant.
  const std::string agent_path = "/api/agents/" + by_restaurant.agent.at("id").get<std::string>() +
                                 "/chat-sessions";
  auto restaurant = server.with_token(by_restaurant.agent.at("apiToken"));
  auto erased = restaurant.request("DELETE", agent_path + "/" + by_restaurant.session_id, "");
  INFO(erased.body);
  CHECK(erased.status == 204);
  CHECK(erased.body.empty());
  CHECK(by_restaurant.get().status == 404);
  CHECK(server.admin().get(agent_path + "/" + by_restaurant.session_id).status == 404);
  CHECK(server.admin().get(agent_path).json().at("sessions").empty());
  auto again = server.admin().request("DELETE", agent_path + "/" + by_restaurant.session_id, "");
  CHECK(again.status == 404);
  CHECK(again.error_code() == "session_not_found");

  // The visitor: only with its own visitor id.
  const std::string session_path = "/api/chat/sessions/" + by_visitor.session_id;
  auto client = server.with_token(by_visitor.token);
  auto wrong = client.request("DELETE", session_path, "", {{"X-Chat-Visitor", chat::random_visitor_id()}});
  CHECK(wrong.status == 404);
  CHECK(wrong.error_code() == "session_not_found");
  CHECK(client.request("DELETE", session_path, "").status == 404);  // no visitor id
  // Another agent's token, even with the right visitor id.
  auto other_agent = server.with_token(kept.token);
  CHECK(other_agent.request("DELETE", session_path, "", {{"X-Chat-Visitor", by_visitor.visitor}}).status == 404);
  auto as_admin = server.admin().request("DELETE", session_path, "", {{"X-Chat-Visitor", by_visitor.visitor}});
  CHECK(as_admin.status == 401);  // the chat API is the agents' tokens only
  CHECK(by_visitor.get().status == 200);
  auto own = client.request("DELETE", session_path, "", {{"X-Chat-Visitor", by_visitor.visitor}});
  INFO(own.body);
  CHECK(own.status == 204);
  CHECK(by_visitor.get().status == 404);
  CHECK(client.request("DELETE", session_path, "", {{"X-Chat-Visitor", by_visitor.visitor}}).status == 404);
  auto post = by_visitor.post("encore là ?");
  CHECK(post.status == 404);

  // The files: both erased texts gone, once the scrubs that follow the erasures ran.
  REQUIRE(wait_for_lines(server, kScrubbed, 2));
  auto bytes = database_bytes(db);
  CHECK_FALSE(holds(bytes, restaurant_secret));
  CHECK_FALSE(holds(bytes, visitor_secret));
  CHECK(holds(bytes, kept_secret));
  CHECK(kept.get().status == 200);
  // Replies went with their sessions (ON DELETE CASCADE), the kept one's stayed.
  CHECK(privacy_test::query_one(db, "SELECT count(*) FROM chat_replies") == "1");
  CHECK(kept.get().json().at("reply").at("state") == "done");
}

TEST_CASE("CHAT_RETENTION_DAYS: a session idle longer is erased by the periodic sweep, a recent one stays") {
  std::string backend = GENERATE("sqlite", "postgres");
  test_support::TempDir dir;
  std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  INFO(backend);
  AgentServer server({db, {{"CHAT_RETENTION_DAYS", "30"}, {"CHAT_RETENTION_CHECK_SECONDS", "1"}}});
  // The sweep at start found nothing.
  REQUIRE(server.process().wait_for_line("\"msg\":\"retention sweep\"", std::chrono::seconds(10)));
  Chat old = open_chat(server);
  Chat recent = open_chat(server);
  const std::string old_secret = secret_phrase();
  say(old, old_secret, 2);
  say(recent, "Bonjour", 2);
  // 31 days without a message; the recent one's started as long ago, but spoke today.
  privacy_test::run_sql(db, "UPDATE call_records SET started_at = '2020-01-01T00:00:00.000Z', last_message_at = "
                            "'2020-01-01T00:00:00.000Z' WHERE id = '" +
                                old.session_id + "'");
  privacy_test::run_sql(db, "UPDATE call_records SET started_at = '2020-01-01T00:00:00.000Z' WHERE id = '" +
                                recent.session_id + "'");

  REQUIRE(server.process().wait_for_line("\"sessions\":1,", std::chrono::seconds(20)));
  CHECK(old.get().status == 404);
  CHECK(recent.get().status == 200);
  REQUIRE(wait_for_lines(server, kScrubbed, 1));
  CHECK_FALSE(holds(database_bytes(db), old_secret));
  // The following sweeps find nothing more.
  REQUIRE(wait_for_lines(server, "\"sessions\":0,", 2));
  CHECK(recent.get().status == 200);
}
