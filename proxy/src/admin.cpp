#include "admin.hpp"

#include "agent_api.hpp"
#include "chat/api/restaurant_admin.hpp"
#include "chat/languages.hpp"
#include "chat/random.hpp"
#include "chat/validation.hpp"
#include "kit/log.hpp"
#include "path.hpp"

namespace proxy {

using chat::Error;
using chat::ErrorCode;
using chat::Result;

namespace {

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxTokenBytes = 128;  // the column is VARCHAR(128)

bool is_printable_token(std::string_view token) noexcept {
  if (token.empty() || token.size() > kMaxTokenBytes) return false;
  for (char ch : token) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

Result<void> check_name(std::string_view name) {
  auto trimmed = chat::trim(name);
  if (trimmed.empty()) return Error(ErrorCode::invalid_request, "name must not be empty");
  if (name.size() > kMaxNameBytes) return Error(ErrorCode::invalid_request, "name is too long");
  if (!chat::is_valid_utf8(name)) return Error(ErrorCode::invalid_utf8, "name is not valid UTF-8");
  for (char ch : name) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) return Error(ErrorCode::invalid_request, "name holds control characters");
  }
  return {};
}

void store_failed(httplib::Response& res, const Error& error) {
  kit::log_error({{"msg", "store error"}, {"error", error.message}});
  kit::send_error(res, Error(ErrorCode::internal_error));
}

}  // namespace

Result<void> check_admin(const Context& ctx, const httplib::Request& req) {
  // With no admin token configured the routes don't exist, as far as anyone can tell.
  if (!ctx.config.admin_token) return Error(ErrorCode::not_found, "no such route");
  auto token = kit::bearer_token(req);
  if (!token || !kit::constant_time_equals(*token, *ctx.config.admin_token)) {
    return Error(ErrorCode::unauthorized, "admin token missing or wrong");
  }
  return {};
}

std::string restaurant_json(const RestaurantRow& row) {
  chat::api::Restaurant out;
  out.id = row.id;
  out.name = row.name;
  out.agent_id = row.agent_id;
  out.lang = row.lang;
  out.position = row.position;
  nlohmann::json j;
  chat::api::to_json(j, out);
  j["hasToken"] = row.agent_api_token.has_value() && !row.agent_api_token->empty();
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void handle_create_restaurant(Context& ctx, const httplib::Request& req, const std::string& body,
                              httplib::Response& res) {
  if (auto ok = check_admin(ctx, req); !ok) return kit::send_error(res, ok.error());
  auto request = chat::api::decode_create_restaurant(body);
  if (!request) return kit::send_error(res, request.error());
  if (auto ok = check_name(request->name); !ok) return kit::send_error(res, ok.error());
  RestaurantRow row;
  row.id = chat::random_uuid();
  row.name = std::string(chat::trim(request->name));
  row.lang = request->lang.value_or(std::string(to_string(chat::kDefaultLang)));
  row.position = request->position.value_or("bottom-right");
  if (!chat::is_supported_lang(row.lang))
    return kit::send_error(res, Error(ErrorCode::invalid_request, "lang must be " + chat::lang_codes_text()));
  if (!chat::is_valid_position(row.position)) {
    return kit::send_error(res, Error(ErrorCode::invalid_request, "position must be bottom-right or bottom-left"));
  }

  // The agent first: if the agent server fails there is nothing of ours to undo.
  chat::api::CreateAgentRequest agent_request;
  agent_request.name = row.name;
  agent_request.prompt = request->prompt;
  auto agent = create_agent(ctx.config, agent_request, res.get_header_value("X-Request-Id"));
  if (!agent) {
    kit::log_warn({{"msg", "provisioning failed"}, {"error", agent.error().message}});
    ctx.metrics.count_upstream_error("provision");
    return kit::send_error(res, agent.error());
  }
  row.agent_id = agent->id;
  // Least privilege: the chat-scoped publicToken when the agent server has one (it
  // cannot open /api/agents), its apiToken otherwise.
  row.agent_api_token = agent->site_token();
  if (auto ok = ctx.store->insert(row); !ok) {
    // The agent exists without a restaurant; its id lets an operator find it.
    kit::log_error({{"msg", "restaurant not stored after provisioning"}, {"agentId", agent->id}});
    return store_failed(res, ok.error());
  }
  kit::log_info({{"msg", "restaurant created"},
                 {"restaurantId", row.id},
                 {"agentId", agent->id},
                 {"tokenKind", agent->public_token ? "publicToken" : "apiToken"}});
  kit::send_json(res, 201, restaurant_json(row));
}

void handle_patch_restaurant(Context& ctx, const httplib::Request& req, const std::string& body,
                             httplib::Response& res) {
  if (auto ok = check_admin(ctx, req); !ok) return kit::send_error(res, ok.error());
  auto request = chat::api::decode_patch_restaurant(body);
  if (!request) return kit::send_error(res, request.error());
  if (!is_valid_restaurant_id(request->id)) return kit::send_error(res, ErrorCode::restaurant_not_found);
  if (!is_printable_token(request->agent_api_token)) {
    return kit::send_error(res, Error(ErrorCode::invalid_request,
                                      "agentApiToken must be 1 to 128 printable ASCII characters"));
  }
  auto changed = ctx.store->set_token(request->id, request->agent_api_token);
  if (!changed) return store_failed(res, changed.error());
  if (!*changed) return kit::send_error(res, ErrorCode::restaurant_not_found);
  auto found = ctx.store->find(request->id);
  if (!found) return store_failed(res, found.error());
  if (!*found) return kit::send_error(res, ErrorCode::restaurant_not_found);
  kit::log_info({{"msg", "restaurant token set"}, {"restaurantId", request->id}});
  kit::send_json(res, 200, restaurant_json(**found));
}

void handle_get_restaurant(Context& ctx, const httplib::Request& req, httplib::Response& res) {
  if (auto ok = check_admin(ctx, req); !ok) return kit::send_error(res, ok.error());
  std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
  if (!is_valid_restaurant_id(id)) return kit::send_error(res, ErrorCode::restaurant_not_found);
  auto found = ctx.store->find(id);
  if (!found) return store_failed(res, found.error());
  if (!*found) return kit::send_error(res, ErrorCode::restaurant_not_found);
  kit::send_json(res, 200, restaurant_json(**found));
}

}  // namespace proxy
