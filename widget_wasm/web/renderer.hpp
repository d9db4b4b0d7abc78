#pragma once
// Draws the conversation's State into the shadow root. The launcher belongs to the
// shim (drawn before this module loads); the renderer only updates its badge and labels.

#include <emscripten/val.h>

#include <string>
#include <vector>

#include "conversation.hpp"
#include "markdown.hpp"

namespace widget {

class Renderer {
 public:
  Renderer(emscripten::val root, Lang lang);

  void render(const State& state, Phase phase);
  emscripten::val field(Field f) const;
  void focus(Field f) const;
  void clear(Field f) const;
  /// Keeps Tab and Shift+Tab inside the dialog while it is open (aria-modal).
  void trap_focus(emscripten::val event) const;
  /// Grows the message input with its content, up to the CSS max-height.
  void fit_input() const;

 private:
  void build();
  void render_messages(const State& state);
  void render_greeting(const State& state);
  void render_suggestions(const State& state, Phase phase);
  emscripten::val message_node(const chat::Message& m) const;
  /// Paragraphs and lists built element by element; text only through text nodes.
  static void append_blocks(emscripten::val parent, const std::vector<Block>& blocks);
  void scroll_to_end() const;
  emscripten::val tail() const;
  static bool attached(const emscripten::val& node);

  emscripten::val root_;
  Lang lang_;
  const Texts& t_;
  emscripten::val launcher_ = emscripten::val::null();
  emscripten::val badge_ = emscripten::val::null();
  emscripten::val panel_ = emscripten::val::null();
  emscripten::val status_ = emscripten::val::null();
  emscripten::val log_ = emscripten::val::null();
  emscripten::val draft_ = emscripten::val::null();
  emscripten::val greeting_ = emscripten::val::null();
  emscripten::val suggestions_ = emscripten::val::null();
  emscripten::val typing_ = emscripten::val::null();
  emscripten::val error_ = emscripten::val::null();
  emscripten::val retry_ = emscripten::val::null();
  emscripten::val erase_ = emscripten::val::null();
  emscripten::val erase_confirmation_ = emscripten::val::null();
  emscripten::val erase_confirm_ = emscripten::val::null();
  emscripten::val composer_ = emscripten::val::null();
  emscripten::val input_ = emscripten::val::null();
  emscripten::val send_ = emscripten::val::null();
  emscripten::val phone_form_ = emscripten::val::null();
  emscripten::val phone_input_ = emscripten::val::null();
  emscripten::val code_form_ = emscripten::val::null();
  emscripten::val code_input_ = emscripten::val::null();
  emscripten::val code_sent_ = emscripten::val::null();
  std::vector<std::string> rendered_ids_;
  std::string rendered_draft_;
  std::string rendered_greeting_;
  std::vector<std::string> rendered_suggestions_;
};

}  // namespace widget
