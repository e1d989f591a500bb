#include "server/rate_limiter.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/address.hpp>

#include "server/client_address.h"

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

// IPv6 is counted by /64: the addresses of one home or phone share one count, another /64 has
// its own. An IPv4 address arriving IPv4-mapped on a dual-stack socket is the same address.
TEST(RateLimiterTest, IPv6IsCountedByItsSlash64) {
  RateLimiter limiter;
  EXPECT_TRUE(limiter.Allow("wave", Ip("2001:db8:1:2::1"), 2, kNoon));
  EXPECT_TRUE(limiter.Allow("wave", Ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), 2, kNoon));
  EXPECT_FALSE(limiter.Allow("wave", Ip("2001:db8:1:2:abcd::7"), 2, kNoon));
  EXPECT_TRUE(limiter.Allow("wave", Ip("2001:db8:1:3::1"), 2, kNoon));
  EXPECT_TRUE(limiter.Allow("wave", Ip("192.0.2.9"), 1, kNoon));
  EXPECT_FALSE(limiter.Allow("wave", Ip("::ffff:192.0.2.9"), 1, kNoon));
}

// Past its capacity the limiter keeps no more exact counts, and the limit still holds: each
// new address is counted in the sketch and refused once it has used its share.
TEST(RateLimiterTest, PastCapacityTheLimitStillHolds) {
  RateLimiter limiter(/*capacity=*/3);
  for (const char* a : {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) {
    EXPECT_TRUE(limiter.Allow("wave", Ip(a), 2, kNoon));
  }
  EXPECT_EQ(limiter.tracked(), 3u);
  // Two hundred more addresses: none gets an exact count, each gets exactly its two.
  int allowed = 0, refused = 0;
  for (int i = 0; i < 200; ++i) {
    const auto a = boost::asio::ip::make_address_v4(0x0A000000u + static_cast<uint32_t>(i));
    for (int j = 0; j < 3; ++j) (limiter.Allow("wave", a, 2, kNoon) ? allowed : refused)++;
  }
  EXPECT_EQ(limiter.tracked(), 3u);
  // The sketch only overestimates: nobody got more than two. With 200 addresses in 4 rows of
  // 2^18 counters, an address sharing a counter in every row (and so refused early) has a
  // chance below 1e-10 in a run.
  EXPECT_EQ(allowed, 400);
  EXPECT_EQ(refused, 200);
  // The exactly counted addresses keep their counts.
  EXPECT_TRUE(limiter.Allow("wave", Ip("192.0.2.1"), 2, kNoon));
  EXPECT_FALSE(limiter.Allow("wave", Ip("192.0.2.1"), 2, kNoon));
  // The next hour starts afresh, the sketch included.
  const auto late = boost::asio::ip::make_address_v4(0x0A000000u);
  EXPECT_TRUE(limiter.Allow("wave", late, 2, kNoon + hours{1}));
}

// A sketch as small as one counter a row is still never unlimited: everyone past capacity
// shares one count, and the flood is refused.
TEST(RateLimiterTest, ASaturatedSketchRefusesRatherThanAdmits) {
  RateLimiter limiter(/*capacity=*/0, /*sketch_width=*/1);
  int allowed = 0;
  for (uint32_t i = 0; i < 100; ++i) {
    allowed += limiter.Allow("wave", boost::asio::ip::make_address_v4(0x0A000000u + i), 5, kNoon);
  }
  EXPECT_EQ(allowed, 5);
  EXPECT_EQ(limiter.tracked(), 0u);
}

// --- Which address a request counts as ---

Request WithForwarded(std::initializer_list<const char*> values) {
  Request req{boost::beast::http::verb::post, "/s/demo/responses", 11};
  for (const char* v : values) req.insert("X-Forwarded-For", v);
  return req;
}

TEST(ClientAddressTest, OnlyATrustedProxysLastHopIsBelieved) {
  const std::vector<boost::asio::ip::address> proxies = {Ip("127.0.0.1"), Ip("2001:db8::5")};
  const auto req = WithForwarded({"203.0.113.7, 198.51.100.2"});
  // From a declared proxy: the hop it added (the last), not what the client wrote before it.
  EXPECT_EQ(ClientAddress(req, Ip("127.0.0.1"), proxies), Ip("198.51.100.2"));
  EXPECT_EQ(ClientAddress(req, Ip("::ffff:127.0.0.1"), proxies), Ip("198.51.100.2"));
  EXPECT_EQ(ClientAddress(req, Ip("2001:db8::5"), proxies), Ip("198.51.100.2"));
  // From anyone else the header is ignored.
  EXPECT_EQ(ClientAddress(req, Ip("127.0.0.2"), proxies), Ip("127.0.0.2"));
  EXPECT_EQ(ClientAddress(req, Ip("192.0.2.1"), {}), Ip("192.0.2.1"));
  // Several headers: the last one's last hop.
  EXPECT_EQ(ClientAddress(WithForwarded({"10.0.0.1", " 2001:db8::9 "}), Ip("127.0.0.1"), proxies),
            Ip("2001:db8::9"));
  EXPECT_EQ(ClientAddress(WithForwarded({"[2001:db8::9]"}), Ip("127.0.0.1"), proxies),
            Ip("2001:db8::9"));
}

TEST(ClientAddressTest, AProxysRequestWithoutAValidHopCountsAsTheProxy) {
  const std::vector<boost::asio::ip::address> proxies = {Ip("127.0.0.1")};
  for (const char* bad : {"", "unknown", "203.0.113.7, ", "203.0.113.7:443", "1.2.3.4.5"}) {
    EXPECT_EQ(ClientAddress(WithForwarded({bad}), Ip("127.0.0.1"), proxies), Ip("127.0.0.1"))
        << bad;
  }
  EXPECT_EQ(ClientAddress(WithForwarded({}), Ip("127.0.0.1"), proxies), Ip("127.0.0.1"));
}

TEST(ClientAddressTest, LimitKeyCutsIPv6ToSlash64) {
  EXPECT_EQ(LimitKey(Ip("2001:db8:1:2:3:4:5:6")), Ip("2001:db8:1:2::"));
  EXPECT_EQ(LimitKey(Ip("::ffff:192.0.2.1")), Ip("192.0.2.1"));
  EXPECT_EQ(LimitKey(Ip("192.0.2.1")), Ip("192.0.2.1"));
}

}  // namespace
}  // namespace candour::server
