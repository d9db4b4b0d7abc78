// CSV fields as RFC 4180 writes them, safe to open in a spreadsheet.
#include <catch2/catch.hpp>

#include "csv.hpp"

using agent_server::csv_field;
using agent_server::csv_record;

TEST_CASE("csv_field: plain values pass as they are, UTF-8 included") {
  CHECK(csv_field("") == "");
  CHECK(csv_field("Bonjour") == "Bonjour");
  CHECK(csv_field("Crème brûlée à 8 €") == "Crème brûlée à 8 €");
  CHECK(csv_field("2026-11-24T20:18:52.123Z") == "2026-11-24T20:18:52.123Z");
  CHECK(csv_field("a 'quote' inside") == "a 'quote' inside");
}

TEST_CASE("csv_field: commas, quotes, CR and LF are enclosed in quotes, quotes doubled") {
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("il a dit \"oui\"") == "\"il a dit \"\"oui\"\"\"");
  CHECK(csv_field("ligne 1\nligne 2") == "\"ligne 1\nligne 2\"");
  CHECK(csv_field("ligne 1\r\nligne 2") == "\"ligne 1\r\nligne 2\"");
  CHECK(csv_field("\"") == "\"\"\"\"");
}

TEST_CASE("csv_field: a value a spreadsheet would run as a formula gets a leading quote") {
  CHECK(csv_field("=1+1") == "'=1+1");
  CHECK(csv_field("+33612345678") == "'+33612345678");
  CHECK(csv_field("-2") == "'-2");
  CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
  CHECK(csv_field("\tx") == "'\tx");
  CHECK(csv_field("\r=1") == "\"'\r=1\"");
  CHECK(csv_field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(csv_field("=a,b") == "\"'=a,b\"");
  CHECK(csv_field("1=1") == "1=1");  // only the first character counts
}

TEST_CASE("csv_record: fields joined by commas, ended by CRLF") {
  CHECK(csv_record({}) == "\r\n");
  CHECK(csv_record({"a"}) == "a\r\n");
  CHECK(csv_record({"a", "", "b,c", "=d"}) == "a,,\"b,c\",'=d\r\n");
}
