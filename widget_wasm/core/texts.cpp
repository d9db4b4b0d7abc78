#include "texts.hpp"

namespace widget {
namespace {

std::string replace_count(const char* pattern, int n) {
  std::string out = pattern;
  auto at = out.find("%d");
  if (at != std::string::npos) {
    out.replace(at, 2, std::to_string(n));
  }
  return out;
}

std::string plural(int n, const char* one, const char* many) { return replace_count(n == 1 ? one : many, n); }

const char* base_error_text(const Texts& t, chat::ErrorCode code) {
  using chat::ErrorCode;
  switch (code) {
    case ErrorCode::chat_disabled:
    case ErrorCode::chat_unavailable:
    case ErrorCode::restaurant_not_found: return t.chat_unavailable;
    case ErrorCode::origin_not_allowed: return t.origin_not_allowed;
    case ErrorCode::phone_verification_required: return t.phone_verification_required;
    case ErrorCode::session_not_found: return t.session_not_found;
    case ErrorCode::already_verified: return t.already_verified;
    case ErrorCode::code_expired: return t.code_expired;
    case ErrorCode::invalid_code: return t.invalid_code;
    case ErrorCode::no_code_pending: return t.no_code_pending;
    case ErrorCode::payload_too_large:
    case ErrorCode::message_too_long: return t.message_too_long;
    case ErrorCode::message_empty: return t.message_empty;
    case ErrorCode::invalid_utf8: return t.invalid_utf8;
    case ErrorCode::invalid_phone: return t.invalid_phone;
    case ErrorCode::reply_in_progress: return t.reply_in_progress;
    case ErrorCode::rate_limited: return t.rate_limited;
    case ErrorCode::too_many_attempts: return t.too_many_attempts;
    case ErrorCode::model_error: return t.model_error;
    case ErrorCode::reply_interrupted: return t.reply_interrupted;
    case ErrorCode::model_unavailable: return t.model_unavailable;
    case ErrorCode::server_busy:
    case ErrorCode::server_stopping:
    case ErrorCode::database_unavailable:
    case ErrorCode::upstream_error:
    case ErrorCode::upstream_timeout:
    case ErrorCode::internal_error: return t.service_problem;
    default: return t.other_error;
  }
}

}  // namespace

std::string code_sent_text(Lang lang, std::string_view masked_phone) {
  std::string out = texts(lang).code_sent_to;
  out += masked_phone;
  out += '.';
  return out;
}

std::string unread_text(Lang lang, int count) {
  if (count <= 0) {
    return {};
  }
  const Texts& t = texts(lang);
  return plural(count, t.unread_one, t.unread_many);
}

std::string error_text(Lang lang, const chat::Error& error) {
  const Texts& t = texts(lang);
  std::string out = base_error_text(t, error.code);
  if (error.attempts_left) {
    int n = *error.attempts_left;
    out += ' ';
    out += n <= 0 ? std::string(t.no_attempts_left) : plural(n, t.attempts_left_one, t.attempts_left_many);
  }
  if (error.retry_after && *error.retry_after > 0) {
    int s = *error.retry_after;
    out += ' ';
    if (s >= 120) {
      out += plural((s + 59) / 60, t.retry_minutes_one, t.retry_minutes_many);
    } else {
      out += plural(s, t.retry_seconds_one, t.retry_seconds_many);
    }
  }
  return out;
}

}  // namespace widget
