// The admin API: /api/agents. The admin token opens every route; an agent's
// apiToken opens GET/PATCH and rotate-tokens of that agent alone; a publicToken
// opens none of them.

#include <chrono>

#include "allowed_origins.hpp"
#include "auth.hpp"
#include "chat/api/agent_admin.hpp"
#include "chat/random.hpp"
#include "chat/validation.hpp"
#include "kit/http.hpp"
#include "kit/log.hpp"
#include "routes.hpp"
#include "storage.hpp"
#include "storage_common.hpp"
#include "time_zone.hpp"

namespace agent_server {
namespace {

using chat::Error;
using chat::ErrorCode;

// The shape of a zone's name is checked with the rest of the body (shared/); whether
// the zone exists is known here, from the system's tzdata.
chat::Result<void> check_timezone(const std::optional<std::string>& timezone) {
  if (timezone && !find_time_zone(*timezone)) {
    return Error(ErrorCode::invalid_request,
                 "\"timezone\" is not a known IANA time zone (such as \"Europe/Paris\").");
  }
  return {};
}

chat::Result<void> check_settings(const std::optional<std::string>& name,
                                  const std::optional<std::string>& model) {
  if (name && (chat::trim(*name).empty() || chat::utf8_length(*name) > 255)) {
    return Error(ErrorCode::invalid_request, "name must be 1 to 255 characters");
  }
  if (model && (model->empty() || model->size() > 100)) {
    return Error(ErrorCode::invalid_request, "chatModel must be 1 to 100 characters");
  }
  return {};
}

/// The one place a stored agent becomes the admin API's body: a field the row gains is
/// sent only once it is added here.
chat::api::Agent to_body(const AgentRecord& row) {
  chat::api::Agent body;
  body.id = row.id;
  body.name = row.name;
  body.prompt = row.prompt;
  body.chat_enabled = row.chat_enabled;
  body.chat_model = row.chat_model;
  body.chat_prompt_extra = row.chat_prompt_extra;
  body.chat_phone_required = row.chat_phone_required;
  body.api_token = row.api_token;
  body.public_token = row.public_token;
  body.created_at = row.created_at;
  body.timezone = row.timezone;
  body.chat_greeting = row.chat_greeting;
  body.chat_suggestions = row.chat_suggestions;
  body.chat_allowed_origins = row.chat_allowed_origins;
  return body;
}

void send_agent(Call& c, int status, const AgentRecord& agent) {
  kit::send_json(c.res, status, chat::api::encode(to_body(agent)));
}

}  // namespace

void post_agents(Services& s, Call& c) {
  auto caller = authenticate(s, c.req);
  if (!caller) return kit::send_failure(c.req, c.res, caller.error());
  if (caller->principal != Principal::admin) {
    return kit::send_error(c.res, Error(ErrorCode::forbidden, "creating agents takes the admin token"));
  }
  if (auto r = kit::require_json(c.req, c.body); !r) return kit::send_error(c.res, r.error());
  auto request = chat::api::decode_create_agent(c.body);
  if (!request) return kit::send_error(c.res, request.error());
  if (auto r = check_settings(request->name, request->chat_model); !r) return kit::send_error(c.res, r.error());
  if (auto r = check_timezone(request->timezone); !r) return kit::send_error(c.res, r.error());

  AgentRecord agent;
  agent.id = chat::random_uuid();
  agent.name = std::string(chat::trim(request->name));
  agent.prompt = request->prompt.value_or("");
  agent.chat_enabled = request->chat_enabled.value_or(true);
  agent.chat_model = request->chat_model.value_or("local");
  agent.chat_prompt_extra = request->chat_prompt_extra.value_or("");
  agent.chat_phone_required = request->chat_phone_required.value_or(false);
  agent.timezone = request->timezone.value_or("Europe/Paris");
  agent.chat_greeting = request->chat_greeting;
  agent.chat_suggestions = request->chat_suggestions;
  agent.chat_allowed_origins = request->chat_allowed_origins.value_or(std::vector<std::string>{});
  agent.api_token = chat::random_token("ak_");
  agent.public_token = chat::random_token("pk_");
  agent.created_at = now_timestamp();
  if (auto r = s.storage.insert_agent(agent); !r) return kit::send_failure(c.req, c.res, r.error());
  s.origins.changed();
  kit::log_event("info", "agent created", {{"agent", agent.id}});
  send_agent(c, 201, agent);
}

void get_agent(Services& s, Call& c) {
  auto agent = authorize_agent(s, c);
  if (!agent) return kit::send_failure(c.req, c.res, agent.error());
  send_agent(c, 200, agent.value());
}

void patch_agent(Services& s, Call& c) {
  auto agent = authorize_agent(s, c);
  if (!agent) return kit::send_failure(c.req, c.res, agent.error());
  if (auto r = kit::require_json(c.req, c.body); !r) return kit::send_error(c.res, r.error());
  auto patch = chat::api::decode_patch_agent(c.body);
  if (!patch) return kit::send_error(c.res, patch.error());
  if (auto r = check_settings(patch->name, patch->chat_model); !r) return kit::send_error(c.res, r.error());
  if (auto r = check_timezone(patch->timezone); !r) return kit::send_error(c.res, r.error());

  AgentRecord& a = agent.value();
  if (patch->name) a.name = std::string(chat::trim(*patch->name));
  if (patch->prompt) a.prompt = *patch->prompt;
  if (patch->chat_enabled) a.chat_enabled = *patch->chat_enabled;
  if (patch->chat_model) a.chat_model = *patch->chat_model;
  if (patch->chat_prompt_extra) a.chat_prompt_extra = *patch->chat_prompt_extra;
  if (patch->chat_phone_required) a.chat_phone_required = *patch->chat_phone_required;
  if (patch->timezone) a.timezone = *patch->timezone;
  if (patch->chat_greeting) a.chat_greeting = *patch->chat_greeting;  // null: the default again
  if (patch->chat_suggestions) a.chat_suggestions = *patch->chat_suggestions;
  if (patch->chat_allowed_origins) a.chat_allowed_origins = *patch->chat_allowed_origins;
  if (auto r = s.storage.update_agent(a); !r) return kit::send_failure(c.req, c.res, r.error());
  s.origins.changed();
  send_agent(c, 200, a);
}

void rotate_tokens(Services& s, Call& c) {
  auto agent = authorize_agent(s, c);
  if (!agent) return kit::send_failure(c.req, c.res, agent.error());
  AgentRecord& a = agent.value();
  a.api_token = chat::random_token("ak_");
  a.public_token = chat::random_token("pk_");
  if (auto r = s.storage.update_agent(a); !r) return kit::send_failure(c.req, c.res, r.error());
  kit::log_event("info", "agent tokens rotated", {{"agent", a.id}});
  send_agent(c, 200, a);
}

}  // namespace agent_server
