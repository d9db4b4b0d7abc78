// Direct mode (issue 13): a page on another site calls the agent server itself with
// the agent's publicToken. The agent's chatAllowedOrigins (SQLite and PostgreSQL),
// the CORS preflights, the 403 for a foreign origin, what a public token cannot open,
// the event stream's ticket, and the per-client budgets of direct callers.
#include <catch2/catch.hpp>

#include "server_fixture.hpp"
#include "sse_reader.hpp"
#include "stream_ticket.hpp"

using agent_test::AgentServer;
using nlohmann::json;
using test_support::HttpClient;
using test_support::HttpResponse;
using test_support::SseReader;

namespace {

constexpr const char* kSite = "https://www.chez-marie.fr";
constexpr const char* kForeign = "https://evil.example";

json agent_with_origins(const json& origins) {
  return json{{"name", "Chez Marie"}, {"prompt", agent_test::kPrompt}, {"chatAllowedOrigins", origins}};
}

HttpResponse preflight(const AgentServer& server, const std::string& path, const std::string& origin,
                       const std::string& method = "POST") {
  return server.anonymous().request("OPTIONS", path, "",
                                    {{"Origin", origin},
                                     {"Access-Control-Request-Method", method},
                                     {"Access-Control-Request-Headers", "authorization,content-type"}},
                                    "");
}

// A call as a browser on `origin` makes it: the public token and Origin.
httplib::Headers from_page(const std::string& token, const std::string& origin) {
  return {{"Authorization", "Bearer " + token}, {"Origin", origin}};
}

}  // namespace

TEST_CASE("a stream ticket's MAC is HMAC-SHA256 over its purpose, session, visitor and expiry") {
  // Expected values from Python's hmac module (hmac.new(key, message, hashlib.sha256),
  // base64url without padding), an implementation independent of ours.
  const std::string sid = "00000000-0000-4000-8000-000000000000";
  CHECK(agent_server::make_stream_ticket("ak_key", sid, "v_abc", 1700000000) ==
        sid + ".1700000000.Xqys3GsTuAWeMsrOOvcHS-Z3GkmBgTXvBSxjPCFjpZ0");
  CHECK(agent_server::make_stream_ticket("", sid, "v_abc", 1700000000) ==
        sid + ".1700000000.Szo6-V2ysutYpIEijSP-ixpmyA7ADJwaKs5URMK9efg");
  auto ticket = agent_server::parse_stream_ticket(
      agent_server::make_stream_ticket("ak_key", sid, "v_abc", 1700000000));
  REQUIRE(ticket);
  CHECK(agent_server::stream_ticket_signed(*ticket, "ak_key", "v_abc"));
  CHECK_FALSE(agent_server::stream_ticket_signed(*ticket, "ak_key", "v_abd"));
  CHECK_FALSE(agent_server::stream_ticket_signed(*ticket, "ak_kez", "v_abc"));
}

