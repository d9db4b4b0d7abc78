// Phone verification over real HTTP: the real agent-server binary, SQLite files or
// the throwaway PostgreSQL cluster, and a fake SMS gateway on port 0.
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "chat/message.hpp"
#include "fake_sms_gateway.hpp"
#include "server_fixture.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using test_support::FakeSmsGateway;
using namespace std::chrono_literals;

namespace {

constexpr const char* kSmsToken = "sms-gateway-token-42";

std::map<std::string, std::string> sms_env(const FakeSmsGateway& gateway,
                                           std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> env = {
      {"SMS_WEBHOOK_URL", gateway.url()},
      {"SMS_WEBHOOK_TOKEN", kSmsToken},
      {"CHAT_CODE_TTL_SECONDS", ""},
      {"CHAT_CODE_RESEND_SECONDS", ""},
      {"LLM_BASE_URL", ""},
  };
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

json phone_agent() {
  return json{{"name", "Chez Marie"}, {"prompt", agent_test::kPrompt}, {"chatPhoneRequired", true}};
}

test_support::HttpResponse send_phone(const Chat& chat, const std::string& phone) {
  return chat.server->anonymous().post_json("/api/chat/sessions/" + chat.session_id + "/phone",
                                            json{{"phone", phone}}, chat.headers());
}

test_support::HttpResponse verify(const Chat& chat, const std::string& code) {
  return chat.server->anonymous().post_json("/api/chat/sessions/" + chat.session_id + "/verify",
                                            json{{"code", code}}, chat.headers());
}

// A six-digit code that is not `code`.
std::string other_than(const std::string& code) { return code == "000000" ? "111111" : "000000"; }

}  // namespace

TEST_CASE("the phone journey: send, wrong code, right code, then chat") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgres");
  test_support::TempDir dir;
  std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL is not available: skipped");
    return;
  }
  FakeSmsGateway gateway;
  AgentServer server(agent_test::ServerOptions{db, sms_env(gateway)});
  auto chat = open_chat(server, phone_agent(), json{{"lang", "fr"}});

  auto session = chat.get().json();
  CHECK(session.at("phoneRequired") == true);
  CHECK(session.at("verified") == false);
  auto refused = chat.post("Bonjour");
  CHECK(refused.status == 403);
  CHECK(refused.error_code() == "phone_verification_required");

  auto sent = send_phone(chat, "06 12 34 56 78");
  INFO(sent.body);
  REQUIRE(sent.status == 202);
  CHECK(sent.json() == json{{"phone", "+336******78"}, {"expiresIn", 600}, {"sendsLeft", 2}});
  REQUIRE(gateway.wait_for_posts(1, 5s));
  auto post = gateway.posts().at(0);
  CHECK(post.authorization == std::string("Bearer ") + kSmsToken);
  CHECK(post.body.at("to") == "+33612345678");
  const std::string code = post.code();
  REQUIRE(code.size() == 6);
  CHECK(post.body.at("text") == "Votre code de vérification : " + code + " (valable 10 min).");

  auto wrong = verify(chat, other_than(code));
  CHECK(wrong.status == 400);
  CHECK(wrong.error_code() == "invalid_code");
  CHECK(wrong.json()["error"]["attemptsLeft"] == 4);

  auto right = verify(chat, code);
  INFO(right.body);
  REQUIRE(right.status == 200);
  CHECK(right.json().at("verified") == true);
  const auto verified_at = right.json().at("verifiedAt").get<std::string>();
  CHECK(::chat::parse_timestamp(verified_at).has_value());

  session = chat.get().json();
  CHECK(session.at("verified") == true);
  CHECK(session.at("verifiedAt") == verified_at);
  CHECK(chat.post("Bonjour").status == 202);

  CHECK(verify(chat, code).error_code() == "already_verified");
  CHECK(verify(chat, code).status == 409);
  CHECK(send_phone(chat, "0612345678").error_code() == "already_verified");

  // The code reached the gateway and nothing else: not one log line holds it.
  for (const auto& line : server.process().lines()) {
    INFO(line);
    CHECK(line.find(code) == std::string::npos);
    CHECK(line.find(kSmsToken) == std::string::npos);
  }

  // Survives a restart: verification is stored, not held in memory.
  server.restart();
  CHECK(chat.get().json().at("verifiedAt") == verified_at);
}

