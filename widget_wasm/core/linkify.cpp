#include "linkify.hpp"

#include <cctype>

namespace widget {
namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

// Where a link may start: at the start of the text or after a non-word character,
// so "xhttp://" or "awww.x" are not links.
bool at_word_start(std::string_view text, std::size_t i) {
  if (i == 0) {
    return true;
  }
  auto c = static_cast<unsigned char>(text[i - 1]);
  return !(std::isalnum(c) || c == '_' || c == '/' || c == '.' || c == '@');
}

std::size_t prefix_length(std::string_view rest) {
  for (std::string_view p : {"https://", "http://", "www."}) {
    if (starts_with_ci(rest, p)) {
      return p.size();
    }
  }
  return 0;
}

// A link runs to the next space or character that can't be in a URL as people type it.
bool ends_link(unsigned char c) {
  return std::isspace(c) || c < 0x20 || c == '<' || c == '>' || c == '"' || c == '`' || c == '{' ||
         c == '}' || c == '|' || c == '\\' || c == '^';
}

bool is_trailing_punctuation(char c) {
  switch (c) {
    case '.': case ',': case ';': case ':': case '!': case '?': case '\'': case ')': case ']':
      return true;
    default:
      return false;
  }
}

// Keeps a closing parenthesis that matches an opening one inside the link
// (https://fr.wikipedia.org/wiki/Paris_(France)).
std::size_t trim_end(std::string_view link) {
  std::size_t end = link.size();
  while (end > 0 && is_trailing_punctuation(link[end - 1])) {
    if (link[end - 1] == ')') {
      auto body = link.substr(0, end - 1);
      std::size_t open = 0;
      std::size_t close = 0;
      for (char c : body) {
        open += c == '(';
        close += c == ')';
      }
      if (open > close) {
        break;
      }
    }
    --end;
  }
  return end;
}

}  // namespace

std::vector<Segment> linkify(std::string_view text) {
  std::vector<Segment> out;
  std::size_t plain_start = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t plen = at_word_start(text, i) ? prefix_length(text.substr(i)) : 0;
    if (plen == 0) {
      ++i;
      continue;
    }
    std::size_t end = i + plen;
    while (end < text.size() && !ends_link(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    std::size_t len = trim_end(text.substr(i, end - i));
    if (len <= plen) {  // "http://" or "www." alone is not a link
      i += plen;
      continue;
    }
    if (i > plain_start) {
      out.push_back({std::string(text.substr(plain_start, i - plain_start)), {}});
    }
    std::string shown(text.substr(i, len));
    std::string href = plen == 4 ? "https://" + shown : shown;
    out.push_back({std::move(shown), std::move(href)});
    i += len;
    plain_start = i;
  }
  if (plain_start < text.size()) {
    out.push_back({std::string(text.substr(plain_start)), {}});
  }
  return out;
}

}  // namespace widget
