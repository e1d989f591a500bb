// RateLimiter: how many submissions one address has made to one survey in the current clock
// hour, so that an open survey cannot be flooded from one machine. Counting is in memory only,
// and no address is kept even there: each is reduced to a keyed hash (SipHash) under a random
// secret that is never written and is replaced, with every count, when the hour changes.
// Thread-safe.
#pragma once

#include <sodium.h>

#include <array>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace candour::server {

class RateLimiter {
 public:
  // At most this many distinct (survey, address) counts per hour; beyond it submissions are
  // let through rather than refused (a flood of addresses is not what this limit is for).
  static constexpr size_t kMaxTracked = 1'000'000;

  RateLimiter();
  ~RateLimiter();

  // Counts one submission and returns true if it is within `per_hour` for this hour, false
  // (not counted) if the address has used them all.
  bool Allow(std::string_view survey, const boost::asio::ip::address& peer, uint64_t per_hour,
             std::chrono::system_clock::time_point now);

  // Seconds until the hour of `now` ends (for Retry-After).
  static int64_t SecondsLeft(std::chrono::system_clock::time_point now);

 private:
  std::mutex mu_;
  int64_t hour_ = -1;  // guarded by mu_: the hour the secret and counts belong to
  std::array<uint8_t, crypto_shorthash_KEYBYTES> secret_{};  // guarded by mu_
  std::unordered_map<uint64_t, uint64_t> counts_;            // guarded by mu_
};

}  // namespace candour::server
