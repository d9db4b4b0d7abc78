// Live events between instances: the NOTIFY payloads, then two hubs of this
// process joined through a database of the test cluster.
#include <catch2/catch.hpp>

#include <algorithm>

#include "chat/random.hpp"
#include "pg_cluster.hpp"
#include "pg_events.hpp"
#include "storage_common.hpp"

using agent_server::decode_payload;
using agent_server::encode_payloads;
using agent_server::Hub;
using agent_server::HubEvent;
using agent_server::kMaxPayloadBytes;
using agent_server::Storage;
using agent_server::WireBatch;
using Kind = HubEvent::Kind;
using namespace std::chrono_literals;

namespace {

const std::string kSession = "6f1c9a52-6f53-4f0e-9d0e-2f6f7a1e4b11";

HubEvent event_of(Kind kind, const std::string& reply_id = "r") {
  HubEvent e;
  e.kind = kind;
  e.session_id = kSession;
  e.reply_id = reply_id;
  return e;
}

chat::Message message_of(const std::string& text, chat::Role role = chat::Role::visitor) {
  chat::Message m;
  m.id = chat::random_uuid();
  m.seq = 1;
  m.role = role;
  m.text = text;
  m.created_at = "2026-11-24T20:19:00.000Z";
  return m;
}

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// Every payload decoded, in order; each within PostgreSQL's limit.
std::vector<WireBatch> round_trip(const std::vector<HubEvent>& events, std::uint64_t& seq) {
  std::vector<WireBatch> batches;
  for (const auto& payload : encode_payloads("instanceA", seq, events)) {
    CHECK(payload.size() <= kMaxPayloadBytes);
    auto batch = decode_payload(payload);
    INFO(payload);
    REQUIRE(batch.ok());
    CHECK(batch->instance == "instanceA");
    batches.push_back(std::move(batch).value());
  }
  return batches;
}

std::vector<agent_server::WireEvent> flatten(const std::vector<WireBatch>& batches) {
  std::vector<agent_server::WireEvent> out;
  for (const auto& b : batches) out.insert(out.end(), b.events.begin(), b.events.end());
  return out;
}

}  // namespace

TEST_CASE("every kind of event survives its payload") {
  auto begun = event_of(Kind::begun);
  auto delta = event_of(Kind::delta);
  delta.text = "« Bonjour » \"à\" \\ vous\n";
  auto message = event_of(Kind::message);
  message.message = message_of("Vous êtes ouverts ?");
  message.reply_id = message.message.id;
  auto finished = event_of(Kind::finished);
  finished.message = message_of("Oui.", chat::Role::agent);
  auto failed = event_of(Kind::failed);
  failed.error = chat::Error(chat::ErrorCode::upstream_timeout, "le modèle se tait");
  auto abandoned = event_of(Kind::abandoned);

  std::uint64_t seq = 7;
  auto events = flatten(round_trip({begun, delta, message, finished, failed, abandoned}, seq));
  CHECK(seq == 8);  // one payload
  REQUIRE(events.size() == 6);
  for (const auto& w : events) {
    CHECK_FALSE(w.by_reference);
    CHECK(w.event.session_id == kSession);
  }
  CHECK(events[0].event.kind == Kind::begun);
  CHECK(events[0].event.reply_id == "r");
  CHECK(events[1].event.text == delta.text);
  CHECK(events[2].event.message == message.message);
  CHECK(events[3].event.kind == Kind::finished);
  CHECK(events[3].event.message == finished.message);
  CHECK(events[4].event.error == failed.error);
  CHECK(events[5].event.kind == Kind::abandoned);
}

TEST_CASE("a 2,000-character message of 4-byte characters goes by reference") {
  auto message = event_of(Kind::message);
  message.message = message_of(repeat("\xF0\x9F\x8D\xB7", 2000));  // 🍷
  message.reply_id = message.message.id;
  std::uint64_t seq = 1;
  auto events = flatten(round_trip({message}, seq));
  REQUIRE(events.size() == 1);
  CHECK(events[0].by_reference);
  CHECK(events[0].event.reply_id == message.message.id);
  CHECK(events[0].event.message.text.empty());
}

TEST_CASE("a delta too big for one payload is split at character boundaries, in order") {
  auto delta = event_of(Kind::delta);
  delta.text = repeat("\xF0\x9F\x8D\xB7 \"é\"\x01", 3000);  // quotes and a control byte grow when escaped
  std::uint64_t seq = 1;
  auto batches = round_trip({event_of(Kind::begun), delta, event_of(Kind::abandoned)}, seq);
  CHECK(batches.size() > 3);
  for (std::size_t i = 1; i < batches.size(); ++i) CHECK(batches[i].seq == batches[i - 1].seq + 1);
  auto events = flatten(batches);
  REQUIRE(events.size() > 3);
  CHECK(events.front().event.kind == Kind::begun);
  CHECK(events.back().event.kind == Kind::abandoned);
  std::string joined;
  for (std::size_t i = 1; i + 1 < events.size(); ++i) {
    CHECK(events[i].event.kind == Kind::delta);
    REQUIRE_FALSE(events[i].event.text.empty());
    CHECK((static_cast<unsigned char>(events[i].event.text[0]) & 0xC0) != 0x80);
    joined += events[i].event.text;
  }
  CHECK(joined == delta.text);
}

