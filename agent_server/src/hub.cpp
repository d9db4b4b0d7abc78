#include "hub.hpp"

#include "kit/log.hpp"

namespace agent_server {
namespace {

using Kind = HubEvent::Kind;

const auto no_fill = [](HubEvent&) {};

bool reply_is(const std::optional<ReplyInProgress>& reply, const std::string& id) {
  return reply && reply->message_id == id;
}

}  // namespace

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

Hub::~Hub() { relay_.reset(); }

template <class Fill>
void Hub::relay_locked(HubEvent::Kind kind, const std::string& session_id, const std::string& reply_id,
                       Fill fill) {
  if (!relay_) return;
  HubEvent event;
  event.kind = kind;
  event.session_id = session_id;
  event.reply_id = reply_id;
  fill(event);
  relay_->send(std::move(event));
}

void Hub::set_relay(std::unique_ptr<HubRelay> relay, std::chrono::milliseconds remote_ttl) {
  std::lock_guard lock(mutex_);
  relay_ = std::move(relay);
  remote_ttl_ = remote_ttl;
}

std::unique_ptr<Subscription> Hub::subscribe(const std::string& session_id) {
  auto sub = std::make_unique<Subscription>(*this, session_id);
  std::lock_guard lock(mutex_);
  auto& channel = channels_[session_id];
  expire_locked(session_id, channel, Clock::now());
  channel.subscribers.insert(sub.get());
  if (channel.reply && !channel.reply->partial) sub->snapshot = channel.reply;
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

bool Hub::begin_reply(const std::string& session_id, const std::string& message_id,
                      const std::string& in_reply_to) {
  std::unique_lock lock(mutex_);
  const auto storing = [&] {
    auto it = channels_.find(session_id);
    return it != channels_.end() && it->second.reply && it->second.reply->storing && !shutting_down_;
  };
  reply_ended_.wait_for(lock, kStoringWait, [&] { return !storing(); });
  auto& channel = channels_[session_id];  // looked up again: a finished reply may have dropped it
  expire_locked(session_id, channel, Clock::now());
  if (channel.reply) return false;
  channel.reply = ReplyInProgress{message_id, in_reply_to, {}, std::nullopt, false, false};
  relay_locked(Kind::begun, session_id, message_id, [&](HubEvent& e) { e.in_reply_to = in_reply_to; });
  return true;
}

void Hub::storing_reply(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it != channels_.end() && it->second.reply) it->second.reply->storing = true;
}

void Hub::abandon_reply(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end()) return;
  if (it->second.reply) relay_locked(Kind::abandoned, session_id, it->second.reply->message_id, no_fill);
  it->second.reply.reset();
  drop_if_idle_locked(session_id);
}

void Hub::publish_delta(const std::string& session_id, const std::string& piece) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end() || !it->second.reply) return;
  it->second.reply->text += piece;
  broadcast_locked(session_id, chat::DeltaEvent{it->second.reply->message_id, piece});
  relay_locked(Kind::delta, session_id, it->second.reply->message_id, [&](HubEvent& e) { e.text = piece; });
}

void Hub::finish_reply(const std::string& session_id, const chat::Message& stored) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end()) return;
  it->second.reply.reset();
  reply_ended_.notify_all();
  broadcast_locked(session_id, chat::MessageEvent{stored});
  broadcast_locked(session_id, chat::DoneEvent{stored.id});
  relay_locked(Kind::finished, session_id, stored.id, [&](HubEvent& e) { e.message = stored; });
  drop_if_idle_locked(session_id);
}

void Hub::fail_reply(const std::string& session_id, const chat::Error& error) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end()) return;
  std::string reply_id, in_reply_to;
  if (auto& reply = it->second.reply) {
    reply_id = reply->message_id;
    in_reply_to = reply->in_reply_to;
  }
  it->second.reply.reset();
  reply_ended_.notify_all();
  broadcast_locked(session_id, chat::ErrorEvent{error, reply_id, in_reply_to});
  relay_locked(Kind::failed, session_id, reply_id, [&](HubEvent& e) {
    e.error = error;
    e.in_reply_to = in_reply_to;
  });
  drop_if_idle_locked(session_id);
}

