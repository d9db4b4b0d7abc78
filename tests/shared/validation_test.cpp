#include <catch2/catch.hpp>

#include <string>

#include "chat/validation.hpp"

using chat::ErrorCode;
using namespace std::string_literals;

TEST_CASE("UTF-8: well-formed text is accepted") {
  for (const std::string& ok :
       {""s, "plain ASCII"s, "é"s, "€"s, "😀"s, "\x7f"s, "\0"s, "\xC2\x80"s, "\xDF\xBF"s, "\xE0\xA0\x80"s,
        "\xED\x9F\xBF"s, "\xEE\x80\x80"s, "\xEF\xBF\xBF"s, "\xF0\x90\x80\x80"s, "\xF4\x8F\xBF\xBF"s}) {
    INFO(ok);
    CHECK(chat::is_valid_utf8(ok));
  }
}

TEST_CASE("UTF-8: overlongs, surrogates, > U+10FFFF, truncated and stray bytes are refused") {
  for (const std::string& bad : {"\x80"s,
                                 "\xBF"s,
                                 "\xC0\x80"s,
                                 "\xC1\xBF"s,
                                 "\xE0\x80\x80"s,
                                 "\xE0\x9F\xBF"s,
                                 "\xF0\x80\x80\x80"s,
                                 "\xF0\x8F\xBF\xBF"s,  // overlongs
                                 "\xED\xA0\x80"s,
                                 "\xED\xBF\xBF"s,  // surrogates
                                 "\xF4\x90\x80\x80"s,
                                 "\xF5\x80\x80\x80"s,
                                 "\xFF"s,
                                 "\xFE"s,  // past U+10FFFF
                                 "\xC3"s,
                                 "\xE2\x82"s,
                                 "\xF0\x9F\x98"s,
                                 "a\xC3"s,  // truncated
                                 "\xC3\x28"s,
                                 "\xE2\x28\xA1"s,
                                 "\xF0\x9F\x98\x28"s}) {  // bad continuation
    INFO("bytes of size " << bad.size());
    CHECK_FALSE(chat::is_valid_utf8(bad));
  }
}

TEST_CASE("utf8_length counts code points") {
  CHECK(chat::utf8_length("") == 0);
  CHECK(chat::utf8_length("abc") == 3);
  CHECK(chat::utf8_length("é€😀") == 3);
}

TEST_CASE("trim removes Unicode whitespace at both ends only") {
  CHECK(chat::trim("  a b  ") == "a b");
  CHECK(chat::trim("\t\n\v\f\r a \r\n") == "a");
  CHECK(chat::trim("\xC2\xA0"
                   "a"
                   "\xC2\xA0") == "a");  // U+00A0
  CHECK(chat::trim("\xE2\x80\x80\xE2\x80\x8A"
                   "a"
                   "\xE3\x80\x80") == "a");  // U+2000, U+200A, U+3000
  CHECK(chat::trim("\xEF\xBB\xBF"
                   "a"
                   "\xEF\xBB\xBF") == "a");  // U+FEFF
  CHECK(chat::trim("\xE2\x80\xA8"
                   "a"
                   "\xE2\x80\xA9\xE2\x80\xAF\xE2\x81\x9F\xC2\x85") == "a");
  CHECK(chat::trim("\xE1\x9A\x80"
                   "a") == "a");                          // U+1680
  CHECK(chat::trim("a\xE2\x80\x8B") == "a\xE2\x80\x8B");  // U+200B is not whitespace
  CHECK(chat::trim("   ") == "");
  CHECK(chat::trim("") == "");
  CHECK(chat::trim(" é ") == "é");
  // Broken bytes at the ends are kept, not half-eaten.
  CHECK(chat::trim(" \xA0 ") == "\xA0");
  CHECK(chat::trim(" \xC2") == "\xC2");
  CHECK(chat::trim("\x80\xC2\xA0") == "\x80");
}

TEST_CASE("message text: trimmed and returned") {
  const auto r = chat::validate_message_text("  Bonjour,\n\ttable pour 4 ?  \n");
  REQUIRE(r.ok());
  CHECK(*r == "Bonjour,\n\ttable pour 4 ?");
}

TEST_CASE("message text: CRLF and CR become LF") {
  const auto r = chat::validate_message_text("a\r\nb\rc");
  REQUIRE(r.ok());
  CHECK(*r == "a\nb\nc");
}

TEST_CASE("message text: empty after trimming") {
  for (const std::string& empty : {""s, " "s, "\n\t\r\n"s, "\xC2\xA0\xE3\x80\x80"s, "\v\f"s}) {
    const auto r = chat::validate_message_text(empty);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::message_empty);
  }
}

TEST_CASE("message text: control characters other than tab and newline are invalid_request") {
  for (const std::string& bad : {"a\0b"s,
                                 "a\x01"
                                 "b"s,
                                 "bell\x07"s, "esc\x1b[31m"s,
                                 "del\x7f"
                                 "x"s,
                                 "c1\xC2\x80x"s, "c1\xC2\x9Fx"s, "a\v b"s}) {
    const auto r = chat::validate_message_text(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::invalid_request);
    CHECK_THAT(r.error().message, Catch::Contains("control"));
  }
}

