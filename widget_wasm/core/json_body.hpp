#pragma once
/// \file The few request bodies the widget sends, written directly: flat objects of
/// strings. (nlohmann's serializer would add ~2.5 KB gzipped to the module for
/// four one-line bodies; the servers decode them with chat::api, see the tests.)

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace widget {

/// `{"k1":"v1","k2":"v2"}`, values escaped as JSON requires (quotes, backslashes,
/// control characters); UTF-8 passes through unchanged.
std::string json_object(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

}  // namespace widget
