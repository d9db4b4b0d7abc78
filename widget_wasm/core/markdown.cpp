#include "markdown.hpp"

#include <cctype>
#include <cstddef>
#include <utility>

#include "bidi.hpp"
#include "linkify.hpp"

namespace widget {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
// Longer backtick runs are text: it bounds the failed searches for a closing run.
constexpr std::size_t kMaxCodeFence = 16;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Letters of any script count as word characters for "_" (snake_case_names and
// "déjà_vu" stay as written).
bool is_word(char c) {
  auto b = static_cast<unsigned char>(c);
  return b >= 0x80 || std::isalnum(b);
}

enum class Tok : std::uint8_t { text, delim, code, link, autolink };

// A piece of one paragraph's text. Code spans and links are found first and are
// opaque: an emphasis marker inside them is theirs, never emphasis.
struct Token {
  Tok kind = Tok::text;
  std::size_t begin = 0;  // what is shown: the text, the marker run, the code, the link's label
  std::size_t end = 0;
  char marker = 0;  // delim: '*' or '_', a run of 1 to 3
  bool can_open = false;
  bool can_close = false;
  std::string href;  // link, autolink (empty for a link whose target is refused)
};

Token piece(Tok kind, std::size_t begin, std::size_t end, std::string href = {}) {
  Token t;
  t.kind = kind;
  t.begin = begin;
  t.end = end;
  t.href = std::move(href);
  return t;
}

// Finds the first byte of a set at or after `from`, remembering the last answer: a
// search that starts inside the stretch already scanned ends where it ended, so
// scanning a whole paragraph for "](" pairs stays linear.
class StopFinder {
 public:
  StopFinder(std::string_view text, std::string_view stops) : text_(text), stops_(stops) {}
  std::size_t find(std::size_t from) {
    if (from < from_ || from > stop_) {
      from_ = from;
      stop_ = text_.find_first_of(stops_, from);
      if (stop_ == std::string_view::npos) stop_ = text_.size();
    }
    return stop_;
  }

 private:
  std::string_view text_;
  std::string_view stops_;
  std::size_t from_ = 1;
  std::size_t stop_ = 0;
};

void append(std::vector<Run>& runs, std::string_view text, std::uint8_t style, const std::string& href) {
  if (text.empty()) return;
  if (!runs.empty() && runs.back().style == style && runs.back().href == href) {
    runs.back().text.append(text);
  } else {
    runs.push_back(Run{std::string(text), style, href});
  }
}

// Removing markup joins what was around it ("\xE2[\x80](javascript:x)\xAE" gives a
// run "\xE2\x80\xAE": U+202E), so controls are removed again once the runs are
// whole. (Found by fuzz/markdown_fuzz.cpp.)
void strip_joined_controls(std::vector<Run>& runs) {
  for (Run& r : runs) {
    r.text = strip_bidi_controls(r.text);
  }
}

std::uint8_t style_of(std::size_t run_length) {
  const int style = run_length == 1 ? kItalic : run_length == 2 ? kBold : kBold | kItalic;
  return static_cast<std::uint8_t>(style);
}

// One paragraph's or item's inline text: tokens, then emphasis matched over them.
class Inline {
 public:
  Inline(std::string_view text, bool markdown, bool links)
      : s_(text), markdown_(markdown), links_(links), labels_(text, "[]\n"), urls_(text, " \t\n()<>") {
    tokenize();
    match_closers();
  }

  void emit(std::uint8_t style, const std::string& href, std::vector<Run>& out) const {
    emit_range(0, toks_.size(), style, href, out);
  }

 private:
  std::string_view view(const Token& t) const { return s_.substr(t.begin, t.end - t.begin); }

  // A token made of the source bytes [from, to); the text before it becomes a token too.
  void push(Token t, std::size_t from, std::size_t to) {
    if (text_start_ < from) toks_.push_back(piece(Tok::text, text_start_, from));
    toks_.push_back(std::move(t));
    text_start_ = to;
  }

  void tokenize() {
    std::size_t i = 0;
    while (i < s_.size()) {
      const char c = s_[i];
      if (markdown_ && (c == '*' || c == '_' || c == '`')) {
        i = marker_run(i);
      } else if (markdown_ && links_ && c == '[' && explicit_link(i)) {
        i = after_;
      } else if (auto a = links_ ? autolink_at(s_, i) : std::nullopt) {
        push(piece(Tok::autolink, i, i + a->length, std::move(a->href)), i, i + a->length);
        i += a->length;
      } else {
        ++i;
      }
    }
    if (text_start_ < s_.size()) toks_.push_back(piece(Tok::text, text_start_, s_.size()));
  }

  // A run of '*', '_' or '`' at i; returns where scanning goes on.
  std::size_t marker_run(std::size_t i) {
    const char c = s_[i];
    std::size_t end = i;
    while (end < s_.size() && s_[end] == c) ++end;
    const std::size_t len = end - i;
    if (c == '`') {
      code_span(i, len);
      return after_ > i ? after_ : end;
    }
    if (len > 3) return end;  // "****" is text
    const char before = i > 0 ? s_[i - 1] : ' ';
    const char after = end < s_.size() ? s_[end] : ' ';
    // Emphasis opens before a non-space and closes after one; "_" only at a word's
    // edge, so snake_case stays whole.
    bool open = !is_space(after);
    bool close = !is_space(before);
    if (c == '_') {
      open = open && !is_word(before);
      close = close && !is_word(after);
    }
    if (open || close) {
      Token t = piece(Tok::delim, i, end);
      t.marker = c;
      t.can_open = open;
      t.can_close = close;
      push(std::move(t), i, end);
    }
    return end;
  }

  // `code` with a closing run of the same length; after_ is past it when found.
  void code_span(std::size_t i, std::size_t len) {
    after_ = 0;
    if (len > kMaxCodeFence || code_missing_[len]) return;
    for (std::size_t j = i + len; j < s_.size();) {
      if (s_[j] != '`') {
        ++j;
        continue;
      }
      std::size_t run = j;
      while (run < s_.size() && s_[run] == '`') ++run;
      if (run - j == len) {
        std::size_t b = i + len;
        std::size_t e = j;
        // One space on each side is padding ("`` `x` ``").
        if (e - b >= 2 && s_[b] == ' ' && s_[e - 1] == ' ') ++b, --e;
        after_ = run;
        push(piece(Tok::code, b, e), i, run);
        return;
      }
      j = run;
    }
    code_missing_[len] = true;  // none further on for any later run of this length
  }

  // [label](url) on one line; after_ is past it when found.
  bool explicit_link(std::size_t i) {
    const std::size_t close = labels_.find(i + 1);
    if (close >= s_.size() || s_[close] != ']' || close == i + 1 || close + 1 >= s_.size() ||
        s_[close + 1] != '(') {
      return false;
    }
    const std::size_t url_end = urls_.find(close + 2);
    if (url_end >= s_.size() || s_[url_end] != ')' || url_end == close + 2) return false;
    after_ = url_end + 1;
    push(piece(Tok::link, i + 1, close, link_target(s_.substr(close + 2, url_end - close - 2))), i, after_);
    return true;
  }

  // For each marker run, the next run of the same marker and length that can close
  // it. Inside a matched pair no run of that kind can match again (the first closer
  // after the opener ends the pair), so nesting is at most six deep.
  void match_closers() {
    next_close_.assign(toks_.size(), kNone);
    std::size_t last[2][4] = {{kNone, kNone, kNone, kNone}, {kNone, kNone, kNone, kNone}};
    for (std::size_t r = toks_.size(); r-- > 0;) {
      const Token& t = toks_[r];
      if (t.kind != Tok::delim) continue;
      std::size_t& slot = last[t.marker == '_'][t.end - t.begin];
      next_close_[r] = slot;
      if (t.can_close) slot = r;
    }
  }

  void emit_range(std::size_t from, std::size_t to, std::uint8_t style, const std::string& href,
                  std::vector<Run>& out) const {
    for (std::size_t r = from; r < to; ++r) {
      const Token& t = toks_[r];
      switch (t.kind) {
        case Tok::delim:
          if (t.can_open && next_close_[r] < to) {
            emit_range(r + 1, next_close_[r], style | style_of(t.end - t.begin), href, out);
            r = next_close_[r];
          } else {
            append(out, view(t), style, href);
          }
          break;
        case Tok::code: append(out, view(t), style | kCode, href); break;
        case Tok::link: Inline(view(t), true, false).emit(style, t.href, out); break;
        case Tok::autolink: append(out, view(t), style, t.href); break;
        case Tok::text: append(out, view(t), style, href); break;
      }
    }
  }

  std::string_view s_;
  bool markdown_;
  bool links_;
  StopFinder labels_;
  StopFinder urls_;
  std::vector<Token> toks_;
  std::vector<std::size_t> next_close_;
  std::size_t text_start_ = 0;
  std::size_t after_ = 0;
  bool code_missing_[kMaxCodeFence + 1] = {};
};

// "- ", "* ", "+ ", "12. " or "12) " at the start of a line: the marker's length.
std::size_t list_marker(std::string_view line, BlockKind& kind, long& number) {
  if (line.size() >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && is_space(line[1])) {
    kind = BlockKind::bullet_item;
    return 2;
  }
  std::size_t d = 0;
  number = 0;
  while (d < line.size() && d < 9 && line[d] >= '0' && line[d] <= '9') number = number * 10 + (line[d++] - '0');
  if (d > 0 && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') && is_space(line[d + 1])) {
    kind = BlockKind::numbered_item;
    return d + 2;
  }
  return 0;
}

// "# Title" to "###### Title": the heading's text after its marks.
std::size_t heading_marker(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && n < 7 && line[n] == '#') ++n;
  return n >= 1 && n <= 6 && n < line.size() && is_space(line[n]) ? n + 1 : 0;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Gathers lines into blocks; each block's text is read inline when it is complete.
class Blocks {
 public:
  std::vector<Block> take() {
    finish();
    return std::move(out_);
  }

  void line(std::string_view raw) {
    const bool indented = !raw.empty() && is_space(raw[0]);
    const std::string_view body = trim_spaces(raw);
    if (body.empty()) {
      finish();
      return;
    }
    BlockKind kind = BlockKind::paragraph;
    long number = 0;
    if (std::size_t m = list_marker(body, kind, number)) {
      start(kind, number, body.substr(m));
    } else if (std::size_t h = heading_marker(body)) {
      start(BlockKind::paragraph, 0, body.substr(h));
      style_ = kBold;
      finish();
    } else if (open_ && (current_.kind == BlockKind::paragraph || indented)) {
      // A paragraph goes on; a list item only with an indented line.
      text_ += '\n';
      text_.append(body);
    } else {
      start(BlockKind::paragraph, 0, body);
    }
  }

 private:
  void start(BlockKind kind, long number, std::string_view text) {
    finish();
    open_ = true;
    current_ = Block{kind, number, {}};
    text_.assign(trim_spaces(text));
  }

  void finish() {
    if (!open_) return;
    Inline(text_, true, true).emit(style_, {}, current_.runs);
    strip_joined_controls(current_.runs);
    if (!current_.runs.empty() || current_.kind != BlockKind::paragraph) out_.push_back(std::move(current_));
    open_ = false;
    style_ = 0;
  }

  std::vector<Block> out_;
  Block current_;
  std::string text_;
  std::uint8_t style_ = 0;
  bool open_ = false;
};

}  // namespace

std::vector<Block> parse_markdown(std::string_view text) {
  const std::string shown = strip_bidi_controls(text);
  Blocks blocks;
  std::string_view rest = shown;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    blocks.line(rest.substr(0, nl));
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  }
  return blocks.take();
}

std::vector<Block> parse_plain(std::string_view text) {
  const std::string shown = strip_bidi_controls(text);
  Block block;
  Inline(shown, false, true).emit(0, {}, block.runs);
  strip_joined_controls(block.runs);
  if (block.runs.empty()) return {};
  return {std::move(block)};
}

}  // namespace widget
