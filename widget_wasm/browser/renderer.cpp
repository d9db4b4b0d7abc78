#include "renderer.hpp"

#include "bidi.hpp"
#include "dom.hpp"
#include "markdown.hpp"
#include "markup.hpp"

namespace widget {

namespace d = dom;

Renderer::Renderer(val root, Lang lang) : root_(root), lang_(lang), t_(texts(lang)) { build(); }

void Renderer::build() {
  launcher_ = root_.call<val>("querySelector", val("[data-part=launcher]"));
  badge_ = root_.call<val>("querySelector", val("[data-part=badge]"));
  if (!launcher_.isNull()) {
    d::set_attr(launcher_, "aria-controls", "panel");
  }
  panel_ = d::element("section", {{"class", "panel"},
                                  {"data-part", "panel"},
                                  {"id", "panel"},
                                  {"role", "dialog"},
                                  {"aria-modal", "true"},
                                  {"aria-labelledby", "title"},
                                  {"hidden", ""}});
  // Fixed markup with escaped constant texts (one call instead of a hundred);
  // messages never go through HTML.
  panel_.set("innerHTML", val(panel_markup(t_)));
  auto part = [&](const char* name) {
    return panel_.call<val>("querySelector", val(std::string("[data-part=") + name + "]"));
  };
  status_ = part("status");
  log_ = part("messages");
  draft_ = part("draft");
  greeting_ = part("greeting");
  suggestions_ = part("suggestions");
  typing_ = part("typing");
  error_ = part("error");
  retry_ = part("retry");
  erase_ = part("erase");
  erase_confirmation_ = part("erase-confirmation");
  erase_confirm_ = part("erase-confirm");
  composer_ = part("composer");
  input_ = part("input");
  send_ = part("send");
  phone_form_ = part("phone-form");
  phone_input_ = part("phone-input");
  code_form_ = part("code-form");
  code_input_ = part("code-input");
  code_sent_ = part("code-sent");
  // Shown only while there is a reply in progress.
  draft_.call<void>("remove");
  typing_.call<void>("remove");
  root_.call<void>("appendChild", panel_);
}

val Renderer::field(Field f) const {
  switch (f) {
    case Field::launcher: return launcher_;
    case Field::input: return input_;
    case Field::phone_input: return phone_input_;
    case Field::code_input: return code_input_;
  }
  return input_;
}

void Renderer::focus(Field f) const {
  val el = field(f);
  if (!el.isNull()) {  // null and undefined
    el.call<void>("focus");
  }
}

void Renderer::clear(Field f) const {
  field(f).set("value", val(""));
  if (f == Field::input) {
    fit_input();
  }
}

void Renderer::render(const State& s, Phase phase) {
  d::set_flag(panel_, "hidden", !s.open);
  d::set_attr(panel_, "data-phase", std::string(to_string(phase)));
  if (!launcher_.isNull()) {
    std::string unread = unread_text(lang_, s.unread);
    d::set_attr(launcher_, "aria-expanded", s.open ? "true" : "false");
    d::set_attr(launcher_, "aria-label",
                unread.empty() ? std::string(t_.open_chat) : std::string(t_.open_chat) + " (" + unread + ")");
    if (!badge_.isNull()) {
      d::set_text(badge_, s.unread > 9 ? std::string("9+") : std::to_string(s.unread));
      d::set_flag(badge_, "hidden", s.unread == 0);
    }
  }

  const char* status = phase == Phase::opening ? t_.connecting : s.reconnecting ? t_.reconnecting : "";
  d::set_text(status_, status);
  d::set_flag(status_, "hidden", *status == '\0');

  d::set_text(error_, s.error);
  d::set_flag(error_, "hidden", s.error.empty());
  d::set_flag(retry_, "hidden", !s.failed_reply);
  d::set_flag(retry_, "disabled", s.busy);
  // Erasing is offered once there is something to erase.
  d::set_flag(erase_, "hidden", s.session_id.empty() || phase == Phase::error);
  d::set_attr(erase_, "aria-expanded", s.confirming_erase ? "true" : "false");
  d::set_flag(erase_confirmation_, "hidden", !s.confirming_erase);
  d::set_flag(erase_confirm_, "disabled", s.busy);

  bool phone_step = phase == Phase::phone_required;
  bool code_step = phase == Phase::code_sent;
  d::set_flag(phone_form_, "hidden", !phone_step);
  d::set_flag(code_form_, "hidden", !code_step);
  d::set_flag(composer_, "hidden", phone_step || code_step);
  if (code_step) {
    d::set_text(code_sent_, code_sent_text(lang_, s.code_sent_to));
  }

  bool blocked = s.busy || phase == Phase::error || phase == Phase::opening;
  // Read-only while a message is sent or retried: what is retried is what is shown.
  d::set_flag(input_, "readonly", s.busy);
  d::set_attr(input_, "aria-busy", s.busy ? "true" : "false");
  d::set_flag(send_, "disabled", blocked);
  for (val form : {phone_form_, code_form_}) {
    val buttons = form.call<val>("querySelectorAll", val("button"));
    int n = buttons["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      d::set_flag(buttons[i], "disabled", s.busy);
    }
  }

  render_greeting(s);
  render_suggestions(s, phase);
  render_messages(s);
}

// The agent's first words: at the top of the log, drawn like a reply.
void Renderer::render_greeting(const State& s) {
  if (s.greeting == rendered_greeting_) {
    return;
  }
  rendered_greeting_ = s.greeting;
  d::set_text(greeting_, "");
  append_blocks(greeting_, parse_markdown(s.greeting));
  d::set_flag(greeting_, "hidden", s.greeting.empty());
}

// Real buttons (Tab, Enter, Space), outside the log so they are never announced as
// messages; each names its suggestion by index (bindings.cpp).
void Renderer::render_suggestions(const State& s, Phase phase) {
  if (s.suggestions != rendered_suggestions_) {
    rendered_suggestions_ = s.suggestions;
    d::set_text(suggestions_, "");
    for (std::size_t i = 0; i < s.suggestions.size(); ++i) {
      val b = d::append(
          suggestions_,
          d::element("button",
                     {{"type", "button"}, {"class", "suggestion"}, {"data-part", "suggestion"}, {"dir", "auto"}}));
      d::set_attr(b, "data-index", std::to_string(static_cast<int>(i)));
      d::set_text(b, strip_bidi_controls(s.suggestions[i]));  // phrasing only: no links in a button
    }
  }
  bool step = phase == Phase::phone_required || phase == Phase::code_sent || phase == Phase::error;
  d::set_flag(suggestions_, "hidden", s.suggestions.empty() || step);
  val buttons = suggestions_["children"];
  int n = buttons["length"].as<int>();
  for (int i = 0; i < n; ++i) {
    d::set_flag(buttons[i], "disabled", s.busy);
  }
}

val Renderer::message_node(const chat::Message& m) const {
  std::string role(to_string(m.role));
  // dir=auto: each message is isolated and takes its direction from its own first
  // letter, so nothing in it reorders what is around it; the bidi controls that
  // would reorder it from inside are gone from what is shown (markdown.hpp).
  val node = d::element("div", {{"data-part", "message"}, {"dir", "auto"}});
  d::set_attr(node, "class", "msg " + role);
  d::set_attr(node, "data-role", role);
  d::set_attr(node, "data-id", m.id);
  if (m.role != chat::Role::system) {
    // With a dir of its own, the prefix doesn't count for the message's direction.
    val who = d::append(node, d::element("span", {{"class", "sr"}, {"dir", "ltr"}}));
    d::set_text(who, m.role == chat::Role::visitor ? t_.you : t_.agent);
  }
  // A visitor writes text, not Markdown: only links are found in it.
  append_blocks(node, m.role == chat::Role::agent ? parse_markdown(m.text) : parse_plain(m.text));
  return node;
}

namespace {

// A run's text inside its link and style elements: <a><strong><em><code>text.
void append_run(val parent, const Run& run) {
  for (auto [flag, tag] : {std::pair{kBold, "strong"}, std::pair{kItalic, "em"}, std::pair{kCode, "code"}}) {
    if (run.style & flag) {
      parent = d::append(parent, d::element(tag));
    }
  }
  d::append(parent, d::document().call<val>("createTextNode", val(run.text)));
}

// A link opens in a new tab without giving the page a handle on the widget's
// (noopener) or telling where it came from (noreferrer); tel: and mailto: stay here.
val link_element(const std::string& href) {
  bool web = href.compare(0, 4, "tel:") != 0 && href.compare(0, 7, "mailto:") != 0;
  val a = web ? d::element("a", {{"target", "_blank"}, {"rel", "noopener noreferrer"}}) : d::element("a");
  d::set_attr(a, "href", href);
  return a;
}

void append_runs(val parent, const std::vector<Run>& runs) {
  val link = val::null();
  const std::string* link_href = nullptr;
  for (const Run& run : runs) {
    if (run.href.empty()) {
      link_href = nullptr;
      append_run(parent, run);
      continue;
    }
    // Pieces of one link in several styles ("[**Book** now](...)") share one <a>.
    if (!link_href || *link_href != run.href) {
      link = d::append(parent, link_element(run.href));
      link_href = &run.href;
    }
    append_run(link, run);
  }
}

}  // namespace

void Renderer::append_blocks(val parent, const std::vector<Block>& blocks) {
  val list = val::null();
  BlockKind list_kind = BlockKind::paragraph;
  for (const Block& b : blocks) {
    if (b.kind == BlockKind::paragraph) {
      list_kind = BlockKind::paragraph;
      append_runs(d::append(parent, d::element("p")), b.runs);
      continue;
    }
    if (b.kind != list_kind) {
      bool numbered = b.kind == BlockKind::numbered_item;
      list = d::append(parent, d::element(numbered ? "ol" : "ul"));
      if (numbered && b.number != 1) {
        d::set_attr(list, "start", std::to_string(static_cast<int>(b.number)));
      }
      list_kind = b.kind;
    }
    append_runs(d::append(list, d::element("li")), b.runs);
  }
}

bool Renderer::attached(const val& node) { return !node["parentNode"].isNull(); }

// The draft and the typing dots always stay after the messages.
val Renderer::tail() const { return attached(draft_) ? draft_ : attached(typing_) ? typing_ : val::null(); }

void Renderer::render_messages(const State& s) {
  bool changed = false;
  // Messages come in seq order and almost always at the end; anything else (a new
  // session) redraws the list.
  bool prefix_ok = rendered_ids_.size() <= s.messages.size();
  for (std::size_t i = 0; prefix_ok && i < rendered_ids_.size(); ++i) {
    prefix_ok = rendered_ids_[i] == s.messages[i].id;
  }
  if (!prefix_ok) {
    val old = log_.call<val>("querySelectorAll", val("[data-part=message]"));
    int n = old["length"].as<int>();
    for (int i = 0; i < n; ++i) {
      old[i].call<void>("remove");
    }
    rendered_ids_.clear();
  }
  for (std::size_t i = rendered_ids_.size(); i < s.messages.size(); ++i) {
    // Before the draft and the typing dots, which always stay last.
    log_.call<void>("insertBefore", message_node(s.messages[i]), tail());
    rendered_ids_.push_back(s.messages[i].id);
    changed = true;
  }

  std::string draft = s.draft ? s.draft->text : std::string();
  if (draft != rendered_draft_) {
    rendered_draft_ = draft;
    // Read again whole at each piece: a marker still open shows as text until closed.
    d::set_text(draft_, "");
    append_blocks(draft_, parse_markdown(draft));
    changed = true;
  }
  bool show_draft = !draft.empty();
  if (show_draft != attached(draft_)) {
    if (show_draft) {
      log_.call<void>("insertBefore", draft_, attached(typing_) ? typing_ : val::null());
    } else {
      draft_.call<void>("remove");
    }
    changed = true;
  }
  bool show_typing = s.awaiting_reply && !s.draft;
  if (show_typing != attached(typing_)) {
    if (show_typing) {
      d::append(log_, typing_);
    } else {
      typing_.call<void>("remove");
    }
    changed = true;
  }
  if (changed) {
    scroll_to_end();
  }
}

void Renderer::scroll_to_end() const { val(log_).set("scrollTop", log_["scrollHeight"]); }

void Renderer::fit_input() const {
  val style = input_["style"];
  style.set("height", val("auto"));
  style.set("height", val(std::to_string(input_["scrollHeight"].as<int>()) + "px"));
}

void Renderer::trap_focus(val event) const {
  val items = panel_.call<val>("querySelectorAll",
                               val("button:not([disabled]),textarea,input,a[href],[tabindex='0']"));
  std::vector<val> visible;
  int n = items["length"].as<int>();
  for (int i = 0; i < n; ++i) {
    val el = items[i];
    if (el.call<val>("getClientRects")["length"].as<int>() > 0) {
      visible.push_back(el);
    }
  }
  if (visible.empty()) {
    return;
  }
  val active = root_["activeElement"];
  bool back = event["shiftKey"].as<bool>();
  val& first = visible.front();
  val& last = visible.back();
  bool inside = false;
  for (const val& el : visible) {
    inside = inside || el.strictlyEquals(active);
  }
  if (!inside || (back && active.strictlyEquals(first)) || (!back && active.strictlyEquals(last))) {
    event.call<void>("preventDefault");
    (back ? last : first).call<void>("focus");
  }
}

}  // namespace widget
