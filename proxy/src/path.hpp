#pragma once
/// \file The proxy's one security decision about paths: which raw request targets may
/// be forwarded to the agent server, and as what. Pure functions, no I/O.

#include <cstddef>
#include <string>
#include <string_view>

#include "chat/error.hpp"

namespace proxy {

inline constexpr std::size_t kMaxTargetBytes = 2048;
inline constexpr std::size_t kMaxPathBytes = 512;
inline constexpr std::size_t kMaxQueryBytes = 1024;
inline constexpr std::size_t kMaxRestaurantIdChars = 64;

/// Where a browser request under /api/chat/ goes on the agent server.
struct ChatTarget {
  std::string restaurant_id;
  std::string path;   ///< "/api/chat/...": only unreserved characters and '/'
  std::string query;  ///< re-encoded "k=v&k2=v2", empty when none
  /// path + "?" + query when there is a query.
  std::string path_and_query() const;
};

/// Decides a raw request target (exactly as the client sent it, with its query):
/// `/api/chat/<restaurantId>/<path>` -> agent server `/api/<path>`, where the decoded
/// path must start with `chat/`. Decodes percent-escapes once and refuses, instead of
/// normalising, anything that could change meaning in a later decoding: encoded
/// dots, slashes, backslashes or percents, dot or empty segments, backslashes,
/// control or non-ASCII bytes, case variants of `chat`, overlong targets.
/// Errors: invalid_path (400) or not_found (404, a clean path outside `chat/`).
chat::Result<ChatTarget> decide_chat_target(std::string_view raw_target);

/// Restaurant ids as they appear in URLs: 1 to 64 of [A-Za-z0-9_-].
bool is_valid_restaurant_id(std::string_view id) noexcept;

/// Decides `/widget/<file>` raw targets: one file name of [A-Za-z0-9._-], not starting
/// with a dot, at most 128 characters; the query is dropped. Returns the upstream path.
chat::Result<std::string> decide_widget_path(std::string_view raw_target);

}  // namespace proxy
