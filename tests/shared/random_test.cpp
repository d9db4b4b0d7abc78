#include <catch2/catch.hpp>

#include <array>
#include <set>
#include <string>

#include "chat/random.hpp"
#include "chat/validation.hpp"

namespace {

bool all_base64url(const std::string& s) {
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("random_bytes fills buffers of any size, including over 64 KiB") {
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{65536}, std::size_t{65537}, std::size_t{200000}}) {
    std::string buf(size, '\0');
    chat::random_bytes(reinterpret_cast<std::uint8_t*>(buf.data()), size);
    if (size >= 1000) {
      // Each 64 KiB chunk got filled: no long run of untouched zeros at its end.
      CHECK(buf.find(std::string(64, '\0')) == std::string::npos);
    }
  }
}

TEST_CASE("random_base64url: length and alphabet, and all 64 symbols turn up") {
  for (const std::size_t n :
       {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000}}) {
    const std::string s = chat::random_base64url(n);
    CHECK(s.size() == n);
    CHECK(all_base64url(s));
  }
  const std::string big = chat::random_base64url(20000);
  CHECK(std::set<char>(big.begin(), big.end()).size() == 64);
}

TEST_CASE("visitor ids and tokens") {
  const std::string visitor = chat::random_visitor_id();
  CHECK(visitor.size() == 24);
  CHECK(chat::is_valid_visitor_id(visitor));

  const std::string token = chat::random_token("ak_");
  CHECK(token.size() == 46);
  CHECK(token.rfind("ak_", 0) == 0);
  CHECK(all_base64url(token.substr(3)));
  CHECK(chat::random_token("pk_").rfind("pk_", 0) == 0);
}

TEST_CASE("UUIDs are lowercase version 4, RFC 4122 variant") {
  for (int i = 0; i < 200; ++i) {
    const std::string id = chat::random_uuid();
    REQUIRE(chat::is_valid_uuid(id));
    CHECK(id[14] == '4');
    CHECK((id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b'));
  }
}

TEST_CASE("codes are six digits with every digit in every position") {
  std::array<std::array<int, 10>, 6> seen{};
  for (int i = 0; i < 2000; ++i) {
    const std::string code = chat::random_code();
    REQUIRE(chat::is_valid_code(code));
    for (std::size_t p = 0; p < 6; ++p) ++seen[p][static_cast<std::size_t>(code[p] - '0')];
  }
  // 200 expected per cell; a cell under 100 means a broken draw (p < 1e-12 by chance).
  for (const auto& position : seen) {
    for (const int count : position) CHECK(count > 100);
  }
}

TEST_CASE("no duplicates among many ids") {
  std::set<std::string> ids;
  for (int i = 0; i < 5000; ++i) {
    ids.insert(chat::random_uuid());
    ids.insert(chat::random_visitor_id());
    ids.insert(chat::random_token("ak_"));
  }
  CHECK(ids.size() == 15000);
}
