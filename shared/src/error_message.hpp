#pragma once
// CHAT_ERROR_MESSAGE(text): the English message of an error this library makes.
//
// The widget's module links chat_shared_module, this library built with
// CHAT_NO_ERROR_MESSAGES: the widget words every error from its code in the
// visitor's language (widget::error_text) and never shows an Error's message, so
// there the message is empty and none of these texts, nor default_message's table,
// is in the module (1.1 KB gzipped of it). Everywhere else (the servers, the tests)
// the messages are as written.

#include <string>

#ifdef CHAT_NO_ERROR_MESSAGES
#define CHAT_ERROR_MESSAGE(...) std::string()
#else
#define CHAT_ERROR_MESSAGE(...) (__VA_ARGS__)
#endif
