#include "server/rate_limiter.h"

#include <string>

namespace candour::server {

RateLimiter::RateLimiter() = default;

RateLimiter::~RateLimiter() { sodium_memzero(secret_.data(), secret_.size()); }

bool RateLimiter::Allow(std::string_view survey, const boost::asio::ip::address& peer,
                        uint64_t per_hour, std::chrono::system_clock::time_point now) {
  const int64_t hour = std::chrono::floor<std::chrono::hours>(now).time_since_epoch().count();
  // The address's bytes and the survey id, hashed; the address itself goes no further.
  std::string input;
  if (peer.is_v4()) {
    const auto bytes = peer.to_v4().to_bytes();
    input.assign(bytes.begin(), bytes.end());
  } else {
    const auto bytes = peer.to_v6().to_bytes();
    input.assign(bytes.begin(), bytes.end());
  }
  input.push_back('\0');
  input.append(survey);
  std::lock_guard lock(mu_);
  if (hour != hour_) {
    hour_ = hour;
    randombytes_buf(secret_.data(), secret_.size());
    counts_.clear();
  }
  uint64_t key = 0;
  crypto_shorthash(reinterpret_cast<unsigned char*>(&key),
                   reinterpret_cast<const unsigned char*>(input.data()), input.size(),
                   secret_.data());
  sodium_memzero(input.data(), input.size());
  auto it = counts_.find(key);
  if (it == counts_.end()) {
    if (counts_.size() >= kMaxTracked) return true;
    it = counts_.emplace(key, 0).first;
  }
  if (it->second >= per_hour) return false;
  ++it->second;
  return true;
}

int64_t RateLimiter::SecondsLeft(std::chrono::system_clock::time_point now) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(now);
  const auto next = std::chrono::floor<std::chrono::hours>(now) + std::chrono::hours(1);
  return std::chrono::duration_cast<std::chrono::seconds>(next - secs).count();
}

}  // namespace candour::server
