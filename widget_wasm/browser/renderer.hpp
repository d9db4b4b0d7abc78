#pragma once
// Draws the conversation's State into the shadow root. The launcher belongs to the
// shim (drawn before this module loads); the renderer only updates its badge and labels.

#include <string>
#include <vector>

#include "conversation.hpp"
#include "js.hpp"
#include "markdown.hpp"

namespace widget {

class Renderer {
 public:
  Renderer(val root, Lang lang);

  void render(const State& state, Phase phase);
  val field(Field f) const;
  void focus(Field f) const;
  void clear(Field f) const;
  /// Keeps Tab and Shift+Tab inside the dialog while it is open (aria-modal).
  void trap_focus(val event) const;
  /// Grows the message input with its content, up to the CSS max-height.
  void fit_input() const;

 private:
  void build();
  void render_messages(const State& state);
  void render_greeting(const State& state);
  void render_suggestions(const State& state, Phase phase);
  val message_node(const chat::Message& m) const;
  /// Paragraphs and lists built element by element; text only through text nodes.
  static void append_blocks(val parent, const std::vector<Block>& blocks);
  void scroll_to_end() const;
  val tail() const;
  static bool attached(const val& node);

  val root_;
  Lang lang_;
  const Texts& t_;
  val launcher_ = val::null();
  val badge_ = val::null();
  val panel_ = val::null();
  val status_ = val::null();
  val log_ = val::null();
  val draft_ = val::null();
  val greeting_ = val::null();
  val suggestions_ = val::null();
  val typing_ = val::null();
  val error_ = val::null();
  val retry_ = val::null();
  val erase_ = val::null();
  val erase_confirmation_ = val::null();
  val erase_confirm_ = val::null();
  val composer_ = val::null();
  val input_ = val::null();
  val send_ = val::null();
  val phone_form_ = val::null();
  val phone_input_ = val::null();
  val code_form_ = val::null();
  val code_input_ = val::null();
  val code_sent_ = val::null();
  std::vector<std::string> rendered_ids_;
  std::string rendered_draft_;
  std::string rendered_greeting_;
  std::vector<std::string> rendered_suggestions_;
};

}  // namespace widget