TEST_CASE("message text: invalid UTF-8") {
  const auto r = chat::validate_message_text("caf\xE9");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::invalid_utf8);
}

TEST_CASE("message text: 2000 code points pass, 2001 do not") {
  std::string at_limit;
  for (std::size_t i = 0; i < chat::kMaxMessageChars; ++i) at_limit += "é";  // 2 bytes each
  CHECK(chat::validate_message_text(at_limit).ok());
  CHECK(chat::validate_message_text("  " + at_limit + "  ").ok());  // trimmed first
  const auto r = chat::validate_message_text(at_limit + "x");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::message_too_long);
}

TEST_CASE("phone: French numbers") {
  for (const char* in : {"06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78", "+33 6 12 34 56 78",
                         "+33612345678", "0033612345678", "0033 6 12 34 56 78", "+33 (0)6 12 34 56 78",
                         "(+33) 6 12 34 56 78", " 06 12 34 56 78 "}) {
    INFO(in);
    const auto r = chat::normalize_phone(in, "fr");
    REQUIRE(r.ok());
    CHECK(*r == "+33612345678");
  }
}

TEST_CASE("phone: British numbers") {
  for (const char* in : {"(+44) 7700 900123", "07700 900123", "+44 7700 900123", "+447700900123",
                         "0044 7700 900123", "+44 (0)7700 900123"}) {
    INFO(in);
    const auto r = chat::normalize_phone(in, "en");
    REQUIRE(r.ok());
    CHECK(*r == "+447700900123");
  }
}

TEST_CASE("phone: Italian numbers keep their leading digit (no trunk 0)") {
  for (const char* in :
       {"333 123 4567", "3331234567", "+39 333 123 4567", "0039 333 1234567", "(+39) 333.123.4567"}) {
    INFO(in);
    const auto r = chat::normalize_phone(in, "it");
    REQUIRE(r.ok());
    CHECK(*r == "+393331234567");
  }
  for (const char* in : {"06 1234 5678", "+39 06 1234 5678", "0039 06 12345678"}) {
    INFO(in);
    const auto r = chat::normalize_phone(in, "it");
    REQUIRE(r.ok());
    CHECK(*r == "+390612345678");
  }
  CHECK(*chat::normalize_phone("+39 06 1234 5678", "fr") == "+390612345678");
  CHECK(*chat::normalize_phone("06 12 34 56 78", "fr") == "+33612345678");  // French sessions unchanged
}

TEST_CASE("phone: international numbers do not depend on the language") {
  CHECK(*chat::normalize_phone("+33612345678", "en") == "+33612345678");
  CHECK(*chat::normalize_phone("+447700900123", "fr") == "+447700900123");
  CHECK(*chat::normalize_phone("+1 (415) 555-0123", "fr") == "+14155550123");
  CHECK(*chat::normalize_phone("0049 30 1234567", "fr") == "+49301234567");
}

TEST_CASE("phone: normalising is idempotent") {
  for (const char* in : {"06 12 34 56 78", "07700 900123", "+1 415 555 0123"}) {
    const auto once = chat::normalize_phone(in, in[1] == '7' ? "en" : "fr");
    REQUIRE(once.ok());
    CHECK(*chat::normalize_phone(*once, "fr") == *once);
    CHECK(*chat::normalize_phone(*once, "en") == *once);
  }
}

TEST_CASE("phone: refused inputs") {
  const auto refused = [](const char* in, const char* lang) {
    INFO(in << " (" << lang << ")");
    const auto r = chat::normalize_phone(in, lang);
    CHECK_FALSE(r.ok());
    if (!r.ok()) CHECK(r.error().code == ErrorCode::invalid_phone);
  };
  refused("", "fr");
  refused("   ", "fr");
  refused("06 12 34 56 7a", "fr");  // letters
  refused("call me", "fr");
  refused("06 12 34 56", "fr");       // too short for France
  refused("06 12 34 56 78 9", "fr");  // too long for France
  refused("612345678", "fr");         // national number without its trunk 0
  refused("7700 900123", "en");
  refused("00 12 34", "fr");  // 00 prefix, then too few digits
  refused("+33 12 34", "fr");
  refused("+0 612345678", "fr");         // no country code starts with 0
  refused("+1234567", "fr");             // 7 digits: under E.164's 8
  refused("+1234567890123456", "fr");    // 16 digits: over E.164's 15
  refused("06 12 34 56 78", "de");       // national number, country unknown
  refused("733 123 4567", "it");         // Italy: a landline starts with 0, a mobile with 3
  refused("33312", "it");                // too short
  refused("333 123 4567 890", "it");     // too long
  refused("+33 6 12 34 56 78 +", "fr");  // a second plus
  refused("6+33 12", "fr");              // plus after digits
  refused("06/12/34/56/78", "fr");
  refused("06\xC2\xA0"
          "12 34 56 78",
          "fr");
  refused("+", "fr");
  refused("00", "fr");
  refused(std::string(100, '1').c_str(), "fr");
}

