#pragma once
/// \file The bodies of the visitor's chat, /api/chat/sessions and below
/// (docs/design.md#shapes), with their strict decoders and their encoders (encode.hpp).

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "chat/api/encode.hpp"
#include "chat/error.hpp"
#include "chat/message.hpp"

namespace chat::api {

/// POST /api/chat/sessions
struct CreateSessionRequest {
  std::optional<std::string> visitor_id;  ///< validated with is_valid_visitor_id
  std::optional<std::string> lang;        ///< "fr" or "en"

  friend bool operator==(const CreateSessionRequest& a, const CreateSessionRequest& b) {
    return a.visitor_id == b.visitor_id && a.lang == b.lang;
  }
  friend bool operator!=(const CreateSessionRequest& a, const CreateSessionRequest& b) { return !(a == b); }
};
// -> 201 Session (chat/message.hpp)

/// POST /api/chat/sessions/:id/messages -> 202 Message
struct PostMessageRequest {
  std::string text;  ///< validated and trimmed by validate_message_text
  /// The id the client gives its message (a UUID), so that sending it again after
  /// a lost answer stores it once: the server answers 200 with the stored one.
  std::optional<std::string> id;

  friend bool operator==(const PostMessageRequest& a, const PostMessageRequest& b) {
    return a.text == b.text && a.id == b.id;
  }
  friend bool operator!=(const PostMessageRequest& a, const PostMessageRequest& b) { return !(a == b); }
};

/// POST /api/chat/sessions/:id/phone -> 202 PhoneResponse
struct PhoneRequest {
  std::string phone;  ///< normalised to E.164 by normalize_phone

  friend bool operator==(const PhoneRequest& a, const PhoneRequest& b) { return a.phone == b.phone; }
  friend bool operator!=(const PhoneRequest& a, const PhoneRequest& b) { return !(a == b); }
};
struct PhoneResponse {
  std::string phone;     ///< the normalised number the code went to, masked but the last 2 digits
  int expires_in = 600;  ///< seconds the code stays valid
  int sends_left = 0;    ///< codes that may still be sent this hour

  friend bool operator==(const PhoneResponse& a, const PhoneResponse& b) {
    return a.phone == b.phone && a.expires_in == b.expires_in && a.sends_left == b.sends_left;
  }
  friend bool operator!=(const PhoneResponse& a, const PhoneResponse& b) { return !(a == b); }
};

/// POST /api/chat/sessions/:id/verify -> 200 VerifyResponse
struct VerifyRequest {
  std::string code;  ///< six digits

  friend bool operator==(const VerifyRequest& a, const VerifyRequest& b) { return a.code == b.code; }
  friend bool operator!=(const VerifyRequest& a, const VerifyRequest& b) { return !(a == b); }
};
struct VerifyResponse {
  bool verified = true;
  std::string verified_at;

  friend bool operator==(const VerifyResponse& a, const VerifyResponse& b) {
    return a.verified == b.verified && a.verified_at == b.verified_at;
  }
  friend bool operator!=(const VerifyResponse& a, const VerifyResponse& b) { return !(a == b); }
};

// ---- Codecs (their errors: chat/api/encode.hpp) ----------------------------------

Result<CreateSessionRequest> decode_create_session(std::string_view body);
Result<PostMessageRequest> decode_post_message(std::string_view body);
Result<PhoneRequest> decode_phone(std::string_view body, std::string_view lang);
Result<VerifyRequest> decode_verify(std::string_view body);

// Responses decoded by clients (the proxy, the widget, tests).
Result<Session> decode_session(std::string_view body);
Result<Message> decode_message(std::string_view body);
Result<PhoneResponse> decode_phone_response(std::string_view body);
Result<VerifyResponse> decode_verify_response(std::string_view body);

void to_json(nlohmann::json& j, const CreateSessionRequest& v);
void to_json(nlohmann::json& j, const PostMessageRequest& v);
void to_json(nlohmann::json& j, const PhoneRequest& v);
void to_json(nlohmann::json& j, const PhoneResponse& v);
void to_json(nlohmann::json& j, const VerifyRequest& v);
void to_json(nlohmann::json& j, const VerifyResponse& v);

}  // namespace chat::api
