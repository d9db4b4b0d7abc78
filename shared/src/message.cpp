#include "chat/message.hpp"

#include <nlohmann/json.hpp>

#include "json_fields.hpp"

namespace chat {

std::string_view to_string(Role role) noexcept {
  switch (role) {
    case Role::visitor: return "visitor";
    case Role::agent: return "agent";
    case Role::system: return "system";
  }
  return "system";
}

std::optional<Role> role_from_string(std::string_view name) noexcept {
  if (name == "visitor") return Role::visitor;
  if (name == "agent") return Role::agent;
  if (name == "system") return Role::system;
  return std::nullopt;
}

std::string_view to_string(ReplyState state) noexcept {
  switch (state) {
    case ReplyState::streaming: return "streaming";
    case ReplyState::done: return "done";
    case ReplyState::failed: return "failed";
    case ReplyState::interrupted: return "interrupted";
  }
  return "failed";
}

std::optional<ReplyState> reply_state_from_string(std::string_view name) noexcept {
  for (auto state : {ReplyState::streaming, ReplyState::done, ReplyState::failed, ReplyState::interrupted}) {
    if (to_string(state) == name) return state;
  }
  return std::nullopt;
}

void to_json(nlohmann::json& j, const ReplyStatus& r) {
  j = nlohmann::json::object();
  j["id"] = r.id;
  j["inReplyTo"] = r.in_reply_to;
  j["state"] = std::string(to_string(r.state));
  if (r.error) {
    nlohmann::json body;
    to_json(body, *r.error);
    j["error"] = std::move(body["error"]);
  }
}

void to_json(nlohmann::json& j, const Message& m) {
  j = nlohmann::json::object();
  j["id"] = m.id;
  j["seq"] = m.seq;
  j["role"] = std::string(to_string(m.role));
  j["text"] = m.text;
  j["createdAt"] = m.created_at;
}

void to_json(nlohmann::json& j, const Session& s) {
  j = nlohmann::json::object();
  j["sessionId"] = s.session_id;
  j["visitorId"] = s.visitor_id;
  j["lang"] = s.lang;
  j["phoneRequired"] = s.phone_required;
  j["verified"] = s.verified;
  if (s.verified_at) j["verifiedAt"] = *s.verified_at;
  auto messages = nlohmann::json::array();
  for (const auto& m : s.messages) {
    nlohmann::json item;
    to_json(item, m);
    messages.push_back(std::move(item));
  }
  j["messages"] = std::move(messages);
  if (s.reply) to_json(j["reply"], *s.reply);
  if (s.greeting) j["greeting"] = *s.greeting;
  if (!s.suggestions.empty()) j["suggestions"] = s.suggestions;
}

Result<Message> detail::message_from(const detail::json& j) {
  if (!j.is_object()) return detail::not_an_object();
  Message m;
  std::string role;
  detail::Fields f(j);
  f.required("id", m.id);
  f.required("seq", m.seq);
  f.required("role", role);
  f.required("text", m.text);
  f.required("createdAt", m.created_at);
  if (!f.ok()) return f.error();
  if (m.seq < 0) return detail::field_invalid("seq", "must not be negative.");
  const auto parsed_role = role_from_string(role);
  if (!parsed_role) return detail::field_invalid("role", "must be visitor, agent or system.");
  m.role = *parsed_role;
  return m;
}

Result<ReplyStatus> detail::reply_status_from(const detail::json& j) {
  if (!j.is_object()) return detail::not_an_object();
  ReplyStatus r;
  std::string state;
  detail::Fields f(j);
  f.required("id", r.id);
  f.required("inReplyTo", r.in_reply_to);
  f.required("state", state);
  if (!f.ok()) return f.error();
  const auto parsed = reply_state_from_string(state);
  if (!parsed) return detail::field_invalid("state", "must be streaming, done, failed or interrupted.");
  r.state = *parsed;
  if (const auto error = j.find("error"); error != j.end() && !error->is_null()) {
    auto decoded = detail::error_from_object(*error);  // the inner object of an error body
    if (!decoded) return detail::field_invalid("error", "must be an error object.");
    r.error = std::move(decoded);
  }
  return r;
}

Result<Session> detail::session_from(const detail::json& j) {
  if (!j.is_object()) return detail::not_an_object();
  Session s;
  std::optional<std::string> lang;
  detail::Fields f(j);
  f.required("sessionId", s.session_id);
  f.required("visitorId", s.visitor_id);
  // The first contract's create response had no lang: it defaults to the product's "fr"
  // (docs/design.md#changes-from-the-first-contract).
  f.optional("lang", lang);
  f.required("phoneRequired", s.phone_required);
  f.required("verified", s.verified);
  f.optional("verifiedAt", s.verified_at);
  f.optional("greeting", s.greeting);
  const detail::json* messages = f.array("messages");
  if (!f.ok()) return f.error();
  if (lang) s.lang = *lang;
  if (const auto suggestions = j.find("suggestions"); suggestions != j.end() && !suggestions->is_null()) {
    if (!suggestions->is_array()) return detail::field_type("suggestions", "an array of strings");
    for (const auto& item : *suggestions) {
      if (!item.is_string()) return detail::field_type("suggestions", "an array of strings");
      s.suggestions.push_back(item.get<std::string>());
    }
  }
  if (const auto reply = j.find("reply"); reply != j.end() && !reply->is_null()) {
    auto status = detail::reply_status_from(*reply);
    if (!status)
      return Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("\"reply\": " + status.error().message));
    s.reply = std::move(status).value();
  }
  for (const auto& item : *messages) {
    auto m = detail::message_from(item);
    if (!m) {
      return Error(ErrorCode::invalid_request, CHAT_ERROR_MESSAGE("\"messages\": " + m.error().message));
    }
    s.messages.push_back(std::move(m).value());
  }
  return s;
}

