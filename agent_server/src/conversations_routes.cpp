// The restaurant's view of its agent's chats (docs/protocol.md "The restaurant's
// conversations"): list, transcript, CSV export, delete. The admin token or that
// agent's apiToken (auth.hpp authorize_agent); never a publicToken. Nothing here
// sends the visitor's id (the proof of owning a session) or a token.

#include <nlohmann/json.hpp>

#include "auth.hpp"
#include "chat/message.hpp"
#include "chat/validation.hpp"
#include "csv.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "privacy.hpp"
#include "routes.hpp"
#include "storage.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;
using nlohmann::json;

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;
constexpr std::size_t kPreviewChars = 120;

// "+33612345678" -> "+336******78": enough to recognise a number one knows, not
// to call it. Short or odd values are masked whole.
std::string mask_phone(const std::string& phone) {
  if (phone.size() < 8) return std::string(phone.size(), '*');
  return phone.substr(0, 4) + std::string(phone.size() - 6, '*') + phone.substr(phone.size() - 2);
}

// The phone as the restaurant may see it: masked, and only once it was verified
// (an unverified number is whatever the visitor typed).
std::optional<std::string> shown_phone(const SessionRecord& r) {
  if (!r.verified_at || !r.phone) return std::nullopt;
  return mask_phone(*r.phone);
}

// The first `max` characters of valid UTF-8 text, cut on a character boundary.
std::string utf8_prefix(const std::string& text, std::size_t max) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && chars++ == max) return text.substr(0, i) + "…";
  }
  return text;
}

json nullable(const std::optional<std::string>& value) { return value ? json(*value) : json(nullptr); }

// What the list and the transcript share.
json session_head(const SessionRecord& r) {
  return json{{"sessionId", r.id},
              {"createdAt", r.started_at},
              {"lastMessageAt", nullable(r.last_message_at)},
              {"messageCount", r.messages.size()},
              {"lang", r.lang},
              {"phoneVerified", r.verified_at.has_value()},
              {"phone", nullable(shown_phone(r))}};
}

json summary(const SessionRecord& r) {
  json j = session_head(r);
  j["preview"] = nullptr;
  for (const auto& m : r.messages) {
    if (m.role == chat::Role::visitor) {
      j["preview"] = utf8_prefix(m.text, kPreviewChars);
      break;
    }
  }
  return j;
}

std::string cursor_of(const SessionRecord& r) { return r.started_at + "_" + r.id; }

// `before`: a nextCursor this route gave, "<startedAt>_<sessionId>".
chat::Result<std::optional<SessionCursor>> parse_cursor(const httplib::Request& req) {
  if (!req.has_param("before")) return std::optional<SessionCursor>{};
  const std::string text = req.get_param_value("before");
  auto sep = text.find('_');
  if (text.size() > 100 || sep == std::string::npos || !chat::parse_timestamp(text.substr(0, sep)) ||
      !chat::is_valid_uuid(text.substr(sep + 1))) {
    return Error(ErrorCode::invalid_request, "before must be a nextCursor from this list");
  }
  return std::optional<SessionCursor>{SessionCursor{text.substr(0, sep), text.substr(sep + 1)}};
}

chat::Result<int> parse_limit(const httplib::Request& req) {
  if (!req.has_param("limit")) return kDefaultLimit;
  const std::string text = req.get_param_value("limit");
  const std::string message = "limit must be a whole number from 1 to " + std::to_string(kMaxLimit);
  if (text.empty() || text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos) {
    return Error(ErrorCode::invalid_request, message);
  }
  int limit = std::stoi(text);
  if (limit < 1 || limit > kMaxLimit) return Error(ErrorCode::invalid_request, message);
  return limit;
}

