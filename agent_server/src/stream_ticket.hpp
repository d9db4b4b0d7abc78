#pragma once
// The event stream's ticket (direct mode, docs/protocol.md "Direct mode"). A browser's
// EventSource cannot send headers: a session answer carries a short-lived ticket that
// opens that session's stream alone, so no token and no visitor id go in the URL.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agent_server {

/// `<sessionId>.<expiry, Unix seconds>.<MAC>`: the MAC (HMAC-SHA256, base64url) is
/// keyed with the agent's apiToken, over the session id, its visitor id and the
/// expiry. Useless for another session or visitor, after its expiry, and once the
/// agent's tokens are rotated; any instance on the same database can check it.
std::string make_stream_ticket(std::string_view key, std::string_view session_id, std::string_view visitor_id,
                               std::int64_t expires);

struct StreamTicket {
  std::string session_id;
  std::int64_t expires = 0;  ///< Unix seconds
  std::string mac;
};

/// Splits a ticket; nullopt when it does not have a ticket's shape.
std::optional<StreamTicket> parse_stream_ticket(std::string_view text);

/// Whether the ticket's MAC is the one `key` gives for `visitor_id` (constant time).
bool stream_ticket_signed(const StreamTicket& ticket, std::string_view key, std::string_view visitor_id);

/// The system clock in Unix seconds, what tickets expire by.
std::int64_t unix_seconds_now();

}  // namespace agent_server
