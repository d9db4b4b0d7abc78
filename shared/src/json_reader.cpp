#include "json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "chat/validation.hpp"

namespace chat::detail {
namespace {

using json = JsonValue;

constexpr int kMaxDigits = 19;  // significant digits that fit in 64 bits
// Exponents are capped here: far past any double's, and digits added to it stay in range.
constexpr std::int64_t kMaxExponent = 1'000'000'000'000'000;

void append_utf8(std::string& out, std::uint32_t cp) {
  const auto byte = [&](std::uint32_t b) { out += static_cast<char>(b); };
  if (cp < 0x80) {
    byte(cp);
  } else if (cp < 0x800) {
    byte(0xC0 | cp >> 6);
    byte(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    byte(0xE0 | cp >> 12);
    byte(0x80 | (cp >> 6 & 0x3F));
    byte(0x80 | (cp & 0x3F));
  } else {
    byte(0xF0 | cp >> 18);
    byte(0x80 | (cp >> 12 & 0x3F));
    byte(0x80 | (cp >> 6 & 0x3F));
    byte(0x80 | (cp & 0x3F));
  }
}

// 10^n, infinite when too large for a double.
double power_of_ten(std::int64_t n) {
  double result = 1;
  for (double base = 10; n > 0; n >>= 1, base *= base) {
    if (n & 1) result *= base;
  }
  return result;
}

// Reads one document without recursion (nesting has no limit, as in nlohmann's parser).
class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  std::optional<json> document() {
    // nlohmann skips one UTF-8 byte order mark and refuses a broken one.
    if (at('\xEF') && !literal("\xEF\xBB\xBF")) return std::nullopt;
    json root;
    std::vector<json*> open;  // the arrays and objects being read, innermost last
    json* slot = &root;       // where the next value goes
    for (;;) {
      skip_space();
      if (at('[') || at('{')) {
        const bool object = *p_++ == '{';
        slot->set(json(object ? json::Type::object : json::Type::array));
        skip_space();
        if (!eat(object ? '}' : ']')) {
          open.push_back(slot);
          if ((slot = element(*slot)) == nullptr) return std::nullopt;
          continue;
        }
      } else if (!scalar(*slot)) {
        return std::nullopt;
      }
      // After a value: close what ends here, then find where the next value goes.
      for (;;) {
        skip_space();
        // nlohmann's lexer also ends the input at a NUL byte.
        if (open.empty()) return p_ == end_ || *p_ == '\0' ? std::optional<json>(std::move(root)) : std::nullopt;
        if (eat(',')) break;
        if (!eat(open.back()->is_object() ? '}' : ']')) return std::nullopt;
        open.pop_back();
      }
      if ((slot = element(*open.back())) == nullptr) return std::nullopt;
    }
  }

 private:
  bool at(char c) const { return p_ != end_ && *p_ == c; }
  bool eat(char c) {
    if (!at(c)) return false;
    ++p_;
    return true;
  }
  bool at_digit() const { return p_ != end_ && *p_ >= '0' && *p_ <= '9'; }
  bool literal(std::string_view word) {
    if (std::string_view(p_, static_cast<std::size_t>(end_ - p_)).substr(0, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }
  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  // The slot of the next element of an array, or of an object's next member once its
  // key and colon are read; nullptr on a syntax error.
  json* element(json& parent) {
    if (parent.is_array()) return &parent.append();
    skip_space();
    std::string key;
    if (!string(key)) return nullptr;
    skip_space();
    if (!eat(':')) return nullptr;
    return &parent.append(std::move(key));  // a repeated key: find() takes the last, as nlohmann
  }

  bool scalar(json& out) {
    if (at('"')) {
      std::string s;
      if (!string(s)) return false;
      out.set(json::string(std::move(s)));
    } else if (literal("true")) {
      out.set(json::boolean(true));
    } else if (literal("false")) {
      out.set(json::boolean(false));
    } else if (literal("null")) {
      // the slot is null already
    } else {
      return number(out);
    }
    return true;
  }

  bool string(std::string& out) {
    if (!eat('"')) return false;
    for (;;) {
      // Quotes, backslashes and control characters never occur inside a multi-byte
      // sequence, so each run between them is checked as UTF-8 on its own.
      const char* run = p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
      const std::string_view raw(run, static_cast<std::size_t>(p_ - run));
      if (!is_valid_utf8(raw)) return false;
      out += raw;
      if (eat('"')) return true;
      if (!eat('\\') || p_ == end_) return false;  // a control character, or the end
      switch (const char c = *p_++) {
        case '"':
        case '\\':
        case '/': out += c; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u':
          if (!escaped_code_point(out)) return false;
          break;
        default: return false;
      }
    }
  }

  // After "\u": a code point, or a surrogate pair written as two escapes.
  bool escaped_code_point(std::string& out) {
    std::uint32_t cp = 0;
    if (!hex4(cp) || (cp >= 0xDC00 && cp <= 0xDFFF)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (!literal("\\u") || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
    return true;
  }

  bool hex4(std::uint32_t& out) {
    for (int i = 0; i < 4; ++i) {
      if (p_ == end_) return false;
      const char c = *p_++;
      int v = 0;
      if (c >= '0' && c <= '9') {
        v = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        v = c - 'A' + 10;
      } else {
        return false;
      }
      out = out << 4 | static_cast<std::uint32_t>(v);
    }
    return true;
  }

  // As nlohmann: an integer is unsigned when it is not negative, signed otherwise, and
  // a double when it does not fit in 64 bits; a double that overflows is an error.
  bool number(json& out) {
    const bool negative = eat('-');
    if (!at_digit()) return false;
    const char* whole = p_;
    if (!eat('0')) {
      while (at_digit()) ++p_;
    }
    const char* whole_end = p_;
    const char* fraction = p_;
    if (eat('.')) {
      fraction = p_;
      if (!at_digit()) return false;
      while (at_digit()) ++p_;
    }
    const char* fraction_end = p_;
    std::int64_t exponent = 0;
    const bool has_exponent = eat('e') || eat('E');
    if (has_exponent) {
      const bool down = eat('-');
      if (!down) eat('+');
      if (!at_digit()) return false;
      for (; at_digit(); ++p_) exponent = std::min<std::int64_t>(exponent * 10 + (*p_ - '0'), kMaxExponent);
      if (down) exponent = -exponent;
    }

    if (fraction == whole_end && !has_exponent) {
      std::uint64_t value = 0;
      bool fits = true;
      for (const char* d = whole; d != whole_end; ++d) {
        const auto digit = static_cast<std::uint64_t>(*d - '0');
        fits = fits && value <= (UINT64_MAX - digit) / 10;
        value = value * 10 + digit;
      }
      constexpr std::uint64_t kMinInt64Magnitude = std::uint64_t{1} << 63;
      if (fits && !negative) {
        out.set(json::unsigned_integer(value));
        return true;
      }
      if (fits && value <= kMinInt64Magnitude) {
        out.set(json::integer(value == kMinInt64Magnitude ? INT64_MIN : -static_cast<std::int64_t>(value)));
        return true;
      }
    }

    // A double: the first 19 significant digits, scaled by a power of ten.
    std::uint64_t significand = 0;
    int digits = 0;
    const auto take = [&](char d) {
      significand = significand * 10 + static_cast<std::uint64_t>(d - '0');
      digits += significand != 0 ? 1 : 0;
    };
    for (const char* d = whole; d != whole_end; ++d) {
      if (digits < kMaxDigits) {
        take(*d);
      } else {
        ++exponent;
      }
    }
    for (const char* d = fraction; d != fraction_end && digits < kMaxDigits; ++d) {
      take(*d);
      --exponent;
    }
    if (significand != 0 && too_large(significand, digits, exponent)) return false;
    auto value = static_cast<double>(significand);
    if (significand != 0 && exponent > 0) {
      // Rounding on the way may reach infinity just below the largest double.
      value = std::fmin(value * power_of_ten(exponent), std::numeric_limits<double>::max());
    }
    for (; value != 0 && exponent < 0; exponent += 300) {
      value /= power_of_ten(std::min<std::int64_t>(-exponent, 300));  // in steps: 10^-324 is not a double
    }
    out.set(json::floating(negative ? -value : value));
    return true;
  }

  // Whether significand x 10^exponent rounds to infinity (nlohmann refuses it),
  // decided on the decimal digits: the computed double is not rounded correctly.
  static bool too_large(std::uint64_t significand, int digits, std::int64_t exponent) {
    const std::int64_t before_point = digits + exponent;
    if (before_point != 309) return before_point > 309;
    // The first 19 digits of the halfway point between the largest double and 2^1024.
    constexpr std::uint64_t kHalfwayDigits = 1797693134862315807;
    for (int i = digits; i < kMaxDigits; ++i) significand *= 10;
    return significand >= kHalfwayDigits;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

std::optional<json> read_json(std::string_view text) { return Reader(text).document(); }

}  // namespace chat::detail