TEST_CASE("ids, codes, languages and positions") {
  CHECK(chat::is_valid_visitor_id("AbCdEfGhIjKlMnOpQrStUv"));  // 22
  CHECK(chat::is_valid_visitor_id(std::string(64, '-')));
  CHECK(chat::is_valid_visitor_id("abcdefghijklmnopqrstu_-0123"));
  CHECK_FALSE(chat::is_valid_visitor_id("AbCdEfGhIjKlMnOpQrStU"));  // 21
  CHECK_FALSE(chat::is_valid_visitor_id(std::string(65, 'a')));
  CHECK_FALSE(chat::is_valid_visitor_id("AbCdEfGhIjKlMnOpQrStUv+"));
  CHECK_FALSE(chat::is_valid_visitor_id("AbCdEfGhIjKlMnOpQrStUv="));
  CHECK_FALSE(chat::is_valid_visitor_id("AbCdEfGhIj KlMnOpQrStUv"));

  CHECK(chat::is_valid_uuid("3f2b8c1e-5d7a-4e9b-8c1d-2a3b4c5d6e7f"));
  CHECK_FALSE(chat::is_valid_uuid("3F2B8C1E-5D7A-4E9B-8C1D-2A3B4C5D6E7F"));
  CHECK_FALSE(chat::is_valid_uuid("3f2b8c1e5d7a-4e9b-8c1d-2a3b4c5d6e7f0"));
  CHECK_FALSE(chat::is_valid_uuid("3f2b8c1e-5d7a-4e9b-8c1d-2a3b4c5d6e7"));
  CHECK_FALSE(chat::is_valid_uuid("3f2b8c1e-5d7a-4e9b-8c1d-2a3b4c5d6e7g"));
  CHECK_FALSE(chat::is_valid_uuid(""));

  CHECK(chat::is_valid_code("012345"));
  CHECK_FALSE(chat::is_valid_code("12345"));
  CHECK_FALSE(chat::is_valid_code("1234567"));
  CHECK_FALSE(chat::is_valid_code("12345a"));
  CHECK_FALSE(chat::is_valid_code(" 12345"));
  CHECK_FALSE(chat::is_valid_code("\xD9\xA1\xD9\xA2\xD9\xA3"));  // Arabic-Indic digits

  CHECK(chat::is_supported_lang("fr"));
  CHECK(chat::is_supported_lang("en"));
  CHECK(chat::is_supported_lang("it"));
  CHECK_FALSE(chat::is_supported_lang("FR"));
  CHECK_FALSE(chat::is_supported_lang("fr-CA"));
  CHECK_FALSE(chat::is_supported_lang("de"));
  CHECK_FALSE(chat::is_supported_lang(""));

  CHECK(chat::is_valid_position("bottom-right"));
  CHECK(chat::is_valid_position("bottom-left"));
  CHECK_FALSE(chat::is_valid_position("top-left"));
  CHECK_FALSE(chat::is_valid_position("Bottom-Right"));
}

TEST_CASE("origins: scheme, host and port, as a browser sends them") {
  using chat::normalize_origin;
  CHECK(normalize_origin("https://www.chez-marcel.fr") == "https://www.chez-marcel.fr");
  CHECK(normalize_origin(" HTTPS://Www.Chez-Marcel.FR:443/ ") == "https://www.chez-marcel.fr");
  CHECK(normalize_origin("http://localhost:80") == "http://localhost");
  CHECK(normalize_origin("http://localhost:8080") == "http://localhost:8080");
  CHECK(normalize_origin("https://example.fr:080") == "https://example.fr:80");
  CHECK(normalize_origin("http://127.0.0.1:3000") == "http://127.0.0.1:3000");
  CHECK(normalize_origin("http://[::1]:3000") == "http://[::1]:3000");
  CHECK(normalize_origin("https://xn--caf-dma.fr") == "https://xn--caf-dma.fr");
  for (const char* bad : {"",
                          "null",
                          "*",
                          "https://*.example.fr",
                          "example.fr",
                          "//example.fr",
                          "ftp://example.fr",
                          "https://example.fr/path",
                          "https://example.fr//",
                          "https://example.fr?q",
                          "https://example.fr#x",
                          "https://user@example.fr",
                          "https://example.fr:",
                          "https://example.fr:0",
                          "https://example.fr:65536",
                          "https://example.fr:1:2",
                          "https://-example.fr",
                          "https://example-.fr",
                          "https://exa..mple.fr",
                          "https://.example.fr",
                          "https://café.fr",
                          "https://exa mple.fr",
                          "https://[::1",
                          "https://[]",
                          "https://[::1]x",
                          "https://[fe80::1%25eth0]",
                          "https://example.fr:+80"}) {
    INFO(bad);
    CHECK_FALSE(normalize_origin(bad));
  }
}