TEST_CASE("what is stored: the phone, a salted hash, the attempts, the time") {
  test_support::TempDir dir;
  FakeSmsGateway gateway;
  AgentServer server(agent_test::ServerOptions{"sqlite:" + dir.file("agent.db"), sms_env(gateway)});
  auto chat = open_chat(server, phone_agent());
  REQUIRE(send_phone(chat, "+33 6 12 34 56 78").status == 202);
  REQUIRE(gateway.wait_for_posts(1, 5s));
  const std::string code = gateway.posts().at(0).code();
  CHECK(verify(chat, other_than(code)).status == 400);

  auto row = [&](const std::string& columns) {
    std::string out;
    REQUIRE(test_support::run_command({"/usr/bin/sqlite3", dir.file("agent.db"),
                                       "SELECT " + columns + " FROM call_records WHERE id = '" + chat.session_id +
                                           "'"},
                                      &out) == 0);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  };
  CHECK(row("caller_number") == "+33612345678");
  CHECK(row("verify_attempts") == "1");
  const std::string stored = row("verify_code");
  CHECK(stored.size() == 97);
  CHECK(stored.find(code) == std::string::npos);
  CHECK(row("verified_at").empty());

  REQUIRE(verify(chat, code).status == 200);
  CHECK(row("verify_code").empty());  // spent
  CHECK(row("verify_attempts") == "1");
  CHECK_FALSE(row("verified_at").empty());
}

TEST_CASE("sends: 60 s apart, 3 an hour, each refusal with Retry-After") {
  FakeSmsGateway gateway;
  SECTION("the 60 s gap") {
    AgentServer server(agent_test::ServerOptions{"", sms_env(gateway)});
    auto chat = open_chat(server, phone_agent());
    REQUIRE(send_phone(chat, "0612345678").status == 202);
    auto again = send_phone(chat, "0612345678");
    CHECK(again.status == 429);
    CHECK(again.error_code() == "too_many_attempts");
    int retry = std::stoi(again.header("Retry-After"));
    CHECK(retry >= 59);
    CHECK(retry <= 60);
    CHECK(again.json()["error"]["retryAfter"] == retry);
    CHECK(gateway.posts().size() == 1);
  }
  SECTION("three an hour") {
    AgentServer server(agent_test::ServerOptions{"", sms_env(gateway, {{"CHAT_CODE_RESEND_SECONDS", "0"}})});
    auto chat = open_chat(server, phone_agent());
    for (int left = 2; left >= 0; --left) {
      auto sent = send_phone(chat, "0612345678");
      REQUIRE(sent.status == 202);
      CHECK(sent.json().at("sendsLeft") == left);
    }
    auto fourth = send_phone(chat, "0612345678");
    CHECK(fourth.status == 429);
    CHECK(fourth.error_code() == "too_many_attempts");
    CHECK(std::stoi(fourth.header("Retry-After")) > 3500);
    CHECK(gateway.posts().size() == 3);
    // Only the last code counts.
    auto posts = gateway.posts();
    if (posts[1].code() != posts[2].code()) CHECK(verify(chat, posts[1].code()).error_code() == "invalid_code");
    CHECK(verify(chat, posts[2].code()).status == 200);
  }
}

