#include "pg_events.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "chat/random.hpp"
#include "kit/log.hpp"
#include "pg_storage.hpp"

namespace agent_server {
namespace {

using nlohmann::json;
using Kind = HubEvent::Kind;
using namespace std::chrono_literals;

// Room for `{"i":"<instance>","n":<20 digits>,"e":[` and `]}` around the events.
constexpr std::size_t kEnvelopeBytes = 64;
constexpr std::size_t kMaxErrorMessageBytes = 1000;
constexpr std::size_t kPayloadsPerTrip = 64;
constexpr std::size_t kMaxQueuedEvents = 100000;
constexpr auto kFirstRetry = 100ms;
constexpr auto kLastRetry = 5s;
constexpr auto kExpiryTick = 1s;
// Time to store a reply once its model is done, and for the NOTIFY to travel.
constexpr auto kReplyMargin = 5s;

constexpr std::pair<Kind, const char*> kKindNames[] = {
    {Kind::message, "m"},  {Kind::begun, "b"},  {Kind::delta, "d"},
    {Kind::finished, "f"}, {Kind::failed, "x"}, {Kind::abandoned, "a"},
};

const char* kind_name(Kind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "?";
}

// False for a name we don't know.
bool kind_from(const std::string& name, Kind& kind) {
  for (const auto& [k, n] : kKindNames) {
    if (name != n) continue;
    kind = k;
    return true;
  }
  return false;
}

bool carries_message(Kind kind) { return kind == Kind::message || kind == Kind::finished; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string encode_event(const HubEvent& e, bool by_reference) {
  json j = {{"k", kind_name(e.kind)}, {"s", e.session_id}};
  if (!e.reply_id.empty()) j["r"] = e.reply_id;
  if (!e.in_reply_to.empty()) j["q"] = e.in_reply_to;
  if (e.kind == Kind::delta) j["x"] = e.text;
  if (carries_message(e.kind) && !by_reference) to_json(j["m"], e.message);
  if (e.kind == Kind::failed) to_json(j["err"], e.error);
  return dump(j);
}

// The largest cut at or before `at` that does not split a UTF-8 sequence (0 if none).
std::size_t utf8_cut(const std::string& text, std::size_t at) {
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return at;
}

// Appends the encoded event, as several deltas when one would not fit.
void add_delta(HubEvent e, std::size_t budget, std::vector<std::string>& out) {
  std::string encoded = encode_event(e, false);
  std::size_t cut = utf8_cut(e.text, e.text.size() / 2);
  if (encoded.size() <= budget || cut == 0) {
    out.push_back(std::move(encoded));
    return;
  }
  HubEvent tail = e;
  tail.text.erase(0, cut);
  e.text.resize(cut);
  add_delta(std::move(e), budget, out);
  add_delta(std::move(tail), budget, out);
}

void add_event(const HubEvent& e, std::size_t budget, std::vector<std::string>& out) {
  if (e.kind == Kind::delta) return add_delta(e, budget, out);
  std::string encoded = encode_event(e, false);
  if (encoded.size() > budget && carries_message(e.kind)) {
    encoded = encode_event(e, true);  // stored already: the listener reads it from the database
  } else if (encoded.size() > budget && e.kind == Kind::failed) {
    HubEvent cut = e;
    cut.error.message.resize(utf8_cut(cut.error.message, kMaxErrorMessageBytes));
    encoded = encode_event(cut, false);
  }
  out.push_back(std::move(encoded));
}

std::optional<std::string> string_at(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

chat::Result<WireEvent> decode_event(const json& j) {
  chat::Error bad(chat::ErrorCode::invalid_request, "a live event is malformed");
  if (!j.is_object()) return bad;
  auto name = string_at(j, "k");
  auto session = string_at(j, "s");
  WireEvent w;
  if (!name || !session || !kind_from(*name, w.event.kind)) return bad;
  const Kind kind = w.event.kind;
  w.event.session_id = std::move(*session);
  w.event.reply_id = string_at(j, "r").value_or("");
  w.event.in_reply_to = string_at(j, "q").value_or("");
  if (kind == Kind::delta) {
    auto text = string_at(j, "x");
    if (!text) return bad;
    w.event.text = std::move(*text);
  }
  if (carries_message(kind)) {
    auto it = j.find("m");
    if (it == j.end()) {
      w.by_reference = true;
      if (w.event.reply_id.empty()) return bad;
    } else {
      auto message = chat::message_from_json(*it);
      if (!message) return bad;
      w.event.message = std::move(message).value();
    }
  }
  if (kind == Kind::failed) {
    auto it = j.find("err");
    auto error = it == j.end() ? std::nullopt : chat::decode_error(dump(*it));
    if (!error) return bad;
    w.event.error = std::move(*error);
  }
  return w;
}

// One of the two connections: logs one line when it is lost and one when it is back.
class Link {
 public:
  Link(const char* role, std::string setup_sql, std::string lock_sql = {})
      : role_(role), setup_sql_(std::move(setup_sql)), lock_sql_(std::move(lock_sql)) {}
  ~Link() { close(); }
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  PGconn* get() const { return conn_; }

  // Connects, takes the lock (a query answering true) and runs the setup statement
  // (LISTEN), once.
  chat::Result<void> connect(const std::string& url) {
    auto conn = pg_connect(url);
    if (!conn) return conn.error();
    if (!lock_sql_.empty()) {
      PgResult r(PQexec(conn.value(), lock_sql_.c_str()));
      bool locked = PQresultStatus(r.get()) == PGRES_TUPLES_OK && PQntuples(r.get()) == 1 &&
                    PQgetvalue(r.get(), 0, 0)[0] == 't';
      if (!locked) {
        std::string message = PQresultStatus(r.get()) == PGRES_TUPLES_OK ? "the instance lock is held by another"
                                                                         : pg_message(conn.value(), r.get());
        PQfinish(conn.value());
        return chat::Error(chat::ErrorCode::internal_error, "live events: " + message);
      }
    }
    if (!setup_sql_.empty()) {
      PgResult r(PQexec(conn.value(), setup_sql_.c_str()));
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
        std::string message = pg_message(conn.value(), r.get());
        PQfinish(conn.value());
        return chat::Error(chat::ErrorCode::internal_error, "live events: " + message);
      }
    }
    conn_ = conn.value();
    return {};
  }

  void lost(const std::string& error) {
    kit::log_event("warn", "live events connection lost", {{"connection", role_}, {"error", error}});
    close();
    retry_ = kFirstRetry;
  }

  // One attempt to connect again; when it fails, how long to wait before the next.
  std::optional<std::chrono::milliseconds> reconnect(const std::string& url) {
    if (connect(url)) {
      kit::log_event("info", "live events connection restored", {{"connection", role_}});
      return std::nullopt;
    }
    auto wait = retry_;
    retry_ = std::min<std::chrono::milliseconds>(retry_ * 2, kLastRetry);
    return wait;
  }

 private:
  void close() {
    if (conn_) PQfinish(conn_);
    conn_ = nullptr;
  }

  const char* role_;
  const std::string setup_sql_;
  const std::string lock_sql_;
  PGconn* conn_ = nullptr;
  std::chrono::milliseconds retry_ = kFirstRetry;
};

class PgEvents final : public HubRelay {
 public:
  PgEvents(std::string url, Hub& hub, Storage& storage)
      : url_(std::move(url)), hub_(hub), storage_(storage), wake_fd_(::eventfd(0, EFD_CLOEXEC)) {}

  ~PgEvents() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    std::uint64_t one = 1;
    [[maybe_unused]] auto written = ::write(wake_fd_, &one, sizeof one);  // else: seen within a tick
    if (sender_thread_.joinable()) sender_thread_.join();
    if (listener_thread_.joinable()) listener_thread_.join();
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  const std::string& instance() const { return instance_; }
  /// This instance as its replies name it: the key of the lock it holds.
  std::string lock_id() const { return std::to_string(lock_key_); }

  chat::Result<void> connect() {
    if (wake_fd_ < 0) return chat::Error(chat::ErrorCode::internal_error, "live events: no eventfd");
    if (auto r = listener_.connect(url_); !r) return r;
    return sender_.connect(url_);
  }

  void start() {
    sender_thread_ = std::thread([this] { send_loop(); });
    listener_thread_ = std::thread([this] { listen_loop(); });
  }

  void send(HubEvent event) override {
    {
      std::lock_guard lock(mutex_);
      if (queue_.size() >= kMaxQueuedEvents) {
        ++dropped_;
        return;
      }
      queue_.push_back(std::move(event));
    }
    cv_.notify_one();
  }

 private:
  // Sends whatever queued while the previous round trip was on the wire, in one
  // round trip (one transaction: delivered in order, all or none).
  void send_loop() {
    std::vector<std::string> payloads;  // encoded, not yet sent
    for (;;) {
      std::vector<HubEvent> events;
      std::size_t dropped = 0;
      bool stopping = false;
      {
        std::unique_lock lock(mutex_);
        if (payloads.empty()) {
          cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
          events.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
          queue_.clear();
        }
        dropped = std::exchange(dropped_, 0);
        stopping = stopping_;
      }
      if (dropped > 0) kit::log_event("warn", "live events dropped", {{"events", dropped}});
      for (auto& p : encode_payloads(instance_, next_seq_, events)) payloads.push_back(std::move(p));
      if (payloads.empty() && stopping) return;
      if (notify(payloads)) continue;
      if (stopping) {
        kit::log_event("warn", "live events dropped", {{"payloads", payloads.size()}});
        return;
      }
      if (auto wait = sender_.reconnect(url_)) pause(*wait);
    }
  }

  // Sends the payloads, kPayloadsPerTrip a round trip, removing each once sent (or
  // refused); false when the connection failed, with the rest still to send.
  bool notify(std::vector<std::string>& payloads) {
    while (!payloads.empty()) {
      PGconn* conn = sender_.get();
      if (!conn) return false;
      std::size_t count = std::min(payloads.size(), kPayloadsPerTrip);
      std::string sql;
      for (std::size_t i = 0; i < count; ++i) {
        char* literal = PQescapeLiteral(conn, payloads[i].data(), payloads[i].size());
        if (!literal) {
          refused(pg_message(conn, nullptr), 1);  // not in the connection's encoding
          continue;
        }
        sql.append("NOTIFY ").append(kEventsChannel).append(", ").append(literal).append(";");
        PQfreemem(literal);
      }
      PgResult r(PQexec(conn, sql.c_str()));
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && PQresultStatus(r.get()) != PGRES_EMPTY_QUERY) {
        if (PQstatus(conn) != CONNECTION_OK) {
          sender_.lost(pg_message(conn, r.get()));
          return false;
        }
        refused(pg_message(conn, r.get()), count);
      }
      payloads.erase(payloads.begin(), payloads.begin() + static_cast<std::ptrdiff_t>(count));
    }
    return true;
  }

  // Refused by the database, not lost on the way: sending it again would fail again.
  static void refused(const std::string& error, std::size_t payloads) {
    kit::log_event("error", "live events refused", {{"error", error}, {"payloads", payloads}});
  }

  void listen_loop() {
    auto next_expiry = std::chrono::steady_clock::now() + kExpiryTick;
    while (!stopping()) {
      if (auto now = std::chrono::steady_clock::now(); now >= next_expiry) {
        hub_.expire_remote();
        interrupt_orphans();
        next_expiry = now + kExpiryTick;
      }
      PGconn* conn = listener_.get();
      if (!conn) {
        if (auto wait = listener_.reconnect(url_)) {
          pause(*wait);
        } else {
          catch_up();
        }
        continue;
      }
      pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      ::poll(fds, 2, static_cast<int>(std::chrono::milliseconds(kExpiryTick).count()));
      if (fds[1].revents != 0) break;
      if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) {
        listener_.lost(pg_message(conn, nullptr));
        continue;
      }
      while (PGnotify* n = PQnotifies(conn)) {
        receive(n->extra);
        PQfreemem(n);
      }
    }
  }

