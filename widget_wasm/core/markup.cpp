#include "markup.hpp"

#include "chat/html.hpp"

namespace widget {
namespace {

// Icons: Material Symbols paths (Apache 2.0), drawn with currentColor.
std::string icon(const char* path) {
  return std::string(R"(<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=")") + path +
         R"("/></svg>)";
}
constexpr const char* kCloseIcon =
    "M6.4 19 5 17.6l5.6-5.6L5 6.4 6.4 5l5.6 5.6L17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6Z";
constexpr const char* kSendIcon = "M3 20V4l19 8Zm2-3 11.85-5L5 7v3.5l6 1.5-6 1.5Z";
// A bin (Material Symbols' "delete").
constexpr const char* kEraseIcon =
    "M7 21q-.82 0-1.41-.59Q5 19.83 5 19V6H4V4h5V3h6v1h5v2h-1v13q0 .82-.59 1.41Q17.83 21 17 21ZM17 6H7v13h10ZM9 17h2V8H9Zm4 "
    "0h2V8h-2ZM7 6v13Z";
constexpr const char* kAgentIcon =
    "M11 9H9V2H7v7H5V2H3v7c0 2.12 1.66 3.84 3.75 3.97V22h2.5v-9.03C11.34 12.84 13 11.12 13 9V2h-2v7z"
    "m5-3v8h2.5v8H21V2c-2.76 0-5 2.24-5 4z";

}  // namespace

std::string panel_markup(const Texts& t) {
  auto e = [](const char* s) { return chat::escape_html(s); };
  // The log announces additions politely; the draft and the typing dots are hidden
  // from it, so a streamed reply is read once, when its whole message is added.
  return R"(<header class="head"><div class="avatar">)" + icon(kAgentIcon) +
         R"(</div><div class="titles"><h2 class="title" id="title">)" + e(t.title) +
         R"(</h2><p class="subtitle">)" + e(t.subtitle) +
         R"(</p></div><button type="button" class="icon-button erase" data-part="erase" aria-label=")" +
         e(t.erase) + R"(" title=")" + e(t.erase) + R"(" hidden>)" + icon(kEraseIcon) +
         R"(</button><button type="button" class="icon-button close" data-part="close" aria-label=")" +
         e(t.close_chat) + R"(">)" + icon(kCloseIcon) +
         R"(</button></header><div class="confirm" data-part="erase-confirmation" role="alertdialog" )"
         R"(aria-labelledby="erase-question" hidden><p id="erase-question">)" +
         e(t.erase_question) + R"(</p><button type="button" class="primary" data-part="erase-confirm">)" +
         e(t.erase_confirm) + R"(</button><button type="button" class="link" data-part="erase-cancel">)" +
         e(t.erase_cancel) +
         R"(</button></div><p class="status" data-part="status" role="status" hidden></p>)"
         R"(<div class="messages" data-part="messages" role="log" aria-live="polite" aria-relevant="additions" )"
         R"(aria-labelledby="title" tabindex="0"><div class="msg agent greeting" data-part="greeting" dir="auto" hidden></div>)"
         R"(<div class="msg agent draft" data-part="draft" dir="auto" aria-hidden="true"></div>)"
         R"(<div class="msg agent typing" data-part="typing" aria-hidden="true"><span></span><span></span><span></span></div></div>)"
         R"(<div class="suggestions" data-part="suggestions" role="group" aria-label=")" +
         e(t.suggestions) +
         R"(" hidden></div><p class="error" data-part="error" role="alert" hidden></p>)"
         R"(<button type="button" class="primary retry" data-part="retry" hidden>)" +
         e(t.ask_again) +
         R"(</button>)"
         R"(<form class="composer" data-part="composer"><textarea data-part="input" rows="1" maxlength="2000" )"
         R"(enterkeyhint="send" aria-label=")" +
         e(t.input_label) + R"(" placeholder=")" + e(t.input_placeholder) +
         R"("></textarea><button type="submit" class="icon-button send" data-part="send" aria-label=")" +
         e(t.send) + R"(">)" + icon(kSendIcon) +
         R"(</button></form><form class="step" data-part="phone-form" hidden><p class="intro">)" +
         e(t.phone_intro) + R"(</p><label for="phone">)" + e(t.phone_label) +
         R"(</label><input id="phone" data-part="phone-input" type="tel" autocomplete="tel" inputmode="tel" maxlength="30" placeholder=")" +
         e(t.phone_placeholder) + R"("><button type="submit" class="primary" data-part="phone-submit">)" +
         e(t.phone_submit) +
         R"(</button></form><form class="step" data-part="code-form" hidden><p class="intro" data-part="code-sent"></p>)"
         R"(<label for="code">)" +
         e(t.code_label) +
         R"(</label><input id="code" data-part="code-input" type="text" autocomplete="one-time-code" inputmode="numeric" maxlength="7">)"
         R"(<button type="submit" class="primary" data-part="code-submit">)" +
         e(t.code_submit) +
         R"(</button><div class="links"><button type="button" class="link" data-part="change-number">)" +
         e(t.change_number) + R"(</button><button type="button" class="link" data-part="resend">)" +
         e(t.resend_code) + R"(</button></div></form>)";
}

}  // namespace widget
