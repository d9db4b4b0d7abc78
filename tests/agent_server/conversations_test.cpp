// The restaurant's view of its conversations (issue 15), on the real binary over
// SQLite and PostgreSQL: the list and its pages, the transcript, the CSV export,
// and who may read them.
#include <catch2/catch.hpp>

#include <set>

#include "privacy_support.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using privacy_test::say;

namespace {

// RFC 4180, strictly: the records of `text`, each a list of fields.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '"') {
      for (++i; i < text.size(); ++i) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            ++i;
          } else {
            ++i;
            break;
          }
        } else {
          field += text[i];
        }
      }
    }
    while (i < text.size() && text[i] != ',' && text[i] != '\r') field += text[i++];
    record.push_back(std::move(field));
    field.clear();
    if (i < text.size() && text[i] == ',') {
      ++i;
      continue;
    }
    REQUIRE(text.compare(i, 2, "\r\n") == 0);  // every record ends with CRLF
    i += 2;
    records.push_back(std::move(record));
    record.clear();
  }
  return records;
}

std::string sessions_path(const json& agent) {
  return "/api/agents/" + agent.at("id").get<std::string>() + "/chat-sessions";
}

Chat another_session(AgentServer& server, const Chat& first) {
  Chat chat = first;
  auto res = server.with_token(first.token).post_json("/api/chat/sessions", json::object());
  REQUIRE(res.status == 201);
  chat.session_id = res.json().at("sessionId").get<std::string>();
  chat.visitor = res.json().at("visitorId").get<std::string>();
  return chat;
}

}  // namespace

