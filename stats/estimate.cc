#include "stats/estimate.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace candour::stats {

Interval WilsonInterval(uint64_t positive, uint64_t base, double z) {
  assert(base > 0 && positive <= base);
  return WilsonIntervalOfShare(static_cast<double>(positive) / static_cast<double>(base),
                               static_cast<double>(base), z);
}

Interval WilsonIntervalOfShare(double p, double n, double z) {
  assert(n > 0 && p >= 0 && p <= 1);
  const double z2 = z * z;
  const double denominator = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denominator;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Difference NewcombeInterval(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2, double z) {
  assert(n1 > 0 && n2 > 0 && x1 <= n1 && x2 <= n2);
  return NewcombeIntervalOfShares(
      static_cast<double>(x1) / static_cast<double>(n1), static_cast<double>(n1),
      static_cast<double>(x2) / static_cast<double>(n2), static_cast<double>(n2), z);
}

Difference NewcombeIntervalOfShares(double p1, double n1, double p2, double n2, double z) {
  assert(n1 > 0 && n2 > 0);
  const Interval a = WilsonIntervalOfShare(p1, n1, z), b = WilsonIntervalOfShare(p2, n2, z);
  const double d = p1 - p2;
  return {d, d - std::hypot(p1 - a.low, b.high - p2), d + std::hypot(a.high - p1, p2 - b.low)};
}

ZTest TwoProportionZTest(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2) {
  assert(n1 > 0 && n2 > 0 && x1 <= n1 && x2 <= n2);
  const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
  const double pooled = static_cast<double>(x1 + x2) / static_cast<double>(n1 + n2);
  const double variance =
      pooled * (1 - pooled) * (1 / static_cast<double>(n1) + 1 / static_cast<double>(n2));
  if (variance <= 0) return {0, 1};
  const double z = (p2 - p1) / std::sqrt(variance);
  return {z, std::erfc(std::fabs(z) / std::sqrt(2.0))};
}

ZTest TwoProportionZTestOfShares(double p1, double n1, double p2, double n2) {
  assert(n1 > 0 && n2 > 0);
  const double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const double variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance <= 1e-300) return {0, 1};
  const double z = (p2 - p1) / std::sqrt(variance);
  return {z, std::erfc(std::fabs(z) / std::sqrt(2.0))};
}

}  // namespace candour::stats
