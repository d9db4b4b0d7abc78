// The OpenAI-compatible backend against a fake model server on port 0 that speaks
// the real streaming wire format.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <thread>

#include "fake_openai.hpp"
#include "openai_model.hpp"

namespace {

/// A loopback socket that listens with a backlog of 0 and never accepts; a few
/// non-blocking connects fill its queue, so the kernel drops any further SYN.
class FullBacklogListener {
 public:
  FullBacklogListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    REQUIRE(::listen(fd_, 0) == 0);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    for (int& filler : fillers_) {
      filler = ::socket(AF_INET, SOCK_STREAM, 0);
      ::fcntl(filler, F_SETFL, O_NONBLOCK);
      ::connect(filler, reinterpret_cast<sockaddr*>(&addr), len);
    }
  }
  ~FullBacklogListener() {
    for (int filler : fillers_) ::close(filler);
    ::close(fd_);
  }
  FullBacklogListener(const FullBacklogListener&) = delete;
  FullBacklogListener& operator=(const FullBacklogListener&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  int fillers_[4] = {-1, -1, -1, -1};
};

}  // namespace

using agent_server::CancelToken;
using agent_server::CompletionStream;
using agent_server::ModelRequest;
using agent_server::OpenAiModel;
using agent_server::OpenAiOptions;
using chat::ErrorCode;
using test_support::FakeOpenAi;
using test_support::LlmScript;
using Kind = test_support::LlmScript::Kind;
using namespace std::chrono_literals;

namespace {

chat::Message message(std::int64_t seq, chat::Role role, std::string text) {
  return chat::Message{"m" + std::to_string(seq), seq, role, std::move(text), "2026-11-24T20:00:00.000Z"};
}

ModelRequest sample_request() {
  ModelRequest request;
  request.prompt = "Le Petit Bistro, 12 rue des Lilas. Ouvert de 12h a 14h.";
  request.prompt_extra = "Réponds en deux phrases au plus.";
  request.history = {message(1, chat::Role::visitor, "Bonjour"), message(2, chat::Role::agent, "Bonjour !"),
                     message(3, chat::Role::visitor, "Vous ouvrez quand ?")};
  // Tuesday 1 December 2026, 23:00 in Paris.
  request.now = std::chrono::system_clock::time_point(std::chrono::seconds(1796162400));
  return request;
}

struct Run {
  chat::Result<void> result;
  std::vector<std::string> pieces;
  std::string text() const {
    std::string all;
    for (const auto& p : pieces) all += p;
    return all;
  }
};

std::shared_ptr<OpenAiModel> model_for(const FakeOpenAi& fake, OpenAiOptions options = {}) {
  options.base_url = options.base_url.empty() ? fake.base_url() : options.base_url;
  if (options.api_key.empty()) options.api_key = "sk-test-key";
  auto model = OpenAiModel::create(options, "mistral-small");
  REQUIRE(model.ok());
  return model.value();
}

Run run(OpenAiModel& model, const CancelToken& cancel = CancelToken()) {
  Run out{chat::Result<void>(), {}};
  out.result = model.reply(
      sample_request(), [&](std::string_view p) { out.pieces.emplace_back(p); }, cancel);
  return out;
}

}  // namespace

TEST_CASE("a streamed reply arrives piece by piece") {
  FakeOpenAi fake;
  auto model = model_for(fake);
  auto reply = run(*model);
  REQUIRE(reply.result.ok());
  CHECK(reply.pieces == std::vector<std::string>{"Bonjour", " et", " bienvenue", " !"});
}

TEST_CASE("the request carries model, stream, system prompt, history and the key") {
  FakeOpenAi fake;
  auto model = model_for(fake);
  REQUIRE(run(*model).result.ok());
  auto requests = fake.requests();
  REQUIRE(requests.size() == 1);
  const auto& r = requests[0];
  CHECK(r.path == "/v1/chat/completions");
  CHECK(r.authorization == "Bearer sk-test-key");
  CHECK(r.content_type == "application/json");
  CHECK(r.body["model"] == "mistral-small");
  CHECK(r.body["stream"] == true);
  nlohmann::json expected = nlohmann::json::array({
      {{"role", "system"},
       {"content",
        "Le Petit Bistro, 12 rue des Lilas. Ouvert de 12h a 14h.\n\nRéponds en deux phrases au plus.\n\n"
        "Nous sommes le mardi 1 décembre 2026, il est 23h00 (heure de Europe/Paris). D'après ses horaires, le "
        "restaurant est fermé en ce moment ; il rouvre demain (mercredi) à 12h."}},
      {{"role", "user"}, {"content", "Bonjour"}},
      {{"role", "assistant"}, {"content", "Bonjour !"}},
      {{"role", "user"}, {"content", "Vous ouvrez quand ?"}},
  });
  CHECK(r.body["messages"] == expected);
}

