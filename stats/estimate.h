// Estimates for a share: Wilson score interval and the two-proportion z-test.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>

namespace candour::stats {

// The normal quantile for a two-sided 95% interval.
inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
  double low = 0;
  double high = 0;
};

// Wilson score interval for `positive` successes out of `base` trials.
// 45 of 120 gives [0.293524, 0.464230]; 0 of 20 gives [0, 0.161125].
// REQUIRES: positive <= base and base > 0.
Interval WilsonInterval(uint64_t positive, uint64_t base, double z = kZ95);

// The same for a share of a (possibly fractional) base, e.g. a weighted share on its Kish
// effective sample size. REQUIRES: 0 <= share <= 1 and base > 0.
Interval WilsonIntervalOfShare(double share, double base, double z = kZ95);

// Newcombe's hybrid score interval (method 10 of Newcombe 1998) for the difference of two
// independent shares x1/n1 - x2/n2, built from their Wilson intervals: 56/70 against 48/80
// gives 0.2000 in [0.0524, 0.3339]. The difference is significant when it excludes 0.
// REQUIRES: x1 <= n1, x2 <= n2, n1 > 0, n2 > 0.
struct Difference {
  double difference = 0, low = 0, high = 0;
  bool significant() const { return low > 0 || high < 0; }
};
Difference NewcombeInterval(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double z = kZ95);
// The same for shares of (possibly fractional) bases: weighted shares on their Kish effective
// sample sizes. REQUIRES: 0 <= p1, p2 <= 1 and n1, n2 > 0.
Difference NewcombeIntervalOfShares(double p1, double n1, double p2, double n2, double z = kZ95);

struct ZTest {
  double z = 0;  // positive when the second share is higher
  double p = 1;  // two-sided
};

// Pooled two-proportion z-test of x1/n1 against x2/n2 (45/120 then 60/125: z = 1.660196,
// p = 0.096875). When both shares are 0 or both 1 there is no variance: z = 0, p = 1.
// REQUIRES: x1 <= n1, x2 <= n2, n1 > 0, n2 > 0.
ZTest TwoProportionZTest(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2);
// The same for shares of (possibly fractional) bases, e.g. weighted shares on n_eff (the notes'
// rule: with weights, n_eff in place of n). REQUIRES: 0 <= p1, p2 <= 1 and n1, n2 > 0.
ZTest TwoProportionZTestOfShares(double p1, double n1, double p2, double n2);

}  // namespace candour::stats
