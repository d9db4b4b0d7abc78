#pragma once
// Generates agent replies off the HTTP threads: runs the model, streams its pieces
// through the hub, stores the whole reply, then announces it.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "chat/api.hpp"
#include "hub.hpp"
#include "metrics.hpp"
#include "model.hpp"
#include "storage.hpp"
#include "kit/threads.hpp"

namespace agent_server {

struct ReplyJob {
  std::string session_id;
  std::string reply_id;  ///< the id the agent's message will have; the hub's slot holds it
  chat::api::Agent agent;
  std::vector<chat::Message> history;  ///< ends with the visitor's new message
  std::string lang;
  std::chrono::steady_clock::time_point posted_at;
};

class ReplyRunner {
 public:
  ReplyRunner(Storage& storage, Hub& hub, Metrics& metrics, const ModelRegistry& models)
      : storage_(storage), hub_(hub), metrics_(metrics), models_(models) {}
  ~ReplyRunner() { shutdown(); }
  ReplyRunner(const ReplyRunner&) = delete;
  ReplyRunner& operator=(const ReplyRunner&) = delete;

  /// Starts the reply on a thread of its own (reused from an earlier reply when
  /// one is idle); the job's hub slot must be claimed.
  void start(ReplyJob job);
  /// Cancels every reply in progress and waits for their threads.
  void shutdown();

 private:
  void run(const ReplyJob& job);

  Storage& storage_;
  Hub& hub_;
  Metrics& metrics_;
  const ModelRegistry& models_;
  CancelToken cancel_;
  std::mutex mutex_;
  bool stopped_ = false;
  // A model's reply may wait on the network for seconds: a thread each, started
  // only when none is idle (a thread start per reply cost more than the reply).
  kit::ElasticThreads threads_{4096, 4};
};

}  // namespace agent_server
