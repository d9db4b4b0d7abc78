#pragma once
// A small strict JSON reader that builds a JsonValue (json_value.hpp). The WASM widget
// parses with it and its decoders read the result: nlohmann's parser brings libc's strtod (with 128-bit long double arithmetic in
// software) and printf into the module, ~17 KB gzipped of its 51. It accepts exactly
// what nlohmann's strict parser accepts (RFC 8259, strings checked as UTF-8, one
// leading BOM skipped, no comments) and builds the same values, with one exception:
// a number with a fraction or an exponent may differ from nlohmann's in its last bits
// (it is not rounded correctly), and one whose first 19 digits are those of the
// largest double's rounding boundary (1.797693134862315807...e308) is refused. The
// decoders read integers only. Native builds keep nlohmann's parser and DOM;
// json_reader_test compares the two, json_dom_test the decoders on each.

#include <optional>
#include <string_view>

#include "json_value.hpp"

namespace chat::detail {

/// The document, or nullopt when the text is not one JSON value.
std::optional<JsonValue> read_json(std::string_view text);

}  // namespace chat::detail