TEST_CASE("a burst of deltas packs into few payloads, each numbered") {
  std::vector<HubEvent> burst;
  for (int i = 0; i < 1000; ++i) {
    auto d = event_of(Kind::delta);
    d.text = " mot";  // identical payloads would be folded into one by PostgreSQL: the seq tells them apart
    burst.push_back(d);
  }
  std::uint64_t seq = 1;
  auto batches = round_trip(burst, seq);
  CHECK(batches.size() < 20);
  CHECK(flatten(batches).size() == 1000);
}

TEST_CASE("payloads that are not ours are refused") {
  CHECK_FALSE(decode_payload("").ok());
  CHECK_FALSE(decode_payload("hello").ok());
  CHECK_FALSE(decode_payload(R"({"i":"x","n":1,"e":[{"k":"?","s":"s"}]})").ok());
  CHECK_FALSE(decode_payload(R"({"i":"x","n":1,"e":[{"k":"d","s":"s"}]})").ok());
  CHECK_FALSE(decode_payload(R"({"i":"x","n":-1,"e":[]})").ok());
  CHECK(decode_payload(R"({"i":"x","n":1,"e":[]})").ok());
}

TEST_CASE("two hubs on one database: a burst and a big message cross over whole and in order") {
  auto* cluster = test_support::PgCluster::shared();
  if (!cluster) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  agent_server::Config config;
  config.database_url = cluster->create_database();
  REQUIRE_FALSE(config.database_url.empty());
  auto storage_result = agent_server::open_storage(config.database_url);
  REQUIRE(storage_result.ok());
  std::unique_ptr<Storage> storage = std::move(storage_result).value();
  REQUIRE(storage->migrate().ok());

  agent_server::AgentRecord agent;
  agent.id = chat::random_uuid();
  agent.name = "Chez Marie";
  agent.created_at = agent_server::now_timestamp();
  REQUIRE(storage->insert_agent(agent).ok());
  agent_server::SessionRecord session;
  session.id = chat::random_uuid();
  session.agent_id = agent.id;
  session.visitor_id = chat::random_visitor_id();
  session.started_at = agent.created_at;
  REQUIRE(storage->insert_session(session).ok());

  Hub a;
  Hub b;
  REQUIRE(agent_server::share_live_events(config, a, *storage).ok());
  REQUIRE(agent_server::share_live_events(config, b, *storage).ok());
  auto on_a = a.subscribe(session.id);
  auto on_b = b.subscribe(session.id);

  const std::string big = repeat("\xF0\x9F\x8D\xB7", 2000);
  auto visitor = storage->append_message(session.id, {chat::random_uuid(), chat::Role::visitor, big,
                                                      agent_server::now_timestamp()});
  REQUIRE(visitor.ok());
  const std::string reply_id = chat::random_uuid();
  REQUIRE(a.begin_reply(session.id, reply_id, visitor->id));
  a.publish_message(session.id, visitor.value());
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    std::string piece = " " + std::to_string(i);
    text += piece;
    a.publish_delta(session.id, piece);
  }
  auto stored = storage->append_message(session.id,
                                        {reply_id, chat::Role::agent, text, agent_server::now_timestamp()});
  REQUIRE(stored.ok());
  a.finish_reply(session.id, stored.value());

  // Each hub's stream gets the same events, each once: A's own never come back to it.
  auto collect = [](agent_server::Subscription& sub) {
    std::vector<chat::Event> events;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto batch = sub.wait(200ms);
      events.insert(events.end(), batch.events.begin(), batch.events.end());
      if (!events.empty() && std::holds_alternative<chat::DoneEvent>(events.back())) break;
    }
    return events;
  };
  auto from_a = collect(*on_a);
  auto from_b = collect(*on_b);
  REQUIRE(from_a.size() == 3003);
  CHECK(from_b == from_a);
  CHECK(std::get<chat::MessageEvent>(from_b.front()).message.text == big);
  CHECK(std::get<chat::MessageEvent>(from_b[3001]).message.text == text);
  CHECK(on_a->wait(300ms).events.empty());  // nothing echoed back
  CHECK_FALSE(b.reply_in_progress(session.id));
}
