#pragma once
/// \file HTML escaping, shared by the proxy's page and the widget's markup.

#include <string>
#include <string_view>

namespace chat {

/// Escapes text for HTML content and quoted attribute values: & < > " '.
std::string escape_html(std::string_view text);

}  // namespace chat
