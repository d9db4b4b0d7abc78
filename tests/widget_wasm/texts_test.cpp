#include <catch2/catch.hpp>

#include <cstring>

#include "texts.hpp"

using widget::Lang;

TEST_CASE("language tags pick French or English, French by default") {
  CHECK(widget::lang_from_tag("en") == Lang::en);
  CHECK(widget::lang_from_tag("en-GB") == Lang::en);
  CHECK(widget::lang_from_tag("fr-CA") == Lang::fr);
  CHECK(widget::lang_from_tag("de") == Lang::fr);
  CHECK(widget::lang_from_tag("") == Lang::fr);
  CHECK(widget::lang_from_tag("english") == Lang::fr);
}

TEST_CASE("attempts left and waits are spelled out in both languages") {
  chat::Error e(chat::ErrorCode::invalid_code);
  e.attempts_left = 2;
  CHECK(widget::error_text(Lang::fr, e) == "Ce code n'est pas le bon. Il vous reste 2 essais.");
  CHECK(widget::error_text(Lang::en, e) == "That code is not right. 2 attempts left.");
  e.attempts_left = 1;
  CHECK(widget::error_text(Lang::en, e) == "That code is not right. 1 attempt left.");

  chat::Error r(chat::ErrorCode::too_many_attempts);
  r.retry_after = 600;
  CHECK(widget::error_text(Lang::fr, r) == "Trop d'essais. Réessayez dans 10 minutes.");
  r.retry_after = 30;
  CHECK(widget::error_text(Lang::en, r) == "Too many attempts. Try again in 30 seconds.");
}

TEST_CASE("every error code has a text that is not the server's English") {
  for (int i = 0; i <= static_cast<int>(chat::ErrorCode::upstream_timeout); ++i) {
    chat::Error e(static_cast<chat::ErrorCode>(i), "server text");
    for (Lang lang : {Lang::fr, Lang::en}) {
      auto text = widget::error_text(lang, e);
      CHECK_FALSE(text.empty());
      CHECK(text.find("server text") == std::string::npos);
    }
  }
}

TEST_CASE("a model that is down or fails has its own words") {
  CHECK(widget::error_text(Lang::fr, chat::Error(chat::ErrorCode::model_unavailable)) ==
        "Désolé, l'assistant n'est pas disponible pour le moment. Réessayez dans un instant.");
  CHECK(widget::error_text(Lang::en, chat::Error(chat::ErrorCode::model_unavailable)) ==
        "Sorry, the assistant is not available right now. Please try again in a moment.");
  CHECK(widget::error_text(Lang::en, chat::Error(chat::ErrorCode::model_error)) ==
        "Sorry, the reply could not be written. Please try again in a moment.");
}

TEST_CASE("unread counts and the code step's text") {
  CHECK(widget::unread_text(Lang::fr, 0).empty());
  CHECK(widget::unread_text(Lang::fr, 1) == "1 message non lu");
  CHECK(widget::unread_text(Lang::en, 3) == "3 unread messages");
  CHECK(widget::code_sent_text(Lang::en, "+33 •• 78") == "Code sent to +33 •• 78.");
  CHECK(std::strcmp(widget::texts(Lang::en).send, "Send") == 0);
}

TEST_CASE("a cut reply and a stopping server have their own words") {
  CHECK(widget::error_text(Lang::fr, chat::Error(chat::ErrorCode::reply_interrupted)) ==
        "La réponse a été interrompue.");
  CHECK(widget::error_text(Lang::en, chat::Error(chat::ErrorCode::reply_interrupted)) == "The reply was cut off.");
  CHECK(widget::error_text(Lang::en, chat::Error(chat::ErrorCode::server_stopping)) ==
        "The service has a problem. Please try again in a moment.");
  CHECK(std::strcmp(widget::texts(Lang::fr).ask_again, "Redemander") == 0);
  CHECK(std::strcmp(widget::texts(Lang::en).ask_again, "Ask again") == 0);
}
