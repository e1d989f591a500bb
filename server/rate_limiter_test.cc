#include "server/rate_limiter.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>

namespace candour::server {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using Clock = std::chrono::system_clock;

const Clock::time_point kNoon =
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} + hours{12};

boost::asio::ip::address Ip(const char* text) { return boost::asio::ip::make_address(text); }

TEST(RateLimiterTest, AnAddressGetsItsLimitPerSurveyAndHour) {
  RateLimiter limiter;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("wave", Ip("192.0.2.1"), 3, kNoon));
  EXPECT_FALSE(limiter.Allow("wave", Ip("192.0.2.1"), 3, kNoon + minutes{59}));
  // Another address, another survey: their own counts.
  EXPECT_TRUE(limiter.Allow("wave", Ip("192.0.2.2"), 3, kNoon));
  EXPECT_TRUE(limiter.Allow("other", Ip("192.0.2.1"), 3, kNoon));
  // The next hour starts every count afresh.
  EXPECT_TRUE(limiter.Allow("wave", Ip("192.0.2.1"), 3, kNoon + hours{1}));
}

TEST(RateLimiterTest, ARefusalIsNotCounted) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.Allow("wave", Ip("2001:db8::1"), 1, kNoon));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.Allow("wave", Ip("2001:db8::1"), 1, kNoon));
  // A higher limit (a survey's own) admits exactly the difference.
  EXPECT_TRUE(limiter.Allow("wave", Ip("2001:db8::1"), 2, kNoon));
  EXPECT_FALSE(limiter.Allow("wave", Ip("2001:db8::1"), 2, kNoon));
}

TEST(RateLimiterTest, AZeroLimitRefusesEverything) {
  RateLimiter limiter;
  EXPECT_FALSE(limiter.Allow("wave", Ip("192.0.2.1"), 0, kNoon));
}

TEST(RateLimiterTest, SecondsLeftCountsToTheEndOfTheHour) {
  EXPECT_EQ(RateLimiter::SecondsLeft(kNoon), 3600);
  EXPECT_EQ(RateLimiter::SecondsLeft(kNoon + minutes{59} + seconds{59}), 1);
  EXPECT_EQ(RateLimiter::SecondsLeft(kNoon + minutes{20} + std::chrono::milliseconds{500}), 2400);
}

}  // namespace
}  // namespace candour::server
