#pragma once
// A small JSON document, what the WASM widget's decoders read instead of nlohmann's
// DOM (whose templates cost the module ~4 KB gzipped). It offers exactly the part of
// nlohmann::json's interface that the decoders use (json_fields.hpp picks one of the
// two), with the same meaning: `find` gives `end()` when the key is absent or the
// value is not an object, and the last of repeated keys wins. read_json builds it.
// Objects keep their members in document order and are searched linearly (from the
// back, so the last repeated key wins): our bodies have a handful of keys.

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace chat::detail {

class JsonValue {
 public:
  enum class Type : unsigned char { null, boolean, integer, unsigned_integer, floating, string, array, object };
  using boolean_t = bool;
  using number_integer_t = std::int64_t;
  using number_unsigned_t = std::uint64_t;
  using number_float_t = double;
  using string_t = std::string;
  using const_iterator = const JsonValue*;

  JsonValue() = default;
  explicit JsonValue(Type type) : type_(type) {}
  JsonValue(JsonValue&&) noexcept = default;
  JsonValue& operator=(JsonValue&&) noexcept = default;
  // Copies are recursive: nothing copies a document.
  JsonValue(const JsonValue&) = delete;
  JsonValue& operator=(const JsonValue&) = delete;
  // Without recursion, so that a deeply nested document does not use up the stack.
  ~JsonValue() {
    if (items_.empty()) return;
    std::vector<JsonValue> pending = std::move(items_);
    while (!pending.empty()) {
      JsonValue last = std::move(pending.back());
      pending.pop_back();
      for (auto& item : last.items_) pending.push_back(std::move(item));
      last.items_.clear();
    }
  }

  static JsonValue boolean(bool b) {
    JsonValue v(Type::boolean);
    v.boolean_ = b;
    return v;
  }
  static JsonValue integer(std::int64_t i) {
    JsonValue v(Type::integer);
    v.integer_ = i;
    return v;
  }
  static JsonValue unsigned_integer(std::uint64_t u) {
    JsonValue v(Type::unsigned_integer);
    v.unsigned_ = u;
    return v;
  }
  static JsonValue floating(double d) {
    JsonValue v(Type::floating);
    v.float_ = d;
    return v;
  }
  static JsonValue string(std::string s) {
    JsonValue v(Type::string);
    v.string_ = std::move(s);
    return v;
  }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_boolean() const { return type_ == Type::boolean; }
  bool is_number_integer() const { return type_ == Type::integer || type_ == Type::unsigned_integer; }
  bool is_number_unsigned() const { return type_ == Type::unsigned_integer; }
  bool is_number_float() const { return type_ == Type::floating; }
  bool is_number() const { return is_number_integer() || is_number_float(); }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }

  /// The value, as nlohmann's get_ref: T is `const X&` for the type the value holds
  /// (check it first).
  template <class T>
  T get_ref() const {
    using V = std::remove_cv_t<std::remove_reference_t<T>>;
    if constexpr (std::is_same_v<V, std::string>) {
      return string_;
    } else if constexpr (std::is_same_v<V, bool>) {
      return boolean_;
    } else if constexpr (std::is_same_v<V, std::int64_t>) {
      return integer_;
    } else if constexpr (std::is_same_v<V, std::uint64_t>) {
      return unsigned_;
    } else {
      static_assert(std::is_same_v<V, double>, "a JSON scalar type");
      return float_;
    }
  }
  /// A copy of the string (check is_string() first).
  template <class T>
  T get() const {
    static_assert(std::is_same_v<T, std::string>, "strings only");
    return string_;
  }

  // An array's elements, or an object's values, in document order.
  const_iterator begin() const { return items_.data(); }
  const_iterator end() const { return items_.data() + items_.size(); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  /// The key of an object's member (as nlohmann's iterator key()).
  const std::string& key() const { return key_; }

  /// The member named `key` (the last one when repeated), or end().
  const_iterator find(std::string_view key) const {
    if (type_ != Type::object) return end();
    for (auto i = items_.size(); i > 0; --i) {
      if (items_[i - 1].key_ == key) return &items_[i - 1];
    }
    return end();
  }
  bool contains(std::string_view key) const { return find(key) != end(); }

  /// Replaces the value, keeping its key in its object.
  void set(JsonValue v) {
    v.key_ = std::move(key_);
    *this = std::move(v);
  }
  /// Appends an element (an array) or a member (an object, with its key): its slot.
  JsonValue& append(std::string key = {}) {
    items_.emplace_back();
    items_.back().key_ = std::move(key);
    return items_.back();
  }

 private:
  Type type_ = Type::null;
  union {
    bool boolean_;
    std::int64_t integer_;
    std::uint64_t unsigned_ = 0;
    double float_;
  };
  std::string string_;
  std::string key_;  // a member's name, in its object
  std::vector<JsonValue> items_;
};

}  // namespace chat::detail
