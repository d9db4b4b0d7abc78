// Replies from an OpenAI-compatible model over real HTTP: the real agent-server
// binary, a fake model server on port 0 streaming the real wire format, and the
// session's event stream read as a browser would.
#include <catch2/catch.hpp>

#include <thread>

#include "chat/error.hpp"
#include "fake_openai.hpp"
#include "restaurant_facts.hpp"
#include "server_fixture.hpp"
#include "sse_reader.hpp"

using agent_test::AgentServer;
using agent_test::Chat;
using agent_test::open_chat;
using nlohmann::json;
using test_support::FakeOpenAi;
using test_support::LlmScript;
using test_support::SseReader;
using Kind = test_support::LlmScript::Kind;
using namespace std::chrono_literals;

namespace {

constexpr const char* kApiKey = "sk-fake-llm-key-0123456789";
constexpr const char* kExtra = "Réponds en une phrase, sans emoji.";

std::map<std::string, std::string> llm_env(const std::string& base_url,
                                           std::map<std::string, std::string> extra = {}) {
  std::map<std::string, std::string> env = {{"LLM_BASE_URL", base_url},
                                            {"LLM_API_KEY", kApiKey},
                                            {"LLM_CONNECT_TIMEOUT_MS", ""},
                                            {"LLM_IDLE_TIMEOUT_MS", ""},
                                            {"SMS_WEBHOOK_URL", ""}};
  for (auto& [k, v] : extra) env[k] = v;
  return env;
}

json llm_agent() {
  return json{{"name", "Chez Marie"},
              {"prompt", agent_test::kPrompt},
              {"chatModel", "mistral-small"},
              {"chatPromptExtra", kExtra}};
}

std::size_t count(const std::vector<chat::SseEvent>& events, const std::string& name) {
  std::size_t n = 0;
  for (const auto& e : events) n += e.event == name ? 1 : 0;
  return n;
}

// Every event after the `skip` first ones, as (name, data) pairs.
std::vector<chat::SseEvent> after(const std::vector<chat::SseEvent>& events, std::size_t skip) {
  return std::vector<chat::SseEvent>(events.begin() + static_cast<std::ptrdiff_t>(std::min(skip, events.size())),
                                     events.end());
}

}  // namespace

TEST_CASE("a model reply streams as deltas, then the stored message, then done") {
  FakeOpenAi llm;
  AgentServer server(agent_test::ServerOptions{"", llm_env(llm.base_url() + "/v1")});
  auto chat = open_chat(server, llm_agent());
  SseReader stream(server.port(), chat.events_path(), chat.headers());
  REQUIRE(stream.wait_connected());

  const auto before = std::chrono::system_clock::now();
  auto posted = chat.post("Vous ouvrez quand ?");
  REQUIRE(posted.status == 202);
  REQUIRE(stream.wait_for_event("done"));
  const auto after_done = std::chrono::system_clock::now();
  auto events = stream.events();

  std::vector<std::string> names;
  for (const auto& e : events) names.push_back(e.event);
  CHECK(names == std::vector<std::string>{"message", "delta", "delta", "delta", "delta", "message", "done"});
  auto visitor = json::parse(events[0].data);
  CHECK(visitor.at("role") == "visitor");
  auto agent = json::parse(events[5].data);
  CHECK(agent.at("role") == "agent");
  CHECK(agent.at("text") == "Bonjour et bienvenue !");
  CHECK(agent.at("seq") == 2);
  std::string joined;
  for (std::size_t i = 1; i <= 4; ++i) {
    auto delta = json::parse(events[i].data);
    CHECK(delta.at("messageId") == agent.at("id"));
    joined += delta.at("text").get<std::string>();
  }
  CHECK(joined == "Bonjour et bienvenue !");
  CHECK(json::parse(events[6].data).at("messageId") == agent.at("id"));

  auto requests = llm.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/v1/chat/completions");
  CHECK(requests[0].authorization == std::string("Bearer ") + kApiKey);
  CHECK(requests[0].body.at("model") == "mistral-small");
  CHECK(requests[0].body.at("stream") == true);
  // The system prompt: the agent's prompt, chat_prompt_extra, then the clock of the
  // agent's zone (Europe/Paris by default) when the request left.
  auto first = requests[0].body.at("messages");
  REQUIRE(first.size() == 2);
  CHECK(first[1] == json{{"role", "user"}, {"content", "Vous ouvrez quand ?"}});
  CHECK(first[0].at("role") == "system");
  const auto facts = agent_server::read_restaurant_facts(std::string(agent_test::kPrompt) + "\n" + kExtra);
  auto system_at = [&](std::chrono::system_clock::time_point t) {
    return std::string(agent_test::kPrompt) + "\n\n" + kExtra + "\n\n" +
           agent_server::clock_context(facts, *agent_server::local_time("Europe/Paris", t), "Europe/Paris",
                                       chat::Lang::fr);
  };
  const std::string system = first[0].at("content");
  CHECK((system == system_at(before) || system == system_at(after_done)));
  CHECK(system.find("Nous sommes le ") != std::string::npos);
  CHECK(system.find("D'après ses horaires, le restaurant est ") != std::string::npos);

  // The next request carries the whole conversation.
  llm.set_script(LlmScript{Kind::stream, {"Midi", "."}});
  REQUIRE(chat.post("Et le soir ?").status == 202);
  REQUIRE(stream.wait_for([](const auto& e) { return count(e, "done") == 2; }));
  requests = llm.requests();
  REQUIRE(requests.size() == 2);
  auto messages = requests[1].body.at("messages");
  REQUIRE(messages.size() == 4);
  CHECK(messages[2] == json{{"role", "assistant"}, {"content", "Bonjour et bienvenue !"}});
  CHECK(messages[3] == json{{"role", "user"}, {"content", "Et le soir ?"}});

  for (const auto& line : server.process().lines()) CHECK(line.find(kApiKey) == std::string::npos);
}

