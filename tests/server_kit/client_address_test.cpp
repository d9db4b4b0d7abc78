// kit::TrustedProxies and kit::client_address: whose X-Forwarded-For is believed.
#include <catch2/catch.hpp>

#include "kit/client_address.hpp"

namespace {

httplib::Request from(const std::string& peer, const std::string& forwarded = "") {
  httplib::Request req;
  req.remote_addr = peer;
  if (!forwarded.empty()) req.headers.emplace("X-Forwarded-For", forwarded);
  return req;
}

}  // namespace

TEST_CASE("trusted ranges match addresses inside them only") {
  auto trusted = kit::TrustedProxies::parse("127.0.0.0/8, ::1, 10.1.0.0/16, 2001:db8::/32").value();
  CHECK(trusted.contains("127.0.0.1"));
  CHECK(trusted.contains("127.255.0.9"));
  CHECK(trusted.contains("::1"));
  CHECK(trusted.contains("10.1.200.3"));
  CHECK(trusted.contains("2001:db8:1::5"));
  CHECK_FALSE(trusted.contains("10.2.0.1"));
  CHECK_FALSE(trusted.contains("128.0.0.1"));
  CHECK_FALSE(trusted.contains("::2"));
  CHECK_FALSE(trusted.contains("not an address"));
  CHECK(kit::TrustedProxies::loopback().contains("127.0.0.2"));
  CHECK(kit::TrustedProxies::parse("").value().empty());
}

TEST_CASE("bad trusted ranges are refused with the item named") {
  for (const char* text : {"127.0.0.0/33", "::1/129", "example.com", "1.2.3.4/", "1.2.3.4/x"}) {
    auto parsed = kit::TrustedProxies::parse(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message.find(std::string(text).substr(0, 7)) != std::string::npos);
  }
}

TEST_CASE("the client is the peer unless the peer is trusted") {
  auto loopback = kit::TrustedProxies::loopback();
  // An untrusted peer's X-Forwarded-For is ignored: anyone can write one.
  CHECK(kit::client_address(from("203.0.113.7", "1.1.1.1"), loopback) == "203.0.113.7");
  // A trusted peer (the site proxy) speaks for its client.
  CHECK(kit::client_address(from("127.0.0.1", "198.51.100.4"), loopback) == "198.51.100.4");
  // The right-most untrusted hop: what the client wrote itself comes first.
  CHECK(kit::client_address(from("127.0.0.1", "6.6.6.6, 198.51.100.4, 127.0.0.5"), loopback) == "198.51.100.4");
  // Several headers read as one list.
  httplib::Request two = from("127.0.0.1", "6.6.6.6");
  two.headers.emplace("X-Forwarded-For", "198.51.100.9");
  CHECK(kit::client_address(two, loopback) == "198.51.100.9");
  // A trusted peer with no header speaks for itself; garbage from it is not believed.
  CHECK(kit::client_address(from("127.0.0.1"), loopback) == "127.0.0.1");
  CHECK(kit::client_address(from("127.0.0.1", "evil, 198.51.100.4"), loopback) == "198.51.100.4");
  CHECK(kit::client_address(from("127.0.0.1", "198.51.100.4, <script>"), loopback) == "127.0.0.1");
  // No trusted proxies: always the peer.
  CHECK(kit::client_address(from("127.0.0.1", "198.51.100.4"), kit::TrustedProxies()) == "127.0.0.1");
  CHECK(kit::client_address(from("::ffff:192.0.2.1"), loopback) == "192.0.2.1");
}
