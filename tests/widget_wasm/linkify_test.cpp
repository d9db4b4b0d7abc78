#include <catch2/catch.hpp>

#include "linkify.hpp"

using widget::autolink_at;
using widget::link_target;

namespace {
// The link found at i, as "shown -> href", or "" when none starts there.
std::string at(std::string_view text, std::size_t i = 0) {
  auto a = autolink_at(text, i);
  return a ? std::string(text.substr(i, a->length)) + " -> " + a->href : std::string();
}
}  // namespace

TEST_CASE("http, https and www addresses are links; www gets https") {
  CHECK(at("https://example.com/menu now") == "https://example.com/menu -> https://example.com/menu");
  CHECK(at("http://a.fr") == "http://a.fr -> http://a.fr");
  CHECK(at("voir www.resto.fr.", 5) == "www.resto.fr -> https://www.resto.fr");
  CHECK(at("HTTPS://A.FR") == "HTTPS://A.FR -> HTTPS://A.FR");
}

TEST_CASE("trailing punctuation and emphasis markers stay outside, balanced parentheses inside") {
  CHECK(at("(https://a.fr/x)", 1) == "https://a.fr/x -> https://a.fr/x");
  CHECK(at("https://w.org/Paris_(France)!") == "https://w.org/Paris_(France) -> https://w.org/Paris_(France)");
  CHECK(at("**https://a.fr**", 2) == "https://a.fr -> https://a.fr");
  CHECK(at("_https://a.fr_", 1) == "https://a.fr -> https://a.fr");
}

TEST_CASE("other schemes, glued prefixes and bare prefixes are never links") {
  CHECK(at("javascript:alert(1)") == "");
  CHECK(at("xhttps://a.fr", 1) == "");
  CHECK(at("https:// nothing") == "");
  CHECK(at("data:text/html,<script>") == "");
  CHECK(at("www.") == "");
}

TEST_CASE("a link ends at a quote or an angle bracket") {
  CHECK(at("https://a.fr/\"onmouseover=x") == "https://a.fr/ -> https://a.fr/");
  CHECK(at("https://a.fr/<img>") == "https://a.fr/ -> https://a.fr/");
  CHECK(at("https://a.fr/\x7F/x") == "https://a.fr/ -> https://a.fr/");  // found by the fuzzer
}

TEST_CASE("phone numbers as people write them become tel: links") {
  CHECK(at("01 23 45 67 89") == "01 23 45 67 89 -> tel:0123456789");
  CHECK(at("01.23.45.67.89.") == "01.23.45.67.89 -> tel:0123456789");
  CHECK(at("01-23-45-67-89") == "01-23-45-67-89 -> tel:0123456789");
  CHECK(at("0123456789") == "0123456789 -> tel:0123456789");
  CHECK(at("+33 1 23 45 67 89") == "+33 1 23 45 67 89 -> tel:+33123456789");
  CHECK(at("+33 (0)1 23 45 67 89") == "+33 (0)1 23 45 67 89 -> tel:+33123456789");
  CHECK(at("+33612345678, merci") == "+33612345678 -> tel:+33612345678");
  CHECK(at("020 7946 0958") == "020 7946 0958 -> tel:02079460958");
  CHECK(at("+44 20 7946 0958") == "+44 20 7946 0958 -> tel:+442079460958");
  CHECK(at("Appelez le 01 23 45 67 89 !", 11) == "01 23 45 67 89 -> tel:0123456789");
}

TEST_CASE("prices, hours, dates and references are not phone numbers") {
  for (const char* text : {"12 €", "12h30", "2026", "01/12/2026", "12:00-14:30", "00 33 1 23 45 67 89",
                           "01 23 45 67", "0123456789123", "01 23 45 67 89a", "+0 12 34 56 78", "01  23 45 67 89",
                           "+33 1 23 45 67 89 12 34 56 78 90"}) {
    CAPTURE(text);
    CHECK(at(text) == "");
  }
  CHECK(at("ref0123456789", 3) == "");
  CHECK(at("a+33612345678", 1) == "");
}

TEST_CASE("a link's target: http(s), mailto and tel only") {
  CHECK(link_target("https://a.fr/x?y=1") == "https://a.fr/x?y=1");
  CHECK(link_target("HTTP://a.fr") == "HTTP://a.fr");
  CHECK(link_target("mailto:contact@resto.fr") == "mailto:contact@resto.fr");
  CHECK(link_target("tel:+33123456789") == "tel:+33123456789");
  CHECK(link_target("www.resto.fr") == "https://www.resto.fr");
  for (const char* url :
       {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "/menu", "menu.html",
        "//evil.example", "https://", "mailto:", "file:///etc/passwd", " https://a.fr", "java\tscript:x"}) {
    CAPTURE(url);
    CHECK(link_target(url).empty());
  }
  CHECK(link_target(std::string("https://a.fr/\0x", 15)).empty());
  CHECK(link_target("https://a.fr/\x01").empty());
}
