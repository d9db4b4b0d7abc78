#include "texts.hpp"

// The languages of the widget, each a table of texts (texts_<lang>.cpp).
//
// The browser module is linked once per language (widget_wasm/CMakeLists.txt) with
// WIDGET_ONE_LANGUAGE naming its table: that table answers for every language, and
// it is the only one in the module (the shim loads chat-core-<lang>.wasm for the
// page's language; -0.9 KB gzipped against both in one).
namespace widget {

const Texts& texts([[maybe_unused]] Lang lang) noexcept {
#ifdef WIDGET_ONE_LANGUAGE
  return WIDGET_ONE_LANGUAGE;
#else
  static constexpr chat::LangTables<Texts> kTables(&kFrench, &kEnglish, &kItalian);
  return kTables[lang];
#endif
}

}  // namespace widget