TEST_CASE("five wrong codes spend the code; a new one works") {
  FakeSmsGateway gateway;
  AgentServer server(agent_test::ServerOptions{"", sms_env(gateway, {{"CHAT_CODE_RESEND_SECONDS", "0"}})});
  auto chat = open_chat(server, phone_agent());
  REQUIRE(send_phone(chat, "0612345678").status == 202);
  REQUIRE(gateway.wait_for_posts(1, 5s));
  const std::string code = gateway.posts().at(0).code();
  for (int left = 4; left >= 0; --left) {
    auto wrong = verify(chat, other_than(code));
    CHECK(wrong.status == 400);
    CHECK(wrong.json()["error"]["attemptsLeft"] == left);
  }
  auto spent = verify(chat, code);
  CHECK(spent.status == 429);
  CHECK(spent.error_code() == "too_many_attempts");
  CHECK(spent.json()["error"]["attemptsLeft"] == 0);

  REQUIRE(send_phone(chat, "0612345678").status == 202);
  REQUIRE(gateway.wait_for_posts(2, 5s));
  CHECK(verify(chat, gateway.posts().at(1).code()).status == 200);
}

TEST_CASE("codes expire") {
  FakeSmsGateway gateway;
  AgentServer server(agent_test::ServerOptions{"", sms_env(gateway, {{"CHAT_CODE_TTL_SECONDS", "1"}})});
  auto chat = open_chat(server, phone_agent());
  auto sent = send_phone(chat, "0612345678");
  REQUIRE(sent.status == 202);
  CHECK(sent.json().at("expiresIn") == 1);
  REQUIRE(gateway.wait_for_posts(1, 5s));
  // Waiting for the clock itself, not for a race: the code lives one second.
  std::this_thread::sleep_for(1100ms);
  auto late = verify(chat, gateway.posts().at(0).code());
  CHECK(late.status == 400);
  CHECK(late.error_code() == "code_expired");
  CHECK(chat.get().json().at("verified") == false);
}

TEST_CASE("a failing SMS gateway answers 502 and does not spend a send") {
  FakeSmsGateway gateway;
  gateway.set_status(500);
  AgentServer server(agent_test::ServerOptions{"", sms_env(gateway)});
  auto chat = open_chat(server, phone_agent());
  auto failed = send_phone(chat, "0612345678");
  CHECK(failed.status == 502);
  CHECK(failed.error_code() == "upstream_error");
  CHECK(verify(chat, "123456").error_code() == "no_code_pending");

  gateway.set_status(200);
  auto retried = send_phone(chat, "0612345678");  // at once: the failed send was undone
  INFO(retried.body);
  REQUIRE(retried.status == 202);
  CHECK(retried.json().at("sendsLeft") == 2);
  REQUIRE(gateway.wait_for_posts(2, 5s));
  CHECK(verify(chat, gateway.posts().at(1).code()).status == 200);
  for (const auto& line : server.process().lines())
    CHECK(line.find(gateway.posts().at(1).code()) == std::string::npos);
}

TEST_CASE("the dev sender writes the code in its own log line, and only there") {
  AgentServer server(agent_test::ServerOptions{"", {{"SMS_WEBHOOK_URL", ""}, {"SMS_WEBHOOK_TOKEN", ""}}});
  auto chat = open_chat(server, phone_agent(), json{{"lang", "en"}});
  REQUIRE(send_phone(chat, "+44 7700 900123").status == 202);
  REQUIRE(server.process().wait_for_line("sms (dev sender)", 5s));
  std::string code;
  for (const auto& line : server.process().lines()) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_object() && j.value("msg", "") == "sms (dev sender)") {
      CHECK(j.at("to") == "+447*******23");
      auto text = j.at("text").get<std::string>();
      REQUIRE(text.rfind("Your verification code: ", 0) == 0);
      code = text.substr(24, 6);
    }
  }
  REQUIRE(code.size() == 6);
  CHECK(verify(chat, code).status == 200);
  std::size_t lines_with_code = 0;
  for (const auto& line : server.process().lines()) lines_with_code += line.find(code) != std::string::npos;
  CHECK(lines_with_code == 1);
}

