#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "markdown.hpp"

using widget::Block;
using widget::BlockKind;
using widget::kBold;
using widget::kCode;
using widget::kItalic;
using widget::parse_markdown;
using widget::parse_plain;
using widget::Run;
using Runs = std::vector<Run>;

namespace Catch {
template <>
struct StringMaker<Run> {
  static std::string convert(const Run& r) {
    return "{\"" + r.text + "\" s" + std::to_string(r.style) + (r.href.empty() ? "" : " -> " + r.href) + "}";
  }
};
template <>
struct StringMaker<Block> {
  static std::string convert(const Block& b) {
    std::string out = "[" + std::to_string(static_cast<int>(b.kind)) + "#" + std::to_string(b.number);
    for (const auto& r : b.runs) out += " " + StringMaker<Run>::convert(r);
    return out + "]";
  }
};
}  // namespace Catch
using Blocks = std::vector<Block>;

namespace {

Block para(Runs runs) { return Block{BlockKind::paragraph, 0, std::move(runs)}; }
Block bullet(Runs runs) { return Block{BlockKind::bullet_item, 0, std::move(runs)}; }
Block numbered(long n, Runs runs) { return Block{BlockKind::numbered_item, n, std::move(runs)}; }
Run text(std::string t, std::uint8_t style = 0) { return Run{std::move(t), style, {}}; }
Run link(std::string t, std::string href, std::uint8_t style = 0) {
  return Run{std::move(t), style, std::move(href)};
}

// The one paragraph's runs of a one-paragraph reply.
Runs inline_of(std::string_view md) {
  Blocks b = parse_markdown(md);
  REQUIRE(b.size() == 1);
  CHECK(b[0].kind == BlockKind::paragraph);
  return b[0].runs;
}

// Every character shown, in order, whatever its style: nothing of the text is lost
// or invented, markers aside.
std::string shown(const Blocks& blocks) {
  std::string out;
  for (const auto& b : blocks) {
    for (const auto& r : b.runs) out += r.text;
    out += '|';
  }
  return out;
}

}  // namespace

TEST_CASE("plain text is one paragraph; a single newline is a line break, a blank line a new paragraph") {
  CHECK(parse_markdown("Bonjour !") == Blocks{para({text("Bonjour !")})});
  CHECK(parse_markdown("Ligne 1\nLigne 2") == Blocks{para({text("Ligne 1\nLigne 2")})});
  CHECK(parse_markdown("Un.\n\n\nDeux.\r\n") == Blocks{para({text("Un.")}), para({text("Deux.")})});
  CHECK(parse_markdown("  indented  \n   ").size() == 1);
  CHECK(parse_markdown("").empty());
  CHECK(parse_markdown("\n \n\t\n").empty());
}

TEST_CASE("bold, italics, both, and inline code") {
  CHECK(inline_of("Le **menu** du jour") == Runs{text("Le "), text("menu", kBold), text(" du jour")});
  CHECK(inline_of("__gras__ et _italique_ et *aussi*") ==
        Runs{text("gras", kBold), text(" et "), text("italique", kItalic), text(" et "), text("aussi", kItalic)});
  CHECK(inline_of("***les deux***") == Runs{text("les deux", kBold | kItalic)});
  CHECK(inline_of("**gras avec *italique* dedans**") ==
        Runs{text("gras avec ", kBold), text("italique", kBold | kItalic), text(" dedans", kBold)});
  CHECK(inline_of("tapez `**pas gras**` ici") == Runs{text("tapez "), text("**pas gras**", kCode), text(" ici")});
  CHECK(inline_of("`` a `b` c ``") == Runs{text("a `b` c", kCode)});
  CHECK(inline_of("**`code` gras**") == Runs{text("code", kBold | kCode), text(" gras", kBold)});
}

TEST_CASE("markers without their match, or that can't open or close, are text") {
  CHECK(inline_of("**Men") == Runs{text("**Men")});  // a reply cut mid-stream
  CHECK(inline_of("Le **menu") == Runs{text("Le **menu")});
  CHECK(inline_of("`open code") == Runs{text("`open code")});
  CHECK(inline_of("2 * 3 * 4 = 24") == Runs{text("2 * 3 * 4 = 24")});
  CHECK(inline_of("snake_case_name et __init__x") == Runs{text("snake_case_name et __init__x")});
  CHECK(inline_of("déjà_vu_là") == Runs{text("déjà_vu_là")});
  CHECK(inline_of("**** et ** **") == Runs{text("**** et ** **")});
  CHECK(inline_of("*a **b") == Runs{text("*a **b")});
}