  void receive(std::string_view payload) {
    if (payload.rfind(self_prefix_, 0) == 0) return;  // ours: applied locally already
    auto batch = decode_payload(payload);
    if (!batch) {
      kit::log_event("warn", "live event ignored", {{"error", batch.error().message}});
      return;
    }
    if (last_seq_.size() > 1024) last_seq_.clear();  // instances that restarted long ago
    auto& last = last_seq_[batch->instance];
    if (batch->seq <= last) return;  // sent again after its connection failed
    last = batch->seq;
    for (auto& w : batch->events) {
      if (w.by_reference && !load_message(w.event)) continue;
      hub_.apply_remote(w.event);
    }
  }

  bool load_message(HubEvent& event) {
    auto session = storage_.find_session(event.session_id);
    if (session) {
      for (auto& m : session->messages) {
        if (m.id != event.reply_id) continue;
        event.message = std::move(m);
        return true;
      }
    }
    kit::log_event("warn", "live event's message not found",
                   {{"session", event.session_id}, {"message", event.reply_id}});
    return false;
  }

  // After the listener was away, the streams here get what was stored meanwhile
  // (each stream skips the messages it has already written).
  void catch_up() {
    for (const auto& id : hub_.watched_sessions()) {
      auto session = storage_.find_session(id);
      if (!session) continue;
      for (auto& m : session->messages) {
        HubEvent event;
        event.session_id = id;
        event.reply_id = m.id;
        event.message = std::move(m);
        hub_.apply_remote(event);
      }
    }
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

  void pause(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, wait, [&] { return stopping_; });
  }

