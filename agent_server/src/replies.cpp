#include "replies.hpp"

#include "chat/random.hpp"
#include "kit/log.hpp"
#include "storage_common.hpp"

namespace agent_server {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

void ReplyRunner::start(ReplyJob job) {
  std::lock_guard lock(mutex_);
  if (stopped_) {
    hub_.fail_reply(job.session_id, chat::Error(chat::ErrorCode::model_error, "the server is stopping"));
    return;
  }
  std::string session_id = job.session_id;
  std::function<void()> task = [this, job = std::move(job)] { run(job); };
  if (!threads_.run(task, /*queue_at_cap=*/true)) {
    hub_.fail_reply(session_id, chat::Error(chat::ErrorCode::model_error, "the server could not start the reply"));
  }
}

void ReplyRunner::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  cancel_.cancel();
  threads_.shutdown();
}

void ReplyRunner::run(const ReplyJob& job) {
  auto fail = [&](const chat::Error& error) {
    metrics_.reply_finished(false, seconds_since(job.posted_at));
    metrics_.error(std::string(chat::to_string(error.code)));
    kit::log_event("warn", "reply failed", {{"session", job.session_id}, {"code", chat::to_string(error.code)},
                                       {"error", error.message}});
    // The stream carries the error body; a storage failure is reported generically.
    bool from_model = error.code == chat::ErrorCode::model_error ||
                      error.code == chat::ErrorCode::upstream_timeout;
    hub_.fail_reply(job.session_id, from_model ? error
                                               : chat::Error(chat::ErrorCode::model_error,
                                                             "the reply could not be saved"));
  };

  auto model = models_.find(job.agent.chat_model);
  if (!model) return fail(model.error());

  ModelRequest request;
  request.prompt = job.agent.prompt;
  request.prompt_extra = job.agent.chat_prompt_extra;
  request.history = job.history;
  request.lang = job.lang;

  std::string text;
  bool first = true;
  auto result = model.value()->reply(
      request,
      [&](std::string_view piece) {
        if (piece.empty()) return;
        if (first) {
          metrics_.first_delta(seconds_since(job.posted_at));
          first = false;
        }
        text.append(piece);
        hub_.publish_delta(job.session_id, std::string(piece));
      },
      cancel_);
  if (!result) return fail(result.error());
  if (text.empty()) return fail(chat::Error(chat::ErrorCode::model_error, "the model gave an empty reply"));

  NewMessage message{job.reply_id, chat::Role::agent, text, now_timestamp()};
  auto stored = storage_.append_message(job.session_id, message);
  if (!stored) return fail(stored.error());
  metrics_.reply_finished(true, seconds_since(job.posted_at));
  hub_.finish_reply(job.session_id, stored.value());
}

}  // namespace agent_server
