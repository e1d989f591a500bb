// Strict parsers for the values candour's options take, so that a typo is refused instead of
// half read: "3abc" is not 3, and "127.0.0.1:http" is not port 0. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace candour::cli {

// A decimal number of digits only (no sign, no spaces) within [min, max]; otherwise nullopt.
std::optional<uint64_t> ParseNumber(std::string_view text, uint64_t min, uint64_t max);

struct HostPort {
  std::string host;  // without the brackets of an IPv6 address
  uint16_t port = 0;
};

// "HOST:PORT" or "[IPV6]:PORT", PORT a number from 0 to 65535 (0: any free port); otherwise
// nullopt.
std::optional<HostPort> ParseHostPort(std::string_view text);

// "on" is true, "off" false; anything else nullopt.
std::optional<bool> ParseOnOff(std::string_view text);

}  // namespace candour::cli