TEST_CASE("streaming: every prefix of a reply parses, and the whole reply ends styled") {
  const std::string reply = "Voici **le menu** :\n- *Salade* 9 €\n- [Carte](https://resto.fr/carte)";
  for (std::size_t n = 0; n <= reply.size(); ++n) {
    Blocks b = parse_markdown(reply.substr(0, n));
    // Nothing is dropped: a prefix shows its text, markers at most in addition.
    CHECK(shown(b).size() <= n + b.size());
  }
  Blocks whole = parse_markdown(reply);
  REQUIRE(whole.size() == 3);
  CHECK(whole[1] == bullet({text("Salade", kItalic), text(" 9 €")}));
  CHECK(whole[2] == bullet({link("Carte", "https://resto.fr/carte")}));
}

TEST_CASE("bulleted and numbered lists, continuation lines, a list right after a paragraph") {
  CHECK(parse_markdown("Nos plats :\n- Salade\n* Soupe\n+ Tarte\n\nBon appétit") ==
        Blocks{para({text("Nos plats :")}), bullet({text("Salade")}), bullet({text("Soupe")}),
               bullet({text("Tarte")}), para({text("Bon appétit")})});
  CHECK(parse_markdown("1. **Entrée**\n   Soupe du jour\n2) Plat\n10. Dessert") ==
        Blocks{numbered(1, {text("Entrée", kBold), text("\nSoupe du jour")}), numbered(2, {text("Plat")}),
               numbered(10, {text("Dessert")})});
  // A line that isn't indented after an item starts a paragraph.
  CHECK(parse_markdown("- un\nfin") == Blocks{bullet({text("un")}), para({text("fin")})});
  // Not list markers: no space after, or a number glued to text.
  CHECK(parse_markdown("-5 °C\n*gras*\n3.14") ==
        Blocks{para({text("-5 °C\n"), text("gras", kItalic), text("\n3.14")})});
  CHECK(parse_markdown("  - nested") == Blocks{bullet({text("nested")})});
}

TEST_CASE("headings are shown as bold paragraphs") {
  CHECK(parse_markdown("### Notre **carte**\nTexte") ==
        Blocks{para({text("Notre carte", kBold)}), para({text("Texte")})});
  CHECK(parse_markdown("#hashtag") == Blocks{para({text("#hashtag")})});
}

TEST_CASE("links: written ones with an allowed target, bare addresses and phone numbers") {
  CHECK(inline_of("Voir [la carte](https://resto.fr/carte).") ==
        Runs{text("Voir "), link("la carte", "https://resto.fr/carte"), text(".")});
  CHECK(inline_of("[**Réserver**](https://resto.fr/r)") == Runs{link("Réserver", "https://resto.fr/r", kBold)});
  CHECK(inline_of("**[gras](https://a.fr)**") == Runs{link("gras", "https://a.fr", kBold)});
  CHECK(inline_of("[écrire](mailto:contact@resto.fr) ou [appeler](tel:+33123456789)") ==
        Runs{link("écrire", "mailto:contact@resto.fr"), text(" ou "), link("appeler", "tel:+33123456789")});
  CHECK(inline_of("Site : https://resto.fr, tél. 01 23 45 67 89.") ==
        Runs{text("Site : "), link("https://resto.fr", "https://resto.fr"), text(", tél. "),
             link("01 23 45 67 89", "tel:0123456789"), text(".")});
  CHECK(inline_of("**+33 1 23 45 67 89**") == Runs{link("+33 1 23 45 67 89", "tel:+33123456789", kBold)});
  // A bare address inside a label is the label's text, never a second link.
  CHECK(inline_of("[https://a.fr](https://b.fr)") == Runs{link("https://a.fr", "https://b.fr")});
  // Emphasis markers inside an address are the address's.
  CHECK(inline_of("https://a.fr/_x_/*y*/z") == Runs{link("https://a.fr/_x_/*y*/z", "https://a.fr/_x_/*y*/z")});
  // Not links: a title, a space, nothing after.
  CHECK(inline_of("[a](b c)") == Runs{text("[a](b c)")});
  CHECK(inline_of("[a]") == Runs{text("[a]")});
  CHECK(inline_of("[](https://a.fr)") == Runs{text("[]("), link("https://a.fr", "https://a.fr"), text(")")});
}

TEST_CASE("a link with a refused target shows its label as plain text") {
  // (With a parenthesis in the target it isn't a link at all: all of it is text.)
  CHECK(inline_of("[clic](javascript:alert(1))") == Runs{text("[clic](javascript:alert(1))")});
  CHECK(inline_of("[clic](javascript:alert%281%29)") == Runs{text("clic")});
  CHECK(inline_of("[x](JAVASCRIPT:x) [y](data:text/html,x) [z](/menu) [w](vbscript:x)") == Runs{text("x y z w")});
}

