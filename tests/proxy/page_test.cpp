#include <catch2/catch.hpp>

#include "page.hpp"

using namespace proxy;

namespace {

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

RestaurantRow restaurant(std::string name) {
  RestaurantRow r;
  r.id = "r-42";
  r.name = std::move(name);
  return r;
}

}  // namespace

TEST_CASE("the page holds the name and exactly one embed tag", "[page]") {
  auto page = render_page(restaurant("Chez Paul"));
  CHECK(page.find("<html lang=\"fr\">") != std::string::npos);
  CHECK(count(page, "<h1>Chez Paul</h1>") == 1);
  CHECK(count(page, "<script") == 1);
  CHECK(count(page, "<script src=\"/widget/chat.js\" data-api-base=\"/api/chat/r-42\" data-lang=\"fr\" "
                    "data-position=\"bottom-right\" defer></script>") == 1);
  // Nothing inline: the CSP allows no inline script or style.
  CHECK(page.find("<style") == std::string::npos);
  CHECK(page.find("style=") == std::string::npos);
  CHECK(page.find("onload") == std::string::npos);
  CHECK(page.find("{{") == std::string::npos);
}

TEST_CASE("the name is HTML-escaped", "[page]") {
  auto page = render_page(restaurant("<script>alert('x')</script> & \"Fils\" {{id}}"));
  CHECK(count(page, "<script") == 1);
  CHECK(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Fils&quot; {{id}}") !=
        std::string::npos);
}

TEST_CASE("language and position come from the restaurant, validated", "[page]") {
  auto r = restaurant("Bistro");
  r.lang = "en";
  r.position = "bottom-left";
  auto page = render_page(r);
  CHECK(page.find("<html lang=\"en\">") != std::string::npos);
  CHECK(page.find("data-lang=\"en\" data-position=\"bottom-left\"") != std::string::npos);
  r.lang = "\"><script>";
  r.position = "top";
  page = render_page(r);
  CHECK(page.find("data-lang=\"fr\" data-position=\"bottom-right\"") != std::string::npos);
  CHECK(count(page, "<script") == 1);
}

TEST_CASE("an Italian restaurant's page is in Italian", "[page]") {
  auto r = restaurant("Trattoria da Mario");
  r.lang = "it";
  auto page = render_page(r);
  CHECK(page.find("<html lang=\"it\">") != std::string::npos);
  CHECK(page.find("data-lang=\"it\"") != std::string::npos);
  CHECK(page.find("Una domanda? Scrivici in chat.") != std::string::npos);
  r.lang = "en";
  CHECK(render_page(r).find("A question? Write to us in the chat.") != std::string::npos);
  r.lang = "de";  // never stored (validated on the way in), but an older table may hold anything
  CHECK(render_page(r).find("Une question ? Écrivez-nous dans le chat.") != std::string::npos);
}

TEST_CASE("the CSP needs no unsafe-inline or unsafe-eval", "[page]") {
  std::string csp = kPageCsp;
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("'unsafe-eval'") == std::string::npos);
  CHECK(csp.find("script-src 'self' 'wasm-unsafe-eval'") != std::string::npos);
  CHECK(csp.find("connect-src 'self'") != std::string::npos);
  CHECK(render_not_found_page().find("not found") != std::string::npos);
}