// The "reply failed" log line of the server, parsed; null when there is none yet.
static json reply_failed_line(AgentServer& server) {
  for (const auto& line : server.process().lines()) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_object() && j.value("msg", "") == "reply failed") return j;
  }
  return nullptr;
}

TEST_CASE("each model failure is one error event, and the session goes on") {
  struct Case {
    const char* name;
    LlmScript script;
    const char* code;
    const char* visitor_text;  // the session is in French
    const char* log_part;      // the detail, for the operator
  };
  auto c = GENERATE(
      Case{"HTTP 401", LlmScript{Kind::http_error, {}, 401, "Incorrect API key provided"}, "model_unavailable",
           "L'assistant n'est pas disponible pour le moment.", "answered HTTP 401: Incorrect API key provided"},
      Case{"error event", LlmScript{Kind::error_event, {"Bonjour", " encore"}, 0, "overloaded"}, "model_error",
           "L'assistant n'a pas pu terminer sa réponse.", "the model failed mid-reply: overloaded"},
      Case{"cut mid-stream", LlmScript{Kind::cut_mid_stream, {"Bonjour", " encore"}}, "model_error",
           "L'assistant n'a pas pu terminer sa réponse.", "broke off the reply"},
      Case{"stall", LlmScript{Kind::stall, {"Bonjour", " encore"}}, "upstream_timeout",
           "Le service de chat a mis trop de temps à répondre.", "sent nothing for 0.5 s"});
  INFO(c.name);

  FakeOpenAi llm;
  AgentServer server(agent_test::ServerOptions{"", llm_env(llm.base_url(), {{"LLM_IDLE_TIMEOUT_MS", "500"}})});
  auto chat = open_chat(server, llm_agent());
  SseReader stream(server.port(), chat.events_path(), chat.headers());
  REQUIRE(stream.wait_connected());

  llm.push_script(c.script);
  REQUIRE(chat.post("Bonjour").status == 202);
  REQUIRE(stream.wait_for_event("error"));
  auto events = stream.events();
  CHECK(count(events, "error") == 1);
  CHECK(count(events, "done") == 0);
  auto error = json::parse(events.back().data);
  CHECK(error["error"] == json{{"code", c.code}, {"message", c.visitor_text}});
  // The event names the failed reply and the visitor's message, so it can be asked again.
  auto session = chat.get().json();
  CHECK(error["inReplyTo"] == session["messages"][0]["id"]);
  CHECK(error["messageId"] == session["reply"]["id"]);
  CHECK(session["reply"]["state"] == "failed");
  llm.release_stalls();
  REQUIRE(server.process().wait_for_line("\"msg\":\"reply failed\"", 10s));
  auto logged = reply_failed_line(server);
  REQUIRE(logged.is_object());
  CHECK(logged.value("code", "") == c.code);
  CHECK(logged.value("error", "").find(c.log_part) != std::string::npos);

  // Nothing of the failed reply was stored; the next message gets a whole reply.
  CHECK(chat.get().json().at("messages").size() == 1);
  const std::size_t seen = events.size();
  auto next = chat.post("Vous êtes là ?");
  INFO(next.body);
  REQUIRE(next.status == 202);
  REQUIRE(stream.wait_for([](const auto& e) { return count(e, "done") == 1; }));
  auto later = after(stream.events(), seen);
  CHECK(count(later, "error") == 0);
  auto stored = chat.get().json().at("messages");
  REQUIRE(stored.size() == 3);
  CHECK(stored[2].at("role") == "agent");
  CHECK(stored[2].at("text") == "Bonjour et bienvenue !");
}