TEST_CASE("HTML in a reply is text, never markup") {
  for (const char* html : {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                           "<a href=\"javascript:alert(1)\">x</a>", "&lt;b&gt; &amp;", "<!-- x -->"}) {
    CAPTURE(html);
    CHECK(parse_markdown(html) == Blocks{para({text(html)})});
  }
}

TEST_CASE("bidi controls are gone before anything is read, links included") {
  const std::string rlo = "\u202E", pdf = "\u202C";
  CHECK(parse_markdown("Menu " + rlo + "https://resto.fr/menu" + pdf + " ici") ==
        Blocks{para({text("Menu "), link("https://resto.fr/menu", "https://resto.fr/menu"), text(" ici")})});
  CHECK(parse_markdown("*" + rlo + "x*") == Blocks{para({text("x", kItalic)})});
  CHECK(parse_markdown("\u200E").empty());
  // Nor can markup removed around stray bytes join them into one (found by the fuzzer).
  CHECK(parse_markdown("a\xE2[\x80](javascript:x)\xAE"
                       "b") == Blocks{para({text("ab")})});
  CHECK(parse_markdown("a\xE2`\x80`\xAE"
                       "b") == Blocks{para({text("a\xE2"), text("\x80", kCode),
                                            text("\xAE"
                                                 "b")})});
  CHECK(parse_plain("https://bank.fr" + rlo + "moc.live") ==
        Blocks{para({link("https://bank.frmoc.live", "https://bank.frmoc.live")})});
}

TEST_CASE("a visitor's message is plain text with links") {
  CHECK(parse_plain("**pas gras** et _pas italique_\n- pas de liste") ==
        Blocks{para({text("**pas gras** et _pas italique_\n- pas de liste")})});
  CHECK(parse_plain("rappelez-moi au 06 12 34 56 78 ou [ici](https://a.fr)") ==
        Blocks{para({text("rappelez-moi au "), link("06 12 34 56 78", "tel:0612345678"), text(" ou [ici]("),
                     link("https://a.fr", "https://a.fr"), text(")")})});
  CHECK(parse_plain("<img src=x onerror=alert(1)>") == Blocks{para({text("<img src=x onerror=alert(1)>")})});
  CHECK(parse_plain("").empty());
}

TEST_CASE("hostile input: huge runs of markers, deep nesting, NUL and invalid UTF-8") {
  // Each of these would take minutes with backtracking; the parser is linear.
  const std::string stars(100000, '*');
  CHECK(shown(parse_markdown(stars)) == stars + "|");
  CHECK(shown(parse_markdown("x" + stars + "x")) == "x" + stars + "x|");

  std::string pairs;
  for (int i = 0; i < 20000; ++i) pairs += "*a ";
  CHECK(shown(parse_markdown(pairs)).size() == pairs.size());  // no closers at all: all text

  std::string nested;
  for (int i = 0; i < 10000; ++i) nested += "**_*`[";
  nested += "x";
  for (int i = 0; i < 10000; ++i) nested += "](https://a.fr)`*_**";
  CHECK_FALSE(parse_markdown(nested).empty());

  std::string brackets(50000, '[');
  brackets += std::string(50000, ']') + "(https://a.fr)";
  CHECK_FALSE(parse_markdown(brackets).empty());

  std::string ticks;
  for (int i = 1; i < 400; ++i) ticks += std::string(static_cast<std::size_t>(i % 20 + 1), '`') + "a";
  CHECK(shown(parse_markdown(ticks)).size() <= ticks.size() + 1);

  std::string lines;
  for (int i = 0; i < 20000; ++i) lines += "- [a](https://a.fr) **b** 01 23 45 67 89\n";
  CHECK(parse_markdown(lines).size() == 20000);

  std::string urls;
  for (int i = 0; i < 20000; ++i) urls += "[a](http://";
  CHECK(shown(parse_markdown(urls)).size() >= urls.size() - 1);

  const std::string nul("a\0**b**\0c", 9);
  CHECK(parse_markdown(nul) ==
        Blocks{para({text(std::string("a\0", 2)), text("b", kBold), text(std::string("\0c", 2))})});
  // Invalid UTF-8 is kept byte for byte (the browser shows U+FFFD); markers are ASCII,
  // so no stray byte can make or break one.
  const std::string bad = "\xff**\xfe\x80**\xE2\x80";
  CHECK(parse_markdown(bad) == Blocks{para({text("\xff"), text("\xfe\x80", kBold), text("\xE2\x80")})});
}