#ifdef CHAT_JSON_SMALL
// The decoders read the small DOM here: a document of nlohmann's is written out and
// read again (tests only; the widget never has one).
namespace {
detail::json small_copy(const nlohmann::json& j) {
  return std::move(*detail::read_json(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
}
}  // namespace
Result<Message> message_from_json(const nlohmann::json& j) { return detail::message_from(small_copy(j)); }
Result<ReplyStatus> reply_status_from_json(const nlohmann::json& j) {
  return detail::reply_status_from(small_copy(j));
}
Result<Session> session_from_json(const nlohmann::json& j) { return detail::session_from(small_copy(j)); }
#else
Result<Message> message_from_json(const nlohmann::json& j) { return detail::message_from(j); }
Result<ReplyStatus> reply_status_from_json(const nlohmann::json& j) { return detail::reply_status_from(j); }
Result<Session> session_from_json(const nlohmann::json& j) { return detail::session_from(j); }
#endif

// ---- Timestamps ------------------------------------------------------------------
// Civil-date arithmetic (Howard Hinnant's days_from_civil / civil_from_days) instead
// of gmtime/timegm: the same results natively and in WASM, no time zone involved.

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
// The four-digit years that the format can hold: 0000-01-01 .. 9999-12-31.
constexpr std::int64_t kMinDays = -719'528;
constexpr std::int64_t kMaxDays = 2'932'896;

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + static_cast<std::int64_t>(doe) - 719'468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t z) noexcept {
  z += 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const auto doe = static_cast<unsigned>(z - era * 146'097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

bool is_leap(std::int64_t y) noexcept { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

void put_digits(std::string& out, std::int64_t value, int width) {
  std::string digits(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0 && value > 0; --i) {
    digits[static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out += digits;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

std::string format_timestamp(std::int64_t unix_ms) {
  // Outside years 0000..9999 the fixed-width shape breaks: clamp to its ends.
  constexpr std::int64_t kMin = kMinDays * kMsPerDay;
  constexpr std::int64_t kMax = (kMaxDays + 1) * kMsPerDay - 1;
  if (unix_ms < kMin) unix_ms = kMin;
  if (unix_ms > kMax) unix_ms = kMax;

  const std::int64_t days = floor_div(unix_ms, kMsPerDay);
  std::int64_t ms_of_day = unix_ms - days * kMsPerDay;
  const Civil c = civil_from_days(days);

  std::string out;
  out.reserve(24);
  put_digits(out, c.year, 4);
  out += '-';
  put_digits(out, c.month, 2);
  out += '-';
  put_digits(out, c.day, 2);
  out += 'T';
  put_digits(out, ms_of_day / 3'600'000, 2);
  ms_of_day %= 3'600'000;
  out += ':';
  put_digits(out, ms_of_day / 60'000, 2);
  ms_of_day %= 60'000;
  out += ':';
  put_digits(out, ms_of_day / 1000, 2);
  out += '.';
  put_digits(out, ms_of_day % 1000, 3);
  out += 'Z';
  return out;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  // Exactly "YYYY-MM-DDTHH:MM:SS.mmmZ".
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (text.size() != kShape.size()) return std::nullopt;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char want = kShape[i];
    const char got = text[i];
    if (want == 'd' ? (got < '0' || got > '9') : got != want) return std::nullopt;
  }
  const auto num = [&](std::size_t pos, std::size_t len) {
    std::int64_t v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  const std::int64_t year = num(0, 4);
  const auto month = static_cast<unsigned>(num(5, 2));
  const auto day = static_cast<unsigned>(num(8, 2));
  const std::int64_t hour = num(11, 2);
  const std::int64_t minute = num(14, 2);
  const std::int64_t second = num(17, 2);
  const std::int64_t milli = num(20, 3);
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, day);
  return days * kMsPerDay + ((hour * 60 + minute) * 60 + second) * 1000 + milli;
}

}  // namespace chat
