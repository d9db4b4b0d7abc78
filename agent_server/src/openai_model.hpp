#pragma once
// The OpenAI-compatible backend: every chat_model but `local` goes to
// `$LLM_BASE_URL/chat/completions` with `stream: true` (Ollama, vLLM, llama.cpp
// server, hosted APIs). LLM_BASE_URL may be given with or without its trailing
// `/v1`: "http://host:11434" and "http://host:11434/v1" both post to
// "/v1/chat/completions"; any other path is kept and gets "/v1/chat/completions"
// appended unless it already ends in "/v1".

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chat/error.hpp"
#include "chat/sse.hpp"
#include "model.hpp"
#include "upstream_url.hpp"

namespace agent_server {

struct OpenAiOptions {
  std::string base_url;  ///< LLM_BASE_URL
  std::string api_key;   ///< LLM_API_KEY (empty: no Authorization header)
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds idle_timeout{30000};  ///< longest silence, time to first token included
  std::size_t max_reply_bytes = 64 * 1024;        ///< a runaway model is cut off past this
  std::size_t max_history = 50;                   ///< most recent messages sent as context
};

class OpenAiModel final : public Model {
 public:
  /// model_unavailable when the base URL is missing or not http(s).
  static chat::Result<std::shared_ptr<OpenAiModel>> create(OpenAiOptions options, std::string model);

  /// Failures: model_unavailable (nothing listening, or a non-200 before the
  /// stream), upstream_timeout (no connection, or silence past the idle timeout),
  /// model_error (the reply failed once started). Their messages carry the detail
  /// for the log (the server's origin, its own error text): never for visitors.
  chat::Result<void> reply(const ModelRequest& request, const PieceSink& sink, const CancelToken& cancel) override;

 private:
  OpenAiModel(OpenAiOptions options, std::string model, UpstreamUrl url);
  OpenAiOptions options_;
  std::string model_;
  UpstreamUrl url_;
  std::string path_;
};

/// The path to post to for a base URL's path: "" or "/v1" -> "/v1/chat/completions".
std::string completions_path(std::string_view base_path);

/// The request body: model, stream: true, the system prompt (prompt, a blank line,
/// chat_prompt_extra), then the history as user/assistant messages.
nlohmann::json build_chat_request(std::string_view model, const ModelRequest& request, std::size_t max_history);

/// Reads a chat-completion stream (the `data:` events of an SSE body), handing each
/// `choices[0].delta.content` string to the sink. Stops at `data: [DONE]`, at an
/// `error` event, or past `max_bytes` of reply.
class CompletionStream {
 public:
  CompletionStream(PieceSink sink, std::size_t max_bytes);
  /// Bytes as they arrive; false once the stream is over (done or failed): stop reading.
  bool feed(std::string_view bytes);
  bool done() const noexcept { return done_; }
  const std::optional<chat::Error>& error() const noexcept { return error_; }

 private:
  void on_event(const chat::SseEvent& event);
  void fail(std::string message);

  PieceSink sink_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  chat::SseParser parser_;
  bool done_ = false;
  std::optional<chat::Error> error_;
};

/// The `error.message` of an OpenAI error body (`{"error":{"message":...}}`, or
/// `{"error":"..."}`), secrets masked (chat::redact_secrets), cut to a readable
/// length; empty when there is none.
std::string upstream_error_message(const nlohmann::json& body);

}  // namespace agent_server