void Hub::interrupt_orphan(const std::string& session_id, const std::string& reply_id,
                           const std::string& in_reply_to, const chat::Error& error) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it != channels_.end()) {
    if (reply_is(it->second.reply, reply_id)) it->second.reply.reset();
    broadcast_locked(session_id, chat::ErrorEvent{error, reply_id, in_reply_to});
    drop_if_idle_locked(session_id);
  }
  relay_locked(Kind::failed, session_id, reply_id, [&](HubEvent& e) {
    e.error = error;
    e.in_reply_to = in_reply_to;
  });
}

void Hub::publish_message(const std::string& session_id, const chat::Message& message) {
  std::lock_guard lock(mutex_);
  if (channels_.count(session_id)) broadcast_locked(session_id, chat::MessageEvent{message});
  relay_locked(Kind::message, session_id, message.id, [&](HubEvent& e) { e.message = message; });
}

bool Hub::reply_in_progress(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto it = channels_.find(session_id);
  if (it == channels_.end()) return false;
  expire_locked(session_id, it->second, Clock::now());
  return it->second.reply.has_value();
}

void Hub::apply_remote(const HubEvent& event) {
  std::lock_guard lock(mutex_);
  const std::string& session_id = event.session_id;
  auto now = Clock::now();
  if (event.kind == Kind::begun) {
    // Holds the slot here too, so a POST on this instance gets a 429 meanwhile.
    // The latest word of other instances wins over a remote reply whose end was missed.
    auto& channel = channels_[session_id];
    expire_locked(session_id, channel, now);
    if (!channel.reply || channel.reply->remote_deadline) {
      channel.reply = ReplyInProgress{event.reply_id, event.in_reply_to, {}, now + remote_ttl_, false, false};
    }
    return;
  }
  auto it = channels_.find(session_id);
  if (event.kind == Kind::delta) {
    // A reply heard from its middle (this instance started or reconnected meanwhile)
    // holds the slot too, unless this instance makes one of its own.
    it = channels_.try_emplace(session_id).first;
    auto& reply = it->second.reply;
    if (!reply || (reply->remote_deadline && reply->message_id != event.reply_id)) {
      reply = ReplyInProgress{event.reply_id, {}, {}, now + remote_ttl_, true, false};
    }
  }
  if (it == channels_.end()) return;
  auto& reply = it->second.reply;
  // Only a reply of another instance ends here. A stored message with its id ends
  // it too (catching up after the relay lost events); other messages are visitors'.
  bool ends_reply = event.kind != Kind::delta && reply_is(reply, event.reply_id) &&
                    reply->remote_deadline.has_value();
  switch (event.kind) {
    case Kind::delta:
      if (reply_is(reply, event.reply_id)) {
        reply->text += event.text;
        if (reply->remote_deadline) reply->remote_deadline = now + remote_ttl_;
      }
      broadcast_locked(session_id, chat::DeltaEvent{event.reply_id, event.text});
      return;
    case Kind::message:
    case Kind::finished:
      broadcast_locked(session_id, chat::MessageEvent{event.message});
      if (event.kind == Kind::finished || ends_reply) {
        broadcast_locked(session_id, chat::DoneEvent{event.message.id});
      }
      break;
    case Kind::failed:
      broadcast_locked(session_id, chat::ErrorEvent{event.error, event.reply_id, event.in_reply_to});
      break;
    case Kind::abandoned:
    case Kind::begun: break;
  }
  if (ends_reply) reply.reset();
  drop_if_idle_locked(session_id);
}

void Hub::expire_remote() {
  std::lock_guard lock(mutex_);
  auto now = Clock::now();
  for (auto it = channels_.begin(); it != channels_.end();) {
    expire_locked(it->first, it->second, now);
    if (it->second.subscribers.empty() && !it->second.reply) {
      it = channels_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<std::string> Hub::watched_sessions() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [id, channel] : channels_) {
    if (!channel.subscribers.empty()) ids.push_back(id);
  }
  return ids;
}

void Hub::shutdown() {
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  reply_ended_.notify_all();
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

void Hub::expire_locked(const std::string& session_id, Channel& channel, Clock::time_point now) {
  auto& reply = channel.reply;
  if (!reply || !reply->remote_deadline || now < *reply->remote_deadline) return;
  kit::log_event("warn", "remote reply expired", {{"session", session_id}, {"reply", reply->message_id}});
  chat::ErrorEvent event{chat::Error(chat::ErrorCode::reply_interrupted,
                                     "the server making this reply stopped answering; ask again"),
                         reply->message_id, reply->in_reply_to};
  reply.reset();
  for (auto* sub : channel.subscribers) sub->push(event);
}

}  // namespace agent_server
