#pragma once
// Who is calling: the admin token, or one agent's apiToken or publicToken.

#include <httplib.h>

#include <optional>

#include "kit/budgets.hpp"
#include "routes.hpp"
#include "storage.hpp"

namespace agent_server {

enum class Principal {
  admin,         ///< AGENT_SERVER_ADMIN_TOKEN: every admin route
  agent_api,     ///< an agent's apiToken: its own agent and its chat
  agent_public,  ///< an agent's publicToken: its chat only
};

struct Caller {
  Principal principal = Principal::agent_public;
  AgentRecord agent;  ///< empty for the admin
};

/// unauthorized when the bearer token is missing or matches nothing.
chat::Result<Caller> authenticate(Services& s, const httplib::Request& req);

/// For /api/chat/...: an agent's apiToken or publicToken (the admin token is not an agent's).
chat::Result<Caller> authenticate_chat(Services& s, const httplib::Request& req);

/// A browser sends `Origin` on every cross-origin call: such a chat call must come
/// from a site of the agent's chatAllowedOrigins (origin_not_allowed), and never with
/// the apiToken (forbidden: it is for servers). Without `Origin` (the site's proxy,
/// nginx, any server) there is nothing to check. authenticate_chat applies it.
chat::Result<void> check_origin(const httplib::Request& req, const Caller& caller);

/// Who opens an event stream with `?ticket=` (stream_ticket.hpp) instead of a token:
/// the session's agent (as its publicToken would) and the session's visitor id.
/// unauthorized for a ticket that is not one of this session, stream_ticket_expired
/// past its expiry, then check_origin.
struct TicketHolder {
  AgentRecord agent;
  std::string visitor_id;
};
chat::Result<TicketHolder> authenticate_ticket(Services& s, const httplib::Request& req, const std::string& ticket,
                                               const std::string& session_id);

/// The agent named by the path's first parameter, for its restaurant: the admin
/// token (unknown agent: agent_not_found), or that agent's apiToken. Any other
/// agent's token, and every publicToken, is forbidden.
chat::Result<AgentRecord> authorize_agent(Services& s, Call& c);

/// The session `session_id` of `agent`, if `visitor` owns it. An unknown session,
/// another agent's and a wrong or missing visitor all give session_not_found: the
/// visitor id is the only proof of owning a session.
chat::Result<SessionRecord> load_owned_session(Services& s, const AgentRecord& agent,
                                               const std::string& session_id, const std::string& visitor);

/// Spends one of `budget` for the request's client (kit::client_address through the
/// trusted proxies): the 429 to send when it is used up. A trusted peer speaking for
/// itself (no X-Forwarded-For: the site's backend, a health check) spends nothing.
std::optional<chat::Error> spend_client_budget(Services& s, const httplib::Request& req, kit::Budget budget,
                                               std::string_view phone = {});

/// What a visitor's POST on its session (/messages, /phone, /verify) stands on.
struct VisitorPost {
  AgentRecord agent;
  SessionRecord session;
};
/// The checks every such POST starts with, in order: an agent's chat token, the
/// session (first path parameter) that X-Chat-Visitor owns, the agent's chat on, a
/// JSON body. On a failure its error is sent and nothing comes back.
std::optional<VisitorPost> begin_visitor_post(Services& s, Call& c);

}  // namespace agent_server
