#pragma once
/// \file The public page /r/:restaurantId: plain HTML with the widget's embed tag,
/// built from web/page.html (embedded at build time).

#include <string>
#include <string_view>

#include "kit/embedded.hpp"
#include "store.hpp"

namespace proxy {

/// No inline script or style anywhere, so the page needs neither unsafe-inline nor
/// unsafe-eval; 'wasm-unsafe-eval' lets the widget compile its WASM core.
inline constexpr const char* kPageCsp =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

/// The restaurant's page, every value escaped.
std::string render_page(const RestaurantRow& restaurant);
/// The page for an unknown restaurant (served with 404).
std::string render_not_found_page();

/// web/page.html, embedded at build time (one file).
const kit::EmbeddedFiles& page_template();

}  // namespace proxy
