// The browser layer: one Widget per widget on the page, driven by core.js through
// two exported C functions. It forwards DOM events, network results and timers to
// the Conversation, carries out the effects it returns (through the JS host object,
// which owns fetch, EventSource, timers and localStorage) and redraws.
//
// Plain exports rather than an embind class: embind's class machinery costs ~5 KB
// gzipped of glue. JS objects and strings travel through Module properties
// (`Module.arg`, `Module.arg2`), read with val::module_property (js.hpp: no embind).

#include <emscripten/em_macros.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "conversation.hpp"
#include "js.hpp"
#include "renderer.hpp"

namespace widget {

class Widget {
 public:
  // config: {apiBase, lang, visitorId, sessionId}; host: see core.js.
  Widget(const val& root, const val& config, val host)
      : host_(std::move(host)),
        conversation_(Config{config["apiBase"].as<std::string>(), lang_from_tag(config["lang"].as<std::string>()),
                             config["visitorId"].as<std::string>(), config["sessionId"].as<std::string>()}),
        renderer_(root, conversation_.lang()) {
    conversation_.resume();
    flush();
  }

  void open() { conversation_.open(), flush(); }
  void close() { conversation_.close(), flush(); }
  void toggle() { conversation_.state().open ? close() : open(); }
  bool is_open() const { return conversation_.state().open; }

  void on_response(int id, int status, const std::string& body) {
    conversation_.on_response(id, status, body);
    flush();
  }
  void on_stream_open() { conversation_.on_stream_open(), flush(); }
  void on_stream_event(const std::string& name, const std::string& data) {
    conversation_.on_stream_event(name, data);
    flush();
  }
  void on_stream_error(bool closed) { conversation_.on_stream_error(closed), flush(); }
  void on_timer(int id) { conversation_.on_timer(id), flush(); }
  void on_wake() { conversation_.on_wake(), flush(); }

  // DOM events delegated from the shadow root (the launcher's clicks stay with the shim).
  void handle_event(val e) {
    std::string type = e["type"].as<std::string>();
    val target = e["target"];
    std::string part = part_of(target);
    if (type == "submit") {
      e.call<void>("preventDefault");
      if (part == "composer") {
        conversation_.send(renderer_.field(Field::input)["value"].as<std::string>());
      } else if (part == "phone-form") {
        conversation_.submit_phone(renderer_.field(Field::phone_input)["value"].as<std::string>());
      } else if (part == "code-form") {
        conversation_.submit_code(renderer_.field(Field::code_input)["value"].as<std::string>());
      }
    } else if (type == "click") {
      if (part == "close") {
        conversation_.close();
      } else if (part == "change-number") {
        conversation_.change_number();
      } else if (part == "resend") {
        conversation_.resend_code();
      } else if (part == "retry") {
        conversation_.retry();
      } else if (part == "suggestion") {
        val button = target.call<val>("closest", val("[data-part=suggestion]"));
        std::string index = button["dataset"]["index"].as<std::string>();
        // The index is ours, digits only; atoi is the smaller of the two in the module (measured).
        conversation_.choose_suggestion(static_cast<std::size_t>(std::atoi(index.c_str())));
      } else if (part == "erase") {
        conversation_.ask_erase();
      } else if (part == "erase-confirm") {
        conversation_.erase();
      } else if (part == "erase-cancel") {
        conversation_.cancel_erase();
      }
    } else if (type == "keydown") {
      std::string key = e["key"].as<std::string>();
      if (key == "Escape" && conversation_.state().open) {
        conversation_.close();
      } else if (key == "Tab" && conversation_.state().open) {
        renderer_.trap_focus(e);
      } else if (key == "Enter" && part == "input" && !e["shiftKey"].as<bool>() && !e["isComposing"].as<bool>()) {
        // Enter sends, Shift+Enter is a new line; not while an IME is composing.
        e.call<void>("preventDefault");
        conversation_.send(target["value"].as<std::string>());
      }
    } else if (type == "input" && part == "input") {
      renderer_.fit_input();
      return;
    }
    flush();
  }

 private:
  static std::string part_of(val target) {
    val el = target.call<val>("closest", val("[data-part]"));
    return el.isNull() ? std::string() : el["dataset"]["part"].as<std::string>();
  }

  void flush() {
    std::optional<Field> focus;  // only the last request counts
    for (auto& effect : conversation_.take_effects()) {
      std::visit(
          [&](auto& fx) {
            using T = std::decay_t<decltype(fx)>;
            if constexpr (std::is_same_v<T, HttpRequest>) {
              host_.call<void>("fetch", fx.id, fx.method, fx.url, fx.body, fx.visitor_id);
            } else if constexpr (std::is_same_v<T, OpenStream>) {
              host_.call<void>("openStream", fx.url);
            } else if constexpr (std::is_same_v<T, CloseStream>) {
              host_.call<void>("closeStream");
            } else if constexpr (std::is_same_v<T, StartTimer>) {
              host_.call<void>("setTimer", fx.id, fx.delay_ms);
            } else if constexpr (std::is_same_v<T, Store>) {
              host_.call<void>("store", fx.key, fx.value);
            } else if constexpr (std::is_same_v<T, ClearField>) {
              renderer_.clear(fx.field);
            } else if constexpr (std::is_same_v<T, Focus>) {
              focus = fx.field;
            }
          },
          effect);
    }
    renderer_.render(conversation_.state(), conversation_.phase());
    // After the render, so the field is visible.
    if (focus) {
      renderer_.focus(*focus);
    }
  }

  val host_;
  Conversation conversation_;
  Renderer renderer_;
};

}  // namespace widget

namespace {
// A widget lives as long as the page: never deleted, so its destructor (the whole
// conversation's) is not in the module.
std::vector<widget::Widget*>& widgets() {
  static std::vector<widget::Widget*> all;
  return all;
}
std::string arg(const char* name) { return widget::val::module_property(name).as<std::string>(); }
}  // namespace

/// Creates a widget from Module.arg = {root, config, host}; returns its handle.
extern "C" EMSCRIPTEN_KEEPALIVE int widget_create() {
  widget::val a = widget::val::module_property("arg");
  widgets().push_back(new widget::Widget(a["root"], a["config"], a["host"]));
  return static_cast<int>(widgets().size()) - 1;
}

/// What core.js asks of a widget (the same numbers are spelled out there); string
/// arguments are in Module.arg and Module.arg2.
enum Command {
  kOpen,
  kClose,
  kToggle,
  kIsOpen,
  kResponse,
  kStreamOpen,
  kStreamEvent,
  kStreamError,
  kTimer,
  kWake,
  kEvent
};

extern "C" EMSCRIPTEN_KEEPALIVE int widget_call(int handle, int command, int a, int b) {
  if (handle < 0 || static_cast<std::size_t>(handle) >= widgets().size()) {
    return 0;
  }
  widget::Widget& w = *widgets()[static_cast<std::size_t>(handle)];
  switch (command) {
    case kOpen: w.open(); break;
    case kClose: w.close(); break;
    case kToggle: w.toggle(); break;
    case kIsOpen: return w.is_open() ? 1 : 0;
    case kResponse: w.on_response(a, b, arg("arg")); break;
    case kStreamOpen: w.on_stream_open(); break;
    case kStreamEvent: w.on_stream_event(arg("arg"), arg("arg2")); break;
    case kStreamError: w.on_stream_error(a != 0); break;
    case kTimer: w.on_timer(a); break;
    case kWake: w.on_wake(); break;
    case kEvent: w.handle_event(widget::val::module_property("arg")); break;
    default: break;
  }
  return 0;
}
