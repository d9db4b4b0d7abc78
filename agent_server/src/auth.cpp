#include "auth.hpp"

#include "chat/validation.hpp"
#include "config.hpp"
#include "kit/client_address.hpp"
#include "kit/http.hpp"
#include "stream_ticket.hpp"

namespace agent_server {

chat::Result<Caller> authenticate(Services& s, const httplib::Request& req) {
  auto token = kit::bearer_token(req);
  if (!token) {
    return chat::Error(chat::ErrorCode::unauthorized, "send Authorization: Bearer <token>");
  }
  if (!s.config.admin_token.empty() && kit::constant_time_equals(*token, s.config.admin_token)) {
    return Caller{Principal::admin, {}};
  }
  // The lookup finds the row; the comparison that decides is constant-time.
  auto agent = s.storage.find_agent_by_token(*token);
  if (!agent) {
    if (agent.error().code == chat::ErrorCode::unauthorized) {
      return chat::Error(chat::ErrorCode::unauthorized, "unknown token");
    }
    return agent.error();
  }
  if (kit::constant_time_equals(*token, agent->api_token)) return Caller{Principal::agent_api, agent.value()};
  if (kit::constant_time_equals(*token, agent->public_token)) {
    return Caller{Principal::agent_public, agent.value()};
  }
  return chat::Error(chat::ErrorCode::unauthorized, "unknown token");
}

chat::Result<Caller> authenticate_chat(Services& s, const httplib::Request& req) {
  auto caller = authenticate(s, req);
  if (!caller) return caller;
  if (caller->principal == Principal::admin) {
    return chat::Error(chat::ErrorCode::unauthorized, "the chat API takes an agent's apiToken or publicToken");
  }
  if (auto r = check_origin(req, caller.value()); !r) return r.error();
  return caller;
}

chat::Result<void> check_origin(const httplib::Request& req, const Caller& caller) {
  if (!req.has_header("Origin")) return {};
  const std::string origin = req.get_header_value("Origin");
  if (caller.principal == Principal::agent_api) {
    return chat::Error(chat::ErrorCode::forbidden,
                       "the apiToken is for servers and never sent from a page: use the agent's publicToken");
  }
  for (const auto& allowed : caller.agent.chat_allowed_origins) {
    if (allowed == origin) return {};
  }
  return chat::Error(chat::ErrorCode::origin_not_allowed, "this agent's chat does not allow calls from " +
                                                              origin.substr(0, 200) + " (chatAllowedOrigins)");
}

chat::Result<TicketHolder> authenticate_ticket(Services& s, const httplib::Request& req, const std::string& ticket,
                                               const std::string& session_id) {
  const chat::Error refused(chat::ErrorCode::unauthorized, "not a stream ticket of this session");
  auto parsed = parse_stream_ticket(ticket);
  if (!parsed || parsed->session_id != session_id) return refused;
  auto session = s.storage.find_session(session_id);
  if (!session) return session.error().code == chat::ErrorCode::session_not_found ? refused : session.error();
  auto agent = s.storage.find_agent(session->agent_id);
  if (!agent) return agent.error().code == chat::ErrorCode::agent_not_found ? refused : agent.error();
  if (!stream_ticket_signed(*parsed, agent->api_token, session->visitor_id)) return refused;
  if (parsed->expires <= unix_seconds_now()) {
    return chat::Error(chat::ErrorCode::stream_ticket_expired,
                       "this stream ticket has expired: load the session (GET) for a new one");
  }
  Caller caller{Principal::agent_public, std::move(agent).value()};
  if (auto r = check_origin(req, caller); !r) return r.error();
  return TicketHolder{std::move(caller.agent), session->visitor_id};
}

chat::Result<AgentRecord> authorize_agent(Services& s, Call& c) {
  auto caller = authenticate(s, c.req);
  if (!caller) return caller.error();
  const std::string& id = c.params.at(0);
  if (caller->principal == Principal::admin) return s.storage.find_agent(id);
  if (caller->principal == Principal::agent_api && kit::constant_time_equals(caller->agent.id, id)) {
    return caller->agent;
  }
  return chat::Error(chat::ErrorCode::forbidden, "this token does not open this agent");
}

chat::Result<SessionRecord> load_owned_session(Services& s, const AgentRecord& agent,
                                               const std::string& session_id, const std::string& visitor) {
  if (!chat::is_valid_uuid(session_id)) return chat::Error(chat::ErrorCode::session_not_found);
  auto session = s.storage.find_session(session_id);
  if (!session) return session.error();
  if (!kit::constant_time_equals(session->agent_id, agent.id) || visitor.empty() ||
      !kit::constant_time_equals(session->visitor_id, visitor)) {
    return chat::Error(chat::ErrorCode::session_not_found);
  }
  return session;
}

std::optional<chat::Error> spend_client_budget(Services& s, const httplib::Request& req, kit::Budget budget,
                                               std::string_view phone) {
  const std::string client = kit::client_address(req, s.config.trusted_proxies);
  if (s.config.trusted_proxies.contains(client)) return std::nullopt;
  if (budget == kit::Budget::sms) return s.budgets.take_sms(client, phone);
  return s.budgets.take(budget, client);
}

std::optional<VisitorPost> begin_visitor_post(Services& s, Call& c) {
  auto caller = authenticate_chat(s, c.req);
  if (!caller) {
    kit::send_failure(c.req, c.res, caller.error());
    return std::nullopt;
  }
  auto session = load_owned_session(s, caller->agent, c.params.at(0), c.req.get_header_value("X-Chat-Visitor"));
  if (!session) {
    kit::send_failure(c.req, c.res, session.error());
    return std::nullopt;
  }
  if (!caller->agent.chat_enabled) {
    kit::send_error(c.res, chat::Error(chat::ErrorCode::chat_disabled));
    return std::nullopt;
  }
  if (auto r = kit::require_json(c.req, c.body); !r) {
    kit::send_error(c.res, r.error());
    return std::nullopt;
  }
  return VisitorPost{std::move(caller->agent), std::move(session).value()};
}

}  // namespace agent_server
