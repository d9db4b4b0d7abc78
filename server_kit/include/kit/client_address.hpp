#pragma once
// Who the client is: the TCP peer, or what a trusted proxy in front says it saw.

#include <httplib.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/error.hpp"

namespace kit {

/// Address ranges (CIDR) whose X-Forwarded-For is believed.
class TrustedProxies {
 public:
  /// "127.0.0.0/8,::1,10.0.0.0/8": comma-separated addresses or CIDR ranges; "" = none.
  static chat::Result<TrustedProxies> parse(std::string_view text);
  /// 127.0.0.0/8 and ::1.
  static TrustedProxies loopback();

  bool contains(std::string_view address) const;
  bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 128;
  };
  std::vector<Range> ranges_;
};

/// The client's address: the peer, unless the peer is a trusted proxy; then the
/// right-most X-Forwarded-For entry that is not a trusted proxy (the left-most
/// when all are). IPv4-mapped IPv6 peers read as IPv4.
std::string client_address(const httplib::Request& req, const TrustedProxies& trusted);

/// "::ffff:1.2.3.4" -> "1.2.3.4"; anything else unchanged.
std::string normalize_address(std::string_view address);

}  // namespace kit
