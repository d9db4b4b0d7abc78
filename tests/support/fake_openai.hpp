#pragma once
// A fake OpenAI-compatible model server for tests: a real HTTP server on
// 127.0.0.1:0 speaking the wire format of `POST /v1/chat/completions` with
// `stream: true` (chat.completion.chunk events, then `data: [DONE]`), with scripted
// failures. It records every request so tests can check what the agent server sent.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace test_support {

struct LlmScript {
  enum class Kind {
    stream,              ///< role chunk, one chunk per piece, finish_reason, [DONE]
    http_error,          ///< `status` with an OpenAI error body, before any stream
    error_event,         ///< the first piece, then `data: {"error":{...}}`, then the end
    cut_mid_stream,      ///< the first piece, then the connection drops (no last chunk)
    stall,               ///< the first piece, then silence until released or stopped
    close_without_done,  ///< every piece and finish_reason, a clean end, no [DONE]
    plain_json,          ///< ignores stream:true: one chat.completion JSON body
  };
  Kind kind = Kind::stream;
  std::vector<std::string> pieces{"Bonjour", " et", " bienvenue", " !"};
  int status = 500;  ///< for http_error
  /// For http_error and error_event. `{key}` is replaced with the API key the request
  /// carried, as real servers echo it ("Incorrect API key provided: sk-...").
  std::string error_message = "the model is overloaded";
  std::chrono::milliseconds piece_gap{0};  ///< pause before each content piece
};

struct LlmRequest {
  std::string path;
  std::string authorization;  ///< the whole Authorization header
  std::string content_type;
  nlohmann::json body;  ///< null when the body was not JSON
};

class FakeOpenAi {
 public:
  FakeOpenAi();   ///< listening when the constructor returns
  ~FakeOpenAi();  ///< releases stalls, stops and joins
  FakeOpenAi(const FakeOpenAi&) = delete;
  FakeOpenAi& operator=(const FakeOpenAi&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>" (no /v1: the agent server adds it).
  std::string base_url() const;

  /// What every request does from now on.
  void set_script(LlmScript script);
  /// What the next request alone does (queued, used before the default).
  void push_script(LlmScript script);
  /// Ends every stall in progress (they then finish with [DONE]).
  void release_stalls();

  std::vector<LlmRequest> requests() const;
  /// Polls until `count` requests arrived or the deadline passes.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  void handle(const httplib::Request& req, httplib::Response& res);
  LlmScript next_script();
  bool wait_stall();

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  LlmScript default_;
  std::deque<LlmScript> queued_;
  std::vector<LlmRequest> requests_;
  bool released_ = false;
  bool stopping_ = false;
};

/// One chunk of a chat completion stream, as `data: {...}\n\n`.
std::string completion_chunk(const std::string& id, const nlohmann::json& delta,
                             const nlohmann::json& finish_reason = nullptr);

}  // namespace test_support
