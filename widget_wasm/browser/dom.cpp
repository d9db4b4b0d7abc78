#include "dom.hpp"

namespace widget::dom {

val document() { return val::global("document"); }

val text(const char* utf8) { return val(utf8); }

val element(const char* tag, Attrs attrs) {
  val el = document().call<val>("createElement", val(tag));
  for (const auto& [name, value] : attrs) {
    el.call<void>("setAttribute", val(name), text(value));
  }
  return el;
}

val append(val parent, val child) {
  parent.call<void>("appendChild", child);
  return child;
}

void set_text(val node, const std::string& text) {
  if (node["textContent"].as<std::string>() != text) {
    node.set("textContent", val(text));
  }
}

void set_attr(val node, const char* name, const std::string& value) {
  node.call<void>("setAttribute", val(name), val(value));
}

void remove_attr(val node, const char* name) { node.call<void>("removeAttribute", val(name)); }

void set_flag(val node, const char* name, bool on) {
  if (node.call<bool>("hasAttribute", val(name)) != on) {
    node.call<void>("toggleAttribute", val(name), on);
  }
}

std::string value_of(val node) { return node["value"].as<std::string>(); }

}  // namespace widget::dom
