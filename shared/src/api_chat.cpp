#include "chat/api/chat.hpp"

#include "api_common.hpp"
#include "chat/validation.hpp"
#include "json_fields.hpp"

namespace chat::api {
namespace {

using detail::Fields;
using nlohmann::json;  // the encoders'; the decoders read Json

}  // namespace

// ---- Requests ----------------------------------------------------------------------

Result<CreateSessionRequest> decode_create_session(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  CreateSessionRequest r;
  Fields f(*j);
  f.optional("visitorId", r.visitor_id);
  f.optional("lang", r.lang);
  if (!f.ok()) return f.error();
  if (r.visitor_id && !is_valid_visitor_id(*r.visitor_id)) return ErrorCode::invalid_visitor_id;
  if (auto e = check_lang(r.lang)) return *e;
  return r;
}

Result<PostMessageRequest> decode_post_message(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PostMessageRequest r;
  Fields f(*j);
  f.required("text", r.text);
  f.optional("id", r.id);
  if (!f.ok()) return f.error();
  if (r.id && !is_valid_uuid(*r.id)) return detail::field_invalid("id", "must be a UUID.");
  auto text = validate_message_text(r.text);
  if (!text) return text.error();
  r.text = std::move(text).value();
  return r;
}

Result<PhoneRequest> decode_phone(std::string_view body, std::string_view lang) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PhoneRequest r;
  Fields f(*j);
  f.required("phone", r.phone);
  if (!f.ok()) return f.error();
  auto phone = normalize_phone(r.phone, lang);
  if (!phone) return phone.error();
  r.phone = std::move(phone).value();
  return r;
}

Result<VerifyRequest> decode_verify(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  VerifyRequest r;
  Fields f(*j);
  f.required("code", r.code);
  if (!f.ok()) return f.error();
  if (!is_valid_code(r.code)) return detail::field_invalid("code", "must be six digits.");
  return r;
}

// ---- Responses ---------------------------------------------------------------------

Result<Session> decode_session(std::string_view body) {
  auto j = detail::parse_json(body);
  if (!j) return ErrorCode::invalid_json;
  return detail::session_from(*j);
}

Result<Message> decode_message(std::string_view body) {
  auto j = detail::parse_json(body);
  if (!j) return ErrorCode::invalid_json;
  return detail::message_from(*j);
}

Result<PhoneResponse> decode_phone_response(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  PhoneResponse r;
  Fields f(*j);
  f.required("phone", r.phone);
  f.required("expiresIn", r.expires_in);
  f.required("sendsLeft", r.sends_left);
  if (!f.ok()) return f.error();
  return r;
}

Result<VerifyResponse> decode_verify_response(std::string_view body) {
  auto j = parse_object(body);
  if (!j) return j.error();
  VerifyResponse r;
  Fields f(*j);
  f.required("verified", r.verified);
  f.required("verifiedAt", r.verified_at);
  if (!f.ok()) return f.error();
  return r;
}

// ---- Encoders ----------------------------------------------------------------------

void to_json(json& j, const CreateSessionRequest& v) {
  j = json::object();
  put_optional(j, "visitorId", v.visitor_id);
  put_optional(j, "lang", v.lang);
}

void to_json(json& j, const PostMessageRequest& v) {
  j = json{{"text", v.text}};
  put_optional(j, "id", v.id);
}

void to_json(json& j, const PhoneRequest& v) { j = json{{"phone", v.phone}}; }

void to_json(json& j, const PhoneResponse& v) {
  j = json{{"phone", v.phone}, {"expiresIn", v.expires_in}, {"sendsLeft", v.sends_left}};
}

void to_json(json& j, const VerifyRequest& v) { j = json{{"code", v.code}}; }

void to_json(json& j, const VerifyResponse& v) {
  j = json{{"verified", v.verified}, {"verifiedAt", v.verified_at}};
}

}  // namespace chat::api
