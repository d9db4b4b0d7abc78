#pragma once
/// \file Splits a reply into plain text and web links, so the renderer can make
/// links clickable while every character still goes through textContent: no HTML
/// from the server is ever interpreted.

#include <string>
#include <string_view>
#include <vector>

namespace widget {

struct Segment {
  std::string text;  ///< what is shown
  std::string href;  ///< empty for plain text; else an http(s) URL
  friend bool operator==(const Segment& a, const Segment& b) {
    return a.text == b.text && a.href == b.href;
  }
};

/// Finds `http://`, `https://` and `www.` links (never other schemes); trailing
/// punctuation such as a final dot or a closing parenthesis stays outside the link.
std::vector<Segment> linkify(std::string_view text);

}  // namespace widget