  // A positive 31-bit key: pg_locks shows it as objid, an unsigned oid.
  static std::int32_t random_lock_key() {
    std::uint32_t key = 0;
    for (char c : chat::random_base64url(8)) key = key * 64 + static_cast<unsigned char>(c);
    return static_cast<std::int32_t>((key & 0x7fffffffu) | 1u);
  }

  // The replies of instances that are gone (their lock with them) end here, and
  // every instance's streams hear it; each orphan is claimed by one instance.
  void interrupt_orphans() {
    auto orphans = storage_.interrupt_orphaned_replies(lock_id());
    if (!orphans) {
      kit::log_event("warn", "orphaned replies not checked", {{"error", orphans.error().message}});
      return;
    }
    for (const auto& r : orphans.value()) {
      kit::log_event("warn", "reply interrupted",
                     {{"session", r.session_id}, {"reason", "its instance is gone"}, {"instance", r.instance_id}});
      hub_.interrupt_orphan(r.session_id, r.reply_id, r.in_reply_to,
                            chat::Error::localized(chat::ErrorCode::reply_interrupted, r.lang));
    }
  }

  const std::string url_;
  Hub& hub_;
  Storage& storage_;
  const std::string instance_ = chat::random_base64url(16);
  const std::int32_t lock_key_ = random_lock_key();
  const std::string self_prefix_ = R"({"i":")" + instance_ + R"(",)";
  const int wake_fd_;
  // The listening connection holds the instance's lock: it lives as long as we do.
  Link listener_{"listener", std::string("LISTEN ") + kEventsChannel,
                 "SELECT pg_try_advisory_lock(" + std::to_string(kInstanceLockClass) + ", " +
                     std::to_string(lock_key_) + ")"};
  Link sender_{"sender", ""};

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<HubEvent> queue_;
  std::size_t dropped_ = 0;
  bool stopping_ = false;

  std::uint64_t next_seq_ = 1;                     // sender thread only
  std::map<std::string, std::uint64_t> last_seq_;  // listener thread only
  std::thread sender_thread_;
  std::thread listener_thread_;
};

}  // namespace

