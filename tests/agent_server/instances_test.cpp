// Two real agent-server processes on one database of the test cluster: what is
// posted through one, and its reply, reaches the streams held on the other.
#include <catch2/catch.hpp>

#include <signal.h>

#include <map>
#include <memory>

#include "pg_cluster.hpp"
#include "server_fixture.hpp"
#include "sse_reader.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using test_support::SseReader;
using namespace std::chrono_literals;

namespace {

// The same chat as seen through another instance.
Chat through(const Chat& chat, AgentServer& other) {
  Chat copy = chat;
  copy.server = &other;
  return copy;
}

std::unique_ptr<SseReader> open_stream(const Chat& chat) {
  auto stream = std::make_unique<SseReader>(chat.server->port(), chat.events_path(),
                                            httplib::Headers{{"Authorization", "Bearer " + chat.token}});
  REQUIRE(stream->wait_for_raw("retry: 2000"));  // subscribed: every later event reaches it
  return stream;
}

std::vector<std::string> names(const std::vector<chat::SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event);
  return out;
}

// The deltas' text, joined.
std::string drafted(const std::vector<chat::SseEvent>& events) {
  std::string text;
  for (const auto& e : events) {
    if (e.event == "delta") text += json::parse(e.data).at("text").get<std::string>();
  }
  return text;
}

json last_message(const std::vector<chat::SseEvent>& events) {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->event == "message") return json::parse(it->data);
  }
  return json();
}

// Two instances on a fresh database of the cluster, and one chat seen through each.
struct Instances {
  Instances(const std::string& db, const std::map<std::string, std::string>& env_a,
            const std::map<std::string, std::string>& env_b)
      : a({db, env_a}), b({db, env_b}), on_a(open_chat(a)), on_b(through(on_a, b)) {}
  AgentServer a;
  AgentServer b;
  Chat on_a;
  Chat on_b;
};

// Null (and a warning) when PostgreSQL is not installed.
std::unique_ptr<Instances> start_instances(const std::map<std::string, std::string>& env_a = {},
                                           const std::map<std::string, std::string>& env_b = {}) {
  auto* cluster = test_support::PgCluster::shared();
  std::string db = cluster ? cluster->create_database() : std::string();
  if (db.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return nullptr;
  }
  return std::make_unique<Instances>(db, env_a, env_b);
}

}  // namespace

TEST_CASE("a message posted on one instance, and its reply, reach a stream held on the other") {
  auto instances = start_instances();
  if (!instances) return;
  auto& [a, b, on_a, on_b] = *instances;
  auto stream_a = open_stream(on_a);
  auto stream_b = open_stream(on_b);

  auto posted = on_a.post("Quels sont vos horaires ?");
  REQUIRE(posted.status == 202);
  REQUIRE(stream_a->wait_for_event("done"));
  REQUIRE(stream_b->wait_for_event("done"));

  auto seen = stream_b->events();
  auto kinds = names(seen);
  REQUIRE(kinds.size() >= 4);
  CHECK(kinds.front() == "message");
  CHECK(json::parse(seen.front().data).at("id") == posted.json().at("id"));
  for (std::size_t i = 1; i + 2 < kinds.size(); ++i) CHECK(kinds[i] == "delta");
  CHECK(kinds[kinds.size() - 2] == "message");
  CHECK(kinds.back() == "done");
  // The same events, ids and seqs as the instance that made the reply sent.
  CHECK(seen == stream_a->events());
  auto reply = last_message(seen);
  CHECK(reply.at("role") == "agent");
  CHECK(drafted(seen) == reply.at("text").get<std::string>());
  CHECK(json::parse(seen.back().data).at("messageId") == reply.at("id"));
}

