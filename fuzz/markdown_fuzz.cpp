// Feeds the input to the widget's Markdown reader (a model's reply) and to its plain
// reader (a visitor's message), and checks that:
//  - every link target is http(s):, mailto: or tel:, without spaces or controls;
//  - no run is empty, and no bidi control is left in any text or target;
//  - the plain reader loses nothing: its runs are the input without bidi controls;
//  - the Markdown reader only removes (markers, indentation, blank lines), never adds.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bidi.hpp"
#include "fuzz_check.hpp"
#include "markdown.hpp"

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool allowed_target(std::string_view href) {
  for (const unsigned char c : href) {
    if (c <= 0x20 || c == 0x7F) return false;
  }
  for (std::string_view scheme : {"https://", "http://", "mailto:", "tel:"}) {
    if (starts_with_ci(href, scheme) && href.size() > scheme.size()) return true;
  }
  return false;
}

// The shown text, checked run by run.
std::string check_blocks(const std::vector<widget::Block>& blocks) {
  std::string shown;
  for (const auto& b : blocks) {
    for (const auto& r : b.runs) {
      FUZZ_CHECK(!r.text.empty());
      FUZZ_CHECK(r.style <= (widget::kBold | widget::kItalic | widget::kCode));
      FUZZ_CHECK(r.href.empty() || allowed_target(r.href));
      FUZZ_CHECK(widget::strip_bidi_controls(r.text) == r.text);
      FUZZ_CHECK(widget::strip_bidi_controls(r.href) == r.href);
      shown += r.text;
    }
  }
  return shown;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string visible = widget::strip_bidi_controls(text);

  const auto plain = widget::parse_plain(text);
  FUZZ_CHECK(plain.size() <= 1);
  FUZZ_CHECK(check_blocks(plain) == visible);

  const auto reply = widget::parse_markdown(text);
  FUZZ_CHECK(check_blocks(reply).size() <= visible.size());
  return 0;
}
