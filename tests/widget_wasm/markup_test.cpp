#include <catch2/catch.hpp>

#include "markup.hpp"

using widget::Lang;

TEST_CASE("the panel has every part of the DOM contract, in both languages") {
  for (Lang lang : {Lang::fr, Lang::en}) {
    std::string html = widget::panel_markup(widget::texts(lang));
    for (const char* part :
         {"messages",      "input",       "send",       "phone-input", "code-input", "error",
          "close",         "composer",    "phone-form", "code-form",   "draft",      "typing",
          "status",        "retry",       "greeting",   "suggestions", "erase",      "erase-confirmation",
          "erase-confirm", "erase-cancel"}) {
      CAPTURE(part);
      CHECK(html.find(std::string("data-part=\"") + part + "\"") != std::string::npos);
    }
    CHECK(html.find(R"(role="log" aria-live="polite")") != std::string::npos);
    CHECK(html.find(R"(role="alert")") != std::string::npos);
    // Asking again is a real button, never a submit of the composer.
    CHECK(html.find(R"(<button type="button" class="primary retry" data-part="retry" hidden>)") !=
          std::string::npos);
    // The reply in progress is isolated like every message (bidi.hpp).
    CHECK(html.find(R"(data-part="draft" dir="auto")") != std::string::npos);
    CHECK(html.find(R"(data-part="greeting" dir="auto" hidden)") != std::string::npos);
    // Suggestions sit outside the log: never announced as messages.
    CHECK(html.find(R"(data-part="suggestions" role="group")") > html.find(R"(role="log")"));
  }
  CHECK(widget::panel_markup(widget::texts(Lang::fr)).find("Nous répondons en quelques secondes") !=
        std::string::npos);
  CHECK(widget::panel_markup(widget::texts(Lang::fr)).find(R"(aria-label="Questions suggérées")") !=
        std::string::npos);
  CHECK(widget::panel_markup(widget::texts(Lang::fr)).find(">Redemander</button>") != std::string::npos);
  CHECK(widget::panel_markup(widget::texts(Lang::en)).find(">Ask again</button>") != std::string::npos);
  // Erasing: a named button (hidden until there is a session), and a confirmation
  // that says what it does, with real buttons, never a submit.
  const std::string fr = widget::panel_markup(widget::texts(Lang::fr));
  CHECK(fr.find(R"(data-part="erase" aria-label="Effacer la conversation")") != std::string::npos);
  CHECK(fr.find(R"(data-part="erase-confirmation" role="alertdialog" aria-labelledby="erase-question" hidden>)") !=
        std::string::npos);
  CHECK(fr.find(R"(<button type="button" class="primary" data-part="erase-confirm">Effacer</button>)") !=
        std::string::npos);
  CHECK(widget::panel_markup(widget::texts(Lang::en)).find(">Cancel</button>") != std::string::npos);
}