TEST_CASE("bad input on /phone and /verify gets the JSON error") {
  FakeSmsGateway gateway;
  AgentServer server(agent_test::ServerOptions{"", sms_env(gateway)});
  auto chat = open_chat(server, phone_agent());
  const std::string base = "/api/chat/sessions/" + chat.session_id;

  CHECK(verify(chat, "123456").error_code() == "no_code_pending");
  CHECK(verify(chat, "123456").status == 409);
  CHECK(send_phone(chat, "not a phone").status == 422);
  CHECK(send_phone(chat, "not a phone").error_code() == "invalid_phone");
  CHECK(verify(chat, "12ab56").status == 400);
  CHECK(verify(chat, "12345").status == 400);

  auto client = server.anonymous();
  CHECK(client.post(base + "/phone", "{", chat.headers()).error_code() == "invalid_json");
  CHECK(client.post(base + "/verify", "[]", chat.headers()).error_code() == "invalid_request");
  CHECK(client.post_json(base + "/verify", json{{"code", 123456}}, chat.headers()).error_code() ==
        "invalid_request");
  CHECK(client.post(base + "/phone", "phone=1", chat.headers(), "application/x-www-form-urlencoded").status ==
        415);

  httplib::Headers wrong_visitor = {{"Authorization", "Bearer " + chat.token},
                                    {"X-Chat-Visitor", "AAAAAAAAAAAAAAAAAAAAAAAA"}};
  CHECK(client.post_json(base + "/phone", json{{"phone", "0612345678"}}, wrong_visitor).status == 404);
  CHECK(client.post_json(base + "/verify", json{{"code", "123456"}}, {{"X-Chat-Visitor", chat.visitor}}).status ==
        401);
  CHECK(
      client.post_json("/api/chat/sessions/not-a-uuid/verify", json{{"code", "123456"}}, chat.headers()).status ==
      404);
  CHECK(client.get(base + "/phone", chat.headers()).status == 405);
  CHECK(gateway.posts().empty());
}

TEST_CASE("simultaneous wrong codes can't spend more than five attempts") {
  auto backend = GENERATE(as<std::string>{}, "sqlite", "postgres");
  test_support::TempDir dir;
  std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL is not available: skipped");
    return;
  }
  FakeSmsGateway gateway;
  AgentServer server(agent_test::ServerOptions{db, sms_env(gateway)});
  auto chat = open_chat(server, phone_agent());
  REQUIRE(send_phone(chat, "0612345678").status == 202);
  REQUIRE(gateway.wait_for_posts(1, 5s));
  const std::string wrong = other_than(gateway.posts().at(0).code());

  constexpr int kRequests = 16;
  std::vector<test_support::HttpResponse> answers(kRequests);
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&, i] { answers[static_cast<std::size_t>(i)] = verify(chat, wrong); });
  }
  for (auto& t : threads) t.join();

  std::multiset<int> attempts_left;
  int refused = 0;
  for (const auto& a : answers) {
    INFO(a.body);
    if (a.error_code() == "invalid_code") {
      attempts_left.insert(a.json()["error"]["attemptsLeft"].get<int>());
    } else {
      CHECK(a.status == 429);
      ++refused;
    }
  }
  // Each attempt was counted once: 4, 3, 2, 1, 0, and every other request refused.
  CHECK(attempts_left == std::multiset<int>{0, 1, 2, 3, 4});
  CHECK(refused == kRequests - 5);
}

TEST_CASE("a number gets at most 5 codes an hour, whatever the sessions") {
  FakeSmsGateway gateway;
  AgentServer server(agent_test::ServerOptions{"", sms_env(gateway)});
  auto first = open_chat(server, phone_agent());
  for (int i = 0; i < 5; ++i) {
    Chat other = first;
    auto res = server.with_token(first.token).post_json("/api/chat/sessions", json::object());
    REQUIRE(res.status == 201);
    other.session_id = res.json().at("sessionId").get<std::string>();
    other.visitor = res.json().at("visitorId").get<std::string>();
    auto sent = send_phone(other, "0612345678");
    INFO(i << " " << sent.body);
    CHECK(sent.status == 202);
  }
  auto sixth = send_phone(first, "06 12 34 56 78");
  CHECK(sixth.status == 429);
  CHECK(sixth.error_code() == "too_many_attempts");
  CHECK(std::stoi(sixth.header("Retry-After")) > 3500);
  CHECK(send_phone(first, "0698765432").status == 202);  // another number
  CHECK(gateway.posts().size() == 6);
}
