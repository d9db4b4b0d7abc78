#pragma once
/// \file Links found in text as people type them (web addresses, phone numbers),
/// and the targets a link may have at all. The Markdown reader (markdown.hpp) uses
/// both for replies and for visitors' messages.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace widget {

/// A link found in plain text: how many bytes of the text it covers, and its target.
struct AutoLink {
  std::size_t length = 0;
  std::string href;
};

/// The link starting at byte `i` of `text`, if one starts there: an `http://`,
/// `https://` or `www.` address (trailing punctuation such as a final dot or an
/// unmatched closing parenthesis stays outside), or a phone number ("01 23 45 67 89",
/// "+33 1 23 45 67 89", "+33 (0)1..."), which becomes a `tel:` link. Only at the start
/// of a word: "xhttp://" or "ref0123456789" are not links.
std::optional<AutoLink> autolink_at(std::string_view text, std::size_t i);

/// The target of a link written `[text](url)`: `url` itself when its scheme is
/// `http:`, `https:`, `mailto:` or `tel:` (`www.` gets `https://`), else empty:
/// `javascript:`, `data:`, relative paths and anything with a control character
/// are never links.
std::string link_target(std::string_view url);

}  // namespace widget