std::vector<std::string> encode_payloads(const std::string& instance, std::uint64_t& next_seq,
                                         const std::vector<HubEvent>& events) {
  const std::size_t budget = kMaxPayloadBytes - kEnvelopeBytes - instance.size();
  std::vector<std::string> encoded;
  for (const auto& e : events) add_event(e, budget, encoded);

  std::vector<std::string> payloads;
  std::string body;
  auto flush = [&] {
    if (body.empty()) return;
    payloads.push_back(R"({"i":")" + instance + R"(","n":)" + std::to_string(next_seq++) + R"(,"e":[)" + body +
                       "]}");
    body.clear();
  };
  for (const auto& e : encoded) {
    if (!body.empty() && body.size() + 1 + e.size() > budget) flush();
    if (!body.empty()) body += ',';
    body += e;
  }
  flush();
  return payloads;
}

chat::Result<WireBatch> decode_payload(std::string_view payload) {
  chat::Error bad(chat::ErrorCode::invalid_request, "not a live events payload");
  auto j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad;
  auto instance = string_at(j, "i");
  auto seq = j.find("n");
  auto events = j.find("e");
  if (!instance || seq == j.end() || !seq->is_number_unsigned() || events == j.end() || !events->is_array()) {
    return bad;
  }
  WireBatch batch;
  batch.instance = std::move(*instance);
  batch.seq = seq->get<std::uint64_t>();
  for (const auto& item : *events) {
    auto event = decode_event(item);
    if (!event) return event.error();
    batch.events.push_back(std::move(event).value());
  }
  return batch;
}

std::chrono::milliseconds remote_reply_ttl(const Config& config) {
  // The longest silence of a reply in progress: the OpenAI-compatible model's
  // connect then idle timeouts, or the local model's pace.
  long long longest = std::max<long long>(static_cast<long long>(config.llm_connect_timeout_ms) +
                                              config.llm_idle_timeout_ms,
                                          config.local_model_word_ms);
  return std::chrono::milliseconds(longest) + kReplyMargin;
}

chat::Result<std::string> share_live_events(const Config& config, Hub& hub, Storage& storage) {
  if (storage.backend() != "postgres") return std::string();
  auto events = std::make_unique<PgEvents>(config.database_url, hub, storage);
  if (auto r = events->connect(); !r) return r.error();
  auto* started = events.get();
  std::string id = started->lock_id();
  kit::log_event("info", "live events shared",
                 {{"channel", kEventsChannel}, {"instance", started->instance()}, {"lockId", id}});
  hub.set_relay(std::move(events), remote_reply_ttl(config));
  started->start();
  return id;
}

}  // namespace agent_server
