// Which client a request is from, for the in-memory limits only (the rate limiter and the
// connections per address): the peer's address, or behind a declared reverse proxy the last
// X-Forwarded-For hop that proxy added, reduced to the block one client holds (an IPv6 /64).
// Nothing here is stored or logged.
// Thread-safe: pure functions.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <vector>

#include "server/http_util.h"

namespace candour::server {

// The address limits count by: an IPv4 address as it is (also when it arrives IPv4-mapped,
// ::ffff:a.b.c.d, on a dual-stack socket), an IPv6 address cut to its /64 (the low 64 bits
// zero): one /64 is what a single home or phone is given, and holds 2^64 addresses.
boost::asio::ip::address LimitKey(const boost::asio::ip::address& address);

// Whether `peer` is one of `trusted_proxies` (an IPv4-mapped IPv6 address as its IPv4 one).
bool IsTrustedProxy(const boost::asio::ip::address& peer,
                    const std::vector<boost::asio::ip::address>& trusted_proxies);

// `peer` (the socket's remote address), unless it is a trusted proxy (IsTrustedProxy) and the
// request carries X-Forwarded-For: then the last hop of the last such header, the one the proxy
// itself added, if it is a valid IPv4 or IPv6 address. Every earlier hop was written by the client
// and is ignored. A trusted proxy's request without a valid last hop counts as the proxy's own.
boost::asio::ip::address ClientAddress(
    const Request& req, const boost::asio::ip::address& peer,
    const std::vector<boost::asio::ip::address>& trusted_proxies);

}  // namespace candour::server
