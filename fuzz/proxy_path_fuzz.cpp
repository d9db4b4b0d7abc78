// Feeds raw request targets through the proxy's path decision and checks that every
// target is either refused or becomes an agent server path that:
//  - starts with "/api/chat/" and has at least one segment after it;
//  - holds only [A-Za-z0-9._~-] and '/', so no later decoding can change it;
//  - has no empty segment and no segment made only of dots;
//  - decides the same way again (the output, as a proxy target, maps to itself);
// and that refusals carry invalid_path or not_found only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "path.hpp"

namespace {

bool is_canonical_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '~' || c == '.' || c == '/';
}

void check_path(const std::string& path) {
  FUZZ_CHECK(path.rfind("/api/chat/", 0) == 0);
  FUZZ_CHECK(path.size() > std::string_view("/api/chat/").size());
  for (char c : path) FUZZ_CHECK(is_canonical_char(c));
  std::size_t start = 1;  // after the leading '/'
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    auto segment = std::string_view(path).substr(start, end - start);
    FUZZ_CHECK(!segment.empty());
    FUZZ_CHECK(segment.find_first_not_of('.') != std::string_view::npos);
    start = end + 1;
  }
}

void check_query(const std::string& query) {
  for (char c : query) {
    auto u = static_cast<unsigned char>(c);
    FUZZ_CHECK(u > 0x20 && u < 0x7f && c != '#' && c != '?' && c != '+');
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  // Half the inputs are taken as the part after the restaurant, so the fuzzer spends
  // its time past the prefix check.
  for (const std::string& target : {std::string(raw), "/api/chat/r1/" + std::string(raw)}) {
    auto decided = proxy::decide_chat_target(target);
    if (!decided) {
      auto code = decided.error().code;
      FUZZ_CHECK(code == chat::ErrorCode::invalid_path || code == chat::ErrorCode::not_found);
      continue;
    }
    check_path(decided->path);
    check_query(decided->query);
    FUZZ_CHECK(proxy::is_valid_restaurant_id(decided->restaurant_id));
    // Deciding the forwarded form again is the identity: nothing was left to decode.
    auto again = proxy::decide_chat_target("/api/chat/" + decided->restaurant_id + "/" + decided->path.substr(5) +
                                           "?" + decided->query);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->path == decided->path);
    FUZZ_CHECK(again->query == decided->query);
  }
  return 0;
}