TEST_CASE("a model server's error text reaches the log, masked, and never the visitor") {
  // What a real server answers to a bad key: the key echoed back, and (from a
  // gateway in front of the model) an internal URL with its own credentials.
  const std::string echo =
      "Incorrect API key provided: {key}. Upstream http://svc:gw-s3cret@llm-backend.internal:8000/v1 refused it";
  auto kind = GENERATE(Kind::http_error, Kind::error_event);
  auto lang = GENERATE(as<std::string>{}, "fr", "en");
  INFO((kind == Kind::http_error ? "HTTP 401" : "error event") << ", " << lang);

  FakeOpenAi llm;
  llm.set_script(LlmScript{kind, {"Bonjour"}, 401, echo});
  AgentServer server(agent_test::ServerOptions{"", llm_env(llm.base_url())});
  auto chat = open_chat(server, llm_agent(), json{{"lang", lang}});
  SseReader stream(server.port(), chat.events_path(), chat.headers());
  REQUIRE(stream.wait_connected());
  REQUIRE(chat.post("Bonjour").status == 202);
  REQUIRE(stream.wait_for_event("error"));

  const auto code = kind == Kind::http_error ? chat::ErrorCode::model_unavailable : chat::ErrorCode::model_error;
  const json expected = json::parse(chat::Error::localized(code, lang).body());
  auto error = json::parse(stream.events().back().data);
  CHECK(error["error"] == expected["error"]);
  CHECK(error["error"]["message"] ==
        (lang == "fr" ? (kind == Kind::http_error ? "L'assistant n'est pas disponible pour le moment."
                                                  : "L'assistant n'a pas pu terminer sa réponse.")
                      : (kind == Kind::http_error ? "The assistant is not available right now."
                                                  : "The assistant failed while replying.")));

  // Nothing the visitor can read carries the key, the URLs or the upstream's words.
  std::vector<std::string> visible;
  for (const auto& e : stream.events()) visible.push_back(e.data);
  visible.push_back(chat.get().body);
  for (const auto& text : visible) {
    INFO(text);
    for (const char* secret : {kApiKey, "sk-fake", "s3cret", "llm-backend", "127.0.0.1", "http", "Incorrect"}) {
      CHECK(text.find(secret) == std::string::npos);
    }
  }

  // The operator's log keeps the detail, with the secrets masked.
  REQUIRE(server.process().wait_for_line("\"msg\":\"reply failed\"", 10s));
  auto logged = reply_failed_line(server);
  REQUIRE(logged.is_object());
  CHECK(logged.value("code", "") == chat::to_string(code));
  const std::string detail = logged.value("error", "");
  INFO(detail);
  CHECK(detail.find("Incorrect API key provided: sk-***") != std::string::npos);
  CHECK(detail.find("http://***@llm-backend.internal:8000/v1") != std::string::npos);
  if (kind == Kind::http_error) CHECK(detail.find("answered HTTP 401") != std::string::npos);
  for (const auto& line : server.process().lines()) {
    CHECK(line.find(kApiKey) == std::string::npos);
    CHECK(line.find("fake-llm-key") == std::string::npos);
    CHECK(line.find("gw-s3cret") == std::string::npos);
  }
}

