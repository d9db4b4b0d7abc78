#pragma once
/// \file The panel's fixed markup, built once from our own texts. Only constant
/// markup and escaped texts go through it: messages never do (they are text nodes).

#include <string>
#include <string_view>

#include "texts.hpp"

namespace widget {

/// The inside of the panel (`<section data-part=panel>`) in a language: header,
/// log, error, composer, phone and code steps. Every data-part of the DOM contract.
std::string panel_markup(const Texts& t);

}  // namespace widget
