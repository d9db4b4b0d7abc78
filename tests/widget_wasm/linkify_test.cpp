#include <catch2/catch.hpp>

#include "linkify.hpp"

using widget::linkify;
using widget::Segment;
using Segments = std::vector<Segment>;

TEST_CASE("plain text stays one segment, markup included") {
  CHECK(linkify("Nous sommes ouverts") == Segments{{"Nous sommes ouverts", ""}});
  CHECK(linkify("<b>hi</b> & <script>") == Segments{{"<b>hi</b> & <script>", ""}});
  CHECK(linkify("").empty());
}

TEST_CASE("http and https links become links") {
  CHECK(linkify("Menu: https://example.com/menu now") ==
        Segments{{"Menu: ", ""}, {"https://example.com/menu", "https://example.com/menu"}, {" now", ""}});
  CHECK(linkify("http://a.fr") == Segments{{"http://a.fr", "http://a.fr"}});
}

TEST_CASE("www links get https") {
  CHECK(linkify("voir www.resto.fr.") ==
        Segments{{"voir ", ""}, {"www.resto.fr", "https://www.resto.fr"}, {".", ""}});
}

TEST_CASE("trailing punctuation stays outside, balanced parentheses inside") {
  CHECK(linkify("(https://a.fr/x)") == Segments{{"(", ""}, {"https://a.fr/x", "https://a.fr/x"}, {")", ""}});
  CHECK(linkify("https://w.org/Paris_(France)!") ==
        Segments{{"https://w.org/Paris_(France)", "https://w.org/Paris_(France)"}, {"!", ""}});
}

TEST_CASE("other schemes and glued prefixes are never links") {
  CHECK(linkify("javascript:alert(1)") == Segments{{"javascript:alert(1)", ""}});
  CHECK(linkify("xhttps://a.fr") == Segments{{"xhttps://a.fr", ""}});
  CHECK(linkify("https:// nothing") == Segments{{"https:// nothing", ""}});
  CHECK(linkify("data:text/html,<script>") == Segments{{"data:text/html,<script>", ""}});
}

TEST_CASE("a link ends at a quote or an angle bracket") {
  CHECK(linkify("https://a.fr/\"onmouseover=x") ==
        Segments{{"https://a.fr/", "https://a.fr/"}, {"\"onmouseover=x", ""}});
}
