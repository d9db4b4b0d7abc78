#include "conversations.hpp"

#include <nlohmann/json.hpp>

#include "agent_api.hpp"
#include "path.hpp"

namespace proxy {
namespace {

using nlohmann::json;

std::string text_or(const json& j, const char* key, const char* fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// One line per conversation; the preview on one line too.
void print_session(std::ostream& out, const json& s) {
  std::string preview = text_or(s, "preview", "");
  for (char& c : preview) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  out << text_or(s, "sessionId", "?") << "  " << text_or(s, "createdAt", "-") << "  last "
      << text_or(s, "lastMessageAt", "-") << "  " << s.value("messageCount", 0) << " message(s)  "
      << text_or(s, "lang", "?") << "  phone "
      << text_or(s, "phone", s.value("phoneVerified", false) ? "verified" : "-")
      << (preview.empty() ? "" : "  \"" + preview + "\"") << "\n";
}

}  // namespace

int run_conversations(const Config& config, RestaurantStore& store, std::ostream& out, std::ostream& err) {
  const char* prefix = "chat-proxy conversations: ";
  if (!is_valid_restaurant_id(config.restaurant_id)) {
    err << prefix << "invalid restaurant id\n";
    return 1;
  }
  auto found = store.find(config.restaurant_id);
  if (!found) {
    err << prefix << "cannot read the restaurant: " << found.error().message << "\n";
    return 1;
  }
  if (!*found) {
    err << prefix << "no restaurant " << config.restaurant_id << "\n";
    return 1;
  }
  const RestaurantRow& row = **found;
  if (!row.agent_id || !is_valid_restaurant_id(*row.agent_id)) {
    err << prefix << "restaurant " << row.id << " has no agent\n";
    return 1;
  }
  std::string token;
  if (config.agent_server_admin_token) {
    token = *config.agent_server_admin_token;
  } else if (row.agent_api_token && !row.agent_api_token->empty()) {
    token = *row.agent_api_token;
  } else {
    err << prefix << "set AGENT_SERVER_ADMIN_TOKEN (the restaurant stores no agent token)\n";
    return 1;
  }

  const std::string path = "/api/agents/" + *row.agent_id + "/chat-sessions";
  auto fail = [&](const chat::Error& error) {
    err << prefix << error.message << "\n";
    if (!config.agent_server_admin_token && error.message.find("forbidden") != std::string::npos) {
      err << prefix
          << "the stored token is the chat-scoped publicToken, which cannot read conversations: "
             "set AGENT_SERVER_ADMIN_TOKEN\n";
    }
    return 1;
  };
  if (config.csv) {
    auto res = send_to_agent_server(config, "GET", path + "?format=csv", {}, token);
    if (!res) return fail(res.error());
    out << res->body;
    return 0;
  }
  std::string before;
  std::size_t count = 0;
  do {
    auto res = send_to_agent_server(config, "GET",
                                    path + "?limit=100" + (before.empty() ? "" : "&before=" + before), {}, token);
    if (!res) return fail(res.error());
    auto page = json::parse(res->body, nullptr, false);
    if (page.is_discarded() || !page.is_object() || !page.contains("sessions") || !page["sessions"].is_array()) {
      err << prefix << "the agent server sent a list we can't read\n";
      return 1;
    }
    for (const auto& s : page["sessions"]) {
      if (s.is_object()) print_session(out, s);
      ++count;
    }
    // The cursor goes back in a query: only its own alphabet (timestamp, '_', uuid).
    before = text_or(page, "nextCursor", "");
    if (before.find_first_not_of("0123456789abcdefABCDEF-:._TZ") != std::string::npos) {
      err << prefix << "the agent server sent a cursor we can't use\n";
      return 1;
    }
  } while (!before.empty());
  out << count << " conversation(s) for restaurant " << row.id << " (agent " << *row.agent_id << ")\n";
  return 0;
}

}  // namespace proxy
