#include "server/client_address.h"

#include <algorithm>
#include <string_view>

namespace candour::server {

namespace asio = boost::asio;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

asio::ip::address Unmapped(const asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  }
  return a;
}

}  // namespace

asio::ip::address LimitKey(const asio::ip::address& address) {
  const asio::ip::address a = Unmapped(address);
  if (a.is_v4()) return a;
  auto bytes = a.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return asio::ip::address_v6(bytes);
}

bool IsTrustedProxy(const asio::ip::address& peer,
                    const std::vector<asio::ip::address>& trusted_proxies) {
  const asio::ip::address from = Unmapped(peer);
  return std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                     [&](const asio::ip::address& p) { return Unmapped(p) == from; });
}

asio::ip::address ClientAddress(const Request& req, const asio::ip::address& peer,
                                const std::vector<asio::ip::address>& trusted_proxies) {
  if (!IsTrustedProxy(peer, trusted_proxies)) return peer;
  std::string_view last;
  bool found = false;
  const auto [first, end] = req.equal_range("X-Forwarded-For");
  for (auto it = first; it != end; ++it) {
    last = std::string_view(it->value().data(), it->value().size());
    found = true;
  }
  if (!found) return peer;
  const size_t comma = last.rfind(',');
  std::string_view hop = Trim(comma == std::string_view::npos ? last : last.substr(comma + 1));
  // "[2001:db8::1]" (some proxies bracket IPv6); a port is not part of any hop nginx writes.
  if (hop.size() > 2 && hop.front() == '[' && hop.back() == ']')
    hop = hop.substr(1, hop.size() - 2);
  boost::system::error_code ec;
  const asio::ip::address client = asio::ip::make_address(std::string(hop), ec);
  return ec ? peer : client;
}

}  // namespace candour::server
