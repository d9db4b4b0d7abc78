#include "texts.hpp"

// The widget's texts in English: one field a line, by name (texts.hpp).
namespace widget {
namespace {

constexpr Texts english() {
  Texts t{};
  t.open_chat = "Open chat";
  t.close_chat = "Close chat";
  t.title = "Chat with us";
  t.subtitle = "We reply in seconds";
  t.input_label = "Your message";
  t.input_placeholder = "Write your message…";
  t.send = "Send";
  t.phone_intro = "To chat with the restaurant, please confirm your phone number. We will text you a code.";
  t.phone_label = "Phone number";
  t.phone_placeholder = "07700 900123";
  t.phone_submit = "Get the code";
  t.code_label = "Code from the text message (6 digits)";
  t.code_submit = "Verify";
  t.change_number = "Change number";
  t.resend_code = "Send a new code";
  t.connecting = "Connecting…";
  t.reconnecting = "Reconnecting…";
  t.offline = "Connection lost. Your message is kept and will be sent when we are back.";
  t.unread_one = "1 unread message";
  t.unread_many = "%d unread messages";
  t.session_restarted = "The conversation had expired: a new one has started.";
  t.ask_again = "Ask again";
  t.suggestions = "Suggested questions";
  t.erase = "Erase this conversation";
  t.erase_question =
      "Erase this conversation? Your messages will be deleted from the restaurant and from this browser.";
  t.erase_confirm = "Erase";
  t.erase_cancel = "Cancel";
  t.you = "You: ";
  t.agent = "Restaurant: ";
  t.code_sent_to = "Code sent to ";
  // Errors.
  t.chat_unavailable = "Chat is not available right now. You can call the restaurant.";
  t.origin_not_allowed = "This restaurant's chat is not available on this site.";
  t.phone_verification_required = "Please confirm your phone number first.";
  t.session_not_found = "The conversation has expired.";
  t.already_verified = "Your number is already confirmed.";
  t.code_expired = "This code has expired. Ask for a new one.";
  t.invalid_code = "That code is not right.";
  t.no_code_pending = "Ask for a code first.";
  t.message_too_long = "Your message is too long (2,000 characters at most).";
  t.message_empty = "Your message is empty.";
  t.invalid_utf8 = "Your message contains unreadable characters.";
  t.invalid_phone = "This phone number does not look valid.";
  t.reply_in_progress = "One moment: the previous reply is on its way.";
  t.rate_limited = "You are writing a bit fast.";
  t.too_many_attempts = "Too many attempts.";
  t.model_error = "Sorry, the reply could not be written. Please try again in a moment.";
  t.reply_interrupted = "The reply was cut off.";
  t.model_unavailable = "Sorry, the assistant is not available right now. Please try again in a moment.";
  t.service_problem = "The service has a problem. Please try again in a moment.";
  t.other_error = "Something went wrong. Please try again.";
  // Added after an error's text.
  t.no_attempts_left = "No attempts left: ask for a new code.";
  t.attempts_left_one = "1 attempt left.";
  t.attempts_left_many = "%d attempts left.";
  t.retry_minutes_one = "Try again in 1 minute.";
  t.retry_minutes_many = "Try again in %d minutes.";
  t.retry_seconds_one = "Try again in 1 second.";
  t.retry_seconds_many = "Try again in %d seconds.";
  return t;
}

}  // namespace

const Texts kEnglish = english();

}  // namespace widget
