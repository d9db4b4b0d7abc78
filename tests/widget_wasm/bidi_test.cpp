#include <catch2/catch.hpp>

#include <string>

#include "bidi.hpp"

using widget::is_bidi_control;
using widget::strip_bidi_controls;

namespace {
// UTF-8 of the controls.
const std::string LRE = "\u202A", RLE = "\u202B", PDF = "\u202C", LRO = "\u202D", RLO = "\u202E";
const std::string LRI = "\u2066", RLI = "\u2067", FSI = "\u2068", PDI = "\u2069";
const std::string LRM = "\u200E", RLM = "\u200F", ALM = "\u061C";
}  // namespace

TEST_CASE("the bidi controls are the embeddings, overrides, isolates and marks") {
  for (char32_t c : {U'\u202A', U'\u202B', U'\u202C', U'\u202D', U'\u202E', U'\u2066', U'\u2067', U'\u2068',
                     U'\u2069', U'\u200E', U'\u200F', U'\u061C'}) {
    INFO(static_cast<unsigned>(c));
    CHECK(is_bidi_control(c));
  }
  // Neighbours and other invisible characters are not.
  for (char32_t c : {U'\u2029', U'\u202F', U'\u2065', U'\u206A', U'\u200D', U'\u200B', U'\u061B', U'\u061D', U'a',
                     U'\u05D0', U'\u0627'}) {
    INFO(static_cast<unsigned>(c));
    CHECK_FALSE(is_bidi_control(c));
  }
}

TEST_CASE("every bidi control is removed from displayed text") {
  for (const auto& c : {LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM}) {
    CHECK(strip_bidi_controls("a" + c + "b") == "ab");
    CHECK(strip_bidi_controls(c) == "");
    CHECK(strip_bidi_controls(c + c + "x" + c) == "x");
  }
}

TEST_CASE("a trojan-source reordering shows in its logical order") {
  // Displayed as "Total 80 €" with the override; the text really says 08.
  CHECK(strip_bidi_controls("Total " + RLO + "08" + PDF + " €") == "Total 08 €");
  // An isolate that would move a clause after the rest of the line.
  CHECK(strip_bidi_controls("if access " + RLI + LRI + "// admin?" + PDI + " " + PDI) == "if access // admin? ");
  // A file name that would read "invoicexlsx.exe" as "invoiceexe.xlsx".
  CHECK(strip_bidi_controls("invoice" + RLO + "xslx.exe") == "invoicexslx.exe");
}

TEST_CASE("other text is kept byte for byte") {
  for (const std::string& text : {
           std::string(),
           std::string("Nos horaires : 12h-14h30 et 19h-22h30."),
           std::string("שלום, מה שעות הפתיחה?"),
           std::string("مرحبا! ما هي ساعات العمل؟"),
           std::string("Emoji 👋🏽 et zéro\u200Dlargeur\u200B"),
           std::string("\u2029 paragraph and \u202F narrow space"),
           std::string("bad \xff\xfe bytes and a cut \xE2\x80"),
       }) {
    INFO(text);
    CHECK(strip_bidi_controls(text) == text);
  }
}

TEST_CASE("invalid UTF-8 around a control cannot join into a new control") {
  CHECK(strip_bidi_controls("\xE2" + RLO + "\x80\xAE" + "x") == "x");
  CHECK(strip_bidi_controls("\xE2\xE2" + RLO + "\x80\xAE\x80\xAE") == "");
  CHECK(strip_bidi_controls("\xD8" + ALM + "\x9C") == "");
  // Lone pieces stay (the browser shows them as U+FFFD).
  CHECK(strip_bidi_controls("\xE2\x80") == "\xE2\x80");
  CHECK(strip_bidi_controls("\x80\xAE") == "\x80\xAE");
}
