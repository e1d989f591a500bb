#include "server/rate_limiter.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "server/client_address.h"

namespace candour::server {

RateLimiter::RateLimiter(size_t capacity, size_t sketch_width)
    : capacity_(capacity), sketch_width_(std::bit_ceil(std::max<size_t>(sketch_width, 1))) {}

RateLimiter::~RateLimiter() {
  sodium_memzero(secret_.data(), secret_.size());
  sodium_memzero(sketch_secret_.data(), sketch_secret_.size());
}

bool RateLimiter::Allow(std::string_view survey, const boost::asio::ip::address& peer,
                        uint64_t per_hour, std::chrono::system_clock::time_point now) {
  const int64_t hour = std::chrono::floor<std::chrono::hours>(now).time_since_epoch().count();
  // The address's bytes (its /64 for IPv6) and the survey id, hashed; the address itself goes
  // no further.
  const boost::asio::ip::address key_address = LimitKey(peer);
  std::string input;
  if (key_address.is_v4()) {
    const auto bytes = key_address.to_v4().to_bytes();
    input.assign(bytes.begin(), bytes.end());
  } else {
    const auto bytes = key_address.to_v6().to_bytes();
    input.assign(bytes.begin(), bytes.begin() + 8);
  }
  input.push_back('\0');
  input.append(survey);
  std::lock_guard lock(mu_);
  if (hour != hour_) {
    hour_ = hour;
    randombytes_buf(secret_.data(), secret_.size());
    randombytes_buf(sketch_secret_.data(), sketch_secret_.size());
    counts_.clear();
    std::fill(sketch_.begin(), sketch_.end(), 0);
  }
  uint64_t key = 0;
  crypto_shorthash(reinterpret_cast<unsigned char*>(&key),
                   reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                   secret_.data());
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    if (counts_.size() >= capacity_) {
      const bool allowed = AllowInSketch(input, per_hour);
      sodium_memzero(input.data(), input.size());
      return allowed;
    }
    it = counts_.emplace(key, 0).first;
  }
  sodium_memzero(input.data(), input.size());
  if (it->second >= per_hour) return false;
  ++it->second;
  return true;
}

bool RateLimiter::AllowInSketch(const std::string& input, uint64_t per_hour) {
  if (sketch_.empty()) sketch_.assign(kSketchDepth * sketch_width_, 0);
  // Two 64-bit keyed hashes give four 32-bit row indices.
  std::array<uint64_t, 2> hashes{};
  for (size_t h = 0; h < hashes.size(); ++h) {
    std::string salted = input;
    salted.push_back(static_cast<char>('a' + h));
    crypto_shorthash(reinterpret_cast<unsigned char*>(&hashes[h]),
                     reinterpret_cast<const unsigned char*>(salted.data()), salted.size(),
                     sketch_secret_.data());
    sodium_memzero(salted.data(), salted.size());
  }
  std::array<uint32_t*, kSketchDepth> cells{};
  uint32_t estimate = UINT32_MAX;
  for (size_t row = 0; row < kSketchDepth; ++row) {
    const uint64_t bits = hashes[row / 2] >> (32 * (row % 2));
    const size_t column = static_cast<size_t>(bits) & (sketch_width_ - 1);
    cells[row] = &sketch_[row * sketch_width_ + column];
    estimate = std::min(estimate, *cells[row]);
  }
  if (estimate >= per_hour || estimate == UINT32_MAX) return false;
  // Conservative update: only the cells at the estimate rise, so others' estimates grow as
  // little as the sketch allows.
  for (uint32_t* cell : cells) {
    if (*cell == estimate) ++*cell;
  }
  return true;
}

size_t RateLimiter::tracked() const {
  std::lock_guard lock(mu_);
  return counts_.size();
}

int64_t RateLimiter::SecondsLeft(std::chrono::system_clock::time_point now) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(now);
  const auto next = std::chrono::floor<std::chrono::hours>(now) + std::chrono::hours(1);
  return std::chrono::duration_cast<std::chrono::seconds>(next - secs).count();
}

}  // namespace candour::server
