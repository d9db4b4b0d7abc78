#pragma once
// A handle on a JS value: the part of emscripten::val the browser layer uses, without
// embind. embind's glue (type registration, wire types, wide strings...) and its
// RTTI-based code cost ~6 KB gzipped (glue 6.6 -> 3.6 KB, wasm -3 KB); this costs
// a dozen small JS functions (in core.js, the module's loader; js.js declares them
// for the link).
//
// The JS side keeps the values in a table; a val owns one slot and frees it when it
// goes. null and undefined are slot 0, owned by nobody: isNull() is true for both.
// Strings cross as UTF-8 both ways (val(const char*) included, unlike embind's).

#include <cstddef>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

extern "C" {
// core.js; a handle is an index in its table, 0 for null and undefined.
int restochat_js_global(const char* name);
int restochat_js_module(const char* name);
int restochat_js_string(const char* utf8, std::size_t size);
int restochat_js_get(int object, const char* key);
int restochat_js_index(int object, int index);
void restochat_js_set(int object, const char* key, int value);
void restochat_js_arg(int value);
void restochat_js_arg_number(double value);
void restochat_js_arg_bool(bool value);
int restochat_js_call(int object, const char* method, int argc);
int restochat_js_dup(int value);
void restochat_js_free(int value);
bool restochat_js_same(int a, int b);
double restochat_js_number(int value);
bool restochat_js_truthy(int value);
/// Encodes a value as UTF-8 and returns the length in bytes; restochat_js_take_utf8
/// then writes it (and a NUL) where told.
std::size_t restochat_js_utf8_size(int value);
void restochat_js_take_utf8(char* out, std::size_t size);
}

namespace widget {

class val {
 public:
  val() = default;
  explicit val(const std::string& utf8) : h_(restochat_js_string(utf8.data(), utf8.size())) {}
  explicit val(const char* utf8) : h_(restochat_js_string(utf8, std::strlen(utf8))) {}
  val(const val& other) : h_(other.h_ ? restochat_js_dup(other.h_) : 0) {}
  val(val&& other) noexcept : h_(std::exchange(other.h_, 0)) {}
  val& operator=(val other) noexcept {
    std::swap(h_, other.h_);
    return *this;
  }
  ~val() {
    if (h_) restochat_js_free(h_);
  }

  static val null() { return val(); }
  static val global(const char* name) { return adopt(restochat_js_global(name)); }
  static val module_property(const char* name) { return adopt(restochat_js_module(name)); }

  val operator[](const char* key) const { return adopt(restochat_js_get(h_, key)); }
  val operator[](int index) const { return adopt(restochat_js_index(h_, index)); }
  void set(const char* key, const val& value) const { restochat_js_set(h_, key, value.h_); }

  /// Calls a method: arguments are vals, strings (UTF-8), ints or bools. call<val>
  /// returns its result, call<bool> its truth, call<void> nothing.
  template <typename R = void, typename... Args>
  R call(const char* method, const Args&... args) const {
    (push(args), ...);
    val result = adopt(restochat_js_call(h_, method, static_cast<int>(sizeof...(Args))));
    if constexpr (std::is_same_v<R, val>) {
      return result;
    } else if constexpr (!std::is_void_v<R>) {
      return result.as<R>();
    }
  }

  /// std::string (UTF-8), int, bool.
  template <typename T>
  T as() const {
    if constexpr (std::is_same_v<T, std::string>) {
      std::string out(restochat_js_utf8_size(h_), '\0');
      restochat_js_take_utf8(out.data(), out.size() + 1);
      return out;
    } else if constexpr (std::is_same_v<T, bool>) {
      return restochat_js_truthy(h_);
    } else {
      return static_cast<T>(restochat_js_number(h_));
    }
  }

  bool isNull() const { return h_ == 0; }
  bool strictlyEquals(const val& other) const { return restochat_js_same(h_, other.h_); }

 private:
  static val adopt(int handle) {
    val v;
    v.h_ = handle;
    return v;
  }
  static void push(const val& v) { restochat_js_arg(v.h_); }
  static void push(const char* s) { push(val(s)); }
  static void push(const std::string& s) { push(val(s)); }
  static void push(bool b) { restochat_js_arg_bool(b); }
  static void push(int n) { restochat_js_arg_number(n); }

  int h_ = 0;
};

}  // namespace widget
