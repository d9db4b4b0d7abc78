#pragma once
/// \file Text from a visitor or a model as it is shown: without the Unicode
/// controls that reorder the text around them (trojan-source style). With each
/// message also rendered isolated (`dir="auto"`), a message can only set its own
/// direction, from its own letters. The Markdown reader (markdown.hpp) removes them
/// before it reads anything, so what is shown and what is parsed are the same text.

#include <string>
#include <string_view>

namespace widget {

/// True for the bidi formatting controls removed from displayed text: the
/// embeddings and overrides U+202A-U+202E (LRE, RLE, PDF, LRO, RLO), the isolates
/// U+2066-U+2069 (LRI, RLI, FSI, PDI), and the marks U+200E, U+200F, U+061C (LRM,
/// RLM, ALM).
bool is_bidi_control(char32_t c) noexcept;

/// `text` without those controls; every other byte is kept as it is (invalid
/// UTF-8 included: it is shown, never parsed further).
std::string strip_bidi_controls(std::string_view text);

}  // namespace widget
