#include <catch2/catch.hpp>

#include "chat/html.hpp"

TEST_CASE("escape_html escapes the five characters that matter, and only them") {
  CHECK(chat::escape_html(R"(<a href="x">Tom & Jerry's</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(chat::escape_html("Écrivez votre message…") == "Écrivez votre message…");
  CHECK(chat::escape_html("") == "");
  CHECK(chat::escape_html("&amp;") == "&amp;amp;");
}