TEST_CASE("LLM_BASE_URL works with or without /v1 and a trailing slash") {
  CHECK(agent_server::completions_path("") == "/v1/chat/completions");
  CHECK(agent_server::completions_path("/v1") == "/v1/chat/completions");
  CHECK(agent_server::completions_path("/v1/") == "/v1/chat/completions");
  CHECK(agent_server::completions_path("/openai/v1") == "/openai/v1/chat/completions");
  CHECK(agent_server::completions_path("/openai") == "/openai/v1/chat/completions");

  FakeOpenAi fake;
  for (const auto& base :
       {fake.base_url(), fake.base_url() + "/", fake.base_url() + "/v1", fake.base_url() + "/v1/"}) {
    OpenAiOptions options;
    options.base_url = base;
    auto model = model_for(fake, options);
    CHECK(run(*model).result.ok());
  }
  for (const auto& r : fake.requests()) CHECK(r.path == "/v1/chat/completions");
}

TEST_CASE("no key, no Authorization header") {
  FakeOpenAi fake;
  auto model = OpenAiModel::create(OpenAiOptions{fake.base_url(), ""}, "m");
  REQUIRE(model.ok());
  REQUIRE(run(*model.value()).result.ok());
  CHECK(fake.requests().at(0).authorization.empty());
}

TEST_CASE("the history is cut to the most recent messages") {
  ModelRequest request;
  for (int i = 1; i <= 60; ++i) request.history.push_back(message(i, chat::Role::visitor, std::to_string(i)));
  auto body = agent_server::build_chat_request("m", request, 50);
  REQUIRE(body["messages"].size() == 50);  // no system prompt when both texts are empty
  CHECK(body["messages"][0]["content"] == "11");
  CHECK(body["messages"][49]["content"] == "60");
}

TEST_CASE("a non-200 before the stream is model_unavailable with the server's message") {
  FakeOpenAi fake;
  fake.set_script(LlmScript{Kind::http_error, {}, 401, "Incorrect API key provided"});
  auto model = model_for(fake);
  auto reply = run(*model);
  REQUIRE_FALSE(reply.result.ok());
  CHECK(reply.result.error().code == ErrorCode::model_unavailable);
  CHECK(reply.result.error().message ==
        "the model server (" + fake.base_url() + ") answered HTTP 401: Incorrect API key provided");
  CHECK(reply.result.error().message.find("sk-test-key") == std::string::npos);
  CHECK(reply.pieces.empty());
}

TEST_CASE("an error event mid-stream is a model_error") {
  FakeOpenAi fake;
  fake.set_script(LlmScript{Kind::error_event, {"Bonjour", " encore"}, 0, "overloaded"});
  auto model = model_for(fake);
  auto reply = run(*model);
  REQUIRE_FALSE(reply.result.ok());
  CHECK(reply.result.error().code == ErrorCode::model_error);
  CHECK(reply.result.error().message == "the model failed mid-reply: overloaded");
  CHECK(reply.pieces == std::vector<std::string>{"Bonjour"});
}

TEST_CASE("a connection cut mid-stream is a model_error, not a short reply") {
  FakeOpenAi fake;
  fake.set_script(LlmScript{Kind::cut_mid_stream, {"Bonjour", " encore"}});
  auto model = model_for(fake);
  auto reply = run(*model);
  REQUIRE_FALSE(reply.result.ok());
  CHECK(reply.result.error().code == ErrorCode::model_error);
  CHECK(reply.result.error().message == "the model server (" + fake.base_url() + ") broke off the reply");
}

TEST_CASE("a stall past the idle timeout is an upstream_timeout") {
  FakeOpenAi fake;
  fake.set_script(LlmScript{Kind::stall, {"Bonjour", " encore"}});
  OpenAiOptions options;
  options.idle_timeout = 400ms;
  auto model = model_for(fake, options);
  auto started = std::chrono::steady_clock::now();
  auto reply = run(*model);
  auto took = std::chrono::steady_clock::now() - started;
  fake.release_stalls();
  REQUIRE_FALSE(reply.result.ok());
  CHECK(reply.result.error().code == ErrorCode::upstream_timeout);
  CHECK(reply.result.error().message == "the model server (" + fake.base_url() + ") sent nothing for 0.4 s");
  CHECK(took >= 400ms);
  CHECK(took < 5s);
}

TEST_CASE("a server that closes without [DONE] ends the reply cleanly") {
  FakeOpenAi fake;
  fake.set_script(LlmScript{Kind::close_without_done, {"Oui", "."}});
  auto model = model_for(fake);
  auto reply = run(*model);
  REQUIRE(reply.result.ok());
  CHECK(reply.text() == "Oui.");
}

TEST_CASE("a server that ignores stream:true still gives the reply") {
  FakeOpenAi fake;
  fake.set_script(LlmScript{Kind::plain_json, {"Oui", ", midi."}});
  auto model = model_for(fake);
  auto reply = run(*model);
  REQUIRE(reply.result.ok());
  CHECK(reply.text() == "Oui, midi.");
}

