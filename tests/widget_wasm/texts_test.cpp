#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "texts.hpp"

using widget::Lang;

TEST_CASE("language tags pick a language of the list, French by default") {
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
    for (Lang lang : {Lang::fr, Lang::en, Lang::it}) {
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

namespace {

using widget::Texts;

// Every field of Texts: the size check below fails when a field is added and not listed.
constexpr const char* Texts::*kFields[] = {&Texts::open_chat,
                                           &Texts::close_chat,
                                           &Texts::title,
                                           &Texts::subtitle,
                                           &Texts::input_label,
                                           &Texts::input_placeholder,
                                           &Texts::send,
                                           &Texts::phone_intro,
                                           &Texts::phone_label,
                                           &Texts::phone_placeholder,
                                           &Texts::phone_submit,
                                           &Texts::code_label,
                                           &Texts::code_submit,
                                           &Texts::change_number,
                                           &Texts::resend_code,
                                           &Texts::connecting,
                                           &Texts::reconnecting,
                                           &Texts::offline,
                                           &Texts::unread_one,
                                           &Texts::unread_many,
                                           &Texts::session_restarted,
                                           &Texts::ask_again,
                                           &Texts::suggestions,
                                           &Texts::erase,
                                           &Texts::erase_question,
                                           &Texts::erase_confirm,
                                           &Texts::erase_cancel,
                                           &Texts::you,
                                           &Texts::agent,
                                           &Texts::code_sent_to,
                                           &Texts::chat_unavailable,
                                           &Texts::origin_not_allowed,
                                           &Texts::phone_verification_required,
                                           &Texts::session_not_found,
                                           &Texts::already_verified,
                                           &Texts::code_expired,
                                           &Texts::invalid_code,
                                           &Texts::no_code_pending,
                                           &Texts::message_too_long,
                                           &Texts::message_empty,
                                           &Texts::invalid_utf8,
                                           &Texts::invalid_phone,
                                           &Texts::reply_in_progress,
                                           &Texts::rate_limited,
                                           &Texts::too_many_attempts,
                                           &Texts::model_error,
                                           &Texts::reply_interrupted,
                                           &Texts::model_unavailable,
                                           &Texts::service_problem,
                                           &Texts::other_error,
                                           &Texts::no_attempts_left,
                                           &Texts::attempts_left_one,
                                           &Texts::attempts_left_many,
                                           &Texts::retry_minutes_one,
                                           &Texts::retry_minutes_many,
                                           &Texts::retry_seconds_one,
                                           &Texts::retry_seconds_many};
static_assert(sizeof(kFields) / sizeof(kFields[0]) * sizeof(const char*) == sizeof(Texts),
              "a field of Texts is not listed");

std::size_t count_of(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("every language's table: every text set, the same placeholders and edges as French's") {
  const Texts& fr = widget::texts(Lang::fr);
  for (std::size_t l = 0; l < chat::kLangCount; ++l) {
    const auto lang = static_cast<Lang>(l);
    const Texts& t = widget::texts(lang);
    for (std::size_t i = 0; i < std::size(kFields); ++i) {
      INFO(chat::to_string(lang) << ", field " << i);
      const char* text = t.*kFields[i];
      REQUIRE(text != nullptr);
      const std::string_view s(text);
      const std::string_view f(fr.*kFields[i]);
      CHECK_FALSE(s.empty());
      CHECK(count_of(s, "%d") == count_of(f, "%d"));
      CHECK(count_of(s, "%") == count_of(f, "%"));
      // "Vous : " and "Code envoyé au " are followed by more text; sentences end alike.
      CHECK((s.back() == ' ') == (f.back() == ' '));
      CHECK(s.front() != ' ');
    }
    if (lang != Lang::fr) CHECK(std::strcmp(t.send, fr.send) != 0);  // its own table
  }
}

TEST_CASE("Italian") {
  CHECK(widget::lang_from_tag("it") == Lang::it);
  CHECK(widget::lang_from_tag("it-CH") == Lang::it);
  CHECK(std::strcmp(widget::texts(Lang::it).open_chat, "Apri la chat") == 0);
  CHECK(widget::unread_text(Lang::it, 1) == "1 messaggio non letto");
  CHECK(widget::unread_text(Lang::it, 4) == "4 messaggi non letti");
  CHECK(widget::code_sent_text(Lang::it, "+39 •• 67") == "Codice inviato al +39 •• 67.");
  chat::Error e(chat::ErrorCode::invalid_code);
  e.attempts_left = 1;
  CHECK(widget::error_text(Lang::it, e) == "Il codice non è corretto. Ti resta 1 tentativo.");
  e.attempts_left = 2;
  CHECK(widget::error_text(Lang::it, e) == "Il codice non è corretto. Ti restano 2 tentativi.");
  chat::Error r(chat::ErrorCode::too_many_attempts);
  r.retry_after = 600;
  CHECK(widget::error_text(Lang::it, r) == "Troppi tentativi. Riprova tra 10 minuti.");
}

#ifndef __EMSCRIPTEN__
TEST_CASE("the shim's launcher labels are the tables' (web/chat.js), for every language and no other") {
  std::ifstream file(CHAT_WEB_DIR "/chat.js");
  REQUIRE(file);
  std::stringstream text;
  text << file.rdbuf();
  const std::string js = text.str();
  std::smatch labels;
  REQUIRE(std::regex_search(js, labels, std::regex(R"(var LABELS = \{([^}]*)\};)")));
  const std::string entries = labels[1].str();
  std::vector<std::pair<std::string, std::string>> found;
  const std::regex entry(R"((\w+): '([^']*)')");
  for (std::sregex_iterator it(entries.begin(), entries.end(), entry), end; it != end; ++it) {
    found.emplace_back((*it)[1].str(), (*it)[2].str());
  }
  REQUIRE(found.size() == chat::kLangCount);
  for (std::size_t l = 0; l < chat::kLangCount; ++l) {
    const auto lang = static_cast<Lang>(l);
    CHECK(found[l].first == chat::to_string(lang));  // French first: the shim's default
    CHECK(found[l].second == widget::texts(lang).open_chat);
  }
}
#endif
