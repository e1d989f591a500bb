// RateLimiter: how many submissions one address has made to one survey in the current clock
// hour, so that an open survey cannot be flooded from one machine. Counting is in memory only,
// and no address is kept even there: each is reduced to a keyed hash (SipHash) under a random
// secret that is never written and is replaced, with every count, when the hour changes.
// Addresses are counted as LimitKey gives them (an IPv6 address by its /64).
//
// Memory is bounded and the limit never fails open: the first `capacity` (survey, address)
// pairs of an hour get an exact count each; every pair after them is counted in a count-min
// sketch (4 rows of `sketch_width` counters, under a second secret), which can only
// overestimate: a flood of addresses past capacity can make the limit stricter for the
// addresses that arrive after it, never lift it.
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
#include <vector>

namespace candour::server {

class RateLimiter {
 public:
  // Exact counts per hour (44 MB when all are in use, measured).
  static constexpr size_t kDefaultCapacity = 1'000'000;
  // Counters per sketch row (4 rows of 4-byte counters: 4 MiB, allocated when first needed).
  static constexpr size_t kDefaultSketchWidth = size_t{1} << 18;
  static constexpr size_t kSketchDepth = 4;

  // `sketch_width` is rounded up to a power of two.
  explicit RateLimiter(size_t capacity = kDefaultCapacity,
                       size_t sketch_width = kDefaultSketchWidth);
  ~RateLimiter();

  // Counts one submission and returns true if it is within `per_hour` for this hour, false
  // (not counted) if the address has used them all.
  bool Allow(std::string_view survey, const boost::asio::ip::address& peer, uint64_t per_hour,
             std::chrono::system_clock::time_point now);

  // How many (survey, address) pairs have an exact count this hour (at most the capacity).
  size_t tracked() const;

  // Seconds until the hour of `now` ends (for Retry-After).
  static int64_t SecondsLeft(std::chrono::system_clock::time_point now);

 private:
  // Past capacity: the sketch's estimate for `input`, counted if under `per_hour`.
  // REQUIRES: mu_ held.
  bool AllowInSketch(const std::string& input, uint64_t per_hour);

  // Constant after construction.
  const size_t capacity_;
  const size_t sketch_width_;  // a power of two

  mutable std::mutex mu_;
  int64_t hour_ = -1;  // guarded by mu_: the hour the secrets and counts belong to
  std::array<uint8_t, crypto_shorthash_KEYBYTES> secret_{};         // guarded by mu_
  std::array<uint8_t, crypto_shorthash_KEYBYTES> sketch_secret_{};  // guarded by mu_
  std::unordered_map<uint64_t, uint64_t> counts_;                   // guarded by mu_
  // kSketchDepth rows of sketch_width_ counters, row after row; empty until first needed.
  std::vector<uint32_t> sketch_;  // guarded by mu_
};

}  // namespace candour::server