TEST_CASE("chatAllowedOrigins is set, read and validated through POST, PATCH and GET") {
  const std::string backend = GENERATE(std::string("sqlite"), std::string("postgres"));
  test_support::TempDir dir;
  const std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  AgentServer server({db, {}});
  INFO(backend);

  // Absent: direct mode off. Origins are normalised (case, default port, one
  // trailing slash) and kept once.
  json plain = server.create_agent();
  CHECK(plain.at("chatAllowedOrigins") == json::array());
  json agent = server.create_agent(
      agent_with_origins({"HTTPS://Www.Chez-Marie.fr:443/", "https://www.chez-marie.fr", "http://localhost:8080",
                          "http://[::1]:3000"}));
  const json expected = {"https://www.chez-marie.fr", "http://localhost:8080", "http://[::1]:3000"};
  CHECK(agent.at("chatAllowedOrigins") == expected);
  const std::string path = "/api/agents/" + agent.at("id").get<std::string>();
  CHECK(server.admin().get(path).json().at("chatAllowedOrigins") == expected);

  // A PATCH without the key leaves it; an array replaces it; null or [] turn it off.
  CHECK(server.admin().patch_json(path, {{"chatGreeting", "Bonjour"}}).json().at("chatAllowedOrigins") ==
        expected);
  auto patched = server.admin().patch_json(path, {{"chatAllowedOrigins", {"https://chez-marie.fr:8443"}}});
  CHECK(patched.json().at("chatAllowedOrigins") == json{"https://chez-marie.fr:8443"});
  server.restart();  // read back from the database
  CHECK(server.admin().get(path).json().at("chatAllowedOrigins") == json{"https://chez-marie.fr:8443"});
  CHECK(server.admin().patch_json(path, {{"chatAllowedOrigins", nullptr}}).json().at("chatAllowedOrigins") ==
        json::array());
  CHECK(server.admin().patch_json(path, {{"chatAllowedOrigins", {kSite}}}).status == 200);
  CHECK(server.admin().patch_json(path, {{"chatAllowedOrigins", json::array()}}).json().at("chatAllowedOrigins") ==
        json::array());

  // Anything but scheme + host + port is refused, naming the field.
  for (const json& bad : {json{"https://www.chez-marie.fr/menu"}, json{"https://*.chez-marie.fr"}, json{"*"},
                          json{"ftp://chez-marie.fr"}, json{"chez-marie.fr"}, json{"https://chez-marie.fr?x=1"},
                          json{"https://user@chez-marie.fr"}, json{"https://chez-marie.fr:0"},
                          json{"https://chez-marie.fr:70000"}, json{"null"}, json{"https://"},
                          json{"https://chez marie.fr"}, json{"https://café.fr"}, json{1}, json("https://a.fr")}) {
    INFO(bad.dump());
    auto res = server.admin().patch_json(path, {{"chatAllowedOrigins", bad}});
    CHECK(res.status == 400);
    CHECK(res.error_code() == "invalid_request");
    CHECK(res.json()["error"]["message"].get<std::string>().find("chatAllowedOrigins") != std::string::npos);
  }
  json too_many = json::array();
  for (int i = 0; i < 21; ++i) too_many.push_back("https://site" + std::to_string(i) + ".fr");
  CHECK(server.admin().patch_json(path, {{"chatAllowedOrigins", too_many}}).status == 400);
  CHECK(server.admin().get(path).json().at("chatAllowedOrigins") == json::array());
}

TEST_CASE("preflights are answered for allowed origins only, on the chat and widget paths only") {
  AgentServer server;
  server.create_agent(agent_with_origins({kSite}));

  auto ok = preflight(server, "/api/chat/sessions", kSite);
  CHECK(ok.status == 204);
  CHECK(ok.header("Access-Control-Allow-Origin") == kSite);
  CHECK(ok.header("Access-Control-Allow-Credentials").empty());
  CHECK(ok.header("Vary") == "Origin");
  CHECK(ok.header("Access-Control-Max-Age") == "600");
  const std::string allowed_headers = ok.header("Access-Control-Allow-Headers");
  for (const char* h : {"Authorization", "Content-Type", "X-Chat-Visitor", "Last-Event-ID"}) {
    CHECK(allowed_headers.find(h) != std::string::npos);
  }
  CHECK(ok.header("Access-Control-Allow-Methods").find("POST") != std::string::npos);
  CHECK(preflight(server, "/api/chat/sessions/x/events", kSite, "GET").status == 204);
  CHECK(preflight(server, "/widget/chat-core.js", kSite, "GET").status == 204);

  // An origin no agent allows: a JSON 403 and no CORS header, so the browser stops.
  for (const std::string path : {"/api/chat/sessions", "/widget/chat-core.js"}) {
    auto refused = preflight(server, path, kForeign);
    CHECK(refused.status == 403);
    CHECK(refused.error_code() == "origin_not_allowed");
    CHECK(refused.header("Access-Control-Allow-Origin").empty());
  }
  // The admin API is never cross-origin, whatever the origin.
  auto admin = preflight(server, "/api/agents", kSite);
  CHECK(admin.status == 405);
  CHECK(admin.header("Access-Control-Allow-Origin").empty());

  // The widget's files are public: any page may load them (never with credentials).
  auto file = server.anonymous().get("/widget/chat.js", {{"Origin", kForeign}});
  CHECK(file.header("Access-Control-Allow-Origin") == "*");
}