TEST_CASE("an agent's chat sessions: listed newest first in pages, a transcript each, a CSV export") {
  std::string backend = GENERATE("sqlite", "postgres");
  test_support::TempDir dir;
  std::string db = agent_test::database_for(backend, dir);
  if (db.empty()) {
    WARN("PostgreSQL unavailable: skipped");
    return;
  }
  INFO(backend);
  AgentServer server({db, {}});
  Chat first = open_chat(server);
  const json& agent = first.agent;
  const std::string api = agent.at("apiToken");
  const std::string path = sessions_path(agent);

  // Five sessions: the first with a formula and a quoted, multi-line message, two
  // more with one message each, two empty.
  const std::string formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
  const std::string quoted = "Il a dit \"bonjour, ça va\",\npuis \"au revoir\"";
  say(first, formula, 2);
  say(first, quoted, 4);
  std::vector<Chat> chats{first};
  for (int i = 0; i < 4; ++i) chats.push_back(another_session(server, first));
  say(chats[1], "-1 table pour ce soir ?", 2);
  say(chats[2], "@midi, c'est ouvert ?", 2);
  // The first session's phone, verified (as verify_routes would leave it).
  privacy_test::run_sql(db, "UPDATE call_records SET caller_number = '+33612345678', verified_at = "
                            "'2026-01-02T03:04:05.000Z' WHERE id = '" +
                                first.session_id + "'");

  SECTION("the list, page by page") {
    std::vector<json> seen;
    std::string next;
    int pages = 0;
    do {
      auto res = server.with_token(api).get(path + "?limit=2" + (next.empty() ? "" : "&before=" + next));
      INFO(res.body);
      REQUIRE(res.status == 200);
      auto body = res.json();
      ++pages;
      for (const auto& s : body.at("sessions")) seen.push_back(s);
      next = body.at("nextCursor").is_null() ? "" : body.at("nextCursor").get<std::string>();
      CHECK(body.at("sessions").size() == (next.empty() ? 1u : 2u));
    } while (!next.empty() && pages < 10);
    CHECK(pages == 3);
    REQUIRE(seen.size() == 5);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      ids.insert(seen[i].at("sessionId").get<std::string>());
      CHECK_FALSE(seen[i].contains("visitorId"));
      if (i == 0) continue;
      auto key = [](const json& s) {
        return std::make_pair(s.at("createdAt").get<std::string>(), s.at("sessionId").get<std::string>());
      };
      CHECK(key(seen[i]) < key(seen[i - 1]));  // newest first, ties by id
    }
    CHECK(ids.size() == 5);
    for (const auto& s : seen) {
      if (s.at("sessionId") == first.session_id) {
        CHECK(s.at("messageCount") == 4);
        CHECK(s.at("preview") == formula);
        CHECK(s.at("lang") == "fr");
        CHECK(s.at("phoneVerified") == true);
        CHECK(s.at("phone") == "+336******78");
        CHECK(s.at("lastMessageAt").is_string());
      } else if (s.at("sessionId") == chats[3].session_id) {
        CHECK(s.at("messageCount") == 0);
        CHECK(s.at("preview").is_null());
        CHECK(s.at("lastMessageAt").is_null());
        CHECK(s.at("phoneVerified") == false);
        CHECK(s.at("phone").is_null());
      }
    }
    // The default page holds them all; the admin token reads it too.
    auto all = server.admin().get(path);
    REQUIRE(all.status == 200);
    CHECK(all.json().at("sessions").size() == 5);
    CHECK(all.json().at("nextCursor").is_null());
  }

  SECTION("a transcript") {
    auto res = server.with_token(api).get(path + "/" + first.session_id);
    INFO(res.body);
    REQUIRE(res.status == 200);
    auto body = res.json();
    CHECK(body.at("sessionId") == first.session_id);
    CHECK(body.at("phone") == "+336******78");
    CHECK_FALSE(body.contains("visitorId"));
    REQUIRE(body.at("messages").size() == 4);
    CHECK(body["messages"][0]["text"] == formula);
    CHECK(body["messages"][0]["role"] == "visitor");
    CHECK(body["messages"][1]["role"] == "agent");
    CHECK(body["messages"][2]["text"] == quoted);
    CHECK(body["messages"][3]["seq"] == 4);
  }

  SECTION("the CSV export: one row per message, RFC 4180, no formula, no token") {
    auto res = server.with_token(api).get(path + "?format=csv");
    REQUIRE(res.status == 200);
    CHECK(res.header("Content-Type").rfind("text/csv", 0) == 0);
    CHECK(res.header("Content-Disposition").find("attachment") != std::string::npos);
    CHECK(res.body.find(api) == std::string::npos);
    CHECK(res.body.find(first.token) == std::string::npos);
    CHECK(res.body.find(first.visitor) == std::string::npos);
    auto records = parse_csv(res.body);
    REQUIRE(records.size() == 1 + 8);
    CHECK(records[0] == std::vector<std::string>{"sessionId", "sessionCreatedAt", "lang", "phoneVerified", "phone",
                                                 "seq", "role", "createdAt", "text"});
    std::map<std::string, std::vector<std::string>> by_text;
    for (std::size_t i = 1; i < records.size(); ++i) {
      REQUIRE(records[i].size() == 9);
      by_text[records[i][8]] = records[i];
      // No cell a spreadsheet would run.
      for (const auto& cell : records[i]) {
        CHECK(std::string("=+-@\t\r").find(cell.empty() ? 'x' : cell[0]) == std::string::npos);
      }
    }
    REQUIRE(by_text.count("'" + formula));
    CHECK(by_text["'" + formula][0] == first.session_id);
    CHECK(by_text["'" + formula][3] == "true");
    CHECK(by_text["'" + formula][4] == "'+336******78");
    CHECK(by_text["'" + formula][5] == "1");
    CHECK(by_text["'" + formula][6] == "visitor");
    REQUIRE(by_text.count(quoted));
    CHECK(by_text[quoted][5] == "3");
    CHECK(by_text.count("'-1 table pour ce soir ?"));
    CHECK(by_text.count("'@midi, c'est ouvert ?"));
    // The raw bytes, as a spreadsheet reads them.
    CHECK(res.body.find("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"") != std::string::npos);
    CHECK(res.body.find("\"Il a dit \"\"bonjour, ça va\"\",\npuis \"\"au revoir\"\"\"") != std::string::npos);
  }
}

TEST_CASE(
    "the conversations open to the admin token and the agent's own apiToken only; bad input gets 400 or 404") {
  AgentServer server;
  Chat chat = open_chat(server);
  say(chat, "Bonjour", 2);
  auto other = server.create_agent({{"name", "Autre"}});
  const std::string api = chat.agent.at("apiToken");
  const std::string path = sessions_path(chat.agent);
  const std::string transcript = path + "/" + chat.session_id;

  for (const auto& p : {path, transcript, path + "?format=csv"}) {
    INFO(p);
    auto pub = server.with_token(chat.token).get(p);
    CHECK(pub.status == 403);
    CHECK(pub.error_code() == "forbidden");
    auto others = server.with_token(other.at("apiToken")).get(p);
    CHECK(others.status == 403);
    CHECK(others.error_code() == "forbidden");
    CHECK(server.with_token(other.at("publicToken")).get(p).status == 403);
    auto none = server.anonymous().get(p);
    CHECK(none.status == 401);
    CHECK(none.error_code() == "unauthorized");
    CHECK(server.with_token("ak_nothing").get(p).status == 401);
  }
  auto deleted_by_public = server.with_token(chat.token).request("DELETE", transcript, "");
  CHECK(deleted_by_public.status == 403);
  CHECK(server.with_token(other.at("apiToken")).request("DELETE", transcript, "").status == 403);

  // Another agent's session, through one's own agent: not found, as unknown ones.
  Chat elsewhere = open_chat(server);
  auto foreign = server.with_token(api).get(path + "/" + elsewhere.session_id);
  CHECK(foreign.status == 404);
  CHECK(foreign.error_code() == "session_not_found");
  CHECK(server.with_token(api).request("DELETE", path + "/" + elsewhere.session_id, "").status == 404);
  CHECK(elsewhere.get().status == 200);  // untouched
  for (const std::string bad : {"nope", "00000000-0000-4000-8000-000000000000", "%00", "..%2F.."}) {
    INFO(bad);
    auto res = server.with_token(api).get(path + "/" + bad);
    CHECK(res.status == 404);
    CHECK_FALSE(res.error_code().empty());
    CHECK(server.with_token(api).request("DELETE", path + "/" + bad, "").status == 404);
  }
  auto unknown_agent = server.admin().get("/api/agents/00000000-0000-4000-8000-000000000000/chat-sessions");
  CHECK(unknown_agent.status == 404);
  CHECK(unknown_agent.error_code() == "agent_not_found");
  CHECK(server.admin().get("/api/agents/not-a-uuid/chat-sessions").status == 404);

  for (const std::string& query :
       std::vector<std::string>{"limit=0", "limit=101", "limit=-1", "limit=abc", "limit=", "limit=1e2",
                                "limit=99999999999999999999", "before=x", "before=", "before=2026-01-01_abc",
                                "before=2026-13-45T99:00:00.000Z_" + chat.session_id, "format=xml", "format="}) {
    INFO(query);
    auto res = server.with_token(api).get(path + "?" + query);
    CHECK(res.status == 400);
    CHECK(res.error_code() == "invalid_request");
    CHECK_FALSE(res.json().at("error").at("message").get<std::string>().empty());
  }
  CHECK(server.with_token(api).get(path + "?limit=1").status == 200);
  CHECK(server.with_token(api).get(path + "?limit=100").status == 200);
  CHECK(server.with_token(api).get(path + "?format=json").status == 200);
  // The server still serves.
  CHECK(server.anonymous().get("/healthz").status == 200);
}
