#pragma once
// Small helpers over val for building and updating the widget's DOM.
// Text only ever goes in through textContent or text nodes: nothing is parsed as HTML.

#include <initializer_list>
#include <string>
#include <utility>

#include "js.hpp"

namespace widget::dom {

using Attrs = std::initializer_list<std::pair<const char*, const char*>>;

val document();
/// A JS string from UTF-8 (as val(const char*) is; embind's read Latin-1).
val text(const char* utf8);
/// A new element with attributes (`class`, `data-part`, `aria-*`...).
val element(const char* tag, Attrs attrs = {});
val append(val parent, val child);
void set_text(val node, const std::string& text);
void set_attr(val node, const char* name, const std::string& value);
void remove_attr(val node, const char* name);
/// Sets or removes a boolean attribute (hidden, disabled, readonly...).
void set_flag(val node, const char* name, bool on);
std::string value_of(val node);

}  // namespace widget::dom