TEST_CASE("a chat call with a public token from an origin its agent does not allow is refused 403") {
  AgentServer server;
  json agent = server.create_agent(agent_with_origins({kSite}));
  json other = server.create_agent(agent_with_origins({"https://other.fr"}));
  json off = server.create_agent();
  const std::string token = agent.at("publicToken");
  auto api = server.anonymous();

  // From the allowed site: 201, readable by the page (the origin echoed).
  auto created = api.post_json("/api/chat/sessions", json::object(), from_page(token, kSite));
  REQUIRE(created.status == 201);
  CHECK(created.header("Access-Control-Allow-Origin") == kSite);
  CHECK(created.header("Access-Control-Expose-Headers").find("Retry-After") != std::string::npos);
  const std::string session = "/api/chat/sessions/" + created.json().at("sessionId").get<std::string>();
  const std::string visitor = created.json().at("visitorId");

  // Server to server (the site's proxy, nginx): no Origin, as before.
  CHECK(api.post_json("/api/chat/sessions", json::object(), {{"Authorization", "Bearer " + token}}).status == 201);

  // A foreign page, whatever CORS said: 403 on every chat call.
  auto foreign = from_page(token, kForeign);
  auto refused = api.post_json("/api/chat/sessions", json::object(), foreign);
  CHECK(refused.status == 403);
  CHECK(refused.error_code() == "origin_not_allowed");
  foreign.emplace("X-Chat-Visitor", visitor);
  CHECK(api.get(session, foreign).error_code() == "origin_not_allowed");
  CHECK(api.post_json(session + "/messages", {{"text", "Bonjour"}}, foreign).error_code() == "origin_not_allowed");
  CHECK(api.request("DELETE", session, "", foreign, "").error_code() == "origin_not_allowed");
  CHECK(api.get(session + "/events?visitor=" + visitor, foreign).error_code() == "origin_not_allowed");

  // A site another agent allows passes the preflight, but not this agent's check
  // (and the page can read why).
  auto elsewhere = api.post_json("/api/chat/sessions", json::object(), from_page(token, "https://other.fr"));
  CHECK(elsewhere.status == 403);
  CHECK(elsewhere.error_code() == "origin_not_allowed");
  CHECK(elsewhere.header("Access-Control-Allow-Origin") == "https://other.fr");
  // Direct mode off: every page is refused, the proxy still works.
  const std::string off_token = off.at("publicToken");
  CHECK(api.post_json("/api/chat/sessions", json::object(), from_page(off_token, kSite)).error_code() ==
        "origin_not_allowed");
  CHECK(api.post_json("/api/chat/sessions", json::object(), {{"Authorization", "Bearer " + off_token}}).status ==
        201);
  // The apiToken is never sent by a page, even from an allowed site.
  auto secret = api.post_json("/api/chat/sessions", json::object(), from_page(agent.at("apiToken"), kSite));
  CHECK(secret.status == 403);
  CHECK(secret.error_code() == "forbidden");
  CHECK(secret.body.find(agent.at("apiToken").get<std::string>()) == std::string::npos);
  (void)other;
}

