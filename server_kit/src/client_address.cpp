#include "kit/client_address.hpp"

#include <arpa/inet.h>

#include <optional>

namespace kit {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::array<std::uint8_t, 16>> to_bytes(std::string_view address) {
  std::string text(address);
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v4);
    for (std::size_t i = 0; i < 4; ++i) out[12 + i] = p[i];
    return out;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v6);
    for (std::size_t i = 0; i < 16; ++i) out[i] = p[i];
    return out;
  }
  return std::nullopt;
}

}  // namespace

chat::Result<TrustedProxies> TrustedProxies::parse(std::string_view text) {
  TrustedProxies out;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) continue;
    Range range;
    std::string_view address = item;
    std::optional<int> prefix;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      address = item.substr(0, slash);
      std::string_view digits = item.substr(slash + 1);
      if (digits.empty() || digits.size() > 3 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return chat::Error(chat::ErrorCode::invalid_request, "bad prefix length in '" + std::string(item) + "'");
      }
      prefix = std::stoi(std::string(digits));
    }
    auto bytes = to_bytes(address);
    if (!bytes) {
      return chat::Error(chat::ErrorCode::invalid_request,
                         "not an IP address or CIDR range: '" + std::string(item) + "'");
    }
    bool v4 = address.find(':') == std::string_view::npos;
    int max = v4 ? 32 : 128;
    int bits = prefix.value_or(max);
    if (bits > max) {
      return chat::Error(chat::ErrorCode::invalid_request, "prefix too long in '" + std::string(item) + "'");
    }
    range.bytes = *bytes;
    range.prefix = v4 ? bits + 96 : bits;
    out.ranges_.push_back(range);
  }
  return out;
}

TrustedProxies TrustedProxies::loopback() { return parse("127.0.0.0/8,::1").value(); }

bool TrustedProxies::contains(std::string_view address) const {
  auto bytes = to_bytes(trim(address));
  if (!bytes) return false;
  for (const auto& range : ranges_) {
    int bits = range.prefix;
    bool match = true;
    for (std::size_t i = 0; i < 16 && bits > 0 && match; ++i, bits -= 8) {
      const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
      match = ((*bytes)[i] & mask) == (range.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string normalize_address(std::string_view address) {
  constexpr std::string_view kMapped = "::ffff:";
  if (address.size() > kMapped.size() && address.substr(0, kMapped.size()) == kMapped &&
      address.find('.') != std::string_view::npos) {
    return std::string(address.substr(kMapped.size()));
  }
  return std::string(address);
}

std::string client_address(const httplib::Request& req, const TrustedProxies& trusted) {
  std::string peer = normalize_address(req.remote_addr);
  if (trusted.empty() || !trusted.contains(peer) || !req.has_header("X-Forwarded-For")) return peer;
  // Every X-Forwarded-For header, in order, as one list.
  std::vector<std::string> hops;
  for (std::size_t i = 0, n = req.get_header_value_count("X-Forwarded-For"); i < n; ++i) {
    std::string header = req.get_header_value("X-Forwarded-For", i);
    std::string_view value = header;
    while (!value.empty()) {
      auto comma = value.find(',');
      std::string_view hop = trim(value.substr(0, comma));
      value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
      if (!hop.empty()) hops.push_back(normalize_address(hop));
    }
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!to_bytes(*it)) return peer;  // garbage from a trusted proxy: trust the peer
    if (!trusted.contains(*it)) return *it;
  }
  return hops.empty() ? peer : hops.front();
}

}  // namespace kit