TEST_CASE("while one instance replies, the other refuses a message and serves the reply to a late stream") {
  // A reply of a few seconds: 200 ms a word.
  auto instances = start_instances({{"LOCAL_MODEL_WORD_MS", "200"}});
  if (!instances) return;
  auto& [a, b, on_a, on_b] = *instances;
  auto early = open_stream(on_b);

  REQUIRE(on_a.post("Quels sont vos horaires ?").status == 202);
  REQUIRE(early->wait_for_event("delta"));  // B has heard the reply begin

  auto refused = on_b.post("Et le menu ?");
  CHECK(refused.status == 429);
  CHECK(refused.error_code() == "reply_in_progress");

  auto late = open_stream(on_b);
  REQUIRE(late->wait_for_event("done"));
  REQUIRE(early->wait_for_event("done"));
  auto reply = last_message(late->events());
  CHECK(drafted(late->events()) == reply.at("text").get<std::string>());
  CHECK(last_message(early->events()) == reply);

  // The reply is over everywhere: B takes the next message and replies itself.
  auto next = on_b.post("Et le menu ?");
  CHECK(next.status == 202);
  CHECK(early->wait_for([](const std::vector<chat::SseEvent>& events) {
    return std::count_if(events.begin(), events.end(), [](const auto& e) { return e.event == "done"; }) == 2;
  }));
}

TEST_CASE("a 2,000-character message of 4-byte characters crosses to the other instance whole") {
  auto instances = start_instances();
  if (!instances) return;
  auto stream_b = open_stream(instances->on_b);
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "\xF0\x9F\x8D\xB7";  // 🍷, 8,000 bytes in all
  auto posted = instances->on_a.post(text);
  REQUIRE(posted.status == 202);
  REQUIRE(stream_b->wait_for_event("done"));
  auto first = json::parse(stream_b->events().front().data);
  CHECK(first.at("id") == posted.json().at("id"));
  CHECK(first.at("text") == text);
}

TEST_CASE("a silent reply of another instance stops holding the session after its TTL") {
  // B's TTL for a silent remote reply: 1 ms + 1 ms of model timeouts, plus the margin
  // (5 s). A stays alive (its lock held) but stopped: only the TTL ends its reply.
  auto instances = start_instances({{"LOCAL_MODEL_WORD_MS", "300"}},
                                   {{"LLM_CONNECT_TIMEOUT_MS", "1"}, {"LLM_IDLE_TIMEOUT_MS", "1"}});
  if (!instances) return;
  auto& [a, b, on_a, on_b] = *instances;
  auto stream = open_stream(on_b);
  REQUIRE(on_a.post("Quels sont vos horaires ?").status == 202);
  REQUIRE(stream->wait_for_event("delta"));
  REQUIRE(::kill(a.process().pid(), SIGSTOP) == 0);
  CHECK(on_b.post("Allô ?").status == 429);

  REQUIRE(stream->wait_for_event("error", "reply_interrupted", 30s));
  CHECK(b.process().wait_for_line("\"msg\":\"remote reply expired\"", 10s));  // read by another thread
  CHECK(on_b.post("Allô ?").status == 202);
  CHECK(stream->wait_for_event("done"));
}

TEST_CASE("the listening connection comes back after the database drops it") {
  auto instances = start_instances();
  if (!instances) return;
  auto& [a, b, on_a, on_b] = *instances;
  auto stream_b = open_stream(on_b);

  std::string output;
  REQUIRE(test_support::PgCluster::shared()->psql(test_support::database_of(a.db_url()),
                                                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                                  "WHERE query LIKE 'LISTEN%' AND datname = current_database()",
                                                  &output) == 0);
  CHECK(output == "2\n");  // A's and B's listeners
  REQUIRE(b.process().wait_for_line("\"msg\":\"live events connection lost\"", 20s));
  REQUIRE(b.process().wait_for_line("\"msg\":\"live events connection restored\"", 20s));
  REQUIRE(a.process().wait_for_line("\"msg\":\"live events connection restored\"", 20s));

  REQUIRE(on_a.post("Quels sont vos horaires ?").status == 202);
  CHECK(stream_b->wait_for_event("done"));
}
