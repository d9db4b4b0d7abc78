#pragma once
// Generates agent replies off the HTTP threads: runs the model, streams its pieces
// through the hub, stores the whole reply, then announces it. Every reply ends
// stored as done, failed or interrupted (chat_replies), then told on its streams.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "hub.hpp"
#include "kit/threads.hpp"
#include "metrics.hpp"
#include "model.hpp"
#include "storage.hpp"

namespace agent_server {

struct ReplyJob {
  std::string session_id;
  std::string reply_id;     ///< the id the agent's message will have; the hub's slot holds it
  std::string in_reply_to;  ///< the visitor's message it answers
  std::string model;        ///< the agent's chat model: which of the registry's answers
  /// What the model is asked: the agent's prompts, name and time zone, the history
  /// (ending with the visitor's new message), the session's language. Only that of the
  /// agent: its tokens stay in the request that started the reply.
  ModelRequest request;
  std::chrono::steady_clock::time_point posted_at;
};

class ReplyRunner {
 public:
  ReplyRunner(Storage& storage, Hub& hub, Metrics& metrics, const ModelRegistry& models)
      : storage_(storage), hub_(hub), metrics_(metrics), models_(models) {}
  ~ReplyRunner() { drain(std::chrono::steady_clock::now()); }
  ReplyRunner(const ReplyRunner&) = delete;
  ReplyRunner& operator=(const ReplyRunner&) = delete;

  /// Starts the reply on a thread of its own (reused from an earlier reply when
  /// one is idle); the job's hub slot must be claimed and its row streaming.
  /// Once draining, the reply ends interrupted at once.
  void start(ReplyJob job);
  /// The graceful stop: starts no new reply, lets those in progress finish until
  /// `deadline`, then cancels the rest (each ends interrupted: stored, then told on
  /// its streams) and waits for their threads. Returns how many were cut.
  std::size_t drain(std::chrono::steady_clock::time_point deadline);
  /// Replies in progress.
  std::size_t active();

 private:
  void run(const ReplyJob& job);
  /// Stores how the reply ended, then tells its streams.
  void end(const ReplyJob& job, chat::ReplyState state, const chat::Error& error);

  Storage& storage_;
  Hub& hub_;
  Metrics& metrics_;
  const ModelRegistry& models_;
  CancelToken cancel_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t active_ = 0;
  bool stopped_ = false;
  // A model's reply may wait on the network for seconds: a thread each, started
  // only when none is idle (a thread start per reply cost more than the reply).
  kit::ElasticThreads threads_{4096, 4};
};

}  // namespace agent_server
