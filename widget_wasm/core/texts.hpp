#pragma once
/// \file Every text the widget shows, in each language of chat::kLangCodes, server
/// error codes included: the visitor never sees a raw code or an English-only message.

#include <optional>
#include <string>
#include <string_view>

#include "chat/error.hpp"
#include "chat/languages.hpp"

namespace widget {

/// The product's languages (chat/languages.hpp): lang_from_tag("it-CH") is Lang::it,
/// anything unknown French.
using chat::Lang;
using chat::lang_from_tag;
using chat::to_string;

/// Every text of the widget in one language: one table per language
/// (texts_<lang>.cpp, each field set by name), listed in languages.cpp; adding a
/// language is adding a table. "%d" is replaced with a count; the "_one" and "_many"
/// pairs are the plural forms (one: n == 1).
struct Texts {
  const char* open_chat;   ///< launcher's label
  const char* close_chat;  ///< close button's label
  const char* title;       ///< dialog's name
  const char* subtitle;
  const char* input_label;
  const char* input_placeholder;
  const char* send;
  const char* phone_intro;
  const char* phone_label;
  const char* phone_placeholder;
  const char* phone_submit;
  const char* code_label;
  const char* code_submit;
  const char* change_number;
  const char* resend_code;
  const char* connecting;
  const char* reconnecting;
  const char* offline;      ///< the message stays in the input, retried later
  const char* unread_one;   ///< launcher's label suffix for 1 unread message
  const char* unread_many;  ///< "%d" is replaced with the count
  const char* session_restarted;
  const char* ask_again;       ///< the button that asks again for a failed or cut reply
  const char* suggestions;     ///< the name of the group of suggested questions
  const char* erase;           ///< the header button that erases the conversation
  const char* erase_question;  ///< its confirmation: what erasing does
  const char* erase_confirm;   ///< the confirmation's button that erases
  const char* erase_cancel;    ///< the one that keeps the conversation
  const char* you;             ///< screen-reader prefix of the visitor's messages
  const char* agent;           ///< screen-reader prefix of the agent's messages
  const char* code_sent_to;    ///< followed by the masked number and a full stop

  // The errors, by server code (error_text).
  const char* chat_unavailable;  ///< chat_disabled, chat_unavailable, restaurant_not_found
  const char* origin_not_allowed;
  const char* phone_verification_required;
  const char* session_not_found;
  const char* already_verified;
  const char* code_expired;
  const char* invalid_code;
  const char* no_code_pending;
  const char* message_too_long;  ///< also payload_too_large
  const char* message_empty;
  const char* invalid_utf8;
  const char* invalid_phone;
  const char* reply_in_progress;
  const char* rate_limited;
  const char* too_many_attempts;
  const char* model_error;
  const char* reply_interrupted;
  const char* model_unavailable;
  const char* service_problem;  ///< the server or what is behind it failed
  const char* other_error;      ///< any other code
  // Added after an error's text when the server gave them.
  const char* no_attempts_left;
  const char* attempts_left_one;
  const char* attempts_left_many;
  const char* retry_minutes_one;
  const char* retry_minutes_many;
  const char* retry_seconds_one;
  const char* retry_seconds_many;
};

/// The tables (texts_fr.cpp, texts_en.cpp, texts_it.cpp).
extern const Texts kFrench;
extern const Texts kEnglish;
extern const Texts kItalian;

/// The table of a language (languages.cpp). The browser module is built once per
/// language and links only that language's table (chat-core-<lang>.wasm; the shim
/// picks the module from data-lang): there every language gives that table.
const Texts& texts(Lang lang) noexcept;

/// "Code sent to +33 •• •• •• •• 78." with the number the server returned.
std::string code_sent_text(Lang lang, std::string_view masked_phone);
/// "You have 2 unread messages" (empty for 0).
std::string unread_text(Lang lang, int count);

/// The plain-words text for an error, with attempts left or the wait when the
/// server gave them. Never the server's own message (it may be English only).
std::string error_text(Lang lang, const chat::Error& error);

}  // namespace widget