// Every message of every session, newest session first, one CSV row per message.
void send_csv(Services& s, Call& c, const AgentRecord& agent) {
  std::string out = csv_record(
      {"sessionId", "sessionCreatedAt", "lang", "phoneVerified", "phone", "seq", "role", "createdAt", "text"});
  std::optional<SessionCursor> after;
  while (true) {
    auto page = s.storage.list_sessions(agent.id, kMaxLimit, after);
    if (!page) return kit::send_failure(c.req, c.res, page.error());
    for (const auto& r : page.value()) {
      const std::string verified = r.verified_at ? "true" : "false";
      const std::string phone = shown_phone(r).value_or("");
      for (const auto& m : r.messages) {
        out += csv_record({r.id, r.started_at, r.lang, verified, phone, std::to_string(m.seq),
                           std::string(chat::to_string(m.role)), m.created_at, m.text});
      }
    }
    if (page->size() < static_cast<std::size_t>(kMaxLimit)) break;
    after = SessionCursor{page->back().started_at, page->back().id};
  }
  c.res.status = 200;
  c.res.set_header("Content-Disposition", "attachment; filename=\"chat-sessions-" + agent.id + ".csv\"");
  c.res.set_header("Cache-Control", "no-store");
  c.res.set_content(out, "text/csv; charset=utf-8");
}

// The session of the path (second parameter) when it is this agent's.
chat::Result<SessionRecord> find_agent_session(Services& s, const AgentRecord& agent, const std::string& id) {
  if (!chat::is_valid_uuid(id)) return Error(ErrorCode::session_not_found);
  auto session = s.storage.find_session(id);
  if (!session) return session.error();
  if (!kit::constant_time_equals(session->agent_id, agent.id)) return Error(ErrorCode::session_not_found);
  return session;
}

}  // namespace

void list_chat_sessions(Services& s, Call& c) {
  auto agent = authorize_agent(s, c);
  if (!agent) return kit::send_failure(c.req, c.res, agent.error());
  const std::string format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
  if (format == "csv") return send_csv(s, c, agent.value());
  if (format != "json")
    return kit::send_error(c.res, Error(ErrorCode::invalid_request, "format must be json or csv"));
  auto limit = parse_limit(c.req);
  if (!limit) return kit::send_error(c.res, limit.error());
  auto before = parse_cursor(c.req);
  if (!before) return kit::send_error(c.res, before.error());

  // One more than asked: whether there is a next page, without a second query.
  auto page = s.storage.list_sessions(agent->id, limit.value() + 1, before.value());
  if (!page) return kit::send_failure(c.req, c.res, page.error());
  auto& sessions = page.value();
  json next = nullptr;
  if (sessions.size() > static_cast<std::size_t>(limit.value())) {
    sessions.resize(static_cast<std::size_t>(limit.value()));
    next = cursor_of(sessions.back());
  }
  json list = json::array();
  for (const auto& r : sessions) list.push_back(summary(r));
  c.res.set_header("Cache-Control", "no-store");
  json body{{"sessions", std::move(list)}, {"nextCursor", next}};
  kit::send_json(c.res, 200, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

void get_chat_session(Services& s, Call& c) {
  auto agent = authorize_agent(s, c);
  if (!agent) return kit::send_failure(c.req, c.res, agent.error());
  auto session = find_agent_session(s, agent.value(), c.params.at(1));
  if (!session) return kit::send_failure(c.req, c.res, session.error());
  json j = session_head(session.value());
  json messages = json::array();
  for (const auto& m : session->messages) {
    json item;
    to_json(item, m);
    messages.push_back(std::move(item));
  }
  j["messages"] = std::move(messages);
  c.res.set_header("Cache-Control", "no-store");
  kit::send_json(c.res, 200, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

void delete_chat_session(Services& s, Call& c) {
  auto agent = authorize_agent(s, c);
  if (!agent) return kit::send_failure(c.req, c.res, agent.error());
  const std::string& id = c.params.at(1);
  if (!chat::is_valid_uuid(id)) return kit::send_error(c.res, Error(ErrorCode::session_not_found));
  auto deleted = s.storage.delete_session(agent->id, id);
  if (!deleted) return kit::send_failure(c.req, c.res, deleted.error());
  if (!deleted.value()) return kit::send_error(c.res, Error(ErrorCode::session_not_found));
  s.eraser.erased();
  kit::log_event("info", "chat session erased", {{"session", id}, {"agent", agent->id}, {"by", "restaurant"}});
  c.res.status = 204;
}

}  // namespace agent_server
