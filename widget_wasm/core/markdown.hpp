#pragma once
/// \file The Markdown a chat model writes, read into a small tree the renderer draws
/// with createElement and textContent: no HTML is ever produced or parsed, so a
/// reply's `<script>` or `<img onerror>` is shown as the text it is.
///
/// The subset: paragraphs (a blank line between them), line breaks (every single
/// newline, as in a chat), `**bold**` / `__bold__`, `*italics*` / `_italics_`,
/// `***both***`, `` `code` ``, bulleted (`-`, `*`, `+`) and numbered (`1.`, `1)`)
/// list items, headings (`# ...` to `###### ...`, shown as a bold paragraph),
/// `[text](url)` links and bare links (linkify.hpp). A marker without its match is
/// text, so a reply cut mid-stream ("**Men") shows as written until it is closed.
/// Everything runs in linear time whatever the input: no backtracking, nesting
/// bounded by the few marker kinds.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace widget {

/// How a run of text is shown; flags combine.
enum Style : std::uint8_t { kBold = 1, kItalic = 2, kCode = 4 };

/// Text with one style and one link target (empty: not a link).
struct Run {
  std::string text;  ///< may hold '\n': a line break
  std::uint8_t style = 0;
  std::string href;  ///< http(s):, mailto: or tel: only (linkify.hpp)
  friend bool operator==(const Run& a, const Run& b) {
    return a.text == b.text && a.style == b.style && a.href == b.href;
  }
};

enum class BlockKind : std::uint8_t { paragraph, bullet_item, numbered_item };

/// A paragraph or one list item. Consecutive items of one kind make one list.
struct Block {
  BlockKind kind = BlockKind::paragraph;
  long number = 0;  ///< a numbered item's number as written
  std::vector<Run> runs;
  friend bool operator==(const Block& a, const Block& b) {
    return a.kind == b.kind && a.number == b.number && a.runs == b.runs;
  }
};

/// A reply as it is shown: without bidi controls (bidi.hpp), in blocks of runs.
std::vector<Block> parse_markdown(std::string_view text);

/// A visitor's message as it is shown: one paragraph, bidi controls removed, links
/// found, every other character as typed (a visitor writes text, not Markdown).
std::vector<Block> parse_plain(std::string_view text);

}  // namespace widget
