#include "hub.hpp"

namespace agent_server {

Subscription::~Subscription() { hub_.unsubscribe(this); }

Subscription::Batch Subscription::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  cv_.wait_for(lock, timeout, [&] { return !queue_.empty() || closed_; });
  Batch batch;
  batch.closed = closed_;
  batch.events.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
  queue_.clear();
  return batch;
}

void Subscription::push(const chat::Event& event) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(event);
  }
  cv_.notify_one();
}

void Subscription::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  cv_.notify_one();
}

std::unique_ptr<Subscription> Hub::subscribe(const std::string& session_id) {
  auto sub = std::make_unique<Subscription>(*this, session_id);
  std::lock_guard lock(mutex_);
  auto& channel = channels_[session_id];
  channel.subscribers.insert(sub.get());
  sub->snapshot = channel.reply;
  ++open_streams_;
  if (shutting_down_) sub->close();
  return sub;
}

void Hub::unsubscribe(Subscription* sub) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(sub->session_id_);
  if (it == channels_.end()) return;
  if (it->second.subscribers.erase(sub) > 0) --open_streams_;
  drop_if_idle_locked(sub->session_id_);
}

bool Hub::begin_reply(const std::string& session_id, const std::string& message_id) {
  std::lock_guard lock(mutex_);
  auto& channel = channels_[session_id];
  if (channel.reply) return false;
  channel.reply = ReplyInProgress{message_id, {}};
  return true;
}

void Hub::abandon_reply(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end()) return;
  it->second.reply.reset();
  drop_if_idle_locked(session_id);
}

void Hub::publish_delta(const std::string& session_id, const std::string& piece) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end() || !it->second.reply) return;
  it->second.reply->text += piece;
  broadcast_locked(session_id, chat::DeltaEvent{it->second.reply->message_id, piece});
}

void Hub::finish_reply(const std::string& session_id, const chat::Message& stored) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end()) return;
  it->second.reply.reset();
  broadcast_locked(session_id, chat::MessageEvent{stored});
  broadcast_locked(session_id, chat::DoneEvent{stored.id});
  drop_if_idle_locked(session_id);
}

void Hub::fail_reply(const std::string& session_id, const chat::Error& error) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end()) return;
  it->second.reply.reset();
  broadcast_locked(session_id, chat::ErrorEvent{error});
  drop_if_idle_locked(session_id);
}

void Hub::publish_message(const std::string& session_id, const chat::Message& message) {
  std::lock_guard lock(mutex_);
  if (channels_.count(session_id)) broadcast_locked(session_id, chat::MessageEvent{message});
}

bool Hub::reply_in_progress(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  return it != channels_.end() && it->second.reply.has_value();
}

void Hub::shutdown() {
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  for (auto& [id, channel] : channels_) {
    for (auto* sub : channel.subscribers) sub->close();
  }
}

std::size_t Hub::open_streams() {
  std::lock_guard lock(mutex_);
  return open_streams_;
}

void Hub::broadcast_locked(const std::string& session_id, const chat::Event& event) {
  for (auto* sub : channels_[session_id].subscribers) sub->push(event);
}

void Hub::drop_if_idle_locked(const std::string& session_id) {
  auto it = channels_.find(session_id);
  if (it != channels_.end() && it->second.subscribers.empty() && !it->second.reply) channels_.erase(it);
}

}  // namespace agent_server