TEST_CASE("nothing listening is model_unavailable; a listener that never accepts times out on connect") {
  int port = 0;
  {
    FakeOpenAi gone;
    port = gone.port();
  }
  auto model = OpenAiModel::create(OpenAiOptions{"http://127.0.0.1:" + std::to_string(port), "k"}, "m");
  REQUIRE(model.ok());
  auto reply = run(*model.value());
  REQUIRE_FALSE(reply.result.ok());
  CHECK(reply.result.error().code == ErrorCode::model_unavailable);
  CHECK(reply.result.error().message.find("could not be reached") != std::string::npos);

  // A loopback listener whose accept queue is full drops new SYNs: the connect hangs
  // until our connect timeout, without sending anything off this machine.
  FullBacklogListener full;
  OpenAiOptions slow{"http://127.0.0.1:" + std::to_string(full.port()), "k"};
  slow.connect_timeout = 300ms;
  auto unroutable = OpenAiModel::create(slow, "m");
  REQUIRE(unroutable.ok());
  auto started = std::chrono::steady_clock::now();
  auto r2 = run(*unroutable.value());
  REQUIRE_FALSE(r2.result.ok());
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK(r2.result.error().code == ErrorCode::upstream_timeout);
  CHECK(r2.result.error().message.find("within 0.3 s") != std::string::npos);
}

TEST_CASE("a cancelled reply stops at once, even while the model is silent") {
  FakeOpenAi fake;
  fake.set_script(LlmScript{Kind::stall, {"Bonjour", " encore"}});
  auto model = model_for(fake);  // idle timeout 30 s
  CancelToken cancel;
  std::thread canceller([&] {
    REQUIRE(fake.wait_for_requests(1, 5s));
    cancel.cancel();
  });
  auto started = std::chrono::steady_clock::now();
  auto reply = run(*model, cancel);
  canceller.join();
  REQUIRE_FALSE(reply.result.ok());
  CHECK(reply.result.error().message == "the reply was cancelled");
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  fake.release_stalls();
}

TEST_CASE("LLM_BASE_URL must be set and valid") {
  auto none = OpenAiModel::create(OpenAiOptions{}, "gpt-4o-mini");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::model_unavailable);
  CHECK(none.error().message ==
        "model 'gpt-4o-mini' needs an OpenAI-compatible server, and LLM_BASE_URL is not set");
  CHECK_FALSE(OpenAiModel::create(OpenAiOptions{"localhost:11434", ""}, "m").ok());
}

TEST_CASE("CompletionStream: any chunking, null content, [DONE], limits") {
  std::string wire = test_support::completion_chunk("c", {{"role", "assistant"}, {"content", nullptr}}) +
                     test_support::completion_chunk("c", {{"content", "Bon"}}) + ": keep-alive comment\n\n" +
                     test_support::completion_chunk("c", {{"content", "jour é"}}) +
                     test_support::completion_chunk("c", nlohmann::json::object(), "stop") + "data: [DONE]\n\n" +
                     test_support::completion_chunk("c", {{"content", "ignored"}});
  for (std::size_t split = 0; split <= wire.size(); split += 7) {
    std::string text;
    CompletionStream stream([&](std::string_view p) { text.append(p); }, 1024);
    bool more = stream.feed(std::string_view(wire).substr(0, split));
    if (more) stream.feed(std::string_view(wire).substr(split));
    CHECK(stream.done());
    CHECK_FALSE(stream.error());
    CHECK(text == "Bonjour é");
  }

  std::string text;
  CompletionStream small([&](std::string_view p) { text.append(p); }, 4);
  CHECK_FALSE(small.feed(test_support::completion_chunk("c", {{"content", "too long"}})));
  REQUIRE(small.error());
  CHECK(small.error()->message == "the model's reply is over 4 bytes");
  CHECK(text.empty());

  CompletionStream junk([](std::string_view) {}, 1024);
  CHECK_FALSE(junk.feed("data: {not json\n\n"));
  CHECK(junk.error()->code == ErrorCode::model_error);
}

TEST_CASE("the system prompt tells the local date, time and whether the restaurant is open") {
  auto request = sample_request();
  request.lang = "en";
  request.timezone = "America/New_York";  // the same instant: Tuesday 17:00 there
  auto body = agent_server::build_chat_request("m", request, 50);
  std::string system = body["messages"][0]["content"];
  CHECK(system.find("It is Tuesday, 1 December 2026, 17:00 (America/New_York time). According to its opening "
                    "hours, the restaurant is closed right now; it opens again tomorrow (Wednesday) at 12:00.") !=
        std::string::npos);
  request.timezone = "Asia/Tokyo";  // Wednesday 7:00... and at 13:00 it is open
  request.now = *request.now + std::chrono::hours(6);
  request.lang = "fr";
  system = agent_server::build_chat_request("m", request, 50)["messages"][0]["content"];
  CHECK(system.find("Nous sommes le mercredi 2 décembre 2026, il est 13h00 (heure de Asia/Tokyo). D'après ses "
                    "horaires, le restaurant est ouvert en ce moment, jusqu'à 14h.") != std::string::npos);
  // Hours that cannot be read: the date and time only.
  request.prompt = "Le Petit Bistro.";
  system = agent_server::build_chat_request("m", request, 50)["messages"][0]["content"];
  CHECK(system == "Le Petit Bistro.\n\nRéponds en deux phrases au plus.\n\nNous sommes le mercredi 2 décembre "
                  "2026, il est 13h00 (heure de Asia/Tokyo).");
}
