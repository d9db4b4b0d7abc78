#include "replies.hpp"

#include "chat/random.hpp"
#include "chat/redact.hpp"
#include "kit/log.hpp"
#include "storage_common.hpp"

namespace agent_server {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// What the visitor's stream gets for a failed reply: a stable code and its short
// text in the session's language. The model's own message (its server's URL, its
// error text, whatever that echoes) stays in the log.
chat::Error visitor_error(chat::ErrorCode code, const std::string& lang) {
  using chat::ErrorCode;
  switch (code) {
    case ErrorCode::model_error:
    case ErrorCode::model_unavailable:
    case ErrorCode::upstream_timeout:
    case ErrorCode::server_busy:
      return chat::Error::localized(code, lang);
    default:
      return chat::Error::localized(ErrorCode::internal_error, lang);  // e.g. the reply could not be stored
  }
}

}  // namespace

void ReplyRunner::start(ReplyJob job) {
  std::lock_guard lock(mutex_);
  if (stopped_) {
    kit::log_event("warn", "reply failed", {{"session", job.session_id}, {"code", "model_error"},
                                       {"error", "the server is stopping"}});
    hub_.fail_reply(job.session_id, visitor_error(chat::ErrorCode::model_error, job.lang));
    return;
  }
  std::string session_id = job.session_id;
  std::string lang = job.lang;
  std::function<void()> task = [this, job = std::move(job)] { run(job); };
  if (!threads_.run(task, /*queue_at_cap=*/true)) {
    kit::log_event("warn", "reply failed", {{"session", session_id}, {"code", "server_busy"},
                                       {"error", "the server could not start the reply"}});
    hub_.fail_reply(session_id, visitor_error(chat::ErrorCode::server_busy, lang));
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
    // The detail goes to the log, secrets masked (a model server may echo its key);
    // the visitor's stream gets the code and a short text in their language.
    kit::log_event("warn", "reply failed", {{"session", job.session_id}, {"code", chat::to_string(error.code)},
                                       {"error", chat::redact_secrets(error.message)}});
    hub_.fail_reply(job.session_id, visitor_error(error.code, job.lang));
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