TEST_CASE("an unreachable model server or a missing LLM_BASE_URL is an error event") {
  int port = 0;
  {
    FakeOpenAi gone;
    port = gone.port();
  }
  auto base = GENERATE(as<std::string>{}, "unreachable", "unset");
  INFO(base);
  std::string url = base == "unset" ? "" : "http://127.0.0.1:" + std::to_string(port);
  AgentServer server(agent_test::ServerOptions{"", llm_env(url)});
  auto chat = open_chat(server, llm_agent(), json{{"lang", "en"}});
  SseReader stream(server.port(), chat.events_path(), chat.headers());
  REQUIRE(stream.wait_connected());
  REQUIRE(chat.post("Bonjour").status == 202);
  REQUIRE(stream.wait_for_event("error"));
  auto error = json::parse(stream.events().back().data);
  CHECK(error["error"] ==
        json{{"code", "model_unavailable"}, {"message", "The assistant is not available right now."}});
  REQUIRE(server.process().wait_for_line("\"msg\":\"reply failed\"", 10s));
  CHECK(reply_failed_line(server)
            .value("error", "")
            .find(base == "unset" ? "LLM_BASE_URL is not set" : "could not be reached") != std::string::npos);
  // The slot is free again: the next message is accepted, not 429.
  CHECK(chat.post("Toujours là ?").status == 202);
}

TEST_CASE("the local model stays the default, without any LLM server") {
  FakeOpenAi llm;
  AgentServer server(agent_test::ServerOptions{"", llm_env(llm.base_url())});
  auto chat = open_chat(server);  // chatModel defaults to local
  SseReader stream(server.port(), chat.events_path(), chat.headers());
  REQUIRE(stream.wait_connected());
  REQUIRE(chat.post("Quels sont vos horaires ?").status == 202);
  REQUIRE(stream.wait_for_event("done"));
  CHECK(llm.requests().empty());
}

TEST_CASE("stopping the server during a silent model reply: cut at the drain deadline, told on the stream") {
  FakeOpenAi llm;
  llm.set_script(LlmScript{Kind::stall, {"Bonjour", " encore"}});
  // Idle timeout 30 s: the model would keep the reply open far past the deadline.
  AgentServer server(
      agent_test::ServerOptions{"", llm_env(llm.base_url(), {{"AGENT_SERVER_DRAIN_SECONDS", "1"}})});
  auto chat = open_chat(server, llm_agent());
  SseReader stream(server.port(), chat.events_path(), chat.headers());
  REQUIRE(stream.wait_connected());
  REQUIRE(chat.post("Bonjour").status == 202);
  REQUIRE(stream.wait_for_event("delta"));

  auto started = std::chrono::steady_clock::now();
  CHECK(server.stop() == 0);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
  CHECK(stream.wait_for_event("error", "reply_interrupted", 5s));
  llm.release_stalls();
}

TEST_CASE("the model server is told the date and time in the agent's time zone, and that it is open") {
  FakeOpenAi llm;
  AgentServer server(agent_test::ServerOptions{"", llm_env(llm.base_url())});
  auto chat = open_chat(server,
                        json{{"name", "Nocturne"},
                             {"prompt", "Restaurant Le Nocturne. Ouvert 7j/7, 24h/24."},
                             {"chatModel", "mistral-small"},
                             {"timezone", "Asia/Tokyo"}},
                        {{"lang", "en"}});
  REQUIRE(chat.post("Are you open?").status == 202);
  REQUIRE(llm.wait_for_requests(1, 10s));
  const std::string system = llm.requests()[0].body.at("messages")[0].at("content");
  CHECK(system.rfind("Restaurant Le Nocturne. Ouvert 7j/7, 24h/24.\n\nIt is ", 0) == 0);
  CHECK(system.find(" (Asia/Tokyo time). According to its opening hours, the restaurant is open right now.") !=
        std::string::npos);
}
