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
    case ErrorCode::reply_interrupted: return chat::Error::localized(code, lang);
    default: return chat::Error::localized(ErrorCode::internal_error, lang);  // e.g. the reply could not be stored
  }
}

}  // namespace

void ReplyRunner::start(ReplyJob job) {
  std::unique_lock lock(mutex_);
  if (stopped_) {
    lock.unlock();
    kit::log_event("warn", "reply interrupted",
                   {{"session", job.session_id}, {"reason", "the server is stopping"}});
    return end(job, chat::ReplyState::interrupted, chat::Error(chat::ErrorCode::reply_interrupted));
  }
  ++active_;
  lock.unlock();
  auto shared = std::make_shared<ReplyJob>(std::move(job));
  std::function<void()> task = [this, shared] {
    run(*shared);
    std::lock_guard done(mutex_);
    if (--active_ == 0) idle_.notify_all();
  };
  if (!threads_.run(task, /*queue_at_cap=*/true)) {
    kit::log_event("warn", "reply failed",
                   {{"session", shared->session_id},
                    {"code", "server_busy"},
                    {"error", "the server could not start the reply"}});
    end(*shared, chat::ReplyState::failed, chat::Error(chat::ErrorCode::server_busy));
    std::lock_guard done(mutex_);
    if (--active_ == 0) idle_.notify_all();
  }
}

std::size_t ReplyRunner::drain(std::chrono::steady_clock::time_point deadline) {
  std::size_t cut = 0;
  {
    std::unique_lock lock(mutex_);
    stopped_ = true;
    idle_.wait_until(lock, deadline, [&] { return active_ == 0; });
    cut = active_;
  }
  cancel_.cancel();  // the models return at once; their replies end interrupted
  threads_.shutdown();
  return cut;
}

std::size_t ReplyRunner::active() {
  std::lock_guard lock(mutex_);
  return active_;
}

void ReplyRunner::end(const ReplyJob& job, chat::ReplyState state, const chat::Error& error) {
  ReplyRecord ended;
  ended.session_id = job.session_id;
  ended.in_reply_to = job.in_reply_to;
  ended.reply_id = job.reply_id;
  ended.state = state;
  ended.error = error.code;
  // Stored first: a stream that connects after the event below finds it in the session.
  if (auto stored = storage_.end_reply(ended); !stored) {
    kit::log_event("error", "reply state not stored",
                   {{"session", job.session_id}, {"error", stored.error().message}});
  }
  hub_.fail_reply(job.session_id, visitor_error(error.code, job.request.lang));
}

void ReplyRunner::run(const ReplyJob& job) {
  auto fail = [&](const chat::Error& error) {
    // Cut by a shutdown, not failed: the visitor can ask again once a server is up.
    const bool cut = cancel_.cancelled();
    metrics_.reply_finished(false, seconds_since(job.posted_at));
    metrics_.error(std::string(chat::to_string(cut ? chat::ErrorCode::reply_interrupted : error.code)));
    // The detail goes to the log, secrets masked (a model server may echo its key);
    // the visitor's stream gets the code and a short text in their language.
    if (cut) {
      kit::log_event("warn", "reply interrupted",
                     {{"session", job.session_id}, {"reason", "the server is stopping"}});
      return end(job, chat::ReplyState::interrupted, chat::Error(chat::ErrorCode::reply_interrupted));
    }
    kit::log_event("warn", "reply failed",
                   {{"session", job.session_id},
                    {"code", chat::to_string(error.code)},
                    {"error", chat::redact_secrets(error.message)}});
    end(job, chat::ReplyState::failed, error);
  };

  auto model = models_.find(job.model);
  if (!model) return fail(model.error());

  ModelRequest request = job.request;
  request.now = std::chrono::system_clock::now();

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
  hub_.storing_reply(job.session_id);
  auto stored = storage_.append_reply(job.session_id, job.in_reply_to, message);
  if (!stored) return fail(stored.error());
  metrics_.reply_finished(true, seconds_since(job.posted_at));
  hub_.finish_reply(job.session_id, stored.value());
}

}  // namespace agent_server
