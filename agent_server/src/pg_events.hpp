#pragma once
// Live events shared by the agent servers of one PostgreSQL database: each hub
// event goes out with NOTIFY on one channel, from a sending thread that batches
// them, and a listening thread (LISTEN on its own connection) applies the other
// instances' events to the local hub. SQLite keeps the in-process hub alone.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"
#include "config.hpp"
#include "hub.hpp"
#include "storage.hpp"

namespace agent_server {

/// The NOTIFY channel of every instance on a database.
inline constexpr const char* kEventsChannel = "agent_server_events";
/// PostgreSQL refuses a payload of 8000 bytes or more; ours stay at or under this.
inline constexpr std::size_t kMaxPayloadBytes = 7900;

/// An event as a payload carries it: whole, or a stored message by reference
/// (its id only), for the listener to read from the database.
struct WireEvent {
  HubEvent event;
  bool by_reference = false;
};

/// One NOTIFY payload: `{"i":instance,"n":seq,"e":[events]}`.
struct WireBatch {
  std::string instance;
  std::uint64_t seq = 0;
  std::vector<WireEvent> events;
};

/// Packs `events`, in order, into payloads of at most kMaxPayloadBytes numbered
/// from `next_seq` (advanced). A delta too big for one payload is split at UTF-8
/// boundaries; a stored message too big goes by reference; an error's message is cut.
std::vector<std::string> encode_payloads(const std::string& instance, std::uint64_t& next_seq,
                                         const std::vector<HubEvent>& events);
/// Reads a payload; invalid_request when it is not one of ours.
chat::Result<WireBatch> decode_payload(std::string_view payload);

/// How long a reply of another instance may stay silent before this one gives up
/// on it: its model's longest wait (connect, then idle) and a margin.
std::chrono::milliseconds remote_reply_ttl(const Config& config);

/// On PostgreSQL, joins `hub` to the other instances of the database: LISTEN is
/// in place when this returns, and the hub owns the threads from then on. The
/// listening connection holds the advisory lock (kInstanceLockClass, id) for as
/// long as the instance lives; every second the instance interrupts the replies of
/// instances whose lock is gone (Storage::interrupt_orphaned_replies). Returns the
/// id, which names this instance's replies. Does nothing on SQLite (one instance
/// per database file) and returns "".
chat::Result<std::string> share_live_events(const Config& config, Hub& hub, Storage& storage);

}  // namespace agent_server
