#pragma once
// The model interface: what writes the agent's replies. The built-in `local` model
// lives in local_model.hpp; an OpenAI-compatible backend plugs in the same way.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "chat/message.hpp"

namespace agent_server {

/// Set once (server stop, reply abandoned); models check it and sleep on it.
class CancelToken {
 public:
  void cancel();
  bool cancelled() const;
  /// Sleeps up to `duration`; returns false at once when cancelled.
  bool sleep_for(std::chrono::milliseconds duration) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  bool cancelled_ = false;
};

struct ModelRequest {
  std::string prompt;                     ///< the agent's prompt (what the restaurant wrote)
  std::string prompt_extra;               ///< the agent's chat_prompt_extra
  std::vector<chat::Message> history;     ///< the conversation; the last one is the question
  std::string lang = "fr";                ///< the session's language
  std::string agent_name;                 ///< the agent's name (the restaurant's, when the prompt does not say)
  std::string timezone = "Europe/Paris";  ///< the agent's IANA time zone
  /// The moment of the question; nullopt: the system clock when the reply starts.
  /// Tests fix it to ask "are you open now?" at a chosen hour.
  std::optional<std::chrono::system_clock::time_point> now;
};

/// Receives each piece of the reply as it is produced; pieces concatenate verbatim.
using PieceSink = std::function<void(std::string_view piece)>;

class Model {
 public:
  virtual ~Model() = default;
  /// Streams one reply through `sink`. A failure (or cancellation) comes back as a
  /// model_error, model_unavailable or upstream_timeout whose message is detail for
  /// the log; pieces already sent are then to be discarded by the caller.
  virtual chat::Result<void> reply(const ModelRequest& request, const PieceSink& sink,
                                   const CancelToken& cancel) = 0;
};

struct ModelOptions {
  int local_word_ms = 30;
  std::string llm_base_url;
  std::string llm_api_key;
  std::chrono::milliseconds llm_connect_timeout{5000};
  std::chrono::milliseconds llm_idle_timeout{30000};
};

/// Picks the model named by an agent's chat_model.
class ModelRegistry {
 public:
  explicit ModelRegistry(ModelOptions options);
  /// `local` (or no name): the built-in model; any other name: the OpenAI-compatible
  /// server, model_unavailable when LLM_BASE_URL is missing or bad.
  chat::Result<std::shared_ptr<Model>> find(std::string_view name) const;

 private:
  ModelOptions options_;
  std::shared_ptr<Model> local_;
};

}  // namespace agent_server