TEST_CASE("a public token opens no admin route, from a page or not") {
  AgentServer server;
  json agent = server.create_agent(agent_with_origins({kSite}));
  const std::string token = agent.at("publicToken");
  const std::string api_token = agent.at("apiToken");
  const std::string id = agent.at("id");
  auto session = server.with_token(token).post_json("/api/chat/sessions", json::object());
  REQUIRE(session.status == 201);
  const std::string sid = session.json().at("sessionId");

  struct Call {
    std::string method;
    std::string path;
    std::string body;
  };
  const std::vector<Call> calls = {
      {"GET", "/api/agents/" + id, ""},
      {"PATCH", "/api/agents/" + id, R"({"chatAllowedOrigins":["https://evil.example"]})"},
      {"POST", "/api/agents/" + id + "/rotate-tokens", ""},
      {"POST", "/api/agents", R"({"name":"x"})"},
      {"GET", "/api/agents/" + id + "/chat-sessions", ""},
      {"GET", "/api/agents/" + id + "/chat-sessions/" + sid, ""},
      {"DELETE", "/api/agents/" + id + "/chat-sessions/" + sid, ""},
  };
  for (const auto& origin : {std::string(), std::string(kSite)}) {
    for (const auto& call : calls) {
      httplib::Headers headers = {{"Authorization", "Bearer " + token}};
      if (!origin.empty()) headers.emplace("Origin", origin);
      auto res = server.anonymous().request(call.method, call.path, call.body, headers,
                                            call.body.empty() ? "" : "application/json");
      INFO(call.method << " " << call.path << " from " << origin << ": " << res.body);
      CHECK(res.status == 403);
      CHECK(res.error_code() == "forbidden");
      CHECK(res.header("Access-Control-Allow-Origin").empty());
      CHECK(res.body.find(api_token) == std::string::npos);
    }
  }
  // Nothing changed: the session and the settings are there.
  CHECK(server.admin().get("/api/agents/" + id).json().at("chatAllowedOrigins") == json{kSite});
  CHECK(server.admin().get("/api/agents/" + id + "/chat-sessions/" + sid).status == 200);
}

TEST_CASE("the event stream opens with the session's ticket: no token, no visitor id in the URL") {
  AgentServer server;
  json agent = server.create_agent(agent_with_origins({kSite}));
  const std::string token = agent.at("publicToken");
  auto api = server.anonymous();
  auto created = api.post_json("/api/chat/sessions", json::object(), from_page(token, kSite));
  REQUIRE(created.status == 201);
  const std::string sid = created.json().at("sessionId");
  const std::string visitor = created.json().at("visitorId");
  const std::string ticket = created.json().at("streamTicket");
  CHECK(ticket.find(token) == std::string::npos);
  CHECK(ticket.find(visitor) == std::string::npos);
  const std::string events = "/api/chat/sessions/" + sid + "/events?ticket=";

  {
    SseReader stream(server.port(), events + ticket, {{"Origin", kSite}});
    REQUIRE(stream.wait_connected());
    CHECK(stream.status() == 200);
    CHECK(stream.header("Access-Control-Allow-Origin") == kSite);
    auto posted = api.post_json(
        "/api/chat/sessions/" + sid + "/messages", {{"text", "Quels sont vos horaires ?"}},
        {{"Authorization", "Bearer " + token}, {"Origin", kSite}, {"X-Chat-Visitor", visitor}});
    REQUIRE(posted.status == 202);
    CHECK(stream.wait_for_event("delta"));
    CHECK(stream.wait_for_event("done"));
  }

  // Each load of the session gives a fresh ticket, which opens the stream too.
  auto loaded = api.get("/api/chat/sessions/" + sid,
                        {{"Authorization", "Bearer " + token}, {"Origin", kSite}, {"X-Chat-Visitor", visitor}});
  const std::string fresh = loaded.json().at("streamTicket");
  {
    SseReader stream(server.port(), events + fresh + "&lastEventId=1", {{"Origin", kSite}});
    CHECK(stream.wait_for_event("message", "\"role\":\"agent\""));
  }

  // Refused: another session's ticket, a forged one, a foreign page.
  auto other = api.post_json("/api/chat/sessions", json::object(), {{"Authorization", "Bearer " + token}});
  const std::string other_ticket = other.json().at("streamTicket");
  CHECK(api.get(events + other_ticket).error_code() == "unauthorized");
  std::string forged = ticket;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  CHECK(api.get(events + forged).error_code() == "unauthorized");
  CHECK(api.get(events + "garbage").error_code() == "unauthorized");
  auto foreign = api.get(events + ticket, {{"Origin", kForeign}});
  CHECK(foreign.status == 403);
  CHECK(foreign.error_code() == "origin_not_allowed");

  // Past its expiry: 401 stream_ticket_expired (the client loads the session again).
  const json full = server.admin().get("/api/agents/" + agent.at("id").get<std::string>()).json();
  const std::string expired = agent_server::make_stream_ticket(full.at("apiToken").get<std::string>(), sid,
                                                               visitor, agent_server::unix_seconds_now() - 1);
  auto late = api.get(events + expired, {{"Origin", kSite}});
  CHECK(late.status == 401);
  CHECK(late.error_code() == "stream_ticket_expired");

  // Rotating the agent's tokens voids every ticket at once.
  REQUIRE(server.admin()
              .post_json("/api/agents/" + agent.at("id").get<std::string>() + "/rotate-tokens", json::object())
              .status == 200);
  CHECK(api.get(events + fresh, {{"Origin", kSite}}).error_code() == "unauthorized");
}

TEST_CASE("the per-client budgets hold for direct calls, with errors the page can read") {
  // The browser is the client now: loopback peers are not trusted proxies here.
  AgentServer server({"",
                      {{"AGENT_SERVER_TRUSTED_PROXIES", "127.0.0.1"},
                       {"CHAT_CLIENT_SESSIONS_PER_HOUR", "3"},
                       {"CHAT_CLIENT_MESSAGES_PER_MIN", "2"}}});
  json agent = server.create_agent(agent_with_origins({kSite}));
  const std::string token = agent.at("publicToken");
  auto browser = HttpClient(server.port()).from("127.0.0.2");

  std::string sid;
  std::string visitor;
  for (int i = 0; i < 3; ++i) {
    auto res = browser.post_json("/api/chat/sessions", json::object(), from_page(token, kSite));
    REQUIRE(res.status == 201);
    sid = res.json().at("sessionId");
    visitor = res.json().at("visitorId");
  }
  auto refused = browser.post_json("/api/chat/sessions", json::object(), from_page(token, kSite));
  CHECK(refused.status == 429);
  CHECK(refused.error_code() == "rate_limited");
  CHECK(!refused.header("Retry-After").empty());
  CHECK(refused.header("Access-Control-Allow-Origin") == kSite);
  // Another browser has its own budget.
  CHECK(HttpClient(server.port())
            .from("127.0.0.3")
            .post_json("/api/chat/sessions", json::object(), from_page(token, kSite))
            .status == 201);

  // Messages: two a minute for this client, then 429 (replies are instant here).
  auto headers = from_page(token, kSite);
  headers.emplace("X-Chat-Visitor", visitor);
  int accepted = 0;
  HttpResponse last;
  for (int i = 0; i < 4; ++i) {
    SseReader stream(server.port(), "/api/chat/sessions/" + sid + "/events?visitor=" + visitor,
                     {{"Authorization", "Bearer " + token}});
    REQUIRE(stream.wait_connected());
    last = browser.post_json("/api/chat/sessions/" + sid + "/messages", {{"text", "Bonjour"}}, headers);
    if (last.status != 202) break;
    ++accepted;
    REQUIRE(stream.wait_for_event("done"));
  }
  CHECK(accepted == 2);
  CHECK(last.status == 429);
  CHECK(last.error_code() == "rate_limited");
  CHECK(last.header("Access-Control-Allow-Origin") == kSite);
}
