#include "model.hpp"

#include "local_model.hpp"
#include "openai_model.hpp"

namespace agent_server {

void CancelToken::cancel() {
  {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
  }
  cv_.notify_all();
}

bool CancelToken::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

bool CancelToken::sleep_for(std::chrono::milliseconds duration) const {
  std::unique_lock lock(mutex_);
  return !cv_.wait_for(lock, duration, [&] { return cancelled_; });
}

ModelRegistry::ModelRegistry(ModelOptions options)
    : options_(std::move(options)),
      local_(std::make_shared<LocalModel>(std::chrono::milliseconds(options_.local_word_ms))) {}

chat::Result<std::shared_ptr<Model>> ModelRegistry::find(std::string_view name) const {
  if (name.empty() || name == "local") return local_;
  OpenAiOptions options;
  options.base_url = options_.llm_base_url;
  options.api_key = options_.llm_api_key;
  options.connect_timeout = options_.llm_connect_timeout;
  options.idle_timeout = options_.llm_idle_timeout;
  auto model = OpenAiModel::create(std::move(options), std::string(name));
  if (!model) return model.error();
  return std::shared_ptr<Model>(std::move(model).value());
}

}  // namespace agent_server
